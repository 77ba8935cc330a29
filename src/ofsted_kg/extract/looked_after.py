"""Ofsted reports of the inspection of looked after children services (2012-2013).

The template: "Inspection of looked after children services", the council's name,
"Inspection dates: ...", "Reporting inspector ...", "Published: ...", numbered
paragraphs under each judgement's heading (with "Grade 3 (Adequate)"), the
"Areas for improvement" in bulleted lists by timescale ("Immediately:",
"Within three months:"), and a "Record of main findings" table of the five
judgements at the end. Page headers ("Sandwell Council Inspection of looked
after children services 9") are left in the text by conversion and kept out of
quotes.
"""

from __future__ import annotations

import re

from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract.common import grade_pattern, list_items, quoted_text, report_inspection, split_spans
from ofsted_kg.facts import (
    Extraction,
    FindingFact,
    InspectionRef,
    JudgementFact,
    RecommendationFact,
)
from ofsted_kg.reference import Framework, load_reference
from ofsted_kg.text import Quoted, Span, squash, trim

MARKER = re.compile(r"^\s*Inspection\s+of\s+looked\s+after\s+children\s+services\b", re.IGNORECASE)
DATES = re.compile(r"(?m)^\s*Inspection\s+dates?:\s*([^\n]+)")
PUBLISHED = re.compile(r"(?m)^\s*Published:\s*")
LEAD = re.compile(r"(?m)^\s*(?:Reporting|Lead)\s+inspectors?:?\s+([^\n]+?)\s*$")  # the post: common.lead_inspectors
TABLE = re.compile(r"(?m)^\s*Record\s+of\s+main\s+findings\s*$")
IMPROVE = re.compile(r"(?m)^\s*Areas\s+for\s+improvement\s*$")
# The timescales the areas for improvement are listed under; the list ends at the next heading.
TIMESCALE = re.compile(r"(?m)^\s*(?:Immediately|Within\s+\w+\s+months?):\s*$")
LIST_END = re.compile(r"(?m)^\s*(?:Outcomes\s+for|Quality\s+of\s+provision|Leadership\s+and\s+management)\b")
ROW_LINES = 3
ROW_STRETCH = 1.2
PAGE_HEADER = re.compile(r"(?m)^[^\n]{0,80}Inspection\s+of\s+looked\s+after\s+children\s+services\s+\d+\s*$")


def is_looked_after(text: str) -> bool:
    return bool(MARKER.match(text))


def extract(doc: Document) -> Extraction:
    text = doc.text
    framework = load_reference().framework("lac")
    marker = MARKER.match(text)
    if marker is None:  # (is_looked_after found it)
        raise DocumentError(doc.path, "has no title of an inspection of looked after children services")
    out, ref = report_inspection(
        doc,
        template="an inspection of looked after children services",
        marker=marker,
        framework="lac",
        inspection_type="lac-inspection",
        dates=DATES,
        published=PUBLISHED,
        lead=LEAD,
    )
    out.facts += _table(text, ref, framework)
    if not out.facts[1:]:
        raise DocumentError(
            doc.path, "looks like an inspection of looked after children services, but no judgements were found"
        )
    noise = [Span(m.start(), m.end()) for m in PAGE_HEADER.finditer(text)]
    out.facts += _improvements(text, ref, noise)
    out.facts += _findings(text, ref, framework, noise)
    return out


def _table(text: str, ref: InspectionRef, framework: Framework) -> list[JudgementFact]:
    """The rows of the 'Record of main findings': an area, then its grade.

    A row's area may break over lines, and a caption line may come before the
    first row: the area is the fewest last lines before the grade that name one.
    """
    table = TABLE.search(text)
    if table is None:
        return []
    out = []
    pos = table.end()
    for grade in grade_pattern().finditer(text, table.end()):
        area = _area_before(text, pos, grade.start(), framework)
        if area is None:
            break
        phrase = squash(area.quote(text))
        out.append(JudgementFact(ref, Quoted(phrase, (area,)), Quoted.at(grade.group(0), grade.start(), grade.end())))
        pos = grade.end()
    return out


def _area_before(text: str, start: int, end: int, framework: Framework) -> Span | None:
    cell = trim(text, start, end)
    breaks = [m.start() for m in re.finditer("\n", text[cell.start : cell.end])]
    for cut in [*reversed(breaks), -1][:ROW_LINES]:
        area = trim(text, cell.start + cut + 1, cell.end)
        if framework.area(area.quote(text), stretch=ROW_STRETCH) is not None:
            return area
    return None


def _improvements(text: str, ref: InspectionRef, noise: list[Span]) -> list[RecommendationFact]:
    """The bulleted areas for improvement, numbered on across their timescales."""
    heading = IMPROVE.search(text)
    if heading is None:
        return []
    end = LIST_END.search(text, heading.end())
    stop = end.start() if end else len(text)
    scales = list(TIMESCALE.finditer(text, heading.end(), stop))
    out: list[RecommendationFact] = []
    for i, scale in enumerate(scales):
        scale_end = scales[i + 1].start() if i + 1 < len(scales) else stop
        for spans in list_items(text, scale.end(), scale_end, noise):
            out.append(
                RecommendationFact(ref, "council", len(out) + 1, quoted_text(text, spans), improvement_area=True)
            )
    return out


# Each judgement's section: its area's name, then "Grade 3 (Adequate)", then numbered paragraphs.
SECTION_GRADE = re.compile(r"(?m)^\s*Grade\s+\d\s+\(([A-Za-z ]+)\)\s*$")
NUMBERED = re.compile(r"(?m)^[ \t]*(\d{1,3})\.(?:[ \t]+|(?=[A-Z]))")
SECTION_END = re.compile(r"(?m)^\s*(?:Areas\s+for\s+improvement|Record\s+of\s+main\s+findings)\s*$")
HEADING_LINES = 3


def _findings(text: str, ref: InspectionRef, framework: Framework, noise: list[Span]) -> list[FindingFact]:
    """The numbered paragraphs of each judgement's section (not those introducing the areas for improvement)."""
    heads = []
    for grade in SECTION_GRADE.finditer(text):
        area = _heading(text, grade.start(), framework, noise)
        if area is not None:
            heads.append((area, grade.end()))
    out = []
    for i, (area, start) in enumerate(heads):
        stop = heads[i + 1][0].spans[0].start if i + 1 < len(heads) else len(text)
        end = SECTION_END.search(text, start, stop)
        stop = end.start() if end else stop
        numbered = list(NUMBERED.finditer(text, start, stop))
        for j, m in enumerate(numbered):
            body_end = numbered[j + 1].start() if j + 1 < len(numbered) else stop
            spans = split_spans(text, Span(m.end(), body_end), noise)
            if spans:
                out.append(FindingFact(ref, quoted_text(text, spans), area=area, number=int(m.group(1))))
    return out


def _heading(text: str, before: int, framework: Framework, noise: list[Span]) -> Quoted[str] | None:
    """The area named by the (up to HEADING_LINES) lines before a grade line, page headers skipped."""
    lines: list[Span] = []
    end = before
    while len(lines) < HEADING_LINES and end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = trim(text, start, end)
        if not any(n.start <= line.start < n.end for n in noise):
            lines.insert(0, line)
        end = start
    found = None
    for k in range(len(lines) - 1, -1, -1):
        phrase = " ".join(text[line.start : line.end] for line in lines[k:])
        if framework.named_exactly(phrase) is not None:
            found = Quoted(squash(phrase), tuple(lines[k:]))
    return found
