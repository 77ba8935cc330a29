"""Which of the values documents give for one fact the graph stands by.

Every document's claims stay in its own named graph. Where they differ (an inspection's start date
from Ofsted's report and from a news article, a grade from a report and from a council's paper, the
length of an inspection from two articles), the graph of preferences holds one okg:Preference per
fact: the statement chosen, the rule that chose it and why, and the documents that give it. Values
derived from other facts (an inspection's length from its dates, the number of recommendations a
list holds) are compared with what documents state (derived.py) and take part in the choice. The
rule is reference data (ontology/schemes.ttl: each kind of document's okg:authorityRank and the
rule's definition); this module only applies it, so that the choice is the same whatever order the
documents were read in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ofsted_kg import iris
from ofsted_kg.namespaces import ID, OKG, SCHEMA
from ofsted_kg.reference import load_reference

if TYPE_CHECKING:
    from ofsted_kg.terms import Subject, Term, Triple

PREFERRED_GRAPH = ID["graph/preferred"]
# Properties of which one subject has one true value (a person may hold several posts: not one of these).
CONTESTED = frozenset((SCHEMA.startDate, SCHEMA.endDate, OKG.publicationDate, OKG.grade, OKG.leadInspector))
_CONTESTED = frozenset(str(p) for p in CONTESTED)
# Of these, properties of which one document may give several values together (an inspection's co-leads):
# values one document gives together do not disagree.
_TOGETHER = frozenset((str(OKG.leadInspector),))
DATES = frozenset((XSD.date, XSD.gYearMonth, XSD.gYear))
RECOMMENDATION = "recommendation"  # the topic of a recommendation's number, for counting a list
AREAS = "areas-for-improvement"  # a recommendation's detail: its addressee, and this if it is one of those
DERIVED = str(ID["derived/"])  # derived.py's figures
_AREA = str(ID["area/"])  # England's and regions' figures change from year to year: no one true value
# The properties claims() reads, as strings.
_ABOUT, _MEASURE, _VALUE, _UNIT = (
    str(p) for p in (SCHEMA.observationAbout, OKG.measure, SCHEMA.value, SCHEMA.unitText)
)
_INSPECTION, _NUMBER, _ADDRESSED_TO = str(OKG.inspection), str(OKG.number), str(OKG.addressedTo)
_NODE_PROPERTIES = frozenset((_ABOUT, _MEASURE, _VALUE, _UNIT, _INSPECTION, _NUMBER, _ADDRESSED_TO))
_TYPE, _AREA_FOR_IMPROVEMENT, _DOCUMENT_KIND = str(RDF.type), str(OKG.AreaForImprovement), str(OKG.documentKind)
# A service's names: each document's rdfs:label; the graph stands by one, its skos:prefLabel (name()).
NAME = str(SKOS.prefLabel)
_LABEL, _SERVICE = str(RDFS.label), str(OKG.Service)


@dataclass(frozen=True)
class Claim:
    """One document's value for one fact: the statement (subject, predicate, value) of its graph, and
    what it is about: (subject, predicate); for a figure (the thing measured, the measure); for a
    recommendation (its inspection, RECOMMENDATION). `detail` is a figure's unit or a recommendation's
    addressee."""

    topic: tuple[str, str]
    subject: Subject
    predicate: URIRef
    value: Term
    document: URIRef
    kind: str
    detail: str = ""


def measured(measure: str) -> bool:
    """Whether a figure's measure names one thing that has one value: an inspection's length, a rank,
    a cell of a table (not a bare count or a percentage read from the words before it)."""
    return measure.startswith(("length of", "rank")) or ": " in measure


def claims(document: URIRef, triples: Iterable[Triple]) -> list[Claim]:
    """The claims of one document's named graph: contested properties, figures, recommendations."""
    # Terms are compared as strings: this runs over every triple of the graph, and rdflib's own
    # comparison and hashing of terms cost ten times as much.
    kind = ""
    plain: list[Triple] = []
    nodes: dict[Subject, dict[str, Term]] = defaultdict(dict)
    labels: list[Triple] = []
    services: set[Subject] = set()
    about_document = str(document)
    for s, p, o in triples:
        key = str(p)
        if key in _CONTESTED:
            plain.append((s, p, o))
        elif key in _NODE_PROPERTIES:
            nodes[s][key] = o
        elif key == _LABEL:
            labels.append((s, p, o))
        elif key == _TYPE and isinstance(o, URIRef) and str(o) in (_AREA_FOR_IMPROVEMENT, _SERVICE):
            if str(o) == _SERVICE:
                services.add(s)
            else:
                nodes[s][key] = o
        elif key == _DOCUMENT_KIND and str(s) == about_document:
            kind = str(o).rsplit("/", 1)[-1]
    out = [Claim((str(s), str(p)), s, p, o, document, kind) for s, p, o in plain]
    out += [Claim((str(s), NAME), s, p, o, document, kind) for s, p, o in labels if s in services]
    for node, values in nodes.items():
        about, measure, value = (values.get(k) for k in (_ABOUT, _MEASURE, _VALUE))
        if about is not None and measure is not None and value is not None and not str(about).startswith(_AREA):
            unit = str(values.get(_UNIT, ""))
            out.append(Claim((str(about), str(measure)), node, SCHEMA.value, value, document, kind, unit))
        inspection, number, addressee = (values.get(k) for k in (_INSPECTION, _NUMBER, _ADDRESSED_TO))
        if inspection is not None and number is not None and addressee is not None:  # a recommendation
            topic = (str(inspection), RECOMMENDATION)
            # Areas for improvement are a list of their own beside the recommendations to the same addressee.
            detail = str(addressee) + (" " + AREAS if _TYPE in values else "")
            out.append(Claim(topic, node, OKG.number, number, document, kind, detail))
    return out


def _agrees(less: object, more: object) -> bool:
    """Whether a date agrees with a more precise one ('2011' and '2011-06-16')."""
    if not (isinstance(less, Literal) and isinstance(more, Literal)):
        return False
    if less.datatype not in DATES or more.datatype not in DATES:
        return False
    return len(str(less)) < len(str(more)) and str(more).startswith(str(less))


def shown(value: object) -> str:
    return str(value).rstrip("/").rsplit("/", 1)[-1] if isinstance(value, URIRef) else str(value)


def rank(kind: str) -> int:
    authority = load_reference().authority
    return authority.get(kind, (max((r for r, _ in authority.values()), default=0) + 1, ""))[0]


def _label(kind: str) -> str:
    return load_reference().authority.get(kind, (0, kind or "an unknown kind of document"))[1]


@dataclass(frozen=True)
class Choice:
    topic: tuple[str, str]
    value: Term
    chosen: tuple[Claim, ...]  # the claims that give it, the most authoritative first
    reason: str
    # Values its first document gives together with it (co-leads), also stood by: each with its documents.
    also: tuple[tuple[Term, tuple[URIRef, ...]], ...] = ()


def choose(topic: tuple[str, str], found: list[Claim]) -> Choice | None:
    """The value the rule stands by among a fact's claims, if they give two or more values."""
    values = {c.value for c in found}
    if len(values) < 2 or (topic[1] in _TOGETHER and _given_together(found)):
        return None
    # The most precise values: each stands for the less precise values that agree with it.
    candidates = [v for v in values if not any(_agrees(v, w) for w in values)]

    def order(value: Term) -> tuple[int, int, int, str, str]:
        own = [c for c in found if c.value == value]
        support = [c for c in found if c.value == value or _agrees(c.value, value)]
        # Values that agree are one claim: a value is as good as the best source that agrees with it.
        return (
            min(rank(c.kind) for c in support),
            min(rank(c.kind) for c in own),
            -len({c.document for c in support}),
            shown(value),
            str(value),
        )

    best = sorted(candidates, key=order)[0]
    chosen = tuple(
        sorted((c for c in found if c.value == best), key=lambda c: (rank(c.kind), str(c.subject), str(c.document)))
    )
    also: tuple[Term, ...] = ()
    if topic[1] in _TOGETHER:  # the values the most authoritative of those documents gives with it
        also = tuple(sorted({c.value for c in found if c.document == chosen[0].document} - {best}, key=str))
    giving = tuple((v, tuple(sorted({c.document for c in found if c.value == v}, key=str))) for v in also)
    given = sorted({c.kind for c in chosen}, key=lambda k: (rank(k), k))
    verb = "derived from" if all(str(c.subject).startswith(DERIVED) for c in chosen) else "given by"
    stood = " and ".join(shown(v) for v in (best, *also)) + (" are" if also else " is")
    reason = f"{stood} {verb} {', '.join(_label(k) for k in given)} (rank {rank(chosen[0].kind)})"
    others = [
        f"{shown(v)} by {', '.join(sorted({_label(c.kind) for c in found if c.value == v}))}"
        f" (rank {min(rank(c.kind) for c in found if c.value == v)})"
        for v in sorted(values - {best, *also}, key=lambda v: (shown(v), str(v)))
    ]
    reason += "; also claimed: " + "; ".join(others)
    if len(candidates) == 1:
        reason += "; these agree, and the most precise is kept"
    return Choice(topic, best, chosen, reason, giving)


def _given_together(found: list[Claim]) -> bool:
    """Whether every two of the values are given together by one document."""
    by_document: dict[URIRef, set[Term]] = defaultdict(set)
    for claim in found:
        by_document[claim.document].add(claim.value)
    values = sorted({c.value for c in found}, key=str)
    return all(
        any(a in given and b in given for given in by_document.values())
        for n, a in enumerate(values)
        for b in values[n + 1 :]
    )


def _triples(choice: Choice) -> set[Triple]:
    rule = load_reference().preference_rule
    if rule is None:
        raise ValueError("ontology/schemes.ttl defines no okg:PreferenceRule, which every preference names")
    first = choice.chosen[0]
    out: set[Triple] = set()
    # One okg:Preference per statement stood by; a value given with the chosen one (a co-lead) has its own.
    stood = ((choice.value, tuple(c.document for c in choice.chosen)), *choice.also)
    for value, documents in stood:
        node = iris.preference(*choice.topic) if value == choice.value else iris.preference(*choice.topic, value)
        out |= {
            (node, RDF.type, OKG.Preference),
            (node, SCHEMA.about, URIRef(choice.topic[0])),
            (node, RDF.subject, first.subject),
            (node, RDF.predicate, first.predicate),
            (node, RDF.object, value),
            (node, OKG.rule, rule),
            (node, OKG.reason, Literal(choice.reason, lang="en")),
        }
        out |= {(node, PROV.wasDerivedFrom, document) for document in documents}
    return out


def name(found: list[Claim]) -> Triple:
    """A service's skos:prefLabel: the longest of the names its documents give it (of names of one length,
    the first in code-point order: capitals come first, 'Emergency Duty Team' before 'emergency duty
    team'), whatever order the documents were read in."""
    chosen = min((c.value for c in found), key=lambda value: (-len(str(value)), str(value)))
    return (found[0].subject, SKOS.prefLabel, Literal(str(chosen)))


def preferred(all_claims: Iterable[Claim]) -> set[Triple]:
    """The triples of the graph of preferences: one okg:Preference for each fact with two or more values,
    the derived values that disagree with what a document states (each a okg:DerivedFigure), and each
    service's preferred name."""
    from ofsted_kg import derived  # derived values are made from the choices made here first

    by_topic: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    names: set[Triple] = set()
    for claim in all_claims:
        by_topic[claim.topic].append(claim)
    for topic in [t for t in by_topic if t[1] == NAME]:
        names.add(name(by_topic.pop(topic)))
    plain = {t: found for t, found in by_topic.items() if t[1] in _CONTESTED}
    choices = {t: c for t, found in plain.items() if (c := choose(t, found)) is not None}
    made, extra = derived.derive(by_topic, choices)
    for claim in extra:
        by_topic[claim.topic].append(claim)
    out = set(made)
    for topic, found in by_topic.items():
        if topic in plain or topic[1] == RECOMMENDATION or not measured(topic[1]):
            continue
        if (choice := choose(topic, found)) is not None:
            choices[topic] = choice
    for choice in choices.values():
        out |= _triples(choice)
    return out | names
