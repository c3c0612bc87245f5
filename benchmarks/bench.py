"""Speed and memory of erdesign, each figure beside a floor measured in the same run.

    python benchmarks/bench.py                 # all sizes, print the table
    python benchmarks/bench.py --sizes S1,S2   # fewer sizes
    python benchmarks/bench.py --write         # also write benchmarks/RESULTS.md
    python benchmarks/bench.py --check         # exit 1 when a target is missed

Figures are ratios, not seconds, so that they mean the same on a slow or busy machine:
- cold `lint` / `cost` of the seed example against the floor of importing erdesign's dependencies;
- `lint`, `cost`, `import` and lint of the az JSON of generated estates (benchmarks/generate.py,
  S1–S3) against the time PyYAML's C loader (or `json.load`) takes to read the same file with the
  garbage collector off, peak memory of each command, and the growth S2/S1 and S3/S2.
The test suite asserts behaviour, never speed: this script is run by hand.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import SIZES, Estate, az_json, design_yaml  # noqa: E402

DEPENDENCY_IMPORTS = "import pydantic, yaml, click, tabulate"

# name -> (limit, what it bounds); ratios are "at most".
TARGETS = {
    "cold lint / import floor": 1.8,
    "S3 lint / YAML parse": 3.0,
    "S3 cost / YAML parse": 3.0,
    "S3 lint-json / JSON parse": 3.0,
    "S3 lint peak MB": 300,
    "S3 lint-json peak MB": 400,
    "growth S3/S2 (worst)": 11.0,
}


@dataclass
class Run:
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0


def _env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode compiled
    env["ERDESIGN_NO_COLOR"] = "1"
    # S3's az JSON (43 MB, ~730,000 values) is beyond the default input limits for untrusted files: the
    # benchmark raises them, as a user reading a large estate on purpose would.
    env.setdefault("ERDESIGN_MAX_INPUT_BYTES", "128M")
    return env


def _erdesign() -> list[str]:
    exe = Path(sys.executable).with_name("erdesign")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "erdesign"]


# Each command is started by this small launcher, which times it and reads its peak memory. A child
# forked from this (large) benchmark process would report this process's resident memory as its own
# peak (Linux keeps the high-water mark across exec), so the launcher starts it from a small process.
_LAUNCHER = """
import os, sys, time
out = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, out, 1)])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
print(seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)
"""


def run(cmd: list[str]) -> Run:
    """Wall time, peak resident memory and CPU time of one command."""
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True, env=_env())
    try:
        seconds, maxrss, code, cpu = proc.stdout.split()
    except ValueError:
        raise SystemExit(f"bench: cannot run {' '.join(cmd)}: {proc.stderr.strip()[:300]}") from None
    if int(code) not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd)} exited {code}: {proc.stderr.strip()[:300]}")
    return Run(float(seconds), int(maxrss) / 1024, float(cpu))


def best(cmd: list[str], repeat: int) -> Run:
    runs = [run(cmd) for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds)


def best_interleaved(cmds: dict[str, list[str]], repeat: int) -> dict[str, Run]:
    """The best of `repeat` runs of each command, taken in turns so that all see the same machine load."""
    runs: dict[str, list[Run]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            runs[name].append(run(cmd))
    return {name: min(rs, key=lambda r: r.seconds) for name, rs in runs.items()}


_PARSE_FLOOR = """
import gc, json, sys, time
import yaml
path, repeat = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8") as fh:
    text = fh.read()
times = []
for _ in range(repeat):
    gc.disable()
    start = time.perf_counter()
    if path.endswith(".json"):
        json.loads(text)
    else:
        yaml.load(text, Loader=yaml.CSafeLoader)
    times.append(time.perf_counter() - start)
    gc.enable()
print(min(times))
"""


def parse_floor(path: Path, repeat: int) -> float:
    """Best time for the fastest parser of the file's format, garbage collector off (in a child process,
    so that this process stays small)."""
    proc = subprocess.run([sys.executable, "-c", _PARSE_FLOOR, str(path), str(repeat)], capture_output=True,
                          text=True, env=_env(), check=True)
    return float(proc.stdout)


def measure(sizes: list[str], repeat: int) -> tuple[list[tuple[str, str, str]], dict[str, float]]:
    """Rows for the table and the figures checked against TARGETS."""
    rows: list[tuple[str, str, str]] = []
    figures: dict[str, float] = {}
    seed = REPO / "examples" / "seed.yaml"
    erd = _erdesign()
    run(erd + ["lint", str(seed)])  # warm the data bundle and bytecode
    cold = best_interleaved({"floor": [sys.executable, "-c", DEPENDENCY_IMPORTS],
                             "lint": erd + ["lint", str(seed)], "cost": erd + ["cost", str(seed)]},
                            max(10, repeat * 4))
    floor = cold["floor"]
    rows.append(("import floor (`python -c '" + DEPENDENCY_IMPORTS + "'`)",
                 f"{floor.seconds:.3f} s (CPU {floor.cpu_seconds:.3f} s)", "1.00×"))
    for cmd in ("lint", "cost"):
        r = cold[cmd]
        ratio = r.seconds / floor.seconds
        figures[f"cold {cmd} / import floor"] = ratio
        rows.append((f"cold `erdesign {cmd} examples/seed.yaml`", f"{r.seconds:.3f} s (CPU {r.cpu_seconds:.3f} s)",
                     f"{ratio:.2f}× (CPU {r.cpu_seconds / floor.cpu_seconds:.2f}×)"))
    checkov = shutil.which("checkov")
    quickstart = REPO / "tests" / "fixtures" / "arm" / "quickstart-private-peering.json"
    if checkov and quickstart.exists():
        ours = best(erd + ["lint", str(quickstart)], repeat)
        theirs = best([checkov, "-f", str(quickstart), "--quiet", "--compact"], 1)
        figures["checkov / lint (quickstart)"] = theirs.seconds / ours.seconds
        rows.append(("checkov on the quickstart template, ÷ erdesign lint", f"{theirs.seconds:.2f} s",
                     f"{theirs.seconds / ours.seconds:.1f}× faster"))
    per_size: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            estate = Estate(SIZES[size])
            yaml_path = Path(tmp) / f"{size}.yaml"
            json_path = Path(tmp) / f"{size}.json"
            yaml_path.write_text(design_yaml(estate))
            json_path.write_text(az_json(estate))
            yfloor = parse_floor(yaml_path, repeat)
            jfloor = parse_floor(json_path, repeat)
            out = Path(tmp) / f"{size}.imported.yaml"
            commands = {
                "lint": (erd + ["lint", str(yaml_path)], yfloor, "YAML parse"),
                "cost": (erd + ["cost", str(yaml_path)], yfloor, "YAML parse"),
                "lint-json": (erd + ["lint", str(json_path)], jfloor, "JSON parse"),
                "import": (erd + ["import", str(json_path), "-o", str(out)], jfloor, "JSON parse"),
            }
            lines = yaml_path.read_text().count("\n")
            rows.append((f"**{size}**: {estate.n} circuits, {estate.n * 10} VNets, {lines:,} YAML lines, "
                         f"{json_path.stat().st_size / 1e6:.1f} MB JSON",
                         f"YAML parse {yfloor:.3f} s · JSON parse {jfloor:.3f} s", ""))
            per_size[size] = {}
            for name, (cmd, floor_s, floor_name) in commands.items():
                if out.exists():
                    out.unlink()
                r = best(cmd, 1 if size == "S3" else repeat)
                ratio = r.seconds / floor_s
                per_size[size][name] = r.seconds
                figures[f"{size} {name} / {floor_name}"] = ratio
                figures[f"{size} {name} peak MB"] = r.peak_mb
                rows.append((f"{size} `{name}`", f"{r.seconds:.2f} s, {r.peak_mb:.0f} MB",
                             f"{ratio:.1f}× {floor_name}"))
    for a, b in (("S1", "S2"), ("S2", "S3")):
        if a in per_size and b in per_size:
            growth = {name: per_size[b][name] / per_size[a][name] for name in per_size[b]}
            figures[f"growth {b}/{a} (worst)"] = max(growth.values())
            rows.append((f"growth {b}/{a} (10× the estate)",
                         ", ".join(f"{n} {g:.1f}×" for n, g in growth.items()), f"worst {max(growth.values()):.1f}×"))
    return rows, figures


def verdicts(figures: dict[str, float]) -> list[tuple[str, str, str, bool]]:
    out = []
    for name, limit in TARGETS.items():
        if name in figures:
            value = figures[name]
            out.append((name, f"{value:.2f}", f"≤ {limit}", value <= limit))
    return out


def report(rows, checks) -> str:
    lines = ["# Benchmark results", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.system()} · date {time.strftime('%Y-%m-%d %H:%M')} · `python benchmarks/bench.py --write`", "",
             f"Load average when the run started: {_load()} (the machine may be shared: each figure is the best of "
             "several runs, and each ratio compares two figures taken in the same run).", "",
             "| what | measured | ratio |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", "## Targets", "", "| target | value | limit | met |", "|---|---|---|---|"]
    lines += [f"| {n} | {v} | {lim} | {'yes' if ok else '**no**'} |" for n, v, lim, ok in checks]
    return "\n".join(lines) + "\n"


def _notes(path: Path) -> str:
    """The hand-written '## Notes' section of the current results (kept when they are rewritten)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    start = text.find("\n## Notes")
    return text[start + 1:] if start >= 0 else ""


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"
    except OSError:
        return "unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S1,S2,S3", help="comma-separated: S1,S2,S3")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the best is kept)")
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)} (S1, S2 or S3)")
    rows, figures = measure(sizes, args.repeat)
    checks = verdicts(figures)
    text = report(rows, checks)
    print(text)
    if args.write:
        target = HERE / "RESULTS.md"
        notes = _notes(target)
        target.write_text(text + ("\n" + notes if notes else ""))
    missed = [n for n, _, _, ok in checks if not ok]
    if args.check and missed:
        print("missed: " + ", ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
