"""The files a graph was read from, as the graph folder keeps them (sources/<sha256>.<ext>): a quote found
in their text, and a page of a PDF rendered, with the boxes of the quote's characters on it.

A graph folder may come from anyone: a kept file is found by the document's SHA-256 (checked to be one),
in the folder's sources/ only, never through a symbolic link, and used only if its bytes have that
SHA-256. PDFium reads and renders the page in a worker process (bounded.call: killed at its time and
memory limits, no network), so that a hostile PDF can cost one request, never the server.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_kg import limits

if TYPE_CHECKING:
    import pypdfium2 as pdfium

SHA256 = re.compile(r"[0-9a-f]{64}")
SCALE = 1.5  # pixels per PDF point (108 dpi): an A4 page is 893 by 1263 pixels
MOST_PIXELS = 4_000_000  # a larger page is rendered at a smaller scale
HEAD = 24  # characters of a quote looked for first (the rest may run onto the next page)
Box = tuple[float, float, float, float]  # left, top, width, height, in percent of the page


class NotKept(Exception):
    """The folder keeps no usable copy of the file (or no such page of it)."""


def kept(graph_dir: Path, sha256: str, extension: str) -> Path | None:
    """The folder's copy of a document's file, if it keeps one: sources/<sha256>.<extension>."""
    if not SHA256.fullmatch(sha256) or extension not in ("pdf", "ods", "txt"):
        return None
    folder = graph_dir / "sources"
    path = folder / f"{sha256}.{extension}"
    if folder.is_symlink() or path.is_symlink() or not path.is_file():
        return None
    return path


def read_kept(path: Path, sha256: str) -> bytes:
    """A kept file's bytes, if they are the document's (its SHA-256)."""
    with path.open("rb") as handle:
        data = handle.read(limits.FILE_BYTES + 1)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise NotKept(f"the copy kept of {sha256[:16]} is not the document's file")
    return data


def text_of(graph_dir: Path, sha256: str) -> str | None:
    """The text a document's offsets count in: the one kept in texts/ (made from a spreadsheet or a PDF),
    else its kept file's, decoded as the build decoded it. None if the folder keeps neither."""
    from ofsted_kg.documents import decode
    from ofsted_kg.errors import DocumentError

    if not SHA256.fullmatch(sha256):
        return None
    made = graph_dir / "texts" / f"{sha256[:16]}.txt"
    if not (graph_dir / "texts").is_symlink() and not made.is_symlink() and made.is_file():
        with made.open("rb") as handle:
            return handle.read(limits.TEXT_CHARACTERS * 4).decode("utf-8", errors="replace")
    path = kept(graph_dir, sha256, "txt")
    if path is None:
        return None
    try:
        return decode(path, read_kept(path, sha256))
    except (DocumentError, NotKept):
        return None


def _normalised(text: str) -> tuple[str, list[int]]:
    """A text as quotes are compared: PDFium's marks repaired as the build repairs them (pdftext), runs of
    whitespace as one space; and, for each character of it, the index of the character it came from."""
    from ofsted_kg.pdftext import CHARACTERS

    out: list[str] = []
    index: list[int] = []
    space = True  # (leading whitespace dropped)
    for i, char in enumerate(text):
        char = char.translate(CHARACTERS)
        if not char:
            continue
        if char.isspace():
            if not space:
                out.append(" ")
                index.append(i)
            space = True
            continue
        out.append(char)
        index.append(i)
        space = False
    return "".join(out), index


def _agree_backwards(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _agree(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(text: str, exact: str, prefix: str = "", suffix: str = "") -> tuple[int, int] | None:
    """Where a quote is in a text, as [start, end) of the text's characters, whitespace and PDFium's marks
    aside: of the places where its first words are, the one where most of it follows, then where the
    words before and after it (oa:prefix, oa:suffix) agree most. A quote that runs on past the end of
    the text (onto a PDF's next page) is found as far as it goes. None where its first words are not."""
    norm, index = _normalised(text)
    quote = _normalised(exact)[0].strip()
    if not quote or not norm:
        return None
    head = quote[:HEAD]
    before, after = _normalised(prefix)[0].rstrip(), _normalised(suffix)[0].lstrip()
    best, found = None, norm.find(head)
    for _ in range(10_000):  # (a bound: a page holds far fewer places than this)
        if found < 0:
            break
        matched = _agree(norm[found:], quote)
        score = (
            matched,
            _agree_backwards(norm[:found].rstrip(), before),
            _agree(norm[found + matched :].lstrip(), after) if matched == len(quote) else 0,
        )
        if best is None or score > best[0]:
            best = (score, found, matched)
        found = norm.find(head, found + 1)
    if best is None:
        return None
    _, start, matched = best
    return index[start], index[start + matched - 1] + 1


@dataclass(frozen=True)
class Page:
    """A page of a PDF: its size in points, the boxes of the quote's characters on it (left, top, width,
    height, in percent of the page's width and height), and, if asked for, the page as a PNG."""

    number: int
    pages: int
    width: float
    height: float
    pixels: tuple[int, int]
    boxes: tuple[Box, ...]
    png: bytes | None = None


def page(path: str, sha256: str, number: int, quote: tuple[str, str, str] | None, render: bool) -> Page:
    """Page `number` (from 1) of the kept PDF at path: the boxes of the quote's characters on it (quote:
    exact, prefix, suffix), and the page as a PNG if `render`. Run in a worker (bounded.call)."""
    import pypdfium2 as pdfium

    data = read_kept(Path(path), sha256)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise NotKept(f"the kept PDF cannot be read ({error})") from None
    try:
        if not 1 <= number <= min(len(pdf), limits.PDF_PAGES):
            raise NotKept(f"the PDF has no page {number} (it has {len(pdf)})")
        sheet = pdf[number - 1]
        left, bottom, right, top = sheet.get_cropbox()
        width, height = right - left, top - bottom
        if width <= 0 or height <= 0:
            raise NotKept(f"page {number} has no size")
        scale = min(SCALE, (MOST_PIXELS / (width * height)) ** 0.5)
        boxes: tuple[Box, ...] = ()
        if quote is not None and sheet.get_rotation() == 0:  # (a turned page's boxes are not drawn)
            boxes = _boxes(sheet.get_textpage(), quote, (left, bottom, width, height))
        png = _png(sheet.render(scale=scale, rev_byteorder=True, may_draw_forms=False)) if render else None
        pixels = (math.ceil(width * scale), math.ceil(height * scale))  # (as PDFium renders it)
        return Page(number, len(pdf), width, height, pixels, boxes, png)
    finally:
        pdf.close()


def _boxes(
    textpage: pdfium.PdfTextPage, quote: tuple[str, str, str], frame: tuple[float, float, float, float]
) -> tuple[Box, ...]:
    """The boxes of the quote's characters on a page, one per line of it, in percent of the page."""
    count = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != count:  # (characters PDFium gives as two: read one by one, to keep the indices)
        text = "".join((textpage.get_text_range(i, 1) or " ")[:1] for i in range(count))
    found = locate(text, *quote)
    if found is None:
        return ()
    left, bottom, width, height = frame
    lines: list[list[float]] = []  # [left, bottom, right, top] in points
    for i in range(*found):
        if text[i].isspace():
            continue
        x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
        if x1 <= x0 or y1 <= y0:
            continue
        line = lines[-1] if lines else None
        middle = (y0 + y1) / 2
        if line is not None and line[1] <= middle <= line[3] and x0 >= line[0] - 1:
            line[0], line[1], line[2], line[3] = min(line[0], x0), min(line[1], y0), max(line[2], x1), max(line[3], y1)
        else:
            lines.append([x0, y0, x1, y1])
    return tuple(
        (
            round(100 * (x0 - left) / width, 3),
            round(100 * (bottom + height - y1) / height, 3),
            round(100 * (x1 - x0) / width, 3),
            round(100 * (y1 - y0) / height, 3),
        )
        for x0, y0, x1, y1 in lines
    )


def _png(bitmap: pdfium.PdfBitmap) -> bytes:
    """A rendered page as a PNG (8-bit RGB, rows unfiltered: a page of text compresses well as it is)."""
    import numpy as np

    width, height, channels = bitmap.width, bitmap.height, bitmap.n_channels
    rows = np.frombuffer(bitmap.buffer, dtype=np.uint8).reshape(height, bitmap.stride)
    pixels = rows[:, : width * channels].reshape(height, width, channels)[:, :, :3]
    if channels == 1:  # (grey)
        pixels = np.repeat(rows[:, :width].reshape(height, width, 1), 3, axis=2)
    raw = np.concatenate([np.zeros((height, 1), dtype=np.uint8), pixels.reshape(height, width * 3)], axis=1)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 3))
        + chunk(b"IEND", b"")
    )
