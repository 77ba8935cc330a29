"""Benchmark: every saved query on a built graph, and `ofsted-kg query judgements` as a whole process.

Targets: each saved query answers in at most 300 ms in process on England's graph (issue 10; 50 ms on
the West Midlands', issue 4), and the whole `ofsted-kg query judgements` process takes at most 1.5 s.
Each query's median wall time, its slowest, and its median CPU time (the machine may be shared).
Run: python benchmarks/queries.py [--graph graph] [--runs N] [--only QUERY ...] [--no-process]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ofsted_kg.queries import run, saved_queries
from ofsted_kg.store import open_store

PARAMS = {
    "evidence": {"subject": "Andy Waugh"},
    "council-timeline": {"council": "E08000031"},
    "neighbours": {"council": "E08000031"},
    "ratings": {"area": "West Midlands"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=Path("graph"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", nargs="*", metavar="QUERY", help="these saved queries only")
    parser.add_argument("--no-process", action="store_true", help="skip the whole `ofsted-kg query` process")
    args = parser.parse_args()
    start = time.perf_counter()
    store = open_store(args.graph)
    print(
        f"open: {(time.perf_counter() - start) * 1000:.0f} ms ({len(store)} quads, the graph folder's Oxigraph store)"
    )
    slowest = 0.0
    for query in saved_queries():
        if args.only and query.name not in args.only:
            continue
        times, cpus = [], []
        for _ in range(args.runs):
            t, cpu = time.perf_counter(), time.process_time()
            answer = run(store, query, PARAMS.get(query.name))
            times.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        slowest = max(slowest, statistics.median(times))
        print(
            f"{query.name:18} median {statistics.median(times):6.1f} ms  max {max(times):6.1f} ms  "
            f"CPU median {statistics.median(cpus):6.1f} ms  ({len(answer.rows)} rows)",
            flush=True,
        )
    print(f"slowest median: {slowest:.1f} ms (target <= 300 on England's graph)")
    if args.no_process:
        return 0
    walls = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ofsted_kg", "query", "judgements", "--graph", str(args.graph), "--format", "csv"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        walls.append(time.perf_counter() - t)
    print(f"ofsted-kg query judgements, whole process: median {statistics.median(walls):.2f} s (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
