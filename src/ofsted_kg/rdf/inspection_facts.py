"""The writers of an inspection and of what its report says or is answered with: judgements, the
safeguarding board, recommendations, findings, and the actions of a council's plan."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ofsted_kg import iris
from ofsted_kg.councils import load_councils
from ofsted_kg.facts import (
    ActionFact,
    BoardFact,
    FindingFact,
    InspectionFact,
    JudgementFact,
    RecommendationFact,
    finding_type,
)
from ofsted_kg.namespaces import KIND, OKG, SCHEMA
from ofsted_kg.rdf.evidence import OFSTED, DocumentGraph, date_literal
from ofsted_kg.rdf.inspections import InspectionKey
from ofsted_kg.rdf.people_facts import person_named
from ofsted_kg.reference import Framework
from ofsted_kg.text import PartialDate


def inspection_iri(key: InspectionKey) -> URIRef:
    return iris.inspection(*key)


def _with_year(value: PartialDate, year: int) -> PartialDate:
    return value if value.year is not None else value.with_year(year)


def write_inspection(
    w: DocumentGraph, fact: InspectionFact, key: InspectionKey, framework: Framework | None
) -> str | None:
    i = inspection_iri(key)
    council = load_councils().by_gss(key[0])
    w.add(i, RDF.type, OKG.Inspection)
    w.add(i, RDFS.label, Literal(f"{council.name if council else key[0]} inspection {key[1]}"))
    w.add(i, OKG.inspectedAuthority, iris.council(key[0]), fact.council)
    w.derived(i)
    if framework is not None:
        w.add(i, OKG.framework, framework.iri, fact.framework)
        w.add(i, OKG.inspectorate, OFSTED)
    note = None
    for prop, q in ((SCHEMA.startDate, fact.start), (SCHEMA.endDate, fact.end), (OKG.publicationDate, fact.published)):
        if q is not None:
            try:
                w.add(i, prop, date_literal(_with_year(q.value, key[1])), q)
            except ValueError:  # '29 February' without its year, given a year that has none
                note = f"'{q.value.iso()}' is no day of {key[1]}: that date of the inspection is left out"
    if fact.inspection_type is not None:
        w.add(i, OKG.inspectionType, KIND[fact.inspection_type.value], fact.inspection_type)
    for lead in fact.lead_inspectors:
        w.add(i, OKG.leadInspector, person_named(w, lead, "ofsted"), lead)
    return note


def write_judgement(
    w: DocumentGraph, fact: JudgementFact, key: InspectionKey, framework: Framework | None
) -> str | None:
    if framework is None:
        return f"no framework known for the inspection of {key[0]} in {key[1]}"
    area = framework.area(fact.area.value)
    grade = framework.grade(fact.grade.value)
    if area is None or grade is None:
        return f"'{fact.area.value}: {fact.grade.value}' is not a judgement of the {framework.label}"
    i = inspection_iri(key)
    j = iris.judgement(i, area.notation)
    w.add(j, RDF.type, OKG.Judgement)
    w.add(j, OKG.inspection, i)
    w.add(j, OKG.area, area.iri, fact.area)
    w.add(j, OKG.grade, grade.iri, fact.grade)
    w.derived(j)
    return None


def write_board(
    w: DocumentGraph, fact: BoardFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    b = iris.safeguarding_board(fact.council)
    w.add(b, RDF.type, OKG.SafeguardingBoard)
    w.add(b, RDFS.label, Literal(fact.name.value), fact.name)
    w.add(b, OKG.boardOf, iris.council(fact.council))
    w.derived(b)
    return None


def _addressee(kind: str, council: str) -> tuple[URIRef, str]:
    if kind == "board":
        return iris.safeguarding_board(council), "lscb"
    return iris.council(council), "la"


def write_recommendation(
    w: DocumentGraph, fact: RecommendationFact, key: InspectionKey, framework: Framework | None
) -> str | None:
    i = inspection_iri(key)
    to, slug = _addressee(fact.addressee, key[0])
    slug = "improve" if fact.improvement_area else slug
    if fact.number is None:
        r = iris.stated_recommendation(i, slug, fact.text.value)
    else:
        r = iris.recommendation(i, slug, fact.number)
    w.add(r, RDF.type, OKG.AreaForImprovement if fact.improvement_area else OKG.Recommendation)
    w.add(r, OKG.inspection, i)
    if fact.number is not None:
        w.add(r, OKG.number, Literal(fact.number), fact.text)
    w.add(r, SCHEMA.text, Literal(fact.text.value), fact.text)
    w.add(r, OKG.addressedTo, to)
    if fact.addressee == "board":
        w.add(to, RDF.type, OKG.SafeguardingBoard)
        w.add(to, OKG.boardOf, iris.council(key[0]))
    w.derived(r)
    return None


def write_finding(w: DocumentGraph, fact: FindingFact, key: InspectionKey, framework: Framework | None) -> str | None:
    i = inspection_iri(key)
    f = iris.finding(i, fact.text.value)
    w.add(f, RDF.type, OKG.Finding)
    w.add(f, OKG.inspection, i)
    w.add(f, SCHEMA.text, Literal(fact.text.value), fact.text)
    w.add(f, OKG.findingType, KIND[finding_type(fact.text.value)])
    if fact.number is not None:
        w.add(f, OKG.number, Literal(fact.number), fact.text)
    if fact.headline:
        w.add(f, OKG.headline, Literal(True))
    if fact.area is not None and framework is not None:
        area = framework.area(fact.area.value)
        if area is not None:
            w.add(f, OKG.judgement, iris.judgement(i, area.notation), fact.area)
    w.derived(f)
    return None


def write_action(w: DocumentGraph, fact: ActionFact, key: InspectionKey, framework: Framework | None) -> str | None:
    i = inspection_iri(key)
    plan = iris.action_plan(i)
    w.add(plan, RDF.type, OKG.ActionPlan)
    w.add(plan, OKG.respondsTo, i)
    w.add(plan, DCTERMS.publisher, iris.council(key[0]))
    w.derived(plan)
    number = fact.recommendation.value
    # Several actions may answer one recommendation: the first keeps the recommendation's key.
    a = iris.action(plan, f"recommendation-{number}" + (f"-{fact.position}" if fact.position > 1 else ""))
    w.add(plan, OKG.hasAction, a)
    w.add(a, RDF.type, OKG.Action)
    w.add(a, OKG.number, Literal(number), fact.recommendation)
    w.add(a, OKG.answers, iris.recommendation(i, "la", number), fact.recommendation)
    w.add(a, SCHEMA.text, Literal(fact.text.value), fact.text)
    w.derived(a)
    for n, milestone in enumerate(fact.milestones, start=1):
        m = iris.milestone(a, n)
        w.add(a, OKG.milestone, m)
        w.add(m, RDF.type, OKG.Milestone)
        w.add(m, OKG.number, Literal(n))
        w.add(m, SCHEMA.text, Literal(milestone.text.value), milestone.text)
        w.derived(m)
        if milestone.timescale is not None:
            w.add(m, OKG.timescale, Literal(milestone.timescale.value), milestone.timescale)
            if milestone.due is not None:
                w.add(m, OKG.dueDate, date_literal(milestone.due), milestone.timescale)
    for timescale, due in fact.timescales:
        w.add(a, OKG.timescale, Literal(timescale.value), timescale)
        if due is not None:
            w.add(a, OKG.dueDate, date_literal(due), timescale)
    for name in fact.lead_officers:
        w.add(a, OKG.leadOfficer, person_named(w, name), name)
    for role in fact.lead_roles:
        w.add(a, OKG.leadRole, Literal(role.value), role)
    for note in fact.progress:
        w.add(a, OKG.progressNote, Literal(note.value), note)
    if fact.rag is not None:
        w.add(a, OKG.ragStatus, Literal(fact.rag.value), fact.rag)
    if fact.completed is not None:
        w.add(a, OKG.completed, Literal(True), fact.completed)
    else:
        w.add(a, OKG.completed, Literal(False))
    return None
