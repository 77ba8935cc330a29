"""The writers of people, their posts and what they are quoted as saying: the person a name is, the
organisation a post is in (a council, Ofsted, another body)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS

from ofsted_kg import iris
from ofsted_kg.councils import load_councils
from ofsted_kg.facts import PersonFact, QuoteFact
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.rdf.evidence import OFSTED, DocumentGraph, date_literal
from ofsted_kg.rdf.inspections import InspectionKey
from ofsted_kg.reference import Framework, load_reference
from ofsted_kg.text import Quoted


def person_named(w: DocumentGraph, name: Quoted[str], organisation: str | None = None) -> URIRef:
    person = w.inspections.person(name.value, organisation, w.council)
    w.add(person, RDF.type, SCHEMA.Person)
    w.add(person, SCHEMA.name, Literal(name.value), name)
    return person


def organisation_iri(key: str | None) -> URIRef | None:
    if key is None:
        return None
    if key == "ofsted":
        return OFSTED
    return iris.council(key) if load_councils().by_gss(key) else iris.organisation(key)


def write_person(
    w: DocumentGraph, fact: PersonFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    person = person_named(w, fact.name, fact.organisation)
    w.derived(person)
    if fact.honorific is not None:
        w.add(person, SCHEMA.honorificPrefix, Literal(fact.honorific.value), fact.honorific)
    if fact.party is not None:
        w.add(person, OKG.party, Literal(fact.party.value), fact.party)
    if fact.ward is not None:
        w.add(person, OKG.ward, Literal(fact.ward.value), fact.ward)
    if fact.post is not None:
        post = _post(w, fact.post, fact.organisation)
        w.add(person, ORG.holds, post, fact.post)
        w.add(person, SCHEMA.jobTitle, Literal(fact.post.value), fact.post)
    return None


def _post(w: DocumentGraph, title: Quoted[str], organisation: str | None) -> URIRef:
    org = organisation_iri(organisation)
    # A title the schemes know under several names (Her/His Majesty's Inspector) is one post.
    written = iris.slug(title.value)
    known = next((t for t in load_reference().post_titles if written in {iris.slug(n) for n in t.names}), None)
    post = iris.post(organisation or "unknown", known.local if known else title.value)
    w.add(post, RDF.type, ORG.Post)
    w.add(post, RDFS.label, Literal(title.value), title)
    if org is not None:
        w.add(post, ORG.postIn, org)
    return post


def write_quote(
    w: DocumentGraph, fact: QuoteFact, key: InspectionKey | None, framework: Framework | None
) -> str | None:
    q = iris.quotation(fact.text.value)
    w.add(q, RDF.type, OKG.Quotation)
    w.add(q, SCHEMA.text, Literal(fact.text.value), fact.text)
    speaker: URIRef | None
    if fact.speaker_kind == "person":
        speaker = person_named(w, fact.speaker, fact.organisation)
    else:
        speaker = organisation_iri(fact.organisation)
    if speaker is not None:
        w.add(q, SCHEMA.creator, speaker, fact.speaker)
    if fact.post is not None and fact.speaker_kind == "person":
        w.add(q, OKG.speakerPost, _post(w, fact.post, fact.organisation), fact.post)
    if fact.as_at is not None:
        w.add(q, DCTERMS.date, date_literal(fact.as_at))
    w.derived(q)
    return None
