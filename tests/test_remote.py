"""A real triple store: an Oxigraph server (from the `oxigraph` package) started on 127.0.0.1 by the tests
and stopped by its process id. The graph is pushed with the Graph Store Protocol and asked with the SPARQL
1.1 Protocol: every saved query gives the rows the embedded store gives."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ofsted_kg import inlined, push, queries, remote, store
from ofsted_kg.cli import EXIT_OK, EXIT_USAGE, main

from conftest import NEWS_2022, SEEDS

PARAMETERS = {
    "council": ["Wolverhampton", "E08000031", "Walsall", "no such council"],
    "area": ["England", "West Midlands", "Wolverhampton"],
    "subject": ["https://w3id.org/ofsted-kg/id/inspection/E08000031-2022", "Andy Waugh", "http://a:b:c"],
}


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the Oxigraph server is not installed: pip install -e '.[test]'")
    return found


class _Store:
    """`oxigraph serve` on 127.0.0.1 with its data in a folder, stopped (and started again) by process id."""

    def __init__(self, location: Path):
        self.location = location
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self) -> None:
        command = [_oxigraph(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=5).read()
                return
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read()
                assert time.monotonic() < deadline, "the Oxigraph server did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        os.kill(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    @property
    def where(self) -> remote.Endpoint:
        return remote.endpoint(self.url + "/store")

    @property
    def endpoint(self) -> remote.RemoteStore:
        return remote.RemoteStore(remote.endpoint(self.url + "/query"), 60)


@pytest.fixture
def oxigraph(tmp_path):
    running = _Store(tmp_path / "oxigraph")
    yield running
    running.stop()


def _graph_copy(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "graph"
    shutil.copytree(built, copy)
    return copy


def _every_saved_query():
    for query in queries.saved_queries():
        if not query.parameters:
            yield query, {}
        for parameter in query.parameters:
            for value in PARAMETERS[parameter.name]:
                yield query, {parameter.name: value}


def _same_everywhere(local, far) -> int:
    compared = 0
    for query, params in _every_saved_query():
        try:
            here = queries.run(local, query, params)
        except queries.QueryError as error:  # (a bad IRI): refused alike
            with pytest.raises(queries.QueryError, match="not a valid IRI"):
                queries.run(far, query, params)
            assert "not a valid IRI" in str(error)
            continue
        there = queries.run(far, query, params)
        assert (there.variables, there.rows) == (here.variables, here.rows), (query.name, params)
        compared += len(here.rows)
    return compared


def test_every_saved_query_gives_the_same_rows_from_the_pushed_store(built, tmp_path, oxigraph):
    graph = _graph_copy(built, tmp_path)
    pushed = push.push(graph, oxigraph.where)
    local = store.open_store(graph)
    assert len(pushed.written) == 1 + sum(1 for _ in local.named_graphs())  # the default graph and each named one
    assert pushed.size > 0 and not pushed.deleted
    assert _same_everywhere(local, oxigraph.endpoint) > 100


def test_pushing_again_sends_nothing_and_all_sends_everything(built, tmp_path, oxigraph, capsys):
    graph = _graph_copy(built, tmp_path)
    assert main(["push", "--store", oxigraph.url + "/store", "--graph", str(graph)]) == EXIT_OK
    first = capsys.readouterr().out
    assert main(["push", "--store", oxigraph.url + "/store", "--graph", str(graph)]) == EXIT_OK
    again = capsys.readouterr().out
    assert main(["push", "--store", oxigraph.url + "/store", "--graph", str(graph), "--all"]) == EXIT_OK
    everything = capsys.readouterr().out
    graphs = 1 + sum(1 for _ in store.open_store(graph).named_graphs())
    assert f"{graphs} graphs written" in first and "0 graphs written" in again and f"{graphs} unchanged" in again
    assert f"{graphs} graphs written" in everything


def test_add_pushes_only_the_graphs_that_changed(tmp_path, oxigraph, capsys):
    graph = tmp_path / "graph"
    changed = tmp_path / "news" / NEWS_2022
    changed.parent.mkdir()
    text = (SEEDS / NEWS_2022).read_text(encoding="utf-8")
    assert main(["build", str(SEEDS), "--out", str(graph)]) == EXIT_OK
    assert main(["push", "--store", oxigraph.url + "/store", "--graph", str(graph)]) == EXIT_OK
    capsys.readouterr()
    # The article rewritten: its old graph goes, its new one comes, and what else it changes.
    changed.write_text(text.replace("Wolverhampton", "Wolverhampton ", 1), encoding="utf-8")
    assert main(["add", str(changed), "--graph", str(graph), "--push", oxigraph.url + "/store"]) == EXIT_OK
    out = capsys.readouterr().out
    summary = next(line for line in out.splitlines() if line.startswith("pushed to"))
    written = int(summary.split(": ")[1].split()[0])
    total = 1 + sum(1 for _ in store.open_store(graph).named_graphs())
    assert 2 <= written < total and "1 deleted" in summary, summary
    assert _same_everywhere(store.open_store(graph), oxigraph.endpoint) > 100


def test_a_store_that_goes_away_mid_push_is_said_and_a_later_push_finishes(built, tmp_path, oxigraph, monkeypatch):
    monkeypatch.setattr(push, "BACKOFF", 0.01)
    graph = _graph_copy(built, tmp_path)

    def stop_after_the_first(done, total):
        if done == 1:
            oxigraph.stop()  # by its process id, with graphs still to send

    with pytest.raises(push.PushError) as failure:
        push.push(graph, oxigraph.where, connections=1, progress=stop_after_the_first)
    message = str(failure.value)
    total = 1 + sum(1 for _ in store.open_store(graph).named_graphs())
    assert f"{total - 1} of {total} graphs were not written" in message
    assert "1 were written" in message and "cannot reach the store" in message and "Push again" in message
    oxigraph.start()
    finished = push.push(graph, oxigraph.where)
    assert len(finished.written) == total - 1 and finished.unchanged == 1
    assert _same_everywhere(store.open_store(graph), oxigraph.endpoint) > 100


def test_a_store_slower_than_the_push_timeout_is_said_by_graph(built, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(push, "BACKOFF", 0.01)
    graph = _graph_copy(built, tmp_path)
    with socket.socket() as silent:  # takes connections and the graphs sent, and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        began = time.monotonic()
        code = main(["push", "--store", url, "--graph", str(graph), "--timeout", "0.5", "--connections", "8"])
        took = time.monotonic() - began
    total = 1 + sum(1 for _ in store.open_store(graph).named_graphs())
    said = capsys.readouterr().err
    assert code != EXIT_OK and f"{total} of {total} graphs were not written" in said and "timed out" in said
    assert took < 30  # each graph given up after its tries at 0.5 s, not at the default 120 s


def test_a_query_s_form_is_read_in_linear_time_whatever_its_text():
    import time

    from ofsted_kg.remote import _FORM

    began = time.monotonic()
    for hostile in (
        " " * 5000 + "x",
        "#\n" * 5000 + "x",
        "#" * 5000 + "x",
        "PREFIX a: <a> " * 500 + "x",
        " \n\t" * 3000,
    ):
        assert _FORM.match(hostile) is None
    assert time.monotonic() - began < 1  # (it was exponential in a run of spaces: 3 s at 24)
    head = "# a comment\nPREFIX okg: <https://w3id.org/ofsted-kg/def#>\nBASE <http://x/>\n  construct { ?s ?p ?o } WHERE {}"
    assert _FORM.match(head).group(1).upper() == "CONSTRUCT"
    assert _FORM.match("PREFIX a: <urn:a>\nSELECT * WHERE {}").group(1) == "SELECT"


def test_credentials_are_sent_but_never_shown_or_kept(built, tmp_path, oxigraph, capsys):
    graph = _graph_copy(built, tmp_path)
    with_password = oxigraph.url.replace("http://", "http://reader:s3cret@") + "/store"
    where = remote.endpoint(with_password)
    assert where.headers["Authorization"] == "Basic cmVhZGVyOnMzY3JldA=="
    assert "s3cret" not in str(where) and "s3cret" not in repr(where)
    assert main(["push", "--store", with_password, "--graph", str(graph), "--header", "X-Token: t0ken"]) == EXIT_OK
    out, err = capsys.readouterr()
    kept = "".join(p.read_text() for p in (graph / push.RECORD).iterdir())
    for secret in ("s3cret", "t0ken"):
        assert secret not in out + err + kept


def test_an_unreachable_or_refusing_endpoint_is_one_message(built, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    assert main(["query", "judgements", "--endpoint", f"http://127.0.0.1:{port}/query"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("ofsted-kg: query judgements: cannot reach http://127.0.0.1:") and "\n" == err[-1]
    assert err.count("\n") == 1
    assert main(["query", "judgements", "--endpoint", "ftp://example.org/q"]) == EXIT_USAGE
    assert "is not an http(s) URL" in capsys.readouterr().err


def test_a_malformed_query_is_refused_by_the_store_with_its_reason(oxigraph, capsys):
    code = main(["query", "--sparql", "SELECT * WHERE { ?s", "--endpoint", oxigraph.url + "/query"])
    assert code == EXIT_USAGE
    assert "malformed SPARQL" in capsys.readouterr().err


def test_viz_draws_the_same_picture_from_the_store(built, tmp_path, oxigraph):
    graph = _graph_copy(built, tmp_path)
    push.push(graph, oxigraph.where)
    here, there = tmp_path / "here", tmp_path / "there"
    assert main(["viz", "services", "--graph", str(graph), "--out", str(here)]) == EXIT_OK
    assert main(["viz", "services", "--endpoint", oxigraph.url + "/query", "--out", str(there)]) == EXIT_OK
    for name in ("services.html", "services.svg"):
        assert (here / name).read_bytes() == (there / name).read_bytes()


@pytest.mark.parametrize(("query", "params"), list(_every_saved_query()), ids=lambda x: getattr(x, "name", str(x)))
def test_a_parameter_written_into_the_text_gives_what_binding_it_gives(built, query, params):
    local = store.open_store(built)
    try:
        bound = queries.run(local, query, params)
    except queries.QueryError:
        with pytest.raises(queries.QueryError):
            inlined.inline(query.text, params)
        return
    text = inlined.inline(query.text, params)
    assert "param_" not in text.split("\n", 10)[-1] or "?param_" not in text
    written = queries.run(local, queries.SavedQuery(query.name, "", "", (), text), {})
    assert (written.variables, written.rows) == (bound.variables, bound.rows)


def test_nothing_breaks_out_of_a_written_parameter():
    text = 'SELECT ?x ?param_v WHERE { ?x <urn:p> ?param_v . FILTER (?param_v != "?param_v") } GROUP BY ?param_v ?x'
    hostile = '" } ; DROP ALL ; SELECT * { "'
    written = inlined.inline(text, {"v": hostile})
    assert written.count('"\\" } ; DROP ALL ; SELECT * { \\""') == 3  # each time a string, escaped
    import pyoxigraph as ox

    assert list(ox.Store().query(written)) == []  # one SELECT, which runs
    assert '"?param_v"' in written  # inside a string: left alone
    assert written.startswith("SELECT ?x  WHERE") and "GROUP BY (" in written


def test_the_web_pages_over_a_remote_store_are_those_over_the_folder(built, tmp_path, oxigraph):
    from starlette.testclient import TestClient

    from ofsted_kg.web.app import create_app

    graph = _graph_copy(built, tmp_path)
    push.push(graph, oxigraph.where)
    here = TestClient(create_app(graph))
    there = TestClient(create_app(tmp_path / "no folder", source=oxigraph.endpoint))
    for path in ("/queries/judgements", "/queries/council-timeline?council=E08000031", "/search?q=wolverhampton"):
        assert there.get(path).text == here.get(path).text, path
    council = there.get("/id/council/E08000031", headers={"Accept": "text/html"})
    assert council.status_code == 200 and "Outstanding" in council.text and "2022-03-28" in council.text
    services = there.get("/services", params={"council": "E08000031"})
    assert services.status_code == 200 and "MASH24" in services.text
    count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "csv"}
    assert there.get("/sparql", params=count).text == here.get("/sparql", params=count).text


def test_a_record_that_links_elsewhere_is_neither_followed_nor_written(built, tmp_path, oxigraph):
    graph = _graph_copy(built, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (graph / push.RECORD).symlink_to(elsewhere)  # a graph folder from someone else
    first = push.push(graph, oxigraph.where)
    again = push.push(graph, oxigraph.where)
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert len(again.written) == len(first.written) > 0  # and no record read through it: all sent again


def test_an_answer_longer_than_the_memory_allows_is_refused(built, tmp_path, oxigraph, capsys):
    push.push(_graph_copy(built, tmp_path), oxigraph.where)
    every = ["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", oxigraph.url + "/query"]
    assert main([*every, "--max-memory", "4"]) == EXIT_USAGE  # 1 MB of answer at most; the graph's is more
    assert "is longer than 1 MB (--max-memory MB)" in capsys.readouterr().err
    assert main([*every, "--max-memory", "4000", "--format", "csv"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) > 10_000
