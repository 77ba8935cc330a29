"""Benchmark: the evidence view of `ofsted-kg serve`. Starts the server on 127.0.0.1 (a real process, stopped
by its process id), picks N pieces of evidence of the graph on PDF pages and N in text documents, and asks
one client at a time for each evidence page and then its rendered page (PNG): a PDF page first uncached,
then again. Prints the median and p95 of each kind of request, and the CPU seconds the server (with the
workers it forked) spent.

    python benchmarks/evidence.py --graph /tmp/evid-wm --n 40
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

TARGETS = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?target (SAMPLE(?page) AS ?p) WHERE {
  ?target a oa:SpecificResource . OPTIONAL { ?target oa:hasSelector ?f . ?f rdf:value ?page }
} GROUP BY ?target"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu(pid: int) -> float:
    """CPU seconds of a process and of its children it has waited for (the query and render workers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, required=True)
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args()

    import pyoxigraph as ox

    from ofsted_kg import store

    dataset = store.open_store(args.graph)
    rows = [(r["target"].value, r["p"].value if r["p"] else None) for r in dataset.query(TARGETS)]
    del dataset
    rows.sort()
    pdf = [t for t, p in rows if p][:: max(1, len([1 for _, p in rows if p]) // args.n)][: args.n]
    text = [t for t, p in rows if not p][:: max(1, len([1 for _, p in rows if not p]) // args.n)][: args.n]
    del ox

    port = _free_port()
    command = [sys.executable, "-m", "ofsted_kg", "serve", "--graph", str(args.graph), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base + "/")
                break
            except OSError:
                time.sleep(0.1)
        times: dict[str, list[float]] = {"text evidence page": [], "PDF evidence page (page rendered)": [],
                                         "its PNG (from the cache)": [], "PDF evidence page again": [],
                                         "PDF evidence page + its PNG": []}  # fmt: skip
        cpu = _cpu(server.pid)
        for target in text:
            times["text evidence page"].append(
                _get(base + "/evidence?" + urllib.parse.urlencode({"target": target}))[0]
            )
        for target in pdf:
            url = base + "/evidence?" + urllib.parse.urlencode({"target": target})
            took, body = _get(url)
            times["PDF evidence page (page rendered)"].append(took)
            source = re.search(rb'<img id="page" src="([^"]+)"', body)
            png = _get(base + source.group(1).decode())[0] if source else 0.0
            times["its PNG (from the cache)"].append(png)
            times["PDF evidence page + its PNG"].append(took + png)
            times["PDF evidence page again"].append(_get(url)[0])
        cpu = _cpu(server.pid) - cpu
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"{args.graph}: {len(text)} pieces of evidence in texts, {len(pdf)} on PDF pages")
    for kind, values in times.items():
        if values:
            p95 = sorted(values)[max(0, round(0.95 * len(values)) - 1)]
            print(f"{kind:36} median {statistics.median(values):6.0f} ms   p95 {p95:6.0f} ms   ({len(values)})")
    print(
        f"server CPU (with its workers): {cpu:.2f} s for {sum(len(v) for k, v in times.items() if '+' not in k)} requests"
    )


if __name__ == "__main__":
    main()
