"""OpenDocument spreadsheets (.ods) read into text: each sheet as CSV lines under its name.

Evidence points into this text, which the build keeps beside the graph (as it
keeps the text of a PDF), so a quoted cell can always be found again. A cell
gives the text it displays ("29/10/2018"), not its stored value, as a CSV
export of the sheet would, on one line.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ofsted_kg.errors import DocumentError

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
SHEET = "{%s}table" % _TABLE
ROW = "{%s}table-row" % _TABLE
CELLS = {"{%s}table-cell" % _TABLE, "{%s}covered-table-cell" % _TABLE}
PARAGRAPH = "{%s}p" % _TEXT
SPACE, TAB, BREAK = "{%s}s" % _TEXT, "{%s}tab" % _TEXT, "{%s}line-break" % _TEXT
NAME = "{%s}name" % _TABLE
COLUMNS_REPEATED = "{%s}number-columns-repeated" % _TABLE
MAX_REPEAT = 1024  # a run of identical cells beyond this is the sheet's empty tail


def is_spreadsheet(data: bytes) -> bool:
    # An ODF package stores its media type, uncompressed, as its first member.
    return data[:4] == b"PK\x03\x04" and MIMETYPE in data[:200]


def read(path: Path, data: bytes) -> str:
    """The text of every sheet, or DocumentError saying why the file cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            content = package.read("content.xml")
        root = ElementTree.fromstring(content)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError) as exc:
        raise DocumentError(path, f"is a damaged spreadsheet ({exc})") from None
    parts = []
    for sheet in root.iter(SHEET):
        lines = [f"[sheet {sheet.get(NAME, '')}]"]
        for row in sheet.iter(ROW):
            # A run of empty rows (the sheet's spacing or its tail) is one blank line.
            lines.append(",".join(_csv(c) for c in _row(row)))
        parts.append("\n".join(lines).rstrip("\n"))
    if not parts:
        raise DocumentError(path, "is a spreadsheet with no sheets")
    return "\n\n".join(parts) + "\n"


def _row(row: ElementTree.Element) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if cell.tag not in CELLS:
            continue
        # One line per row: the paragraphs of a cell are joined by a space.
        value = " ".join(_text(p) for p in cell.iter(PARAGRAPH))
        repeat = min(int(cell.get(COLUMNS_REPEATED, "1")), MAX_REPEAT)
        cells += [value] * repeat
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _text(element: ElementTree.Element) -> str:
    out = [element.text or ""]
    for child in element:
        if child.tag == SPACE:
            out.append(" " * int(child.get("{%s}c" % _TEXT, "1")))
        elif child.tag == TAB:
            out.append("\t")
        elif child.tag == BREAK:
            out.append(" ")
        else:
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _csv(value: str) -> str:
    if "," in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value
