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

from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract.common import BULLET_GLYPHS, grade_pattern, quoted_text, report_inspection, split_spans
from ofsted_kg.facts import (
    Extraction,
    FindingFact,
    InspectionRef,
    JudgementFact,
    RecommendationFact,
)
from ofsted_kg.reference import Framework, load_reference, normalise_label
from ofsted_kg.text import Quoted, Span, trim

MARKER = re.compile(
    r"Inspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection", re.IGNORECASE
)
DATES = re.compile(r"(?m)^\s*Inspection\s+dates?:\s*([^\n]+)")
PUBLISHED = re.compile(r"(?m)^\s*Report\s+published:\s*")
# "Children's services in X are good", "... in X require improvement to be good" (2015-17);
# "The overall judgement is inadequate", "... is that children's services are inadequate" (2013-15).
OVERALL = re.compile(
    r"Children['\u2019]s\s+services\s+in\s+.{2,60}?\s+(?:are\s+|is\s+|(?=requires?\s+improvement))|"
    r"The\s+overall\s+judgement\s+is\s+(?:that\s+children['\u2019]s\s+services\s+are\s+)?",
    re.IGNORECASE,
)
ROW_NUMBER = re.compile(r"\s*\d(?:\.\d)?\.?\s+")
LSCB = re.compile(
    r"(?m)^\s*The\s+(?:effectiveness\s+of\s+the\s+)?Local\s+Safeguarding\s+Children\s+Board\s+(?:\(LSCB\)\s+)?(?:is\s+)?"
)
# "Lead inspector: Marie McGuinness Senior HMI", "Lead inspector: Donna Marriott, HMI", "Lead inspector on
# site: ...": the whole line; the post is taken off the name by common.lead_inspector.
LEAD = re.compile(r"(?m)^\s*Lead\s+inspector(?:\s+on\s+site)?:\s*([^\n]+?)\s*$")
# 2015-17: "Recommendations"; 2013-14: "Priority and immediate action" (or "Priority actions"),
# "Areas for improvement".
RECOMMENDATIONS = re.compile(
    r"(?m)^\s*(?:Recommendations|Priority (?:and immediate )?actions?|Areas for improvement:?)\s*$"
)
# "The inspection did not find any areas for priority ...", "There are no areas of priority action."
NONE_FOUND = re.compile(r"The\s+inspection\s+did\s+not\s+find\s+any|There\s+are\s+no\s+areas\b", re.IGNORECASE)
# Where the review of the board starts (its recommendations are the board's).
BOARD_REVIEW = re.compile(
    r"(?m)^\s*Section\s+2:\s+The\s+effectiveness\b|"
    r"^\s*The\s+Local\s+Safeguarding\s+Children\s+Board\s+(?:is\s+)?"
)
# The judgement table: numbered rows from "1." after the overall judgement.
TABLE_START = re.compile(r"(?m)^[ \t]*1\.?[ \t]+(?=[A-Z])")
TABLE_REACH = 1500
LINE = re.compile(r"(?m)^.*$")
# A numbered item ("12. Ensure ..."), or a bulleted one (the board's list in 2017 reports).
ITEM = re.compile(rf"[ \t]*(?:(\d{{1,3}})\.(?:[ \t]+|(?=[A-Z]))|[{BULLET_GLYPHS}][ \t]*)")
# Where a list of recommendations ends: the next heading of the report (a line
# naming a judgement area is a sub-heading inside the list instead).
LIST_END = re.compile(
    r"\s*(?:Summary for children and young people|Inspection findings|Information about this|"
    r"The experiences and progress|The Local Safeguarding|Areas for improvement|Priority |"
    r"Key strengths and weaknesses|Section 2:|The local authority['\u2019]s strengths|Progress since the last|"
    r"What the inspection judgements mean|Summary of key findings|Inspection judgements? about)"
)
LIST_END_ANYWHERE = re.compile(r"(?m)^" + LIST_END.pattern)
SUBHEADING_LENGTH = 60
TABLE_STRETCH = 1.6


def is_sif(text: str) -> bool:
    return bool(MARKER.search(text[:5000]))


def extract(doc: Document) -> Extraction:
    text = doc.text
    framework = load_reference().framework("sif")
    out, ref = report_inspection(
        doc,
        template="a Single Inspection Framework report",
        marker=MARKER.search(text),
        framework="sif",
        inspection_type="single-inspection",
        dates=DATES,
        published=PUBLISHED,
        lead=LEAD,
    )
    out.facts += _judgements(text, ref, framework)
    recommendations = _recommendations(text, ref)
    out.facts += recommendations
    out.facts += _findings(text, ref, framework, [r.text.spans[0] for r in recommendations])
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
            table = TABLE_START.search(text, grade.end(), grade.end() + TABLE_REACH)
            if table:
                out += _table(text, table.start(), ref, framework)
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
    """The numbered items under each list heading: first to the council, then (in its review) the board's.

    2013-14 reports give two lists to each (priority and immediate action, areas for
    improvement), sometimes under sub-headings naming judgement areas; the items are
    numbered on across both, as they are here.
    """
    out = []
    board_review = BOARD_REVIEW.search(text, len(text) // 3)
    numbered = {"council": 0, "board": 0}
    for heading in RECOMMENDATIONS.finditer(text):
        addressee = "board" if board_review and heading.start() > board_review.start() else "council"
        for item in _items(text, heading.end()):
            spans = split_spans(text, item, [])
            if spans and not NONE_FOUND.match(text, spans[0].start):
                numbered[addressee] += 1
                out.append(RecommendationFact(ref, addressee, numbered[addressee], quoted_text(text, spans)))
    return out


def _items(text: str, start: int) -> list[Span]:
    """The numbered items from start to the next heading, each running over its continuation lines.

    A short line after a finished item (or the heading) and before a numbered one is a
    sub-heading ("Help and protection", "Scrutiny and challenge") inside the list.
    """
    lines = [m for m in LINE.finditer(text, start + 1, _list_reach(text, start)) if m.group(0).strip()]
    items: list[Span] = []
    current: Span | None = None
    for i, line in enumerate(lines):
        body = line.group(0)
        item = ITEM.match(body)
        if item:
            if current:
                items.append(current)
            current = Span(line.start() + item.end(), line.end())
        elif _is_subheading(text, current, body, lines[i + 1].group(0) if i + 1 < len(lines) else ""):
            if current:
                items.append(current)
            current = None
        elif current is None or LIST_END.match(body):
            break
        else:
            current = Span(current.start, line.end())
    if current:
        items.append(current)
    return items


def _list_reach(text: str, start: int) -> int:
    end = LIST_END_ANYWHERE.search(text, start + 1)
    return end.start() if end else len(text)


def _is_subheading(text: str, current: Span | None, line: str, following: str) -> bool:
    finished = current is None or text[current.start : current.end].rstrip().endswith((".", ";"))
    line = line.strip()
    return (
        finished
        and len(line) < SUBHEADING_LENGTH
        and line[:1].isupper()
        and not line.endswith((".", ";", ","))
        and ITEM.match(following) is not None
    )


# A section's heading: the judgement area, then (on its line or the next) its grade, perhaps after a
# verb: "Leadership, management and governance are good", "The experiences and progress of children
# who need help and protection\nRequires improvement".
HEADING_VERB = re.compile(r"\s+(?:is|are|requires?)$|^The\s+effectiveness\s+of\s+|\s*\(LSCB\)", re.IGNORECASE)
HEADING_LINES = 4
GRADED = re.compile(
    r"The graded judge?ment (?:for|about) (?:the )?(?P<area>.+?)(?: is that (?:it|they))?(?: is| are| requires?)?$",
    re.IGNORECASE,
)
NUMBERED = re.compile(r"(?m)^[ \t]*(\d{1,3})\.(?:[ \t]+|(?=[A-Z]))")
# Where the last section's findings end.
FINDINGS_END = re.compile(r"(?m)^\s*(?:Information about this inspection|What the inspection judge?ments mean)")


def _findings(text: str, ref: InspectionRef, framework: Framework, taken: list[Span]) -> list[FindingFact]:
    """The numbered paragraphs under each judgement's heading, those of the board's review as the board's.

    Paragraphs are numbered on through the whole report; recommendations among them are not findings.
    """
    first_list = RECOMMENDATIONS.search(text)
    heads = _section_heads(text, framework, first_list.start() if first_list else 0)
    starts = {span.start for span in taken}
    out = []
    for i, (area, area_key, head_end) in enumerate(heads):
        next_head = heads[i + 1][0].spans[0].start if i + 1 < len(heads) else len(text)
        last = FINDINGS_END.search(text, head_end, next_head)
        stop = last.start() if last else next_head
        paragraphs, expected = [], None
        for m in NUMBERED.finditer(text[head_end:stop]):
            number = int(m.group(1))
            if expected is None or number == expected:
                paragraphs.append((number, head_end + m.start(), head_end + m.end()))
                expected = number + 1
        addressee = "board" if area_key == "sif-lscb" else "council"
        for j, (number, _, body_start) in enumerate(paragraphs):
            body_end = paragraphs[j + 1][1] if j + 1 < len(paragraphs) else stop
            if any(body_start <= s < body_end for s in starts) or NONE_FOUND.match(text, body_start):
                continue  # a recommendation, or the note that there are none
            spans = split_spans(text, Span(body_start, body_end), [])
            if spans:
                out.append(FindingFact(ref, quoted_text(text, spans), area=area, number=number, addressee=addressee))
    return out


def _section_heads(text: str, framework: Framework, start: int) -> list[tuple[Quoted[str], str, int]]:
    """(area as quoted, its notation, where the section's text starts) for each judgement heading."""
    heads = []
    for grade in grade_pattern().finditer(text, start):
        line_end = text.find("\n", grade.end())
        line_end = len(text) if line_end < 0 else line_end
        if text[grade.end() : line_end].strip() not in ("", "."):
            continue
        # The longest run of up to HEADING_LINES lines before the grade that names an area.
        found = None
        line_start = text.rfind("\n", 0, grade.start()) + 1
        for _ in range(HEADING_LINES):
            cell = trim(text, line_start, grade.start())
            phrase = HEADING_VERB.sub("", " ".join(cell.quote(text).split()))
            area = framework.area(phrase)
            if cell.end > cell.start and area is not None and normalise_label(phrase) in area.names:
                found = (Quoted(phrase, (cell,)), area.notation, line_end)
            # A graded sub-judgement inside a section: "The graded judgement for adoption
            # performance is that it is good".
            graded = GRADED.match(phrase)
            if found is None and graded and (area := framework.area(graded.group("area"))) is not None:
                found = (Quoted(graded.group("area"), (cell,)), area.notation, line_end)
            if line_start == 0:
                break
            line_start = text.rfind("\n", 0, line_start - 1) + 1
        if found and (not heads or heads[-1][2] <= found[0].spans[0].start):
            heads.append(found)
    return heads
