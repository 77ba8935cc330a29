"""Action plans written as labelled blocks rather than tables: each action on a line of its own after its
number, then a line for each of its other cells, led by the cell's name.

    Action 1.1  Set up a monthly Performance and Quality Board, chaired by the
                Executive Director.
    Owner:      Dr Jane Smith, Executive Director of Children's Services
    By:         June 2024
    Progress:   The Board has met monthly since 12 June 2024.
    Status:     COMPLETE

The labels are the column headings of a table (action_cells.HEADINGS: 'Owner', 'Lead', 'By',
'Milestone', 'Progress', 'Status'); a line that goes on without a label, indented, continues the cell
above it. The action's number ('1.1', '2b') gives the recommendation it answers, as a table's 'Ref'
column does. A block is an action only where two of its cells at least are labelled so.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.action_cells import Row, heading_kind
from ofsted_kg.extract.action_table import FOOTER
from ofsted_kg.text import BULLET_CLASS, Span, blocks

# An action's line: its number ('Action 1.1', '1.1', '2b'), then its words.
ACTION_LINE = re.compile(r"^[ \t]*(?:Action[ \t]+)?(?P<label>\d{1,2}(?:\.\d{1,2}|[a-z]))[.:)]?[ \t]+(?P<words>\S.*)$")
# A cell's line: its label, a colon, its words.
CELL_LINE = re.compile(r"^[ \t]*(?P<name>[A-Za-z][A-Za-z /&]{0,30}?)[ \t]*:[ \t]*(?P<words>\S.*)?$")
CELL_KINDS = ("milestone", "timescale", "lead", "progress", "rag", "completed")


def header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first action of a labelled plan in text[start:end] (its line), and the kinds of its cells."""
    for row, first in _rows(text, start, end):
        return first, sorted(row)
    return None


def read(text: str, span: Span) -> list[Row]:
    """The actions of the labelled plan in span, each a row of cells as a table's reader gives them."""
    return [row for row, _ in _rows(text, span.start, span.end)]


def _rows(text: str, start: int, end: int) -> list[tuple[Row, Span]]:
    out: list[tuple[Row, Span]] = []
    row: Row | None = None
    first = Span(start, start)
    current = ""

    def close() -> None:
        if row is not None and _labelled(row):
            out.append((row, first))

    for m in re.finditer(r"[^\n]*", text[start:end]):
        words, at = m.group(), start + m.start()
        if not words.strip() or FOOTER.search(words):
            continue
        action = ACTION_LINE.match(words)
        cell = CELL_LINE.match(words)
        kind = heading_kind(cell.group("name")) if cell else None
        if action and kind is None:
            close()
            row = {
                "label": [Span(at + action.start("label"), at + action.end("label"))],
                "action": [_trimmed(text, at + action.start("words"), at + action.end("words"))],
            }
            first, current = Span(at, at + len(words)), "action"
        elif row is not None and cell and kind in CELL_KINDS and cell.group("words"):
            row.setdefault(kind, []).append(_trimmed(text, at + cell.start("words"), at + cell.end("words")))
            current = kind
        elif row is not None and current and words[:1] in (" ", "\t") and not cell:
            row[current].append(_trimmed(text, at, at + len(words)))  # an indented line goes on with the cell
        else:
            close()
            row, current = None, ""
    close()
    return out


def _trimmed(text: str, start: int, end: int) -> Span:
    piece = text[start:end]
    return Span(start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip())))


def _labelled(row: Row) -> bool:
    return sum(kind in row for kind in CELL_KINDS) >= 2


# A plan written as a section per area (or priority, or recommendation), each under its number and title,
# its cells headed by lines of their own ('What we said we would do' / 'What we have done') or labelled
# ('Lead:', 'Due:', 'Rating:'):
#
#     Area 1 - Leadership stability and capacity
#
#     What we said we would do
#     Appoint a permanent senior leadership team ...
#
#     Lead: Director of Children's Services - Jane Smith
#     Due: 31st December 2025
AREA_LINE = re.compile(
    r"^[ \t]*(?:Area|Priority|Recommendation|Improvement\s+area)[ \t]+(?P<number>\d{1,2})[ \t]*[-\u2013\u2014:.][ \t]*\S"
)
SECTION_KINDS = ("action", "milestone", "progress")


def areas_header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first section of a plan written a section per area in text[start:end], and the kinds of its cells."""
    for row, first in _area_rows(text, start, end):
        return first, sorted(row)
    return None


def read_areas(text: str, span: Span) -> list[Row]:
    """The actions of a plan written a section per area, each a row of cells as a table's reader gives them."""
    return [row for row, _ in _area_rows(text, span.start, span.end)]


def _area_rows(text: str, start: int, end: int) -> list[tuple[Row, Span]]:
    out: list[tuple[Row, Span]] = []
    row: Row | None = None
    first = Span(start, start)
    current = ""

    def close() -> None:
        if row is not None and "action" in row and _labelled(row):
            out.append((row, first))

    for m in re.finditer(r"(?m)^[^\n]*$", text[start:end]):  # (each line once, a blank one too)
        words, at = m.group(), start + m.start()
        if FOOTER.search(words):
            continue
        if not words.strip():
            current = "" if current != "action" or row is None or row.get("action") else current
            continue
        area = AREA_LINE.match(words)
        cell = CELL_LINE.match(words)
        kind = heading_kind(cell.group("name")) if cell else None
        heading = heading_kind(words) if not cell else None
        if area:
            close()
            row = {"rec": [Span(at + area.start("number"), at + area.end("number"))]}
            first, current = Span(at, at + len(words)), ""
        elif row is not None and heading in SECTION_KINDS:
            current = heading  # a cell's heading, its words on the lines below
        elif row is not None and cell and kind in CELL_KINDS and cell.group("words"):
            row.setdefault(kind, []).append(_trimmed(text, at + cell.start("words"), at + cell.end("words")))
            current = ""
        elif row is not None and current:
            row.setdefault(current, []).append(_trimmed(text, at, at + len(words)))
        elif row is not None and cell is None and not current and "action" in row:
            close()
            row = None
    close()
    return out


# A plan written as paragraphs, each an action with its other cells run in after it, each led by its name:
#
#     4.3   Action: Bring the average caseload down to 20 children (area for improvement 1). Lead: Jane
#           Smith, Head of Workforce. By: March 2025. Progress: Complete. The average caseload ...
INLINE_ACTION = re.compile(r"^[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)]?[ \t]+)?Action[ \t]*:[ \t]*")
# A cell's name run in after a sentence ('. Lead:', '. By:'), a heading's words before a colon.
INLINE_CELL = re.compile(r"(?<=[.)])\s+(?P<name>[A-Z][A-Za-z /&]{0,30}?):\s+")
# The recommendation an action answers, named in brackets after it.
ANSWERS = re.compile(r"\((?:area\s+for\s+improvement|recommendation|AFI)\s+(?P<number>\d{1,2})\)", re.IGNORECASE)


def inline_header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first action of a plan written a paragraph per action in text[start:end], and its cells' kinds."""
    for row, first in _inline_rows(text, start, end):
        return first, sorted(row)
    return None


def read_inline(text: str, span: Span) -> list[Row]:
    """The actions of a plan written a paragraph per action, each a row of cells as a table's reader gives."""
    return [row for row, _ in _inline_rows(text, span.start, span.end)]


def _inline_rows(text: str, start: int, end: int) -> list[tuple[Row, Span]]:
    out: list[tuple[Row, Span]] = []
    for block in blocks(text, start, end):
        words = block.quote(text)
        opening = INLINE_ACTION.match(words)
        if opening is None:
            continue
        cuts = [(m.start(), m.end(), heading_kind(m.group("name"))) for m in INLINE_CELL.finditer(words)]
        cuts = [c for c in cuts if c[2] in CELL_KINDS]
        row: Row = {}
        bounds = [(opening.end(), "action")] + [(b, kind) for _, b, kind in cuts if kind]
        ends = [a for a, _, _ in cuts] + [len(words)]
        for (begin, kind), finish in zip(bounds, ends, strict=True):
            cell = _trimmed(text, block.start + begin, block.start + finish)
            if kind in ("timescale", "lead") and text[cell.end - 1] == ".":
                cell = Span(cell.start, cell.end - 1)  # ('By: March 2025.': the full stop ends the sentence)
            row.setdefault(kind, []).append(cell)
        answers = ANSWERS.search(words, opening.end(), ends[0])
        if answers:
            row["rec"] = [Span(block.start + answers.start("number"), block.start + answers.end("number"))]
        if _labelled(row):
            out.append((row, Span(block.start, block.start + len(words))))
    return out


# A plan written as bullets under each recommendation's heading, each action ending with its lead and date
# in brackets:
#
#     Recommendation 2 - The quality of pathway plans
#       - Replace the pathway plan template with a shorter plan (Lead: Jane Smith, Service Manager; by
#         March 2025)
BULLET_ITEM = re.compile(rf"^[ \t]*{BULLET_CLASS}[ \t]+(?P<words>\S.*)$")
# The words that open the date in the bracket that ends such an action: '(Lead: <who>; by <when>)'.
_BY = re.compile(r"(?:by|due|target)\b:?\s*", re.IGNORECASE)


def _lead_bracket(text: str, whole: Span) -> tuple[Span, Span, Span] | None:
    """The bracket that ends an action's words ('(Lead: Jo Smith, Head of Service; by March 2025)'): where it
    opens, its lead and its date; None unless it is one. (Read with the string's own search, not one pattern
    over the bracket: a pattern's runs of spaces would compete on a long line.)"""
    words = text[whole.start : whole.end].rstrip().rstrip(".").rstrip()
    if not words.endswith(")"):
        return None
    opening = words.rfind("(")
    inside = words[opening + 1 : -1]
    label, colon, rest = inside.partition(":")
    lead, semicolon, when = rest.partition(";")
    by = _BY.match(when.lstrip())
    if opening < 0 or not colon or not semicolon or by is None or heading_kind(label) != "lead":
        return None
    at = whole.start + opening + 1 + len(label) + 1  # where the lead's words start
    lead_span = _trimmed(text, at, at + len(lead))
    when_at = at + len(lead) + 1 + (len(when) - len(when.lstrip())) + by.end()
    when_span = _trimmed(text, when_at, whole.start + len(words) - 1)
    if not lead_span.quote(text) or not when_span.quote(text):
        return None  # (an empty lead or date)
    return Span(whole.start + opening, whole.start + opening + 1), lead_span, when_span


def bulleted_header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first action of a plan of bullets under recommendations in text[start:end], and its cells' kinds."""
    for row, first in _bulleted_rows(text, start, end):
        return first, sorted(row)
    return None


def read_bulleted(text: str, span: Span) -> list[Row]:
    """The actions of a plan of bullets under recommendations, each a row of cells as a table's reader gives."""
    return [row for row, _ in _bulleted_rows(text, span.start, span.end)]


def _bulleted_rows(text: str, start: int, end: int) -> list[tuple[Row, Span]]:
    out: list[tuple[Row, Span]] = []
    number: Span | None = None
    heading = Span(start, start)  # the current recommendation's heading line, where its section starts
    items: list[Span] = []  # the current bullet's lines

    def close() -> None:
        if number is None or not items:
            return
        whole = Span(items[0].start, items[-1].end)
        bracket = _lead_bracket(text, whole)
        if bracket is None:
            return
        opening, lead, when = bracket
        action = _trimmed(text, whole.start, opening.start)
        row: Row = {
            "rec": [number],
            "action": [Span(s.start, min(s.end, action.end)) for s in items if s.start < action.end],
            "lead": [lead],
            "timescale": [when],
        }
        out.append((row, heading))

    for m in re.finditer(r"(?m)^[^\n]*$", text[start:end]):
        words, at = m.group(), start + m.start()
        area = AREA_LINE.match(words)
        bullet = BULLET_ITEM.match(words)
        if area:
            close()
            number, items = Span(at + area.start("number"), at + area.end("number")), []
            heading = Span(at, at + len(words))
        elif bullet and number is not None:
            close()
            items = [Span(at + bullet.start("words"), at + bullet.end("words"))]
        elif items and words[:1] in (" ", "\t") and words.strip():
            items.append(_trimmed(text, at, at + len(words)))  # an indented line goes on with the bullet
        elif items:
            close()
            items = []
    close()
    return out
