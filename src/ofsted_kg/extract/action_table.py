"""Action plans printed as fixed-width column tables, read by the columns' character positions.

Text converted with its layout kept prints a table's columns side by side: each cell's text is
wrapped over several lines, and each line holds a piece of every cell of the row, so no cell is a
run of the text. The header line names the columns; where each heading starts is where its column
starts, whatever widths a council gives them:

    Recommendation    Action                  Milestone             Timescale    Lead Officer
    1. Managers'      Introduce a practice    All team managers     31 October   Jane Smith,
    oversight of      standards framework     trained               2018         Head of Service

Each word of a line belongs to the column it starts in (a word set off by two spaces or more may
start a little before its column's heading). A cell is the pieces of its column, one span for each
line. A row ends at a blank line (or a page break) followed by a new action, or where a line starts
a new recommendation's number or a new action's number ('1b'). The table ends at a line of prose
running across the columns.

A table whose columns are ruled with pipes ('| Rec | Action | ... |') is read by its rules instead:
a row runs until it has as many cells as the header, over a line break inside a cell if need be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_kg.extract.action_cells import LABEL, REC_NUMBER, Row, capitals_heading, heading_kind, is_heading_set
from ofsted_kg.text import Span, lines, trim

# Runs of a line's words set off by two spaces or more: the cells of a header or body line.
_RUN = re.compile(r"\S+(?: \S+)*")
_WORD = re.compile(r"\S+")
# How far a word set off from the one before may start before its column's heading.
SLACK = 2
# A rule under a header row ('-----', '=====', '───').
RULE = re.compile(r"^[ \t]*[-=_\u2500\u2501]{3,}[-=_\u2500\u2501 \t]*$")
# A page's running footer, or its number alone.
FOOTER = re.compile(
    r"(?i)\bpage\s+\d+(?:\s+of\s+\d+)?\s*$|^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$"
    # (a government protective marking, printed on every page of many councils' papers)
    r"|^\s*(?-i:OFFICIAL)(?:[-\s](?-i:SENSITIVE))?\s*$"
)


@dataclass(frozen=True)
class Column:
    kind: str
    start: int  # the character position of its heading in the line


def header(text: str, start: int, end: int) -> tuple[Span, list[Column]] | None:
    """The first line of text[start:end] that heads a fixed-width action plan, and its columns."""
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        columns = _columns(text[pos:stop])
        if columns:
            return Span(pos, stop), columns
        pos = stop + 1
    return None


def _columns(line: str) -> list[Column] | None:
    runs = list(_RUN.finditer(line))
    kinds = [heading_kind(m.group()) for m in runs]
    if len(runs) < 3 or not is_heading_set(kinds):
        return None
    return [Column(kind, m.start()) for kind, m in zip(kinds, runs, strict=True)]


def read(text: str, span: Span) -> list[Row]:
    """The rows of the fixed-width tables that start in span (a plan may print one table per area, each
    under its own heading), or none if span holds none."""
    rows: list[Row] = []
    pos = span.start
    while (found := header(text, pos, span.end)) is not None:
        pos = _read_table(text, found, span.end, rows)
    return [row for row in rows if row.get("action")]


def _read_table(text: str, found: tuple[Span, list[Column]], end: int, rows: list[Row]) -> int:
    """Read one table's rows into rows, up to the first line of prose after it; where it stopped."""
    head, columns = found
    broken = True  # after a blank line, a page break or the header
    pos = head.end + 1
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        line, start, pos = text[pos:stop], pos, stop + 1
        if _columns(line) and start != head.start:
            if [c.kind for c in _columns(line) or []] != [c.kind for c in columns]:
                return start  # another table's header: read it with its own columns
        if not line.strip() or FOOTER.search(line) or _columns(line) or RULE.match(line):
            broken = True
            continue
        if _is_prose(line, columns):
            return start
        cells = _cells(text, start, line, columns)
        if not rows or _opens_row(text, cells, broken):
            rows.append({})
        for kind, piece in cells.items():
            rows[-1].setdefault(kind, []).append(piece)
        broken = False
    return end


def _cells(text: str, start: int, line: str, columns: list[Column]) -> dict[str, Span]:
    """The pieces of a line in each column: its words, each in the column it starts in."""
    pieces: dict[str, Span] = {}
    previous_end = 0
    for m in _WORD.finditer(line):
        slack = SLACK if m.start() - previous_end >= 2 or previous_end == 0 else 0
        column = next((c for c in reversed(columns) if c.start - slack <= m.start()), columns[0])
        piece = pieces.get(column.kind)
        pieces[column.kind] = Span(piece.start if piece else start + m.start(), start + m.end())
        previous_end = m.end()
    return pieces


def _opens_row(text: str, cells: dict[str, Span], broken: bool) -> bool:
    """Whether a line starts a new row: a new recommendation's number or action's number, or, after a
    blank line or a page break, an action starting with a capital letter."""
    rec, action, label = cells.get("rec"), cells.get("action"), cells.get("label")
    if label is not None and LABEL.match(label.quote(text) + " "):
        return True
    if rec is not None and REC_NUMBER.match(rec.quote(text)):
        return True
    if action is not None and LABEL.match(action.quote(text) + " "):
        return True
    return broken and action is not None and not action.quote(text)[:1].islower()


def _is_prose(line: str, columns: list[Column]) -> bool:
    """A line that runs across two column starts or more without a gap, or a heading in capitals ('IMPROVEMENT
    AREA (iv): PATHWAY PLANNING'): not a row of the table."""
    starts = [c.start for c in columns[1:]]
    if capitals_heading(line):
        return True
    return any(sum(m.start() < s < m.end() for s in starts) >= 2 for m in _RUN.finditer(line))


def piped_header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first line of text[start:end] that heads an action plan ruled with pipes, and its columns' kinds."""
    for line in lines(text, start, end):
        value = line.quote(text)
        if value.startswith("|") and value.endswith("|"):
            kinds = [heading_kind(cell) for cell in value.strip("|").split("|")]
            if is_heading_set(kinds):
                return line, kinds
    return None


def read_piped(text: str, span: Span) -> list[Row]:
    """The rows of the pipe-ruled table that starts in span: each cell one span for each of its lines.

    A row broken over lines inside a cell may have a pipe before the break as well as after it
    ('| Jane Smith, Head of |' / 'Service | Green |'): one cell more than the header has, of which the
    piece after the break goes back into the cell before it."""
    found = piped_header(text, span.start, span.end)
    if found is None:
        return []
    head, kinds = found
    rows: list[Row] = []
    cells: list[list[Span]] | None = None
    broken: list[int] = []  # the cells opened by a line that goes on with a row, its last line ending on a pipe
    resume = head.end  # (after a page break, the header printed again)
    for line in lines(text, head.end, span.end):
        value = line.quote(text)
        if line.start < resume:
            continue
        if cells is None:
            if not value.startswith("|"):
                again = piped_header(text, line.start, min(span.end, line.end + 300))
                between = lines(text, line.start, again[0].start) if again else []
                if again and again[1] == kinds and all(FOOTER.search(b.quote(text)) for b in between):
                    resume = again[0].end  # a page's footer, then the header again: the table goes on
                    continue
                break
            if re.fullmatch(r"[|:\-\s]+", value):
                continue  # the rule under the header
            cells, broken, at = [[]], [], line.start + 1
        else:
            at = line.start
            broken.append(len(cells))
            cells.append([])
        for n, piece in enumerate(text[at : line.end].split("|")):
            if n > 0:
                cells.append([])
            piece_span = trim(text, at, at + len(piece))
            if piece_span.end > piece_span.start:
                cells[-1].append(piece_span)
            at += len(piece) + 1
        if value.endswith("|"):
            cells.pop()  # the empty piece after the last pipe
            if len(cells) >= len(kinds):
                for b in broken if len(cells) > len(kinds) else ():
                    cells[b - 1] += cells[b]
                    cells[b] = []
                cells = [c for i, c in enumerate(cells) if i not in broken or len(cells) == len(kinds)]
                row = {kind: cell for kind, cell in zip(kinds, cells, strict=False) if cell}
                # A row of its own with no number goes on with the row above (a cell wrapped onto it), where it
                # gives no rating (or, in a plan without ratings, no date) of its own: a merged number cell over
                # a second action leaves its rating.
                own = "rag" if "rag" in kinds else "timescale"
                if "label" in kinds and not row.get("label") and not row.get(own) and rows and rows[-1].get("label"):
                    for kind, cell in row.items():
                        rows[-1].setdefault(kind, []).extend(cell)
                else:
                    rows.append(row)
                cells = None
    return [r for r in rows if r.get("action")]


def tabbed_header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first line of text[start:end] that heads an action plan whose cells are kept apart by tabs (a
    table copied as text), and its columns' kinds."""
    for line in lines(text, start, end):
        value = line.quote(text)
        if "\t" in value:
            kinds = [heading_kind(cell) for cell in value.split("\t")]
            if is_heading_set(kinds):
                return line, kinds
    return None


def read_tabbed(text: str, span: Span) -> list[Row]:
    """The rows of the tab-separated table that starts in span: a line each, its cells between tabs (an
    empty cell where a merged one above it stands); the table ends at the first line of text without tabs
    that is not a page's furniture."""
    rows: list[Row] = []
    pos = span.start
    # (a plan may print one table per recommendation, each under its own heading)
    while (found := tabbed_header(text, pos, span.end)) is not None:
        pos = _read_tabbed_table(text, found, span.end, rows)
    return [row for row in rows if row.get("action")]


def _read_tabbed_table(text: str, found: tuple[Span, list[str]], end: int, rows: list[Row]) -> int:
    """Read one tab-separated table's rows into rows, up to the first line of text without tabs; where it
    stopped."""
    head, kinds = found
    shortfall = 0  # how many cells the last line read stopped short of the header's
    pos = head.end + 1
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        line, start, pos = text[pos:stop], pos, stop + 1
        if not line.strip() or FOOTER.search(line) or line.strip() == line.strip().upper():
            continue  # blank, a page number, or a page's running heading in capitals ('OFFICIAL')
        if "\t" not in line:
            return start
        pieces = line.split("\t")
        # A line of fewer cells than the header after one that stopped short goes on with that row: its
        # first piece ends the cell the line before broke off in ('Audit all meetings and report' / 'the
        # findings to the board<TAB>Head of Safeguarding<TAB>...').
        goes_on = bool(rows) and len(pieces) < len(kinds) and shortfall > 0
        first = len(kinds) - shortfall - 1 if goes_on else 0
        row: Row = rows[-1] if goes_on else {}
        at = start
        for kind, piece in zip(kinds[first:], pieces, strict=False):
            cell = trim(text, at, at + len(piece))
            if cell.end > cell.start:
                row.setdefault(kind, []).append(cell)
            at += len(piece) + 1
        shortfall = len(kinds) - first - len(pieces)
        if not goes_on:
            rows.append(row)
    return end
