"""The writers of what documents say of a council's work and of other councils: its services and how
they relate, the services a finding mentions, figures, meetings, and claims comparing councils."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ofsted_kg import iris
from ofsted_kg.councils import load_councils
from ofsted_kg.facts import (
    ClaimFact,
    FigureFact,
    MeetingFact,
    MentionFact,
    ServiceFact,
    ServiceRelationFact,
    service_key,
)
from ofsted_kg.namespaces import GROUP, OKG, PROFESSION, SCHEMA, SERVICE_KIND
from ofsted_kg.rdf.evidence import DocumentGraph, date_literal
from ofsted_kg.rdf.inspection_facts import inspection_iri
from ofsted_kg.rdf.inspections import InspectionKey
from ofsted_kg.rdf.reference_graph import ENGLAND
from ofsted_kg.reference import Framework


def write_service(
    w: DocumentGraph, fact: ServiceFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    s = iris.service(fact.council, fact.key)
    w.add(s, RDF.type, OKG.Service)
    w.add(s, RDFS.label, Literal(fact.name.value), fact.name)
    w.add(s, OKG.serviceKind, SERVICE_KIND[fact.kind])
    w.add(s, OKG.serviceOf, iris.council(fact.council))
    if fact.abbreviation is not None:
        w.add(s, SKOS.altLabel, Literal(fact.abbreviation.value), fact.abbreviation)
    w.derived(s)
    return None


_RELATION_OBJECTS = {"serves": GROUP, "bringsTogether": PROFESSION}


def write_service_relation(
    w: DocumentGraph, fact: ServiceRelationFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    subject = iris.service(fact.council, fact.subject)
    namespace = _RELATION_OBJECTS.get(fact.relation)
    obj = namespace[fact.object] if namespace is not None else iris.service(fact.council, fact.object)
    w.add(subject, OKG[fact.relation], obj, fact.sentence)
    return None


def write_mention(w: DocumentGraph, fact: MentionFact, key: InspectionKey, framework: Framework | None) -> str | None:
    finding = iris.finding(inspection_iri(key), fact.finding)
    w.add(finding, OKG.mentions, iris.service(fact.council, fact.service), fact.mention)
    return None


def figure_subject(fact: FigureFact, key: InspectionKey | None, council_gss: str | None) -> URIRef | None:
    council = load_councils().by_gss(council_gss) if council_gss else None
    if fact.subject == "england":
        return iris.area(ENGLAND)
    if fact.subject == "region" and fact.region:  # the region the text names
        return iris.area(fact.region)
    if fact.subject == "region" and council is not None and council.region_code:  # else the council's
        return iris.area(council.region_code)
    if fact.subject == "inspection" and key is not None:
        return inspection_iri(key)
    return iris.council(council_gss) if council_gss else None


def write_figure(
    w: DocumentGraph, fact: FigureFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    council_gss = key[0] if key else w.council
    subject = figure_subject(fact, key, council_gss)
    if subject is None:
        return f"figure '{fact.figure.value}': no subject known"
    value = Literal(int(fact.value)) if fact.value == fact.value.to_integral_value() else Literal(fact.value)
    f = iris.figure(subject, fact.measure, fact.value, fact.unit, fact.previous, fact.out_of, fact.period)
    w.add(f, RDF.type, OKG.Figure)
    w.add(f, SCHEMA.observationAbout, subject)
    w.add(f, OKG.measure, Literal(fact.measure), fact.context)
    w.add(f, SCHEMA.value, value, fact.figure)
    if fact.unit:
        w.add(f, SCHEMA.unitText, Literal(fact.unit))
    for prop, extra in ((OKG.previousValue, fact.previous), (OKG.outOf, fact.out_of)):
        if extra is not None:
            w.add(f, prop, Literal(int(extra)) if extra == extra.to_integral_value() else Literal(extra), fact.figure)
    if fact.period:
        w.add(f, SCHEMA.observationPeriod, Literal(fact.period), fact.figure)
    if fact.qualifier:
        w.add(f, OKG.qualifier, Literal(fact.qualifier), fact.figure)
    if fact.as_at is not None:
        w.add(f, SCHEMA.observationDate, date_literal(fact.as_at))
    w.derived(f)
    return None


def write_meeting(
    w: DocumentGraph, fact: MeetingFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    m = iris.meeting(fact.body.value, fact.date.value.iso())
    w.add(m, RDF.type, OKG.Meeting)
    w.add(m, SCHEMA.name, Literal(f"{fact.body.value} meeting"), fact.body)
    w.add(m, SCHEMA.startDate, date_literal(fact.date.value), fact.date)
    if fact.council:
        body = fact.body.value.lower()
        organiser = (
            iris.council(fact.council)
            if body in ("cabinet", "council")
            else iris.service(fact.council, service_key(fact.body.value))
        )
        w.add(m, SCHEMA.organizer, organiser, fact.body)
    w.add(m, SCHEMA.about, w.doc.iri)
    w.derived(m)
    return None


def write_claim(
    w: DocumentGraph, fact: ClaimFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    c = iris.claim(fact.claim.value)
    other, own = iris.council(fact.council), iris.council(fact.about)
    w.add(c, RDF.type, SCHEMA.Claim)
    w.add(c, SCHEMA.text, Literal(fact.claim.value), fact.claim)
    w.add(c, SCHEMA.about, other, fact.mention)
    w.derived(c)
    if fact.ranking == "above":
        w.add(other, OKG.rankedAbove, own, fact.claim)
    elif fact.ranking == "below":
        w.add(own, OKG.rankedAbove, other, fact.claim)
    return None
