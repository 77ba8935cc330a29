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
from ofsted_kg.extract.common import TABLE_STRETCH, grade_pattern, head_council, lead_inspectors
from ofsted_kg.extract.report_body import end_of_findings, findings, improvements, page_furniture
from ofsted_kg.facts import (
    DocumentInfo,
    Extraction,
    InspectionFact,
    InspectionRef,
    JudgementFact,
)
from ofsted_kg.reference import Framework, load_reference, normalise_label
from ofsted_kg.text import DateRange, Quoted, Span, find_date_range, squash, trim

# The title, at the top: "Inspection of <council> local authority children's services" (2021 on),
# "Inspection of <council> children's services", or the council on a line or two above "Inspection
# of (local authority) children's (social care) services" (2018-20). Group 1 is the title, 2 the council.
_WORDING = r"(?:local\s+authority\s+)?children['\u2019]s\s+(?:social\s+care\s+)?services"
TITLE = re.compile(
    rf"\A\s*(?P<title>Inspection\s+of\s+(?:(?P<council>[\s\S]{{3,120}}?)\s+)??{_WORDING})", re.IGNORECASE
)
TITLE_UNDER_NAME = re.compile(
    rf"\A\s*(?P<council>\S[^\n]*(?:\n[^\n]+)?)\n\s*(?P<title>Inspection\s+of\s+{_WORDING})", re.IGNORECASE
)
# Any other title ("Inspection of <a children's trust>") names the council, and no framework.
OTHER_TITLE = re.compile(
    r"\A\s*(?P<title>Inspection\s+of\s+(?P<council>[\s\S]{3,120}?))\s*\n\s*Inspection\s+dates?:", re.IGNORECASE
)
DATES = re.compile(r"^\s*Inspection\s+dates?:\s*([^\n]+)", re.MULTILINE | re.IGNORECASE)
LEAD = re.compile(r"^\s*Lead\s+inspectors?:\s*([^,\n]+?)\s*(?:,\s*([^\n]+?))?\s*$", re.MULTILINE | re.IGNORECASE)
TABLE_HEAD = re.compile(r"^\s*Judgement\s+Grade\s*$", re.MULTILINE | re.IGNORECASE)
# 2018-19 headings read "<area> is: <grade>".
HEADING_VERB = re.compile(r"\s+(?:is|are)$")


def extract(doc: Document) -> Extraction:
    text = doc.text
    council = head_council(doc)
    dates_match = DATES.search(text)
    dates = find_date_range(text, dates_match.start(1), dates_match.end(1)) if dates_match else None
    if dates_match is None or dates is None or dates.start.year is None:
        raise DocumentError(doc.path, "looks like an Ofsted report, but no template fits: no 'Inspection dates:' line")
    # An inspection paused and resumed gives two periods ("... 2024 and 13 to 16 January 2025"): it ends with the last.
    last = find_date_range(text, dates.span.end, dates_match.end(1))
    end = Quoted(last.end, (last.span,)) if last else Quoted(dates.end, (dates.span,))
    ref = InspectionRef(council.value, dates.start.year)
    reference = load_reference()
    title_span, named = _title(text)
    framework = named or reference.framework_in(dates.start) or reference.frameworks[-1]

    info = DocumentInfo(
        kind="ofsted-report",
        council=council,
        title=Quoted(squash(title_span.quote(text)), (title_span,)) if title_span else None,
        publisher=None,
    )
    out = Extraction(info)
    if dates_match and DATES.search(text, dates_match.end()):
        out.notes.append("the report gives more than one 'Inspection dates:' line; the first is read")
    # Standard and short are types of ILACS inspection; a report of an earlier framework has neither.
    kind = inspection_type(dates, out.notes) if framework.notation == "ilacs" and last is None else None
    if last is not None:
        out.notes.append(
            "the inspection ran in two periods, which fit no inspection type's weeks on site; no type is given"
        )

    lead = LEAD.search(text)
    out.facts.append(
        InspectionFact(
            ref=ref,
            council=council,
            start=Quoted(dates.start, (dates.span,)),
            end=end,
            lead_inspectors=lead_inspectors(text, lead, out.notes),
            framework=Quoted(named.notation, (title_span,)) if named and title_span else None,
            inspection_type=kind,
        )
    )
    if lead is None:
        out.notes.append("no 'Lead inspector:' line: the inspection is given no lead inspector")
    noise = page_furniture(text, title_span.quote(text) if title_span else None)
    out.facts += judgement_table(text, ref, framework)
    sections = judgement_sections(text, framework)
    out.facts += [JudgementFact(ref, area, grade) for area, grade, _ in sections]
    out.facts += improvements(text, ref, [s[0].spans[0].start for s in sections], noise)
    out.facts += findings(text, ref, sections, noise, out.notes)
    if not any(isinstance(f, JudgementFact) for f in out.facts):
        raise DocumentError(doc.path, "looks like an Ofsted report, but no template fits: no judgements found")
    return out


def _head(text: str) -> tuple[Span | None, Span | None]:
    """The spans of the report's title and of the words naming its council."""
    for pattern in (TITLE, TITLE_UNDER_NAME, OTHER_TITLE):
        m = pattern.search(text)
        if m:
            council = trim(text, m.start("council"), m.end("council")) if m.group("council") else None
            return trim(text, m.start("title"), m.end("title")), council
    return None, None


def _title(text: str) -> tuple[Span | None, Framework | None]:
    """The report's title and the framework its wording is the name of, if any (schemes.ttl)."""
    title, council = _head(text)
    if title is None:
        return None, None
    wording = text[title.start : title.end]
    if council is not None and title.start <= council.start < title.end:
        wording = text[title.start : council.start] + text[council.end : title.end]
    folded = normalise_label(wording)
    return title, next((f for f in load_reference().frameworks if folded in f.names), None)


def inspection_type(dates: DateRange, notes: list[str]) -> Quoted[str] | None:
    """Standard or short, told by how many weeks the inspectors were on site (schemes.ttl gives each
    type's weeks): ILACS reports do not name their type. A span fitting no type is left untyped."""
    start, end = dates.start.to_date(), dates.end.to_date()
    if start is None or end is None:
        return None
    days = (end - start).days + 1
    for notation, weeks in load_reference().weeks_on_site.items():
        if weeks * 7 - 2 <= days <= weeks * 7:  # Monday to Friday of the last week
            return Quoted(notation, (dates.span,))
    notes.append(f"the inspection ran {days} days, which fits no inspection type's weeks on site; no type is given")
    return None


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
        if area_span.quote(text).endswith("."):  # "... children and families." (2019-20)
            area_span = trim(text, area_span.start, area_span.end - 1)
        phrase = area_span.quote(text)
        if "." in phrase or framework.area(phrase, stretch=TABLE_STRETCH) is None:
            break
        out.append(
            JudgementFact(
                ref,
                Quoted(squash(phrase), (area_span,)),
                Quoted.at(squash(grade.group(0)), grade.start(), grade.end()),
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
        if text[grade.end() : line_end].strip() not in ("", "."):  # some headings end with a full stop
            continue
        colon = re.search(r":\s*$", text[max(0, grade.start() - 3) : grade.start()])
        if colon:
            area_end = grade.start() - 3 + colon.start()
        elif grade.group(0)[0].islower() and text[grade.start() - 1 : grade.start()] in (" ", "\n"):
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
        stop = heads[i + 1][0].start if i + 1 < len(heads) else end_of_findings(text, grade.end())
        out.append(
            (
                Quoted(squash(area_span.quote(text)), (area_span,)),
                Quoted.at(squash(grade.group(0)), grade.start(), grade.end()),
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
        if framework.named_exactly(phrase) is not None:
            return span
    return None
