"""Adding documents to a built graph without building the rest again.

What `add` gives is what a build of the same documents (the graph's, in their
order, then the new ones) would give, byte for byte. From the graph on disk,
what the build read from each document (kept beside it), and the new documents:

- the named graphs written anew are the new documents', those of documents
  whose facts now resolve to another inspection or framework (a new report can
  date an inspection an article gave without its year), and the reference
  graph; a document of the same file name but other content is replaced;
- the TriG file gets those named graphs and keeps every other byte; the merged
  Turtle gets the subjects whose triples changed, each written whole from all
  named graphs;
- SHACL checks the subjects that changed, in a graph of their neighbourhood
  (what they point to, what points to them, and the evidence of statements
  about them), instead of the whole graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ofsted_kg import documents, export, store
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError, GraphError
from ofsted_kg.extract import extract
from ofsted_kg.facts import Extraction
from ofsted_kg.graph import (
    REFERENCE_GRAPH,
    Inspections,
    councils_named,
    document_graph,
    reference_graph,
    resolution,
    text_file,
)
from ofsted_kg.namespaces import OA
from ofsted_kg.queries import rdflib_term as _term
from ofsted_kg.validate import Report, validate


@dataclass
class AddResult:
    added: list[Document]
    replaced: list[Document]  # earlier versions of added documents (the same file name)
    unchanged: list[Path]  # already in the graph, byte for byte
    rejected: list[DocumentError]
    rewritten: list[Document]  # documents already in the graph whose named graph changed
    changed_subjects: int
    report: Report
    notes: list[tuple[Document, str]] = field(default_factory=list)
    # What store.write_update writes: the files' new text, and the cache of extractions.
    turtle: str = ""
    trig: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # file beside the graph -> text
    stale_texts: list[str] = field(default_factory=list)
    extractions: list[tuple[Document, Extraction]] = field(default_factory=list, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.added)


def add(paths: list[Path], graph_dir: Path) -> AddResult:
    """The graph in graph_dir with the documents under paths added. Writes nothing; see store.write_update."""
    before = store.load_extractions(graph_dir)
    by_sha = {doc.sha256: doc for doc, _ in before}
    by_name = {doc.name: doc for doc, _ in before}
    added, replaced, unchanged, rejected, new = [], [], [], [], []
    for path in documents.discover(paths):
        try:
            doc = documents.load(path)
            if doc.sha256 in by_sha or doc.sha256 in {d.sha256 for d in added}:
                unchanged.append(path)
                continue
            new.append((doc, extract(doc)))
            added.append(doc)
        except DocumentError as error:
            rejected.append(error)
    replaced = [by_name[doc.name] for doc in added if doc.name in by_name]
    gone = {doc.sha256 for doc in replaced}
    after = [(doc, ex) for doc, ex in before if doc.sha256 not in gone] + new
    result = AddResult(added, replaced, unchanged, rejected, [], 0, Report(()), extractions=after)
    if not added:
        return result

    old, now = Inspections(before), Inspections(after)
    result.rewritten = [doc for doc, ex in after[: len(after) - len(new)] if resolution(ex, old) != resolution(ex, now)]
    rewrite = {doc.sha256 for doc in result.rewritten} | {doc.sha256 for doc in added}
    graphs: dict[URIRef, set] = {doc.iri: set() for doc in replaced}
    for doc, extraction in after:
        if doc.sha256 in rewrite:
            graphs[doc.iri], notes = document_graph(doc, extraction, now)
            if doc in added:
                result.notes += notes
    graphs[REFERENCE_GRAPH] = set(reference_graph(councils_named(after, now)))

    dataset = store.open_dataset(graph_dir)
    union = _Union(dataset, graphs)
    changed = union.changed_subjects()
    result.changed_subjects = len(changed)
    merged_dir = store.graph_file(graph_dir)
    named_file = graph_dir / store.NAMED
    try:
        result.turtle = export.splice_turtle(
            merged_dir.read_text(encoding="utf-8"), {s: union.about(s) for s in changed}
        )
        result.trig = export.splice_trig(named_file.read_text(encoding="utf-8"), graphs)
    except (OSError, ValueError) as exc:
        raise GraphError(f"{graph_dir}: the graph files cannot be updated ({exc}); run 'ofsted-kg build'") from None
    result.report = validate(union.neighbourhood(changed), focus=frozenset(changed))
    result.texts = {text_file(doc): doc.text for doc in added if doc.converted}
    result.stale_texts = [text_file(doc) for doc in replaced if doc.converted]
    return result


class _Union:
    """The merged graph as it will be: the stored named graphs, with some replaced by new versions."""

    def __init__(self, dataset, graphs: dict[URIRef, set]):
        import pyoxigraph as ox

        self.ox = ox
        self.dataset = dataset
        self.graphs = graphs
        self.replaced = {ox.NamedNode(str(name)) for name in graphs}
        self.new_by_subject: dict = defaultdict(set)
        self.new_by_object: dict = defaultdict(set)
        for triples in graphs.values():
            for triple in triples:
                self.new_by_subject[triple[0]].add(triple)
                if isinstance(triple[2], URIRef):
                    self.new_by_object[triple[2]].add(triple)

    def changed_subjects(self) -> list[URIRef]:
        """Subjects whose triples differ between the stored and the new versions of the replaced graphs."""
        ox = self.ox
        changed = set()
        for name, triples in self.graphs.items():
            stored: dict = defaultdict(set)
            for quad in self.dataset.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
                stored[_term(quad.subject)].add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
            fresh: dict = defaultdict(set)
            for triple in triples:
                fresh[triple[0]].add(triple)
            changed |= {s for s in stored.keys() | fresh.keys() if stored.get(s) != fresh.get(s)}
        return sorted(changed, key=str)

    def about(self, subject: URIRef) -> set:
        """Every triple of a subject in the new merged graph."""
        ox = self.ox
        kept = {
            (_term(q.subject), _term(q.predicate), _term(q.object))
            for q in self.dataset.quads_for_pattern(ox.NamedNode(str(subject)), None, None, None)
            if q.graph_name not in self.replaced
        }
        return kept | self.new_by_subject.get(subject, set())

    def pointing_to(self, node: URIRef) -> set:
        ox = self.ox
        kept = {
            _term(q.subject)
            for q in self.dataset.quads_for_pattern(None, None, ox.NamedNode(str(node)), None)
            if q.graph_name not in self.replaced
        }
        return kept | {t[0] for t in self.new_by_object.get(node, ())}

    def neighbourhood(self, focus: list[URIRef]) -> Graph:
        """What the shapes look at around the focus nodes, with the reference graph: the nodes' triples,
        those of what they point to and of what points to them, and, for statements about them made by
        any document, the annotation, target, selectors and source (which a result names)."""
        inward = set().union(*(self.pointing_to(n) for n in focus))
        nodes = set(focus) | inward
        triples = set().union(*(self.about(n) for n in nodes))
        outward = {o for _, _, o in triples if isinstance(o, URIRef)} - nodes
        statements = {s for s, p, o in triples if s in inward and p == RDF.type and o == RDF.Statement}
        frontier = set().union(*(self.pointing_to(s) for s in statements)) | outward
        while frontier - nodes:
            frontier -= nodes
            nodes |= frontier
            found = set().union(*(self.about(n) for n in frontier))
            triples |= found
            frontier = {o for _, p, o in found if p in _EVIDENCE_LINKS}
        graph = Graph()
        for triple in triples | self.graphs[REFERENCE_GRAPH]:
            graph.add(triple)
        return graph


_EVIDENCE_LINKS = {OA.hasTarget, OA.hasSource, OA.hasSelector, OA.hasBody}
