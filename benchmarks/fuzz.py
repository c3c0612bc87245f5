"""Long fuzz runs of every input kind (the test suite runs a bounded fuzz; this is for N large):

    .venv/bin/python benchmarks/fuzz.py 2000            # prints: 2000 runs: ok, clean errors, bad
    .venv/bin/python benchmarks/fuzz.py 20000 --seed 7 --keep bad-cases/

Each run writes a generated bad input (benchmarks/hostile_inputs.py) to a fresh folder and runs the
erdesign command on it in a forked child (so a crash, a hang or a memory blow-up cannot hide). A run
is bad when it prints a traceback or an internal error, takes over 5 s, exits other than 0/1/2, exits
2 without a file:line:col, writes its -o output although it failed, or prints an error or finding
line over 300 characters. Bad cases are listed (and kept with --keep) so they can be replayed.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile_inputs import judge, random_case  # noqa: E402

TIME_LIMIT = 5.0
MEMORY_LIMIT = 3 * 1024 ** 3  # address space of a child: a blow-up becomes a MemoryError (an internal error)
OUTPUT_LIMIT = 1 << 20  # bytes of stdout/stderr kept per run


def _preload() -> None:
    """Import and warm everything once, so that forked children start at once."""
    from erdesign.cli import cost, importcmd, lint, pricing  # noqa: F401
    from erdesign.costing.book import packaged_books
    from erdesign.engine.catalog import load_catalog

    load_catalog()
    packaged_books()


def run_case(argv: list[str], folder: str) -> tuple:
    """(exit code or None on a hang, stdout, stderr) of `erdesign ARGV` in a forked child."""
    out_path, err_path = os.path.join(folder, ".stdout"), os.path.join(folder, ".stderr")
    pid = os.fork()
    if pid == 0:  # the child
        code = 70
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            err_fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out_fd, 1)
            os.dup2(err_fd, 2)
            sys.stdin = open(os.devnull)
            os.chdir(folder)
            from erdesign.cli import main

            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 70
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], TIME_LIMIT)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            code = None
        else:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
    finally:
        os.close(fd)
    return code, _read(out_path), _read(err_path)


def _read(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(OUTPUT_LIMIT).decode("utf-8", "replace")
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=2000, help="number of runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="FOLDER", help="copy every bad case here")
    parser.add_argument("--quiet", action="store_true", help="only the summary line")
    args = parser.parse_args()

    _preload()
    rng = random.Random(args.seed)
    ok = clean = bad = 0
    kinds: dict[str, list[int]] = {}
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="erdesign-fuzz-") as root:
        for index in range(args.n):
            case = random_case(rng)
            folder = os.path.join(root, f"case{index}")
            os.mkdir(folder)
            for name, data in case.files.items():
                Path(folder, name).write_bytes(data)
            argv = case.args("")  # names relative to the case folder, where the command runs
            code, out, err = run_case(argv, folder)
            wrote = any(Path(folder, n).exists() for n in ("out.txt", "out.yaml"))
            why = judge(code, out, err, wrote)
            tally = kinds.setdefault(case.kind, [0, 0, 0])
            if why:
                bad += 1
                tally[2] += 1
                if not args.quiet:
                    print(f"BAD #{index} {case.kind} erdesign {' '.join(argv)}: {why}", file=sys.stderr)
                if args.keep:
                    shutil.copytree(folder, os.path.join(args.keep, f"case{index}"), dirs_exist_ok=True)
            elif code == 2:
                clean += 1
                tally[1] += 1
            else:
                ok += 1
                tally[0] += 1
            shutil.rmtree(folder, ignore_errors=True)
            if not args.quiet and (index + 1) % 1000 == 0:
                print(f"  … {index + 1} runs: {ok} ok, {clean} clean errors, {bad} bad "
                      f"({time.monotonic() - start:.0f} s)", file=sys.stderr, flush=True)
    if not args.quiet:
        for kind, (k_ok, k_clean, k_bad) in sorted(kinds.items()):
            print(f"  {kind}: {k_ok} ok, {k_clean} clean errors, {k_bad} bad", file=sys.stderr)
        print(f"  ({time.monotonic() - start:.0f} s, seed {args.seed})", file=sys.stderr)
    print(f"{args.n} runs: {ok} ok, {clean} clean errors, {bad} bad")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
