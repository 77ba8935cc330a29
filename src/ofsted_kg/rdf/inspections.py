"""Which inspections the documents together describe, which one each fact is about, and whose each name is.

Facts from all documents are resolved against each other first: an inspection
is one resource however many documents describe it (keyed by council and
year), and an article that gives an inspection's dates without the year is
matched to the inspection another document dates in full.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rdflib import URIRef

from ofsted_kg import iris
from ofsted_kg.facts import InspectionRef, Links
from ofsted_kg.reference import Framework, load_reference
from ofsted_kg.text import PartialDate

# An inspection, as facts are resolved to it: its council's GSS code and its year.
InspectionKey = tuple[str, int]
NEAR_DAYS = 31  # how far a year-less date may lie from the dates of the one inspection it can be about


def _near(wanted: list[PartialDate], known: list[PartialDate], year: int) -> bool:
    """Whether a year-less date, given the inspection's year, lies within NEAR_DAYS of a date it is known by."""
    for w in wanted:
        for k in known:
            day = k.to_date()
            if day is None or w.month is None or w.day is None:  # a date without its year
                continue
            try:
                if abs((dt.date(year, w.month, w.day) - day).days) <= NEAR_DAYS:
                    return True
            except ValueError:  # 29 February of another year
                continue
    return False


class Inspections:
    """What all documents together say about which inspections exist, and whose each person's name is
    (from each document's Links)."""

    def __init__(self, links: list[Links]):
        self.dates: dict[InspectionKey, list[PartialDate]] = defaultdict(list)
        self.named_frameworks: dict[InspectionKey, str] = {}
        # Whose each name is, across all documents: the organisations the texts give people of that name.
        self.scopes: dict[str, set[str]] = defaultdict(set)
        for link in links:
            for name, scope in link.people:
                if scope:
                    self.scopes[iris.slug(name)].add(scope)
            for ref, dates, framework in link.inspections:
                if ref.year is None:  # (none: Links keep the inspections of a known year)
                    continue
                key = (ref.council, ref.year)
                self.dates[key] += dates
                if framework is not None:
                    # The same whatever order the documents come in (add appends; a build sorts by path).
                    self.named_frameworks[key] = min(framework, self.named_frameworks.get(key, framework))

    def resolve(self, ref: InspectionRef) -> InspectionKey | None:
        """The inspection a fact is about. Dates without a year (a news article's 'between March 21 and
        April 1') name the one inspection of the council that another document dates on one of those
        days; failing that, the one dated within NEAR_DAYS of them, whose dates that document has since
        moved: its claim is kept there, and listed as a disagreement, rather than dropped."""
        if ref.year is not None:
            return (ref.council, ref.year)
        wanted = [d for d in (ref.start, ref.end) if d is not None and d.day and d.month]
        days = {(d.month, d.day) for d in wanted}
        mine = sorted(key for key in self.dates if key[0] == ref.council)
        matches = [key for key in mine if days & {(d.month, d.day) for d in self.dates[key] if d.day}]
        if not matches:
            matches = [key for key in mine if _near(wanted, [d for d in self.dates[key] if d.day and d.month], key[1])]
        return matches[0] if len(matches) == 1 else None

    def person(self, name: str, scope: str | None, council: str | None) -> URIRef:
        """The person a name is. One name is one person, unless the documents give people of that name to
        two organisations (an inspector and a councillor; officers of two councils): then each is keyed by
        their organisation, and a mention that gives none is the one of the document's council, if any."""
        scopes = self.scopes.get(iris.slug(name), set())
        if len(scopes) < 2:
            return iris.person(name)
        return iris.person(name, scope or (council if council in scopes else None))

    def framework(self, key: InspectionKey) -> Framework | None:
        reference = load_reference()
        if key in self.named_frameworks:
            return reference.framework(self.named_frameworks[key])
        # The most precise date known for it: a day, else a month, else the year.
        dates = sorted(self.dates.get(key, []), key=lambda d: (-(d.day is not None) - (d.month is not None), d.iso()))
        return reference.framework_in(dates[0] if dates else PartialDate(key[1]))


def resolution(links: Links, inspections: Inspections) -> tuple[tuple[InspectionKey | None, str | None] | URIRef, ...]:
    """What writing a document's graph takes from the other documents: the inspection its facts are
    resolved to, the framework they are read under, and the person each name is. Where this is
    unchanged, so is the graph."""
    out: list[tuple[InspectionKey | None, str | None] | URIRef] = []
    for ref, _ in links.refs:
        if ref is not None:
            key = inspections.resolve(ref)
            framework = inspections.framework(key) if key else None
            out.append((key, framework.notation if framework else None))
    out += [inspections.person(name, scope, links.council) for name, scope in links.people]
    return tuple(out)
