"""Benchmark: `ofsted-kg serve` under load. Starts the server on 127.0.0.1 (a real process, stopped by its
process id), then N clients for S seconds, each asking in turn for a saved query's page, a resource's page,
the endpoint with a query, and now and then a runaway query that its time limit stops. Prints how many
requests were answered with each status and the p50 / p95 latency of each kind.

    python benchmarks/serve.py --graph graph --clients 20 --seconds 20
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS = "PREFIX okg: <https://w3id.org/ofsted-kg/def#> SELECT ?j ?g WHERE { ?j a okg:Judgement ; okg:grade ?g }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REQUESTS = [
    ("saved query page", "/queries/judgements"),
    ("resource page", "/id/council/E08000031"),  # a council's page (web/pages.py)
    ("inspection page", "/id/inspection/E08000031-2022"),
    ("endpoint", "/sparql?" + urllib.parse.urlencode({"query": JUDGEMENTS})),
    ("search", "/search?q=wolverhampton"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(graph: Path, clients: int, seconds: float, timeout: float) -> dict:
    port = _free_port()
    command = [
        sys.executable, "-m", "ofsted_kg", "serve", "--graph", str(graph), "--port", str(port), "--timeout", str(timeout),
    ]  # fmt: skip
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            break
        except OSError:
            if server.poll() is not None:
                raise SystemExit(server.stderr.read().decode()) from None
            time.sleep(0.05)
    startup = time.perf_counter() - started
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        i = number
        while time.monotonic() < deadline:
            name, path = REQUESTS[i % len(REQUESTS)]
            if number == 0 and i % 10 == 0:  # one client sends a runaway query now and then
                name, path = "runaway", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
            i += 1
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=timeout + 30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = "no answer"
            took = time.perf_counter() - began
            with lock:
                latencies[name].append(took)
                statuses[(name, status)] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    os.kill(server.pid, signal.SIGTERM)
    server.wait(timeout=10)
    return {"startup": startup, "latencies": latencies, "statuses": statuses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "graph")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's --timeout for each query")
    args = parser.parse_args()
    result = run(args.graph, args.clients, args.seconds, args.timeout)
    print(f"server ready in {result['startup']:.2f} s; {args.clients} clients for {args.seconds:g} s")
    for (name, status), count in sorted(result["statuses"].items(), key=lambda x: (x[0][0], str(x[0][1]))):
        print(f"  {name:<17} {status!s:<10} {count:>6}")
    print(f"{'kind':<17} {'p50':>9} {'p95':>9}")
    for name, values in sorted(result["latencies"].items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{name:<17} {statistics.median(values) * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")
    lost = sum(c for (_, s), c in result["statuses"].items() if s == "no answer")
    print(f"requests: {sum(result['statuses'].values())}, without an answer: {lost}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
