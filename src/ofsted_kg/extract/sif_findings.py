"""The findings of a Single Inspection Framework report: the numbered paragraphs under each judgement's heading."""

from __future__ import annotations

import re

from ofsted_kg.extract.common import grade_pattern, quoted_text, split_spans
from ofsted_kg.facts import FindingFact, InspectionRef
from ofsted_kg.reference import Framework
from ofsted_kg.text import GLYPH_CLASS, Quoted, Span, squash, trim

# A section's heading: the judgement area, then (on its line or the next) its grade, perhaps after a
# verb: "Leadership, management and governance are good", "The experiences and progress of children
# who need help and protection\nRequires improvement".
HEADING_VERB = re.compile(r"\s+(?:is|are|requires?)$|^The\s+effectiveness\s+of\s+|\s*\(LSCB\)", re.IGNORECASE)
HEADING_LINES = 4
GRADED = re.compile(
    r"The graded judge?ment (?:for|about) (?:the )?(?P<area>.+?)(?: is that (?:it|they))?(?: is| are| requires?)?$",
    re.IGNORECASE,
)
# A paragraph's number; "89." may stand alone on its line, its paragraph lost from the PDF.
NUMBERED = re.compile(r"(?m)^[ \t]*(\d{1,3})\.(?:[ \t]+|(?=[A-Z])|[ \t]*$)")
# The first reports (late 2013) give their findings as bulleted paragraphs, unnumbered.
BULLETED = re.compile(rf"(?m)^[ \t]*{GLYPH_CLASS}[ \t]*")
# Where the last section's findings end: "Information about this inspection", "... about the local authority
# inspection", "... about this review", "What the (local authority) inspection judgements mean"; not the
# line of a contents page, which ends in a page number.
FINDINGS_END = re.compile(
    r"(?m)^\s*(?:Information about (?:this|the)(?: local authority| LSCB)? (?:inspection|review)|"
    r"What the (?:local authority |LSCB )?inspection judge?ments mean)\b[^\n\d]*$"
)
BOARD = "Local Safeguarding Children Board"
# "Inspection findings" (a line of the contents ends in its page number instead).
FINDINGS_HEADING = re.compile(r"(?m)^[ \t]*Inspection findings\b[^\n]*?(?<![\d\s])[ \t]*$")
# "The inspection did not find any areas for priority ...", "There are no areas of priority action."
NONE_FOUND = re.compile(r"The\s+inspection\s+did\s+not\s+find\s+any|There\s+are\s+no\s+areas\b", re.IGNORECASE)


def findings(
    text: str,
    ref: InspectionRef,
    framework: Framework,
    start: int,
    taken: list[Span],
    judged: set[str],
    board: Span | None = None,
) -> tuple[list[FindingFact], list[str]]:
    """The numbered paragraphs under each judgement's heading from start, those of the board's review as the
    board's, with notes.

    Paragraphs are numbered on through the whole report; recommendations among them are not findings.
    A finding is tied to its judgement only where that judgement was read (notation in `judged`). `board`
    is the heading of the board's part: where no graded heading of the board is found, the part still
    ends the section before it, and its paragraphs are the board's.
    """
    heads = _section_heads(text, framework, start)
    if board is not None and board.start >= start and not any(key == "sif-lscb" for _, key, _ in heads):
        heads.append((Quoted(BOARD, (board,)), "sif-lscb", board.end))
        heads.sort(key=lambda head: head[2])
    starts = {span.start for span in taken}
    out, notes = [], []
    seen: dict[str, int | None] = {}
    for i, (area, area_key, head_end) in enumerate(heads):
        next_head = heads[i + 1][0].spans[0].start if i + 1 < len(heads) else len(text)
        last = FINDINGS_END.search(text, head_end, next_head)
        stop = last.start() if last else next_head
        # From 2015 a section's findings follow its own "Inspection findings" heading (its summary and
        # recommendations come before).
        if own := FINDINGS_HEADING.search(text, head_end, stop):
            head_end = own.end()
        paragraphs: list[tuple[int | None, int, int]] = []
        expected: int | None = None
        for m in NUMBERED.finditer(text[head_end:stop]):
            n = int(m.group(1))
            if expected is None or n in (expected, expected + 1):  # a number may be missing
                paragraphs.append((n, head_end + m.start(), head_end + m.end()))
                expected = n + 1
        if not paragraphs and text[area.spans[0].start].isupper():  # a heading, not a sentence's end
            paragraphs = [(None, m.start(), m.end()) for m in BULLETED.finditer(text, head_end, stop)]
        addressee = "board" if area_key == "sif-lscb" else "council"
        if paragraphs and area_key not in judged:
            notes.append(f"findings under '{area.value}' are not tied to a judgement: none was read for it")
        for j, (number, _, body_start) in enumerate(paragraphs):
            body_end = paragraphs[j + 1][1] if j + 1 < len(paragraphs) else stop
            if any(body_start <= s < body_end for s in starts) or NONE_FOUND.match(text, body_start):
                continue  # a recommendation, or the note that there are none
            spans = split_spans(text, Span(body_start, body_end), [])
            quoted = quoted_text(text, spans) if spans else None
            if quoted is None:
                continue
            # A paragraph repeated word for word under another heading is one finding (of the first).
            if (first := seen.setdefault(quoted.value, number)) != number:
                notes.append(f"finding {number} repeats finding {first} word for word: read once")
                continue
            out.append(
                FindingFact(ref, quoted, area=area if area_key in judged else None, number=number, addressee=addressee)
            )
    return out, notes


def _section_heads(text: str, framework: Framework, start: int) -> list[tuple[Quoted[str], str, int]]:
    """(area as quoted, its notation, where the section's text starts) for each judgement heading."""
    heads: list[tuple[Quoted[str], str, int]] = []
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
            phrase = HEADING_VERB.sub("", squash(cell.quote(text)))
            area = framework.named_exactly(phrase)
            if cell.end > cell.start and area is not None:
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
