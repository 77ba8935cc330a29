"""Earlier inspections a document recalls, and which inspection each part of a sentence is about.

Kept apart from prose.py (judgements in sentences) because telling inspections apart is a job of its
own that cabinet reports, press releases and news articles share: 'the last inspection in June 2011',
'when Ofsted last inspected the service, in September and October 2019', 'its January 2020
inspection', 'In 2013 Ofsted judged ...'; and a sentence that compares two ('rated good, up from the
inadequate rating of its 2020 inspection') speaks of each in a clause of its own.
"""

from __future__ import annotations

import re

from ofsted_kg.facts import InspectionFact, InspectionRef, JudgementFact
from ofsted_kg.reference import Reference
from ofsted_kg.text import MONTH, YEAR, PartialDate, Quoted, Span, find_date_range, parse_date, sentences, trim

# "June 2011", "2011", "September and October 2019"
_DATE = rf"(?:{MONTH}\s+(?:and|to|-|\u2013)\s+)?(?:{MONTH}\s+)?{YEAR}"
_KIND = r"(?:(?:full|standard|short|graded|ILACS|Ofsted)\s+)?"
MENTIONS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # "the last inspection took place in June 2011", "since its last full inspection in 2019"
        rf"\b(?:last|previous|earlier)\s+{_KIND}inspection\b[^.]{{0,40}}?\b(?:in|on)\s+(?P<date>{_DATE})\b",
        # "When Ofsted last inspected the service, in September and October 2019"
        rf"\b(?:Ofsted|inspectors)\s+(?:last\s+|previously\s+)?inspected\b[^.]{{0,40}}?\bin\s+(?P<date>{_DATE})\b",
        # "after its January 2020 inspection", "The 2019 inspection took place ..."
        rf"\b(?:its|the|their)\s+(?P<date>{_DATE})\s+{_KIND}inspection\b",
        # "In 2013 Ofsted judged ...", "In 2020, inspectors rated ..."
        rf"\bin\s+(?P<date>{_DATE}),?\s+(?:Ofsted|inspectors)\s+(?:judged|rated|graded|found)\b",
        # "That inspection, carried out between 25th February and 8th March 2019, rated ..." (the days are read
        # from the sentence; the one the document reports is told apart by its year)
        rf"\b(?:that|this|the|an?)\s+(?:earlier\s+|previous\s+)?{_KIND}inspection,?\s+(?:carried\s+out|held|which\s+"
        rf"(?:took\s+place|ran))\s+(?:between|from|in|on)\b[^.]{{0,50}}?\b(?P<date>{YEAR})\b",
    )
)
_MONTHS = re.compile(rf"({MONTH})\s+(?:and|to|-|\u2013)\s+({MONTH})\s+({YEAR})", re.IGNORECASE)
# "'good' for looked after children", "'adequate' in relation to safeguarding"
GRADE_FOR_AREA = re.compile(
    r"[\u2018\u201c\"'](?P<grade>[A-Za-z ]{4,40})[\u2019\u201d\"']\s+(?:for|in\s+relation\s+to|in)\s+(?P<area>[a-z][a-z \-]{3,80}?)"
    r"(?=\s+and\b|[.,;]|$)"
)
# A clause comparing with an earlier inspection: ", up from the inadequate rating it received in 2020".
COMPARISON = re.compile(r",\s+(?:(?:up|down|improving|moving|rising|falling)\s+from|compared\s+(?:with|to))\b")


def _dates(m: re.Match[str]) -> tuple[Quoted[PartialDate], Quoted[PartialDate] | None]:
    words = m.group("date")
    span = (m.start("date"), m.end("date"))
    months = _MONTHS.fullmatch(words)
    if months:  # "September and October 2019": a start month and an end month
        year = int(months.group(3))
        start, end = parse_date(f"{months.group(1)} {year}"), parse_date(f"{months.group(2)} {year}")
        assert start is not None and end is not None  # (a month's name and a year always read as a date)
        return Quoted.at(start, *span), Quoted.at(end, *span)
    year_written = re.search(YEAR, words)
    assert year_written is not None  # (MENTIONS' date always holds a year)
    when = parse_date(words) or PartialDate(int(year_written.group(0)))
    return Quoted.at(when, *span), None


def _precision(fact: InspectionFact) -> int:
    value = fact.start.value if fact.start else PartialDate(None)
    return sum(p is not None for p in (value.year, value.month, value.day))


def previous_inspections(
    text: str, council: str, reference: Reference
) -> tuple[list[InspectionFact], list[JudgementFact]]:
    """Earlier inspections a document recalls, one for each year, given as precisely as any sentence
    gives it (a range of days in the sentence that names the inspection's year is its dates), with the
    grades it says they gave in the form "'good' for looked after children"."""
    by_year: dict[int, InspectionFact] = {}
    judgements = []
    for sentence in sentences(text):
        m = next((m for p in MENTIONS if (m := p.search(text, sentence.start, sentence.end))), None)
        if not m:
            continue
        start, end = _dates(m)
        year = start.value.year
        if year is None:  # (a day and month read before the year: no inspection of a year to name)
            continue
        days = find_date_range(text, sentence.start, sentence.end)
        if days and days.start.year == year and days.end.year == year:
            start, end = Quoted(days.start, (days.span,)), Quoted(days.end, (days.span,))
        ref = InspectionRef(council, year)
        fact = InspectionFact(ref=ref, council=Quoted.at(council, m.start(), m.end()), start=start, end=end)
        if year not in by_year or _precision(fact) > _precision(by_year[year]):
            by_year[year] = fact
        framework = reference.framework_in(start.value)
        if framework is None:
            continue
        for g in GRADE_FOR_AREA.finditer(text, m.end(), sentence.end):
            if framework.grade(g.group("grade")) and framework.area(g.group("area")):
                judgements.append(
                    JudgementFact(
                        ref,
                        Quoted.at(g.group("area"), g.start("area"), g.end("area")),
                        Quoted.at(g.group("grade"), g.start("grade"), g.end("grade")),
                    )
                )
    return sorted(by_year.values(), key=lambda f: f.start.spans[0] if f.start else Span(0, 0)), judgements


def clauses(text: str, sentence: Span) -> list[Span]:
    """A sentence, or, where a clause compares with an earlier inspection (', up from the inadequate
    rating it received after its January 2020 inspection'), the sentence before it and the clause."""
    m = COMPARISON.search(text, sentence.start, sentence.end)
    if m is None:
        return [sentence]
    return [trim(text, sentence.start, m.start()), trim(text, m.start() + 1, sentence.end)]
