"""The pipeline: documents -> text -> facts -> RDF -> validation. Writes nothing; see store.py.

Documents are read in parallel (see reading.py). The graph is validated whole,
each violation charged to the documents that caused it (see quarantine.py): a
document whose facts break a shape is rejected with its report, like a document
that cannot be read, and the graph is built again without it; the rest is written.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF

from ofsted_kg import documents, export, quarantine, reading
from ofsted_kg.cache import Entry
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.facts import Extraction
from ofsted_kg.graph import REFERENCE_GRAPH, build_dataset
from ofsted_kg.namespaces import OKG, SCHEMA, bind_prefixes
from ofsted_kg.validate import Report, Result

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
# How many of a document's results a rejection names.
SHOWN = 3


@dataclass
class BuildResult:
    documents: list[Document]
    rejected: list[DocumentError]
    graphs: dict[URIRef, set]  # the triples of each named graph: one per document, and the reference graph
    report: Report  # sources that disagree (warnings), and violations no single document causes
    notes: list[tuple[Document, str]] = field(default_factory=list)
    # What was read from each document, in build order: kept beside the graph so that `add` (and the
    # next build) need not read it again.
    entries: list[Entry] = field(default_factory=list, repr=False)
    reused: int = 0  # documents taken from the cache
    stale: list[Path] = field(default_factory=list)  # documents read again: other extractors had read them
    # Where the time went: CPU seconds of making text and extracting facts (summed over the workers);
    # wall seconds of reading, building the graphs and validating them.
    seconds: dict[str, float] = field(default_factory=dict)
    # The named graphs as TriG (made for validation) and merged as Turtle: what store.write writes.
    trig: str = field(default="", repr=False)
    turtle: str = field(default="", repr=False)

    @property
    def extractions(self) -> list[tuple[Document, Extraction]]:
        return [(e.document, e.extraction) for e in self.entries]

    @cached_property
    def graph(self) -> Graph:
        """All named graphs merged, as one rdflib graph (built on first use: the pipeline does not need it)."""
        union = Graph()
        bind_prefixes(union)
        for triples in self.graphs.values():
            for triple in triples:
                union.add(triple)
        return union

    def named_graph(self, name: URIRef) -> Graph:
        """One named graph (a document's, or the reference graph) as an rdflib graph."""
        graph = Graph(identifier=name)
        for triple in self.graphs.get(name, ()):
            graph.add(triple)
        return graph

    def triples(self) -> int:
        """How many distinct triples the merged graph has."""
        return len(set().union(*self.graphs.values())) if self.graphs else 0

    def counts(self) -> dict[str, int]:
        wanted = {cls: name for name, cls in COUNTED.items()}
        found: dict[str, set] = {name: set() for name in COUNTED}
        for triples in self.graphs.values():
            for s, p, o in triples:
                if p == RDF.type and o in wanted:
                    found[wanted[o]].add(s)
        return {name: len(nodes) for name, nodes in found.items()}

    def frameworks(self) -> dict[str, int]:
        """Inspections per framework (its notation), and how many councils they cover."""
        of: dict = {}
        for triples in self.graphs.values():
            for s, p, o in triples:
                if p == OKG.framework:
                    of[s] = str(o).rsplit("/", 1)[-1]
        return dict(sorted(Counter(of.values()).items()))

    def councils(self) -> int:
        """How many councils the graph holds an inspection of."""
        return len({o for triples in self.graphs.values() for s, p, o in triples if p == OKG.inspectedAuthority})


# Told how far a build has got: (what is being done, how many done, out of how many).
Progress = Callable[[str, int, int], None]


def build(
    paths: list[Path],
    progress: Progress | None = None,
    *,
    known: dict[str, Entry] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Read every document under the given paths and build the validated graph.

    A document that cannot be read or understood, or whose facts break the
    shapes, is rejected with its reason; the others still build. `known` holds
    what an earlier build read (by content): those documents are not read again
    unless other extractors read them.
    """
    found = documents.discover(paths)
    started = time.perf_counter()
    read = reading.read_all(found, known, workers=workers, scheduler=scheduler, progress=progress)
    seconds = {"text (CPU)": read.seconds["text"], "extraction (CPU)": read.seconds["extraction"]}
    seconds["reading"] = time.perf_counter() - started
    seconds["graph"] = seconds["validation"] = 0.0
    if progress:
        progress("building and validating the graph", len(found), len(found))
    entries, rejected = list(read.entries), list(read.rejected)
    while True:
        started = time.perf_counter()
        built = build_dataset([(e.document, e.extraction) for e in entries])
        seconds["graph"] += time.perf_counter() - started
        started = time.perf_counter()
        trig, turtle = export.trig_and_turtle(built.graphs)  # written as they are, if nothing is rejected
        seconds["serialising"] = seconds.get("serialising", 0.0) + time.perf_counter() - started
        started = time.perf_counter()
        names = {e.document.iri: e.document.name for e in entries}
        checked = quarantine.check(quarantine.dataset_of(trig), REFERENCE_GRAPH, names)
        seconds["validation"] += time.perf_counter() - started
        if not checked.culprits:
            break
        # Reject them, and build again: the others may have resolved against what they said.
        for entry in entries:
            if entry.document.iri in checked.culprits:
                rejected.append(rejection(entry.document, checked.culprits[entry.document.iri]))
        entries = [e for e in entries if e.document.iri not in checked.culprits]
    report = Report(checked.report.results + _cross(checked))
    return BuildResult(
        [e.document for e in entries],
        sorted(rejected, key=lambda error: found.index(Path(error.path)) if Path(error.path) in found else -1),
        built.graphs,
        report,
        built.notes,
        entries=entries,
        reused=read.reused,
        stale=read.stale,
        seconds=seconds,
        trig=trig,
        turtle=turtle,
    )


def rejection(doc: Document, results: list[Result]) -> DocumentError:
    shown = "; ".join(r.line() for r in results[:SHOWN])
    more = f"; and {len(results) - SHOWN} more" if len(results) > SHOWN else ""
    return DocumentError(doc.path, f"its facts break the shapes, so it is left out: {shown}{more}")


def _cross(checked: quarantine.Checked) -> tuple[Result, ...]:
    """Violations no single document causes (and any of the reference graph): they stop the build."""
    return tuple(
        Result(r.severity, r.focus, r.path, f"{r.message} (no single document causes this)", r.value, docs, r.shape)
        for r, docs in checked.cross
    )
