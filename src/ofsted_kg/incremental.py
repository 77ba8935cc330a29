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

import hashlib
import mmap
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ofsted_kg import documents, export, preferences, reading, shacl, store
from ofsted_kg.build import rejection
from ofsted_kg.cache import Entry, extractor_version
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError, GraphError
from ofsted_kg.extract import extract
from ofsted_kg.graph import document_graph
from ofsted_kg.namespaces import OA, OKG, SCHEMA
from ofsted_kg.rdf.document import source_file, source_name, text_file
from ofsted_kg.rdf.inspections import Inspections, resolution
from ofsted_kg.rdf.reference_graph import REFERENCE_GRAPH, councils_named, reference_graph
from ofsted_kg.terms import converter, oxigraph_quads, triples_of
from ofsted_kg.terms import rdflib_term as _term
from ofsted_kg.validate import Raw, Report, Result, describe, sources_in

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ofsted_kg.export import Buffer, Piece
    from ofsted_kg.terms import Subject, Triple


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
    turtle: list[Piece] = field(default_factory=list)  # pieces of bytes, written one after the other
    trig: list[Piece] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # file beside the graph -> text
    stale_texts: list[str] = field(default_factory=list)
    stale_sources: list[str] = field(default_factory=list)  # kept copies of the files of replaced documents
    entries: list[Entry] = field(default_factory=list, repr=False)
    reread: list[Document] = field(default_factory=list)  # read again: other extractors had read them
    graphs: dict[URIRef, set[Triple]] = field(default_factory=dict, repr=False)  # the named graphs written anew
    # The merged graph's changed subjects: their triples.
    subjects: dict[Subject, set[Triple]] = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reread)


def add(paths: list[Path], graph_dir: Path, *, workers: int | None = None, scheduler: str | None = None) -> AddResult:
    """The graph in graph_dir with the documents under paths added. Writes nothing; see store.write_update.

    A new document whose facts break a shape is rejected with its report, and the others are added."""
    before, reread = _current(store.load_extractions(graph_dir))
    by_sha = {e.sha256 for e in before}
    unchanged: list[Path] = []
    fresh: list[Path] = []
    for path in documents.discover(paths):
        try:
            known = hashlib.sha256(documents.read_bytes(path)).hexdigest() in by_sha
        except DocumentError:
            known = False  # reading it reports why
        (unchanged if known else fresh).append(path)
    read = reading.read_all(fresh, workers=workers, scheduler=scheduler)
    new: list[Entry] = []
    for entry in read.entries:  # the same content twice among the new documents: the first is added
        if entry.sha256 in {e.sha256 for e in new}:
            unchanged.append(entry.document.path)
        else:
            new.append(entry)
    rejected = list(read.rejected)
    while True:
        result, raws = _combine(before, new, reread, graph_dir)
        culprits = _culprits(raws, result, new)
        if not culprits:
            break
        for entry in new:
            if entry.document.iri in culprits:
                rejected.append(rejection(entry.document, culprits[entry.document.iri]))
        new = [e for e in new if e.document.iri not in culprits]
    result.unchanged, result.rejected = unchanged, rejected
    return result


def _combine(
    before: list[Entry], new: list[Entry], reread: list[Document], graph_dir: Path
) -> tuple[AddResult, list[Raw]]:
    """The AddResult of adding `new` to `before`, and the raw SHACL results about the changed subjects."""
    by_name = {e.name: e for e in before}
    added = [e.document for e in new]
    replaced = [by_name[doc.name].document for doc in added if doc.name in by_name]
    gone = {doc.sha256 for doc in replaced}
    after = [e for e in before if e.sha256 not in gone] + new
    result = AddResult(added, replaced, [], [], [], 0, Report(()), entries=after, reread=reread)
    if not result.changed:
        return result, []
    # Which inspection each fact resolves to, before and after, from each document's Links: only the
    # documents whose graph is written anew are decoded.
    old, now = Inspections([e.links for e in before]), Inspections([e.links for e in after])
    again = {doc.sha256 for doc in reread}
    result.rewritten = [
        e.document
        for e in after[: len(after) - len(new)]
        if e.sha256 in again or resolution(e.links, old) != resolution(e.links, now)
    ]
    added_shas = {doc.sha256 for doc in added}
    rewrite = {doc.sha256 for doc in result.rewritten} | added_shas
    graphs: dict[URIRef, set[Triple]] = {doc.iri: set() for doc in replaced}
    for e in after:
        if e.sha256 in rewrite:
            graphs[e.iri], notes = document_graph(e.document, e.extraction, now)
            if e.sha256 in added_shas:
                result.notes += notes
    graphs[REFERENCE_GRAPH] = set(triples_of(reference_graph(councils_named([e.links for e in after], now))))

    dataset = store.open_store(graph_dir)
    graphs[preferences.PREFERRED_GRAPH] = _preferences(dataset, graphs)
    union = _Union(dataset, graphs)
    changed = union.changed_subjects()
    result.changed_subjects = len(changed)
    merged_dir = store.graph_file(graph_dir)
    named_file = graph_dir / store.NAMED
    try:
        result.subjects = {s: union.about(s) for s in changed}
        result.turtle = export.splice_turtle(_mapped(merged_dir), result.subjects)
        result.trig = export.splice_trig(_mapped(named_file), graphs)
    except (OSError, ValueError) as exc:
        raise GraphError(f"{graph_dir}: the graph files cannot be updated ({exc}); run 'ofsted-kg build'") from None
    focus = frozenset(changed)
    neighbourhood = union.neighbourhood(changed)
    raws = [raw for raw in shacl.validate(_oxigraph(neighbourhood)) if raw.focus in focus]
    around = Graph()  # (an rdflib graph of the neighbourhood, to say which documents a result is about)
    for triple in neighbourhood if raws else ():
        around.add(triple)
    result.report = Report(tuple(sorted({describe(r, sources_in(around, r.focus)) for r in raws}, key=_order)))
    result.graphs = graphs
    result.texts = {text_file(doc): doc.text for doc in added if doc.converted}
    result.stale_texts = [text_file(doc) for doc in replaced if doc.converted]
    # (from each entry's own fields: its .document would decode every cached extraction, seconds on England)
    still = {source_name(e.sha256, e.pages, e.spreadsheet) for e in after}
    result.stale_sources = sorted({source_file(doc) for doc in replaced} - still)
    return result, raws


def _mapped(path: Path) -> Buffer:
    """A file's bytes, mapped into memory rather than read: a national graph's files are hundreds of MB,
    of which `add` copies most unchanged (the map stays valid after the file is replaced)."""
    with path.open("rb") as handle:
        if os.name != "posix" or os.fstat(handle.fileno()).st_size == 0:
            return handle.read()
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _oxigraph(graph: set[Triple]) -> ox.Store:
    """Triples (of rdflib terms) in an in-memory Oxigraph store, which ofsted_kg.shacl checks."""
    import pyoxigraph as ox

    dataset = ox.Store()
    dataset.extend(oxigraph_quads(graph, ox.DefaultGraph()))
    return dataset


def _order(result: Result) -> tuple[str, str, str, str, str]:
    return (result.severity, result.focus, result.path, result.message, result.value)


def _culprits(raws: list[Raw], result: AddResult, new: list[Entry]) -> dict[URIRef, list[Result]]:
    """The new documents whose own facts break a shape: those describing a node a violation is about."""
    out: dict[URIRef, list[Result]] = {}
    for raw in raws:
        if raw.severity != "Violation":
            continue
        for entry in new:
            graph = result.graphs.get(entry.document.iri, set())
            if any(t[0] == raw.focus for t in graph):
                out.setdefault(entry.document.iri, []).append(describe(raw, (entry.document.name,)))
    return out


def _current(entries: list[Entry]) -> tuple[list[Entry], list[Document]]:
    """The cached entries, those read by other extractors read again (from their file where it is still
    there and the same, else from the text kept in the cache); and the documents read again."""
    version = extractor_version()
    stale = [e for e in entries if e.extractor != version]
    again: dict[str, Entry] = {}
    for entry in stale:
        path = entry.document.path
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() == entry.document.sha256:
            outcome = reading.read_one(str(path), data)
        else:
            try:
                outcome = Entry(entry.document, extract(entry.document), version)
            except DocumentError as error:
                outcome = error
        if isinstance(outcome, DocumentError):
            raise GraphError(f"{path}: these extractors reject it ({outcome.reason}); run 'ofsted-kg build'")
        again[entry.sha256] = outcome.at(entry.path)
    return [again.get(e.sha256, e) for e in entries], [e.document for e in stale]


def _preferences(dataset: ox.Store, graphs: dict[URIRef, set[Triple]]) -> set[Triple]:
    """The graph of preferences after replacing some named graphs: the stored one, with what is about every
    subject the replaced graphs make claims on (before or after) made again from every document's claims."""
    import pyoxigraph as ox

    documents = [g for g in graphs if g not in (REFERENCE_GRAPH, preferences.PREFERRED_GRAPH)]
    touched: set[str] = set()
    for name in documents:
        old = dataset.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))
        was = ((_term(q.subject), _term(q.predicate), _term(q.object)) for q in old)
        touched |= {c.topic[0] for c in preferences.claims(name, was)}
        touched |= {c.topic[0] for c in preferences.claims(name, graphs[name])}
    # What the other documents claim about those subjects: the triples claims() reads, graph by graph.
    found: dict[ox.NamedNode, set[Triple]] = defaultdict(set)
    kind, about, inspection = (
        ox.NamedNode(str(p)) for p in (OKG.documentKind, SCHEMA.observationAbout, OKG.inspection)
    )
    for subject in sorted(touched):
        node = ox.NamedNode(subject)
        quads = list(dataset.quads_for_pattern(node, None, None, None))
        for pointing in (about, inspection):
            for q in dataset.quads_for_pattern(None, pointing, node, None):
                quads += dataset.quads_for_pattern(q.subject, None, None, q.graph_name)
        for q in quads:
            graph = q.graph_name
            if not isinstance(graph, ox.NamedNode):
                continue
            name = URIRef(graph.value)
            if name not in graphs and name not in (REFERENCE_GRAPH, preferences.PREFERRED_GRAPH):
                found[graph].add((_term(q.subject), _term(q.predicate), _term(q.object)))
    claims = [c for name in documents for c in preferences.claims(name, graphs[name])]
    for graph, triples in found.items():
        triples |= {
            (_term(q.subject), _term(q.predicate), _term(q.object))
            for q in dataset.quads_for_pattern(graph, kind, None, graph)
        }
        claims += [c for c in preferences.claims(URIRef(graph.value), triples) if c.topic[0] in touched]
    fresh = preferences.preferred(claims)
    # Of the fresh graph, what is about the touched subjects; of the stored one, the rest.
    nodes = {s for s, p, o in fresh if p == SCHEMA.about and str(o) in touched}
    stored = ox.NamedNode(str(preferences.PREFERRED_GRAPH))
    again = {
        q.subject
        for q in dataset.quads_for_pattern(None, ox.NamedNode(str(SCHEMA.about)), None, stored)
        if not isinstance(q.object, ox.Triple) and q.object.value in touched
    }
    # A touched service's preferred name (preferences.name) is about the service itself, not a node.
    preferred_name = ox.NamedNode(preferences.NAME)
    kept = {
        (_term(q.subject), _term(q.predicate), _term(q.object))
        for q in dataset.quads_for_pattern(None, None, None, stored)
        if q.subject not in again
        and not (q.predicate == preferred_name and isinstance(q.subject, ox.NamedNode) and q.subject.value in touched)
    }
    names = {t for t in fresh if str(t[1]) == preferences.NAME and str(t[0]) in touched}
    return kept | {t for t in fresh if t[0] in nodes} | names


class _Union:
    """The merged graph as it will be: the stored named graphs, with some replaced by new versions."""

    def __init__(self, dataset: ox.Store, graphs: dict[URIRef, set[Triple]]):
        import pyoxigraph as ox

        self.ox = ox
        self.dataset = dataset
        self.graphs = graphs
        self.replaced = {ox.NamedNode(str(name)) for name in graphs}
        self.new_by_subject: dict[Subject, set[Triple]] = defaultdict(set)
        self.new_by_object: dict[Subject, set[Triple]] = defaultdict(set)
        self._about: dict[Subject, set[Triple]] = {}
        self._term = converter()  # pyoxigraph term -> rdflib term: the same few recur in most quads
        for triples in graphs.values():
            for triple in triples:
                self.new_by_subject[triple[0]].add(triple)
                if isinstance(triple[2], URIRef):
                    self.new_by_object[triple[2]].add(triple)

    def changed_subjects(self) -> list[Subject]:
        """Subjects whose triples differ between the stored and the new versions of the replaced graphs."""
        ox = self.ox
        changed: set[Subject] = set()
        for name, triples in self.graphs.items():
            stored: dict[Subject, set[Triple]] = defaultdict(set)
            for quad in self.dataset.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
                stored[self._term(quad.subject)].add(
                    (self._term(quad.subject), self._term(quad.predicate), self._term(quad.object))
                )
            fresh: dict[Subject, set[Triple]] = defaultdict(set)
            for triple in triples:
                fresh[triple[0]].add(triple)
            changed |= {s for s in stored.keys() | fresh.keys() if stored.get(s) != fresh.get(s)}
        return sorted(changed, key=str)

    def about(self, subject: Subject) -> set[Triple]:
        """Every triple of a subject in the new merged graph."""
        found = self._about.get(subject)
        if found is None:  # (the changed subjects are asked for again as part of their neighbourhood)
            found = self._about[subject] = self._read_about(subject)
        return found

    def _read_about(self, subject: Subject) -> set[Triple]:
        ox = self.ox
        kept = {
            (self._term(q.subject), self._term(q.predicate), self._term(q.object))
            for q in self.dataset.quads_for_pattern(ox.NamedNode(str(subject)), None, None, None)
            if q.graph_name not in self.replaced and not isinstance(q.graph_name, ox.DefaultGraph)
        }
        return kept | self.new_by_subject.get(subject, set())

    def pointing_to(self, node: Subject) -> set[Subject]:
        ox = self.ox
        kept = {
            self._term(q.subject)
            for q in self.dataset.quads_for_pattern(None, None, ox.NamedNode(str(node)), None)
            if q.graph_name not in self.replaced and not isinstance(q.graph_name, ox.DefaultGraph)
        }
        return kept | {t[0] for t in self.new_by_object.get(node, ())}

    def neighbourhood(self, focus: list[Subject]) -> set[Triple]:
        """What the shapes look at around the focus nodes, with the reference graph: the nodes' triples,
        those of what they point to and of what points to them, and, for statements about them made by
        any document, the annotation, target, selectors and source (which a result names)."""
        inward: set[Subject] = set().union(*(self.pointing_to(n) for n in focus))
        nodes = set(focus) | inward
        triples: set[Triple] = set().union(*(self.about(n) for n in nodes))
        outward = {o for _, _, o in triples if isinstance(o, URIRef)} - nodes
        statements = {s for s, p, o in triples if s in inward and p == RDF.type and o == RDF.Statement}
        frontier: set[Subject] = set().union(*(self.pointing_to(s) for s in statements)) | outward
        while frontier - nodes:
            frontier -= nodes
            nodes |= frontier
            found: set[Triple] = set().union(*(self.about(n) for n in frontier))
            triples |= found
            # (what evidence links to is a node, never a literal)
            frontier = {o for _, p, o in found if p in _EVIDENCE_LINKS and not isinstance(o, Literal)}
        return triples | self.graphs[REFERENCE_GRAPH]


_EVIDENCE_LINKS = {OA.hasTarget, OA.hasSource, OA.hasSelector, OA.hasBody}
