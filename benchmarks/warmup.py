"""Benchmark: how long `ofsted-kg serve` takes to make its pages and saved queries ahead (the warm-up), and
how fast pages are answered while it runs. The server runs in this process (uvicorn in a thread, on
127.0.0.1), so that the benchmark can see when the warm-up is done (`app.state.warmed`); N clients ask
for council and inspection pages in turn, each page once, from the start until S seconds after the
warm-up. Prints the warm-up's wall time, the CPU time of the server and its workers meanwhile, and the
p50 / p95 latency of the pages asked during the warm-up and after it.

    python benchmarks/warmup.py --graph england --clients 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ID, THINGS, _free_port  # noqa: E402 (the same graph-derived requests as serve.py)

ROOT = Path(__file__).resolve().parent.parent


def _cpu_seconds() -> float:
    """CPU time of this process and of its living children (the query workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = time.process_time()
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:  # ppid
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def run(graph: Path, clients: int, after: float, timeout: float) -> dict:
    import uvicorn

    from ofsted_kg.bounded import Limits
    from ofsted_kg.store import open_store
    from ofsted_kg.web.app import create_app

    # The pages to ask, from the graph itself (read before the server starts, outside its timings).
    rows = open_store(graph).query(THINGS)
    things = [(str(r["kind"].value), str(r["thing"].value)) for r in rows]
    councils = [t for k, t in things if k == "council"]
    inspections = [t for k, t in things if k == "inspection"]
    paths = []
    for n in range(max(len(councils), len(inspections))):
        if n < len(councils):
            paths.append(("council page", "/id/" + councils[n].removeprefix(ID)))
        if n < len(inspections):
            paths.append(("inspection page", "/id/" + inspections[n].removeprefix(ID)))

    port = _free_port()
    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    app = create_app(graph, Limits(seconds=timeout, rows=100_000, memory_mb=2048), warm=True)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.02)
    ready = time.perf_counter() - started

    latencies: dict[tuple[str, str], list[float]] = defaultdict(list)
    failures: list[str] = []
    lock = threading.Lock()
    turn = iter(range(len(paths)))
    warmed_at: list[float] = []

    def client() -> None:
        while True:
            if warmed_at and time.perf_counter() - started > warmed_at[0] + after:
                return
            with lock:
                i = next(turn, None)
            if i is None:
                return
            name, path = paths[i]
            when = "after" if app.state.warmed else "during"
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=timeout + 30) as response:
                    response.read()
            except (urllib.error.HTTPError, OSError) as error:
                with lock:
                    failures.append(f"{path}: {error}")
                continue
            with lock:
                latencies[(name, when)].append(time.perf_counter() - began)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    while not app.state.warmed:
        time.sleep(0.1)
    warmed_at.append(time.perf_counter() - started)
    cpu = _cpu_seconds() - cpu_started
    for t in threads:
        t.join()
    server.should_exit = True
    thread.join()
    return {"ready": ready, "warm": warmed_at[0], "cpu": cpu, "latencies": latencies, "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "graph")
    parser.add_argument("--clients", type=int, default=2, help="clients asking for pages meanwhile")
    parser.add_argument("--after", type=float, default=20.0, help="seconds the clients go on after the warm-up")
    parser.add_argument("--timeout", type=float, default=30.0, help="the server's time limit for each query")
    args = parser.parse_args()
    result = run(args.graph, args.clients, args.after, args.timeout)
    print(f"server ready in {result['ready']:.2f} s; warm-up done at {result['warm']:.1f} s "
          f"(CPU of the server and its workers meanwhile: {result['cpu']:.1f} s); {args.clients} clients")  # fmt: skip
    print(f"{'kind':<17} {'asked':<7} {'n':>5} {'p50':>9} {'p95':>9}")
    for (name, when), values in sorted(result["latencies"].items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{name:<17} {when:<7} {len(values):>5} {statistics.median(values) * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")
    for failure in result["failures"][:10]:
        print("failed:", failure)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
