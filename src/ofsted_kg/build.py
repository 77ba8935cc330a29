"""The pipeline: documents -> text -> facts -> RDF -> validation. Writes nothing; see store.py.

Documents are read in parallel (see reading.py). The graph is validated whole,
each violation charged to the documents that caused it (see quarantine.py): a
document whose facts break a shape is rejected with its report, like a document
that cannot be read, and the graph is built again without it; the rest is written.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from ofsted_kg import cache, documents, forking, graph_text, memory, quarantine, reading
from ofsted_kg.cache import Entry
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.facts import Extraction
from ofsted_kg.graph_text import Summary
from ofsted_kg.namespaces import bind_prefixes
from ofsted_kg.rdf.reference_graph import REFERENCE_GRAPH
from ofsted_kg.validate import Report, Result

if TYPE_CHECKING:
    from ofsted_kg.terms import Triple

# How many of a document's results a rejection names.
SHOWN = 3


@dataclass
class BuildResult:
    """A built graph: its named graphs as TriG and merged as Turtle (what store.write writes), with what
    was read, rejected and reported. The graphs as rdflib triples are made from the TriG when asked for:
    a national graph holds millions of triples, which the pipeline does not keep once written as text."""

    documents: list[Document]
    rejected: list[DocumentError]
    text: Written  # the graph as text, in files that store.write puts in place
    cache: bytes = field(repr=False)  # the entries, as the graph folder keeps them (cache.dumps)
    report: Report  # sources that disagree (warnings), and violations no single document causes
    summary: Summary
    notes: list[tuple[Document, str]] = field(default_factory=list)
    # What was read from each document, in build order: kept beside the graph so that `add` (and the
    # next build) need not read it again.
    entries: list[Entry] = field(default_factory=list, repr=False)
    reused: int = 0  # documents taken from the cache
    stale: list[Path] = field(default_factory=list)  # documents read again: other extractors had read them
    # Where the time went: CPU seconds of making text and extracting facts (summed over the workers);
    # wall seconds of reading, building the graphs, writing them as text and validating them.
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def trig(self) -> str:
        """The named graphs, as TriG."""
        return self.text.trig.read_text(encoding="utf-8")

    @property
    def turtle(self) -> str:
        """The named graphs merged, as Turtle."""
        return self.text.turtle.read_text(encoding="utf-8")

    @property
    def extractions(self) -> list[tuple[Document, Extraction]]:
        return [(e.document, e.extraction) for e in self.entries]

    @cached_property
    def graphs(self) -> dict[URIRef, set[Triple]]:
        """The triples of each named graph (one per document, and the reference graph), by name."""
        import pyoxigraph as ox

        from ofsted_kg.terms import rdflib_term

        graphs: dict[URIRef, set[Triple]] = {}
        quad: ox.Quad
        for quad in ox.parse(path=str(self.text.trig), format=ox.RdfFormat.TRIG):
            if not isinstance(quad.graph_name, ox.NamedNode):  # (the TriG holds named graphs only)
                continue
            triple = (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
            graphs.setdefault(URIRef(quad.graph_name.value), set()).add(triple)
        return graphs

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
        return self.summary.triples

    def counts(self) -> dict[str, int]:
        return dict(self.summary.counts)

    def frameworks(self) -> dict[str, int]:
        """Inspections per framework (its notation)."""
        return dict(self.summary.frameworks)

    def councils(self) -> int:
        """How many councils the graph holds an inspection of."""
        return self.summary.councils


@dataclass(frozen=True)
class Written:
    """A graph written as text, in files: its named graphs as TriG, and their merge as Turtle."""

    trig: Path
    turtle: Path


# Told how far a build has got: (what is being done, how many done, out of how many).
Progress = Callable[[str, int, int], None]


def build(
    paths: list[Path],
    progress: Progress | None = None,
    *,
    known: dict[str, Entry] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    workdir: Path | None = None,
) -> BuildResult:
    """Read every document under the given paths and build the validated graph.

    A document that cannot be read or understood, or whose facts break the
    shapes, is rejected with its reason; the others still build. `known` holds
    what an earlier build read (by content): those documents are not read again
    unless other extractors read them. The graph's text is written to files in a
    temporary folder in `workdir` (best on the file system the graph goes to, so
    that writing it there is a rename), removed with the result.
    """
    work = Path(tempfile.mkdtemp(prefix=".ofsted-kg-build-", dir=workdir))
    try:
        result = _build(paths, progress, known, workers, scheduler, Written(work / "graph.trig", work / "graph.ttl"))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    weakref.finalize(result, shutil.rmtree, work, True)
    return result


def _build(
    paths: list[Path],
    progress: Progress | None,
    known: dict[str, Entry] | None,
    workers: int | None,
    scheduler: str | None,
    text: Written,
) -> BuildResult:
    found = documents.discover(paths)
    started = time.perf_counter()
    read = reading.read_all(found, known, workers=workers, scheduler=scheduler, progress=progress)
    seconds = {"text (CPU)": read.seconds["text"], "extraction (CPU)": read.seconds["extraction"]}
    seconds["reading"] = time.perf_counter() - started
    seconds["validation"] = 0.0
    if progress:
        progress("building and validating the graph", len(found), len(found))
    entries, rejected = list(read.entries), list(read.rejected)
    while True:
        # The graph is made in a child process; meanwhile this one writes the cache of what was read.
        (summary, notes, took), kept = forking.alongside(
            functools.partial(_made, entries, text, workers or reading.default_workers()),
            functools.partial(cache.dumps, entries),
        )
        for stage, value in took.items():
            seconds[stage] = seconds.get(stage, 0.0) + value
        started = time.perf_counter()
        names = {e.document.iri: e.document.name for e in entries}
        checked = quarantine.check(quarantine.dataset_of(text.trig), REFERENCE_GRAPH, names)
        memory.give_back()  # the validated dataset's gigabyte, before the store is written (memory.py)
        seconds["validation"] += time.perf_counter() - started
        if not checked.culprits:
            break
        # Reject them, and build again: the others may have resolved against what they said.
        for entry in entries:
            if entry.document.iri in checked.culprits:
                rejected.append(rejection(entry.document, checked.culprits[entry.document.iri]))
        entries = [e for e in entries if e.document.iri not in checked.culprits]
    report = Report(checked.report.results + _cross(checked))
    by_iri = {e.document.iri: e.document for e in entries}
    return BuildResult(
        [e.document for e in entries],
        sorted(rejected, key=lambda error: found.index(Path(error.path)) if Path(error.path) in found else -1),
        text=text,
        cache=kept,
        report=report,
        summary=summary,
        notes=[(by_iri[iri], note) for iri, note in notes],
        entries=entries,
        reused=read.reused,
        stale=read.stale,
        seconds=seconds,
    )


def _made(
    entries: list[Entry], text: Written, workers: int
) -> tuple[Summary, list[tuple[URIRef, str]], dict[str, float]]:
    """Write the graph of what was read as text, into the files `text` names; its summary and notes (each
    note by its document's IRI), and the seconds it took. Run in a child process (see forking.py), which
    starts `workers` processes of its own to make the documents' graphs (graph_text.py)."""
    started = time.perf_counter()
    summary, notes = graph_text.write([(e.document, e.extraction) for e in entries], text.trig, text.turtle, workers)
    return summary, notes, {"graph and serialising": time.perf_counter() - started}


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
