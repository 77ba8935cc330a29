"""The national corpus (../shared/corpus/ofsted-reports-england): lists and findings against counts written
by reading 27 of the PDFs (tests/fixtures/england-counts.json), and the whole of England built.

Slow (the full build takes minutes), so not in the default run: `python -m pytest -m england`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from ofsted_kg.cli import EXIT_REJECTED

from conftest import FIXTURES, ROOT, SEEDS

CORPUS = ROOT.parent / "shared" / "corpus"
ENGLAND = CORPUS / "ofsted-reports-england"
TABLE = CORPUS / "ofsted-outcomes" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
COUNTS = json.loads((FIXTURES / "england-counts.json").read_text(encoding="utf-8"))
# Files of the corpus that are not reports: HTML pages saved under a .pdf name.
NOT_REPORTS = {"birmingham_2012-10-19.pdf", "blackpool_2012-07-13.pdf"}

pytestmark = [
    pytest.mark.england,
    pytest.mark.skipif(not ENGLAND.exists(), reason="../shared/corpus is not beside the checkout"),
]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _read(name: str) -> dict:
    """What the extractor reads of one report: its lists and findings."""
    from ofsted_kg import documents
    from ofsted_kg.extract import extract
    from ofsted_kg.facts import FindingFact, JudgementFact, RecommendationFact

    extraction = extract(documents.load(ENGLAND / name))
    points = [f for f in extraction.facts if isinstance(f, RecommendationFact)]
    findings = [f for f in extraction.facts if isinstance(f, FindingFact)]
    numbered = sorted((f for f in findings if f.number is not None), key=lambda f: f.number)
    return {
        "council": [_squash(f.text.value) for f in points if f.addressee != "board"],
        "board": [_squash(f.text.value) for f in points if f.addressee == "board"],
        "findings": len(findings),
        "board_findings": sum(f.addressee == "board" for f in findings),
        "last_finding": _squash((numbered or findings)[-1].text.value) if findings else "",
        "judgements": len([f for f in extraction.facts if isinstance(f, JudgementFact)]),
    }


@pytest.fixture(scope="module")
def read() -> dict[str, dict]:
    with ProcessPoolExecutor(2) as pool:
        return dict(zip((e["file"] for e in COUNTS), pool.map(_read, [e["file"] for e in COUNTS]), strict=True))


@pytest.mark.parametrize("entry", COUNTS, ids=[e["file"] for e in COUNTS])
def test_lists_and_findings_are_whole(read, entry):
    got = read[entry["file"]]
    # Every point of the council's list and of the board's, each ending where the reader ends it.
    assert len(got["council"]) == entry["recommendations_la"]
    assert len(got["board"]) == (entry["recommendations_board"] or 0)
    assert got["council"][0].startswith(_squash(entry["first_point_start"]))
    assert got["council"][-1].endswith(_squash(entry["last_point_end"]))
    if entry["board_first_point_start"]:
        assert got["board"][0].startswith(_squash(entry["board_first_point_start"]))
        assert got["board"][-1].endswith(_squash(entry["board_last_point_end"]))
    # The findings: every numbered paragraph of the judgements' sections (of the board's part too),
    # or, in a report of bulleted findings (Hartlepool 2014), every bullet of them.
    counted = entry["findings"]
    body = counted["body_findings"] if counted["body_findings"] is not None else counted["count"]
    if not counted["count"]:
        # "judgement sections in bullets (help and protection 29, ... = 94 bullets)"
        body = int(re.search(r"= (\d+) bullets", counted["layout"]).group(1))
    assert got["findings"] == body + (counted["board_findings"] or 0)
    assert got["board_findings"] == (counted["board_findings"] or 0)
    assert got["last_finding"].endswith(_squash(entry["last_finding_end"]))
    assert got["judgements"] >= len(entry["judgements"]) - sum(
        "not judged" in g.lower() for g in entry["judgements"].values()
    )


@pytest.fixture(scope="module")
def england(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("england")
    command = [sys.executable, "-m", "ofsted_kg", "build", str(SEEDS), str(CORPUS / "ofsted-reports"), str(ENGLAND)]
    proc = subprocess.run([*command, str(TABLE), "--out", str(out)], capture_output=True, text=True)
    return out, proc


def test_every_report_of_england_builds(england):
    out, proc = england
    assert proc.returncode == EXIT_REJECTED, proc.stderr
    rejected = [line for line in proc.stderr.splitlines() if line.startswith("rejected:")]
    assert {Path(line.split(": ", 2)[1]).name for line in rejected} == NOT_REPORTS, rejected
    assert all("is an HTML page, not a document" in line for line in rejected)


def test_the_reports_grades_agree_with_ofsteds_table(england, capsys):
    from ofsted_kg.cli import main

    out, _ = england
    assert main(["query", "cross-check", "--graph", str(out), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    # A grade the other source lacks is an empty cell; a disagreement has both grades, noted so.
    disagreeing = [
        r
        for r in rows
        if r["report_grade"]["value"] and r["table_grade"]["value"] or r["note"]["value"] == "grades differ"
    ]
    assert disagreeing == []
    assert {r["note"]["value"] for r in rows} <= {
        "graded in the report, not in the table",
        "graded in the table, not in the report",
        "in a report, not in the table",
        "in the table, no report in the graph",
    }


def _word_lists() -> list[tuple[str, str]]:
    """Every name the reference data lists for extractors to look for: generic service names, professions,
    groups of children (each with the pattern the extractor matches it by)."""
    from ofsted_kg.reference import load_reference

    reference = load_reference()
    return sorted(
        [("service", g) for t in reference.service_kinds for g in t.generic]
        + [("profession", n) for t in reference.professions for n in t.names]
        + [("group", n) for t in reference.groups for n in t.names]
    )


def test_no_word_list_holds_a_name_of_one_council(england):
    """A name listed as vocabulary recurs across councils; one council's project is found by pattern, never listed."""
    from pyoxigraph import Store

    from ofsted_kg.extract.services import _flexible

    out, _ = england
    store = Store.read_only(str(out / "store"))
    rows = store.query(
        "PREFIX okg: <https://w3id.org/ofsted-kg/def#> PREFIX schema: <https://schema.org/> "
        "SELECT ?file ?council WHERE { ?d okg:textFile ?file ; schema:about ?council }"
    )
    texts: dict[str, set[str]] = {}
    for row in rows:
        texts.setdefault(row["file"].value, set()).add(row["council"].value)
    assert len(texts) > 400
    read = {file: (out / file).read_text(encoding="utf-8") for file in texts}
    lonely = []
    for kind, name in _word_lists():
        pattern = re.compile(_flexible(name), re.IGNORECASE)
        councils = set().union(*(texts[f] for f, text in read.items() if pattern.search(text)))
        if len(councils) < 2:
            lonely.append((kind, name, sorted(councils)))
    assert lonely == []
