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
import io
import json
import zlib
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ofsted_kg import facts
from ofsted_kg.documents import Document
from ofsted_kg.errors import GraphError
from ofsted_kg.facts import Extraction, Links, links_of
from ofsted_kg.text import PartialDate, Quoted, Span

if TYPE_CHECKING:
    from rdflib import URIRef

T = TypeVar("T")

FORMAT = "ofsted-kg extractions 4"  # 4: Links name each document's people
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
    """A digest of the code that turns files into facts and facts into graphs, and of the reference data
    it reads.

    Any change to them may change what a document yields, so a document read by
    other extractors is read again.
    """
    digest = hashlib.sha256()
    package = resources.files("ofsted_kg")
    parts = [package / name for name in ("documents.py", "pdftext.py", "spreadsheet.py", "text.py", "facts.py")]
    parts += [package / "councils.py", package / "reference.py"]
    parts += sorted((p for p in (package / "extract").iterdir() if p.name.endswith(".py")), key=lambda p: p.name)
    # And the code that turns facts into a document's graph: a graph written by other writers (without a
    # statement's okg:quote, say) is written again, not kept beside graphs of the new model.
    parts += [package / name for name in ("graph.py", "preferences.py", "derived.py")]
    parts += sorted((p for p in (package / "rdf").iterdir() if p.name.endswith(".py")), key=lambda p: p.name)
    parts += sorted((p for p in (package / "data").iterdir() if p.name.endswith(".csv")), key=lambda p: p.name)
    parts += [resources.files("ofsted_kg.ontology") / "schemes.ttl"]
    for part in parts:
        digest.update(part.name.encode() + b"\0" + part.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class Entry:
    """One document as a build read it: the document, what was extracted from it, and the
    extractor_version() that read it.

    Loaded from a cache, the document's text and its extraction are decoded when first asked for: `add`
    needs them for a few documents only (for the others their Links, kept apart, are enough), and a
    national cache takes seconds to decode whole. An entry never changed is written back as it was read."""

    __slots__ = ("path", "sha256", "pages", "spreadsheet", "extractor", "_links", "_document", "_extraction")

    def __init__(self, document: Document, extraction: Extraction, extractor: str, links: Links | None = None):
        self.path, self.sha256, self.pages = document.path, document.sha256, document.pages
        self.spreadsheet, self.extractor = document.spreadsheet, extractor
        self._document: Document | _Stored = document
        self._extraction: Extraction | None = extraction
        self._links = links

    @property
    def document(self) -> Document:
        if isinstance(self._document, _Stored):
            self._document, self._extraction = self._document.decode(self)
        return self._document

    @property
    def extraction(self) -> Extraction:
        if self._extraction is None:
            self.document  # noqa: B018 - decodes both
        assert self._extraction is not None
        return self._extraction

    @property
    def links(self) -> Links:
        if self._links is None:
            self._links = links_of(self.extraction)
        return self._links

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def iri(self) -> URIRef:
        from ofsted_kg import iris

        return iris.document(self.sha256)

    def at(self, path: Path) -> Entry:
        """The same entry, for the same content found at another path."""
        moved = object.__new__(Entry)
        for slot in Entry.__slots__:
            setattr(moved, slot, getattr(self, slot))
        moved.path = path
        if not isinstance(self._document, _Stored):
            moved._document = dataclasses.replace(self._document, path=path)
        return moved

    def _encoded_body(self) -> bytes:
        if isinstance(self._document, _Stored):
            return self._document.body
        body = {"extraction": _encode(self.extraction), "text": self.document.text}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")

    def __repr__(self) -> str:
        return f"Entry({self.path}, {self.sha256[:12]}, {self.extractor})"


@dataclasses.dataclass(frozen=True)
class _Stored:
    """An entry's text and extraction as the cache holds them, not decoded yet."""

    body: bytes
    where: Path

    def decode(self, entry: Entry) -> tuple[Document, Extraction]:
        try:
            body = json.loads(self.body)
            document = Document(entry.path, _str(body["text"]), entry.sha256, entry.pages, entry.spreadsheet)
            return document, _expect(_decode(body["extraction"]), Extraction)
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise GraphError(f"{self.where}: a damaged cache ({exc})") from None
        except RecursionError:
            raise GraphError(f"{self.where}: not a cache of ofsted-kg (nested too deeply)") from None


def dumps(entries: list[Entry]) -> bytes:
    """The cache of these entries: a header line, then two lines per document: what describes it (with
    its Links), and its text and extraction. Written a document at a time, never whole in memory."""
    out = io.BytesIO()
    # mtime=0: the same cache gives the same bytes.
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0) as packed:
        packed.write(_line({"format": FORMAT}))
        for e in entries:
            meta = {
                "path": str(e.path),
                "sha256": e.sha256,
                "pages": list(e.pages),
                "spreadsheet": e.spreadsheet,
                "extractor": e.extractor,
                "links": _encode(e.links),
            }
            packed.write(_line(meta))
            packed.write(e._encoded_body() + b"\n")
    return out.getvalue()


def _line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def loads(data: bytes, where: Path, *, lazily: bool = False) -> list[Entry]:
    """The entries of a cache file, or GraphError saying why it cannot be used. Lazily: each document's
    text and extraction are decoded when first asked for (and a damaged one reported then)."""
    try:
        lines = _inflate(data, where).split(b"\n")
        header = json.loads(lines[0])
    except (OSError, EOFError, UnicodeDecodeError, ValueError, zlib.error) as exc:
        raise GraphError(f"{where}: not a cache of ofsted-kg ({exc})") from None
    except RecursionError:
        raise GraphError(f"{where}: not a cache of ofsted-kg (nested too deeply)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise GraphError(f"{where}: not a cache of this version of ofsted-kg")
    if len(lines) % 2 != 0 or lines[-1] != b"":
        raise GraphError(f"{where}: a damaged cache (cut short)")
    entries = []
    try:
        for meta_line, body in zip(lines[1:-1:2], lines[2:-1:2], strict=True):
            meta = json.loads(meta_line)
            entry = object.__new__(Entry)
            entry.path = Path(_str(meta["path"]))
            entry.sha256 = _str(meta["sha256"])
            entry.pages = tuple(_int(p) for p in meta["pages"])
            entry.spreadsheet = bool(meta["spreadsheet"])
            entry.extractor = _str(meta["extractor"])
            entry._links = _expect(_decode(meta["links"]), Links)
            entry._document = _Stored(body, where)
            entry._extraction = None
            if not lazily:
                entry.document  # noqa: B018 - decoded now
            entries.append(entry)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise GraphError(f"{where}: a damaged cache ({exc})") from None
    except RecursionError:
        raise GraphError(f"{where}: not a cache of ofsted-kg (nested too deeply)") from None
    return entries


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


_FIELDS: dict[type, tuple[str, ...]] = {}  # each dataclass's fields, looked up once: dataclasses.fields is slow


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is tuple:
        return {"$tuple": [_encode(v) for v in value]}
    if kind is list:
        return [_encode(v) for v in value]
    if kind is Decimal:
        return {"$decimal": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and _TYPES.get(kind.__name__) is kind:
        encoded = {"$": kind.__name__}
        for name in _fields(kind):
            encoded[name] = _encode(getattr(value, name))
        return encoded
    raise TypeError(f"cannot keep a {kind.__name__} in the cache")


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None or kind is float:
        return value
    if kind is list:
        return [_decode(v) for v in value]
    if kind is dict:
        if "$tuple" in value:
            return tuple(_decode(v) for v in value["$tuple"])
        if "$decimal" in value:
            return Decimal(_str(value["$decimal"]))
        cls = _TYPES.get(value.get("$"))
        if cls is None:
            raise ValueError(f"unknown type {value.get('$')!r}")
        names = _fields(cls)
        given = {k: _decode(v) for k, v in value.items() if k != "$"}
        if len(given) > len(names) or not all(k in names for k in given):
            raise ValueError(f"unknown fields {sorted(set(given) - set(names))} of {cls.__name__}")
        return cls(**given)
    raise ValueError(f"unexpected value {value!r}")


def _expect(value: Any, cls: type[T]) -> T:
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
