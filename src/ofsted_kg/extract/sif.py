"""Ofsted reports of the Single Inspection Framework (2013-2017), with the review of the LSCB.

The template: the council's name, "Inspection date: ... to ...", "Report published:
...", the overall judgement as a sentence ("Children's services in X are good"),
a numbered table of judgements and graded sub-judgements, numbered
recommendations to the local authority, then the review of the Local Safeguarding
Children Board with its own judgement and recommendations, and the inspection
team (lead inspector) at the end.
"""

from __future__ import annotations

import re

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract.common import grade_pattern, quoted_text, split_spans
from ofsted_kg.facts import (
    DocumentInfo,
    Extraction,
    InspectionFact,
    InspectionRef,
    JudgementFact,
    RecommendationFact,
)
from ofsted_kg.reference import Framework, load_reference
from ofsted_kg.text import DAY_MONTH_YEAR, Quoted, Span, find_date_range, parse_date, trim

MARKER = re.compile(
    r"Inspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection", re.IGNORECASE
)
DATES = re.compile(r"(?m)^\s*Inspection\s+dates?:\s*([^\n]+)")
PUBLISHED = re.compile(r"(?m)^\s*Report\s+published:\s*")
OVERALL = re.compile(r"Children['\u2019]s\s+services\s+in\s+.{2,60}?\s+(?:are|is)\s+", re.IGNORECASE)
ROW_NUMBER = re.compile(r"\s*\d(?:\.\d)?\.?\s+")
LSCB = re.compile(r"(?m)^\s*The\s+Local\s+Safeguarding\s+Children\s+Board\s+(?:is\s+)?")
LEAD = re.compile(r"(?m)^\s*Lead\s+inspector:\s*([^,\n]+?)\s*$")
RECOMMENDATIONS = re.compile(r"(?m)^\s*Recommendations\s*$")
# Where a list of recommendations ends: the next heading of the report.
LIST_END = re.compile(
    r"(?m)^\s*(?:Summary for children and young people|Inspection findings|Information about this|"
    r"The experiences and progress|Leadership, management|The Local Safeguarding)"
)
TABLE_STRETCH = 1.6


def is_sif(text: str) -> bool:
    return bool(MARKER.search(text[:5000]))


def extract(doc: Document) -> Extraction:
    text = doc.text
    reference = load_reference()
    framework = reference.framework("sif")
    dates_line = DATES.search(text)
    dates = find_date_range(text, dates_line.start(1), dates_line.end(1)) if dates_line else None
    if dates is None or dates.start.year is None:
        raise DocumentError(doc.path, "looks like a Single Inspection Framework report, but gives no inspection dates")
    mention = load_councils().main_council(text[:3000]) or load_councils().main_council(text)
    if mention is None:
        raise DocumentError(doc.path, "looks like an Ofsted report, but names no English local authority")
    council_q = Quoted.at(mention.council.gss_code, mention.start, mention.end)
    ref = InspectionRef(mention.council.gss_code, dates.start.year)

    published = None
    m = PUBLISHED.search(text)
    if m:
        d = DAY_MONTH_YEAR.match(text, m.end())
        published = Quoted.at(parse_date(d.group(0)), d.start(), d.end()) if d else None
    lead = LEAD.search(text)
    out = Extraction(DocumentInfo(kind="ofsted-report", council=council_q, date=published))
    out.facts.append(
        InspectionFact(
            ref=ref,
            council=council_q,
            framework=Quoted("sif", (Span(m.start(), m.end()),)) if (m := MARKER.search(text)) else None,
            inspection_type=Quoted("single-inspection", (Span(m.start(), m.end()),)) if m else None,
            start=Quoted(dates.start, (dates.span,)),
            end=Quoted(dates.end, (dates.span,)),
            published=published,
            lead_inspector=Quoted.at(lead.group(1), lead.start(1), lead.end(1)) if lead else None,
        )
    )
    out.facts += _judgements(text, ref, framework)
    out.facts += _recommendations(text, ref)
    if not any(isinstance(f, JudgementFact) for f in out.facts):
        raise DocumentError(doc.path, "looks like a Single Inspection Framework report, but no judgements were found")
    return out


def _judgements(text: str, ref: InspectionRef, framework: Framework) -> list[JudgementFact]:
    out = []
    overall = OVERALL.search(text)
    if overall:
        grade = grade_pattern().match(text, overall.end())
        if grade:
            area = Span(overall.start(), overall.end())
            out.append(
                JudgementFact(
                    ref, Quoted("overall judgement", (area,)), Quoted.at(grade.group(0), grade.start(), grade.end())
                )
            )
            out += _table(text, grade.end(), ref, framework)
    board = LSCB.search(text, overall.end() if overall else 0)
    while board:
        grade = grade_pattern().match(text, board.end())
        if grade and not text[grade.end() : text.find("\n", grade.end())].strip():
            area = trim(text, board.start(), board.end())
            out.append(JudgementFact(ref, Quoted.at("Local Safeguarding Children Board", area.start, area.end),
                                     Quoted.at(grade.group(0), grade.start(), grade.end())))  # fmt: skip
            break
        board = LSCB.search(text, board.end())
    return out


def _table(text: str, start: int, ref: InspectionRef, framework: Framework) -> list[JudgementFact]:
    """Numbered rows '2.1 Adoption performance Good', a row possibly broken over lines."""
    out = []
    pos = start
    for grade in grade_pattern().finditer(text, start):
        line_end = text.find("\n", grade.end())
        if text[grade.end() : len(text) if line_end < 0 else line_end].strip():
            break
        area = trim(text, pos, grade.start())
        number = ROW_NUMBER.match(text, area.start, area.end)
        if number:
            area = trim(text, number.end(), area.end)
        phrase = area.quote(text)
        if not number or "." in phrase or framework.area(phrase, stretch=TABLE_STRETCH) is None:
            break
        out.append(
            JudgementFact(
                ref, Quoted(" ".join(phrase.split()), (area,)), Quoted.at(grade.group(0), grade.start(), grade.end())
            )
        )
        pos = grade.end()
    return out


def _recommendations(text: str, ref: InspectionRef) -> list[RecommendationFact]:
    """The numbered recommendations after each 'Recommendations' heading: first to the council, then the board's."""
    out = []
    board_review = LSCB.search(text, len(text) // 3)
    for heading in RECOMMENDATIONS.finditer(text):
        if re.match(r"\s*\d", text[heading.end() : heading.end() + 5]) is None and not re.match(
            r"\s*\n\s*\d", text[heading.end() :]
        ):
            continue
        end = LIST_END.search(text, heading.end())
        stop = end.start() if end else len(text)
        addressee = "board" if board_review and heading.start() > board_review.start() else "council"
        items = list(re.finditer(r"(?m)^[ \t]*(\d{1,3})\.(?:[ \t]+|(?=[A-Z]))", text[heading.end() : stop]))
        for position, item in enumerate(items, start=1):
            body_start = heading.end() + item.end()
            body_end = heading.end() + items[position].start() if position < len(items) else stop
            spans = split_spans(text, Span(body_start, body_end), [])
            if spans:
                out.append(RecommendationFact(ref, addressee, position, quoted_text(text, spans)))
    return out
