"""Facts to RDF: one named graph per source document, every statement tied to its quoted span.

Facts from all documents are resolved against each other first (rdf/inspections.py): an inspection
is one resource however many documents describe it, and a date without its year is matched to the
inspection another document dates in full. Each kind of fact has its writer (_FACT_WRITERS, in
rdf/*_facts.py), which writes through a DocumentGraph (rdf/evidence.py) that ties each statement to
the span it was read from; rdf/reference_graph.py adds the schemes and the councils named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef

from ofsted_kg import preferences
from ofsted_kg.documents import Document
from ofsted_kg.facts import (
    ActionFact,
    BoardFact,
    ClaimFact,
    Extraction,
    Fact,
    FigureFact,
    FindingFact,
    InspectionFact,
    JudgementFact,
    Links,
    MeetingFact,
    MentionFact,
    PersonFact,
    QuoteFact,
    RecommendationFact,
    ServiceFact,
    ServiceRelationFact,
    links_of,
)
from ofsted_kg.namespaces import bind_prefixes
from ofsted_kg.rdf import council_facts, inspection_facts, people_facts
from ofsted_kg.rdf.document import write_document
from ofsted_kg.rdf.evidence import DocumentGraph
from ofsted_kg.rdf.inspections import InspectionKey, Inspections
from ofsted_kg.rdf.reference_graph import REFERENCE_GRAPH, councils_named, reference_graph
from ofsted_kg.terms import triples_of

if TYPE_CHECKING:
    from ofsted_kg.reference import Framework
    from ofsted_kg.terms import Triple

__all__ = ["REFERENCE_GRAPH", "Built", "build_dataset", "document_graph", "merged", "shared_graphs"]


@dataclass
class Built:
    # The triples of each named graph: one per document (named by its IRI), and the reference graph.
    # Sets, not rdflib graphs: only the TriG writer needs them apart, and an rdflib graph doubles the cost.
    graphs: dict[URIRef, set[Triple]]
    notes: list[tuple[Document, str]] = field(default_factory=list)


# The writer of each kind of fact: (writer, fact, inspection key, framework) -> a note if it is not written.
# Each takes its own type of fact, and the key of the inspection its fact is about (None: a fact about none):
# pairs the table's type cannot say, so to it the fact and the key are Any.
_FactWriter = Callable[[DocumentGraph, Any, Any, "Framework | None"], "str | None"]
_FACT_WRITERS: dict[type[Fact], _FactWriter] = {
    InspectionFact: inspection_facts.write_inspection,
    JudgementFact: inspection_facts.write_judgement,
    BoardFact: inspection_facts.write_board,
    RecommendationFact: inspection_facts.write_recommendation,
    FindingFact: inspection_facts.write_finding,
    ActionFact: inspection_facts.write_action,
    PersonFact: people_facts.write_person,
    QuoteFact: people_facts.write_quote,
    ServiceFact: council_facts.write_service,
    ServiceRelationFact: council_facts.write_service_relation,
    MentionFact: council_facts.write_mention,
    FigureFact: council_facts.write_figure,
    MeetingFact: council_facts.write_meeting,
    ClaimFact: council_facts.write_claim,
}


def build_dataset(extractions: list[tuple[Document, Extraction]]) -> Built:
    """All documents' facts as an RDF dataset: a named graph per document and one of reference data."""
    links = [links_of(extraction) for _, extraction in extractions]
    inspections = Inspections(links)
    built = Built({})
    claims: list[preferences.Claim] = []
    for doc, extraction in extractions:
        named, notes = document_graph(doc, extraction, inspections)
        built.graphs[doc.iri] = named
        built.notes += notes
        claims += preferences.claims(doc.iri, named)
    built.graphs.update(shared_graphs(links, inspections, claims))
    return built


def shared_graphs(
    links: list[Links], inspections: Inspections, claims: list[preferences.Claim]
) -> dict[URIRef, set[Triple]]:
    """The graphs no one document gives: the reference graph (the schemes, and the councils the documents
    name) and the graph of preferences (which of disagreeing values the graph stands by)."""
    return {
        REFERENCE_GRAPH: set(triples_of(reference_graph(councils_named(links, inspections)))),
        preferences.PREFERRED_GRAPH: preferences.preferred(claims),
    }


def document_graph(
    doc: Document, extraction: Extraction, inspections: Inspections
) -> tuple[set[Triple], list[tuple[Document, str]]]:
    """One document's named graph (its triples), and notes on the facts that could not be written."""
    named: set[Triple] = set()
    notes: list[tuple[Document, str]] = []
    writer = DocumentGraph(named, doc, extraction.info.council.value if extraction.info.council else None, inspections)
    write_document(writer, extraction)
    notes += [(doc, note) for note in extraction.notes]
    for fact in extraction.facts:
        ref = getattr(fact, "ref", None)
        key: InspectionKey | None = inspections.resolve(ref) if ref is not None else None
        if ref is not None and key is None:
            notes.append((doc, f"{type(fact).__name__}: no inspection of {ref.council} matches the dates given"))
            continue
        framework = inspections.framework(key) if key else None
        note = _FACT_WRITERS[type(fact)](writer, fact, key, framework)
        if note:
            notes.append((doc, note))
    return named, notes


def merged(dataset: Dataset) -> Graph:
    """The union of all named graphs, as one graph."""
    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
