"""Action plans laid out as tables whose columns arrive as broken runs of text.

A table with the columns Action, Milestones, Timescales, Lead Officers and
Progress, one row per recommendation, its Action cell ending with a marker
'(RECOMMENDATION n)'. Text conversion loses the columns: each cell comes out as
one or more blank-line separated blocks, in column order, and a cell may share
a line with its neighbours ('30 April 2017 Rachel Warrender', 'Alison Hinds All
staff have been briefed ...'). Page breaks repeat the header row and may split
a cell, whose tail then opens the next page in lower case.

Within a row (restarting at each page break) blocks are read in column order:
milestones until the first timescale or name, then timescales, lead officers
and progress notes, told apart by the shape of their first words.

Plans in other layouts are read by `action_table` (fixed-width columns) and
`action_stacked` (one cell after another); `extract_any` tries those first and
this module's reader last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ofsted_kg.extract import action_cells, action_labelled, action_stacked, action_table
from ofsted_kg.facts import ActionFact, InspectionRef, MilestoneFact, PersonFact
from ofsted_kg.text import DAY, MONTH, YEAR, PartialDate, Quoted, Span, blocks, lines, parse_date, squash, trim

TITLE = re.compile(r"(?im)^[^\n]*\baction\s+plan\b[^\n]*$")
PLAN_TITLE = re.compile(r"(?i)\bplan\b|\bappendix\b")
COLUMN_WORDS = ("action", "milestone", "timescale", "lead officer", "progress")
MARKER = re.compile(r"(?im)^\s*\(?\s*recommendation\s+(\d{1,2})\s*\)?\s*$")
COMPLETED = re.compile(r"(?i)\baction\s+completed\b|^\s*completed\s*$")

# Timescales: a date, or a frequency.
DATE_START = re.compile(rf"^(?:(?:{DAY})\s+)?{MONTH}(?:\s+{YEAR})?|^{YEAR}\b")
FREQUENCY = re.compile(
    r"^(?:Bi-?monthly|Six-?monthly|Quarterly|Monthly|Termly|Weekly|Fortnightly|Daily|Annually|Yearly|Ongoing|On-going)\b",
    re.IGNORECASE,
)
# A person's name: two capitalised words (a third only when it ends the line).
NAME = re.compile(r"^([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+(?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=\s|$)")
# Groups of post-holders, which lead actions but are not people.
ROLE = re.compile(
    r"^((?:All\s+)?(?:Heads?|Managers?|Directors?|Team\s+Managers?|Service\s+Managers?|Leads?)\s+of\s+[A-Z][a-z]+"
    r"|(?:All\s+)?[A-Z][a-z]+\s+(?:Managers|Leads|Officers|Teams))(?=\s|$)"
)
# Words a cell split by a page break may end on.
DANGLING = {
    "a",
    "an",
    "the",
    "to",
    "of",
    "and",
    "or",
    "at",
    "in",
    "on",
    "by",
    "for",
    "with",
    "where",
    "when",
    "being",
    "be",
    "is",
    "are",
    "has",
    "have",
    "that",
    "which",
    "from",
    "as",
    "this",
    "their",
    "its",
}


def find(text: str) -> Span | None:
    """Where the action plan table starts: its title line, before a header row naming its columns;
    else the header of a table in another layout (fixed-width or pipe-ruled columns, or cells one after
    another),
    from the title line just above it if there is one."""
    for m in TITLE.finditer(text):
        following = lines(text, m.end(), min(len(text), m.end() + 600))[:3]
        if any(_is_header(line.quote(text)) for line in following):
            return Span(m.start(), len(text))
    found = (
        action_table.header(text, 0, len(text)),
        action_table.piped_header(text, 0, len(text)),
        action_table.tabbed_header(text, 0, len(text)),
        action_stacked.header(text, 0, len(text)),
        action_labelled.header(text, 0, len(text)),
        action_labelled.areas_header(text, 0, len(text)),
        action_labelled.inline_header(text, 0, len(text)),
        action_labelled.bulleted_header(text, 0, len(text)),
    )
    heads = [h[0] for h in found if h]
    if not heads:
        return None
    head = min(heads)
    above = lines(text, max(0, head.start - 600), head.start)[-4:]
    title = next((line for line in above if PLAN_TITLE.search(line.quote(text))), None)
    return Span(title.start if title else head.start, len(text))


def extract_any(text: str, appendix: Span, ref: InspectionRef) -> list[ActionFact | PersonFact]:
    """The actions of the plan at appendix, in whichever layout its table is: fixed-width columns, columns
    ruled with pipes or kept apart by tabs, cells one after another under a heading each, labelled blocks,
    a section per area, a paragraph per action, bullets under each recommendation, or else blocks with
    a '(RECOMMENDATION n)' marker."""
    readers = (
        action_table.read,
        action_table.read_piped,
        action_table.read_tabbed,
        action_stacked.read,
        action_labelled.read,
        action_labelled.read_areas,
        action_labelled.read_inline,
        action_labelled.read_bulleted,
    )
    for reader in readers:
        rows = reader(text, appendix)
        if rows:
            return action_cells.facts(text, rows, ref)
    return [*extract(text, appendix, ref)]


def _is_header(line: str) -> bool:
    folded = line.lower()
    return sum(word in folded for word in COLUMN_WORDS) >= 4 and len(folded) < 120


@dataclass
class _Row:
    milestones: list[list[Span]] = field(default_factory=list)
    timescales: list[list[Span]] = field(default_factory=list)
    leads: list[Span] = field(default_factory=list)
    roles: list[Span] = field(default_factory=list)
    progress: list[list[Span]] = field(default_factory=list)
    completed: Span | None = None


def _pieces(text: str, span: Span) -> list[tuple[str, Span]]:
    """The blocks of the appendix, page header rows turned into ('page', span) markers."""
    out: list[tuple[str, Span]] = []
    for block in blocks(text, span.start, span.end):
        run_start = None
        for line in lines(text, block.start, block.end):
            if _is_header(line.quote(text)):
                if run_start is not None:
                    out.append(("block", trim(text, run_start, line.start)))
                out.append(("page", line))
                run_start = None
            elif run_start is None:
                run_start = line.start
        if run_start is not None:
            out.append(("block", trim(text, run_start, block.end)))
    return out


def extract(text: str, appendix: Span, ref: InspectionRef) -> list[ActionFact]:
    pieces = _pieces(text, appendix)
    found = [
        (i, m) for i, (kind, span) in enumerate(pieces) if kind == "block" and (m := MARKER.fullmatch(span.quote(text)))
    ]
    markers = [i for i, _ in found]
    out = []
    for n, (i, marker) in enumerate(found):
        number = int(marker.group(1))
        action_block = pieces[i - 1][1] if i > 0 and pieces[i - 1][0] == "block" else None
        if action_block is None:
            continue
        stop = markers[n + 1] - 1 if n + 1 < len(markers) else len(pieces)
        row = _read_row(text, pieces[i + 1 : stop])
        out.append(_fact(text, ref, number, pieces[i][1], action_block, row))
    return out


def _read_row(text: str, pieces: list[tuple[str, Span]]) -> _Row:
    row = _Row()
    stage = "milestone"
    last_before_break: list[Span] | None = None
    last: list[Span] | None = None
    for kind, span in pieces:
        if kind == "page":
            stage, last_before_break = "milestone", last
            continue
        value = span.quote(text)
        if re.match(r"^(?:[a-z]|\d+$)", value):
            _continue_cell(text, row, span, last_before_break or last)
            continue
        if stage == "milestone" and not _opens_timescale(value) and not _all_names(value):
            last = [span]
            row.milestones.append(last)
            continue
        stage, last = _read_cells(text, span, row, stage)
    return row


def _continue_cell(text: str, row: _Row, span: Span, fallback: list[Span] | None) -> None:
    """Join a cell's tail, split off by a page break, to the cell it ends."""
    for cell in row.milestones + row.progress + row.timescales:
        words = cell[-1].quote(text).split()
        if words and words[-1].lower() in DANGLING:
            cell.append(span)
            return
    if fallback is not None:
        fallback.append(span)


def _opens_timescale(value: str) -> bool:
    first = value.split("\n")[0]
    if DATE_START.match(first):
        return True
    m = FREQUENCY.match(first)
    if not m:
        return False
    rest = first[m.end() :].strip()
    return len(value.split()) <= 3 or bool(NAME.match(rest) or ROLE.match(rest))


def _all_names(value: str) -> bool:
    return all(
        (m := NAME.match(line.strip()) or ROLE.match(line.strip())) and not line.strip()[m.end() :].strip()
        for line in value.split("\n")
        if line.strip()
    )


def _read_cells(text: str, block: Span, row: _Row, stage: str) -> tuple[str, list[Span] | None]:
    """Read a block that holds timescales, lead officers and/or progress, line by line."""
    last: list[Span] | None = None
    progress_from: int | None = None
    consumed = block.start
    for line in lines(text, block.start, block.end):
        if line.end <= consumed:
            continue  # taken by a timescale running over from the line before
        pos = max(line.start, consumed)
        if progress_from is None and stage in ("milestone", "timescale") and _opens_timescale(text[pos : line.end]):
            end = _timescale_end(text, pos, line.end, block.end)
            last = [trim(text, pos, end)]
            row.timescales.append(last)
            stage = "timescale"
            pos = consumed = end
            if pos >= line.end:
                continue
        rest = trim(text, pos, line.end)
        while progress_from is None and rest.end > rest.start:
            chunk = rest.quote(text)
            m = ROLE.match(chunk) or NAME.match(chunk)
            if m is None or (
                m.re is NAME and chunk[m.end() :].strip() and stage not in ("timescale", "lead") and pos != line.start
            ):
                break
            target = row.roles if m.re is ROLE else row.leads
            target.append(Span(rest.start, rest.start + m.end()))
            stage = "lead"
            rest = trim(text, rest.start + m.end(), rest.end)
        if progress_from is None and rest.end > rest.start:
            done = COMPLETED.search(rest.quote(text))
            if done and not rest.quote(text)[: done.start()].strip():
                row.completed = Span(rest.start + done.start(), rest.start + done.end())
                rest = trim(text, rest.start + done.end(), rest.end)
                stage = "progress"
                if rest.end <= rest.start:
                    continue
            progress_from = rest.start
    if progress_from is not None:
        last = [trim(text, progress_from, block.end)]
        row.progress.append(last)
        stage = "progress"
    return stage, last


def _timescale_end(text: str, start: int, line_end: int, block_end: int) -> int:
    """Where a timescale opening at `start` ends: after its date or frequency, and any lower-case tail."""
    first = text[start:line_end]
    m = re.match(rf"^(?:(?:{DAY})\s+)?{MONTH}(?:\s+{YEAR})?|^{YEAR}\b", first) or FREQUENCY.match(first)
    if m is None:  # (called where a timescale was found to open)
        return line_end
    end = start + m.end()
    tail = re.match(r"^(?:,?\s*[a-z][\w-]*)+", text[end:block_end].replace("\n", " "))
    if tail:
        end += tail.end()
    elif not NAME.match(text[end:line_end].strip()) and not ROLE.match(text[end:line_end].strip()):
        # 'Termly Audits', 'Quarterly dip sampling': the whole short block is the timescale.
        if len(text[start:block_end].split()) <= 3:
            end = block_end
    return end


def _due(value: str) -> PartialDate | None:
    d = parse_date(value)
    return d if d and d.year else None


def _fact(text: str, ref: InspectionRef, number: int, marker: Span, action: Span, row: _Row) -> ActionFact:
    def q(spans: list[Span]) -> Quoted[str]:
        return Quoted(squash(" ".join(s.quote(text) for s in spans)), tuple(spans))

    milestones = [q(m) for m in row.milestones]
    timescales = [(q(t), _due(q(t).value)) for t in row.timescales]
    paired = len(milestones) == len(timescales)
    return ActionFact(
        ref=ref,
        recommendation=Quoted(number, (marker,)),
        text=q([action]),
        milestones=tuple(
            MilestoneFact(m, timescales[i][0] if paired else None, timescales[i][1] if paired else None)
            for i, m in enumerate(milestones)
        ),
        timescales=() if paired else tuple(timescales),
        lead_officers=tuple(Quoted(squash(s.quote(text)), (s,)) for s in row.leads),
        lead_roles=tuple(Quoted(squash(s.quote(text)), (s,)) for s in row.roles),
        progress=tuple(q(p) for p in row.progress),
        completed=Quoted(True, (row.completed,)) if row.completed else None,
    )
