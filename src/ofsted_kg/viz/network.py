"""From RDF to networkx: the views of the graph people draw, and any CONSTRUCT result.

Every node carries its label, kind, IRI, the documents that name it and a quoted
piece of evidence; every edge its relation's label and the evidence of that
statement (documents and quote). All attributes are strings, so that GraphML and
GEXF keep them.
"""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from ofsted_kg.namespaces import OA, OKG, SCHEMA

SERVICE_RELATIONS = (OKG.combines, OKG.worksWith, OKG.serves, OKG.bringsTogether)
NOT_EDGES = {RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, SCHEMA.name, RDF.subject, RDF.predicate, RDF.object}
Edge = tuple[Node, Node, Node]  # (subject, predicate, object)
Quoted = tuple[str, str]  # (file, quote)
T = TypeVar("T")


@dataclass
class Evidence:
    """Where the graph's statements were read: (subject, predicate, object) -> [(file, quote)], and each
    subject -> the same of all its statements."""

    statements: dict[tuple[Node | None, Node | None, Node | None], list[Quoted]] = field(
        default_factory=lambda: defaultdict(list)
    )
    about: dict[Node | None, list[Quoted]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, graph: Graph) -> "Evidence":
        files: dict[Node | None, str] = {d: str(f) for d, f in graph.subject_objects(OKG.fileName)}
        out = cls()
        for annotation, statement in graph.subject_objects(OA.hasBody):
            s, p, o = (graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            for target in graph.objects(annotation, OA.hasTarget):
                source = files.get(graph.value(target, OA.hasSource), "")
                quote = next(
                    (str(q) for sel in graph.objects(target, OA.hasSelector) for q in graph.objects(sel, OA.exact)), ""
                )
                out.statements[(s, p, o)].append((source, quote))
                out.about[s].append((source, quote))
        return out

    def of_node(self, node: Node) -> Quoted:
        found = sorted(set(self.about.get(node, [])))
        return ", ".join(sorted({f for f, _ in found})), (found[0][1] if found else "")

    def of_edge(self, s: Node, p: Node, o: Node) -> Quoted:
        found = sorted(set(self.statements.get((s, p, o), [])))
        return ", ".join(sorted({f for f, _ in found})), (found[0][1] if found else "")


def _longest(graph: Graph, node: Node, predicate: Node) -> str | None:
    values = sorted((str(v) for v in graph.objects(node, predicate)), key=lambda v: (-len(v), v))
    return values[0] if values else None


def label(graph: Graph, node: Node) -> str:
    if (node, RDF.type, OKG.Judgement) in graph:
        area = graph.value(graph.value(node, OKG.area), SKOS.prefLabel)
        grades = sorted(str(graph.value(g, SKOS.prefLabel)) for g in graph.objects(node, OKG.grade))
        return f"{area}: {' / '.join(grades)}"
    for kind, word in (
        (OKG.AreaForImprovement, "Area for improvement"),
        (OKG.Recommendation, "Recommendation"),
        (OKG.Action, "Action"),
    ):
        if (node, RDF.type, kind) in graph:
            number = graph.value(node, OKG.number)
            if number is None:  # stated without a number: known by its words
                return f"{word}: {textwrap.shorten(_longest(graph, node, SCHEMA.text) or '', 40)}"
            return f"{word} {number}"
    for predicate in (SCHEMA.name, SKOS.prefLabel, RDFS.label):
        found = _longest(graph, node, predicate)
        if found:
            return found
    return re.sub(r"^.*[/#]", "", str(node))


def kind(graph: Graph, node: Node) -> str:
    service_kind = graph.value(node, OKG.serviceKind)
    if service_kind is not None:
        return str(graph.value(service_kind, SKOS.prefLabel))
    scheme = graph.value(node, SKOS.inScheme)
    if scheme == OKG.ChildrenGroups:
        return "children"
    if scheme == OKG.Professions:
        return "profession"
    if (node, RDF.type, OKG.Judgement) in graph:
        grades = sorted(str(graph.value(g, SKOS.prefLabel)) for g in graph.objects(node, OKG.grade))
        return f"judgement: {grades[0].lower() if len(grades) == 1 else 'grades differ'}"
    for cls, word in (
        (OKG.LocalAuthority, "council"), (OKG.SafeguardingBoard, "board"), (OKG.Inspection, "inspection"),
        (OKG.AreaForImprovement, "area for improvement"), (OKG.Recommendation, "recommendation"),
        (OKG.Action, "action"), (SCHEMA.Person, "person"), (OKG.Finding, "finding"),
    ):  # fmt: skip
        if (node, RDF.type, cls) in graph:
            return word
    return "other"


def relation_label(predicate: Node) -> str:
    """'https://w3id.org/ofsted-kg/def#worksWith' -> 'works with'"""
    local = re.sub(r"^.*[/#]", "", str(predicate))
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def to_networkx(graph: Graph, edges: Iterable[Edge], evidence: Evidence | None = None) -> nx.DiGraph:
    """A networkx graph of the given edges (s, p, o), its nodes described from `graph`."""
    evidence = evidence or Evidence.of(graph)
    out = nx.DiGraph()
    for s, p, o in _ordered(set(edges)):
        for node in (s, o):
            if node not in out:
                documents, quote = evidence.of_node(node)
                out.add_node(
                    str(node),
                    label=label(graph, node),
                    kind=kind(graph, node),
                    iri=str(node),
                    documents=documents,
                    quote=quote,
                )
        documents, quote = evidence.of_edge(s, p, o)
        if out.has_edge(str(s), str(o)):
            edge = out.edges[str(s), str(o)]
            edge["relation"] = " / ".join(sorted({*edge["relation"].split(" / "), relation_label(p)}))
        else:
            out.add_edge(str(s), str(o), relation=relation_label(p), documents=documents, quote=quote)
    return out


def _documents_of_inspection(graph: Graph, inspection: Node) -> set[Node]:
    from rdflib.namespace import PROV

    facts = set(graph.subjects(OKG.inspection, inspection)) | {inspection}
    return {d for f in facts for d in graph.objects(f, PROV.wasDerivedFrom)}


def inspections(graph: Graph, council: str | None, year: int | None) -> list[Node]:
    """The inspections a view shows: of this council (its GSS code) and year, where given."""
    found = []
    for i in graph.subjects(RDF.type, OKG.Inspection):
        authority = graph.value(i, OKG.inspectedAuthority)
        if council and not str(authority).endswith("/" + council):
            continue
        if year and not str(i).endswith(f"-{year}"):
            continue
        found.append(i)
    return _ordered(found)


def services_view(graph: Graph, council: str | None = None, year: int | None = None, runs: bool = False) -> nx.DiGraph:
    """Services, teams, boards and partners, their stated relations, and the groups of children they serve;
    with `runs`, each linked to the council it is of (the server's view of a region or of England)."""
    from rdflib.namespace import PROV

    services = set(graph.subjects(RDF.type, OKG.Service))
    if council:
        services = {s for s in services if str(graph.value(s, OKG.serviceOf)).endswith("/" + council)}
    if year:
        of_year: set[Node] = set().union(
            *(_documents_of_inspection(graph, i) for i in inspections(graph, council, year))
        )
        services = {s for s in services if set(graph.objects(s, PROV.wasDerivedFrom)) & of_year}
    relations = (*SERVICE_RELATIONS, OKG.serviceOf) if runs else SERVICE_RELATIONS
    edges = [(s, p, o) for p in relations for s, o in graph.subject_objects(p) if s in services]
    view = to_networkx(graph, edges)
    evidence = Evidence.of(graph)
    for s in _ordered(services):  # services with no stated relation are drawn too
        if str(s) not in view:
            documents, quote = evidence.of_node(s)
            view.add_node(
                str(s), label=label(graph, s), kind=kind(graph, s), iri=str(s), documents=documents, quote=quote
            )
    return view


def inspections_view(graph: Graph, council: str | None = None, year: int | None = None) -> nx.DiGraph:
    """A council's inspections, their judgements and grades, recommendations, actions and lead officers."""
    edges: list[Edge] = []
    for i in inspections(graph, council, year):
        authority = graph.value(i, OKG.inspectedAuthority)
        if authority is not None:
            edges.append((authority, OKG.inspected, i))
        edges += [(i, OKG.leadInspector, p) for p in graph.objects(i, OKG.leadInspector)]
        for fact in graph.subjects(OKG.inspection, i):
            if (fact, RDF.type, OKG.Judgement) in graph:
                edges.append((i, OKG.judgement, fact))
            elif (fact, RDF.type, OKG.Recommendation) in graph or (fact, RDF.type, OKG.AreaForImprovement) in graph:
                edges.append((i, OKG.recommendation, fact))
                for action in graph.subjects(OKG.answers, fact):
                    edges.append((action, OKG.answers, fact))
                    edges += [(action, OKG.leadOfficer, p) for p in graph.objects(action, OKG.leadOfficer)]
    return to_networkx(graph, edges)


def construct_view(graph: Graph, constructed: Graph) -> nx.DiGraph:
    """The links between resources of a CONSTRUCT query's result, described from the whole graph."""
    edges = [(s, p, o) for s, p, o in constructed if isinstance(o, URIRef) and p not in NOT_EDGES]
    return to_networkx(graph, edges)


def _ordered(terms: Iterable[T]) -> list[T]:
    """Terms (or tuples of them) in rdflib's order."""
    # rdflib types what a graph gives as Node, which has no order; each is an Identifier, which has.
    return sorted(terms)  # type: ignore[type-var]
