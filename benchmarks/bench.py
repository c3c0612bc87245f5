"""Speed figures for erdesign (prints them; the test suite asserts behaviour, not speed).

    .venv/bin/python benchmarks/bench.py            # default sizes
    .venv/bin/python benchmarks/bench.py 100 1000   # customers per generated design

Measures CLI start-up (`erdesign --version`, `erdesign lint` on the seed example),
and load / lint / cost time on generated designs of growing size.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def _best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def _cli(*args):
    exe = Path(sys.executable).with_name("erdesign")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "erdesign", *args]
    return lambda: subprocess.run(cmd, capture_output=True, check=False)


def main(sizes):
    import erdesign

    seed = HERE.parent / "examples" / "seed.yaml"
    print("CLI start-up (best / median of 5, seconds)")
    for label, args in [("erdesign --version", ["--version"]), ("erdesign lint examples/seed.yaml", ["lint", str(seed)]),
                        ("erdesign cost examples/seed.yaml", ["cost", str(seed)])]:
        best, median = _best_of(_cli(*args))
        print(f"  {label:<36} {best:6.3f} / {median:6.3f}")
    print()
    print(f"{'customers':>9} {'lines':>7} {'load s':>8} {'lint s':>8} {'findings':>8} {'cost s':>8} {'cost lines':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, f"bench-{n}.yaml")
            text = generate(n)
            Path(path).write_text(text)
            t0 = time.perf_counter()
            design = erdesign.load(path)
            t1 = time.perf_counter()
            report = erdesign.lint(design)
            t2 = time.perf_counter()
            tco = erdesign.cost(design)
            t3 = time.perf_counter()
            print(f"{n:>9} {text.count(chr(10)):>7} {t1 - t0:>8.3f} {t2 - t1:>8.3f} {len(report.findings):>8} "
                  f"{t3 - t2:>8.3f} {len(tco.lines):>10}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 500, 1000])
