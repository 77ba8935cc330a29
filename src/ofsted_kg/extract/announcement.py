"""What council press releases and news articles say about an inspection.

Both kinds report one inspection (the one in the news), sometimes recall an
earlier one, and state grades in sentences. They differ in how they name their
publisher and date, which press.py and news.py read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import earlier, prose, stated_recommendations
from ofsted_kg.extract.common import BACK_REFERENCE, elsewhere, year_before
from ofsted_kg.facts import DocumentInfo, Extraction, InspectionFact, InspectionRef, JudgementFact, RecommendationFact
from ofsted_kg.reference import load_reference

if TYPE_CHECKING:
    from ofsted_kg.reference import Framework, Reference
from ofsted_kg.text import (
    DAY_MONTH_YEAR,
    YEAR,
    PartialDate,
    Quoted,
    Span,
    find_date_range,
    parse_date,
    sentences,
    squash,
)

LEAD_INSPECTOR = re.compile(r"\bLead\s+[Ii]nspector,?\s+([A-Z][a-z]+(?:\s+[A-Z][a-z'\u2019-]+){1,2})")
PUBLISHED = re.compile(r"\bpublished\b", re.IGNORECASE)
BLANK_LINE = re.compile(r"\n[ \t\r]*\n")  # the end of a paragraph
# "beginning on 31 July 2024": a visit dated by its first day only.
BEGAN = re.compile(
    rf"\b(?:beginning|starting|began|begun|started|starting)\s+on\s+(?P<date>{DAY_MONTH_YEAR.pattern})", re.IGNORECASE
)


def extract(doc: Document, info: DocumentInfo) -> Extraction:
    text = doc.text
    mention = load_councils().main_council(text)
    if mention is None:
        raise DocumentError(doc.path, f"a {info.kind.replace('-', ' ')}, but it names no English local authority")
    council = mention.council.gss_code
    council_q = Quoted.at(council, mention.start, mention.end)
    out = Extraction(
        DocumentInfo(info.kind, council=council_q, title=info.title, date=info.date, publisher=info.publisher)
    )
    reference = load_reference()

    main = _main_inspection(text, council, council_q)
    if main is None:
        out.notes.append("no dates of the inspection it reports")
    else:
        out.facts.append(main)

    recalled, recalled_judgements = earlier.previous_inspections(text, council, reference)
    main_year = main.ref.year if main else None
    out.facts += [f for f in recalled if f.ref.year != main_year]
    out.facts += [j for j in recalled_judgements if j.ref.year != main_year]

    about_another = elsewhere(text, council)

    def ref_for(sentence: Span) -> InspectionRef | None:
        if about_another(sentence):
            return None  # 'Neighbouring Redbridge was rated outstanding': not this council's
        # A sentence naming another year speaks of another inspection (or of the years since it: 'rated
        # inadequate since 2019' is that inspection's grade, not this one's).
        years = {int(y) for y in re.findall(YEAR, sentence.quote(text))}
        if not years and BACK_REFERENCE.search(sentence.quote(text)):
            # 'At that inspection, ...': the inspection the words before it name, if they name an earlier one
            years = {y} if (y := year_before(text, sentence.start)) and (not main or y != main.ref.year) else {0}
        if main and (not years or (main.ref.year in years)):
            return main.ref
        if len(years) == 1 and any(e.ref.year in years for e in recalled):
            return InspectionRef(council, years.pop())
        return None

    def framework_for(ref: InspectionRef) -> Framework | None:
        if ref.year:
            return reference.framework_in(ref.start or PartialDate(ref.year))
        return None  # decided once the inspection is matched: see rdf/inspections.py

    def graded_ref_for(sentence: Span) -> InspectionRef | None:
        ref = ref_for(sentence)
        return None if visit and main is not None and ref == main.ref else ref  # a visit gives no grades

    visit = main is not None and main.inspection_type is not None
    out.facts += prose.sentence_judgements(text, graded_ref_for, framework_for)
    if main and main.ref.year is None and not visit:
        out.facts += _yearless_judgements(text, main, reference, ref_for)
    out.facts += _recommendations(text, ref_for)
    return out


def _recommendations(text: str, ref_for: Callable[[Span], InspectionRef | None]) -> list[RecommendationFact]:
    """The recommendations the text states, of the inspection the sentence introducing them is about."""
    out = []
    for stated in stated_recommendations.read(text):
        ref = ref_for(stated.cue)
        if ref is not None:
            words = Quoted(squash(stated.span.quote(text)), (stated.span,))
            out.append(RecommendationFact(ref, stated.addressee, stated.number, words))
    return out


def _yearless_judgements(
    text: str, main: InspectionFact, reference: Reference, ref_for: Callable[[Span], InspectionRef | None]
) -> list[JudgementFact]:
    """Grades stated about an inspection whose year the text does not give.

    Which framework they belong to is only known once the inspection is matched
    to one another document dates; each framework is tried in turn and the
    judgement kept for every framework it fits, to be chosen when inspections are
    resolved (rdf/inspections.py). Only sentences about that inspection count (`ref_for`): one that names
    another year speaks of another inspection.
    """
    facts = []
    seen = set()
    for framework in reference.frameworks:
        for fact in prose.sentence_judgements(
            text, lambda s: main.ref if ref_for(s) == main.ref else None, _always(framework)
        ):
            key = (fact.area.spans, fact.grade.spans)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts


def _always(framework: Framework) -> Callable[[InspectionRef], Framework | None]:
    return lambda ref: framework


def _main_inspection(text: str, council: str, council_q: Quoted[str]) -> InspectionFact | None:
    """The inspection a press release or article reports: the first sentence giving its dates (a range,
    or the day it began), and, where the text before says it was a visit ('a focused visit'), its type."""
    lead = LEAD_INSPECTOR.search(text)
    lead_q = (Quoted.at(lead.group(1), lead.start(1), lead.end(1)),) if lead else ()
    for sentence in sentences(text):
        if not re.search(r"\binspect|\bassessed|\bwatchdog", sentence.quote(text), re.IGNORECASE):
            continue
        found = find_date_range(text, sentence.start, sentence.end, yearless=True)
        last: PartialDate | None
        if found is not None:
            first, last, where = found.start, found.end, found.span
        else:  # only the day it began
            began = BEGAN.search(text, sentence.start, sentence.end)
            day = parse_date(began.group("date")) if began else None
            if began is None or day is None:
                continue
            first, last, where = day, None, Span(began.start("date"), began.end("date"))
        ref = InspectionRef(
            council, first.year, None if first.year else first, None if last is None or last.year else last
        )
        return InspectionFact(
            ref=ref,
            council=council_q,
            inspection_type=_visit(text, sentence),
            start=Quoted(first, (where,)),
            end=Quoted(last, (where,)) if last else None,
            published=_published(text),
            lead_inspectors=lead_q,
        )
    return None


def _visit(text: str, dating: Span) -> Quoted[str] | None:
    """The type of a visit (schemes.ttl: the inspection types that give no grades) that the text calls what
    it reports: up to the end of the sentence dating it ('following a focused visit to the council'), else in
    the sentences after it in its paragraph that name no year ('This was a focused visit.'; not 'It follows a
    focused visit in 2022', about another)."""
    found = _visit_named(text, 0, dating.end)
    if found is not None:
        return found
    blank = BLANK_LINE.search(text, dating.end)
    for sentence in sentences(text, dating.end, blank.start() if blank else len(text)):
        if not re.search(YEAR, sentence.quote(text)):
            found = _visit_named(text, sentence.start, sentence.end)
            if found is not None:
                return found
    return None


def _visit_named(text: str, start: int, end: int) -> Quoted[str] | None:
    for visit in load_reference().visits:
        for name in visit.names:
            words = r"\s+".join(re.escape(w) for w in name.split())
            m = re.compile(rf"\b(?:a|the|this|its|latest)\s+({words})\b", re.IGNORECASE).search(text, start, end)
            if m:
                return Quoted.at(visit.local, m.start(1), m.end(1))
    return None


def _published(text: str) -> Quoted[PartialDate] | None:
    for sentence in sentences(text):
        if PUBLISHED.search(sentence.quote(text)):
            m = DAY_MONTH_YEAR.search(text, sentence.start, sentence.end)
            day = parse_date(m.group(0)) if m else None
            if m and day:
                return Quoted.at(day, m.start(), m.end())
    return None
