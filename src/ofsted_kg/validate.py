"""SHACL validation of a graph against ontology/shapes.ttl, with a report a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Node, URIRef
from rdflib.namespace import PROV, RDF, SH

from ofsted_kg.errors import ShapesError
from ofsted_kg.namespaces import OA, OKG, PREFIXES
from ofsted_kg.resources import ontology_file


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


def validate(data: Graph, shapes_graph: Graph | None = None) -> Report:
    """Validate a graph (which must hold the reference schemes too) against the shapes."""
    from pyshacl import validate as shacl_validate  # heavy import, only when validating

    _, results_graph, text = shacl_validate(
        data,
        shacl_graph=shapes_graph if shapes_graph is not None else shapes(),
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(results_graph, Graph):  # pySHACL could not use the shapes at all
        raise ShapesError(f"the SHACL shapes cannot be used: {text.strip()}")
    results = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(result, SH.focusNode)
        path = results_graph.value(result, SH.resultPath)
        value = results_graph.value(result, SH.value)
        severity = results_graph.value(result, SH.resultSeverity)
        message = results_graph.value(result, SH.resultMessage)
        results.append(
            Result(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=_short(data, focus),
                path=_short(data, path)
                if isinstance(path, URIRef)
                else ("^" + _short(data, results_graph.value(path, SH.inversePath)) if path is not None else ""),
                message=str(message) if message else "does not conform",
                value=_short(data, value) if value is not None else "",
                sources=_sources(data, focus),
                shape=_shape_name(
                    shapes_graph if shapes_graph is not None else shapes(), results_graph.value(result, SH.sourceShape)
                ),
            )
        )
    return Report(tuple(sorted(set(results), key=lambda r: (r.severity, r.focus, r.path, r.message, r.value))))


def _shape_name(shapes_graph: Graph, shape: Node | None) -> str:
    """The local name of the shape a result came from: a property shape's node shape if it is anonymous."""
    if shape is None:
        return ""
    if isinstance(shape, URIRef):
        return str(shape).rsplit("#", 1)[-1]
    owner = shapes_graph.value(None, SH.property, shape)
    return _shape_name(shapes_graph, owner) if owner is not None else ""


def _short(graph: Graph, node: Node | None) -> str:
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
    return node.n3(graph.namespace_manager)


def _sources(graph: Graph, focus: Node | None) -> tuple[str, ...]:
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
