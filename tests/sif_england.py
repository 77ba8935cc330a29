"""Readers of the graph built from the fixtures of England's SIF reports (tests/fixtures/sif-england), shared by
the tests of those reports."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from ofsted_kg import iris
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import FIXTURES
from helpers import judgements, local

REPORTS = FIXTURES / "sif-england"


def day(value: str) -> Literal:
    return Literal(dt.date.fromisoformat(value), datatype=XSD.date)


def grades(graph, council: str, year: int) -> dict[str, str]:
    key = local(iris.inspection(council, year))
    return {area: grade for i, area, grade in judgements(graph) if i == key}


def lead(graph, inspection) -> str | None:
    person = graph.value(inspection, OKG.leadInspector)
    return None if person is None else str(graph.value(person, SCHEMA.name))


def kind(graph, inspection) -> str:
    return str(graph.value(inspection, OKG.inspectionType)).rsplit("/", 1)[-1]


def recommendations(graph, inspection) -> dict[str, str]:
    """'la-3' / 'lscb-1' -> text, of one inspection's recommendations."""
    return {
        str(r).rsplit("/", 1)[1]: str(graph.value(r, SCHEMA.text))
        for r in graph.subjects(OKG.inspection, inspection)
        if (r, RDF.type, OKG.Recommendation) in graph
    }


def findings(graph, inspection) -> dict[int | None, list[tuple[str | None, str]]]:
    """number -> [(judgement area notation or None, text)] of an inspection's findings."""
    out: dict[int | None, list] = {}
    for f in graph.subjects(OKG.inspection, inspection):
        if (f, RDF.type, OKG.Finding) in graph:
            judgement = graph.value(f, OKG.judgement)
            number = graph.value(f, OKG.number)
            area = None if judgement is None else str(judgement).rsplit("/", 1)[-1]
            out.setdefault(None if number is None else int(number), []).append((area, str(graph.value(f, SCHEMA.text))))
    return out
