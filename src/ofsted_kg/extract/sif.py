"""Ofsted reports of the Single Inspection Framework (2013-2018), with the review of the LSCB.

The template: the council's name, "Inspection date: ... to ...", "Report published:
...", the overall judgement as a sentence ("Children's services in X are good"),
a numbered table of judgements and graded sub-judgements, numbered
recommendations to the local authority, then the review of the Local Safeguarding
Children Board with its own judgement and recommendations (sif_board), and the
inspection team (lead inspector) at the end. Findings are read by sif_findings.
"""

from __future__ import annotations

import re

from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import sif_board
from ofsted_kg.extract.common import TABLE_STRETCH, grade_pattern, quoted_text, report_inspection, split_spans
from ofsted_kg.extract.sif_findings import FINDINGS_HEADING, NONE_FOUND, findings
from ofsted_kg.facts import (
    Extraction,
    InspectionRef,
    JudgementFact,
    RecommendationFact,
)
from ofsted_kg.reference import Framework, load_reference
from ofsted_kg.text import GLYPH_CLASS, Quoted, Span, squash, trim

MARKER = re.compile(
    r"Inspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection", re.IGNORECASE
)
# "Re-inspection of services ..." (also "Reinspection"): a council inspected again, without the board's review.
REINSPECTION = re.compile(r"Re-?i" + MARKER.pattern[1:], re.IGNORECASE)
DATES = re.compile(r"(?m)^\s*Inspection\s+dates?:\s*([^\n]+)")
PUBLISHED = re.compile(r"(?m)^\s*Report\s+[Pp]ublished:\s*")
# "Children's services in X are good", "... in the Royal Borough of Kingston upon\nThames are good",
# "Children's services require improvement to be good" (2015-17); "The overall judgement is inadequate",
# "... is that children's services are inadequate", "... that children's service(s) require(s)\nimprovement" (2013-15).
VERB = r"(?:are\s+|is\s+|(?=requires?\s+improvement))"
OVERALL = re.compile(
    rf"Children['\u2019]s\s+services\s+(?:(?:in|on)\s+[^.]{{2,80}}?\s+)?{VERB}|"
    rf"The\s+overall\s+judgement\s+is\s+(?:that\s+children['\u2019]s\s+services?\s+{VERB})?",
    re.IGNORECASE,
)
# A row of the judgement table: "1.", "2.", "2.1" (a footnote's "1 Ofsted produces ..." has no full stop).
ROW = re.compile(r"(?m)^[ \t]*(?:\d\.\d\.?|\d\.)[ \t]+")
# A row of the table that was not judged ("2.1 Adoption performance Not judged"), its area perhaps broken over lines.
NOT_JUDGED = re.compile(r"\s*(?:\d\.\d\.?|\d\.)[ \t]+(?P<area>(?:(?!\n[ \t]*\d\.)[^.])+?)\s+Not\s+judged\s*", re.I)
# The table's footnote, where a page ends inside the table ("1 Ofsted produces this report ...").
FOOTNOTE = re.compile(r"\s*\d{1,2}(?:[ \t]+[A-Z]|[ \t]*\n)")
TABLE_GAP = 1500
# "Lead inspector: Marie McGuinness Senior HMI", "Lead inspector: Donna Marriott, HMI", "Lead inspector on
# site: ...": the whole line; the post is taken off the name, and a line naming no person noted, by
# common.lead_inspectors.
LEAD = re.compile(r"(?m)^\s*Lead\s+inspectors?(?:\s+on\s+site)?:\s*([^\n]+?)\s*$")
# 2015-17: "Recommendations"; 2013-14: "Priority and immediate action" (or "Priority actions"),
# "Areas for improvement", or the items straight under "What does the local authority need to improve?".
RECOMMENDATIONS = re.compile(
    r"(?m)^\s*(?:Recommendations:?|Priority (?:and immediate )?actions?|Areas for [Ii]mprovement:?|"
    r"What does the (?:local authority|LSCB) need to improve\??)\s*$"
)
# A sentence or two may introduce the items: "The following recommendations are those that ...".
LEAD_IN_LINES = 4
# The judgement table: numbered rows from "1." after the overall judgement.
TABLE_START = re.compile(r"(?m)^[ \t]*1\.?[ \t]+(?=[A-Z])")
TABLE_REACH = 1500
LINE = re.compile(r"(?m)^.*$")
# A numbered item ("12. Ensure ..."), or a bulleted one (the board's list in 2017 reports).
ITEM = re.compile(rf"[ \t]*(?:(\d{{1,3}})\.(?:[ \t]+|(?=[A-Z]))|{GLYPH_CLASS}[ \t]*)")
GLYPH = re.compile(GLYPH_CLASS)
# Where a list of recommendations ends: the next heading of the report (a line
# naming a judgement area is a sub-heading inside the list instead).
LIST_END = re.compile(
    r"\s*(?:(?i:Summary for children)\b|Inspection findings|Information about this|"
    r"The experiences and progress|The Local Safeguarding|Areas for improvement|Priority |"
    r"Key strengths and weaknesses|Section 2:|The (?:local authority|LSCB)['\u2019]s strengths|Progress since the last|"
    r"What the inspection judgements mean|Summary of key findings|Inspection judgements? about)"
)
LIST_END_ANYWHERE = re.compile(r"(?m)^" + LIST_END.pattern)
SUBHEADING_LENGTH = 60
TITLE_LENGTH = 100
# An item that introduces points: "... monitoring of:", "... looked after by: (paragraph 150)".
INTRODUCES = re.compile(r":\s*(?:\([^)\n]*\))?$")


def is_sif(text: str) -> bool:
    return bool(MARKER.search(text[:5000])) or sif_board.is_review(text)


def extract(doc: Document) -> Extraction:
    text = doc.text
    framework = load_reference().framework("sif")
    review = sif_board.is_review(text)
    again = None if review else REINSPECTION.search(text, 0, 1000)
    kind = "lscb-review" if review else "sif-reinspection" if again else "single-inspection"
    marker = again or (sif_board.REVIEW_TITLE if review else MARKER).search(text)
    if marker is None:  # (is_sif found it)
        raise DocumentError(doc.path, "has no title of a Single Inspection Framework report")
    out, ref = report_inspection(
        doc,
        template="a Single Inspection Framework report",
        marker=marker,
        framework="sif",
        inspection_type=kind,
        dates=DATES,
        published=PUBLISHED,
        lead=LEAD,
    )
    judgements = _judgements(text, ref, framework, out.notes, review)
    out.facts += judgements
    first_list = RECOMMENDATIONS.search(text)
    # The head: the judgement table, and under it (2014) the board's judgement, before the board's part.
    head_end = max((j.grade.spans[-1].end for j in judgements if j.area.value != sif_board.AREA), default=0)
    part = None if review else sif_board.part(text, head_end)
    board = next((j for j in judgements if j.area.value == sif_board.AREA), None)
    if part and board and part.start == board.area.spans[0].start and first_list and part.end < first_list.start():
        head_end = board.grade.spans[-1].end  # the board's judgement is stated in the head, before any list
        part = sif_board.part(text, head_end)
    recommendations = _recommendations(text, ref, 0 if review else part.start if part else None, out.notes)
    out.facts += recommendations
    # A review on its own has its judgement, the heading of its findings, before its recommendations; and
    # findings are never read from the judgement table (its rows are numbered as paragraphs are).
    council_list = first_list if first_list and (part is None or first_list.start() < part.start) else None
    after = max(council_list.start() if council_list and not review else 0, head_end)
    judged = {a.notation for j in judgements if (a := framework.area(j.area.value)) is not None}
    taken = [r.text.spans[0] for r in recommendations]
    found, notes = findings(text, ref, framework, after, taken, judged, part)
    out.facts += found
    out.notes += notes
    if not judgements:
        raise DocumentError(doc.path, "looks like a Single Inspection Framework report, but no judgements were found")
    return out


def _judgements(
    text: str, ref: InspectionRef, framework: Framework, notes: list[str], review: bool
) -> list[JudgementFact]:
    out = []
    overall = None if review else OVERALL.search(text)
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
                out += _table(text, table.start(), ref, framework, notes)
    if board := sif_board.judgement(text, ref, overall.end() if overall else 0):
        out.append(board)
    return out


def _table(text: str, start: int, ref: InspectionRef, framework: Framework, notes: list[str]) -> list[JudgementFact]:
    """Numbered rows '2.1 Adoption performance Good', a row possibly broken over lines.

    Rows 'Not judged' are passed over (with a note), and so is the footnote where a page ends in the table.
    """
    out = []
    pos = start
    for grade in grade_pattern().finditer(text, start):
        line_end = text.find("\n", grade.end())
        if text[grade.end() : len(text) if line_end < 0 else line_end].strip():
            break
        rows = list(ROW.finditer(text, pos, grade.start()))
        if not rows or not _passable(text, pos, rows[-1].start(), notes):
            break
        area = trim(text, rows[-1].end(), grade.start())
        phrase = area.quote(text)
        if "." in phrase or framework.area(phrase, stretch=TABLE_STRETCH) is None:
            break
        out.append(
            JudgementFact(ref, Quoted(squash(phrase), (area,)), Quoted.at(grade.group(0), grade.start(), grade.end()))
        )
        pos = grade.end()
    return out


def _passable(text: str, start: int, end: int, notes: list[str]) -> bool:
    """Whether text[start:end], between two graded rows, holds only rows not judged and a page's footnote."""
    pos = start
    while skipped := NOT_JUDGED.match(text, pos, end):
        notes.append(f"'{squash(skipped.group('area'))}' was not judged")
        pos = skipped.end()
    gap = text[pos:end]
    return not gap.strip() or (len(gap) < TABLE_GAP and FOOTNOTE.match(gap) is not None and not ROW.search(gap))


def _recommendations(
    text: str, ref: InspectionRef, board_part: int | None, notes: list[str]
) -> list[RecommendationFact]:
    """The numbered items under each list heading: first to the council, then (in its review) the board's.

    2013-14 reports give two lists to each (priority and immediate action, areas for
    improvement), sometimes under sub-headings naming judgement areas; the items are
    numbered on across both, as they are here. From board_part (0 in a review of the board on its own),
    the lists are the board's.
    """
    out = []
    numbered = {"council": 0, "board": 0}
    seen = set()  # a list under two headings ("What does ... improve?", "Areas for improvement") is read once
    for heading in RECOMMENDATIONS.finditer(text):
        addressee = "board" if board_part is not None and heading.start() > board_part else "council"
        part_start = board_part if board_part is not None and addressee == "board" else 0
        # A part's findings come after its lists: a list heading after them is out of place in the PDF's text.
        if FINDINGS_HEADING.search(text, part_start, heading.start()):
            notes.append(f"a list heading at {heading.start()} comes among the {addressee}'s findings: not read")
            continue
        for item in _items(text, heading.end()):
            glyphs = [Span(m.start(), m.end()) for m in GLYPH.finditer(text, item.start, item.end)]
            spans = split_spans(text, item, glyphs)  # an item's points, without their bullets
            if spans and spans[0].start not in seen and not NONE_FOUND.match(text, spans[0].start):
                seen.add(spans[0].start)
                numbered[addressee] += 1
                out.append(RecommendationFact(ref, addressee, numbered[addressee], quoted_text(text, spans)))
    return out


def _items(text: str, start: int) -> list[Span]:
    """The numbered items from start to the next heading, each running over its continuation lines.

    A short line after a finished item (or the heading) and before a numbered one is a
    sub-heading ("Help and protection", "Scrutiny and challenge") inside the list. Before the
    first item, a few lines ending in a full stop or colon introduce the list. Bulleted lines after
    a numbered item that ends in a colon are its points; after a numbered title ("1. Quality and
    effectiveness of practice") they are the items, under that sub-heading.
    """
    lines = [m for m in LINE.finditer(text, start + 1, _list_reach(text, start)) if m.group(0).strip()]
    items: list[Span] = []
    current: Span | None = None
    points = False  # whether bulleted lines are points of the current item
    lead_in = _lead_in(lines)
    for i, line in enumerate(lines[lead_in:], start=lead_in):
        body = line.group(0)
        item = ITEM.match(body)
        bullet = item if item is not None and not item.group(1) else None
        if bullet and current is not None and (points or INTRODUCES.search(_said(text, current))):
            current, points = Span(current.start, line.end()), True
        elif bullet and current is not None and _is_title(_said(text, current)):
            current, points = Span(line.start() + bullet.end(), line.end()), False  # the title is no item
        elif item:
            if current:
                items.append(current)
            current, points = Span(line.start() + item.end(), line.end()), False
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


def _said(text: str, span: Span) -> str:
    return text[span.start : span.end].strip()


def _is_title(said: str) -> bool:
    return len(said) < TITLE_LENGTH and "\n" not in said and not said.endswith((".", ";", ":", ","))


def _lead_in(lines: list[re.Match[str]]) -> int:
    """How many lines before the first item introduce the list (0 where none do)."""
    for n, line in enumerate(lines[: LEAD_IN_LINES + 1]):
        if ITEM.match(line.group(0)):
            return n if n and lines[n - 1].group(0).rstrip().endswith((".", ":")) else 0
    return 0


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
