"""The reference graph: the SKOS schemes, and the councils the documents name, with their statistical
neighbours and regions."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from ofsted_kg import iris
from ofsted_kg.councils import load_councils
from ofsted_kg.facts import Links
from ofsted_kg.namespaces import ID, OKG, SCHEMA
from ofsted_kg.rdf.inspections import Inspections
from ofsted_kg.reference import schemes_graph

REFERENCE_GRAPH = ID["graph/reference"]
ENGLAND = "E92000001"  # ONS GSS code of England


def councils_named(links: list[Links], inspections: Inspections) -> set[str]:
    """Every council the documents name, whose identifiers go into the reference graph."""
    found: set[str] = set()
    councils = load_councils()
    for link in links:
        if link.council is not None:
            found.add(link.council)
        for ref, named in link.refs:
            key = inspections.resolve(ref) if ref is not None else None
            if ref is None or key is not None:  # a fact of no known inspection is not written
                found |= {key[0]} if key else set()
                found |= {value for value in named if councils.by_gss(value)}
    return found


def reference_graph(councils_named: set[str]) -> Graph:
    """The reference graph: the SKOS schemes, and the identifiers of every council the documents name."""
    g = Graph(identifier=REFERENCE_GRAPH)
    for triple in schemes_graph():
        g.add(triple)
    councils = load_councils()
    named = {gss: council for gss in councils_named if (council := councils.by_gss(gss)) is not None}
    # A council's statistical neighbours are named with it, so that it can be compared with them.
    neighbours = {n for council in named.values() for n in council.neighbours if councils.by_gss(n) is not None}
    for gss in sorted(named.keys() | neighbours):
        council = councils.by_gss(gss)
        if council is None:
            continue
        if gss in named:
            for n in council.neighbours:
                if councils.by_gss(n) is not None:
                    g.add((iris.council(gss), OKG.statisticalNeighbour, iris.council(n)))
        c = iris.council(gss)
        g.add((c, RDF.type, OKG.LocalAuthority))
        g.add((c, SKOS.prefLabel, Literal(council.name)))
        g.add((c, OKG.gssCode, Literal(council.gss_code)))
        g.add((c, OKG.dfeCode, Literal(council.dfe_code)))
        g.add((c, OKG.ofstedURN, Literal(council.ofsted_urn)))
        g.add((c, OKG.region, Literal(council.region)))
        g.add((c, PROV.wasDerivedFrom, ID["dataset/la-lookup"]))
        if council.region_code:
            region = iris.area(council.region_code)
            g.add((c, SCHEMA.containedInPlace, region))
            g.add((region, RDF.type, SCHEMA.AdministrativeArea))
            g.add((region, RDFS.label, Literal(council.region)))
            g.add((region, SKOS.notation, Literal(council.region_code)))
            g.add((region, SCHEMA.containedInPlace, iris.area(ENGLAND)))
    england = iris.area(ENGLAND)
    g.add((england, RDF.type, SCHEMA.Country))
    g.add((england, RDFS.label, Literal("England")))
    g.add((england, SKOS.notation, Literal(ENGLAND)))
    return g
