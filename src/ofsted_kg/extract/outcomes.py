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
    """The (start, end) of every line, blank ones included (a blank line ends a sheet)."""
    out, start = [], 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        out.append((start, end))
        start = end + 1
    return out


def _tables(text: str) -> list[list[tuple[int, int]]]:
    """Each table of the text: its header line, then its rows up to a blank line.

    A CSV sheet is one table headed by its first line; a spreadsheet's sheets,
    rendered one after another, may have title lines above their header.
    """
    tables: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] | None = None
    for start, end in _lines(text):
        if not text[start:end].strip(" ,\r\t"):
            current = None
        elif current is not None:
            current.append((start, end))
        elif _is_header(text, start, end):
            current = [(start, end)]
            tables.append(current)
    return tables


def _combined_until() -> dt.date:
    """The last day children in care and care leavers were judged together (from the schemes)."""
    return load_reference().framework("ilacs").area_by_notation("ilacs-in-care-and-care-leavers").until


def is_outcomes_table(text: str) -> bool:
    first = text.find("\n")
    return _is_header(text, 0, len(text) if first < 0 else first) or SHEET_MARK in text[:100] and bool(_tables(text))


def _cells(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """The cells of one CSV line, each with the span of its value."""
    out = []
    pos = start
    while pos <= end:
        m = CELL.match(text, pos, end)
        if m.group(1) is not None:
            out.append((m.group(1).replace('""', '"'), Span(m.start(1), m.end(1))))
        else:
            out.append((m.group(2), Span(m.start(2), m.end(2))))
        pos = m.end() + 1  # past the comma
        if m.end() >= end or text[m.end()] != ",":
            break
    return out


def _day(value: str) -> PartialDate | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    return PartialDate(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def extract(doc: Document) -> Extraction:
    tables = _tables(doc.text)
    if not tables:
        raise DocumentError(doc.path, "is a table, but not Ofsted's table of inspection outcomes")
    out = Extraction(DocumentInfo(kind="outcomes-table", publisher=None))
    for lines in tables:
        _read_table(doc.text, lines, out)
    return out


def _read_table(text: str, lines: list[tuple[int, int]], out: Extraction) -> None:
    header = [name.strip().lower() for name, _ in _cells(text, *lines[0])]
    index = {name: i for i, name in enumerate(header)}
    framework = load_reference().framework("ilacs")
    grade_columns = [(i, name) for i, name in enumerate(header) if framework.area(name, stretch=1.2) is not None]
    councils = load_councils()
    headers = _cells(text, *lines[0])
    for start, end in lines[1:]:
        cells = _cells(text, start, end)
        if len(cells) <= index["inspection date"]:
            continue
        gss, gss_span = cells[index["local authority area code"]]
        day = _day(cells[index["inspection date"]][0])
        council = councils.by_gss(gss.strip())
        if council is None and "local authority name" in index:
            # An older GSS code (ONS recoded Barnsley and Sheffield in 2021): the council by its name.
            name, gss_span = cells[index["local authority name"]]
            council = councils.resolve(name)
        if council is None or day is None:
            out.notes.append(f"row at offset {start}: no English local authority of code {gss!r}")
            continue
        gss = council.gss_code
        ref = InspectionRef(gss, day.year)
        published = None
        if "publication date" in index and index["publication date"] < len(cells):
            value, span = cells[index["publication date"]]
            published = Quoted(_day(value), (span,)) if _day(value) else None
        kind = None
        if "inspection type" in index:
            value, span = cells[index["inspection type"]]
            word = next((w for w in TYPES if w in value.lower()), None)
            kind = Quoted(TYPES[word], (span,)) if word else None
        day_span = cells[index["inspection date"]][1]
        out.facts.append(
            InspectionFact(
                ref=ref,
                council=Quoted(gss, (gss_span,)),
                framework=Quoted("ilacs", (day_span,)),
                inspection_type=kind,
                start=Quoted(day, (day_span,)),
                published=published,
            )
        )
        combined = day.to_date() <= _combined_until()
        for i, name in grade_columns:
            if i >= len(cells) or not cells[i][0].strip():
                continue
            value, span = cells[i]
            area = framework.area(name, stretch=1.2)
            if combined and area.notation == "ilacs-in-care":
                # The column's heading is the later name; the area is the earlier, combined one.
                name = framework.area_by_notation("ilacs-in-care-and-care-leavers").label
            # The area's evidence is the column's name in the header; the grade's, the cell.
            out.facts.append(JudgementFact(ref, Quoted(name, (headers[i][1],)), Quoted(value.strip(), (span,))))
