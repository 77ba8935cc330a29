"""OpenDocument spreadsheets (.ods) read into text: each sheet as CSV lines under its name.

Evidence points into this text, which the build keeps beside the graph (as it
keeps the text of a PDF), so a quoted cell can always be found again. A cell
gives the text it displays ("29/10/2018"), not its stored value, as a CSV
export of the sheet would, on one line.

A row that cannot be read (a repeat count that is not a number, a cell over the size a cell may
have) is one line saying so, "[row N cannot be read: why]", so that the table's reader reports it
with its sheet and row, and the other rows are read. The package is bounded: its content is read
up to a size, so a small file that unpacks to gigabytes is rejected, not unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from ofsted_kg import limits
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
SPACES = "{%s}c" % _TEXT
UNREADABLE = "[row {number} cannot be read: {reason}]"  # how a row that cannot be read is written


class _BadRow(Exception):
    """A row of a sheet that cannot be read, and why."""


def is_spreadsheet(data: bytes) -> bool:
    # An ODF package stores its media type, uncompressed, as its first member.
    return data[:4] == b"PK\x03\x04" and MIMETYPE in data[:200]


def read(path: Path, data: bytes) -> str:
    """The text of every sheet, or DocumentError saying why the file cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, package.open("content.xml") as member:
            content = member.read(limits.SPREADSHEET_XML_BYTES + 1)  # never more, whatever it claims
        if len(content) > limits.SPREADSHEET_XML_BYTES:
            raise DocumentError(
                path,
                f"is a spreadsheet whose content unpacks to more than {limits.size(limits.SPREADSHEET_XML_BYTES)}, "
                "the most a spreadsheet may hold",
            )
        root = ElementTree.fromstring(content)
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ElementTree.ParseError,
        EOFError,
        ValueError,
        OSError,
        NotImplementedError,
        RuntimeError,
    ) as exc:  # fmt: skip (a damaged, encrypted or odd package)
        raise DocumentError(path, f"is a damaged spreadsheet ({exc})") from None
    parts = []
    size = 0
    for sheet in root.iter(SHEET):
        lines = [f"[sheet {sheet.get(NAME, '')}]"]
        for number, row in enumerate(sheet.iter(ROW), 1):
            # A run of empty rows (the sheet's spacing or its tail) is one blank line.
            try:
                lines.append(",".join(_csv(c) for c in _row(row)))
            except _BadRow as bad:
                lines.append(UNREADABLE.format(number=number, reason=bad))
            size += len(lines[-1]) + 1
            if size > limits.TEXT_CHARACTERS:  # stopped as soon as it is over
                raise DocumentError(
                    path, f"gives more than {limits.TEXT_CHARACTERS:,} characters of text, the most a document may give"
                )
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
        if len(value) > limits.CELL_CHARACTERS:
            raise _BadRow(f"a cell of more than {limits.CELL_CHARACTERS:,} characters")
        repeat = min(_count(cell.get(COLUMNS_REPEATED, "1"), "number-columns-repeated"), limits.REPEATED_CELLS)
        cells += [value] * repeat
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _text(element: ElementTree.Element) -> str:
    out = [element.text or ""]
    for child in element:
        if child.tag == SPACE:
            count = _count(child.get(SPACES, "1"), "text:c")
            if count > limits.CELL_CHARACTERS:
                raise _BadRow(f"a run of {count:,} spaces, more than a cell may hold")
            out.append(" " * count)
        elif child.tag == TAB:
            out.append("\t")
        elif child.tag == BREAK:
            out.append(" ")
        else:
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _count(value: str, attribute: str) -> int:
    if not re.fullmatch(r"\s*[0-9]{1,12}\s*", value):
        raise _BadRow(f"{attribute} {value[:20]!r} is not a whole number")
    return int(value)


def _csv(value: str) -> str:
    if "," in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value
