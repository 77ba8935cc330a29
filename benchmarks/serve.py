"""Benchmark: `ofsted-kg serve` under load. Starts the server on 127.0.0.1 (a real process, stopped by its
process id), then N clients for S seconds, each asking in turn for a council's page, an inspection's page,
a saved query's page (each saved query in turn, a council's name for its parameters), the endpoint with a
query, a search, and now and then a runaway query that its time limit stops. The councils and inspections
are taken in turn from the graph, so most pages are asked for the first time. Prints how many requests
were answered with each status, and the p50 / p95 latency of each kind: apart for a page asked for the
first time and one asked before (the server keeps answers, its store being read-only).

    python benchmarks/serve.py --graph graph --clients 20 --seconds 20
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
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
THINGS = """PREFIX okg: <https://w3id.org/ofsted-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing ?kind ?label WHERE {
  { ?thing a okg:LocalAuthority ; skos:prefLabel ?label . BIND("council" AS ?kind) }
  UNION { ?thing a okg:Inspection . BIND("inspection" AS ?kind) BIND("" AS ?label) }
} ORDER BY ?kind ?thing"""
ID = "https://w3id.org/ofsted-kg/id/"


def _requests(base: str) -> list[tuple[str, str]]:
    """The requests the clients make in turn, made from what the graph holds."""
    with urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode({"query": THINGS, "format": "csv"})) as r:
        rows = list(csv.DictReader(io.StringIO(r.read().decode())))
    councils = [row for row in rows if row["kind"] == "council"]
    inspections = [row["thing"] for row in rows if row["kind"] == "inspection"]
    with urllib.request.urlopen(base + "/queries") as r:
        saved = sorted(set(re.findall(r'href="/queries/([a-z0-9-]+)"', r.read().decode())))
    made = []
    for n in range(max(len(councils), len(inspections), len(saved))):
        council = councils[n % len(councils)]
        made.append(("council page", "/id/" + council["thing"].removeprefix(ID)))
        made.append(("inspection page", "/id/" + inspections[n % len(inspections)].removeprefix(ID)))
        params = {"council": council["label"], "area": council["label"], "subject": council["label"]}
        made.append(("saved query page", f"/queries/{saved[n % len(saved)]}?" + urllib.parse.urlencode(params)))
        made.append(("endpoint", "/sparql?" + urllib.parse.urlencode({"query": JUDGEMENTS})))
        made.append(("search", "/search?" + urllib.parse.urlencode({"q": council["label"].split()[0]})))
    return made


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(
    graph: Path, clients: int, seconds: float, timeout: float, only: str | None = None, settle: float = 0.0
) -> dict:
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
    time.sleep(settle)
    try:
        return _load(base, clients, seconds, timeout, only) | {"startup": startup}
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _load(base: str, clients: int, seconds: float, timeout: float, only: str | None) -> dict:
    requests = [(kind, path) for kind, path in _requests(base) if only in (None, kind)]
    latencies: dict[tuple[str, str], list[float]] = defaultdict(list)
    by_query: dict[tuple[str, str], list[float]] = defaultdict(list)  # saved query pages, by query
    statuses: Counter = Counter()
    lock = threading.Lock()
    asked: set[str] = set()
    turn = iter(range(10**9))
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        while time.monotonic() < deadline:
            with lock:
                i = next(turn)
            name, path = requests[i % len(requests)]
            if number == 0 and i % 10 == 0 and only is None:  # one client sends a runaway query now and then
                name, path = "runaway", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
            with lock:
                when = "again" if path in asked else "first"
                asked.add(path)
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
                latencies[(name, when)].append(took)
                statuses[(name, status)] += 1
                if name == "saved query page":
                    by_query[(path.split("?")[0].removeprefix("/queries/"), when)].append(took)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "statuses": statuses, "by_query": by_query}


def report(result: dict, clients: int, seconds: float) -> None:
    """The statuses, and p50 / p95 by kind of request, printed."""
    print(f"server ready in {result['startup']:.2f} s; {clients} clients for {seconds:g} s")
    for (name, status), count in sorted(result["statuses"].items(), key=lambda x: (x[0][0], str(x[0][1]))):
        print(f"  {name:<17} {status!s:<10} {count:>6}")
    print(f"{'kind':<17} {'asked':<6} {'n':>5} {'p50':>9} {'p95':>9}")
    for (name, when), values in sorted(result["latencies"].items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{name:<17} {when:<6} {len(values):>5} {statistics.median(values) * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")
    print("saved query pages, by query:")
    for (name, when), values in sorted(result["by_query"].items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(
            f"  {name:<15} {when:<6} {len(values):>5} {statistics.median(values) * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms"
        )
    every = sorted(v for (name, _), values in result["latencies"].items() if name != "runaway" for v in values)
    if every:
        p95 = every[min(len(every) - 1, int(0.95 * len(every)))]
        print(
            f"{'all but runaway':<17} {'':<6} {len(every):>5} {statistics.median(every) * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "graph")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's --timeout for each query")
    parser.add_argument("--only", help="one kind of request (e.g. 'council page'), without runaway queries")
    parser.add_argument(
        "--settle", type=float, default=0.0, help="seconds to wait once the server is up (its warm-up runs)"
    )
    args = parser.parse_args()
    result = run(args.graph, args.clients, args.seconds, args.timeout, args.only, args.settle)
    report(result, args.clients, args.seconds)
    lost = sum(c for (_, s), c in result["statuses"].items() if s == "no answer")
    print(f"requests: {sum(result['statuses'].values())}, without an answer: {lost}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
