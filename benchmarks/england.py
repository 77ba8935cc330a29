"""Benchmark: the national graph. The full England build, `add` of one report, and every saved query.

Targets (issue 10), on a 2-core machine: the build of seeds + both report folders + the outcomes
spreadsheet in at most 4 minutes wall and 3 GB peak memory (the build and every process it starts,
added together, by proportional set size: a page a forked worker shares with its parent counts once),
with how the time splits; `add` of one report to that graph in at most 10 s; every
saved query in at most 300 ms in process, and `ofsted-kg query judgements --format csv` as a whole
process in at most 1.5 s. The machine is shared: medians of several runs, and CPU time beside wall.
Run: python benchmarks/england.py [--corpus ../shared/corpus] [--runs N] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPREADSHEET = "ofsted-outcomes/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
ADDED = "ofsted-reports-england/york_2022-05-04.pdf"  # `add` puts it into the graph of all the others
PARAMS = {
    "evidence": {"subject": "Andy Waugh"},
    "council-timeline": {"council": "E08000031"},
    "ratings": {"area": "England"},
    "neighbours": {"council": "E08000031"},
}

# Run in the child: the build and the write, timed by stage, as one JSON line.
_BUILD = """
import json, sys, time
from pathlib import Path
from ofsted_kg import store
from ofsted_kg.build import build
args = json.loads(sys.argv[1])
result = build([Path(p) for p in args["docs"]], workers=args["workers"], workdir=store.work_near(Path(args["out"])))
started = time.perf_counter()
store.write(result, Path(args["out"]))
seconds = dict(result.seconds, writing=time.perf_counter() - started)
print(json.dumps({"seconds": seconds, "documents": len(result.documents), "rejected": [str(e) for e in result.rejected],
                  "frameworks": result.frameworks(), "councils": result.councils(), "counts": result.counts()}))
"""


def _tree_pss_kib(pid: int) -> int:
    """Memory of a process and of all its descendants (the graph's writer forks workers of its own), in KiB:
    their proportional set sizes (PSS), so that the pages a forked worker shares with its parent are counted
    once, not once per process."""
    pids, seen = [pid], 0
    while seen < len(pids):
        p = pids[seen]
        seen += 1
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:  # (ended meanwhile)
            continue
        for task in tasks:
            try:
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    pids += [int(c) for c in handle.read().split()]
            except OSError:  # (a thread that ended meanwhile: the others' children still count)
                pass
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


def _measured(args: list[str]) -> tuple[float, int, str]:
    """Run a command: wall seconds, peak memory of its process tree (KiB), and what it printed."""
    start = time.perf_counter()
    # Its output goes to a file: a pipe read only at the end would fill and stop the command.
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(args, stdout=output, stderr=subprocess.DEVNULL)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_pss_kib(proc.pid))
            time.sleep(0.25)  # reading a big process's smaps is not free: poll gently
        wall = time.perf_counter() - start
        output.seek(0)
        return wall, peak, output.read().decode()


def _cpu_of(args: list[str]):
    """_measured(args), and the CPU seconds of the process and its children (all waited for)."""
    before = os.times()
    value = _measured(args)
    after = os.times()
    return value, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def full_build(corpus: Path, out: Path, workers: int | None, runs: int) -> None:
    docs = [ROOT / "seeds", corpus / "ofsted-reports", corpus / "ofsted-reports-england", corpus / SPREADSHEET]
    walls, cpus, peaks, report = [], [], [], {}
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)  # no cache: every document is read
        payload = json.dumps({"docs": [str(d) for d in docs], "workers": workers, "out": str(out)})
        (wall, peak, printed), cpu = _cpu_of([sys.executable, "-c", _BUILD, payload])
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak / 1024)
        report = json.loads(printed.strip().splitlines()[-1])
    print(f"England build ({runs} runs, medians): {statistics.median(walls):.0f} s wall (target <= 240), "
          f"{statistics.median(cpus):.0f} s CPU, peak {statistics.median(peaks):.0f} MB (target <= 3072)")  # fmt: skip
    print("  last run's stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in report["seconds"].items()))
    print(f"  {report['documents']} documents, {len(report['rejected'])} rejected; inspections by framework "
          f"{report['frameworks']}; {report['councils']} councils")  # fmt: skip
    for line in report["rejected"]:
        print(f"  rejected: {line[:160]}")
    print("  " + ", ".join(f"{n} {k}" for k, n in report["counts"].items()))


def add_one(corpus: Path, graph: Path, work: Path, runs: int) -> None:
    """`add` of one report to the graph of all the others (the graph is copied for each run)."""
    added = corpus / ADDED
    base = work / "without"
    docs = [ROOT / "seeds", corpus / "ofsted-reports", work / "england", corpus / SPREADSHEET]
    shutil.copytree(corpus / "ofsted-reports-england", work / "england")
    (work / "england" / added.name).unlink()
    # The graph of the others reuses what the full build read (its cache): only the graph is made again.
    shutil.copytree(graph / ".cache", base / ".cache")
    subprocess.run([sys.executable, "-m", "ofsted_kg", "build", *map(str, docs), "--out", str(base)],
                   capture_output=True, check=False)  # fmt: skip
    walls, cpus = [], []
    output = ""
    for _ in range(runs):
        target = work / "graph"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base, target, symlinks=True)
        args = [sys.executable, "-m", "ofsted_kg", "add", str(added), "--graph", str(target)]
        (wall, _, output), cpu = _cpu_of(args)
        walls.append(wall)
        cpus.append(cpu)
    print(f"add {added.name} ({runs} runs, medians): {statistics.median(walls):.1f} s wall (target <= 10), "
          f"{statistics.median(cpus):.1f} s CPU")  # fmt: skip
    print("  " + "\n  ".join(line for line in output.splitlines() if not line.startswith("wrote")))


def queries(graph: Path, runs: int) -> None:
    from ofsted_kg import store
    from ofsted_kg.queries import run, saved_queries

    start = time.perf_counter()
    oxigraph = store.open_store(graph)
    print(f"open the store: {(time.perf_counter() - start) * 1000:.0f} ms")
    slowest = 0.0
    print(f"{'query':<18} {'wall':>9} {'CPU':>9}  rows")
    for q in saved_queries():
        walls, cpus = [], []
        for _ in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            result = run(oxigraph, q, PARAMS.get(q.name))
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        wall = statistics.median(walls) * 1000
        slowest = max(slowest, wall)
        print(f"{q.name:<18} {wall:>6.1f} ms {statistics.median(cpus) * 1000:>6.1f} ms  {len(result.rows)}", flush=True)
    print(f"slowest saved query: {slowest:.0f} ms (target <= 300)")
    walls, cpus = [], []
    for _ in range(runs):
        args = [sys.executable, "-m", "ofsted_kg", "query", "judgements", "--format", "csv", "--graph", str(graph)]
        (wall, _, _), cpu = _cpu_of(args)
        walls.append(wall)
        cpus.append(cpu)
    print(f"ofsted-kg query judgements --format csv, whole process: {statistics.median(walls):.2f} s wall "
          f"(target <= 1.5), {statistics.median(cpus):.2f} s CPU")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="build the graph here and keep it")
    args = parser.parse_args()
    if not (args.corpus / SPREADSHEET).exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        graph = args.keep or Path(work) / "graph"
        full_build(args.corpus, graph, args.workers, args.runs)
        queries(graph, max(args.runs, 5))
        add_one(args.corpus, graph, Path(work) / "add", args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
