"""Benchmark: `ofsted-kg build` of seeds/ as a whole process, interpreter start included.

Targets (issue 2): at most 2 s wall and 300 MB peak memory on a 2-core machine.
Memory is the peak of the resident memory of the build and of the process it
forks to validate in parallel, added together (sampled every 10 ms from /proc).
Run: python benchmarks/build_seeds.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and of its children, in KiB."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            children = [int(c) for c in handle.read().split()]
    except OSError:
        children = []
    return _rss_kib(pid) + sum(_rss_kib(c) for c in children)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    walls, peaks = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "ofsted_kg", "build", str(ROOT / "seeds"), "--out", out],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            peak = 0
            while proc.poll() is None:
                peak = max(peak, _tree_rss_kib(proc.pid))
                time.sleep(0.01)
            walls.append(time.perf_counter() - start)
            peaks.append(peak / 1024)
            if proc.returncode != 0:
                print(proc.stderr.read().decode(), file=sys.stderr)
                return 1
    print(f"runs: {args.runs}")
    print(f"wall seconds: median {statistics.median(walls):.2f}, max {max(walls):.2f} (target <= 2.0)")
    print(f"peak memory MB (build and its validation worker together): max {max(peaks):.0f} (target <= 300)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
