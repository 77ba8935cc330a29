"""Benchmark: a graph many times the size of England's, pushed to an Oxigraph server and queried there.

Starts `oxigraph serve` on 127.0.0.1 with an empty store in a folder (stopped by its process id), then
sends the graph folder's graphs N times over: each copy's own resources renamed (id/... -> id/copyK/...)
so that the copies do not merge, the shared ones (councils, areas, organisations, the reference graph)
left as they are, as benchmarks/scale.py does in memory. Each copy's named graphs are written with the
Graph Store Protocol's PUT and its merged graph added to the default graph with POST, `--connections`
at a time, as `ofsted-kg push` sends them. At each level of --copies it prints the throughput of the
push so far and the median time of each saved query there (the SPARQL 1.1 Protocol).

    python benchmarks/scale_remote.py --graph england --copies 1,10 [--runs 3] [--keep DIR]

The store needs about 190 bytes of disk a quad (England: 6.4 M quads, 1.2 GB), so 10 copies of England
need about 12 GB and 50 copies about 60 GB.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAMS = {"council": "Wolverhampton", "area": "England", "subject": "https://w3id.org/ofsted-kg/id/council/E08000031"}
# The project's own IRIs that a copy renames: every one but the shared resources.
OWN = re.compile(rb"<https://w3id\.org/ofsted-kg/id/(?!council/|area/|org/|dataset/|graph/reference)")


def _renamed(body: bytes, copy: int) -> bytes:
    return body if copy == 0 else OWN.sub(b"<https://w3id.org/ofsted-kg/id/copy%d/" % copy, body)


def _send(port: int, method: str, target: str, body: bytes) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    try:
        conn.request(method, target, body=body, headers={"Content-Type": "text/turtle; charset=utf-8"})
        response = conn.getresponse()
        said = response.read()
        if response.status not in (200, 201, 204):
            raise RuntimeError(f"{method} {target[:80]}: {response.status} {said[:200]!r}")
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "graph")
    parser.add_argument("--copies", default="1,10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="the server's store folder (kept); else a temporary one")
    args = parser.parse_args()
    levels = sorted({int(n) for n in args.copies.split(",")})

    from ofsted_kg import export, queries, remote, store

    merged = (args.graph / store.MERGED).read_bytes()
    named = (args.graph / store.NAMED).read_bytes()
    header = export.trig_header()
    parts = {
        name: header + named[named.index(b"\n", start) + 1 : min(end, len(named))].rstrip(b"\n").removesuffix(b"}")
        for name, (start, end) in sorted(export.trig_parts(named).items())
    }
    with tempfile.TemporaryDirectory() as scratch:
        location = args.keep or Path(scratch) / "served"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        command = [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.1)
            far = remote.RemoteStore(remote.endpoint(base + "/query"), 3600)
            pushing = 0.0
            sent = 0
            done = 0
            for level in levels:
                started = time.perf_counter()
                with concurrent.futures.ThreadPoolExecutor(args.connections) as pool:
                    jobs = []
                    for copy in range(done, level):
                        for name, body in parts.items():
                            iri = _renamed(f"<{name}>".encode(), copy).decode()[1:-1]
                            target = "/store?no_transaction&lenient&" + urllib.parse.urlencode({"graph": iri})
                            jobs.append(pool.submit(_send, port, "PUT", target, _renamed(body, copy)))
                        jobs.append(
                            pool.submit(
                                _send, port, "POST", "/store?no_transaction&lenient&default", _renamed(merged, copy)
                            )
                        )
                        # One copy at a time in flight: a copy's bodies are 600 MB.
                        for job in jobs:
                            job.result()
                        jobs = []
                pushing += time.perf_counter() - started
                done = level
                count = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
                sent = int(queries.run(far, queries.SavedQuery("count", "", "", (), count), {}).rows[0][0])
                print(
                    f"{level} copies: {sent:,} quads in the store; pushed in {pushing:.0f} s in all, "
                    f"{sent / pushing:,.0f} quads/s",
                    flush=True,
                )
                print(f"  {'query':<18} {'median':>9} {'rows':>8}")
                for query in queries.saved_queries():
                    params = {p.name: PARAMS[p.name] for p in query.parameters}
                    times = []
                    for _ in range(args.runs):
                        t = time.perf_counter()
                        rows = len(queries.run(far, query, params).rows)
                        times.append(time.perf_counter() - t)
                    print(f"  {query.name:<18} {statistics.median(times) * 1000:>7.0f}ms {rows:>8}", flush=True)
        finally:
            os.kill(server.pid, signal.SIGTERM)
            server.wait(timeout=120)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
