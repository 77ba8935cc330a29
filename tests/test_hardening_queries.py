"""Queries as an attacker writes them: no request leaves, every query is bounded, output goes only
where the user meant (issue 11)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ofsted_kg import bounded, guard, queries
from ofsted_kg.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from ofsted_kg.errors import QueryError


class Listener:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self):
        time.sleep(0.3)  # a request sent just before is counted
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture()
def listener():
    found = Listener()
    yield found
    found.close()


# Each hides SERVICE from a guard that reads the text naively (a regular expression after removing
# '#...' comments), or spells it so that only the SPARQL lexer's rules show it.
BYPASSES = [
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?z) SERVICE <URL> { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?z) SERVICE SILENT <URL> { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\' AS ?z) SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053ervice <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe\n<URL> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o } #\\u000a SERVICE <URL> { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", BYPASSES)
def test_no_query_reaches_the_network(capsys, built, listener, text):
    sparql = text.replace("URL", f"http://127.0.0.1:{listener.port}/sparql")
    assert main(["query", "--sparql", sparql, "--graph", str(built)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "SERVICE is refused" in err and err.count("\n") == 1
    listener.close()
    assert listener.connections == 0


def test_viz_query_file_with_an_escaped_service_is_refused(capsys, built, listener, tmp_path):
    query = tmp_path / "hidden.rq"
    query.write_text(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ \\u0053ERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}",
        encoding="utf-8",
    )
    assert main(["viz", "--query", str(query), "--graph", str(built), "--out", str(tmp_path / "out")]) == EXIT_USAGE
    assert "SERVICE is refused" in capsys.readouterr().err
    listener.close()
    assert listener.connections == 0 and not (tmp_path / "out").exists()


def test_the_engine_cannot_reach_the_network_even_past_the_guard(listener):
    """The second guard: a SERVICE that reaches the engine (here, given straight to it) finds no network."""
    import pyoxigraph as ox

    store = ox.Store()
    sparql = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"

    def ask():
        return len(list(store.query(sparql)))

    with pytest.raises(OSError, match="Permission denied"):
        bounded.call(ask, bounded.Limits())

    def connect():
        socket.create_connection(("127.0.0.1", listener.port), timeout=2)

    with pytest.raises(PermissionError):
        bounded.call(connect, bounded.Limits())
    listener.close()
    assert listener.connections == 0


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX service: <http://e/> SELECT ?o WHERE { ?s service:p ?o }",  # a prefix named service
        "SELECT ?service ?from WHERE { ?service ?from ?o }",  # variables
        'SELECT * WHERE { ?s ?p "SERVICE <http://e/> FROM <x>" }',  # a string
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://e/>",  # a comment
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o }",  # an IRI
        'SELECT * WHERE { ?s ?p """a "SERVICE" \'\'INSERT\'\' b""" }',  # a long string
    ],
)
def test_what_only_looks_like_a_refused_word_is_allowed(text):
    guard.check(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("LOAD <http://e/x>", "SPARQL Update is refused"),
        ("CLEAR ALL", "SPARQL Update is refused"),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "SPARQL Update is refused"),
        ("SELECT * FROM NAMED <http://e/g> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
        ("SELECT * \\u0046ROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
        ("SELECT * WHERE { ?s ?p ?o ~ }", "malformed SPARQL at line 1, column 27"),
    ],
)
def test_refused_words(text, message):
    with pytest.raises(QueryError, match=message):
        guard.check(text)


CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_runaway_query_stops_at_its_time_limit(capsys, built):
    started = time.monotonic()
    assert main(["query", "--sparql", CROSS_JOIN, "--graph", str(built), "--timeout", "1"]) == EXIT_USAGE
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err == "ofsted-kg: the query was stopped after 1 s, its time limit (--timeout SECONDS)\n"


def test_a_huge_answer_stops_at_the_row_limit(capsys, built):
    sparql = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    assert main(["query", "--sparql", sparql, "--graph", str(built), "--max-rows", "500"]) == EXIT_USAGE
    assert "gives more than 500 rows or triples, its limit (--max-rows N)" in capsys.readouterr().err
    construct = "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }"
    assert main(["query", "--sparql", construct, "--graph", str(built), "--max-rows", "10"]) == EXIT_USAGE
    assert "more than 10 rows or triples" in capsys.readouterr().err
    assert main(["query", "judgements", "--graph", str(built), "--max-rows", "10000", "--format", "csv"]) == EXIT_OK


def test_a_query_over_its_memory_limit_is_stopped(built):
    def greedy():
        return len(bytearray(2 << 30))

    with pytest.raises(bounded.LimitError, match="more than 300 MB, its memory limit"):
        bounded.call(greedy, bounded.Limits(memory_mb=300))


def test_an_answer_and_an_error_come_back_from_the_worker(built):
    from ofsted_kg import store

    found = store.open_store(built)
    answer = queries.run_bounded(found, queries.load("judgements"))
    assert answer.rows == queries.run(found, queries.load("judgements")).rows and len(answer.rows) > 10
    with pytest.raises(QueryError, match="malformed SPARQL at line 1"):
        queries.run_bounded(found, queries.parse_saved("inline", "SELECT * WHERE { ?s"))


def test_ctrl_c_stops_a_running_query_at_once(built):
    command = [sys.executable, "-m", "ofsted_kg", "query", "--sparql", CROSS_JOIN, "--graph", str(built)]
    # Ctrl-C as at a terminal: a process started in the background by a shell inherits SIGINT ignored.
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)
    )
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (children.exists() and children.read_text().strip()):
            time.sleep(0.05)  # until the query runs in its worker
        time.sleep(0.5)
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        err = process.communicate(timeout=10)[1]
        assert time.monotonic() - started < 3
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    assert process.returncode == 130 and err == "ofsted-kg: interrupted\n"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder", "missing folder"])
def test_output_goes_only_to_a_regular_file(capsys, built, tmp_path, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.csv").write_text("keep\n", encoding="utf-8")
        target.symlink_to(tmp_path / "real.csv")
    elif kind == "folder":
        target.mkdir()
    else:
        target = tmp_path / "no-such-folder" / "out.csv"
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["query", "judgements", "--graph", str(built), "--output", str(target)]) == EXIT_REJECTED
    message = {
        "fifo": "is not a regular file (a device, FIFO or socket)",
        "symlink": "is a symbolic link",
        "folder": "is a folder",
        "missing folder": "no folder",
    }[kind]
    err = capsys.readouterr().err
    assert err.startswith(f"ofsted-kg: {target}: ") and message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing replaced, nothing made
    if kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real.csv").read_text(encoding="utf-8") == "keep\n"
    if kind == "fifo":
        assert not target.is_file()


def test_output_dash_is_standard_output(capsys, built):
    assert main(["query", "judgements", "--graph", str(built), "--output", "-", "--format", "csv"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out.startswith("council,inspection,") and "wrote" not in captured.err


def test_build_out_naming_a_file_is_a_message(capsys, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("mine\n", encoding="utf-8")
    assert main(["build", "--out", str(target)]) == EXIT_REJECTED
    assert capsys.readouterr().err == f"ofsted-kg: {target}: is a file, not a folder; give a folder to write into\n"
    assert target.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("command", [["query", "judgements"], ["export"], ["queries"]])
def test_a_full_standard_output_is_a_message(built, command):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    args = command + (["--graph", str(built)] if command != ["queries"] else [])
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "ofsted_kg", *args], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == EXIT_REJECTED
    assert done.stderr == "ofsted-kg: cannot write to standard output (No space left on device)\n"


def test_a_worker_does_not_outlive_its_killed_parent(built):
    """kill -9 of the command leaves no query running on (the worker dies with it)."""
    command = [sys.executable, "-m", "ofsted_kg", "query", "--sparql", CROSS_JOIN, "--graph", str(built)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (children.exists() and children.read_text().strip()):
        time.sleep(0.05)
    worker = int(children.read_text().split()[0])
    process.kill()
    process.wait()
    gone = time.monotonic() + 5
    while time.monotonic() < gone and Path(f"/proc/{worker}").exists():
        if (Path(f"/proc/{worker}/stat").read_text().split(")")[-1].split()[0]) == "Z":
            break  # a zombie: ended, waiting to be reaped by init
        time.sleep(0.05)
    alive = (
        Path(f"/proc/{worker}").exists() and Path(f"/proc/{worker}/stat").read_text().split(")")[-1].split()[0] != "Z"
    )
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive
