"""Benchmark: `ofsted-kg build` of seeds/ as a whole process, interpreter start included.

Targets (issue 2): at most 2 s wall and 300 MB peak memory on a 2-core machine.
Run: python benchmarks/build_seeds.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    walls, peaks = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            # wait4 gives this child's own peak resident memory.
            proc = subprocess.Popen(
                [sys.executable, "-m", "ofsted_kg", "build", str(ROOT / "seeds"), "--out", out],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - start)
            peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
            if os.waitstatus_to_exitcode(status) != 0:
                print(proc.stderr.read().decode(), file=sys.stderr)
                return 1
    print(f"runs: {args.runs}")
    print(f"wall seconds: median {statistics.median(walls):.2f}, max {max(walls):.2f} (target <= 2.0)")
    print(f"peak memory MB: max {max(peaks):.0f} (target <= 300)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
