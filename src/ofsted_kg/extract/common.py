"""Patterns shared by the extractors: grades, list items, page furniture, finding polarity."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from ofsted_kg.councils import CouncilMention, load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import people
from ofsted_kg.facts import DocumentInfo, Extraction, InspectionFact, InspectionRef
from ofsted_kg.reference import load_reference
from ofsted_kg.text import BULLET_CLASS, PartialDate, Quoted, Span, date_at, find_date_range, lines, squash, trim

SECOND_PART = re.compile(r"\s+and\s+")
# How much longer than an area's name a cell of a table of judgements may be and still be read as naming
# the area (cells add words: "Children's services in X - overall judgement"); prose is longer.
TABLE_STRETCH = 1.6


@lru_cache(maxsize=1)
def grade_pattern() -> re.Pattern[str]:
    """Any grade of any scale, words separated by any whitespace (tables break lines)."""
    names = load_reference().grade_names()
    names = [n for n in names if len(n) > 2]  # 'RI' and the like only in prose
    body = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def quoted_text(text: str, spans: list[Span]) -> Quoted[str]:
    """A value made of one or more spans, whitespace squashed."""
    return Quoted(squash(" ".join(s.quote(text) for s in spans)), tuple(spans))


def split_spans(text: str, span: Span, noise: Sequence[Span]) -> list[Span]:
    """span minus any noise spans inside it (page headers, footers), each piece trimmed."""
    pieces = []
    pos = span.start
    for n in sorted(noise):
        if not n.overlaps(span):
            continue
        piece = trim(text, pos, max(pos, n.start))
        if piece.end > piece.start:
            pieces.append(piece)
        pos = max(pos, n.end)
    piece = trim(text, pos, span.end)
    if piece.end > piece.start:
        pieces.append(piece)
    return pieces


def list_items(text: str, start: int, end: int, noise: Sequence[Span] = ()) -> list[list[Span]]:
    """The items of a bulleted or dashed list in text[start:end].

    An item starts at a line opening with a bullet glyph (or a space where the
    glyph was lost); lines that do not open that way continue the item before.
    """
    items: list[list[Span]] = []
    current: Span | None = None
    for m in re.finditer(r"[^\n]*", text[start:end]):
        line_start = start + m.start()
        line = m.group(0)
        if not line.strip():
            continue
        if any(n.start <= line_start < n.end for n in noise):
            continue
        marker = re.match(rf"^(\s*{BULLET_CLASS}\s+|\s+(?=[A-Z\u2018\u201c\"']))", line)
        if marker:
            if current:
                items.append(split_spans(text, current, noise))
            current = Span(line_start + marker.end(), line_start + len(line))
        elif current is not None:
            current = Span(current.start, line_start + len(line))
    if current:
        items.append(split_spans(text, current, noise))
    return [i for i in items if i]


# Where the head of a report ends: the line of its inspection dates, its lead inspector, its judgement
# table or a line opening with a date. What follows (the prose, Ofsted's address, the licence) may
# name other councils, and never says which council the report is about.
HEAD_END = re.compile(
    r"(?im)^\s*(?:(?:inspection|report(?:ing)?)\s+dates?\b|published\b|(?:lead|reporting)\s+inspectors?\b|"
    r"judgement\s+grade\b|age\s+group\b|\d)"
)
HEAD_MAX = 600
# The ILACS title: "Inspection of <council> local authority children's services".
TITLE_NAME = re.compile(
    r"Inspection\s+of\s+(?:the\s+)?(?P<name>[^\n]{2,80}?(?:\n[^\n]{1,80}?)?)\s+(?:local\s+authority\s+)?"
    r"children['\u2019]s\s+(?:social\s+care\s+)?services",
    re.IGNORECASE,
)


def head(text: str) -> Span:
    """The head of a report: its title and the council's name, before its dates or lead inspector."""
    end = HEAD_END.search(text, 0, HEAD_MAX)
    return Span(0, end.start() if end else min(len(text), HEAD_MAX))


def head_council(doc: Document) -> Quoted[str]:
    """The council a report is about, from its head only: a council's name written in full, in any of
    its styles ('St Helens Metropolitan Borough Council'), else the name the title gives, if it is the
    start of exactly one council's name ('Inspection of East Riding local authority ...').
    A report whose head names no council, or several, is rejected, never filed under another."""
    text = doc.text
    councils = load_councils()
    span = head(text)
    # Capitalised, as a name is written: 'reading', 'bury' in a title are words, not councils.
    found = [m for m in councils.mentions(text[span.start : span.end]) if text[m.start].isupper()]
    if not found:
        found = [m for m in _short_names(text, span) if m is not None]
    named = sorted({m.council.name for m in found})
    if not named:
        raise DocumentError(doc.path, "looks like an Ofsted report, but its title names no English local authority")
    if len(named) > 1:
        raise DocumentError(
            doc.path, f"looks like an Ofsted report, but its title names several councils: {', '.join(named)}"
        )
    return Quoted(found[0].council.gss_code, (trim(text, found[0].start, found[0].end),))


def _short_names(text: str, span: Span) -> Iterator[CouncilMention]:
    """Councils named by a short form in the head: in the ILACS title, or as a whole line."""
    title = TITLE_NAME.search(text, span.start, span.end)
    candidates = [trim(text, title.start("name"), title.end("name"))] if title else []
    candidates += lines(text, span.start, span.end)
    for candidate in candidates:
        council = load_councils().resolve_short(candidate.quote(text))
        if council:
            yield CouncilMention(council, candidate.start, candidate.end)


# Several leads on one line: "Lead inspectors: Rebecca Quested, His Majesty's Inspector, and Matthew
# Reed,\nHis Majesty's Inspector". The names are the pieces between commas and 'and' that read as names.
_PLURAL = re.compile(r"\s*(?:Lead|Reporting)\s+inspectors\b", re.IGNORECASE)
_BETWEEN_NAMES = re.compile(r",|;|&|\band\b")
_CONTINUED = re.compile(r"(?:,|\band)\s*$")  # a line that ends so goes on in the next
_MORE_LINES = 2
# Co-leads' names and posts fit in these; a hostile line of thousands of names is not read whole (each
# name is looked for in the whole text, to tell it from words the text writes in lower case).
_MOST_CHARACTERS = 500
_MOST_PIECES = 12


def lead_inspectors(text: str, line: re.Match[str] | None, notes: list[str]) -> tuple[Quoted[str], ...]:
    """The people a 'Lead inspector:' line names (its first group), without the post written with
    each name ('HMI', '(HMI)', 'Senior HMI'): one, or several where the line says 'Lead inspectors:'.
    A line that names no person is noted and left out."""
    if line is None:
        return ()
    if not _PLURAL.match(line.group(0)):
        span = people.personal_name(text, line.start(1), line.end(1))
        found = [span] if span is not None else []
    else:
        end = text.find("\n", line.start(1))
        end = len(text) if end < 0 else end
        for _ in range(_MORE_LINES):
            if not _CONTINUED.search(text, line.start(1), end):
                break
            following = text.find("\n", end + 1)
            end = len(text) if following < 0 else following
        end = min(end, line.start(1) + _MOST_CHARACTERS)
        cuts = [line.start(1)]
        for m in _BETWEEN_NAMES.finditer(text, line.start(1), end):
            cuts += [m.start(), m.end()]
        cuts.append(end)
        pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if a < b][:_MOST_PIECES]
        pieces = (people.personal_name(text, a, b) for a, b in pairs)
        named: dict[str, Span] = {}  # (a name written twice is one lead)
        for span in pieces:
            if span is not None:
                named.setdefault(span.quote(text), span)
        found = list(named.values())
    if not found:
        notes.append(f"the lead inspector '{squash(line.group(1))}' is not a personal name: left out")
    return tuple(Quoted(span.quote(text), (span,)) for span in found)


def report_inspection(
    doc: Document,
    *,
    template: str,
    marker: re.Match[str],
    framework: str,
    inspection_type: str,
    dates: re.Pattern[str],
    published: re.Pattern[str],
    lead: re.Pattern[str],
) -> tuple[Extraction, InspectionRef]:
    """What the head of a pre-ILACS Ofsted report gives: the council (head_council), the dates line, the publication date and the lead inspector, as an Extraction holding
    the inspection, with the key of that inspection. `marker` is the template's title, quoted as
    the evidence of its framework and type; `template` names the template in messages."""
    text = doc.text
    notes: list[str] = []
    line = dates.search(text)
    span = find_date_range(text, line.start(1), line.end(1)) if line else None
    start: Quoted[PartialDate] | None = None
    end: Quoted[PartialDate] | None = None
    if span is not None and span.start.year is not None:
        start, end = Quoted(span.start, (span.span,)), Quoted(span.end, (span.span,))
        # An inspection in two parts: "19 November-11 December 2013 and 28 – 30\nJanuary 2014".
        if (more := SECOND_PART.match(text, span.span.end)) and (
            (second := find_date_range(text, more.end(), more.end() + 40)) and second.span.start == more.end()
        ):
            end = Quoted(second.end, (second.span,))
    elif line and (single := date_at(text, line.start(1))) and not text[single[1].end : line.end(1)].strip():
        # One date where a range belongs ("Inspection date: 28 July 2016"): the inspection was on
        # it, but where it started and ended is not said; only the year is taken.
        start = Quoted(PartialDate(single[0].year), (single[1],))
        notes.append(
            f"the report gives one inspection date ({single[1].quote(text)}), not a range: "
            "only its year is taken as the start, and no end"
        )
    if start is None:
        raise DocumentError(doc.path, f"looks like {template}, but gives no inspection dates")
    council = head_council(doc)
    ref = InspectionRef(council.value, start.value.year)
    issued = None
    if (m := published.search(text)) and (d := date_at(text, m.end())):
        issued = Quoted(d[0], (d[1],))
    title = trim(text, marker.start(), marker.end())
    out = Extraction(DocumentInfo(kind="ofsted-report", council=council, date=issued), notes=notes)
    out.facts.append(
        InspectionFact(
            ref=ref,
            council=council,
            framework=Quoted(framework, (title,)),
            inspection_type=Quoted(inspection_type, (title,)),
            start=start,
            end=end,
            published=issued,
            lead_inspectors=lead_inspectors(text, lead.search(text), out.notes),
        )
    )
    return out, ref


def elsewhere(text: str, council: str) -> Callable[[Span], bool]:
    """Whether a stretch of the text names another council than `council` (a neighbour's grade, another
    council of a round-up): its words are not about the document's own council, and are left out of its
    facts rather than given to it."""
    mentions = load_councils().mentions(text)
    others = [m for m in mentions if m.council.gss_code != council]

    def about_another(span: Span) -> bool:
        if any(span.start <= m.start < span.end for m in others):
            return True
        if any(span.start <= m.start < span.end for m in mentions):
            return False  # (it names the document's council)
        # Naming none, a sentence goes on about the council its paragraph last named before it ('In Trafford,
        # inspectors judged ... The impact of leaders ... received the same grade.').
        paragraph = max(text.rfind("\n\n", 0, span.start), 0)
        before = [m for m in mentions if paragraph <= m.start < span.start]
        return bool(before) and before[-1].council.gss_code != council

    return about_another


# A sentence that speaks of an earlier inspection without its year ('At that inspection, ...', 'the council
# was previously judged ...'): its grades are not the inspection the document reports.
BACK_REFERENCE = re.compile(
    r"\b(?:(?:at|in|during|since|after)\s+that\s+inspection|(?:the|its|their)\s+(?:previous|earlier|prior)\s+"
    r"(?:full\s+|standard\s+|short\s+)?inspection|previously\s+(?:inspected|judged|rated|graded))\b",
    re.IGNORECASE,
)


def year_before(text: str, at: int) -> int | None:
    """The last year the paragraph names before `at` (what 'that inspection' refers back to), if any."""
    start = max(text.rfind("\n\n", 0, at), at - 600, 0)
    years = re.findall(r"\b(?:19|20)\d\d\b", text[start:at])
    return int(years[-1]) if years else None
