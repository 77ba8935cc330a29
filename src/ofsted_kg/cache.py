"""What a build read from each document, kept beside the graph as data (gzipped JSON), never as code.

A graph folder may come from someone else: loading its cache must not be able
to run anything. So the cache is JSON, and it is decoded into the fact types
of `facts.py` (and the values they hold) by name, from a fixed list; anything
else in the file refuses the whole cache with a message.

Each document is recorded with the version of the extractors that read it (a
digest of their code and of the reference data they use), so that after an
upgrade the documents are read again rather than trusted.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import zlib
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ofsted_kg import facts
from ofsted_kg.documents import Document
from ofsted_kg.errors import GraphError
from ofsted_kg.facts import Extraction
from ofsted_kg.text import PartialDate, Quoted, Span

FORMAT = "ofsted-kg extractions 2"
# The England corpus's cache inflates to about 95 MB: ten times that is refused as a bomb.
MAX_BYTES = 1 << 30
# Everything a cache may hold, by the name written in it.
_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Span, Quoted, PartialDate, Extraction)
    + tuple(c for c in vars(facts).values() if isinstance(c, type) and dataclasses.is_dataclass(c))
}


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of the code that turns files into facts and of the reference data it reads.

    Any change to them may change what a document yields, so a document read by
    other extractors is read again.
    """
    digest = hashlib.sha256()
    package = resources.files("ofsted_kg")
    parts = [package / name for name in ("documents.py", "pdftext.py", "spreadsheet.py", "text.py", "facts.py")]
    parts += [package / "councils.py", package / "reference.py"]
    parts += sorted((p for p in (package / "extract").iterdir() if p.name.endswith(".py")), key=lambda p: p.name)
    parts += sorted((p for p in (package / "data").iterdir() if p.name.endswith(".csv")), key=lambda p: p.name)
    parts += [resources.files("ofsted_kg.ontology") / "schemes.ttl"]
    for part in parts:
        digest.update(part.name.encode() + b"\0" + part.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Entry:
    """One document as a build read it."""

    document: Document
    extraction: Extraction
    extractor: str  # the extractor_version() that read it


def dumps(entries: list[Entry]) -> bytes:
    payload = {
        "format": FORMAT,
        "documents": [
            {
                "path": str(e.document.path),
                "sha256": e.document.sha256,
                "text": e.document.text,
                "pages": list(e.document.pages),
                "spreadsheet": e.document.spreadsheet,
                "extractor": e.extractor,
                "extraction": _encode(e.extraction),
            }
            for e in entries
        ],
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0: the same cache gives the same bytes.
    return gzip.compress(text.encode("utf-8"), compresslevel=1, mtime=0)


def loads(data: bytes, where: Path) -> list[Entry]:
    """The entries of a cache file, or GraphError saying why it cannot be used."""
    try:
        payload = json.loads(_inflate(data, where).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError, zlib.error) as exc:
        raise GraphError(f"{where}: not a cache of ofsted-kg ({exc})") from None
    except RecursionError:
        raise GraphError(f"{where}: not a cache of ofsted-kg (nested too deeply)") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise GraphError(f"{where}: not a cache of this version of ofsted-kg")
    try:
        return [
            Entry(
                Document(
                    path=Path(_str(d["path"])),
                    text=_str(d["text"]),
                    sha256=_str(d["sha256"]),
                    pages=tuple(_int(p) for p in d["pages"]),
                    spreadsheet=bool(d["spreadsheet"]),
                ),
                _expect(_decode(d["extraction"]), Extraction),
                _str(d["extractor"]),
            )
            for d in payload["documents"]
        ]
    except (KeyError, TypeError, ValueError, InvalidOperation, RecursionError) as exc:
        raise GraphError(f"{where}: a damaged cache ({exc})") from None


def _inflate(data: bytes, where: Path) -> bytes:
    """The cache's bytes, decompressed, refused past MAX_BYTES: a graph folder from someone else may hold
    a small file that inflates to fill the memory."""
    if data[:2] != b"\x1f\x8b":
        raise ValueError(f"Not a gzipped file ({data[:2]!r})")
    inflater = zlib.decompressobj(wbits=31)
    out = inflater.decompress(data, MAX_BYTES + 1)
    if len(out) > MAX_BYTES or inflater.unconsumed_tail:
        raise GraphError(f"{where}: a cache that inflates to more than {MAX_BYTES // 2**20} MB is not read")
    return out


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$": type(value).__name__, **fields}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$tuple" in value:
            return tuple(_decode(v) for v in value["$tuple"])
        if "$decimal" in value:
            return Decimal(_str(value["$decimal"]))
        cls = _TYPES.get(value.get("$"))  # type: ignore[arg-type]
        if cls is None:
            raise ValueError(f"unknown type {value.get('$')!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        given = {k: _decode(v) for k, v in value.items() if k != "$"}
        if not set(given) <= names:
            raise ValueError(f"unknown fields {sorted(set(given) - names)} of {cls.__name__}")
        return cls(**given)
    if value is None or isinstance(value, (str, int, bool, float)):
        return value
    raise ValueError(f"unexpected value {value!r}")


def _expect(value: Any, cls: type) -> Any:
    if not isinstance(value, cls):
        raise ValueError(f"expected {cls.__name__}, found {type(value).__name__}")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, found {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"expected a whole number, found {type(value).__name__}")
    return value
