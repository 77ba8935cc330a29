"""SHACL per document: which documents' facts break the shapes, so that they alone are left out.

Each document's named graph is validated with the reference graph and what
the other documents say about the resources it shares with them (an
inspection, a council, a person): its *context*. A violation is charged to
the documents that caused it:

- a node only this document describes: this document;
- a shared node: the documents that give the offending value (a bad date, two
  values where one is allowed, from one document); where no value is at fault
  (a missing one), each document describing the node, since each alone breaks
  the shape;
- two or more documents that each give one of too many values: no single
  document causes it, and it is reported as a cross-document violation that
  names them.

Warnings (sources that disagree) are collected from all runs, once each.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ofsted_kg.namespaces import OKG
from ofsted_kg.validate import Raw, Report, Result, describe, run_shacl, shapes


@dataclass
class Checked:
    culprits: dict[URIRef, list[Result]] = field(default_factory=dict)  # document graph -> what it broke
    cross: list[tuple[Result, tuple[str, ...]]] = field(default_factory=list)  # and the documents taking part
    report: Report = field(default_factory=lambda: Report(()))  # the warnings of the graph as built

    @property
    def conforms(self) -> bool:
        return not self.culprits and not self.cross


# The graphs a forked worker validates: set before the pool starts, shared copy-on-write.
_WORK: dict = {}


def validate_documents(
    graphs: dict[URIRef, set], index: Index, reference: URIRef, workers: int = 1, only: set[URIRef] | None = None
) -> dict[URIRef, list[Raw]]:
    """pySHACL's results for each document's graph (or those in `only`), in its context: results about
    the nodes the document describes."""
    todo = [g for g in sorted(graphs, key=str) if g != reference and (only is None or g in only)]
    _WORK.update(graphs=graphs, reference=reference, index=index)
    try:
        return dict(zip(todo, _map(_validate_one, todo, workers), strict=True))
    finally:
        _WORK.clear()


def validate_reference(graphs: dict[URIRef, set], reference: URIRef) -> list[Raw]:
    """The reference graph on its own (the schemes and the councils' identifiers)."""
    data = Graph()
    for triple in graphs[reference]:
        data.add(triple)
    return run_shacl(data, shapes())


def judge(runs: dict[URIRef, list[Raw]], graphs: dict[URIRef, set], index: Index, names: dict[URIRef, str]) -> Checked:
    """Charge each violation to the documents that caused it; gather the warnings."""
    checked = Checked()
    warnings: set[Result] = set()
    cross: dict[Result, set[str]] = {}
    for doc, raws in runs.items():
        for raw in raws:
            describers = index.describers(raw.focus)
            result = describe(raw, tuple(sorted(names.get(g, str(g)) for g in describers)))
            if raw.severity != "Violation":
                warnings.add(result)
                continue
            charged = _charge(raw, doc, describers, graphs)
            if charged is None:
                cross.setdefault(result, set()).update(names.get(g, str(g)) for g in describers)
            else:
                for culprit in charged:
                    checked.culprits.setdefault(culprit, [])
                    if result not in checked.culprits[culprit]:
                        checked.culprits[culprit].append(result)
    checked.cross = sorted(((r, tuple(sorted(d))) for r, d in cross.items()), key=lambda x: x[0].line())
    checked.report = Report(tuple(sorted(warnings, key=lambda r: (r.focus, r.path, r.message, r.value))))
    return checked


def _charge(raw: Raw, doc: URIRef, describers: list[URIRef], graphs: dict[URIRef, set]) -> set[URIRef] | None:
    if describers == [doc] or not describers or raw.path is None:
        return {doc}
    # The documents that describe the node are the ones that can have given the value (a report that
    # describes an inspection also gives its judgements' grades).
    giving = {g for g in describers if _gives(graphs[g], raw)}
    if not giving:  # nothing given is at fault (a value is missing): each describer alone breaks the shape
        return {doc}
    if len(giving) == 1 or raw.component != "MaxCountConstraintComponent":
        return giving
    # Too many values, from several documents: unless one of them alone gives too many, no single one is at fault.
    alone = {g for g in giving if len({t[2] for t in graphs[g] if t[0] == raw.focus and t[1] == raw.path}) > 1}
    return alone or None


def _gives(graph: set, raw: Raw) -> bool:
    """Whether a graph states the value a result blames: about its focus node, or about a node that points to
    it (a constraint on an inspection that checks its judgements' grades)."""
    if raw.value is None:
        return any(t[0] == raw.focus and t[1] == raw.path for t in graph)
    if (raw.focus, raw.path, raw.value) in graph:
        return True
    pointing = {t[0] for t in graph if t[2] == raw.focus}
    return any((s, raw.path, raw.value) in graph for s in pointing)


class Index:
    """Which graphs describe each node (have it as a subject), and what they say about the nodes that more
    than one graph names."""

    def __init__(self, graphs: dict[URIRef, set], reference: URIRef):
        self.graphs = graphs
        self.reference_name = reference
        self._reference: dict | None = None
        self._describers: dict = defaultdict(list)
        named_elsewhere: set = set()
        documents = [name for name in sorted(graphs, key=str) if name != reference]
        for name in documents:
            subjects = {t[0] for t in graphs[name]}
            for subject in subjects:
                self._describers[subject].append(name)
            named_elsewhere |= {t[2] for t in graphs[name] if isinstance(t[2], URIRef)} - subjects
        shared = {n for n, d in self._describers.items() if len(d) > 1} | (named_elsewhere & self._describers.keys())
        # Only the nodes of more than one graph are ever context: index just their triples.
        self._about: dict = defaultdict(list)
        for name in documents:
            for triple in graphs[name]:
                if triple[0] in shared:
                    self._about[triple[0]].append((name, triple))
        # And the types of what those triples point to, which class constraints look at.
        pointed = {t[2] for about in self._about.values() for _, t in about if isinstance(t[2], URIRef)} - shared
        self._types: dict = defaultdict(set)
        for name in documents:
            for triple in graphs[name]:
                if triple[1] == RDF.type and triple[0] in pointed:
                    self._types[triple[0]].add(triple)

    def reference_for(self, nodes: set) -> set:
        """The reference triples a graph that names these nodes needs: about them, and about what those
        point to (a judgement's area, its scheme; a council's region), but not all the reference data,
        which is validated once on its own. A council's neighbours are not followed."""
        if self._reference is None:
            self._reference = defaultdict(list)
            for triple in self.graphs[self.reference_name]:
                self._reference[triple[0]].append(triple)
        found: set = set()
        frontier = {n for n in nodes if n in self._reference}
        seen: set = set()
        while frontier:
            seen |= frontier
            step = [t for node in frontier for t in self._reference[node]]
            found.update(step)
            frontier = {
                t[2] for t in step if t[1] != OKG.statisticalNeighbour and t[2] in self._reference and t[2] not in seen
            }
        return found

    def describers(self, node) -> list[URIRef]:
        return self._describers.get(node, [])

    def context(self, name: URIRef) -> set:
        """What other graphs say about the nodes this graph names, and the types of what that points to."""
        triples = self.graphs[name]
        nodes = {t[0] for t in triples} | {t[2] for t in triples if isinstance(t[2], URIRef)}
        found = {t for node in nodes for other, t in self._about.get(node, ()) if other != name}
        pointed = {t[2] for t in found if isinstance(t[2], URIRef)} - nodes
        found |= {t for node in pointed for _, t in self._about.get(node, ()) if t[1] == RDF.type}
        found |= {t for node in pointed for t in self._types.get(node, ())}
        return found


def _validate_one(name: URIRef) -> list[Raw]:
    graphs, index = _WORK["graphs"], _WORK["index"]
    data = Graph()
    context = index.context(name)
    for part in (graphs[name], context):
        for triple in part:
            data.add(triple)
    named = {n for t in data for n in (t[0], t[2]) if isinstance(n, URIRef)}
    for triple in index.reference_for(named):
        data.add(triple)
    own = {t[0] for t in graphs[name]}
    return [raw for raw in run_shacl(data, shapes()) if raw.focus in own]


def _map(function, items: list, workers: int) -> list:
    if workers <= 1 or len(items) < 2 or not hasattr(os, "fork"):
        return [function(item) for item in items]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(min(workers, len(items))) as pool:
        return pool.map(function, items, chunksize=1)


def validate_graphs(graphs: dict[URIRef, set], reference: URIRef, names: dict[URIRef, str], workers: int = 1) -> Report:
    """A built graph's named graphs checked as a build checks them: each document's violations (with the
    document named), the warnings, and violations no single document causes."""
    index = Index(graphs, reference)
    checked = judge(validate_documents(graphs, index, reference, workers), graphs, index, names)
    results = [r for found in checked.culprits.values() for r in found] + list(checked.report.results)
    results += [
        Result(r.severity, r.focus, r.path, f"{r.message} (no single document causes this)", r.value, docs, r.shape)
        for r, docs in checked.cross
    ]
    if reference in graphs:
        results += [describe(raw, ()) for raw in validate_reference(graphs, reference)]
    return Report(tuple(sorted(set(results), key=lambda r: (r.severity, r.focus, r.path, r.message, r.value))))
