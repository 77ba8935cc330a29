"""Terms of pyoxigraph as terms of rdflib, and back: the store speaks the one, the writers and checks the other."""

from __future__ import annotations

from rdflib import Literal, URIRef

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_term(term):
    """A pyoxigraph term as the rdflib term that is written the same (a plain literal for xsd:string)."""
    import pyoxigraph as ox
    from rdflib import BNode

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def oxigraph_term(term):
    """An rdflib term as the pyoxigraph term (the inverse of rdflib_term)."""
    import pyoxigraph as ox

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.BlankNode(str(term))
