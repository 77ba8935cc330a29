"""A second real store: OpenLink Virtuoso (Debian's `virtuoso-opensource-7-bin`, which `.ci/run` installs),
started on 127.0.0.1 in a folder of the test and stopped by its process id. The seed graph is pushed with
the Graph Store Protocol and asked with the SPARQL 1.1 Protocol, as the README tells a Virtuoso user to.

Virtuoso has no default graph of its own: one is named for every host (DB.DBA.SYS_SPARQL_HOST), and both
protocols then use it. Where Virtuoso departs from SPARQL 1.1 (the README lists how), a saved query gives
other rows there: those are named below with the reason, and every other one must give the same rows."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from ofsted_kg import queries, remote, store
from ofsted_kg.cli import EXIT_OK, main
from test_remote import _every_saved_query, _graph_copy

DEFAULT_GRAPH = "urn:x-ofsted-kg:default"  # (any IRI that no document's graph has)
# Saved queries whose rows Virtuoso 7.2 gives otherwise, as seen on the seed graph (the README says the same):
DEPARTS = {
    "ratings": "good_or_better, a comparison, comes back as the xsd:integer 1, not the xsd:boolean true",
    "people": "GROUP_CONCAT joins a person's documents in another order, and rows of one person sort otherwise",
    "conflicts": "the value of a date or a length in conflict (COALESCE over OPTIONAL parts) comes back unbound",
    "neighbours": "the latest inspection of a council (MAX of its start dates, with preferences) is an earlier one",
}
INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = shutil.which("virtuoso-t")
    if server is None:
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource-7-bin; .ci/run does)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = _port(), _port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http))
    process = subprocess.Popen(
        [server, "-f", "-c", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=5).read()
            break
        except OSError:
            assert process.poll() is None, (folder / "virtuoso.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "Virtuoso did not start"
            time.sleep(0.5)
    # What the README tells a Virtuoso user to run once: let the endpoint's user write graphs (here on
    # 127.0.0.1 only), and name the default graph that both protocols use.
    statements = (
        'GRANT SPARQL_UPDATE TO "SPARQL";'
        f"INSERT INTO DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) VALUES ('*', '{DEFAULT_GRAPH}');"
    )
    subprocess.run(
        [shutil.which("isql-vt") or "isql-vt", str(sql), "dba", "dba", f"exec={statements}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    yield url
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def test_the_graph_pushed_to_virtuoso_answers_the_saved_queries_as_the_folder_does(built, tmp_path, virtuoso, capsys):
    graph = _graph_copy(built, tmp_path)
    assert main(["push", "--store", virtuoso + "/sparql-graph-crud", "--graph", str(graph)]) == EXIT_OK
    local = store.open_store(graph)
    graphs = 1 + sum(1 for _ in local.named_graphs())
    assert f"pushed to {virtuoso}/sparql-graph-crud: {graphs} graphs written" in capsys.readouterr().out

    far = remote.RemoteStore(remote.endpoint(virtuoso + "/sparql"), 60)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    triples = [int(next(iter(s.query(count)))["n"].value) for s in (far, local)]
    assert triples[0] == triples[1] > 10_000  # the default graph: the whole graph, each triple once
    compared, departed = 0, set()
    for query, params in _every_saved_query():
        try:
            here = queries.run(local, query, params)
        except queries.QueryError:  # a parameter that is no IRI: refused before any store is asked
            continue
        there = queries.run(far, query, params)
        if query.name in DEPARTS:
            departed.add(query.name) if there.rows != here.rows else None
            continue
        assert (there.variables, there.rows) == (here.variables, here.rows), (query.name, params)
        compared += len(here.rows)
    assert compared > 100
    assert departed == set(DEPARTS), "a query named as departing gives the same rows: take it off the list"
