"""Documents: files read into text whose character offsets every piece of evidence points into."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from ofsted_kg import iris, limits, spreadsheet
from ofsted_kg.errors import DocumentError

# Files in a folder that are taken as documents; a file named on the command
# line is always tried, whatever its suffix.
DOCUMENT_SUFFIXES = {".txt", ".text", ".md", ".pdf", ".html", ".htm", ".csv", ".ods"}


@dataclass(frozen=True)
class Document:
    path: Path
    text: str
    sha256: str
    # For a document read from a PDF: where each page starts in its (repaired) text.
    pages: tuple[int, ...] = ()
    # Read from a spreadsheet: its text is the sheets rendered as CSV lines.
    spreadsheet: bool = False

    @property
    def from_pdf(self) -> bool:
        return bool(self.pages)

    @property
    def converted(self) -> bool:
        """Whether the text was made from the file rather than being its content (and so is kept)."""
        return self.from_pdf or self.spreadsheet

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def iri(self) -> URIRef:
        return iris.document(self.sha256)


def discover(paths: list[Path]) -> list[Path]:
    """The document files named by the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load(path: Path) -> Document:
    """Read a document as text, or raise DocumentError saying why it cannot be."""
    return from_bytes(path, read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of a document's file, or DocumentError saying why they cannot be read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.FILE_BYTES + 1)
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > limits.FILE_BYTES:
        raise DocumentError(path, f"is larger than {limits.size(limits.FILE_BYTES)}, the most a document may be")
    return data


def from_bytes(path: Path, data: bytes) -> Document:
    """A document from the bytes of its file (read elsewhere, perhaps on another machine)."""
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > limits.FILE_BYTES:
        raise DocumentError(path, f"is larger than {limits.size(limits.FILE_BYTES)}, the most a document may be")
    if data.lstrip()[:5] == b"%PDF-":
        from ofsted_kg import pdftext  # PDFium is loaded only when a PDF is read

        text, pages = pdftext.read(path, data)
        return Document(path=path, text=_bounded(path, text), sha256=sha, pages=pages)
    if spreadsheet.is_spreadsheet(data):
        return Document(path=path, text=_bounded(path, spreadsheet.read(path, data)), sha256=sha, spreadsheet=True)
    return Document(path=path, text=_bounded(path, decode(path, data)), sha256=sha)


def _bounded(path: Path, text: str) -> str:
    if len(text) > limits.TEXT_CHARACTERS:
        raise DocumentError(
            path, f"gives more than {limits.TEXT_CHARACTERS:,} characters of text, the most a document may give"
        )
    return text


def decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise DocumentError(path, "is empty")
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]:
        raise DocumentError(path, "is an HTML page, not a document (a failed download saved under this name?)")
    if b"\x00" in data:
        raise DocumentError(path, "is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            path, f"is not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text.removeprefix("\ufeff")
