"""The ontology covers the graph: every class and every property a built graph uses is either declared in
the project's ontology files, with a label and a definition, or a term of a standard vocabulary.

The graph is read as `build` writes it: the merged Turtle and every named graph of the TriG.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

import test_corpus
from ofsted_kg.namespaces import OA, OKG, SCHEMA

from conftest import ROOT

# The standard vocabularies whose terms the graph may use without the project declaring them. One list.
STANDARD_NAMESPACES: dict[str, Namespace] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "schema": SCHEMA,
    "oa": OA,
    "foaf": FOAF,
    "void": VOID,
    "sh": SH,
    "dcat": DCAT,
}

# The project's ontology files, as they stand in the repository (ontology/, shipped as ofsted_kg.ontology):
# the classes and properties, and the SKOS schemes of reference concepts.
ONTOLOGY_FILES = [ROOT / "ontology" / "ofsted-kg.ttl", ROOT / "ontology" / "schemes.ttl"]

CLASS_TYPES = {OWL.Class, RDFS.Class}
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}


def ontology() -> Graph:
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path, format="turtle")
    return graph


def terms_used(folder: Path) -> tuple[set[str], set[str]]:
    """(classes, properties) of a built graph folder: every object of rdf:type and every predicate, in the
    merged Turtle and in the TriG's named graphs."""
    rdf_type = ox.NamedNode(str(RDF.type))
    classes: set[str] = set()
    properties: set[str] = set()
    for name, format in (("ofsted-kg.ttl", ox.RdfFormat.TURTLE), ("ofsted-kg.trig", ox.RdfFormat.TRIG)):
        for quad in ox.parse(path=folder / name, format=format):
            properties.add(quad.predicate.value)
            if quad.predicate == rdf_type and isinstance(quad.object, ox.NamedNode):
                classes.add(quad.object.value)
    return classes, properties


def is_standard(iri: str) -> bool:
    return any(iri.startswith(str(namespace)) for namespace in STANDARD_NAMESPACES.values())


def problems(classes: set[str], properties: set[str], onto: Graph) -> list[str]:
    """Each class or property neither standard nor declared, with a label and a definition, by the ontology."""
    out = []
    for kind, used, declarations in (("class", classes, CLASS_TYPES), ("property", properties, PROPERTY_TYPES)):
        for iri in sorted(used):
            if is_standard(iri):
                continue
            term = URIRef(iri)
            types = set(onto.objects(term, RDF.type))
            concept = SKOS.Concept in types and onto.value(term, SKOS.inScheme) is not None
            if not (types & declarations or concept):
                out.append(f"{kind} {iri} is not declared in the ontology")
                continue
            if onto.value(term, RDFS.label) is None and not (concept and onto.value(term, SKOS.prefLabel)):
                out.append(f"{kind} {iri} has no rdfs:label")
            if onto.value(term, SKOS.definition) is None:
                out.append(f"{kind} {iri} has no skos:definition")
    return out


def test_the_seed_graph_uses_only_declared_or_standard_terms(built):
    classes, properties = terms_used(built)
    assert str(OKG.Judgement) in classes and str(OKG.grade) in properties  # the graph was read
    assert problems(classes, properties, ontology()) == []


def test_a_term_missing_from_the_ontology_is_found(built):
    classes, properties = terms_used(built)
    onto = ontology()
    onto.remove((OKG.Judgement, None, None))
    onto.remove((OKG.grade, SKOS.definition, None))
    onto.remove((OKG.number, RDFS.label, None))
    assert problems(classes, properties, onto) == [
        f"class {OKG.Judgement} is not declared in the ontology",
        f"property {OKG.grade} has no skos:definition",
        f"property {OKG.number} has no rdfs:label",
    ]


def test_a_term_of_no_vocabulary_is_found():
    assert problems({"https://example.org/Thing"}, {str(SCHEMA.name), str(OKG.notAProperty)}, ontology()) == [
        "class https://example.org/Thing is not declared in the ontology",
        f"property {OKG.notAProperty} is not declared in the ontology",
    ]


def test_the_terms_the_ontology_mints_are_labelled_and_defined():
    """Every class and property of ofsted-kg.ttl, used by a graph or not, has a label and a definition."""
    onto = ontology()
    minted = {
        str(term)
        for kind in CLASS_TYPES | PROPERTY_TYPES
        for term in onto.subjects(RDF.type, kind)
        if str(term).startswith(str(OKG))
    }
    assert len(minted) > 80
    classes = {t for t in minted if (URIRef(t), RDF.type, OWL.Class) in onto}
    assert problems(classes, minted - classes, onto) == []


# The West Midlands corpus: terms only real reports produce (the corpus build of tests/test_corpus.py).
CORPUS_REPORTS = test_corpus.REPORTS


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_REPORTS.exists(), reason="../shared/corpus is not beside the checkout")
def test_the_corpus_graph_uses_only_declared_or_standard_terms(corpus_graph):
    classes, properties = terms_used(corpus_graph)
    assert str(OKG.Figure) in classes and str(OKG.Finding) in classes
    assert problems(classes, properties, ontology()) == []
