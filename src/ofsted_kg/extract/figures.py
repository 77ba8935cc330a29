"""Figures stated in any document: counts, percentages, ranks, changes, ratios, lengths.

Read by the shapes of the language ("reducing from 780 to 626 in 18 months",
"joint 23rd out of the 129 areas", "11 of 14 councils", "26 case files") and by
tables of counts and percentages. Each figure becomes an observation of a
measure about a subject: England, a region, the council or the inspection.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal

from ofsted_kg.councils import load_councils
from ofsted_kg.extract import furniture
from ofsted_kg.extract.measures import measure_of
from ofsted_kg.facts import Context, FigureFact
from ofsted_kg.text import (
    DAY_MONTH_YEAR,
    LIST_GLYPH_CLASS,
    Quoted,
    Span,
    Spans,
    sentences,
    squash,
    trim,
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
ORDINAL = r"\d+(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS)
QUALIFIER = r"over|more than|about|approximately|around|nearly|almost|only|at least|fewer than|less than"
# Things documents count. A count is a number followed by a few words ending in one of these.
COUNTED = (
    r"case files|files|councils|local authorities|authorities|areas|children|young people|families|parents|hubs|"
    r"centres|cohorts|roles|posts|flats|apprenticeships|recommendations|boards|social workers|staff|inspectors|"
    r"placements|assessments|plans|visits|referrals|carers|homes|schools|projects|teams|cases"
)
# A word of a counted thing's name: not a number, and not a word that joins two phrases.
UNIT_WORD = (
    r"(?!(?:of|than|and|or|to|in|out|for|with|from|by|at|on|between)\b)(?!(?:" + NUMBER + r")\b)[A-Za-z][\w'\u2019-]*"
)
COUNT = re.compile(
    # (not a paragraph's, an action's or an item's number: 'Action 4.1  Train all social workers')
    rf"(?<![\w.-])(?<!section\s)(?<!Section\s)(?<!Action\s)(?<!action\s)(?<!Item\s)(?<!Paragraph\s)(?<!paragraph\s)"
    rf"(?:(?P<q>{QUALIFIER})\s+)?(?!(?:19|20)\d\d\b)(?P<n>{NUMBER})\s+(?P<unit>(?:(?:{UNIT_WORD}\s+){{1,3}}and\s+(?:{UNIT_WORD}\s+){{1,2}}|(?:{UNIT_WORD}\s+){{0,3}})(?:{COUNTED}))\b(?!['\u2019])",
    re.IGNORECASE,
)
CHANGE = re.compile(
    rf"\bfrom\s+(?P<a>\d[\d,]*)(?:\s+in\s+(?:19|20)\d\d|\s+(?P<aunit>[a-z]+(?:\s+[a-z]+){{0,3}}?))?\s+to\s+(?P<b>\d[\d,]*)(?![\d.,]*\s*(?:%|per\s?cent))(?:\s+(?:in|over)\s+(?:the\s+(?:past|last)\s+)?"
    rf"(?P<period>(?:{NUMBER})\s+(?:months|years|weeks)))?",
    re.IGNORECASE,
)
RANK = re.compile(
    rf"\b(?P<joint>joint\s+)?(?P<ord>{ORDINAL})(?P<what>(?:\s+(?:highest|best|top|lowest)?[\w\s-]{{0,40}}?)?)"
    rf"(?:\s+out\s+of\s+(?:the\s+)?(?P<of>{NUMBER})\s+(?P<ofunit>\w+)|\s+(?:in|across)\s+the\s+(?P<area>(?:wider\s+)?[A-Z][\w ]+?)(?=[,.;]|\s+(?:and|just|to)\b))",
)
RATIO = re.compile(
    rf"(?<![\w.-])(?:(?P<n>{NUMBER})\s+(?:out\s+of|of\s+the)|(?P<d>\d+)\s+of)\s+(?P<of>{NUMBER})\s+"
    rf"(?P<unit>(?:{UNIT_WORD}\s+){{0,3}}(?:{COUNTED}))\b",
    re.IGNORECASE,
)
# What every pattern of a figure in a sentence needs: a digit, or a number or ordinal word. A sentence
# without one is passed over (most sentences of a report: each pattern scanned it in vain). The look-ahead
# for the words' first letters makes the scan twice as fast.
_WORDS = [*NUMBER_WORDS, *ORDINAL_WORDS]
MAY_HOLD_A_FIGURE = re.compile(
    rf"\d|\b(?=[{''.join(sorted({w[0] for w in _WORDS}))}])(?:{'|'.join(_WORDS)})\b", re.IGNORECASE
)
PERCENT = re.compile(r"(?P<top>\btop\s+)?(?P<n>\d+(?:\.\d+)?)\s?(?:%|per\s?cent)")
# Money: '£4.2m', 'an extra £6.5m a year', 'An additional £350,000', '£1.2 million'.
MONEY = re.compile(
    r"(?<![\w£])(?:(?P<q>an?\s+(?:extra|additional)|additional\s+investment\s+of)\s+)?£(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>m|bn|k|million|billion)\b)?(?P<per>\s+(?:a|per)\s+(?:year|annum))?",
    re.IGNORECASE,
)
SCALE = {"m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000, "k": 1_000}
# An average of days: 'was 612 days', 'a national average of 593 days', in a sentence about an average.
AVERAGE_DAYS = re.compile(
    r"(?<![\w.-])(?:(?:a\s+)?(?P<nat>national\s+)?average\s+of\s+)?(?P<n>\d[\d,]*)\s+days\b"
    r"(?!\s+(?:outside|over|above|below|more|less|longer|shorter|later|earlier|beyond)\b)"
)
# A figure reached, without where it came from: 'average caseloads have fallen to 18'.
REACHED = re.compile(
    r"\b(?:fallen|fell|risen|rose|dropped|reduced|increased|come\s+down|gone\s+up)\s+to\s+(?P<n>\d[\d,]*(?:\.\d+)?)\b(?![.,]?\d|\s*(?:%|per\s?cent))"
    r"(?P<unit>\s+(?:days|weeks|months|years))?"
)
LENGTH = re.compile(
    rf"\b(?:(?P<n>{NUMBER})[ -]week\s+inspection|inspection\b[^.]{{0,60}}?\b(?:period|course)\s+of\s+(?P<n2>{NUMBER})\s+weeks)",
    re.IGNORECASE,
)
# A row of a table: a label, then two or more numeric cells (counts, decimals, percentages, 'N/A').
_CELL = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)%?|N/A"
TABLE_ROW = re.compile(
    rf"(?m)^[ \t]*(?P<label>[A-Z][A-Za-z' ()/-]{{1,50}}?)(?P<cells>(?:[ \t]+(?:{_CELL})){{2,8}})[ \t]*$"
)
CELL = re.compile(rf"(?<!\S)(?:{_CELL})(?!\S)")
# A header's unit: 'Number of Councils' -> councils, '% of those inspected' -> per cent, 'Homes' -> homes.
PER_CENT_HEADER = re.compile(r"%|\bper\s?cent\b|\bpercentage\b|\bproportion\b", re.IGNORECASE)
COUNT_HEADER = re.compile(
    r"^(?:(?:number|no\.?)\s+of\s+(?P<of>[a-z][\w' -]*)|(?P<plural>[a-z][a-z' -]*s))$", re.IGNORECASE
)
NATIONAL = re.compile(
    r"\b(?:nationally|nationwide|national|across the country|in england|of all councils|all\s+\d+\s+(?:local authorities|councils))\b",
    re.IGNORECASE,
)
REGIONAL = re.compile(r"\b(?:the region|regional(?:ly)?)\b", re.IGNORECASE)
INSPECTION = re.compile(r"\binspect(?:ion|ors?|ed)\b|\bOfsted\b", re.IGNORECASE)
# A table of contents: its heading, then lines that end in a page number (a title may run over two lines).
CONTENTS = re.compile(
    r"(?mi)^[ \t]*(?:table of )?contents[ \t]*\n(?:[^\n]*\n){0,2}?(?:[^\n]*[ \t]\d{1,3}[ \t]*(?:\n|$)(?:[^\n\d]*\n)?)+"
)
SECTION_NUMBER = re.compile(r"(?m)^[ \t]*\d+(?:\.\d+)+[ \t]")
# Markup of a web page left in its text ("Type=image;ImageID=12509;...").
MARKUP = re.compile(r"\bType=\w+;(?:[A-Za-z]+=[^;\n]*;)*")


def number(text: str) -> Decimal:
    folded = text.lower().replace(",", "")
    return Decimal(NUMBER_WORDS[folded]) if folded in NUMBER_WORDS else Decimal(folded)


def _ordinal(text: str) -> int:
    folded = text.lower()
    return ORDINAL_WORDS.get(folded) or int(re.sub(r"\D", "", folded))


def _subject(sentence: str, context: Context, clause: str | None = None) -> tuple[str, str | None]:
    """What a figure is about: England where its clause says so, or the sentence opens by saying so
    ('Nationally, ...'; in 'our rate is 20%, compared with 30% nationally' only the 30% is England's); a
    region where the sentence names one or speaks of the region (with the region's GSS code where it names
    one); the inspection where its clause speaks of inspecting; else the council."""
    national = sentence
    if clause is not None:
        opening = re.match(r"[^,]{0,40},", sentence)  # 'In England, ...', 'Across the country, ...'
        national = f"{opening.group() if opening else ''} {clause}"
    if NATIONAL.search(national):
        return "england", None
    named = _named_region(sentence)
    if (named or REGIONAL.search(sentence)) and not re.search(
        r"\b(?:we|our|the council|the local authority)\b", sentence, re.IGNORECASE
    ):
        return "region", named
    if INSPECTION.search(clause if clause is not None else sentence) and context.inspection is not None:
        return "inspection", None
    return "council", None


@functools.cache
def _regions() -> re.Pattern[str]:
    """The names of England's regions, from the council lookup (longest first: 'East of England' before
    'East')."""
    names = sorted({c.region for c in load_councils().councils if c.region}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\b", re.IGNORECASE)


def _named_region(sentence: str) -> str | None:
    """The GSS code of the region a sentence names, if it names one."""
    m = _regions().search(sentence)
    if m is None:
        return None
    name = squash(m.group().lower())
    return next(c.region_code for c in load_councils().councils if c.region.lower() == name and c.region_code)


# Where a figure's clause ends: a comma, a semicolon, 'and', a bracket, a list's bullet, a full stop the
# sentence splitter kept inside (a list run together).
_CLAUSE_BOUNDARY = re.compile(rf"[,;()]|{LIST_GLYPH_CLASS}|\sand\s|\.\s")


def _clause(text: str, sentence: Span, span: Span) -> str:
    """The clause of a sentence a figure stands in: between the nearest boundaries (_CLAUSE_BOUNDARY)."""
    before = text[sentence.start : span.start]
    after = text[span.end : sentence.end]
    start = max((m.end() for m in _CLAUSE_BOUNDARY.finditer(before)), default=0)
    end = next((m.start() for m in _CLAUSE_BOUNDARY.finditer(after)), len(after))
    return before[start:] + text[span.start : span.end] + after[:end]


def _blocked(text: str) -> list[Span]:
    """Where no figure is read: dates, page markup, and a table of contents (its numbers are pages)."""
    spans = [Span(m.start(), m.end()) for m in DAY_MONTH_YEAR.finditer(text)]
    spans += [Span(m.start(), m.end()) for m in SECTION_NUMBER.finditer(text)]
    spans += [Span(m.start(), m.end()) for m in MARKUP.finditer(text)]
    spans += [Span(m.start(), m.end()) for m in CONTENTS.finditer(text)]
    return spans


def extract(
    text: str, context: Context, exclude: Sequence[Span] = (), left_out: list[str] | None = None
) -> list[FigureFact]:
    """The figures of a text, but none in the spans excluded (an action plan's targets) or in a page's
    lists of other stories. The words of a figure whose sentence does not say what it measures are added
    to `left_out`, and the figure is not given."""
    taken = Spans([*_blocked(text), *exclude, *furniture.spans(text)])
    out: list[FigureFact] = []
    out += _tables(text, context, taken)
    for sentence in sentences(text):
        out += _in_sentence(text, sentence, context, taken, left_out)
    return out


def _q(text: str, start: int, end: int) -> Quoted[str]:
    span = trim(text, start, end)
    return Quoted(squash(span.quote(text)), (span,))


def _tables(text: str, context: Context, taken: Spans) -> list[FigureFact]:
    """Rows of a label and numeric cells, under the column names above the first row: blank-line
    separated cells, or one line of cells two spaces apart. Each cell's unit is its column's: per cent
    for a percentage, else what its header counts ('Number of Councils': councils), else none."""
    out = []
    groups: list[list[re.Match[str]]] = []
    for row in TABLE_ROW.finditer(text):
        if groups and text[groups[-1][-1].end() : row.start()].strip() == "":
            groups[-1].append(row)
        else:
            groups.append([row])
    for group in groups:
        width = len(CELL.findall(group[0].group("cells")))
        if len(group) < 2 or any(len(CELL.findall(r.group("cells"))) != width for r in group):
            continue
        columns = _columns(text, group[0].start(), width)
        if columns is None:
            continue
        before = text[max(0, group[0].start() - 600) : group[0].start()]
        subject, region = _subject(before, context)
        for row in group:
            label = row.group("label").strip()
            for column, cell in zip(columns, CELL.finditer(text, row.start("cells"), row.end("cells")), strict=True):
                raw = cell.group(0)
                if raw == "N/A":
                    continue
                out.append(
                    FigureFact(
                        subject=subject,
                        region=region,
                        measure=f"{column}: {label}",
                        value=number(raw.rstrip("%")),
                        unit="per cent" if raw.endswith("%") else _unit(column),
                        figure=Quoted(raw, (Span(cell.start(), cell.end()),)),
                        context=_q(text, row.start(), row.end()),
                        as_at=context.date,
                        ref=context.inspection,
                    )
                )
            taken.add(Span(row.start(), row.end()))
    return out


def _unit(column: str) -> str | None:
    """The unit a column's header gives its cells."""
    if PER_CENT_HEADER.search(column):
        return "per cent"
    m = COUNT_HEADER.match(column.strip())
    if m is None:
        return None
    return squash((m.group("of") or m.group("plural")).lower())


def _columns(text: str, start: int, width: int) -> list[str] | None:
    """The names of a table's last `width` columns: the line above its first row split at runs of two or
    more spaces, else the blank-line separated cells above it."""
    above = text.rfind("\n", 0, max(0, text.rfind("\n", 0, start)))
    line = text[above + 1 : text.rfind("\n", 0, start)] if start > 0 else ""
    cells = [c for c in re.split(r"\t+|[ ]{2,}", line.strip()) if c]
    if len(cells) > width and not any(CELL.fullmatch(c) for c in cells):
        return [squash(c) for c in cells[-width:]]
    header_cells = _header_cells(text, start)
    if len(header_cells) < width + 1:
        return None
    return [squash(c.quote(text)) for c in header_cells[-width:]]


def _header_cells(text: str, start: int) -> list[Span]:
    """The blank-line separated cells above a table's first row, back to a sentence that introduces it."""
    cells: list[Span] = []
    boundary = text.rfind("\n\n", 0, start)
    while boundary > 0 and len(cells) < 8:
        previous = text.rfind("\n\n", 0, boundary)
        cell = trim(text, previous + 2 if previous >= 0 else 0, boundary)
        value = cell.quote(text)
        if not value or value.endswith(":") or len(value) > 60:
            break
        cells.insert(0, cell)
        boundary = previous
    return cells


def _in_sentence(
    text: str, sentence: Span, context: Context, taken: Spans, left_out: list[str] | None = None
) -> list[FigureFact]:
    out: list[FigureFact] = []
    if not MAY_HOLD_A_FIGURE.search(text, sentence.start, sentence.end):
        return out
    words = sentence.quote(text)
    measured: list[tuple[int, str]] = []  # where each figure read so far stands, and what it measures

    def add(
        m: re.Match[str],
        *,
        measure: str | None,
        value: Decimal,
        unit: str | None,
        subject: str | None = None,
        previous: Decimal | None = None,
        out_of: Decimal | None = None,
        period: str | None = None,
        qualifier: str | None = None,
    ) -> None:
        span = Span(m.start(), m.end())
        if taken.overlaps(span):
            return
        taken.add(span)
        if measure is None:  # the sentence does not say what it measures: left out, not guessed
            if left_out is not None:
                left_out.append(squash(m.group(0)))
            return
        measured.append((m.start(), measure))
        here, region = (subject, None) if subject else _subject(words, context, _clause(text, sentence, span))
        if unit in ("councils", "local authorities") and max(value, out_of or 0) > 100:
            here, region = "england", None  # more councils than any region has
        out.append(
            FigureFact(
                subject=here,
                region=region if here == "region" else None,
                figure=Quoted(squash(m.group(0)), (span,)),
                context=Quoted(squash(words), (sentence,)),
                as_at=context.date,
                ref=context.inspection,
                measure=measure,
                value=value,
                unit=unit,
                previous=previous,
                out_of=out_of,
                period=period,
                qualifier=qualifier,
            )
        )

    def measure(m: re.Match[str], kind: str, at: int | None = None) -> str | None:
        at = m.start() if at is None else at
        earlier = [found for start, found in sorted(measured) if start < at]
        return measure_of(text, sentence.start, at, m.end(), sentence.end, kind, earlier[-1] if earlier else None)

    for m in CHANGE.finditer(text, sentence.start, sentence.end):
        add(m, measure=measure(m, "change"), value=number(m.group("b")), unit=None, previous=number(m.group("a")),
            period=m.group("period"))  # fmt: skip
    for m in LENGTH.finditer(text, sentence.start, sentence.end):
        n = m.group("n") or m.group("n2")
        add(m, measure="length of the inspection", value=number(n), unit="weeks", subject="inspection")
    for m in RANK.finditer(text, sentence.start, sentence.end):
        what = squash(m.group("what") or "")
        if m.group("of"):
            ranked = f"rank among {m.group('ofunit')}"
            out_of = number(m.group("of"))
        else:
            ranked = f"rank{(' as ' + what) if what else ''} in the {squash(m.group('area'))}"
            out_of = None
        # What is ranked is the council, whatever it is ranked among.
        add(m, measure=ranked, value=Decimal(_ordinal(m.group("ord"))), unit="rank", out_of=out_of,
            qualifier="joint" if m.group("joint") else None, subject="council")  # fmt: skip
    for m in RATIO.finditer(text, sentence.start, sentence.end):
        add(m, measure=squash(m.group("unit")).lower(), value=number(m.group("n") or m.group("d")), unit=squash(m.group("unit")).lower(),
            out_of=number(m.group("of")))  # fmt: skip
    for m in PERCENT.finditer(text, sentence.start, sentence.end):
        band = "ranking band (top per cent)" if m.group("top") else None
        add(m, measure=band or measure(m, "percent"), value=number(m.group("n")), unit="per cent")
    for m in MONEY.finditer(text, sentence.start, sentence.end):
        value = number(m.group("n")) * SCALE.get((m.group("scale") or "").lower(), 1)
        # (What the sum is of is read before its pound sign: 'additional investment of' is the qualifier's.)
        add(m, measure=measure(m, "money", at=m.start("n") - 1), value=value,
            unit="pounds a year" if m.group("per") else "pounds",
            qualifier=squash(m.group("q")).lower() if m.group("q") else None)  # fmt: skip
    if re.search(r"\baverage\b", words, re.IGNORECASE):
        for m in AVERAGE_DAYS.finditer(text, sentence.start, sentence.end):
            add(m, measure="average days", value=number(m.group("n")), unit="days",
                subject="england" if m.group("nat") else "council")  # fmt: skip
    for m in COUNT.finditer(text, sentence.start, sentence.end):
        unit = squash(m.group("unit"))
        add(m, measure=unit.lower(), value=number(m.group("n")), unit=unit.lower(),
            qualifier=m.group("q").lower() if m.group("q") else None)  # fmt: skip
    for m in REACHED.finditer(text, sentence.start, sentence.end):
        reached = m.group("unit").strip() if m.group("unit") else None
        add(m, measure=measure(m, "change"), value=number(m.group("n")), unit=reached)
    return out
