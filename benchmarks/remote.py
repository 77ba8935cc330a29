"""Benchmark: a graph pushed to an Oxigraph server and queried there.

Starts `oxigraph serve` on 127.0.0.1 with an empty store in a temporary folder (stopped by its process id),
pushes the graph folder (`ofsted-kg push`, every graph), then runs each saved query on the folder's own
store and on the server (the SPARQL 1.1 Protocol), RUNS times each, and prints the push's throughput, the
store's own bulk-load floor (`oxigraph load` of the same TriG, offline), and the medians side by side with
the round trip of an empty query.

    python benchmarks/remote.py --graph england [--runs 3] [--store-params 'no_transaction&lenient']
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAMS = {"council": "Wolverhampton", "area": "England", "subject": "https://w3id.org/ofsted-kg/id/council/E08000031"}


def _oxigraph() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def _median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "graph")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store-params", default="no_transaction&lenient", help="added to the store's URL")
    args = parser.parse_args()

    from ofsted_kg import push, queries, remote, store

    local = store.open_store(args.graph)
    quads = int(next(iter(local.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0].value)
    merged = int(next(iter(local.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        floor = subprocess.run(
            [_oxigraph(), "load", "--location", f"{scratch}/floor", "--file", str(args.graph / store.NAMED)],
            capture_output=True,
        )
        loaded = time.perf_counter() - started
        if floor.returncode == 0:
            print(
                f"floor: oxigraph load of the TriG ({quads:,} quads), offline: {loaded:.1f} s, {quads / loaded:,.0f} quads/s"
            )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        command = [_oxigraph(), "serve", "--location", f"{scratch}/served", "--bind", f"127.0.0.1:{port}"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.1)
            copy = Path(scratch) / "graph"
            shutil.copytree(args.graph, copy, ignore=shutil.ignore_patterns(push.RECORD))  # (the record stays apart)
            url = f"{base}/store" + (f"?{args.store_params}" if args.store_params else "")
            started, cpu = time.perf_counter(), time.process_time()
            result = push.push(copy, remote.endpoint(url))
            took, used = time.perf_counter() - started, time.process_time() - cpu
            sent = quads + merged
            print(
                f"push: {len(result.written)} graphs, {result.size / 1e6:,.0f} MB of Turtle, {sent:,} triples "
                f"({quads:,} in named graphs, {merged:,} in the default graph) in {took:.1f} s: {sent / took:,.0f} "
                f"triples/s ({quads / took:,.0f} of the graph's own); {used:.1f} s CPU here"
            )
            far = remote.RemoteStore(remote.endpoint(base + "/query"), 600)
            trip = _median(lambda: queries.run(far, queries.SavedQuery("ask", "", "", (), "ASK {}"), {}), 20)
            print(f"round trip of ASK {{}}: {trip * 1000:.1f} ms")
            print(f"{'query':<18} {'embedded':>10} {'remote':>10} {'ratio':>7} {'rows':>7}")
            for query in queries.saved_queries():
                params = {p.name: PARAMS[p.name] for p in query.parameters}
                here = _median(lambda q=query, p=params: queries.run(local, q, p), args.runs)
                there = _median(lambda q=query, p=params: queries.run(far, q, p), args.runs)
                rows = len(queries.run(local, query, params).rows)
                print(f"{query.name:<18} {here * 1000:>8.0f}ms {there * 1000:>8.0f}ms {there / here:>6.2f}x {rows:>7}")
        finally:
            os.kill(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
