"""Deterministic serialisations: the same graph always gives the same bytes.

rdflib's own writers order triples by hash, which changes from one process to
the next; these writers sort subjects, predicates and objects, so rebuilding
from the same documents gives byte-identical files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ofsted_kg.namespaces import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


class _Terms:
    """Writes terms, as prefixed names where a prefix fits."""

    def __init__(self, prefixes: dict[str, str] | None, *, abbreviate: bool = True):
        self.prefixes = sorted((prefixes or {}).items(), key=lambda kv: -len(kv[1]))
        self.abbreviate = abbreviate  # Turtle writes 2 and true bare; N-Triples cannot
        self._written: dict = {}

    def iri(self, iri: URIRef) -> str:
        written = self._written.get(iri)
        if written is None:
            written = self._written[iri] = self._iri(iri)
        return written

    def _iri(self, iri: URIRef) -> str:
        value = str(iri)
        for prefix, namespace in self.prefixes:
            if value.startswith(namespace) and _LOCAL.match(value[len(namespace) :]):
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            if self.abbreviate and term.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(term)):
                return str(term)
            if self.abbreviate and term.datatype == XSD.boolean and str(term) in ("true", "false"):
                return str(term)
            body = f'"{_escape(str(term))}"'
            if term.language:
                return f"{body}@{term.language}"
            if term.datatype and term.datatype != XSD.string:
                return f"{body}^^{self.iri(term.datatype)}"
            return body
        if isinstance(term, BNode):
            raise ValueError("ofsted-kg graphs have no blank nodes; every node gets an IRI")
        raise TypeError(f"not an RDF term: {term!r}")


def _block(triples: Iterable[tuple], terms: _Terms, indent: str = "") -> list[str]:
    """Subjects in order of their IRIs; rdf:type first, then predicates in order; objects in the order
    of their written form (any total order would do: it only has to be the same every time)."""
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    lines: list[str] = []
    for s in sorted(by_subject, key=str):
        lines += _subject(s, by_subject[s], terms, indent)
        lines.append("")
    return lines


def _subject(s, objects_of: Mapping, terms: _Terms, indent: str = "") -> list[str]:
    """One subject's lines: the subject, then each predicate with its objects."""
    term, iri, rdf_type = terms.term, terms.iri, RDF.type
    predicates = sorted(objects_of, key=lambda p: (p != rdf_type, str(p)))
    lines = [f"{indent}{term(s)}"]
    last = len(predicates) - 1
    for i, p in enumerate(predicates):
        verb = "a" if p == rdf_type else iri(p)
        objects = ", ".join(sorted(term(o) for o in objects_of[p]))
        lines.append(f"{indent}    {verb} {objects}{' .' if i == last else ' ;'}")
    return lines


def _prefix_lines(prefixes: dict[str, str]) -> list[str]:
    return [f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items())] + [""]


def default_prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def turtle(graph: Graph, prefixes: dict[str, str] | None = None) -> str:
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    return "\n".join(_prefix_lines(prefixes) + _block(graph, terms))


def trig(graphs: Mapping[URIRef, Iterable[tuple]], prefixes: dict[str, str] | None = None) -> str:
    """Named graphs (each a Graph or a set of triples), by name, as TriG."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    lines = _prefix_lines(prefixes)
    for name in sorted(graphs, key=str):
        g = graphs[name]
        if not g:
            continue
        lines.append(f"{terms.iri(name)} {{")
        lines += _block(g, terms, indent="    ")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Serialised:
    trig: str  # the named graphs
    turtle: str  # their merge
    triples: int  # how many triples the merge has


def trig_and_turtle(graphs: Mapping[URIRef, Iterable[tuple]], prefixes: dict[str, str] | None = None) -> Serialised:
    """The named graphs as TriG and their merge as Turtle: what trig(graphs) and turtle(all triples) give,
    byte for byte, in one pass. A subject that one graph alone describes (most: a finding, its evidence)
    is formatted once: the Turtle takes its block from the TriG, without the indent. The others are
    merged for the Turtle."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    names = [name for name in sorted(graphs, key=str) if graphs[name]]
    graphs_of: dict = defaultdict(int)
    for name in names:
        for s in {t[0] for t in graphs[name]}:
            graphs_of[s] += 1
    header = "\n".join(_prefix_lines(prefixes)) + "\n"
    alone: dict = {}  # subject -> where its block is in the TriG (as a part, and its number of triples)
    shared: dict = defaultdict(lambda: defaultdict(set))  # subject -> predicate -> objects, from every graph
    trig_parts = [header]
    for name in names:
        by_subject: dict = defaultdict(lambda: defaultdict(set))
        for s, p, o in graphs[name]:
            by_subject[s][p].add(o)
        trig_parts.append(f"{terms.iri(name)} {{\n")
        for s in sorted(by_subject, key=str):
            if graphs_of[s] == 1:
                alone[s] = (len(trig_parts), sum(map(len, by_subject[s].values())))
            else:
                for p, objects in by_subject[s].items():
                    shared[s][p] |= objects
            trig_parts.append("    " + "\n    ".join(_subject(s, by_subject[s], terms)) + "\n\n")
        trig_parts.append("}\n\n")
    turtle_parts = [header]
    count = 0
    for s in sorted(graphs_of, key=str):
        if s in alone:
            part, n = alone[s]
            turtle_parts.append(trig_parts[part][4:].replace("\n    ", "\n"))
        else:
            n = sum(map(len, shared[s].values()))
            turtle_parts.append("\n".join(_subject(s, shared[s], terms)) + "\n\n")
        count += n
    trig = "".join(trig_parts)[:-1]
    del trig_parts, alone
    return Serialised(trig, "".join(turtle_parts)[:-1], count)


# Splicing: a file these writers made, with some of its parts written anew. Its other parts are
# kept byte for byte, and the result is what writing the whole again would give, because each part
# (a subject of the Turtle, a named graph of the TriG) is written on its own, in order of its IRI.


def splice_turtle(old: str, subjects: Mapping[URIRef, Iterable[tuple]], prefixes: dict[str, str] | None = None) -> str:
    """A Turtle file with the given subjects' triples replaced (none: the subject is gone)."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    header, body = _split_header(old, prefixes, "Turtle")
    blocks = {_expand(b.split("\n", 1)[0], prefixes): b for b in body.split("\n\n") if b.strip()}
    for s, triples in subjects.items():
        objects_of: dict = defaultdict(set)
        for _, p, o in triples:
            objects_of[p].add(o)
        if objects_of:
            blocks[str(s)] = "\n".join(_subject(s, objects_of, terms))
        else:
            blocks.pop(str(s), None)
    ordered = [blocks[k].rstrip("\n") for k in sorted(blocks)]
    return header + "".join(block + "\n\n" for block in ordered)[:-1]


def splice_trig(old: str, graphs: Mapping[URIRef, Iterable[tuple]], prefixes: dict[str, str] | None = None) -> str:
    """A TriG file with the given named graphs replaced (empty: the graph is gone)."""
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    header, body = _split_header(old, prefixes, "TriG")
    parts: dict[str, str] = {}
    for part in body.split("\n}\n"):
        if part.strip():
            first = part.lstrip("\n").split("\n", 1)[0]
            parts[_expand(first.removesuffix(" {"), prefixes)] = part.lstrip("\n") + "\n}\n"
    for name, triples in graphs.items():
        triples = list(triples)
        if triples:
            lines = [f"{terms.iri(name)} {{", *_block(triples, terms, indent="    "), "}", ""]
            parts[str(name)] = "\n".join(lines)
        else:
            parts.pop(str(name), None)
    return header + "\n".join(parts[k] for k in sorted(parts))


def _split_header(old: str, prefixes: dict[str, str], syntax: str) -> tuple[str, str]:
    """The prefix lines these writers put first, and the rest; refused if the file did not come from them."""
    header = "\n".join(_prefix_lines(prefixes)) + "\n"
    if not old.startswith(header):
        raise ValueError(f"not a {syntax} file written by ofsted-kg with these prefixes")
    return header, old[len(header) :]


def _expand(written: str, prefixes: dict[str, str]) -> str:
    """The IRI of a subject as these writers write it: <iri> or prefix:local."""
    if written.startswith("<") and written.endswith(">"):
        return written[1:-1]
    prefix, _, local = written.partition(":")
    return prefixes[prefix] + local


def ntriples(graph: Graph) -> str:
    terms = _Terms(None, abbreviate=False)
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
