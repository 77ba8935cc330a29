"""How much a document may be: the bounds that keep a small hostile file from taking the machine.

Each is far above what a real document needs (an Ofsted report is under 5 MB, 80 pages and 300,000
characters; Ofsted's outcomes spreadsheet is 200 kB and its content 3 MB unpacked); a document over one
is rejected, with the limit named.
"""

from __future__ import annotations

FILE_BYTES = 256 << 20  # a document's file
TEXT_CHARACTERS = 20_000_000  # the text read from any document
PDF_PAGES = 2_000
SPREADSHEET_XML_BYTES = 64 << 20  # a spreadsheet's content.xml, unpacked
CELL_CHARACTERS = 32_767  # a spreadsheet cell's text (the most a cell holds in Excel)
REPEATED_CELLS = 1_024  # a run of identical cells beyond this is the sheet's empty tail


def size(count: int) -> str:
    """A byte count as people say it: 256 MB."""
    return f"{count >> 20} MB" if count >= 1 << 20 else f"{count:,} bytes"
