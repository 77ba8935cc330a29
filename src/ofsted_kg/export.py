"""Deterministic serialisations: the same graph always gives the same bytes.

rdflib's own writers order triples by hash, which changes from one process to
the next; these writers sort subjects, predicates and objects, so rebuilding
from the same documents gives byte-identical files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ofsted_kg.namespaces import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)


class _Terms:
    """Writes terms, as prefixed names where a prefix fits."""

    def __init__(self, prefixes: dict[str, str] | None):
        self.prefixes = sorted((prefixes or {}).items(), key=lambda kv: -len(kv[1]))
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
            if term.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(term)):
                return str(term)
            if term.datatype == XSD.boolean and str(term) in ("true", "false"):
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


def _sort_key(term) -> tuple:
    if isinstance(term, URIRef):
        return (0, str(term), "")
    return (1, str(term), str(term.datatype or ""), term.language or "")


def _block(triples: Iterable[tuple], terms: _Terms, indent: str = "") -> list[str]:
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    lines: list[str] = []
    for s in sorted(by_subject, key=_sort_key):
        predicates = sorted(by_subject[s], key=lambda p: (p != RDF.type, str(p)))
        lines.append(f"{indent}{terms.term(s)}")
        for i, p in enumerate(predicates):
            verb = "a" if p == RDF.type else terms.iri(p)
            objects = ", ".join(terms.term(o) for o in sorted(by_subject[s][p], key=_sort_key))
            end = " ." if i == len(predicates) - 1 else " ;"
            lines.append(f"{indent}    {verb} {objects}{end}")
        lines.append("")
    return lines


def _prefix_lines(prefixes: dict[str, str]) -> list[str]:
    return [f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items())] + [""]


def default_prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def turtle(graph: Graph, prefixes: dict[str, str] | None = None) -> str:
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    return "\n".join(_prefix_lines(prefixes) + _block(graph, terms))


def trig(dataset: Dataset, prefixes: dict[str, str] | None = None) -> str:
    prefixes = default_prefixes() if prefixes is None else prefixes
    terms = _Terms(prefixes)
    lines = _prefix_lines(prefixes)
    graphs = sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier))
    for g in graphs:
        lines.append(f"{terms.iri(g.identifier)} {{")
        lines += _block(g, terms, indent="    ")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def ntriples(graph: Graph) -> str:
    terms = _Terms(None)
    return "".join(sorted(f"{terms.term(s)} {terms.term(p)} {terms.term(o)} .\n" for s, p, o in graph))
