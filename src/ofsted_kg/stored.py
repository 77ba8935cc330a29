"""A built graph read from its Oxigraph store (store.open_store) for the writers of export.py and the views.

Parsing the Turtle with rdflib takes minutes for the whole of England; the store is read in seconds.
Its terms become the rdflib terms the Turtle parser would give (terms.rdflib_term), each distinct
term converted once, since the same IRIs recur in millions of triples.

One difference cannot be undone: Oxigraph keeps numbers, dates and booleans as values, so a literal
written in a form that is not the canonical one ("15.70"^^xsd:decimal) comes back canonical ("15.7").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from ofsted_kg.namespaces import OKG
from ofsted_kg.terms import converter

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import URIRef

    from ofsted_kg.terms import Converter, Triple

__all__ = ["converter", "merged", "named_graphs", "ntriples", "rdflib_triples"]


def rdflib_triples(triples: Iterable[ox.Quad | ox.Triple], term: Converter | None = None) -> Iterator[Triple]:
    """pyoxigraph triples or quads as rdflib triples."""
    term = term or converter()
    for t in triples:
        yield term(t.subject), term(t.predicate), term(t.object)


def merged(found: ox.Store) -> Iterator[Triple]:
    """The merged graph (the store's default graph), as rdflib triples."""
    import pyoxigraph as ox

    return rdflib_triples(found.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def named_graphs(found: ox.Store, document: str | None = None) -> dict[URIRef, set[Triple]]:
    """The named graphs, each a set of rdflib triples, by name (an rdflib URIRef); with `document`, only
    the graphs that document names: by their IRI, or by the file name the graph gives itself."""
    import pyoxigraph as ox

    # (an ofsted-kg graph names each of its graphs by an IRI)
    names = [name for name in found.named_graphs() if isinstance(name, ox.NamedNode)]
    if document is not None:
        file_name = ox.NamedNode(str(OKG.fileName))
        names = [
            name
            for name in names
            if name.value == document
            or any(
                not isinstance(q.object, ox.Triple) and q.object.value == document
                for q in found.quads_for_pattern(name, file_name, None, name)
            )
        ]
    graphs, term = {}, converter()
    for name in names:
        triples = set(rdflib_triples(found.quads_for_pattern(None, None, None, name), term))
        if triples:
            graphs[term(name)] = triples
    return graphs


def ntriples(found: ox.Store) -> str:
    """export.ntriples of the merged graph, written by Oxigraph and sorted: the same lines, faster."""
    import pyoxigraph as ox

    from ofsted_kg import export

    data = found.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""  # (bytes: no output given)
    if b"\\u" in data:  # Oxigraph writes control characters as \\uXXXX, export.ntriples as they are
        return export.ntriples(merged(found))
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    lines.sort()  # UTF-8 bytes sort as their characters do, so this is the order export.ntriples gives
    return (b"\n".join(lines) + b"\n").decode("utf-8") if lines else ""
