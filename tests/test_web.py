"""`ofsted-kg serve`: the SPARQL 1.1 Protocol endpoint and the saved queries as pages, in process (Starlette's
test client) and as a real server started by the tests on 127.0.0.1 and stopped by its process id."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.testclient import TestClient

from ofsted_kg.bounded import Limits
from ofsted_kg.web.app import create_app
from ofsted_kg.web.protocol import MAX_QUERY_BYTES

from helpers import browse

JUDGEMENTS_2022 = """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?area ?grade WHERE {
  ?j okg:inspection <https://w3id.org/ofsted-kg/id/inspection/E08000031-2022> ;
     okg:area/skos:notation ?area ; okg:grade/skos:notation ?grade .
} ORDER BY ?area"""
EXPECTED_2022 = [
    ("ilacs-help-and-protection", "good"),
    ("ilacs-in-care-and-care-leavers", "good"),
    ("ilacs-leaders", "outstanding"),
    ("ilacs-overall", "good"),
]
CONSTRUCT = """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
CONSTRUCT { ?i okg:leadInspector ?p } WHERE { ?i okg:leadInspector ?p }"""
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def client(built):
    return TestClient(create_app(built))


def _get(client, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


def test_a_select_answers_in_json_by_default(client):
    response = _get(client, JUDGEMENTS_2022)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.headers["access-control-allow-origin"] == "*"
    bindings = response.json()["results"]["bindings"]
    assert [(b["area"]["value"], b["grade"]["value"]) for b in bindings] == EXPECTED_2022


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv"),  # the one it can give, of those asked for
    ],
)
def test_the_format_is_negotiated(client, accept, media):
    response = _get(client, JUDGEMENTS_2022, accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.headers["vary"] == "Accept"
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert [tuple(r) for r in rows] == [("area", "grade"), *EXPECTED_2022]
    elif media == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(response.text)
        got = [tuple(b.find("r:literal", ns).text for b in result) for result in root.iter(f"{{{ns['r']}}}result")]
        assert got == EXPECTED_2022
    else:
        assert response.text.splitlines()[0] == "?area\t?grade"


def test_a_format_parameter_for_links(client):
    response = _get(client, JUDGEMENTS_2022, "application/sparql-results+json", format="csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[1] == "ilacs-help-and-protection,good"


def test_construct_gives_a_graph_in_each_rdf_format(client):
    lead = (
        "https://w3id.org/ofsted-kg/id/inspection/E08000031-2022",
        "https://w3id.org/ofsted-kg/id/person/andy-waugh",
    )
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        response = _get(client, CONSTRUCT, accept)
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept), accept
        graph = Graph().parse(data=response.text, format=fmt)
        assert lead in {(str(s), str(o)) for s, _, o in graph}, accept


def test_post_as_a_form_and_as_a_query_body(client):
    form = client.post("/sparql", data={"query": JUDGEMENTS_2022}, headers={"Accept": "text/csv"})
    body = client.post(
        "/sparql",
        content=JUDGEMENTS_2022.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert form.status_code == body.status_code == 200
    assert form.text == body.text and "ilacs-leaders,outstanding" in form.text


def test_a_malformed_query_is_400_with_its_line_and_column(client):
    response = _get(client, "SELECT ?x WHERE {\n  ?x ?y }}")
    assert response.status_code == 400
    assert "line 2, column" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_what_may_not_run_here_is_refused(client, query):
    response = _get(client, query)
    assert response.status_code == 403, response.text
    assert "refused" in response.text


def test_updates_by_the_protocol_are_refused(client):
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    update = client.post("/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert update.status_code == 403


def test_an_unknown_format_is_406_and_an_over_long_query_413(client):
    assert _get(client, JUDGEMENTS_2022, "image/png").status_code == 406
    assert _get(client, JUDGEMENTS_2022, format="pdf").status_code == 406
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES
    assert client.post("/sparql", data={"query": long}).status_code == 413
    assert (
        client.post("/sparql", content=long.encode(), headers={"Content-Type": "application/sparql-query"}).status_code
        == 413
    )


def test_the_service_description_and_cors_preflight(client):
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph().parse(data=description.text, format="turtle")
    assert {str(o) for o in graph.objects(None, sd.endpoint)} == {"http://testserver/sparql"}
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph
    # The saved queries, as SHACL SPARQL executables with their titles and descriptions.
    from rdflib.namespace import RDFS, SH

    judgements = URIRef("http://testserver/queries/judgements")
    assert (judgements, RDF.type, SH.SPARQLSelectExecutable) in graph
    assert str(graph.value(judgements, RDFS.label)) == "Judgements"
    assert "SELECT ?council" in str(graph.value(judgements, SH.select))
    assert len(set(graph.subjects(RDF.type, SH.SPARQLSelectExecutable))) == 15
    preflight = client.options("/sparql")
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    assert "text/html" in client.get("/sparql", headers={"Accept": "text/html"}).headers["content-type"]


def test_a_runaway_query_is_stopped_with_503_and_the_next_one_answers(built):
    client = TestClient(create_app(built, Limits(seconds=1.0, rows=1000, memory_mb=1024)))
    started = time.monotonic()
    stopped = _get(client, CROSS_JOIN)
    assert stopped.status_code == 503 and "stopped after 1 s" in stopped.text
    assert time.monotonic() - started < 10
    assert _get(client, JUDGEMENTS_2022).status_code == 200
    too_many = _get(client, "SELECT * WHERE { ?s ?p ?o }")
    assert too_many.status_code == 503 and "more than 1,000 rows" in too_many.text


def test_the_saved_queries_as_pages(client):
    listed = client.get("/queries")
    assert listed.status_code == 200 and "Conflicts between sources" in listed.text
    page = client.get("/queries/judgements")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "2022-03-28" in page.text and "Outstanding" in page.text and "2022-03-21" not in page.text
    assert 'href="?format=csv"' in page.text
    form = client.get("/queries/council-timeline")
    assert '<input name="council"' in form.text and "<table>" not in form.text
    filled = client.get("/queries/council-timeline", params={"council": "Wolverhampton"})
    assert "Nigel Parkes" in filled.text and "<table>" in filled.text
    download = client.get("/queries/council-timeline", params={"council": "E08000031", "format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert download.text.splitlines()[0] == "council,inspection,framework,start_date,overall_grade,lead_inspector"
    assert client.get("/queries/nope").status_code == 404
    assert "Saved queries" in client.get("/").text


def test_a_page_for_every_resource_with_its_evidence(client):
    """An inspection's page: its statements in words, each with the quoted words and the document behind
    it, the value the graph stands by marked where sources disagree, and what points to it."""
    page = client.get("/id/inspection/E08000031-2022", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.headers["vary"] == "Accept" and 'rel="alternate"; type="text/turtle"' in page.headers["link"]
    text = " ".join(page.text.split())
    assert "<h1>Wolverhampton inspection 2022</h1>" in text
    assert (
        '<q>28 March to 1 April 2022</q> <span class="source">004_2e199a0b395a00af.txt (Ofsted inspection report)'
        in text
    )
    stood_by = text.index("<strong>the graph stands by:</strong> 2022-03-28")
    assert text.index("<em>another source's claim:</em> 2022-03-21") < stood_by  # both shown, marked
    assert '<a href="/id/council/E08000031">Wolverhampton</a>' in text
    assert '<a href="/id/inspection/E08000031-2022/judgement/ilacs-leaders">' in text  # its judgements (pages.py)
    judgement = " ".join(
        client.get(
            "/id/inspection/E08000031-2022/judgement/ilacs-leaders", headers={"Accept": "text/html"}
        ).text.split()
    )
    assert 'of <a href="/id/inspection/E08000031-2022/finding/' in judgement  # a finding points to its judgement


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_a_resource_in_rdf_by_content_negotiation(client, accept, fmt):
    response = client.get("/id/council/E08000031", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=fmt)
    gss = {str(o) for s, p, o in graph if str(p).endswith("gssCode")}
    assert gss == {"E08000031"}
    assert (
        client.get("/id/council/E08000031", params={"format": "nt"})
        .headers["content-type"]
        .startswith("application/n-triples")
    )


def test_an_unknown_resource_is_404(client):
    assert client.get("/id/council/E99999999", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/id/council/E99999999", headers={"Accept": "text/turtle"}).status_code == 404


def test_search_finds_councils_by_name_or_code_and_people_services_inspections(client):
    def found(q):
        page = client.get("/search", params={"q": q})
        assert page.status_code == 200
        return re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <small>(\w+)', page.text)

    assert found("wolverhampton")[0] == ("/id/council/E08000031", "Wolverhampton", "council")  # the name itself first
    assert ("/id/inspection/E08000031-2022", "Wolverhampton inspection 2022", "inspection") in found("Wolverhampton")
    assert found("E08000031") == [("/id/council/E08000031", "Wolverhampton", "council")]
    assert found("andy waugh") == [("/id/person/andy-waugh", "Andy Waugh", "person")]
    assert ("/id/service/E08000031/mash24", "MASH24", "service") in found("mash")
    assert found("no such thing anywhere") == []
    assert 'action="/search"' in client.get("/").text


def test_hostile_addresses_and_accept_headers_get_answers_not_errors(client):
    # A type refused with q=0 is not given for a wildcard.
    refused = _get(client, JUDGEMENTS_2022, "application/sparql-results+json;q=0, */*;q=0.1")
    assert refused.status_code == 200 and refused.headers["content-type"].startswith("application/sparql-results+xml")
    # What looks like an IRI but is none: a 404 or a 400 saying so, never a server error.
    assert client.get("/id/a%5Bb", headers={"Accept": "text/html"}).status_code == 404
    # A resource's address is written into the server's query as an IRI: nothing may break out of it.
    for hostile in ("x%3E%20%7D%20CONSTRUCT%20%7B", "x%3E%20.%20%3Fa%20%3Fb%20%3Fc%20%7D%20%23"):
        assert client.get(f"/id/{hostile}", headers={"Accept": "text/html"}).status_code == 404
        assert client.get(f"/id/{hostile}", headers={"Accept": "text/turtle"}).status_code == 404
    odd = client.get("/search", params={"q": "http://a:b:c <x> } #"})  # words searched for, never a query
    assert odd.status_code == 200 and "Nothing in the graph is named so" in odd.text
    assert client.get("/queries/evidence", params={"subject": "http://a:b:c"}).status_code == 400
    # A saved query's resources link to their pages on this server.
    subject = "https://w3id.org/ofsted-kg/id/inspection/E08000031-2022"
    page = client.get("/queries/evidence", params={"subject": subject}).text
    assert 'href="/id/' in page and 'href="https://w3id.org' not in page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """`ofsted-kg serve` as a process on 127.0.0.1, stopped by its process id."""

    def __init__(self, graph):
        self.port = _free_port()
        command = [sys.executable, "-m", "ofsted_kg", "serve", "--graph", str(graph), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> bytes:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(self.url + path, timeout=10) as response:
                    return response.read()
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)

    def said(self, start: str, seconds: float) -> str:
        """The first line the server writes to its standard error that starts with `start`."""
        deadline = time.monotonic() + seconds
        while select.select([self.process.stderr], [], [], max(0.0, deadline - time.monotonic()))[0]:
            line = self.process.stderr.readline()
            if line.startswith(start) or not line:
                return line
        raise AssertionError(f"the server did not say {start!r} within {seconds:g} s")

    def stop(self) -> str:
        os.kill(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)
        return self.process.stdout.read()


@pytest.fixture(scope="module")
def server(built):
    running = _Server(built)
    yield running
    running.stop()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return not stat.read().split(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return False


def test_a_real_server(built):
    running = _Server(built)
    try:
        answer = json.loads(running.get("/sparql?" + urllib.parse.urlencode({"query": JUDGEMENTS_2022})))
        assert len(answer["results"]["bindings"]) == 4
        # It reads the graph into memory meanwhile, and says so (`--on-disk` not given); then its pages'
        # workers are forked afresh, when next asked for.
        said = running.said("the graph is in memory", 60)
        assert b"Wolverhampton" in running.get("/id/council/E08000031")
        assert b"Andy Waugh" in running.get("/queries/council-timeline?council=E08000031")  # (not made ahead)
        workers = _children(running.process.pid)
        assert len(workers) >= 2  # the endpoint's lane and the pages' lane
    finally:
        out = running.stop()
    assert f"serving {built} at http://127.0.0.1:{running.port}/" in out
    assert said.startswith("the graph is in memory (") and said.endswith("s): the pages are made from it\n")
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the server"


def test_a_real_server_under_load_answers_every_request(built, capsys):
    """20 clients for 10 s on 127.0.0.1: councils' and inspections' pages, every saved query, the endpoint,
    search, and a runaway query now and then (benchmarks/serve.py, which prints the latencies)."""
    spec = importlib.util.spec_from_file_location(
        "serve_benchmark", Path(__file__).parents[1] / "benchmarks" / "serve.py"
    )
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    result = benchmark.run(built, clients=20, seconds=10, timeout=2.0)
    statuses = result["statuses"]
    assert not [key for key in statuses if key[1] == "no answer"], statuses
    assert {status for (kind, status) in statuses if kind != "runaway"} == {200}, statuses
    assert {status for (kind, status) in statuses if kind == "runaway"} == {503}, statuses
    kinds = {kind for kind, _ in statuses}
    assert kinds == {"council page", "inspection page", "saved query page", "endpoint", "search", "runaway"}
    with capsys.disabled():
        benchmark.report(result, 20, 10)


def test_the_editor_runs_a_saved_query_in_a_browser(server, tmp_path):
    server.get("/")  # started
    dom = browse(
        server.url + "/sparql?example=judgements#run", tmp_path / "profile", local_server=True, budget_ms=15000
    )
    assert 'data-ready="true"' in dom and 'data-drawn="true"' in dom
    assert re.search(r'<pre id="errors" hidden="">\s*</pre>', dom), "the editor's script reported errors"
    assert "Wolverhampton inspection 2022" in dom and "2022-03-28" in dom


def test_a_long_table_is_shown_a_page_at_a_time_and_downloaded_whole(built, monkeypatch):
    from ofsted_kg.web import app as web_app

    monkeypatch.setattr(web_app, "PAGE_ROWS", 3)
    paged = TestClient(create_app(built))
    whole = list(csv.reader(io.StringIO(paged.get("/queries/judgements", params={"format": "csv"}).text)))[1:]
    assert len(whole) > 6

    def shown(number):
        page = paged.get("/queries/judgements", params={"page": number})
        assert page.status_code == 200
        return page.text, re.findall(r"<tr><td>(.*?)</td></tr>", page.text)

    first, rows1 = shown(1)
    second, rows2 = shown(2)
    assert len(rows1) == len(rows2) == 3 and rows1 != rows2
    assert f"Rows 1 to 3 of {len(whole)}" in first and 'rel="next" href="?page=2"' in first
    assert 'rel="prev" href="?page=1"' in second
    last_number = -(-len(whole) // 3)
    last, _ = shown(10**5)  # past the end: the last page
    assert f"page {last_number} of {last_number}" in last and 'rel="next"' not in last
    bad = paged.get("/queries/judgements", params={"page": "two"})
    assert bad.status_code == 400 and "page must be a whole number" in bad.text


def test_a_page_is_made_whole_by_one_worker(built):
    # A council's or an inspection's page asks three queries; asked one by one of the pool, each waited in
    # its queue, and a page took three waits under load. One request makes the whole page.
    app = create_app(built)
    with TestClient(app) as client:
        real, asked = app.state.answers._pool.call, []
        app.state.answers._pool.call = lambda request: asked.append(request) or real(request)
        for path, words in (("/id/council/E08000031", "Wolverhampton"), ("/id/inspection/E08000031-2022", "Good")):
            asked.clear()
            page = client.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 200 and words in page.text
            assert len(asked) == 1, asked
        asked.clear()
        assert client.get("/id/council/E08000031", headers={"Accept": "text/html"}).status_code == 200
        assert asked == []  # kept
        missing = client.get("/id/council/E99999999", headers={"Accept": "text/html"})
        assert missing.status_code == 404 and len(asked) == 1
        again = client.get("/id/council/E99999999", headers={"Accept": "text/html"})
        assert again.status_code == 404 and len(asked) == 1  # what the graph does not hold is kept too


def test_the_pages_of_councils_and_inspections_are_made_ahead_and_kept(built):
    council = "https://w3id.org/ofsted-kg/id/council/E08000031"
    inspection = "https://w3id.org/ofsted-kg/id/inspection/E08000031-2022"
    fresh = TestClient(create_app(built)).get("/id/council/E08000031", headers={"Accept": "text/html"}).text
    app = create_app(built, warm=True)
    with TestClient(app) as warmed:
        kept = app.state.answers.written
        deadline = time.monotonic() + 60
        while kept.get(("page", council)) is None or kept.get(("page", inspection)) is None:
            assert time.monotonic() < deadline, "the pages were not made ahead"
            time.sleep(0.2)
        while not app.state.warmed:  # (it goes on to the saved queries of each council)
            assert time.monotonic() < deadline, "the server did not finish asking ahead"
            time.sleep(0.2)

        def no_query(request):
            raise AssertionError(f"a query was run for a page made ahead: {request[0].name}")

        app.state.answers._pool.call = no_query
        page = warmed.get("/id/council/E08000031", headers={"Accept": "text/html"})
        assert page.status_code == 200 and page.text == fresh


def test_the_saved_queries_of_each_council_and_area_are_asked_ahead(built):
    from ofsted_kg import queries
    from ofsted_kg.web.answers import _key

    saved = {q.name: q for q in queries.saved_queries()}
    wanted = [(saved["council-timeline"], {"council": "Wolverhampton"}), (saved["ratings"], {"area": "West Midlands"})]
    wanted.append((saved["ratings"], {"area": "England"}))
    fresh = TestClient(create_app(built)).get("/queries/council-timeline", params={"council": "Wolverhampton"}).text
    app = create_app(built, warm=True)
    with TestClient(app) as warmed:
        kept = app.state.answers.kept
        deadline = time.monotonic() + 90
        while any(kept.get(_key(q, p)) is None for q, p in wanted) or not app.state.warmed:
            assert time.monotonic() < deadline, "the saved queries of a council and an area were not asked ahead"
            time.sleep(0.2)

        def no_query(request):
            raise AssertionError(f"a query was run for a saved query asked ahead: {request[0].name}")

        app.state.answers._pool.call = no_query
        page = warmed.get("/queries/council-timeline", params={"council": "Wolverhampton"})
        assert page.status_code == 200 and page.text == fresh and "Wolverhampton inspection 2022" in page.text
        area = warmed.get("/queries/ratings", params={"area": "West Midlands"})
        assert area.status_code == 200 and "Wolverhampton" in area.text and "1 rows" in area.text


def _hold_warm_up(app, held=lambda request: True):
    """Events (stuck, release): the warm-up's worker, on the first request it makes that `held` picks, waits
    until the test releases it."""
    import threading

    stuck, release = threading.Event(), threading.Event()
    real = app.state.warming._pool.call

    def slow(request):
        if held(request) and not stuck.is_set():
            stuck.set()
            release.wait(60)
        return real(request)

    app.state.warming._pool.call = slow
    return stuck, release


def test_the_warm_up_runs_in_its_own_lane_and_holds_up_no_client(built):
    app = create_app(built, warm=True)
    assert app.state.warming is not app.state.answers and app.state.warming.nice > app.state.answers.nice
    stuck, release = _hold_warm_up(app)  # busy with its first query for as long as the test wants
    with TestClient(app) as client:
        assert stuck.wait(30), "the warm-up did not start"
        began = time.monotonic()
        page = client.get("/id/council/E08000031", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Wolverhampton" in page.text
        assert time.monotonic() - began < 20  # answered by the pages' lane while the warm-up's is stuck
        release.set()
        deadline = time.monotonic() + 90
        while not app.state.warmed:
            assert time.monotonic() < deadline, "the warm-up did not finish"
            time.sleep(0.2)
        # What the warm-up made (in its own lane) is kept where the pages' lane finds it.
        assert app.state.answers.written.get(("page", "https://w3id.org/ofsted-kg/id/inspection/E08000031-2022"))


def test_a_worker_dying_during_the_warm_up_does_not_end_the_server(built):
    from ofsted_kg.bounded import WorkerDied

    app = create_app(built, warm=True)
    pool = app.state.warming._pool  # (the warm-up's own lane)
    real, died = pool.call, []

    def dies_once(request):
        if not died:
            died.append(request)
            raise WorkerDied("a worker ended without an answer")
        return real(request)

    pool.call = dies_once
    with TestClient(app) as client:
        deadline = time.monotonic() + 90
        while not app.state.warmed:
            assert time.monotonic() < deadline, "the warm-up stopped when a worker died"
            time.sleep(0.2)
        assert len(died) == 1 and died[0].iri.startswith("https://w3id.org/ofsted-kg/id/council/")  # its first
        page = client.get("/id/council/E08000031", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Wolverhampton" in page.text
        found = client.get("/search", params={"q": "Wolverhampton"})  # the labels, asked again when needed
        assert found.status_code == 200 and "/id/council/E08000031" in found.text


def test_what_every_first_client_needs_is_made_before_the_first_request(built):
    # The labels the search box scans, the home page's counts and the saved queries without parameters, on
    # the pages' own lane: not left to the warm-up (held here), which yields the CPU to every client.
    from ofsted_kg.queries import saved_queries

    app = create_app(built, warm=True)
    stuck, release = _hold_warm_up(app)
    try:
        with TestClient(app):
            kept = {key[0] for key in app.state.answers.kept._values}
            release.set()  # (before the server stops, which waits for its warm-up)
            for query in (q for q in saved_queries() if not q.parameters):
                assert query.text in kept, query.name
            for own in ("labels", "counts", "councils"):
                assert (Path(create_app.__code__.co_filename).parent / "queries" / f"{own}.rq").read_text() in kept, own
    finally:
        release.set()


def test_a_client_does_not_wait_for_what_the_warm_up_is_making(built):
    app = create_app(built, warm=True)
    # (the warm-up's worker, busy with a council's timeline: the saved queries without parameters are made
    # before the server takes its first request, on the pages' own lane)
    stuck, release = _hold_warm_up(
        app, lambda request: isinstance(request, tuple) and request[0].name == "council-timeline"
    )
    with TestClient(app) as client:
        assert stuck.wait(30), "the warm-up did not reach the saved queries"
        began = time.monotonic()
        page = client.get("/queries/council-timeline", params={"council": "Wolverhampton"})
        took = time.monotonic() - began
        release.set()
        deadline = time.monotonic() + 90
        while not app.state.warmed:  # (the warm-up ends before its lane is closed)
            assert time.monotonic() < deadline, "the warm-up did not finish"
            time.sleep(0.2)
    assert page.status_code == 200 and "Andy Waugh" in page.text and "Nigel Parkes" in page.text
    assert took < 20  # made on the client's own lane, not waited for on the stuck warm-up's
