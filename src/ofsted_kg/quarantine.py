"""SHACL over the whole graph, each violation charged to the documents that caused it, so that they alone
are left out.

The graph is checked once, as one graph: the union of the named graphs (one per document, and the
reference graph) in an Oxigraph store, by ofsted_kg.shacl. A violation about a node is charged to the
documents that describe the node (have it as a subject):

- a node only one document describes: that document;
- a shared node (an inspection, a council, a person): the documents that give the offending value (a
  bad date, two values where one is allowed, from one document); where no value is at fault (a
  missing one), each document describing the node, since each alone leaves it broken;
- two or more documents that each give one of too many values: no single document causes it, and it
  is reported as a cross-document violation that names them; so is a violation about a node of the
  reference graph alone.

Warnings (sources that disagree) are reported once each, with the documents describing their node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from ofsted_kg import shacl
from ofsted_kg.terms import oxigraph_term as _ox
from ofsted_kg.validate import Raw, Report, Result, describe

if TYPE_CHECKING:
    import pyoxigraph as ox


@dataclass
class Checked:
    culprits: dict[URIRef, list[Result]] = field(default_factory=dict)  # document graph -> what it broke
    cross: list[tuple[Result, tuple[str, ...]]] = field(default_factory=list)  # and the documents taking part
    report: Report = field(default_factory=lambda: Report(()))  # the warnings of the graph as built

    @property
    def conforms(self) -> bool:
        return not self.culprits and not self.cross

    def results(self) -> list[Result]:
        """Everything found, as a validation report lists it: the violations no single document causes
        are marked so."""
        found = [r for results in self.culprits.values() for r in results] + list(self.report.results)
        return found + [
            Result(r.severity, r.focus, r.path, f"{r.message} (no single document causes this)", r.value, docs, r.shape)
            for r, docs in self.cross
        ]


def check(dataset: ox.Store, reference: URIRef, names: dict[URIRef, str]) -> Checked:
    """Validate an Oxigraph store of named graphs (their union) and charge what is found to documents."""
    return judge(shacl.validate(dataset, union=True), dataset, reference, names)


def judge(raws: list[Raw], dataset: ox.Store, reference: URIRef, names: dict[URIRef, str]) -> Checked:
    """Charge each violation to the documents that caused it; gather the warnings."""
    checked = Checked()
    warnings: set[Result] = set()
    cross: dict[Result, set[str]] = {}
    for raw in raws:
        describers = describers_of(dataset, raw.focus, reference)
        result = describe(raw, tuple(sorted(names.get(g, str(g)) for g in describers)))
        if raw.severity != "Violation":
            warnings.add(result)
            continue
        charged = _charge(raw, describers, dataset)
        if charged is None:
            cross.setdefault(result, set()).update(names.get(g, str(g)) for g in describers)
            continue
        for culprit in sorted(charged, key=str):
            found = checked.culprits.setdefault(culprit, [])
            if result not in found:
                found.append(result)
    for found in checked.culprits.values():
        found.sort(key=_order)
    checked.cross = sorted(((r, tuple(sorted(d))) for r, d in cross.items()), key=lambda x: x[0].line())
    checked.report = Report(tuple(sorted(warnings, key=_order)))
    return checked


def _order(result: Result) -> tuple[str, str, str, str, str]:
    return (result.severity, result.focus, result.path, result.message, result.value)


def describers_of(dataset: ox.Store, node: URIRef, reference: URIRef) -> list[URIRef]:
    """The documents' graphs that have a node as a subject (not the reference graph), in order."""
    import pyoxigraph as ox

    graphs = {
        q.graph_name.value
        for q in dataset.quads_for_pattern(_ox(node), None, None, None)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    return [URIRef(g) for g in sorted(graphs - {str(reference)})]


def _charge(raw: Raw, describers: list[URIRef], dataset: ox.Store) -> set[URIRef] | None:
    if not describers:  # a node of the reference graph alone
        return None
    if len(describers) == 1 or raw.path is None:
        return set(describers)
    # The documents that describe the node are the ones that can have given the value (a report that
    # describes an inspection also gives its judgements' grades).
    path = raw.path
    giving = {g for g in describers if _gives(dataset, g, raw, path)}
    if not giving:  # nothing given is at fault (a value is missing): each describer alone breaks the shape
        return set(describers)
    if len(giving) == 1 or raw.component != "MaxCountConstraintComponent":
        return giving
    # Too many values, from several documents: unless one of them alone gives too many, no single one is at fault.
    alone = {g for g in giving if len(_values(dataset, g, raw.focus, path)) > 1}
    return alone or None


def _values(
    dataset: ox.Store, graph: URIRef, subject: URIRef, predicate: URIRef
) -> list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    return [q.object for q in dataset.quads_for_pattern(_ox(subject), _ox(predicate), None, _ox(graph))]


def _gives(dataset: ox.Store, graph: URIRef, raw: Raw, predicate: URIRef) -> bool:
    """Whether a graph states the value a result blames (of the result's path, `predicate`): about its focus
    node, or about a node that points to it (a constraint on an inspection that checks its judgements' grades)."""
    if raw.value is None:
        return bool(_values(dataset, graph, raw.focus, predicate))
    path, value, name = _ox(predicate), _ox(raw.value), _ox(graph)
    if any(True for _ in dataset.quads_for_pattern(_ox(raw.focus), path, value, name)):
        return True
    pointing = {q.subject for q in dataset.quads_for_pattern(None, None, _ox(raw.focus), name)}
    return any(any(True for _ in dataset.quads_for_pattern(s, path, value, name)) for s in pointing)


def dataset_of(trig: str | bytes | Path) -> ox.Store:
    """An in-memory Oxigraph store of the named graphs a TriG text (or file) holds."""
    import pyoxigraph as ox

    dataset = ox.Store()
    if isinstance(trig, Path):
        dataset.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    else:
        dataset.bulk_load(trig.encode("utf-8") if isinstance(trig, str) else trig, format=ox.RdfFormat.TRIG)
    return dataset
