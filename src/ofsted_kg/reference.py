"""Reference knowledge read from ontology/schemes.ttl: frameworks, judgement areas and grades.

Extractors ask this module which area or grade a phrase names; the names and
aliases live in the SKOS file, not in code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from ofsted_kg.namespaces import OKG
from ofsted_kg.resources import ontology_file
from ofsted_kg.text import PartialDate, squash


def normalise_label(text: str) -> str:
    """Fold a phrase for comparison: case, quotes, apostrophes, punctuation, a leading 'the'."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\u2013\u2014\-,;:.()\"']", " ", text)
    text = squash(text)
    return re.sub(r"^the ", "", text)


@dataclass(frozen=True)
class Grade:
    iri: URIRef
    label: str
    rank: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    iri: URIRef
    notation: str
    label: str
    names: tuple[str, ...]
    until: dt.date | None = None  # the last day the area was judged, where it no longer is


@dataclass(frozen=True)
class Framework:
    iri: URIRef
    notation: str
    label: str
    names: tuple[str, ...]
    start: dt.date
    end: dt.date | None
    areas: tuple[Area, ...] = field(repr=False)
    grades: tuple[Grade, ...] = field(repr=False)

    def named_exactly(self, phrase: str) -> Area | None:
        """The area a phrase is a name of (case, spacing and punctuation folded), as a heading names one."""
        return self._named(normalise_label(phrase))

    def _named(self, wanted: str) -> Area | None:
        return next((area for area in self.areas if wanted in area.names), None)

    def area(self, phrase: str, *, stretch: float | None = None) -> Area | None:
        """The area a phrase names: the one it is a name of, else the one whose name is the longest
        it contains. The one place a phrase becomes an area: the extractors and the graph ask it alike,
        and so read one phrase as one area.

        With `stretch`, a phrase that only contains the area's name must also be no longer than
        `stretch` times the area's longest name (so that a sentence of prose is not taken for a table
        row that names an area), else it names none. The stretch decides whether a phrase is taken,
        never which area it names.
        """
        wanted = normalise_label(phrase)
        exact = self._named(wanted)
        if exact is not None:
            return exact
        best: tuple[int, Area] | None = None
        for area in self.areas:
            for name in area.names:
                if (best is None or len(name) > best[0]) and re.search(rf"\b{re.escape(name)}\b", wanted):
                    best = (len(name), area)
        if best is None:
            return None
        found = best[1]
        if stretch is not None and len(wanted) > stretch * max(len(n) for n in found.names):
            return None
        return found

    def grade(self, phrase: str) -> Grade | None:
        wanted = normalise_label(phrase)
        for grade in self.grades:
            if wanted in grade.names:
                return grade
        return None

    def area_by_notation(self, notation: str) -> Area:
        return next(a for a in self.areas if a.notation == notation)


@dataclass(frozen=True)
class Term:
    """A concept of a word-list scheme (a kind of service, a profession, a group of children) and its names."""

    iri: URIRef
    local: str
    names: tuple[str, ...]  # lower case, as documents write them
    generic: tuple[str, ...] = ()  # for kinds of service: common services of the kind


@dataclass(frozen=True)
class Reference:
    frameworks: tuple[Framework, ...]
    service_kinds: tuple[Term, ...] = ()
    professions: tuple[Term, ...] = ()
    groups: tuple[Term, ...] = ()
    post_titles: tuple[Term, ...] = ()  # titles that name one post however written (HMI)
    weeks_on_site: dict[str, int] = field(default_factory=dict)  # inspection type -> weeks inspectors are on site
    visits: tuple[Term, ...] = ()  # types of inspection that give no grades (focused and monitoring visits)
    # Kind of document -> (rank, label): which source is believed first where documents disagree (1 first).
    authority: dict[str, tuple[int, str]] = field(default_factory=dict)
    preference_rule: URIRef | None = None

    def framework(self, notation: str) -> Framework:
        return next(f for f in self.frameworks if f.notation == notation)

    def framework_on(self, day: dt.date) -> Framework | None:
        """The framework in force on a day (the older, where two overlap: a newer one is named by its reports)."""
        for framework in sorted(self.frameworks, key=lambda f: f.start):
            if framework.start <= day and (framework.end is None or day <= framework.end):
                return framework
        return None

    def framework_in(self, when: PartialDate) -> Framework | None:
        """The framework in force at a date the text gives to the year, month or day.

        A year alone is read as its middle, a month as its first day.
        """
        if when.year is None:
            return None
        return self.framework_on(dt.date(when.year, when.month or 7, when.day or 1))

    def framework_named(self, text: str) -> Framework | None:
        """The framework whose name a text uses, if any."""
        folded = normalise_label(text)
        for framework in self.frameworks:
            if any(re.search(rf"\b{re.escape(n)}\b", folded) for n in framework.names):
                return framework
        return None

    def grade_names(self) -> list[str]:
        """Every way of naming any grade, longest first (for building patterns)."""
        names = {n for f in self.frameworks for g in f.grades for n in g.names}
        return sorted(names, key=lambda n: (-len(n), n))


def _names(graph: Graph, concept: URIRef) -> tuple[str, ...]:
    labels = [str(o) for o in graph.objects(concept, SKOS.prefLabel)]
    labels += sorted(str(o) for o in graph.objects(concept, SKOS.altLabel))
    return tuple(dict.fromkeys(normalise_label(label) for label in labels))


@lru_cache(maxsize=1)
def schemes_graph() -> Graph:
    """ontology/schemes.ttl, parsed once. Read it; do not change it."""
    graph = Graph()
    graph.parse(ontology_file("schemes.ttl"), format="turtle")
    return graph


def _iris(nodes: Iterable[Node]) -> Iterator[URIRef]:
    """The IRIs among nodes: the schemes name each of their concepts by one."""
    return (node for node in nodes if isinstance(node, URIRef))


def _literal(graph: Graph, subject: URIRef, predicate: URIRef) -> Literal | None:
    found = graph.value(subject, predicate)
    return found if isinstance(found, Literal) else None


def _required(graph: Graph, subject: URIRef, predicate: URIRef) -> Literal:
    found = _literal(graph, subject, predicate)
    if found is None:
        raise ValueError(f"{ontology_file('schemes.ttl')}: <{subject}> has no {predicate.n3()} literal")
    return found


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    graph = schemes_graph()
    frameworks = []
    for iri in sorted(_iris(graph.subjects(RDF.type, OKG.Framework))):
        scale = graph.value(iri, OKG.gradeScale)
        scheme = graph.value(iri, OKG.areaScheme)
        grades = tuple(
            sorted(
                (
                    Grade(g, str(graph.value(g, SKOS.prefLabel)), int(_required(graph, g, OKG.rank)), _names(graph, g))
                    for g in _iris(graph.subjects(SKOS.inScheme, scale))
                ),
                key=lambda g: g.rank,
            )
        )
        areas = tuple(
            Area(
                a,
                str(graph.value(a, SKOS.notation)),
                str(graph.value(a, SKOS.prefLabel)),
                _names(graph, a),
                until.toPython() if (until := _literal(graph, a, OKG.inForceUntil)) else None,
            )
            for a in sorted(_iris(graph.subjects(SKOS.inScheme, scheme)))
        )
        end = _literal(graph, iri, OKG.inForceUntil)
        frameworks.append(
            Framework(
                iri=iri,
                notation=str(graph.value(iri, SKOS.notation)),
                label=str(graph.value(iri, SKOS.prefLabel)),
                names=_names(graph, iri),
                start=_required(graph, iri, OKG.inForceFrom).toPython(),
                end=end.toPython() if end is not None else None,
                areas=areas,
                grades=grades,
            )
        )
    frameworks.sort(key=lambda f: f.start)
    return Reference(
        tuple(frameworks),
        service_kinds=_terms(graph, OKG.ServiceKinds, with_pref_label=False),
        professions=_terms(graph, OKG.Professions),
        groups=_terms(graph, OKG.ChildrenGroups),
        post_titles=_terms(graph, OKG.PostTitles),
        weeks_on_site={
            str(kind).rsplit("/", 1)[-1]: int(weeks)
            for kind, weeks in graph.subject_objects(OKG.weeksOnSite)
            if isinstance(weeks, Literal)
        },
        visits=tuple(
            t for t in _terms(graph, OKG.InspectionTypes) if graph.value(t.iri, OKG.givesGrades) == Literal(False)
        ),
        authority={
            str(kind).rsplit("/", 1)[-1]: (int(rank), str(graph.value(kind, SKOS.prefLabel)))
            for kind, rank in graph.subject_objects(OKG.authorityRank)
            if isinstance(rank, Literal)
        },
        preference_rule=next(iter(sorted(_iris(graph.subjects(RDF.type, OKG.PreferenceRule)))), None),
    )


def _terms(graph: Graph, scheme: URIRef, with_pref_label: bool = True) -> tuple[Term, ...]:
    out = []
    for concept in sorted(_iris(graph.subjects(SKOS.inScheme, scheme))):
        names = {str(n).lower() for n in graph.objects(concept, SKOS.altLabel)}
        if with_pref_label:
            names.add(str(graph.value(concept, SKOS.prefLabel)).lower())
        generic = sorted(str(n).lower() for n in graph.objects(concept, OKG.genericName))
        out.append(Term(concept, str(concept).rstrip("/").rsplit("/", 1)[-1], tuple(sorted(names)), tuple(generic)))
    return tuple(out)
