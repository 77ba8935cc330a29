"""Ofsted inspection reports (ILACS template, 2018 on): the text of the report as Ofsted publishes it.

Reads the title, inspection dates, lead inspector, the judgement table, the
'What needs to improve?' list, each judgement's heading with its grade and the
numbered paragraphs under it. Page headers left in the text by PDF conversion
are recognised and left out of the quoted spans.
"""

from __future__ import annotations

import re

from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract.common import grade_pattern, head_council, lead_inspector, list_items, quoted_text, split_spans
from ofsted_kg.facts import (
    DocumentInfo,
    Extraction,
    FindingFact,
    InspectionFact,
    InspectionRef,
    JudgementFact,
    RecommendationFact,
)
from ofsted_kg.reference import Framework, load_reference, normalise_label
from ofsted_kg.text import Quoted, Span, find_date_range, lines, trim

TITLE = re.compile(
    r"Inspection\s+of\s+([\s\S]{3,120}?)\s+local\s+authority\s+children['\u2019]s\s+services", re.IGNORECASE
)
DATES = re.compile(r"^\s*Inspection\s+dates?:\s*([^\n]+)", re.MULTILINE | re.IGNORECASE)
LEAD = re.compile(r"^\s*Lead\s+inspector:\s*([^,\n]+?)\s*(?:,\s*([^\n]+?))?\s*$", re.MULTILINE | re.IGNORECASE)
TABLE_HEAD = re.compile(r"^\s*Judgement\s+Grade\s*$", re.MULTILINE | re.IGNORECASE)
# "What needs to improve?" (with a footnote mark from a PDF: "improve?1"); "What needs to improve:" in 2018-19.
IMPROVE = re.compile(r"^\s*What needs to improve[?:]?\d*\s*$", re.MULTILINE | re.IGNORECASE)
# 2018-19 headings read "<area> is: <grade>".
HEADING_VERB = re.compile(r"\s+(?:is|are)$")
# How much longer than an area's name a table cell may be (cells add words like
# "Children's services in X - overall judgement").
TABLE_STRETCH = 1.6
BOILERPLATE = re.compile(
    r"^\s*(?:The Office for Standards in Education|If you would like a copy of this document|Ofsted has a duty)",
    re.MULTILINE,
)


def extract(doc: Document) -> Extraction:
    text = doc.text
    council = head_council(doc)
    dates_match = DATES.search(text)
    dates = find_date_range(text, dates_match.start(1), dates_match.end(1)) if dates_match else None
    if dates is None or dates.start.year is None:
        raise DocumentError(doc.path, "looks like an Ofsted report, but no template fits: no 'Inspection dates:' line")
    ref = InspectionRef(council.value, dates.start.year)
    reference = load_reference()
    framework = reference.framework_in(dates.start) or reference.frameworks[-1]

    title = TITLE.search(text)
    info = DocumentInfo(
        kind="ofsted-report",
        council=council,
        title=Quoted.at(re.sub(r"\s+", " ", title.group(0)), *_trimmed(text, title.start(), title.end()))
        if title
        else None,
        publisher=None,
    )
    out = Extraction(info)

    lead = LEAD.search(text)
    out.facts.append(
        InspectionFact(
            ref=ref,
            council=council,
            start=Quoted(dates.start, (dates.span,)),
            end=Quoted(dates.end, (dates.span,)),
            lead_inspector=lead_inspector(text, lead, out.notes),
        )
    )
    noise = page_furniture(text, title.group(0) if title else None)
    out.facts += judgement_table(text, ref, framework)
    sections = judgement_sections(text, framework)
    out.facts += [JudgementFact(ref, area, grade) for area, grade, _ in sections]
    out.facts += improvements(text, ref, sections, noise)
    out.facts += findings(text, ref, sections, noise)
    if not any(isinstance(f, JudgementFact) for f in out.facts):
        raise DocumentError(doc.path, "looks like an Ofsted report, but no template fits: no judgements found")
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    span = trim(text, start, end)
    return span.start, span.end


def page_furniture(text: str, title: str | None) -> list[Span]:
    """Running page headers and footers: the report title repeated, then dates and a page number."""
    noise = []
    all_lines = lines(text)
    title_key = normalise_label(title) if title else None
    seen_title = False
    for i, line in enumerate(all_lines):
        value = line.quote(text)
        if title_key and normalise_label(value) == title_key:
            if seen_title:
                noise.append(line)
                if i + 1 < len(all_lines) and re.fullmatch(
                    r".*\b(?:19|20)\d\d\s+\d{1,3}", all_lines[i + 1].quote(text)
                ):
                    noise.append(all_lines[i + 1])
            seen_title = True
        elif re.fullmatch(r"\d{1,3}", value):
            noise.append(line)
    return noise


def judgement_table(text: str, ref: InspectionRef, framework: Framework) -> list[JudgementFact]:
    """Rows of the judgement table: an area's name, then its grade, rows possibly broken over lines."""
    head = TABLE_HEAD.search(text)
    if not head:
        return []
    out = []
    pos = head.end()
    for grade in grade_pattern().finditer(text, pos):
        line_end = text.find("\n", grade.end())
        if text[grade.end() : len(text) if line_end < 0 else line_end].strip():
            break  # in the table a grade ends its row; prose has begun
        area_span = trim(text, pos, grade.start())
        phrase = area_span.quote(text)
        if "." in phrase or framework.area(phrase, stretch=TABLE_STRETCH) is None:
            break
        out.append(
            JudgementFact(
                ref,
                Quoted(re.sub(r"\s+", " ", phrase), (area_span,)),
                Quoted.at(re.sub(r"\s+", " ", grade.group(0)), grade.start(), grade.end()),
            )
        )
        pos = grade.end()
    return out


def judgement_sections(text: str, framework: Framework) -> list[tuple[Quoted[str], Quoted[str], Span]]:
    """Each judgement's heading ('<area>: <grade>'), with the span of the section it heads."""
    heads = []
    for grade in grade_pattern().finditer(text):
        line_end = text.find("\n", grade.end())
        line_end = len(text) if line_end == -1 else line_end
        if text[grade.end() : line_end].strip():
            continue
        colon = re.search(r":\s*$", text[max(0, grade.start() - 3) : grade.start()])
        if colon:
            area_end = grade.start() - 3 + colon.start()
        elif grade.group(0)[0].islower() and text[grade.start() - 1 : grade.start()] == " ":
            # 2018-19: "<area> requires improvement to be good", "<area> is inadequate" (the table
            # writes its grades capitalised, so its rows are not taken for headings)
            area_end = grade.start() - 1
        else:
            continue
        area_span = _heading_start(text, area_end, framework)
        if area_span is None:
            continue
        heads.append((area_span, grade))
    out = []
    for i, (area_span, grade) in enumerate(heads):
        stop = heads[i + 1][0].start if i + 1 < len(heads) else _end_of_findings(text, grade.end())
        out.append(
            (
                Quoted(re.sub(r"\s+", " ", area_span.quote(text)), (area_span,)),
                Quoted.at(re.sub(r"\s+", " ", grade.group(0)), grade.start(), grade.end()),
                Span(grade.end(), stop),
            )
        )
    return out


def _heading_start(text: str, area_end: int, framework: Framework) -> Span | None:
    """The heading that ends at area_end (before its grade), which may have been broken over two lines."""
    line_start = text.rfind("\n", 0, area_end) + 1
    candidates = [trim(text, line_start, area_end)]
    previous = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    if line_start > 0 and text[previous:line_start].strip():
        candidates.insert(0, trim(text, previous, area_end))
    for span in candidates:
        verb = HEADING_VERB.search(span.quote(text))
        if verb:
            span = Span(span.start, span.start + verb.start())
        phrase = span.quote(text)
        area = framework.area(phrase)
        if area is not None and normalise_label(phrase) in area.names:
            return span
    return None


def _end_of_findings(text: str, start: int) -> int:
    m = BOILERPLATE.search(text, start)
    return m.start() if m else len(text)


def improvements(text: str, ref: InspectionRef, sections, noise: list[Span]) -> list[RecommendationFact]:
    """The points of 'What needs to improve?', numbered in the order given."""
    head = IMPROVE.search(text)
    if not head:
        return []
    stop = min([s[0].spans[0].start for s in sections if s[0].spans[0].start > head.end()], default=len(text))
    out = []
    for number, spans in enumerate(list_items(text, head.end(), stop, noise), start=1):
        out.append(RecommendationFact(ref, "council", number, quoted_text(text, spans), improvement_area=True))
    return out


def findings(text: str, ref: InspectionRef, sections, noise: list[Span]) -> list[FindingFact]:
    """The numbered paragraphs under each judgement heading."""
    out = []
    expected = 1
    for area, _grade, section in sections:
        markers = []
        for m in re.finditer(r"(?m)^[ \t]*(\d{1,3})\.(?:[ \t]+|(?=[A-Z]))", text[section.start : section.end]):
            if int(m.group(1)) == expected:
                markers.append((expected, section.start + m.end(), section.start + m.start()))
                expected += 1
        for i, (number, body_start, _) in enumerate(markers):
            body_end = markers[i + 1][2] if i + 1 < len(markers) else section.end
            spans = split_spans(text, Span(body_start, body_end), noise)
            if spans:
                out.append(FindingFact(ref, quoted_text(text, spans), area=area, number=number))
    return out
