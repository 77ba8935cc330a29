"""How much a document may be: the bounds that keep a small hostile file from taking the machine.

Each is far above what a real document needs (an Ofsted report is under 5 MB, 80 pages and 300,000
characters; Ofsted's outcomes spreadsheet is 200 kB and its content 3 MB unpacked); a document over one
is rejected, with the limit named.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

FILE_BYTES = 256 << 20  # a document's file
TEXT_CHARACTERS = 20_000_000  # the text read from any document
PDF_PAGES = 2_000
SPREADSHEET_XML_BYTES = 64 << 20  # a spreadsheet's content.xml, unpacked
CELL_CHARACTERS = 32_767  # a spreadsheet cell's text (the most a cell holds in Excel)
REPEATED_CELLS = 1_024  # a run of identical cells beyond this is the sheet's empty tail
READING_BYTES = 4 << 30  # the memory of a process reading documents (one takes about 200 MB)
DOCUMENT_SECONDS = 300.0  # reading one document and extracting its facts (a report takes about a second)


def size(count: int) -> str:
    """A byte count as people say it: 256 MB."""
    if count >= 1 << 30 and count % (1 << 30) == 0:
        return f"{count >> 30} GB"
    return f"{count >> 20} MB" if count >= 1 << 20 else f"{count:,} bytes"


class TooSlow(Exception):
    """Raised in a document's reading when it has taken longer than it may."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the code run within, once it has run `seconds` (wall clock). The alarm is a signal,
    so it is heard between the steps of the work (a PDF's pages, the extractors' patterns), not inside
    one call to a library; and only in a process's main thread (a Dask worker's thread goes without)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> NoReturn:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
