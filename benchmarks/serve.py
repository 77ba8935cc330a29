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


# The server without its warm-up (which `serve` always runs), for --cold: every page asked for the first time
# is then made when it is asked for.
WITHOUT_WARM_UP = """
import sys
from pathlib import Path
import uvicorn
from ofsted_kg.bounded import Limits
from ofsted_kg.web.app import create_app
graph, port, timeout, in_memory = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "memory"
tell = lambda message: print(message, file=sys.stderr, flush=True)
app = create_app(graph, Limits(seconds=timeout, rows=100_000, memory_mb=2048), in_memory=in_memory, notify=tell)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""
IN_MEMORY = "the graph is in memory"  # what the server says once it has read the graph into memory


def run(
    graph: Path,
    clients: int,
    seconds: float,
    timeout: float,
    only: str | None = None,
    settle: float = 0.0,
    cold: bool = False,
    on_disk: bool = False,
    memory_first: bool = False,
) -> dict:
    port = _free_port()
    if cold:
        place = "disk" if on_disk else "memory"
        command = [sys.executable, "-c", WITHOUT_WARM_UP, str(graph), str(port), str(timeout), place]
    else:
        command = [
            sys.executable, "-m", "ofsted_kg", "serve", "--graph", str(graph), "--port", str(port), "--timeout", str(timeout),
        ]  # fmt: skip
        command += ["--on-disk"] if on_disk else []
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said: list[str] = []  # the server's messages, read as they come (its pipe never fills)
    in_memory = threading.Event()

    def listen() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            said.append(line)
            if line.startswith(IN_MEMORY):
                in_memory.set()

    threading.Thread(target=listen, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            break
        except OSError:
            if server.poll() is not None:
                time.sleep(0.5)
                raise SystemExit("".join(said)) from None
            time.sleep(0.05)
    startup = time.perf_counter() - started
    if memory_first and not in_memory.wait(600):
        raise SystemExit("the server did not read the graph into memory within 10 minutes: " + "".join(said))
    memory = time.perf_counter() - started if in_memory.is_set() else None
    time.sleep(settle)
    try:
        return _load(base, clients, seconds, timeout, only) | {"startup": startup, "memory": memory}
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
    if result["memory"] is not None:
        print(f"graph in memory {result['memory']:.1f} s after the server started, before the clients")
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
    parser.add_argument(
        "--cold", action="store_true", help="without the server's warm-up: pages are made when first asked for"
    )
    parser.add_argument("--on-disk", action="store_true", help="the server's --on-disk: no graph in memory")
    parser.add_argument(
        "--memory-first", action="store_true", help="start the clients once the server has the graph in memory"
    )
    args = parser.parse_args()
    result = run(
        args.graph, args.clients, args.seconds, args.timeout, args.only, args.settle,
        args.cold, args.on_disk, args.memory_first,
    )  # fmt: skip
    report(result, args.clients, args.seconds)
    lost = sum(c for (_, s), c in result["statuses"].items() if s == "no answer")
    print(f"requests: {sum(result['statuses'].values())}, without an answer: {lost}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
