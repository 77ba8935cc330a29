"""Values derived from other facts, compared with what documents state.

A news article's "two-week inspection" is a claim about the inspection's length that the report's
dates answer (28 March to 1 April: five working days, one week); a cabinet paper's "12
recommendations" is a claim the list of recommendations answers. Where a derived value differs from
a stated one, it is written as an okg:DerivedFigure (the measure, the value, how it was derived, the
documents it was derived from, and the stated figures it contradicts), which the conflicts query
lists and the rule of source authority weighs like any claim (at the rank of the documents it comes
from). Where they agree, nothing is written: there is nothing to say.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from ofsted_kg import iris
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.preferences import RECOMMENDATION, Choice, Claim, rank

if TYPE_CHECKING:
    from ofsted_kg.terms import Triple

START, END = str(SCHEMA.startDate), str(SCHEMA.endDate)
WEEKS = ("week", "weeks")
COUNTED = ("recommendations", "areas for improvement", "areas for development", "areas to improve")


def _day(claims: list[Claim], choice: Choice | None) -> tuple[dt.date, list[Claim]] | None:
    """The date stood by (the preferred one, else the one value all claims give), to the day."""
    values = {c.value for c in claims}
    value = choice.value if choice else (next(iter(values)) if len(values) == 1 else None)
    if not isinstance(value, Literal) or value.datatype != XSD.date:
        return None
    giving = [c for c in claims if c.value == value]
    best = min(rank(c.kind) for c in giving)
    return value.toPython(), [c for c in giving if rank(c.kind) == best]


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday to Friday, from start to end inclusive."""
    days = (end - start).days + 1
    return sum(1 for i in range(max(days, 0)) if (start + dt.timedelta(days=i)).weekday() < 5)


def _figure(
    about: str, measure: str, value: int, unit: str, how: str, sources: list[Claim], stated: list[Claim]
) -> tuple[set[Triple], Claim]:
    node = iris.derived(about, measure, value, unit)
    triples: set[Triple] = {
        (node, RDF.type, OKG.DerivedFigure),
        (node, SCHEMA.observationAbout, URIRef(about)),
        (node, OKG.measure, Literal(measure)),
        (node, SCHEMA.value, Literal(value)),
        (node, SCHEMA.unitText, Literal(unit)),
        (node, OKG.derivation, Literal(how, lang="en")),
        (node, SCHEMA.about, URIRef(about)),
    }
    triples |= {(node, PROV.wasDerivedFrom, c.document) for c in sources}
    triples |= {(node, OKG.contradicts, c.subject) for c in stated}
    best = min(sources, key=lambda c: (rank(c.kind), str(c.document)))
    claim = Claim((about, measure), node, SCHEMA.value, Literal(value), best.document, best.kind, unit)
    return triples, claim


def derive(
    by_topic: dict[tuple[str, str], list[Claim]], choices: dict[tuple[str, str], Choice]
) -> tuple[set[Triple], list[Claim]]:
    """The derived figures that disagree with a stated one, and the claims they make."""
    triples: set[Triple] = set()
    made: list[Claim] = []
    stated_by_about: dict[str, list[Claim]] = defaultdict(list)
    for (about, measure), found in by_topic.items():
        if not measure.startswith("http"):
            stated_by_about[about] += found
    for about, stated in sorted(stated_by_about.items()):
        lengths = [c for c in stated if c.topic[1].startswith("length of") and c.detail in WEEKS]
        start = _day(by_topic.get((about, START), []), choices.get((about, START)))
        end = _day(by_topic.get((about, END), []), choices.get((about, END)))
        if lengths and start and end and start[0] <= end[0]:
            days = working_days(start[0], end[0])
            weeks = math.ceil(days / 5)
            for measure in sorted({c.topic[1] for c in lengths}):
                wrong = [c for c in lengths if c.topic[1] == measure and str(c.value) != str(weeks)]
                if wrong:
                    how = f"{days} working days from {start[0].isoformat()} to {end[0].isoformat()}: {weeks} week(s)"
                    t, claim = _figure(about, measure, weeks, "weeks", how, start[1] + end[1], wrong)
                    triples |= t
                    made.append(claim)
        listed = _listed(by_topic.get((about, RECOMMENDATION), []))
        counts = [c for c in stated if c.topic[1] in COUNTED and c.detail in COUNTED]
        if listed and counts:
            total = sum(len(n) for n, _ in listed.values())
            # What a count may be of: the recommendations to one addressee, or all of them.
            possible = {len(n) for n, _ in listed.values()} | {total}
            parts = "; ".join(f"{len(n)} to {_addressee(addressee)}" for addressee, (n, _) in sorted(listed.items()))
            sources = [c for _, found in listed.values() for c in found]
            for measure in sorted({c.topic[1] for c in counts}):
                wrong = [c for c in counts if c.topic[1] == measure and _whole(c.value) not in possible]
                for value in sorted({v for c in wrong if (v := _whole(c.value)) is not None}):
                    nearest = min(possible, key=lambda n: (abs(n - value), -n))
                    how = f"{nearest} listed ({parts}; {total} in all)"
                    against = [c for c in wrong if _whole(c.value) == value]
                    t, claim = _figure(about, measure, nearest, measure, how, sources, against)
                    triples |= t
                    made.append(claim)
    return triples, made


def _whole(value: object) -> int | None:
    """A literal's whole number, if it is one."""
    found = value.toPython() if isinstance(value, Literal) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def _addressee(detail: str) -> str:
    iri, _, areas = detail.partition(" ")
    if areas:
        return _addressee(iri) + " as areas for improvement"
    if iri.endswith("/safeguarding-board"):
        return "the safeguarding board"
    return "the council" if "/council/" in iri else (iri.rsplit("/", 1)[-1] or "an addressee not named")


def _listed(found: list[Claim]) -> dict[str, tuple[set[int], list[Claim]]]:
    """The numbers of an inspection's recommendations to each addressee, as the most authoritative kind of
    document that lists them gives them."""
    if not found:
        return {}
    best = min(rank(c.kind) for c in found)
    out: dict[str, tuple[set[int], list[Claim]]] = {}
    for claim in found:
        if rank(claim.kind) == best:
            numbers, claims = out.setdefault(claim.detail, (set(), []))
            if (number := _whole(claim.value)) is not None:
                numbers.add(number)
            claims.append(claim)
    return out
