"""SHACL validation of a graph against ontology/shapes.ttl, with a report a person can read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from rdflib import Graph, Node, URIRef
from rdflib.namespace import PROV, RDF, SH

from ofsted_kg import forking
from ofsted_kg.errors import ShapesError
from ofsted_kg.namespaces import OA, OKG, PREFIXES
from ofsted_kg.resources import ontology_file

if TYPE_CHECKING:
    from rdflib.namespace import NamespaceManager
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result as QueryResult

    from ofsted_kg.terms import Term


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str
    value: str
    sources: tuple[str, ...]
    shape: str = ""  # the node shape (or shared property shape) that was broken

    def line(self) -> str:
        where = f" [{', '.join(self.sources)}]" if self.sources else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}{where}"


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]

    @property
    def violations(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self, limit: int | None = None) -> str:
        shown = sorted(self.results, key=lambda r: (r.severity != "Violation", r.focus, r.path, r.message, r.value))
        lines = [r.line() for r in shown[:limit]]
        if limit is not None and len(shown) > limit:
            lines.append(f"... and {len(shown) - limit} more")
        return "\n".join(lines)


@lru_cache(maxsize=1)
def shapes() -> Graph:
    graph = Graph()
    graph.parse(ontology_file("shapes.ttl"), format="turtle")
    return graph


class _PreparedQueries(Graph):
    """A view of a graph that parses each SPARQL query once.

    pySHACL runs a SPARQL constraint once per focus node, as a string; parsing
    it each time costs more than running it.
    """

    # Shared by every graph validated in this process: a build validates each document's graph on its own.
    _prepared: dict[str, Query] = {}

    def __init__(self, graph: Graph):
        super().__init__(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> QueryResult:
        if isinstance(query_object, str):
            from rdflib.plugins.sparql import prepareQuery

            if query_object not in self._prepared:
                self._prepared[query_object] = prepareQuery(query_object)
            query_object = self._prepared[query_object]
        return super().query(query_object, *args, **kwargs)


def validate(
    data: Graph, shapes_graph: Graph | None = None, workers: int = 2, focus: frozenset[URIRef] | None = None
) -> Report:
    """Validate a graph (which must hold the reference schemes too) against the shapes.

    With `focus`, only results about those nodes are kept: the graph is then the
    neighbourhood of the nodes an update changed, and what lies at its edge is
    checked elsewhere.

    With workers=2 (and where the platform can fork) the shapes are shared
    between this process and a forked copy of it, each checking the whole graph
    against its half: validation is most of a build's time, and machines have
    two cores or more.
    """
    shapes_graph = shapes_graph if shapes_graph is not None else shapes()
    if workers < 2 or not hasattr(os, "fork"):
        return Report(_sorted(_run(data, shapes_graph, focus)))
    first, second = _halves(shapes_graph)
    theirs, mine = forking.alongside(lambda: _run(data, second, focus), lambda: _run(data, first, focus))
    return Report(_sorted(mine + theirs))


def _sorted(results: list[Result]) -> tuple[Result, ...]:
    return tuple(sorted(set(results), key=lambda r: (r.severity, r.focus, r.path, r.message, r.value)))


def _halves(shapes_graph: Graph) -> tuple[Graph, Graph]:
    """Two copies of the shapes graph, each targeting about half the node shapes (by expected cost)."""
    targets = sorted(set(shapes_graph.subject_objects(SH.targetClass)), key=lambda t: (str(t[0]), str(t[1])))
    heavy = {
        OA.TextPositionSelector,
        OA.TextQuoteSelector,
        OA.FragmentSelector,
        OA.SpecificResource,
        RDF.Statement,
        OA.Annotation,
        OKG.Evidence,
    }
    halves = (Graph(), Graph())
    for graph in halves:
        for triple in shapes_graph:
            if triple[1] != SH.targetClass:
                graph.add(triple)
    for shape, cls in targets:
        # The evidence of every fact is as many nodes as all the facts: one half each.
        halves[1 if cls in heavy else 0].add((shape, SH.targetClass, cls))
    return halves


@dataclass(frozen=True)
class Raw:
    """One result of pySHACL with its terms, before it is described for a person."""

    severity: str
    focus: URIRef
    path: URIRef | None  # a property (None: an inverse path, which `inverse` names)
    value: Term | None
    message: str
    component: str  # the local name of the constraint component: MinCountConstraintComponent, ...
    shape: str
    inverse: str = ""  # for an inverse path, the property it inverts


def run_shacl(data: Graph, shapes_graph: Graph) -> list[Raw]:
    """pySHACL's results over a graph (which must hold the reference schemes)."""
    from pyshacl import validate as shacl_validate  # heavy import, only when validating

    _, results_graph, text = shacl_validate(
        _PreparedQueries(data),
        shacl_graph=shapes_graph,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(results_graph, Graph):  # pySHACL could not use the shapes at all
        raise ShapesError(f"the SHACL shapes cannot be used: {text.strip()}")
    raws = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        path = results_graph.value(result, SH.resultPath)
        severity = results_graph.value(result, SH.resultSeverity)
        message = results_graph.value(result, SH.resultMessage)
        component = results_graph.value(result, SH.sourceConstraintComponent)
        inverse = (
            results_graph.value(path, SH.inversePath) if path is not None and not isinstance(path, URIRef) else None
        )
        raws.append(
            Raw(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                # (the graph's own terms, which rdflib types as Node: its nodes are IRIs)
                focus=cast(URIRef, results_graph.value(result, SH.focusNode)),
                path=path if isinstance(path, URIRef) else None,
                value=cast("Term | None", results_graph.value(result, SH.value)),
                message=str(message) if message else "does not conform",
                component=str(component).rsplit("#", 1)[-1] if component else "",
                shape=_shape_name(shapes_graph, results_graph.value(result, SH.sourceShape)),
                inverse=str(inverse) if inverse is not None else "",
            )
        )
    return raws


def describe(raw: Raw, sources: tuple[str, ...]) -> Result:
    """A result as a person reads it, with the documents its focus node was read from."""
    if raw.path is not None:
        path_text = _short(None, raw.path)
    elif raw.inverse:
        path_text = "^" + _short(None, URIRef(raw.inverse))
    else:
        path_text = ""
    return Result(
        severity=raw.severity,
        focus=_short(None, raw.focus),
        path=path_text,
        message=raw.message,
        value=_short(None, raw.value) if raw.value is not None else "",
        sources=sources,
        shape=raw.shape,
    )


def _run(data: Graph, shapes_graph: Graph, focus: frozenset[URIRef] | None = None) -> list[Result]:
    return [
        describe(raw, sources_in(data, raw.focus))
        for raw in run_shacl(data, shapes_graph)
        if focus is None or raw.focus in focus
    ]


def _shape_name(shapes_graph: Graph, shape: Node | None) -> str:
    """The local name of the shape a result came from: a property shape's node shape if it is anonymous."""
    if shape is None:
        return ""
    if isinstance(shape, URIRef):
        return str(shape).rsplit("#", 1)[-1]
    owner = shapes_graph.value(None, SH.property, shape)
    return _shape_name(shapes_graph, owner) if owner is not None else ""


def _short(graph: Graph | None, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if str(node).startswith(str(namespace)) and prefix != "id":
                return f"{prefix}:{str(node)[len(str(namespace)) :]}"
        id_ns = str(PREFIXES["id"])
        if str(node).startswith(id_ns):
            return "<" + str(node)[len(id_ns) :] + ">"
        return f"<{node}>"
    return node.n3(graph.namespace_manager if graph is not None else _NAMESPACES())


@lru_cache(maxsize=1)
def _NAMESPACES() -> NamespaceManager:
    """Prefixes for writing literals' datatypes when no graph is at hand."""
    from ofsted_kg.namespaces import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    return graph.namespace_manager


def sources_in(graph: Graph, focus: Node | None) -> tuple[str, ...]:
    """The file names of the documents a focus node was read from."""
    if focus is None:
        return ()
    docs = set(graph.objects(focus, PROV.wasDerivedFrom)) | set(graph.objects(focus, OA.hasSource))
    if (focus, RDF.type, OKG.SourceDocument) in graph:
        docs.add(focus)
    for statement in graph.subjects(RDF.subject, focus):
        for annotation in graph.subjects(OA.hasBody, statement):
            for target in graph.objects(annotation, OA.hasTarget):
                docs |= set(graph.objects(target, OA.hasSource))
    for target in graph.objects(focus, OA.hasTarget):
        docs |= set(graph.objects(target, OA.hasSource))
    return tuple(sorted(str(graph.value(d, OKG.fileName) or d) for d in docs))
