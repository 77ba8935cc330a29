"""Which of the values documents give for one fact the graph stands by.

Every document's claims stay in its own named graph. Where they differ (an inspection's start date
from Ofsted's report and from a news article, a grade from a report and from a council's paper, the
length of an inspection from two articles), the graph of preferences holds one okg:Preference per
fact: the statement chosen, the rule that chose it and why, and the documents that give it. The rule
is reference data (ontology/schemes.ttl: each kind of document's okg:authorityRank and the rule's
definition); this module only applies it, so that the choice is the same whatever order the
documents were read in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from ofsted_kg import iris
from ofsted_kg.namespaces import ID, OKG, SCHEMA
from ofsted_kg.reference import load_reference

PREFERRED_GRAPH = ID["graph/preferred"]
# Properties of which one subject has one true value (a person may hold several posts: not one of these).
CONTESTED = frozenset((SCHEMA.startDate, SCHEMA.endDate, OKG.publicationDate, OKG.grade, OKG.leadInspector))
DATES = frozenset((XSD.date, XSD.gYearMonth, XSD.gYear))
_AREA = str(ID["area/"])  # England's and regions' figures change from year to year: no one true value


@dataclass(frozen=True)
class Claim:
    """One document's value for one fact: the statement (subject, predicate, value) of its graph, and
    what it is about: (subject, predicate), or for a figure (the thing measured, the measure)."""

    topic: tuple[str, str]
    subject: URIRef
    predicate: URIRef
    value: URIRef | Literal
    document: URIRef
    kind: str


def measured(measure: str) -> bool:
    """Whether a figure's measure names one thing that has one value: an inspection's length, a rank,
    a cell of a table (not a bare count or a percentage read from the words before it)."""
    return measure.startswith(("length of", "rank")) or ": " in measure


def claims(document: URIRef, triples: Iterable[tuple]) -> list[Claim]:
    """The claims of one document's named graph."""
    kind = ""
    plain: list[tuple] = []
    figures: dict[URIRef, dict[URIRef, object]] = defaultdict(dict)
    for s, p, o in triples:
        if p in CONTESTED:
            plain.append((s, p, o))
        elif p in (SCHEMA.observationAbout, OKG.measure, SCHEMA.value):
            figures[s][p] = o
        elif p == OKG.documentKind and s == document:
            kind = str(o).rsplit("/", 1)[-1]
    out = [Claim((str(s), str(p)), s, p, o, document, kind) for s, p, o in plain]
    for figure, values in figures.items():
        about, measure, value = (values.get(p) for p in (SCHEMA.observationAbout, OKG.measure, SCHEMA.value))
        if about is None or measure is None or value is None or str(about).startswith(_AREA):
            continue
        if measured(str(measure)):
            out.append(Claim((str(about), str(measure)), figure, SCHEMA.value, value, document, kind))  # type: ignore[arg-type]
    return out


def _agrees(less: object, more: object) -> bool:
    """Whether a date agrees with a more precise one ('2011' and '2011-06-16')."""
    if not (isinstance(less, Literal) and isinstance(more, Literal)):
        return False
    if less.datatype not in DATES or more.datatype not in DATES:
        return False
    return len(str(less)) < len(str(more)) and str(more).startswith(str(less))


def _shown(value: object) -> str:
    return str(value).rstrip("/").rsplit("/", 1)[-1] if isinstance(value, URIRef) else str(value)


def preferred(all_claims: Iterable[Claim]) -> set[tuple]:
    """The triples of the graph of preferences: one okg:Preference for each fact with two or more values."""
    reference = load_reference()
    authority = reference.authority
    lowest = max((rank for rank, _ in authority.values()), default=0) + 1

    def rank(claim: Claim) -> int:
        return authority.get(claim.kind, (lowest, ""))[0]

    def label(kind: str) -> str:
        return authority.get(kind, (lowest, kind or "an unknown kind of document"))[1]

    by_topic: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in all_claims:
        by_topic[claim.topic].append(claim)
    out: set[tuple] = set()
    for topic, found in by_topic.items():
        values = {c.value for c in found}
        if len(values) < 2:
            continue
        # The most precise values: each stands for the less precise values that agree with it.
        candidates = [v for v in values if not any(_agrees(v, w) for w in values)]

        def order(value, found=found, values=values):
            own = [c for c in found if c.value == value]
            support = [c for c in found if c.value == value or _agrees(c.value, value)]
            return (
                min(rank(c) for c in own),
                min(rank(c) for c in support),
                -len({c.document for c in support}),
                _shown(value),
                str(value),
            )

        ranked = sorted(candidates, key=order)
        best = ranked[0]
        chosen = sorted((c for c in found if c.value == best), key=lambda c: (rank(c), str(c.subject), str(c.document)))
        given = sorted({c.kind for c in chosen}, key=lambda k: (authority.get(k, (lowest, ""))[0], k))
        reason = f"{_shown(best)} is given by {', '.join(label(k) for k in given)} (rank {rank(chosen[0])})"
        others = [
            f"{_shown(v)} by {', '.join(sorted({label(c.kind) for c in found if c.value == v}))}"
            f" (rank {min(rank(c) for c in found if c.value == v)})"
            for v in sorted(values - {best}, key=lambda v: (_shown(v), str(v)))
        ]
        reason += "; also claimed: " + "; ".join(others)
        if len(candidates) == 1:
            reason += "; these agree, and the most precise is kept"
        node = iris.preference(*topic)
        out |= {
            (node, RDF.type, OKG.Preference),
            (node, RDF.subject, chosen[0].subject),
            (node, RDF.predicate, chosen[0].predicate),
            (node, RDF.object, best),
            (node, OKG.rule, reference.preference_rule),
            (node, OKG.reason, Literal(reason, lang="en")),
        }
        out |= {(node, PROV.wasDerivedFrom, c.document) for c in chosen}
    return out
