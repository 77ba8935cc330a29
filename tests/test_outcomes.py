"""Ofsted's table of outcomes: its rows as inspections, and the cross-check against reports."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from ofsted_kg import store
from ofsted_kg.build import build
from ofsted_kg.cli import EXIT_OK, main
from ofsted_kg.namespaces import OA, OKG
from test_provenance import QUOTES

from conftest import FIXTURES, REPORT_2022, SEEDS
from helpers import select

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


def test_the_table_answers_which_councils_are_good_or_better(capsys, tmp_path):
    """Each council's latest overall grade: the table's later Dudley row, not its 2018 one."""
    out = built(tmp_path, TABLE)
    got = [(r["council"], r["start_date"], r["overall_grade"], r["good_or_better"])
           for r in run(capsys, out, "ratings", "--param", "area=West Midlands")]  # fmt: skip
    assert got == [
        ("Wolverhampton", "2022-03-28", "Good", "true"),
        ("Dudley", "2022-10-31", "Requires improvement to be good", "false"),
    ]


def at_wrong_offsets(graph, text: str) -> list:
    """Quotes that are not the source text's characters at their own offsets."""
    rows = select(graph, QUOTES)
    assert len(rows) > 20
    return [(str(e), int(s)) for _, e, s, end in rows if text[int(s) : int(end)] != str(e)]


def test_each_grade_quotes_its_cell(tmp_path):
    g = build([TABLE]).graph
    text = TABLE.read_bytes().decode("utf-8")  # offsets count the sheet's CRLF line ends
    assert at_wrong_offsets(g, text) == []
    # A grade's evidence is its own cell: "Outstanding" for Wolverhampton's leaders judgement.
    assert "Outstanding" in {str(q) for q in g.objects(None, OA.exact)}
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
    # The graph stands by Ofsted's report over Ofsted's table, and says so.
    grades = {(r["value"], r["preferred"]) for r in conflicts if r["property"] == "grade"}
    assert grades == {("Good", "yes"), ("Inadequate", "no")}
    why = {r["why"] for r in conflicts if r["property"] == "grade"}
    assert why == {
        "ilacs-good is given by Ofsted inspection report (rank 1); also claimed: ilacs-inadequate by Ofsted table of inspection outcomes (rank 2)"
    }


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


@pytest.mark.corpus  # (a build of Ofsted's whole table: half a minute and more)
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


def ods(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet: one sheet, a title row, a blank row, then the rows."""
    table, text = "urn:oasis:names:tc:opendocument:xmlns:table:1.0", "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    def row(cells):
        return "<table:table-row>%s</table:table-row>" % "".join(
            f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in cells
        )

    body = "".join(row(r) for r in [["Local authority inspection outcomes"], [], *rows])
    content = (
        f'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{table}" xmlns:text="{text}"><office:body><office:spreadsheet>'
        f'<table:table table:name="ILACS_inspection_history">{body}'
        '<table:table-row table:number-rows-repeated="9"><table:table-cell table:number-columns-repeated="16384"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", content)
    return buffer.getvalue()


def test_the_spreadsheet_itself_gives_the_csv_sheets_judgements(capsys, tmp_path):
    rows = list(csv.reader(io.StringIO(TABLE.read_text(encoding="utf-8"))))
    sheet = tmp_path / "ods" / "outcomes.ods"
    sheet.parent.mkdir()
    sheet.write_bytes(ods(rows))
    from_csv = run(capsys, built(tmp_path / "a", TABLE), "judgements")
    out = built(tmp_path / "b", sheet)
    assert run(capsys, out, "judgements") == from_csv and len(from_csv) == 12
    # The sheet's text, into which the evidence points, is kept beside the graph.
    kept = list((out / "texts").iterdir())
    assert len(kept) == 1 and "[sheet ILACS_inspection_history]" in kept[0].read_text(encoding="utf-8")
    assert at_wrong_offsets(build([sheet]).graph, kept[0].read_text(encoding="utf-8")) == []


def test_a_damaged_spreadsheet_is_refused(capsys, tmp_path):
    bad = tmp_path / "docs" / "outcomes.ods"
    bad.parent.mkdir()
    bad.write_bytes(ods([["Web link"]])[:120])
    assert main(["build", str(bad.parent), "--out", str(tmp_path / "graph")]) != EXIT_OK
    err = capsys.readouterr().err
    assert "outcomes.ods: is a damaged spreadsheet" in err and "Traceback" not in err


@pytest.mark.corpus  # (a build of Ofsted's whole table: half a minute and more)
def test_the_full_spreadsheet_matches_its_csv_sheet_when_the_corpus_is_beside_us():
    folder = SEEDS.parents[1] / "shared" / "corpus" / "ofsted-outcomes"
    if not folder.exists():
        pytest.skip("the shared corpus is not beside this checkout")
    from_ods = build([folder / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"])
    from_csv = build([folder / "ilacs_history_2018_2025.csv", folder / "latest_judgements_per_LA.csv"])
    assert not from_ods.rejected and from_ods.report.conforms
    facts = [set(r.graph.subject_objects(OKG.grade)) for r in (from_ods, from_csv)]
    assert facts[0] == facts[1] and len(facts[0]) > 1000
