"""Text of a PDF report, page by page, repaired of what PDF text does to a document.

Pages are read with PDFium (pypdfium2: fast, Apache/BSD licensed). The repairs:
line ends and trailing spaces normalised; the running header (the report's title
repeated at the top of every page, then a line of dates ending in the page
number) and lone page numbers removed; footnote markers after a heading
("What needs to improve?1") removed. Evidence offsets count in the repaired text,
which the build keeps beside the graph, and each page's start is recorded so
that a quote can name its page.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ofsted_kg import limits
from ofsted_kg.errors import DocumentError

PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
DATES_AND_PAGE = re.compile(r"^.*\b(?:19|20)\d\d\s+\d{1,3}\s*$")
# The dates under a running header, with or without the page number after them: "3 to 14 March 2025",
# "20 September 2021 to 1 October 2021", "8 June to 19 June 26 2", "15 to 19 May 2023. 2".
_DAY = r"\d{1,2}(?:\s+[A-Z][a-z]+(?:\s+(?:19|20)?\d\d)?)?"
HEADER_DATES = re.compile(
    rf"^\s*{_DAY}\s+(?:to|-|\u2013)\s+\d{{1,2}}\s+[A-Z][a-z]+\s+(?:19|20)?\d\d\.?(?:\s+\d{{1,3}})?\s*$"
)
# A running header may end with the page number on the same line ("Inspection of X ... 2021) 2").
TRAILING_PAGE_NUMBER = re.compile(r"\s+\d{1,3}$")
HEADING_WITH_MARK = re.compile(r"(?m)^(What needs to improve\?|[A-Z][^\n]{2,80}?[a-z?])(\d{1,2})[ \t]*$")


def read(path: Path, data: bytes) -> tuple[str, tuple[int, ...]]:
    """The repaired text of a PDF and the offset where each page starts in it."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = str(error).lower()
        if "password" in reason or "security" in reason:
            raise DocumentError(path, "is an encrypted PDF; give an unencrypted copy") from None
        raise DocumentError(path, f"is not a readable PDF (damaged or truncated: {error})") from None
    try:
        if len(pdf) > limits.PDF_PAGES:
            raise DocumentError(path, f"has {len(pdf):,} pages, more than the {limits.PDF_PAGES:,} a document may have")
        pages, characters = [], 0
        for i in range(len(pdf)):
            pages.append(pdf[i].get_textpage().get_text_range())
            characters += len(pages[-1])
            if characters > limits.TEXT_CHARACTERS:  # stopped as soon as it is over, not at the end
                raise DocumentError(
                    path, f"gives more than {limits.TEXT_CHARACTERS:,} characters of text, the most a document may give"
                )
    except pdfium.PdfiumError as error:
        raise DocumentError(path, f"is a PDF whose text cannot be read ({error})") from None
    finally:
        pdf.close()
    text, starts = repair(pages)
    if not text.strip():
        raise DocumentError(path, "is a PDF with no text (a scanned image?)")
    return text, starts


# PDFium marks a hyphen at the end of a line with U+FFFE; Ofsted's hyphens there are real ones
# ("self-identified"), not words broken by the typesetter.
CHARACTERS = str.maketrans({"\ufffe": "-", "\u00ad": "", "\x02": "-"})


def repair(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    cleaned = [
        [line.rstrip() for line in page.translate(CHARACTERS).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        for page in pages
    ]
    header = _running_header(cleaned)
    out: list[str] = []
    starts: list[int] = []
    length = 0
    for number, lines in enumerate(cleaned):
        kept = _without_furniture(lines, header if number > 0 else None)
        page = "\n".join(kept).strip("\n")
        page = HEADING_WITH_MARK.sub(lambda m: m.group(1), page)
        starts.append(length)
        out.append(page)
        length += len(page) + 1
    return "\n".join(out), tuple(starts)


def _running_header(pages: list[list[str]]) -> str | None:
    """The line that opens most pages after the first: the report's title, repeated."""
    firsts = [
        _header_key(next((line for line in lines if line.strip() and not PAGE_NUMBER.match(line)), ""))
        for lines in pages[1:]
    ]
    if not firsts:
        return None
    line, count = Counter(firsts).most_common(1)[0]
    return line if line and count >= max(2, len(firsts) // 2) else None


def _header_key(line: str) -> str:
    """A line as a running header is compared: without a page number at its end."""
    return TRAILING_PAGE_NUMBER.sub("", line.strip())


def _without_furniture(lines: list[str], header: str | None) -> list[str]:
    """A page's lines without its running header, the dates-and-page line under it, and page numbers."""
    kept = list(lines)
    while kept and not kept[0].strip():
        kept.pop(0)
    if kept and PAGE_NUMBER.match(kept[0]):
        kept.pop(0)
    if header and kept and _header_key(kept[0]) == header:
        kept.pop(0)
        if kept and (DATES_AND_PAGE.match(kept[0]) or HEADER_DATES.match(kept[0])):
            kept.pop(0)
        if kept and PAGE_NUMBER.match(kept[0]):
            kept.pop(0)
    while kept and PAGE_NUMBER.match(kept[-1] or "0"):
        kept.pop()
    return kept
