"""Ofsted's table of outcomes: its rows as inspections, and the cross-check against reports."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from ofsted_kg import store
from ofsted_kg.build import build
from ofsted_kg.cli import EXIT_OK, main
from ofsted_kg.namespaces import OA, OKG

from conftest import FIXTURES, REPORT_2022, SEEDS

TABLE = FIXTURES / "tables" / "ilacs_history_extract.csv"
DUDLEY_2022 = FIXTURES / "reports" / "dudley_2023-01-13.txt"
ILACS = "Inspecting local authority children's services"


def run(capsys, graph_dir: Path, *args) -> list[dict]:
    assert main(["query", *args, "--graph", str(graph_dir), "--format", "csv"]) == EXIT_OK
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def built(tmp_path: Path, *paths: Path) -> Path:
    result = build(list(paths))
    assert not result.rejected and result.report.conforms
    out = tmp_path / "graph"
    store.write(result, out)
    return out


def table_copy(tmp_path: Path, edit=lambda text: text) -> Path:
    target = tmp_path / "tables" / TABLE.name
    target.parent.mkdir()
    target.write_text(edit(TABLE.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    return target


def test_rows_become_inspections_with_judgements(capsys, tmp_path):
    out = built(tmp_path, TABLE)
    got = {(r["council"], r["start_date"], r["area"], r["grade"]) for r in run(capsys, out, "judgements")}
    assert ("Dudley", "2018-10-29", "Overall effectiveness", "Requires improvement to be good") in got
    leaders = "The impact of leaders on social work practice with children and families"
    assert ("Dudley", "2018-10-29", leaders, "Good") in got
    assert ("Wolverhampton", "2022-03-28", leaders, "Outstanding") in got
    # Before 2023 the "children in care" column holds the combined judgement.
    assert ("Dudley", "2018-10-29", "The experiences and progress of children in care and care leavers", "Good") in got
    assert len(got) == 3 * 4
    timeline = run(capsys, out, "council-timeline", "--param", "council=E08000027")
    assert [(r["start_date"], r["framework"]) for r in timeline] == [("2018-10-29", ILACS), ("2022-10-31", ILACS)]


def test_each_grade_quotes_its_cell(tmp_path):
    g = build([TABLE]).graph
    text = TABLE.read_text(encoding="utf-8")
    quotes = [str(q) for q in g.objects(None, OA.exact)]
    assert quotes and all(q in text for q in quotes)
    kinds = {str(k).rsplit("/", 1)[-1] for k in g.objects(None, OKG.documentKind)}
    assert kinds == {"outcomes-table"}


def test_the_table_agrees_with_the_reports(capsys, tmp_path):
    out = built(tmp_path, SEEDS, DUDLEY_2022, TABLE)
    got = [(r["council"], r["inspection"], r["note"]) for r in run(capsys, out, "cross-check")]
    # Every report grade matches the table; the table's earlier Dudley inspection has no report here.
    assert got == [("Dudley", "Dudley inspection 2018", "in the table, no report in the graph")]


def test_a_grade_changed_in_the_table_is_reported(capsys, tmp_path):
    def edit(text):
        row = next(line for line in text.splitlines() if ",Wolverhampton," in line)
        return text.replace(row, row.replace("ILACS Short Inspection,Good,", "ILACS Short Inspection,Inadequate,"))

    out = built(tmp_path, SEEDS / REPORT_2022, table_copy(tmp_path, edit))
    got = run(capsys, out, "cross-check")
    assert [(r["council"], r["area"], r["report_grade"], r["table_grade"], r["note"]) for r in got] == [
        ("Wolverhampton", "Overall effectiveness", "Good", "Inadequate", "grades differ")
    ]
    conflicts = run(capsys, out, "conflicts")
    assert {r["value"] for r in conflicts} >= {"Good", "Inadequate"}


def test_an_inspection_missing_from_the_table_is_reported(capsys, tmp_path):
    def edit(text):
        return "".join(line for line in text.splitlines(keepends=True) if ",Wolverhampton," not in line)

    out = built(tmp_path, SEEDS / REPORT_2022, DUDLEY_2022, table_copy(tmp_path, edit))
    got = [(r["council"], r["inspection"], r["note"]) for r in run(capsys, out, "cross-check")]
    assert ("Wolverhampton", "Wolverhampton inspection 2022", "in a report, not in the table") in got


@pytest.mark.parametrize("body", ["", "Web link,Local authority area code\n"])
def test_a_sheet_that_is_not_the_table_is_refused(capsys, tmp_path, body):
    bad = tmp_path / "docs" / "outcomes.csv"
    bad.parent.mkdir()
    bad.write_text(body, encoding="utf-8")
    assert main(["build", str(bad.parent), "--out", str(tmp_path / "graph")]) != EXIT_OK
    err = capsys.readouterr().err
    assert "outcomes.csv" in err and "Traceback" not in err


def test_the_full_table_when_the_corpus_is_beside_us(tmp_path):
    full = SEEDS.parents[1] / "shared" / "corpus" / "ofsted-outcomes" / "ilacs_history_2018_2025.csv"
    if not full.exists():
        pytest.skip("the shared corpus is not beside this checkout")
    copy = tmp_path / full.name
    shutil.copyfile(full, copy)
    result = build([copy])
    assert not result.rejected and result.report.conforms
    rows = sum(1 for _ in csv.reader(io.StringIO(full.read_text(encoding="utf-8")))) - 1
    inspections = set(result.graph.subjects(OKG.inspectedAuthority, None))
    assert len(inspections) == rows
