"""Action plans whose table came out one cell after another, each column's heading on a line of its own.

Some text conversions lose a table's columns altogether: the headings come out one to a line
(Recommendation / Action / Milestone / Timescale / Lead Officer / Progress), then each row's cells in
column order, each cell wrapped over lines of its own, with no blank line between cells or rows. A
cell that repeats the one above it (the recommendation of a second action) is left out, and a page
break repeats the headings, perhaps in the middle of a cell.

Nothing marks where one cell ends and the next starts, so the cells are found by their shapes:
  - a row ends with its RAG rating or completion mark ('GREEN', 'Complete'), where the plan has a
    progress, status or RAG column; otherwise a row starts at an action's number ('1a', '2.1');
  - a recommendation's cell starts with its number ('1. The timely ...');
  - a timescale is a run of lines of dates and their words ('September' / '2024', 'Quarterly from
    December 2024');
  - a lead officer's cell is of names and posts, every word capitalised ('Jane Smith, Head of' /
    'Service'), where a progress note is a sentence ('Panel has met' / 'weekly');
  - of two cells of prose side by side (an action and its milestone), the second starts at the last
    line that starts a sentence: a capital letter after a line that does not end mid-phrase.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.action_cells import (
    LABEL,
    RAG,
    RAG_SYMBOL,
    REC_NUMBER,
    Row,
    capitals_heading,
    heading_kind,
    is_heading_set,
)
from ofsted_kg.extract.action_table import FOOTER
from ofsted_kg.text import MONTH, YEAR, Span, lines

# An action's number on a line of its own ('P1.2', '1a').
LABEL_ALONE = re.compile(r"\(?[A-Z]?\d{1,2}(?:[a-z]|\.\d{1,2})\)?")
# A recommendation's cell opens with its number and a full stop or bracket: '1. The timely'.
REC_START = re.compile(r"^\d{1,2}[.)]\s+\S")
_SHORT_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
# The words a timescale is written in; one of them gives a date.
_DATED = rf"{MONTH}|{_SHORT_MONTH}|{YEAR}|Q[1-4]|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|ongoing|on-going"
_DATE_WORD = (
    rf"(?:{_DATED}|\d{{1,2}}(?:st|nd|rd|th)?|quarter(?:ly)?|monthly|weekly|fortnightly|termly|annually|yearly"
    r"|bi-?monthly|six-?monthly|from|to|by|end|of|and|then|thereafter|onwards?|until|within|before|mid|early|late|[-\u2013/&])"
)
DATE_LINE = re.compile(rf"(?i)^(?:{_DATE_WORD}[\s,.;]*)+$")
DATED = re.compile(rf"(?i)\b(?:{_DATED})\b")
# Words a line may end on in the middle of a phrase, so that the next line goes on with it.
DANGLING = {"a", "an", "the", "to", "of", "and", "or", "at", "in", "on", "by", "for", "with", "from", "as", "&"}
# Words a title-case line (a name or a post) may hold in lower case.
_CONNECTIVE = {"of", "and", "for", "the", "&", "in", "to", "with", "at", "-"}


def header(text: str, start: int, end: int) -> tuple[Span, list[str]] | None:
    """The first run of four lines or more in text[start:end], each the heading of an action plan's
    column, one after another: the run's span and the columns' kinds."""
    run: list[tuple[Span, str]] = []
    for line in lines(text, start, end) + [None]:
        kind = heading_kind(line.quote(text)) if line is not None else None
        if kind and line is not None and run and _adjacent(text, run[-1][0], line):
            run.append((line, kind))
            continue
        kinds = [k for _, k in run]
        if len(run) >= 4 and is_heading_set(kinds):
            return Span(run[0][0].start, run[-1][0].end), kinds
        run = [(line, kind)] if kind and line is not None else []
    return None


def _adjacent(text: str, a: Span, b: Span) -> bool:
    return text.count("\n", a.end, b.start) == 1


def read(text: str, span: Span) -> list[Row]:
    """The rows of the table whose headings start in span, or none if span holds none."""
    found = header(text, span.start, span.end)
    if found is None:
        return []
    head, kinds = found
    content = _content(text, head.end, span.end)
    # (a number on a line of its own: '2.5 FTE posts added' in a progress cell starts no row)
    labelled = [i for i, s in enumerate(content) if LABEL_ALONE.fullmatch(s.quote(text))] if "label" in kinds else []
    marks_end = kinds[-1] in ("progress", "rag", "completed")
    if labelled:  # each row starts at its action's number ('P1.2'), in its own column
        ranges = list(zip(labelled, labelled[1:] + [len(content)], strict=True))
    elif marks_end and any(_is_mark(text, s) for s in content):
        ends = [i + 1 for i, s in enumerate(content) if _is_mark(text, s)]
        ranges = list(zip([0] + ends[:-1], ends, strict=True))
    else:
        starts = [i for i, s in enumerate(content) if LABEL.match(s.quote(text)) or REC_START.match(s.quote(text))]
        ranges = list(zip(starts, starts[1:] + [len(content)], strict=True)) if starts else []
    rows = [_row(text, content[a:b], kinds) for a, b in ranges]
    return [row for row in rows if row.get("action")]


def _content(text: str, start: int, end: int) -> list[Span]:
    """The lines of the table, without page footers and the headings a page break repeats."""
    out: list[Span] = []
    skip_to = start
    for line in lines(text, start, end):
        if line.start < skip_to or _footer(text, line) or capitals_heading(line.quote(text)):
            continue
        repeated = header(text, line.start, min(end, line.start + 400))
        if repeated is not None and repeated[0].start == line.start:
            skip_to = repeated[0].end
            continue
        out.append(line)
    return out


def _footer(text: str, line: Span) -> bool:
    """A page's footer: 'Page 3 of 11', or a number on a line of its own with a blank line beside it (with
    none, in a table printed a cell to a line, it is a cell: the number of the recommendation a row answers)."""
    words = line.quote(text)
    if not FOOTER.search(words):
        return False
    if not re.fullmatch(r"\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*", words):
        return True
    before = text.rfind("\n", 0, text.rfind("\n", 0, line.start))
    after = text.find("\n", text.find("\n", line.end) + 1)
    return not text[before + 1 : line.start].strip("\n").strip() or not text[line.end : after].strip()


def _is_mark(text: str, line: Span) -> bool:
    return bool(RAG.fullmatch(RAG_SYMBOL.sub("", line.quote(text).strip())))


def _row(text: str, row_lines: list[Span], kinds: list[str]) -> Row:
    """A row's cells, from its lines in column order."""
    cells: Row = {}
    quotes = [s.quote(text) for s in row_lines]
    if len(row_lines) == len(kinds) and "label" in kinds:
        # one cell to a line, each in its column (a landscape table flattened a cell at a time)
        for kind, line in zip(kinds, row_lines, strict=True):
            cells.setdefault(kind, []).append(line)
        return cells
    i = 0
    if "rec" in kinds and quotes and REC_START.match(quotes[0]) and REC_NUMBER.match(quotes[0]):
        label = next((j for j, q in enumerate(quotes) if LABEL.match(q)), None)
        i = label if label is not None else (_starts(quotes, 1) or [len(quotes)])[0]
        cells["rec"] = row_lines[:i]
    free = [k for k in kinds if k != "rec"]
    body, mark = row_lines[i:], None
    if body and _is_mark(text, body[-1]):
        body, mark = body[:-1], body[-1]
    mark_kind = next((k for k in ("rag", "completed", "progress") if k in free), None)
    free = [k for k in free if k not in ("rag", "completed")]
    run = _timescale(text, body) if "timescale" in free else None
    if run is not None:
        t = free.index("timescale")
        cells.update(_split(text, body[: run[0]], free[:t]))
        cells["timescale"] = body[run[0] : run[1]]
        cells.update(_split(text, body[run[1] :], free[t + 1 :]))
    else:
        cells.update(_split(text, body, [k for k in free if k != "timescale"]))
    if mark is not None and mark_kind is not None:
        cells.setdefault(mark_kind, []).append(mark)
    return cells


def _starts(quotes: list[str], first: int) -> list[int]:
    """The lines from `first` on that start a sentence: a capital or a digit, after a line that does
    not end mid-phrase."""
    return [
        j
        for j in range(max(first, 1), len(quotes))
        if quotes[j][:1].isupper() or quotes[j][:1].isdigit()
        if quotes[j - 1].split()[-1].lower() not in DANGLING and not quotes[j - 1].endswith(("-", ","))
    ]


def _timescale(text: str, body: list[Span]) -> tuple[int, int] | None:
    """The first run of lines of dates after the row's first line, one of them a date's: [start, end)."""
    quotes = [s.quote(text) for s in body]
    j = 1
    while j < len(quotes):
        if DATE_LINE.match(quotes[j]) and quotes[j - 1].split()[-1].lower() not in DANGLING:
            k = j
            while k < len(quotes) and DATE_LINE.match(quotes[k]):
                k += 1
            if any(DATED.search(q) for q in quotes[j:k]):
                return j, k
            j = k
        j += 1
    return None


def _split(text: str, cell_lines: list[Span], kinds: list[str]) -> Row:
    """Lines of cells of prose side by side, shared among their columns' kinds in order."""
    if not kinds or not cell_lines:
        return {}
    if len(kinds) == 1:
        return {kinds[0]: cell_lines}
    quotes = [s.quote(text) for s in cell_lines]
    if kinds[0] == "lead":
        n = 0
        while n < len(quotes) and _title_case(quotes[n]) and not _runs_on(quotes, n):
            n += 1
        return (
            {"lead": cell_lines[:n], **_split(text, cell_lines[n:], kinds[1:])}
            if n
            else _split(text, cell_lines, kinds[1:])
        )
    cuts = _starts(quotes, 1)[-(len(kinds) - 1) :]
    bounds = [0] + cuts + [len(quotes)]
    return {kinds[n]: cell_lines[a:b] for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)) if b > a}


def _title_case(line: str) -> bool:
    """A line of a name or a post: every word capitalised but a few small ones ('Head of Access')."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTIVE for w in line.split())


def _runs_on(quotes: list[str], n: int) -> bool:
    """Whether line n opens a sentence that the next line goes on with in lower case: a progress note."""
    if n + 1 >= len(quotes) or quotes[n].endswith((",", ";")):
        return False
    return quotes[n + 1][:1].islower() and not _title_case(quotes[n + 1])
