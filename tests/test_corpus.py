"""The real corpus (../shared/corpus): every report PDF and the outcomes table, end to end.

Slow (a few minutes), so not in the default run: `python -m pytest -m corpus`.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from ofsted_kg.cli import EXIT_OK, main

from conftest import ROOT, SEEDS, build_command
from helpers import QUOTES, graph_files

CORPUS = ROOT.parent / "shared" / "corpus"
REPORTS = CORPUS / "ofsted-reports"
TABLE = CORPUS / "ofsted-outcomes" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
ADDED = "coventry_2026-05-18.pdf"  # a report added to the graph of all the others

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not REPORTS.exists(), reason="../shared/corpus is not beside the checkout"),
]


def _build(out: Path, *sources: Path, seed: str = "0") -> subprocess.CompletedProcess:
    return build_command(out, *sources, seed=seed)


def _files(folder: Path) -> dict[str, bytes]:
    return graph_files(folder)


def test_every_quote_is_in_its_kept_text_at_its_offsets(corpus_graph):
    from ofsted_kg.store import open_store

    store = open_store(corpus_graph)  # rdflib's engine takes many minutes over this graph
    kept = {
        row["name"].value: row["file"].value
        for row in store.query(
            "PREFIX okg: <https://w3id.org/ofsted-kg/def#> SELECT ?name ?file { ?d okg:fileName ?name ; okg:textFile ?file }"
        )
    }
    files = {p.name: p for p in [*SEEDS.iterdir(), *REPORTS.iterdir(), TABLE]}
    rows = [
        (r["file"].value, r["exact"].value, int(r["start"].value), int(r["end"].value)) for r in store.query(QUOTES)
    ]
    texts = {
        name: (corpus_graph / kept[name] if name in kept else files[name]).read_text(encoding="utf-8")
        for name in {row[0] for row in rows}
    }
    assert len(rows) > 10_000  # every quoted span (11,231 when written)
    assert [(name, start) for name, exact, start, end in rows if texts[name][start:end] != exact] == []


def test_the_reports_agree_with_the_official_table(corpus_graph, capsys):
    assert main(["query", "cross-check", "--graph", str(corpus_graph), "--format", "csv"]) == EXIT_OK
    assert capsys.readouterr().out.strip().splitlines() == ["council,inspection,area,report_grade,table_grade,note"]


def test_every_report_template_gives_its_judgements(corpus_graph, capsys):
    """Each readable report PDF gives an inspection with judgements (4 to 8, by its framework)."""
    assert (
        main(
            [
                "query",
                "--sparql",
                "PREFIX okg: <https://w3id.org/ofsted-kg/def#> PREFIX prov: <http://www.w3.org/ns/prov#> "
                "SELECT ?file (COUNT(DISTINCT ?j) AS ?n) { ?d okg:fileName ?file . FILTER(STRENDS(?file, '.pdf')) "
                "?j a okg:Judgement ; prov:wasDerivedFrom ?d } GROUP BY ?file ORDER BY ?file",
                "--graph",
                str(corpus_graph),
                "--format",
                "csv",
            ]
        )
        == EXIT_OK
    )
    rows = [line.split(",") for line in capsys.readouterr().out.strip().splitlines()[1:]]
    assert len(rows) == 49
    assert all(4 <= int(n) <= 8 for _, n in rows), rows


def test_another_hash_seed_gives_the_same_bytes(corpus_graph, tmp_path):
    again = tmp_path / "again"
    _build(again, SEEDS, REPORTS, TABLE, seed="12345")
    assert _files(again) == _files(corpus_graph)


def test_adding_a_report_gives_the_build_of_all(corpus_graph, tmp_path, capsys):
    others = tmp_path / "reports"
    shutil.copytree(REPORTS, others)
    (others / ADDED).unlink()
    graph = tmp_path / "graph"
    _build(graph, SEEDS, others, TABLE)
    assert main(["add", str(REPORTS / ADDED), "--graph", str(graph)]) == EXIT_OK
    assert f"added {REPORTS / ADDED}" in capsys.readouterr().out
    made, built = _files(graph), _files(corpus_graph)
    assert made == built


def test_the_only_disagreements_are_real(corpus_graph, capsys):
    """Across 55 documents, three things are disputed: the 2022 Wolverhampton start date (a news article's
    21 March against 28 March), that inspection's length (the article's 'two-week inspection' against the
    report's five working days) and Andy Waugh's post (the article's 'Chief Inspector'); and one inspector's
    posts differ over the years (Christopher Sands, HMI in a 2013 report, Senior HMI in those of 2017-18: a
    person may hold several posts, and the query lists them all). Not England's yearly averages, nor
    Her/His Majesty's Inspector against HMI, nor Senior HMI against SHMI, nor the spelling of an apostrophe,
    nor a table of contents' page numbers; the report and Ofsted's table are believed over the article."""
    assert main(["query", "conflicts", "--graph", str(corpus_graph), "--format", "csv"]) == EXIT_OK
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    derived = " (derived: 5 working days from 2022-03-28 to 2022-04-01: 1 week(s))"
    assert [tuple(r[:5]) for r in rows] == [
        ("Andy Waugh", "holds", "Chief Inspector", "001_07b306a44f2bbefb.txt", ""),
        # (the post's labels include 'HMI' now that inspection teams written 'Jane Smith HMI' are read; the
        # query shows the first in order)
        ("Andy Waugh", "holds", "HMI", "004_2e199a0b395a00af.txt", ""),
        ("Andy Waugh", "holds", "HMI", "walsall_2017-09-04.pdf", ""),
        ("Andy Waugh", "holds", "HMI", "wolverhampton_2022-05-18.pdf", ""),
        ("Christopher Sands", "holds", "HMI", "sandwell_2013-08-02.pdf", ""),
        ("Christopher Sands", "holds", "SHMI", "sandwell_2018-01-29.pdf", ""),
        ("Christopher Sands", "holds", "SHMI", "shropshire_2017-11-24.pdf", ""),
        ("Christopher Sands", "holds", "SHMI", "walsall_2017-09-04.pdf", ""),
        ("Wolverhampton inspection 2022", "length of the inspection", "1", "004_2e199a0b395a00af.txt" + derived, "yes"),
        (
            "Wolverhampton inspection 2022",
            "length of the inspection",
            "1",
            "wolverhampton_2022-05-18.pdf" + derived,
            "yes",
        ),
        ("Wolverhampton inspection 2022", "length of the inspection", "2", "001_07b306a44f2bbefb.txt", "no"),
        ("Wolverhampton inspection 2022", "startDate", "2022-03-21", "001_07b306a44f2bbefb.txt", "no"),
        ("Wolverhampton inspection 2022", "startDate", "2022-03-28", "004_2e199a0b395a00af.txt", "yes"),
        (
            "Wolverhampton inspection 2022",
            "startDate",
            "2022-03-28",
            "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
            "yes",
        ),
        ("Wolverhampton inspection 2022", "startDate", "2022-03-28", "wolverhampton_2022-05-18.pdf", "yes"),
    ]
    assert rows[-1][5] == (
        "2022-03-28 is given by Ofsted inspection report, Ofsted table of inspection outcomes (rank 1); "
        "also claimed: 2022-03-21 by News article (rank 5)"
    )
