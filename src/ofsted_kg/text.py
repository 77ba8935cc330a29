"""Text with offsets: spans, blocks, sentences and dates, as plain functions over strings.

Every function here keeps character offsets into the original text, so that
whatever is extracted can point at the exact words it came from.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range [start, end) of characters of a document's text."""

    start: int
    end: int

    def quote(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        """Whether the two overlap: share a character, or one is empty and lies strictly inside the other.
        Spans that only touch do not. Every overlap test asks here (and Spans, for many spans at once).

        >>> Span(0, 5).overlaps(Span(4, 9)), Span(0, 5).overlaps(Span(5, 9))
        (True, False)
        """
        return self.start < other.end and other.start < self.end


class Spans:
    """Spans already taken, for asking whether a new one overlaps any: in logarithmic time, where a list
    scanned for each candidate made extraction quadratic in the length of a report.

    Kept as the disjoint union of what was added (overlapping spans merged, touching ones not), which
    a span overlaps exactly when it overlaps one of the spans added."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for span in spans:
            self.add(span)

    def overlaps(self, span: Span) -> bool:
        # The last part starting before the span ends is the only one that can reach into it.
        i = bisect.bisect_left(self._starts, span.end) - 1
        return i >= 0 and Span(self._starts[i], self._ends[i]).overlaps(span)

    def add(self, span: Span) -> None:
        start, end = span.start, span.end
        lo = bisect.bisect_left(self._starts, start)
        if lo > 0 and self._ends[lo - 1] > start:  # overlaps the part before it
            lo -= 1
        hi = lo
        while hi < len(self._starts) and self._starts[hi] < end:
            hi += 1
        if hi > lo:
            start, end = min(start, self._starts[lo]), max(end, self._ends[hi - 1])
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]


@dataclass(frozen=True)
class Quoted(Generic[T]):
    """A value read from a document, with the span or spans it was read from."""

    value: T
    spans: tuple[Span, ...]

    @classmethod
    def at(cls, value: T, start: int, end: int) -> "Quoted[T]":
        return cls(value, (Span(start, end),))


def squash(text: str, *, strip: bool = True) -> str:
    r"""Collapse runs of whitespace to single spaces, and trim: the one way text is squashed
    (`" ".join(text.split())` gives the same: the same characters are whitespace to both). With
    strip=False a run at either end is kept, as one space, for a value whose ends were never trimmed.

    >>> squash("  Children's services\n  in   Wolverhampton ")
    "Children's services in Wolverhampton"
    >>> squash(" good\n", strip=False)
    ' good '
    """
    squashed = _WHITESPACE.sub(" ", text)
    return squashed.strip() if strip else squashed


_WHITESPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- bullets

# The glyphs that open an item of a list, incl. the private-use ones of Symbol and Wingdings fonts that PDF
# text keeps, and what else opens one in plain text. Every module asks here, so that a glyph added is known
# to every reader of lists. sentences() cuts before a line opening with the first four or a dash only: cut
# before every glyph, the sentences of 181 of the national reports change (and so the figures' contexts and
# the services related within a sentence), which is a change to make and check on its own.
_SENTENCE_GLYPHS = "\u2022\u25aa\u25fc\uf0b7"
BULLET_GLYPHS = _SENTENCE_GLYPHS + "\u25a0\u25cf\u2023\u2043\u25e6\uf0a7\uf06e\uf0d8"
DASHES = "-\u2013"
BULLETS = BULLET_GLYPHS + DASHES + "*"
# The two as regular expressions: one character of the set.
GLYPH_CLASS = f"[{re.escape(BULLET_GLYPHS)}]"
# A bullet glyph, or any character of the private use area, where PDFs' symbol fonts put their bullets and
# dashes (U+F06E, U+F02D): in running text, the mark of a list's item.
LIST_GLYPH_CLASS = f"[{re.escape(BULLET_GLYPHS)}\ue000-\uf8ff]"
BULLET_CLASS = f"[{re.escape(BULLETS)}]"


# Typographic variants of one character: what a PDF and a text copy of one report write differently.
_FOLDS = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u00a0": " ",
        "\u00ad": None,  # a soft hyphen
    }
)


def fold(text: str) -> str:
    """A text with its typographic variants folded, for telling whether two texts are the same words:
    ligatures and compatibility forms (NFKC), curly quotes and apostrophes, dashes, whitespace, case."""
    return squash(unicodedata.normalize("NFKC", text).translate(_FOLDS)).lower()


def trim(text: str, start: int, end: int) -> Span:
    """Shrink [start, end) so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _between(text: str, cuts: Iterator[tuple[int, int]], start: int, end: int) -> list[Span]:
    """The non-blank pieces of text[start:end] around cuts (stop, resume), trimmed."""
    out = []
    pos = start
    for stop, resume in cuts:
        span = trim(text, pos, stop)
        if span.end > span.start:
            out.append(span)
        pos = resume
    span = trim(text, pos, end)
    if span.end > span.start:
        out.append(span)
    return out


def _pieces(text: str, separator: re.Pattern[str], start: int, end: int | None) -> list[Span]:
    """The non-blank pieces of text[start:end] between separators, trimmed."""
    end = len(text) if end is None else end
    return _between(text, ((m.start(), m.end()) for m in separator.finditer(text, start, end)), start, end)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_NEWLINE = re.compile(r"\n")


def blocks(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The blank-line separated blocks of text[start:end], trimmed."""
    return _pieces(text, _BLANK_LINE, start, end)


def lines(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The non-blank lines of text[start:end], trimmed."""
    return _pieces(text, _NEWLINE, start, end)


# A sentence ends at . ! ? before a capital (not at leader dots: 'Overall effectiveness ...... GOOD'), at a
# blank line, or where a bulleted line begins.
_SENTENCE_BULLET = f"[{re.escape(_SENTENCE_GLYPHS + DASHES)}]"
_SENTENCE_END = re.compile(
    rf"(?<=[.!?])(?<!\.\.\.)([\"'\u201d\u2019]?)\s+(?=[\"'\u201c\u2018]?[A-Z0-9])|\n[ \t\r]*\n|\n(?=[ \t]*{_SENTENCE_BULLET}[ \t])"
)


_ABBREVIATION = re.compile(r"(?:^|(?<=[\s(]))(?:[A-Z][a-z]{0,2}|[A-Z](?:\.[A-Z])+)\.$")


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    r"""Sentences of text[start:end]: split after . ! ? before a capital, and at blank lines.

    A closing quotation mark after the full stop stays with its sentence.

    >>> text = 'Mr. Jones said it was "good." The board agreed.\n\nNext steps'
    >>> [span.quote(text) for span in sentences(text)]
    ['Mr. Jones said it was "good."', 'The board agreed.', 'Next steps']
    >>> sentences(text)[1]
    Span(start=30, end=47)
    """
    end = len(text) if end is None else end
    # Several extractors ask for the sentences of the same text: they are cut once.
    return list(_sentences(text, start, end))


@lru_cache(maxsize=64)
def _sentences(text: str, start: int, end: int) -> tuple[Span, ...]:
    def cuts() -> Iterator[tuple[int, int]]:
        for m in _SENTENCE_END.finditer(text, start, end):
            stop = m.end(1) if m.group(1) is not None else m.start()
            if not _ABBREVIATION.search(text, max(start, stop - 6), stop):  # not 'Lab. Ettingshall'
                yield stop, m.end()

    return tuple(_between(text, cuts(), start, end))


# ---------------------------------------------------------------- dates

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as the text gives it: a year, a month of a year, or a day."""

    year: int | None
    month: int | None = None
    day: int | None = None

    def to_date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None

    def with_year(self, year: int) -> "PartialDate":
        return PartialDate(year, self.month, self.day)

    def iso(self) -> str:
        if self.year is None:
            return "--" + "-".join(f"{p:02d}" for p in (self.month, self.day) if p)
        return "-".join([f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p])


def _month(name: str) -> int:
    return MONTHS[name.lower()[:3] if name.lower() not in MONTHS else name.lower()]


# "16 January 2017", "31st May 2017", "Friday 31 March, 2017", "9 February, 2017"
DAY_MONTH_YEAR = re.compile(rf"(?:{WEEKDAY},?\s+)?({DAY})\s+({MONTH}),?\s+({YEAR})\b")
# "January 16, 2017", "March 21"
MONTH_DAY = re.compile(rf"\b({MONTH})\s+({DAY})\b(?:,?\s+({YEAR}))?")
MONTH_YEAR = re.compile(rf"\b({MONTH})\s+({YEAR})\b")
# "1/06/2015", "25.09.2023": day first, as in British documents
NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d\d)\b")


def _valid(date: PartialDate) -> bool:
    """Whether a date given to the day is a day of the calendar (one without its year, of a leap year)."""
    try:
        dt.date(date.year or 2000, date.month or 0, date.day or 0)
    except ValueError:
        return False
    return True


def parse_date(text: str) -> PartialDate | None:
    """The first date in a text: day-month-year, month-day(-year) or month-year.

    >>> parse_date("Published on Friday 31 March, 2017")
    PartialDate(year=2017, month=3, day=31)
    >>> parse_date("inspected in June 2011").iso(), parse_date("from March 21").iso()
    ('2011-06', '--03-21')
    >>> parse_date("no date here") is None
    True
    """
    best: tuple[int, PartialDate] | None = None
    readers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], PartialDate]], ...] = (
        (
            DAY_MONTH_YEAR,
            lambda m: PartialDate(int(m.group(3)), _month(m.group(2)), int(re.sub(r"\D", "", m.group(1)))),
        ),
        (
            MONTH_DAY,
            lambda m: PartialDate(
                int(m.group(3)) if m.group(3) else None, _month(m.group(1)), int(re.sub(r"\D", "", m.group(2)))
            ),
        ),
        (MONTH_YEAR, lambda m: PartialDate(int(m.group(2)), _month(m.group(1)))),
    )
    for pattern, build in readers:
        m = pattern.search(text)
        if m:
            value = build(m)
            if value.day and not _valid(value):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), value)
    return best[1] if best else None


# "28 March to 1 April 2022", "16 January to 9 February, 2017", "1 to 12 May 2023",
# "January 16 and February 9", "between March 21 and April 1"
# A range's dash may be a hyphen, an en dash or a box-drawing line (U+2500); its first month may be
# abbreviated ("18 Feb 2014 – 12 March 2014"). A day is never the end of a number ("2014 – 12 March").
_DASH = r"-|\u2013|\u2014|\u2500"
_MONTH_OR_SHORT = rf"{MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
# Either day may follow its weekday: "from Monday 16 to Friday 20 October 2023".
_ON = rf"(?:{WEEKDAY},?\s+)?"
_RANGE_DMY = re.compile(
    rf"(?<![\d/])({DAY})(?:\s+({_MONTH_OR_SHORT}))?(?:,?\s+({YEAR}))?\s*(?:to|until|and|{_DASH})\s*"
    rf"{_ON}({DAY})\s+({MONTH}),?\s+({YEAR})\b"
)
_RANGE_NUMERIC = re.compile(
    rf"\b(\d{{1,2}})[/.](\d{{1,2}})[/.]((?:19|20)\d\d)\s*(?:to|until|and|{_DASH})\s*(\d{{1,2}})[/.](\d{{1,2}})[/.]((?:19|20)\d\d)\b"
)
# "November 18 and 29", "May 1 to 12, 2023": one month's days, the month first.
_RANGE_MDD = re.compile(
    rf"\b({MONTH})\s+({DAY})\s*(?:to|until|and|{_DASH})\s*({DAY})\b(?!\s+{MONTH})(?:,?\s+({YEAR}))?"
)
# "between 11 and 22 December", with no year after it (a news article's: the year is its date's).
_RANGE_DM = re.compile(
    rf"(?<![\d/])({DAY})(?:\s+({_MONTH_OR_SHORT}))?\s*(?:to|until|and|{_DASH})\s*{_ON}({DAY})\s+({MONTH})\b(?!,?\s+{YEAR})"
)
# "March 28 to April 1, 2022", "Nov. 21 to Dec. 2": the month first, perhaps abbreviated as news agencies do.
_RANGE_MD = re.compile(
    rf"\b({_MONTH_OR_SHORT})\s*({DAY})\s*(?:to|until|and|-|\u2013)\s*({_MONTH_OR_SHORT})\s*({DAY})\b(?:,?\s+({YEAR}))?"
)


@dataclass(frozen=True)
class DateRange:
    start: PartialDate
    end: PartialDate
    span: Span


def find_date_range(text: str, start: int = 0, end: int | None = None, yearless: bool = False) -> DateRange | None:
    """The first range of dates in text[start:end], with the year carried from its end; with `yearless`,
    a range of days and months with no year too ('between 11 and 22 December': dates of no year).

    >>> found = find_date_range("Inspection dates: 28 March to 1 April 2022")
    >>> found.start.iso(), found.end.iso(), found.span
    ('2022-03-28', '2022-04-01', Span(start=18, end=42))
    >>> found = find_date_range("between 16 December and 9 January 2018")  # over the new year
    >>> found.start.iso(), found.end.iso()
    ('2017-12-16', '2018-01-09')
    """
    end = len(text) if end is None else end
    candidates = []
    m = _RANGE_DMY.search(text, start, end)
    if m:
        year = int(m.group(6))
        end_month = _month(m.group(5))
        start_month = _month(m.group(2)) if m.group(2) else end_month
        start_year = int(m.group(3)) if m.group(3) else (year if start_month <= end_month else year - 1)
        s = PartialDate(start_year, start_month, int(re.sub(r"\D", "", m.group(1))))
        e = PartialDate(year, end_month, int(re.sub(r"\D", "", m.group(4))))
        if _valid(s) and _valid(e):
            candidates.append(DateRange(s, e, Span(m.start(), m.end())))
    m = _RANGE_MD.search(text, start, end)
    if m:
        given = int(m.group(5)) if m.group(5) else None
        s = PartialDate(given, _month(m.group(1)), int(re.sub(r"\D", "", m.group(2))))
        e = PartialDate(given, _month(m.group(3)), int(re.sub(r"\D", "", m.group(4))))
        if _valid(s) and _valid(e):
            candidates.append(DateRange(s, e, Span(m.start(), m.end())))
    m = _RANGE_NUMERIC.search(text, start, end)
    if m:
        s, e = (PartialDate(int(y), int(mo), int(d)) for d, mo, y in (m.group(1, 2, 3), m.group(4, 5, 6)))
        if _valid(s) and _valid(e) and (s.year, s.month, s.day) <= (e.year, e.month, e.day):
            candidates.append(DateRange(s, e, Span(m.start(), m.end())))
    m = _RANGE_MDD.search(text, start, end)
    if m and (m.group(4) or yearless):
        given = int(m.group(4)) if m.group(4) else None
        s = PartialDate(given, _month(m.group(1)), int(re.sub(r"\D", "", m.group(2))))
        e = PartialDate(given, _month(m.group(1)), int(re.sub(r"\D", "", m.group(3))))
        if _valid(s) and _valid(e) and s.day is not None and e.day is not None and s.day < e.day:
            candidates.append(DateRange(s, e, Span(m.start(), m.end())))
    m = _RANGE_DM.search(text, start, end) if yearless else None
    if m:
        end_month = _month(m.group(4))
        s = PartialDate(None, _month(m.group(2)) if m.group(2) else end_month, int(re.sub(r"\D", "", m.group(1))))
        e = PartialDate(None, end_month, int(re.sub(r"\D", "", m.group(3))))
        # (a month before the first's is the next year's: 'between 16 December and 9 January')
        if _valid(s) and _valid(e) and (s.month != e.month or (s.day or 0) <= (e.day or 0)):
            candidates.append(DateRange(s, e, Span(m.start(), m.end())))
    return min(candidates, key=lambda r: r.span.start) if candidates else None


_BLANKS = re.compile(r"\s*")


def date_at(text: str, pos: int) -> tuple[PartialDate, Span] | None:
    """A full date starting at pos (after blanks): '10 August 2015' or '10/08/2015'."""
    blanks = _BLANKS.match(text, pos)
    start = blanks.end() if blanks else pos
    m = DAY_MONTH_YEAR.match(text, start)
    if m:
        value = PartialDate(int(m.group(3)), _month(m.group(2)), int(re.sub(r"\D", "", m.group(1))))
    else:
        m = NUMERIC_DATE.match(text, start)
        if not m:
            return None
        value = PartialDate(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    if not _valid(value):
        return None
    return value, Span(m.start(), m.end())


def iter_dates(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[PartialDate, Span]]:
    """Every full day-month-year date in text[start:end]."""
    end = len(text) if end is None else end
    for m in DAY_MONTH_YEAR.finditer(text, start, end):
        value = PartialDate(int(m.group(3)), _month(m.group(2)), int(re.sub(r"\D", "", m.group(1))))
        if _valid(value):
            yield value, Span(m.start(), m.end())
