"""The server's pages of a council and of an inspection, the services view as a page, and the home page:
in process (Starlette's test client) on the seed graph, and in headless Chromium with the network cut off."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from starlette.testclient import TestClient

from ofsted_kg import store
from ofsted_kg.build import build
from ofsted_kg.web.app import create_app
from test_web import _Server

from conftest import REPORT_2022
from helpers import select

COUNCIL = "/id/council/E08000031"
INSPECTION = "/id/inspection/E08000031-2022"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(built):
    return TestClient(create_app(built))


def _text(page: str) -> str:
    """A page's words, tags and runs of white space gone."""
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace("&#39;", "'")
    return re.sub(r"\( ", "(", re.sub(r" ([:,;)])", r"\1", words))  # no space a tag left before a stop


def test_a_council_page_shows_its_inspections_grades_and_what_follows(client, seed_build):
    page = client.get(COUNCIL, headers=HTML)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    text = _text(page.text)
    # The inspections over time, with their dates as the report gives them (the date the graph stands by,
    # the news article's other date marked as a claim), and their grades.
    assert text.index("Wolverhampton inspection 2011") < text.index("Wolverhampton inspection 2017")
    assert "2017-01-16 to 2017-02-09" in text and "2022-03-28 to 2022-04-01 also claimed: 2022-03-21" in text
    assert "The impact of leaders on social work practice with children and families: Outstanding" in text
    assert (
        "The experiences and progress of children who need help and protection: Requires improvement to be good" in text
    )
    # The chart: one mark per graded judgement, as many as the graph holds.
    judgements = select(
        seed_build.graph,
        """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
        SELECT DISTINCT ?j WHERE { ?j okg:inspection/okg:inspectedAuthority ?c ; okg:grade ?g .
        ?c okg:gssCode "E08000031" }""",
    )
    assert page.text.count('class="mark"') == len(judgements) == 13
    # The latest ratings: the 2022 inspection's judgements.
    latest = text[text.index("Latest ratings") : text.index("Inspections over time")]
    assert "Wolverhampton inspection 2022" in latest and "Outstanding" in latest and "2017" not in latest
    # Recommendations with the actions that answer them; people and posts; services.
    assert "Recommendation 11 (to Wolverhampton): Ensure that once children are placed with adoptive" in text
    assert "Action 11: Ensure that once children are placed with adoptive families" in text
    assert "(led by Alison Hinds) completed" in text
    assert "Recommendation 1 (to Wolverhampton Safeguarding Children’s Board)" in text
    assert "Andy Waugh: lead inspector, Wolverhampton inspection 2022" in text
    assert "Linda Sanders: Strategic Director - People" in text
    assert '<a href="/id/service/E08000031/mash24">MASH24</a>' in page.text
    assert 'href="/services?council=E08000031"' in page.text


def test_an_inspection_page_shows_judgements_findings_sources_and_disagreement(client):
    page = client.get(INSPECTION, headers=HTML)
    assert page.status_code == 200
    text = _text(page.text)
    # Its judgements, each grade with the words and the document that give it.
    judgements = text[text.index("Judgements") :]
    assert judgements.index("Overall effectiveness: Good") < judgements.index("The impact of leaders")
    assert '<q>Good</q> <span class="source">004_2e199a0b395a00af.txt (Ofsted inspection report)' in page.text
    # Findings under their judgement: a strength of help and protection, under that judgement only.
    help_and_protection = judgements.index(
        "The experiences and progress of children who need help and protection: Good"
    )
    leaders = judgements.index("The impact of leaders on social work practice with children and families: Outstanding")
    finding = judgements.index("Effective domestic abuse triage arrangements are taking place daily")
    assert help_and_protection < finding < leaders or leaders < help_and_protection < finding
    assert text.count("Effective domestic abuse triage arrangements are taking place daily") == 1
    # Its points to improve; its sources; where they disagree, the value stood by and why.
    assert "Area for improvement 1" in text
    sources = text[text.index("Sources Document") :]
    for document in ("004_2e199a0b395a00af.txt Ofsted inspection report", "001_07b306a44f2bbefb.txt News article"):
        assert document in sources
    assert "the graph stands by 2022-03-28" in text and "also claimed: 2022-03-21 by News article" in text
    assert "<strong>the graph stands by:</strong> 2022-03-28" in page.text  # the statements, marked


def test_other_resources_keep_the_generic_page_and_rdf_is_unchanged(client):
    person = client.get("/id/person/andy-waugh", headers=HTML)
    assert person.status_code == 200 and "<h1>Andy Waugh</h1>" in person.text and 'class="mark"' not in person.text
    turtle = client.get(COUNCIL, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and "E08000031" in turtle.text and "<html" not in turtle.text


def test_the_services_view_for_a_council_a_region_and_england(client):
    council = client.get("/services", params={"council": "E08000031"})
    assert council.status_code == 200 and "<h1>Services of Wolverhampton</h1>" in council.text
    for label in ("MASH24", "virtual school", "Strengthening Families Hubs", "Wolverhampton"):
        assert f'data-label="{label}"' in council.text
    assert '<a href="/id/service/E08000031/mash24">' in council.text  # a node's name opens its page
    assert 'data-kind="council"' in council.text and ">service of<" in council.text  # linked to the council
    assert re.search(r'data-quote="[^"]+"', council.text)  # hover quotes
    assert 'id="legend"' in council.text and 'id="search"' in council.text
    region = client.get("/services", params={"region": "west midlands"})
    assert region.status_code == 200 and "Services in West Midlands" in region.text and "MASH24" in region.text
    england = client.get("/services")
    assert england.status_code == 200 and "Services in England" in england.text and "MASH24" in england.text
    assert not re.search(r"""<(?:script|link|img)[^>]+(?:src|href)\s*=\s*["']?(?:https?:)?//""", council.text)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"council": "x"}, 400),
        ({"council": "E08000031", "region": "West Midlands"}, 400),
        ({"region": "<script>"}, 400),
        ({"region": "x" * 500}, 400),
        ({"council": "E99999999"}, 404),
        ({"region": "Atlantis"}, 404),
    ],
)
def test_the_services_view_answers_odd_parameters_with_4xx(client, params, status):
    response = client.get("/services", params=params)
    assert response.status_code == status and "<script>" not in response.text


def test_hostile_resource_addresses_still_get_4xx(client):
    for path in ("/id/council/E08000031%3E%20%7D", "/id/inspection/%22%3E", "/id/council/E08000031/../x"):
        assert client.get(path, headers=HTML).status_code == 404


def test_the_home_page_shows_counts_councils_and_search(client):
    page = client.get("/")
    text = _text(page.text)
    assert "3 inspections" in text and "13 judgements" in text and "5 source documents" in text
    assert '<a href="/id/council/E08000031">Wolverhampton</a>' in page.text
    assert 'action="/search"' in page.text and 'href="/queries/judgements"' in page.text
    assert 'href="/services?region=West%20Midlands"' in page.text


def test_the_council_page_follows_a_changed_grade(seed_copy, tmp_path):
    """A grade changed in (a copy of) the report: the council's page shows the new grade, stood by."""
    path = seed_copy / REPORT_2022
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("with children and families\tOutstanding", "with children and families\tRequires improvement to be good"),
        ("with children and families: outstanding", "with children and families: requires improvement to be good"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    store.write(build([seed_copy]), tmp_path / "graph")
    page = _text(TestClient(create_app(tmp_path / "graph")).get(COUNCIL, headers=HTML).text)
    latest = page[page.index("Latest ratings") : page.index("Inspections over time")]
    assert (
        "The impact of leaders on social work practice with children and families Requires improvement to be good"
        in latest
    )
    assert "(also claimed: Outstanding)" in latest  # the news article's grade, not stood by


def _chromium(url: str, tmp_path) -> tuple[str, list[str], list[str]]:
    """The page's DOM in headless Chromium (host names resolve to nothing but 127.0.0.1), the messages its
    console got, and every address a page asked for (from Chromium's network log)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    log = tmp_path / "net.json"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--virtual-time-budget=8000",
        f"--log-net-log={log}", "--enable-logging=stderr", "--v=0", "--dump-dom",
    ]  # fmt: skip
    done = subprocess.run([chromium, *flags, url], capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    written = log.read_text(encoding="utf-8").rstrip()
    try:
        events = json.loads(written)
    except ValueError:  # a log Chromium did not close: its list of events ends in a comma
        events = json.loads(written.rstrip(",") + "]}")
    names = {v: k for k, v in events["constants"]["logEventTypes"].items()}
    asked = [
        e["params"]["url"]
        for e in events["events"]
        if names.get(e["type"]) == "URL_REQUEST_START_JOB"
        and "url" in e.get("params", {})
        and e["params"].get("initiator") != "not an origin"
    ]  # (the browser's own requests, "not an origin", are cut off by the resolver rules all the same)
    return done.stdout, console, asked


@pytest.mark.parametrize("path", ["/", COUNCIL, INSPECTION, "/services?council=E08000031#check"])
def test_pages_load_in_a_browser_with_no_errors_and_no_request_leaving(built, tmp_path, path):
    server = _Server(built)
    try:
        server.get("/")  # started
        dom, console, asked = _chromium(server.url + path, tmp_path)
    finally:
        server.stop()
    assert "</main>" in dom and console == [], console
    assert asked and all(url.startswith(server.url + "/") for url in asked), asked
    if path.startswith("/services"):
        assert 'data-ready="true"' in dom and re.search(r'<pre id="errors" hidden="">\s*</pre>', dom)
        check = json.loads(re.search(r'data-check="([^"]*)"', dom).group(1).replace("&quot;", '"'))
        assert check["matched"] >= 1 and check["focused"] == 1 and check["hidden"] >= 1
