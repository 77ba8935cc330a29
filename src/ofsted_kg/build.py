"""The pipeline: documents -> text -> facts -> RDF -> validation. Writes nothing; see store.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF

from ofsted_kg import documents
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import extract
from ofsted_kg.facts import Extraction
from ofsted_kg.graph import build_dataset
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.validate import Report, validate

COUNTED = {
    "inspections": OKG.Inspection,
    "judgements": OKG.Judgement,
    "recommendations": OKG.Recommendation,
    "areas for improvement": OKG.AreaForImprovement,
    "findings": OKG.Finding,
    "actions": OKG.Action,
    "people": SCHEMA.Person,
    "posts": ORG.Post,
    "quotations": OKG.Quotation,
    "services": OKG.Service,
    "figures": OKG.Figure,
    "meetings": OKG.Meeting,
    "claims about other councils": SCHEMA.Claim,
}


@dataclass
class BuildResult:
    documents: list[Document]
    rejected: list[DocumentError]
    graphs: dict[URIRef, set]  # the triples of each named graph: one per document, and the reference graph
    graph: Graph
    report: Report
    notes: list[tuple[Document, str]] = field(default_factory=list)
    # What was read from each document, in build order: kept beside the graph so that `add` can
    # write other documents' graphs again where a new document changes how their facts resolve.
    extractions: list[tuple[Document, Extraction]] = field(default_factory=list, repr=False)

    def named_graph(self, name: URIRef) -> Graph:
        """One named graph (a document's, or the reference graph) as an rdflib graph."""
        graph = Graph(identifier=name)
        for triple in self.graphs.get(name, ()):
            graph.add(triple)
        return graph

    def counts(self) -> dict[str, int]:
        return {name: len(set(self.graph.subjects(RDF.type, cls))) for name, cls in COUNTED.items()}


# Told how far a build has got: (what is being done, how many done, out of how many).
Progress = Callable[[str, int, int], None]


def build(paths: list[Path], progress: Progress | None = None) -> BuildResult:
    """Read every document under the given paths and build the validated graph.

    A document that cannot be read or understood is rejected with its reason;
    the others still build.
    """
    read: list[Document] = []
    rejected: list[DocumentError] = []
    extractions = []
    found = documents.discover(paths)
    for done, path in enumerate(found):
        if progress:
            progress(f"reading {path.name}", done, len(found))
        try:
            doc = documents.load(path)
            extractions.append((doc, extract(doc)))
            read.append(doc)
        except DocumentError as error:
            rejected.append(error)
    if progress:
        progress("building the graph", len(found), len(found))
    built = build_dataset(extractions)
    if progress:
        progress("validating", len(found), len(found))
    return BuildResult(
        read, rejected, built.graphs, built.union, validate(built.union), built.notes, extractions=extractions
    )
