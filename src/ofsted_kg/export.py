"""Deterministic serialisations: the same graph always gives the same bytes.

rdflib's own writers order triples by hash, which changes from one process to
the next; these writers sort subjects, predicates and objects, so rebuilding
from the same documents gives byte-identical files.
"""

from __future__ import annotations

import bisect
import mmap
import re
from typing import TYPE_CHECKING, Iterable, Mapping, Union

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ofsted_kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from typing import TypeAlias

    from rdflib.term import Node

    from ofsted_kg.terms import Subject

    # Triples as rdflib gives them (a Graph), or as the graph's writers make them (sets of terms.Triple).
    Triples: TypeAlias = Iterable[tuple[Node, Node, Node]]

_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


# A file's bytes, or a memory map of them; and a piece of a file to write: bytes, or a view of the old file's.
Buffer = Union[bytes, "mmap.mmap"]
Piece = Union[bytes, memoryview]

_RDF_TYPE = str(RDF.type)
_INTEGER, _BOOLEAN, _STRING = str(XSD.integer), str(XSD.boolean), str(XSD.string)
_WHOLE = re.compile(r"[+-]?\d+")


class Terms:
    """Writes terms, as prefixed names where a prefix fits.

    Terms are handled as plain strings: rdflib compares its terms in Python, which costs more than
    writing them once a national graph has millions."""

    def __init__(self, prefixes: dict[str, str] | None, *, abbreviate: bool = True):
        self.prefixes = sorted((prefixes or {}).items(), key=lambda kv: -len(kv[1]))
        # A local name has no '/' or '#', so a namespace ending in one of them can only be the whole IRI
        # up to its last: found by one look-up, not by trying every prefix.
        self._ending = {ns: prefix for prefix, ns in self.prefixes if ns.endswith(("/", "#"))}
        self._others = [(prefix, ns) for prefix, ns in self.prefixes if not ns.endswith(("/", "#"))]
        self.abbreviate = abbreviate  # Turtle writes 2 and true bare; N-Triples cannot
        self._written: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        key = str(iri)
        written = self._written.get(key)
        if written is None:
            written = self._written[key] = self._iri(key)
        return written

    def _iri(self, value: str) -> str:
        cut = max(value.rfind("/"), value.rfind("#")) + 1
        prefix = self._ending.get(value[:cut]) if cut else None
        if prefix is not None and _LOCAL.match(value[cut:]):
            return f"{prefix}:{value[cut:]}"
        for prefix, namespace in self._others:
            if value.startswith(namespace) and _LOCAL.match(value[len(namespace) :]):
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"

    def term(self, term: Node) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            given = term.datatype
            datatype = None if given is None else str(given)
            value = str(term)
            if self.abbreviate and datatype == _INTEGER and _WHOLE.fullmatch(value):
                return value
            if self.abbreviate and datatype == _BOOLEAN and value in ("true", "false"):
                return value
            body = f'"{_escape(value)}"'
            if term.language:
                return f"{body}@{term.language}"
            if datatype and datatype != _STRING:
                return f"{body}^^{self.iri(datatype)}"
            return body
        if isinstance(term, BNode):
            raise ValueError("ofsted-kg graphs have no blank nodes; every node gets an IRI")
        raise TypeError(f"not an RDF term: {term!r}")


def grouped(triples: Triples, terms: Terms) -> dict[str, dict[str, set[str]]]:
    """Triples as subject IRI -> predicate IRI -> written objects, all plain strings."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    term = terms.term
    for subject, predicate, o in triples:
        s, p = str(subject), str(predicate)
        objects_of = by_subject.get(s)
        if objects_of is None:
            objects_of = by_subject[s] = {}
        objects = objects_of.get(p)
        if objects is None:
            objects_of[p] = {term(o)}
        else:
            objects.add(term(o))
    return by_subject


def _block(triples: Triples, terms: Terms, indent: str = "") -> list[str]:
    """Subjects in order of their IRIs; rdf:type first, then predicates in order; objects in the order
    of their written form (any total order would do: it only has to be the same every time)."""
    by_subject = grouped(triples, terms)
    lines: list[str] = []
    for s in sorted(by_subject):
        lines += subject_lines(s, by_subject[s], terms, indent)
        lines.append("")
    return lines


def subject_lines(s: str, objects_of: Mapping[str, Iterable[str]], terms: Terms, indent: str = "") -> list[str]:
    """One subject's lines: the subject, then each predicate with its written objects."""
    iri = terms.iri
    predicates = sorted(objects_of)
    if _RDF_TYPE in objects_of:
        predicates.remove(_RDF_TYPE)
        predicates.insert(0, _RDF_TYPE)
    lines = [f"{indent}{iri(s)}"]
    last = len(predicates) - 1
    for i, p in enumerate(predicates):
        verb = "a" if p == _RDF_TYPE else iri(p)
        objects = ", ".join(sorted(objects_of[p]))
        lines.append(f"{indent}    {verb} {objects}{' .' if i == last else ' ;'}")
    return lines


def prefix_lines(prefixes: dict[str, str]) -> list[str]:
    return [f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items())] + [""]


def default_prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def turtle(graph: Triples, prefixes: dict[str, str] | None = None) -> str:
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = Terms(prefixes)
    return "\n".join(prefix_lines(prefixes) + _block(graph, terms))


def trig(graphs: Mapping[URIRef, Triples], prefixes: dict[str, str] | None = None) -> str:
    """Named graphs (each a Graph or a set of triples), by name, as TriG."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = Terms(prefixes)
    lines = prefix_lines(prefixes)
    for name in sorted(graphs, key=str):
        g = graphs[name]
        if not g:
            continue
        lines.append(f"{terms.iri(name)} {{")
        lines += _block(g, terms, indent="    ")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


# Splicing: a file these writers made, with some of its parts written anew. Its other parts are
# kept byte for byte, and the result is what writing the whole again would give, because each part
# (a subject of the Turtle, a named graph of the TriG) is written on its own, in order of its IRI.


def splice_turtle(
    old: Buffer, subjects: Mapping[Subject, Triples], prefixes: dict[str, str] | None = None
) -> list[Piece]:
    """A Turtle file (its bytes, or a map of them) with the given subjects' triples replaced (none: the
    subject is gone): the new file, as pieces to write one after the other.

    Each subject's block is found by bisection over the file, whose blocks are in order of their IRIs,
    and the file is never decoded or copied whole but once: a change to a few subjects of a national
    graph costs about what writing the file costs."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = Terms(prefixes)
    old, base = _with_header(old, prefixes, "Turtle")
    size = len(old)
    past = size + 1 if size > base else base  # the end of the body, with the newline it is read with

    def after(position: int) -> int:  # the first block that starts at or after a position (past: none)
        if position <= base:
            return base
        found = old.find(b"\n\n", max(position - 2, base))
        return past if found == -1 else found + 2

    def key(start: int) -> str:
        return expand_iri(old[start : _index(old, b"\n", start)].decode("utf-8"), prefixes)

    changes: list[tuple[int, int, bytes]] = []  # (start, end, new text) in the old file
    for s in sorted(subjects, key=str):
        target = str(s)
        lo, hi = base, past
        while lo < hi:  # the first position whose next block's subject is not before the target
            mid = (lo + hi) // 2
            start = after(mid)
            if start < past and key(start) < target:
                lo = mid + 1
            else:
                hi = mid
        start = end = after(lo)
        if start < past and key(start) == target:
            found = old.find(b"\n\n", start)
            end = past if found == -1 else found + 2
        objects_of = grouped(subjects[s], terms).get(target)
        block = "\n".join(subject_lines(target, objects_of, terms)) + "\n\n" if objects_of else ""
        changes.append((start, end, block.encode("utf-8")))
    return _spliced(old, base, changes)


def splice_trig(old: Buffer, graphs: Mapping[URIRef, Triples], prefixes: dict[str, str] | None = None) -> list[Piece]:
    """A TriG file (its bytes, or a map of them) with the given named graphs replaced (empty: the graph is
    gone): the new file, as pieces to write one after the other."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = Terms(prefixes)
    old, base = _with_header(old, prefixes, "TriG")
    size = len(old)
    parts = trig_parts(old, prefixes)
    order = sorted(parts)
    changes: list[tuple[int, int, bytes]] = []
    for name in sorted(graphs, key=str):
        written = str(name)
        triples = list(graphs[name])
        part = ""
        if triples:
            part = "\n".join([f"{terms.iri(written)} {{", *_block(triples, terms, indent="    "), "}", "", ""])
        if written in parts:
            changes.append((*parts[written], part.encode("utf-8")))
        else:
            following = bisect.bisect_left(order, written)
            at = parts[order[following]][0] if following < len(order) else (size + 1 if size > base else base)
            changes.append((at, at, part.encode("utf-8")))
    return _spliced(old, base, changes)


def trig_parts(data: Buffer, prefixes: dict[str, str] | None = None) -> dict[str, tuple[int, int]]:
    """Where each named graph's part is in a TriG file these writers wrote: graph IRI -> (start, end) of
    its part, from its `<name> {` line to the blank line after its `}` (the last part ends one byte past
    the file, which lacks that newline). Every line inside a part is indented and every literal's line
    breaks are escaped, so a line `}` can only close a part. ValueError for a file they did not write."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    data, base = _with_header(data, prefixes, "TriG")
    size = len(data)
    parts: dict[str, tuple[int, int]] = {}
    position = base
    while position < size:
        found = data.find(b"\n}\n\n", position)
        end = size + 1 if found == -1 else found + 4  # the last part: to the end, and the newline after
        first = data[position : _index(data, b"\n", position)].decode("utf-8")
        parts[expand_iri(first.removesuffix(" {"), prefixes)] = (position, end)
        position = end
    return parts


def trig_header(prefixes: dict[str, str] | None = None) -> bytes:
    """The prefix lines the writers put first (with which a part's lines are Turtle)."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    return ("\n".join(prefix_lines(prefixes)) + "\n").encode("utf-8")


def _index(data: Buffer, sub: bytes, start: int) -> int:
    found = data.find(sub, start)
    if found == -1:
        raise ValueError(f"a part of the file is not closed ({sub!r} missing after byte {start})")
    return found


def _with_header(old: Buffer, prefixes: dict[str, str], syntax: str) -> tuple[Buffer, int]:
    """The file, and where the prefix lines these writers put first end; refused if the file did not come
    from them. (The file of an empty graph is its prefix lines without the blank line after them.)"""
    header = ("\n".join(prefix_lines(prefixes)) + "\n").encode("utf-8")
    if len(old) == len(header) - 1 and old[:] == header[:-1]:
        return header, len(header)
    if old[: len(header)] != header:
        raise ValueError(f"not a {syntax} file written by ofsted-kg with these prefixes")
    return old, len(header)


def _spliced(old: Buffer, base: int, changes: list[tuple[int, int, bytes]]) -> list[Piece]:
    """The file with each (start, end, new) change made: [start, end) replaced by the new bytes.

    Positions count in the file's body as if it ended with one more newline (size + 1 is past it), so
    that every part, the last too, is followed by a blank line; the result drops that newline again.
    The kept bytes are views of the old ones, never copied."""
    size = len(old)
    view = memoryview(old)

    def kept(a: int, b: int) -> list[Piece]:
        out: list[Piece] = [view[a : min(b, size)]] if a < size else []
        if a <= size < b:
            out.append(b"\n")
        return out

    pieces: list[Piece] = [view[:base]]
    done = base
    for start, end, text in sorted(changes, key=lambda c: (c[0], c[1])):
        pieces += kept(done, start)
        pieces.append(text)
        done = end
    pieces += kept(done, size + 1 if size > base else base)
    for i in range(len(pieces) - 1, 0, -1):  # the extra newline goes: the last byte after the header
        if len(pieces[i]):
            pieces[i] = pieces[i][:-1]
            break
    if sum(map(len, pieces)) <= base:  # an empty graph: as an empty graph is written
        return [bytes(view[: base - 1])]
    return pieces


def expand_iri(written: str, prefixes: dict[str, str]) -> str:
    """The IRI of a subject as these writers write it: <iri> or prefix:local."""
    if written.startswith("<") and written.endswith(">"):
        return written[1:-1]
    prefix, _, local = written.partition(":")
    if prefix not in prefixes:  # a file changed by hand, or not ours
        raise ValueError(f"a part names {written!r}, whose prefix these writers do not use")
    return prefixes[prefix] + local


def ntriples(graph: Triples) -> str:
    terms = Terms(None, abbreviate=False)
    return "".join(sorted(f"{terms.term(s)} {terms.term(p)} {terms.term(o)} .\n" for s, p, o in graph))


def jsonld(graph: Graph) -> str:
    """JSON-LD compacted with ontology/context.jsonld, its nodes and keys in a stable order."""
    import json

    from ofsted_kg.resources import ontology_file

    context = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(data.get("@graph"), list):
        data["@graph"] = sorted(data["@graph"], key=lambda node: str(node.get("@id", "")))
        for node in data["@graph"]:
            for key, value in node.items():
                if isinstance(value, list):
                    node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    # The whole context, inline, so that the file reads on its own.
    data["@context"] = context
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
