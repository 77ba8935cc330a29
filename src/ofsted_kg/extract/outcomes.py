"""Ofsted's official table of inspection outcomes (a sheet saved as CSV): each row an inspection.

A row gives the council's GSS code, the inspection and publication dates, the
type of inspection and a grade per judgement column; its provenance is the row's
cells in the sheet. Before 2023 ILACS judged children in care and care leavers
together: the table then fills only the "children in care" column, which then
means the combined judgement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.facts import DocumentInfo, Extraction, InspectionFact, InspectionRef, JudgementFact
from ofsted_kg.reference import load_reference
from ofsted_kg.text import PartialDate, Quoted, Span

CELL = re.compile(r'"((?:[^"]|"")*)"|([^,\r\n]*)')
TYPES = {"short": "short-inspection", "standard": "standard-inspection"}
COLUMNS = ("local authority area code", "inspection date")
SHEET_MARK = "[sheet "  # how spreadsheet.py heads each sheet of a spreadsheet


def _is_header(text: str, start: int, end: int) -> bool:
    line = text[start:end].lower()
    return all(c in line for c in COLUMNS) and "overall effectiveness" in line


def _lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every line, blank ones included."""
    out, start = [], 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        out.append((start, end))
        start = end + 1
    return out


@dataclass
class _Table:
    """A table of the text: its sheet (None for a CSV file), its header line and its rows, each with its
    row number (in the sheet, or the file's line number)."""

    sheet: str | None
    header: tuple[int, int]
    rows: list[tuple[int, tuple[int, int]]] = field(default_factory=list)

    def where(self, number: int) -> str:
        return f"sheet {self.sheet!r}, row {number}" if self.sheet is not None else f"row {number}"


def _tables(text: str) -> list[_Table]:
    """Each table of the text: its header line, then every line to the end of its sheet.

    A CSV sheet is one table headed by its first line; a spreadsheet's sheets, rendered one after
    another, may have title lines above their header. An empty row does not end a table (a gap in the
    sheet is not its end); the rows below it are read.
    """
    tables: list[_Table] = []
    current: _Table | None = None
    sheet, first = None, 0
    for number, (start, end) in enumerate(_lines(text), 1):
        line = text[start:end]
        if line.startswith(SHEET_MARK) and line.endswith("]"):
            sheet, first, current = line[len(SHEET_MARK) : -1], number, None
        elif current is not None:
            current.rows.append((number - first, (start, end)))
        elif _is_header(text, start, end):
            current = _Table(sheet, (start, end))
            tables.append(current)
    return tables


def _combined_until() -> dt.date:
    """The last day children in care and care leavers were judged together (from the schemes)."""
    until = load_reference().framework("ilacs").area_by_notation("ilacs-in-care-and-care-leavers").until
    if until is None:
        raise ValueError("schemes.ttl: the combined area of children in care and care leavers has no last day")
    return until


def is_outcomes_table(text: str) -> bool:
    first = text.find("\n")
    return _is_header(text, 0, len(text) if first < 0 else first) or SHEET_MARK in text[:100] and bool(_tables(text))


def _cells(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """The cells of one CSV line, each with the span of its value."""
    out = []
    pos = start
    while pos <= end:
        m = CELL.match(text, pos, end)
        assert m is not None  # (CELL matches an empty cell too)
        if m.group(1) is not None:
            out.append((m.group(1).replace('""', '"'), Span(m.start(1), m.end(1))))
        else:
            out.append((m.group(2), Span(m.start(2), m.end(2))))
        pos = m.end() + 1  # past the comma
        if m.end() >= end or text[m.end()] != ",":
            break
    return out


class _BadCell(Exception):
    """A cell of a row that cannot be read, and why."""


def _day(value: str, column: str) -> PartialDate:
    """A dd/mm/yyyy cell as a date, or _BadCell."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    if not m:
        raise _BadCell(f"{column} {value.strip()[:40]!r} is not a date (dd/mm/yyyy)")
    try:
        dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        raise _BadCell(f"{column} {value.strip()!r} is not a date of the calendar") from None
    return PartialDate(int(m.group(3)), int(m.group(2)), int(m.group(1)))


def extract(doc: Document) -> Extraction:
    tables = _tables(doc.text)
    if not tables:
        raise DocumentError(doc.path, "is a table, but not Ofsted's table of inspection outcomes")
    out = Extraction(DocumentInfo(kind="outcomes-table", publisher=None))
    for table in tables:
        _read_table(doc.text, table, out)
    return out


def _read_table(text: str, table: _Table, out: Extraction) -> None:
    """Each row of a table as an inspection and its judgements; a row that cannot be read is left out
    with a note naming its sheet, row and why, and the rows after it are read."""
    headers = _cells(text, *table.header)
    index = {name.strip().lower(): i for i, (name, _) in enumerate(headers)}
    framework = load_reference().framework("ilacs")
    names = [name.strip().lower() for name, _ in headers]
    grade_columns = [(i, name) for i, name in enumerate(names) if framework.area(name, stretch=1.2) is not None]
    needed = max(index[c] for c in COLUMNS) + 1
    for number, (start, end) in table.rows:
        line = text[start:end]
        if not line.strip(" ,\r\t"):
            continue  # an empty row
        unreadable = re.fullmatch(r"\[row \d+ cannot be read: (.*)\]", line)
        if unreadable:  # (spreadsheet.py writes a row it could not read so)
            out.notes.append(f"{table.where(number)}: {unreadable.group(1)}; the row is left out")
            continue
        cells = _cells(text, start, end)
        if len(cells) < needed:
            out.notes.append(
                f"{table.where(number)}: {len(cells)} cells, fewer than the {needed} the header names up to "
                f"{headers[needed - 1][0]!r}; the row is left out"
            )
            continue
        try:
            _read_row(cells, index, headers, grade_columns, out)
        except _BadCell as bad:
            out.notes.append(f"{table.where(number)}: {bad}; the row is left out")


def _read_row(
    cells: list[tuple[str, Span]],
    index: dict[str, int],
    headers: list[tuple[str, Span]],
    grade_columns: list[tuple[int, str]],
    out: Extraction,
) -> None:
    framework = load_reference().framework("ilacs")
    gss, gss_span = cells[index["local authority area code"]]
    day = _day(cells[index["inspection date"]][0], "inspection date")
    council = load_councils().by_gss(gss.strip())
    if council is None and "local authority name" in index and index["local authority name"] < len(cells):
        # An older GSS code (ONS recoded Barnsley and Sheffield in 2021): the council by its name.
        name, gss_span = cells[index["local authority name"]]
        council = load_councils().resolve(name)
    if council is None:
        raise _BadCell(f"no English local authority of code {gss.strip()[:40]!r}")
    gss = council.gss_code
    ref = InspectionRef(gss, day.year)
    published = None
    if "publication date" in index and index["publication date"] < len(cells):
        value, span = cells[index["publication date"]]
        published = Quoted(_day(value, "publication date"), (span,)) if value.strip() else None
    kind = None
    if "inspection type" in index and index["inspection type"] < len(cells):
        value, span = cells[index["inspection type"]]
        word = next((w for w in TYPES if w in value.lower()), None)
        kind = Quoted(TYPES[word], (span,)) if word else None
    day_span = cells[index["inspection date"]][1]
    facts: list[InspectionFact | JudgementFact] = [
        InspectionFact(
            ref=ref,
            council=Quoted(gss, (gss_span,)),
            framework=Quoted("ilacs", (day_span,)),
            inspection_type=kind,
            start=Quoted(day, (day_span,)),
            published=published,
        )
    ]
    when = day.to_date()  # (a whole day: _day reads day, month and year)
    combined = when is not None and when <= _combined_until()
    for i, name in grade_columns:
        if i >= len(cells) or not cells[i][0].strip():
            continue
        value, span = cells[i]
        area = framework.area(name, stretch=1.2)
        if combined and area is not None and area.notation == "ilacs-in-care":
            # The column's heading is the later name; the area is the earlier, combined one.
            name = framework.area_by_notation("ilacs-in-care-and-care-leavers").label
        # The area's evidence is the column's name in the header; the grade's, the cell.
        facts.append(JudgementFact(ref, Quoted(name, (headers[i][1],)), Quoted(value.strip(), (span,))))
    out.facts += facts  # all of the row, or (a bad cell) none of it
