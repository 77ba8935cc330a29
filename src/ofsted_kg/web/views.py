"""What the templates of a resource's page are given: its statements (resource.py), and a council's and an
inspection's parts (pages.py, chart.py). Each is a dict of known keys, typed here; the templates read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from typing_extensions import NotRequired  # (typing's from Python 3.11; annotations are not evaluated)


class Quote(TypedDict):
    """A piece of evidence of a value: the words quoted, the document, its kind, the page they are on."""

    file: str
    kind: str
    quote: str
    page: str | None
    target: str  # the evidence's IRI (its page: /evidence?target=...)
    date: NotRequired[str]  # its document's date (a council's and an inspection's pages)


class Value(TypedDict):
    text: str
    link: str | None
    evidence: list[Quote]
    preferred: bool | None  # whether the graph stands by it, where documents differ (else None)
    why: str | None


class Pointing(TypedDict):
    """A statement of another resource about this one."""

    property: str
    text: str
    link: str


class ResourceView(TypedDict):
    iri: str
    name: str
    properties: dict[str, dict[str, Value]]  # property -> value -> what is shown of it
    incoming: list[Pointing]


class Grade(TypedDict):
    grade: str
    rank: int | None  # its place on its scale, 1 the best


class GradeQuote(TypedDict):
    """A piece of evidence of a judgement's grade (an inspection's page)."""

    grade: str
    quote: str
    file: str
    kind: str
    date: str
    page: str | None
    target: str


class Finding(TypedDict):
    link: str
    text: str
    number: int | None
    kind: str
    headline: bool


class Judgement(TypedDict):
    iri: str
    link: str
    i: str  # its inspection ("" on the inspection's own page)
    area: str
    notation: str
    grades: dict[str, Grade]  # each grade given, by its IRI
    chosen: str | None  # the grade the graph stands by, where documents differ
    # The grade shown (pages._stood_by): its words and rank, the others given, whether it is the overall one.
    grade: NotRequired[str]
    rank: NotRequired[int | None]
    others: NotRequired[list[str]]
    overall: NotRequired[bool]
    # On an inspection's page: its findings by kind, and the quotes of its grades.
    findings: NotRequired[dict[str, list[Finding]]]
    evidence: NotRequired[list[GradeQuote]]


class Action(TypedDict):
    link: str
    answers: str  # the recommendation it answers
    text: str
    number: str
    timescale: str
    completed: bool
    leads: set[str]


class Recommendation(TypedDict):
    link: str
    i: str  # its inspection
    kind: str  # "recommendation" or "area for improvement"
    text: str
    number: int | None
    to: str  # whom it is addressed to
    actions: NotRequired[list[Action]]


class Inspection(TypedDict):
    iri: str
    link: str
    label: str
    framework: str
    type: str
    published: str
    judgements: list[Judgement]
    # Its dates on site, the ones the graph stands by ("" where none is given), and the others given.
    start: NotRequired[str]
    end: NotRequired[str]
    start_others: NotRequired[list[str]]
    end_others: NotRequired[list[str]]
    recommendations: NotRequired[list[Recommendation]]  # (a council's page)


class Person(TypedDict):
    link: str
    name: str
    posts: list[str]


class Service(TypedDict):
    link: str
    name: str
    kind: str


class CouncilParts(TypedDict):
    inspections: list[Inspection]
    chart: str  # an SVG
    marks: int
    latest: Inspection | None
    people: list[Person]
    services: list[Service]


class Source(TypedDict):
    file: str
    kind: str
    date: str
    title: str
    publisher: str


class Disagreement(TypedDict):
    link: str
    what: str
    chosen: str
    why: str
    subject: str


class InspectionParts(TypedDict):
    judgements: list[Judgement]
    other_findings: list[Finding]
    recommendations: list[Recommendation]
    sources: list[Source]
    disagreements: list[Disagreement]


class CouncilPage(ResourceView, CouncilParts):
    pass


class InspectionPage(ResourceView, InspectionParts):
    pass
