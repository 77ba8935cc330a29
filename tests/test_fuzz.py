"""Fuzzing (Hypothesis): any input to the readers and the SPARQL guard gives facts or one clear
rejection, never a traceback, in bounded time (issue 11). The budget is fixed and the examples are
derived from the test's name (derandomize), so CI runs the same cases every time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_kg import documents, guard
from ofsted_kg.errors import DocumentError, QueryError
from ofsted_kg.extract import extract, outcomes
from test_outcomes import TABLE

from conftest import REPORT_2022, SEEDS

BUDGET = settings(
    max_examples=150, deadline=5000, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
PATH = Path("fuzzed")
REPORT = (SEEDS / REPORT_2022).read_text(encoding="utf-8")
HEADER = TABLE.read_text(encoding="utf-8").splitlines()[0]


def read(data: bytes, name: str = "fuzzed"):
    """A document's facts, or its rejection; anything else fails the test."""
    try:
        doc = documents.from_bytes(Path(name), data)
        return extract(doc)
    except DocumentError as error:
        assert str(error).startswith(f"{name}: ") and "\n" not in str(error).strip()
        return None


@BUDGET
@given(st.binary(max_size=4000))
def test_any_bytes(data):
    read(data)


@BUDGET
@given(st.integers(0, len(REPORT) - 1), st.integers(0, 3000), st.text(max_size=200))
def test_a_report_cut_and_spliced(start, length, inserted):
    """A real report with a part replaced by any text: the extractors cope with any shape of it."""
    text = REPORT[:start] + inserted + REPORT[start + length :]
    extraction = read(text.encode("utf-8"), "report.txt")
    if extraction is not None:
        for fact in extraction.facts:
            for quoted in vars(fact).values():
                for span in getattr(quoted, "spans", ()) or ():
                    assert 0 <= span.start <= span.end <= len(text)


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "E08000031",
            "E08000027",
            "Good",
            "Outstanding",
            "Inadequate",
            "29/10/2018",
            "31/02/2020",
            "00/00/0000",
            "ILACS Standard Inspection",
            '"quoted, cell"',
        ]
    ),  # fmt: skip
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
)


@BUDGET
@given(st.lists(st.lists(CELL, max_size=16), max_size=12))
def test_an_outcomes_table_with_any_rows(rows):
    lines = [HEADER] + [",".join(cell.replace("\n", " ").replace("\r", " ") for cell in row) for row in rows]
    doc = documents.Document(path=PATH, text="\n".join(lines) + "\n", sha256="0" * 64)
    extraction = outcomes.extract(doc)
    for note in extraction.notes:
        assert note.startswith("row ") and note.endswith("; the row is left out")


ODS_CELL = st.tuples(
    st.one_of(st.none(), st.sampled_from(["1", "3", "0", "-1", "x", "99999999999", "1e3", " 2 "])),
    st.one_of(st.none(), st.sampled_from(["1", "5", "abc", "1500000000", ""])),
    st.text(alphabet="abc ,\"<>&'", max_size=10),
)


def _ods(rows) -> bytes:
    from xml.sax.saxutils import escape, quoteattr

    def cell(spec):
        repeat, spaces, text = spec
        attrs = f" table:number-columns-repeated={quoteattr(repeat)}" if repeat is not None else ""
        space = f"<text:s text:c={quoteattr(spaces)}/>" if spaces is not None else ""
        return f"<table:table-cell{attrs}><text:p>{escape(text)}{space}</text:p></table:table-cell>"

    header = "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in HEADER.split(","))
    body = f"<table:table-row>{header}</table:table-row>" + "".join(
        "<table:table-row>" + "".join(cell(c) for c in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="S">{body}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        package.writestr("content.xml", content)
    return buffer.getvalue()


@BUDGET
@given(st.lists(st.lists(ODS_CELL, max_size=6), max_size=8))
def test_a_spreadsheet_with_any_cells(rows):
    read(_ods(rows), "fuzzed.ods")


@BUDGET
@given(st.lists(st.lists(ODS_CELL, max_size=4), min_size=1, max_size=4), st.integers(0, 10_000), st.binary(max_size=50))
def test_a_damaged_spreadsheet(rows, at, garbage):
    data = _ods(rows)
    at %= len(data)
    read(data[:at] + garbage + data[at + len(garbage) :], "fuzzed.ods")


def _pdf() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 200)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


PDF = _pdf()


@BUDGET
@given(st.integers(0, len(PDF)), st.binary(max_size=64), st.booleans())
def test_a_damaged_pdf(at, garbage, cut):
    data = PDF[:at] if cut else PDF[:at] + garbage + PDF[at + len(garbage) :]
    read(b"%PDF-" + data[5:], "fuzzed.pdf")


SPARQL_TOKENS = st.sampled_from(
    ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "<http://e/x>", "ex:a\\#", "ex:b\\'", '"str"', "'s'",
     '"""long"""', "# comment\n", "\\u0053", "ERVICE", "SERVICE", "service:", "FROM", "INSERT", "(", ")", ".",
     ";", ",", "BIND", "AS", "PREFIX", "ex:", "_:b", "@en", "^^", "1.5", "\n", " ", "\\", "\"", "'", "<", ">"]
)  # fmt: skip


@BUDGET
@given(st.lists(SPARQL_TOKENS, max_size=40), st.text(max_size=40))
def test_the_guard_reads_any_text(tokens, noise):
    text = " ".join(tokens) + noise
    try:
        guard.check(text)
    except QueryError as error:
        assert "\n" not in str(error)


@BUDGET
@given(st.lists(SPARQL_TOKENS.filter(lambda t: t not in ("'", '"', "#", "\\", "<")), max_size=20), st.sampled_from(
    ["SERVICE", "service", "\\u0053ERVICE", "SeRvIcE"]))  # fmt: skip
def test_service_as_a_token_is_always_refused(tokens, word):
    """SERVICE as a word of its own, wherever it stands among complete tokens, is refused."""
    balanced = [t for t in tokens if t not in ('"', "'")]
    text = " ".join(balanced).replace("# comment\n", " ") + f"\n{word} <http://127.0.0.1:9/x> {{ }}"
    with pytest.raises(QueryError, match="is refused"):
        guard.check(text)
