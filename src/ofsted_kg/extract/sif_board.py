"""The review of the Local Safeguarding Children Board in a Single Inspection Framework report.

The board's judgement is printed in one of several wordings, under the report's head
(2014) or at the start of the board's own part (2015-17), or in a review published
on its own:
  "The effectiveness of the Local Safeguarding Children Board (LSCB) is\\ngood."
  "The effectiveness of the LSCB requires improvement"
  "The judgement for the effectiveness of the Local Safeguarding Children\\nBoard (LSCB) is requires improvement."
  "The Local Safeguarding Children Board requires improvement."
  "The LSCB is inadequate because:"
"""

from __future__ import annotations

import re

from ofsted_kg.extract.common import grade_pattern
from ofsted_kg.facts import InspectionRef, JudgementFact
from ofsted_kg.text import Quoted, Span, squash, trim

AREA = "Local Safeguarding Children Board"
JUDGEMENT = re.compile(
    r"(?m)^[ \t]*The\s+(?:judgement\s+for\s+the\s+)?(?:effectiveness\s+of\s+the\s+)?"
    r"(?:Local\s+Safeguarding\s+Children\s+Board(?:\s+\(LSCB\))?|LSCB)\s+(?:is\s+)?"
)
# What may follow the grade on its line: nothing, a full stop, or "because:" opening the list of reasons.
AFTER_GRADE = re.compile(r"[ \t]*(?:\.|because:?)?[ \t]*(?:\n|$)")
# Where the board's part of a report starts (its recommendations are the board's).
# Its heading ("The Local Safeguarding Children Board (LSCB)" on its own line, "Section 2: The effectiveness
# ..."), else the board's judgement opening it; not a paragraph that starts with the board's name, nor a line
# of the contents (which ends in a page number).
PART = re.compile(
    r"(?m)^[ \t]*Section\s+2:\s+[Tt]he\s+effectiveness\b(?=[^\n]*?(?<![\d\s])[ \t]*$)|"
    r"^[ \t]*The\s+Local\s+Safeguarding\s+Children\s+Board(?:\s+\(LSCB\))?[ \t]*$"
)
# A review of the board published on its own (2015), without the local authority's inspection.
REVIEW_TITLE = re.compile(
    r"(?m)^\s*Review\s+of\s+the\s+effectiveness\s+of\s+the\s+Local\s+Safeguarding\s+Children\s*\n?\s*Board\s*$",
    re.IGNORECASE,
)


def is_review(text: str) -> bool:
    """A review of the board on its own: its title near the top, and no inspection of the council."""
    head = text[:600]
    return bool(REVIEW_TITLE.search(head)) and "children in need of help" not in squash(head)


def judgement(text: str, ref: InspectionRef, start: int = 0) -> JudgementFact | None:
    """The board's judgement: the first of its wordings after start whose grade ends the sentence."""
    found = _stated(text, start)
    if found is None:
        return None
    board, grade = found
    area = trim(text, board.start(), board.end())
    return JudgementFact(
        ref, Quoted.at(AREA, area.start, area.end), Quoted.at(grade.group(0), grade.start(), grade.end())
    )


def _stated(text: str, start: int) -> tuple[re.Match[str], re.Match[str]] | None:
    for board in JUDGEMENT.finditer(text, start):
        grade = grade_pattern().match(text, board.end())
        if grade and AFTER_GRADE.match(text, grade.end()):
            return board, grade
    return None


def part(text: str, after: int) -> Span | None:
    """The heading of the board's part of the report, if it has one (looked for after the report's head)."""
    stated = _stated(text, after)
    found = [m for m in (PART.search(text, after), stated[0] if stated else None) if m is not None]
    first = min(found, key=lambda m: m.start(), default=None)
    return trim(text, first.start(), first.end()) if first else None
