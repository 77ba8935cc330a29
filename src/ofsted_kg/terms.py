"""Terms of pyoxigraph as terms of rdflib, and back: the store speaks the one, the writers and checks the other.

Also the types of the triples the project makes: rdflib types every term of a triple a Node, which says
nothing; a subject here is an IRI or a blank node, a predicate an IRI, an object any of those or a literal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast, overload

from rdflib import Literal, URIRef

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import TypeAlias

    import pyoxigraph as ox
    from rdflib import BNode, Graph

    Subject: TypeAlias = URIRef | BNode
    Term: TypeAlias = URIRef | BNode | Literal  # an object
    Triple: TypeAlias = tuple[Subject, URIRef, Term]
    # A pyoxigraph term, as the store gives it (a quoted triple, RDF-star, is none the graph holds).
    OxSubject: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Triple
    OxTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@overload
def rdflib_term(term: None) -> None: ...
@overload
def rdflib_term(term: ox.NamedNode) -> URIRef: ...
@overload
def rdflib_term(term: OxSubject) -> Subject: ...
@overload
def rdflib_term(term: OxTerm) -> Term: ...
@overload
def rdflib_term(term: OxTerm | None) -> Term | None: ...
def rdflib_term(term: OxTerm | None) -> Term | None:
    """A pyoxigraph term as the rdflib term that is written the same (a plain literal for xsd:string)."""
    import pyoxigraph as ox
    from rdflib import BNode

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise TypeError(f"a quoted triple (RDF-star) has no rdflib term: {term}")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@overload
def oxigraph_term(term: URIRef) -> ox.NamedNode: ...
@overload
def oxigraph_term(term: Subject) -> ox.NamedNode | ox.BlankNode: ...
@overload
def oxigraph_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal: ...
def oxigraph_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term (the inverse of rdflib_term)."""
    import pyoxigraph as ox

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.BlankNode(str(term))


class Converter(Protocol):
    """rdflib_term, remembering what it converted (converter())."""

    @overload
    def __call__(self, t: ox.NamedNode, /) -> URIRef: ...
    @overload
    def __call__(self, t: OxSubject, /) -> Subject: ...
    @overload
    def __call__(self, t: OxTerm, /) -> Term: ...


def converter() -> Converter:
    """A function from pyoxigraph terms to rdflib terms that converts each distinct term once (the same
    IRIs recur in millions of triples)."""
    memo: dict[OxTerm, Term] = {}

    def term(t: OxTerm) -> Term:
        found = memo.get(t)
        if found is None:
            found = memo[t] = rdflib_term(t)
        return found

    return cast(Converter, term)  # (rdflib_term's overloads hold for it)


def oxigraph_quads(
    triples: Iterable[Triple], graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph
) -> Iterator[ox.Quad]:
    """Triples of rdflib terms as pyoxigraph quads in a graph."""
    import pyoxigraph as ox

    return (ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), graph) for s, p, o in triples)


def triples_of(graph: Graph) -> Iterator[Triple]:
    """A graph's triples, as the types above say they are (rdflib's own say only 'Node')."""
    return cast("Iterator[Triple]", iter(graph))
