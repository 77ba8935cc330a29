"""The typed facts extractors yield. Every value is Quoted: it carries the span it was read from.

Facts name things by what the text says (a council's GSS code, an area's
phrase, a grade's phrase); `graph.build_dataset` resolves them against each other
and the reference schemes and turns them into RDF. What the words of a fact are taken to
be, which the extractors and the graph must agree on, is said here once: the key
a service is named by (service_key), the type of a finding (finding_type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ofsted_kg.text import PartialDate, Quoted


@dataclass(frozen=True)
class InspectionRef:
    """Which inspection a fact is about: a council and a year, or dates to match when the year is not given."""

    council: str
    year: int | None
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True)
class DocumentInfo:
    kind: str
    council: Quoted[str] | None = None
    title: Quoted[str] | None = None
    date: Quoted[PartialDate] | None = None
    publisher: Quoted[str] | None = None


@dataclass(frozen=True)
class InspectionFact:
    ref: InspectionRef
    council: Quoted[str]
    framework: Quoted[str] | None = None
    inspection_type: Quoted[str] | None = None
    start: Quoted[PartialDate] | None = None
    end: Quoted[PartialDate] | None = None
    published: Quoted[PartialDate] | None = None
    lead_inspectors: tuple[Quoted[str], ...] = ()  # an inspection may have co-leads


@dataclass(frozen=True)
class JudgementFact:
    ref: InspectionRef
    area: Quoted[str]
    grade: Quoted[str]


@dataclass(frozen=True)
class BoardFact:
    """A safeguarding children board named in the text."""

    council: str
    name: Quoted[str]


@dataclass(frozen=True)
class RecommendationFact:
    ref: InspectionRef
    addressee: str  # "council" or "board"
    # The number the document gives it; None where it states the recommendation without one (a press
    # release's paraphrase), which is then a resource of its own, never the report's recommendation N.
    number: int | None
    text: Quoted[str]
    improvement_area: bool = False


# Phrases that mark a finding as saying what is not yet good enough. Plain 'not'
# and 'but' are left out: 'did not prevent', 'anything but tokenistic' are praise.
IMPROVEMENT_CUES = re.compile(
    r"\b(?:however|not\s+(?:yet|consistently|always|routinely|sufficiently|fully|all|as\s+\w+\s+as|timely|"
    r"robust|clear|effective|strong|good|well|explicitly|promptly)|too\s+(?:high|low|slow|slowly|long|many|few|much|"
    r"variable|late|often|little)|insufficient(?:ly)?|inconsistent(?:ly)?|inconsistency|variab(?:le|ility)|"
    r"weak(?:ness|nesses|er)?|lack(?:s|ing)?|delays?|delayed|shortfalls?|poor(?:er|ly)?|requires?\s+improvement|"
    r"needs?\s+to\s+improve|gaps?|declined?|deteriorat\w*)\b",
    re.IGNORECASE,
)


def finding_type(text: str) -> str:
    """'improvement-needed' where a finding says what is not yet good enough, else 'strength'."""
    return "improvement-needed" if IMPROVEMENT_CUES.search(text) else "strength"


@dataclass(frozen=True)
class FindingFact:
    ref: InspectionRef
    text: Quoted[str]
    area: Quoted[str] | None = None
    number: int | None = None
    headline: bool = False
    addressee: str = "council"


@dataclass(frozen=True)
class MilestoneFact:
    text: Quoted[str]
    timescale: Quoted[str] | None = None
    due: PartialDate | None = None


@dataclass(frozen=True)
class ActionFact:
    ref: InspectionRef
    recommendation: Quoted[int]
    text: Quoted[str]
    milestones: tuple[MilestoneFact, ...] = ()
    timescales: tuple[tuple[Quoted[str], PartialDate | None], ...] = ()
    lead_officers: tuple[Quoted[str], ...] = ()
    lead_roles: tuple[Quoted[str], ...] = ()
    progress: tuple[Quoted[str], ...] = ()
    completed: Quoted[bool] | None = None
    # The action's place among the plan's actions that answer the same recommendation (1: the first).
    position: int = 1
    # The plan's RAG rating of the action: 'Red', 'Amber', 'Green' or 'Complete'.
    rag: Quoted[str] | None = None


@dataclass(frozen=True)
class PersonFact:
    """A named person, with the post and organisation the text gives them, as at the document's date."""

    name: Quoted[str]
    post: Quoted[str] | None = None
    organisation: str | None = None  # a council's GSS code, or "ofsted"
    honorific: Quoted[str] | None = None  # "Councillor"
    party: Quoted[str] | None = None
    ward: Quoted[str] | None = None
    as_at: PartialDate | None = None


@dataclass(frozen=True)
class QuoteFact:
    """Words a speaker is quoted as saying; a quotation may run over several paragraphs (several spans)."""

    text: Quoted[str]
    speaker: Quoted[str]  # a person's name, or the words naming a body ("the report", "The council")
    speaker_kind: str  # "person", "council" or "ofsted"
    organisation: str | None = None
    post: Quoted[str] | None = None
    as_at: PartialDate | None = None


@dataclass(frozen=True)
class ServiceFact:
    """A service, team, board or partner body named in the text, keyed by its normalised name."""

    council: str
    key: str
    name: Quoted[str]
    kind: str  # local name of a concept of okg:ServiceKinds
    abbreviation: Quoted[str] | None = None


def service_key(name: str) -> str:
    """The key a service is named by (ServiceFact.key), by the extractors and the graph alike: case,
    possessives and plurals folded ('Strengthening Families Hubs' -> 'strengthening-family-hub')."""
    words = re.findall(r"[a-z0-9@]+", re.sub(r"['\u2019]s\b|['\u2019]", "", name.lower()).replace("-", " "))
    words = [w[:-3] + "y" if w.endswith("ies") and len(w) > 4 else w for w in words]
    last = words[-1] if words else ""
    if last.endswith("s") and len(last) > 3 and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]
    return "-".join(words)


@dataclass(frozen=True)
class ServiceRelationFact:
    """A relation the text states between a service and another service, a profession or a group of children."""

    council: str
    subject: str  # a service key
    relation: str  # "combines", "worksWith", "serves" or "bringsTogether"
    object: str  # a service key, or the local name of a profession or group concept
    sentence: Quoted[str]


@dataclass(frozen=True)
class MentionFact:
    """A finding that names a service."""

    ref: InspectionRef
    finding: str  # the finding's text, which keys its IRI
    council: str
    service: str
    mention: Quoted[str]


@dataclass(frozen=True)
class FigureFact:
    """A number a document states: a value of a measure about a subject, with its unit and period."""

    subject: str  # "england", "region", "council" or "inspection"
    measure: str
    value: Decimal
    unit: str | None
    figure: Quoted[str]  # the words of the figure
    context: Quoted[str]  # the sentence or table row it stands in
    as_at: PartialDate | None = None
    ref: InspectionRef | None = None
    previous: Decimal | None = None  # "from 780 to 626": 780
    out_of: Decimal | None = None  # "23rd out of the 129 areas": 129
    period: str | None = None
    qualifier: str | None = None  # "over", "joint", "approximately"
    region: str | None = None  # a region's GSS code, where the text names the region it is about


@dataclass(frozen=True)
class MeetingFact:
    """A dated meeting a document names (a cabinet meeting, a board that considers a report)."""

    body: Quoted[str]
    date: Quoted[PartialDate]
    council: str | None


@dataclass(frozen=True)
class ClaimFact:
    """What a document says about another council than its own (a comparison, a ranking)."""

    council: str  # the council the claim is about
    about: str  # the document's own council, which it is compared with
    mention: Quoted[str]
    claim: Quoted[str]
    ranking: str | None = None  # "above" or "below" the document's council


# Any fact: every type the extractors yield, each of which the graph has a writer for (graph._FACT_WRITERS).
Fact = (
    InspectionFact
    | JudgementFact
    | BoardFact
    | RecommendationFact
    | FindingFact
    | ActionFact
    | PersonFact
    | QuoteFact
    | ServiceFact
    | ServiceRelationFact
    | MentionFact
    | FigureFact
    | MeetingFact
    | ClaimFact
)


@dataclass(frozen=True)
class Context:
    """What the prose extractors need to know of a document: its council, date and inspection."""

    council: str | None
    date: PartialDate | None
    inspection: InspectionRef | None


@dataclass
class Extraction:
    """What one document yields: its description, its facts, and notes on what was skipped."""

    info: DocumentInfo
    facts: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Links:
    """What one document's facts say about which inspections exist and which councils they name: all
    that resolving every document against the others needs, small enough to keep beside the graph, so
    that `add` resolves without decoding every document's facts."""

    # Its InspectionFacts of a known year, in order: which inspection, its dates, the framework named.
    inspections: tuple[tuple[InspectionRef, tuple[PartialDate, ...], str | None], ...]
    # Each distinct inspection its facts are about (None: facts of no inspection), with the codes of
    # the councils those facts name, in a stable order.
    refs: tuple[tuple[InspectionRef | None, tuple[str, ...]], ...]
    council: str | None  # the council the document is about, as its description gives it
    # Each person it names, with whose they are where the text says (a council's code, "ofsted"), in
    # order: whether two documents' people of one name are one person depends on all of them.
    people: tuple[tuple[str, str | None], ...] = ()


def people_of(extraction: Extraction) -> tuple[tuple[str, str | None], ...]:
    """The people a document's facts name, each with the organisation the text gives them."""
    found: dict[tuple[str, str | None], None] = {}  # (an ordered set)
    for fact in extraction.facts:
        if isinstance(fact, InspectionFact):
            for lead in fact.lead_inspectors:
                found.setdefault((lead.value, "ofsted"), None)
        elif isinstance(fact, PersonFact):
            found.setdefault((fact.name.value, fact.organisation), None)
        elif isinstance(fact, QuoteFact) and fact.speaker_kind == "person":
            found.setdefault((fact.speaker.value, fact.organisation), None)
        elif isinstance(fact, ActionFact):
            for name in fact.lead_officers:
                found.setdefault((name.value, None), None)
    return tuple(found)


def links_of(extraction: Extraction) -> Links:
    inspections = tuple(
        (
            fact.ref,
            tuple(q.value for q in (fact.start, fact.end) if q is not None),
            fact.framework.value if fact.framework is not None else None,
        )
        for fact in extraction.facts
        if isinstance(fact, InspectionFact) and fact.ref.year is not None
    )
    refs: dict[tuple[InspectionRef | None, tuple[str, ...]], None] = {}
    for fact in extraction.facts:
        named = tuple(
            value
            for value in (getattr(fact, a, None) for a in ("council", "organisation", "about"))
            if isinstance(value, str)
        )
        refs.setdefault((getattr(fact, "ref", None), named), None)
    council = extraction.info.council.value if extraction.info.council is not None else None
    return Links(inspections, tuple(refs), council, people_of(extraction))
