"""Meetings a document names with their dates: 'Cabinet Meeting 14 March 2018', and the bodies a report
says it is to be considered by, each on a line with its date."""

from __future__ import annotations

import re

from ofsted_kg.facts import Context, MeetingFact
from ofsted_kg.text import DAY_MONTH_YEAR, Quoted, Span, lines, parse_date, squash, trim

MEETING = re.compile(
    r"\b(?P<body>Cabinet|Council|Committee|Scrutiny Panel)\s+Meeting\s+(?P<date>" + DAY_MONTH_YEAR.pattern + ")"
)
CONSIDERED_BY = re.compile(r"(?is)\bconsidered\s+by\b")
MEETING_ROW = re.compile(
    r"(?m)^[ \t]*(?P<body>[A-Z][\w\u2019' ]{2,60}?)[ \t]{2,}(?P<date>" + DAY_MONTH_YEAR.pattern + r")[ \t]*$"
)


def extract(text: str, context: Context) -> list[MeetingFact]:
    rows = list(MEETING.finditer(text))
    considered = CONSIDERED_BY.search(text)
    if considered:
        for line in lines(text, considered.end(), min(len(text), considered.end() + 600)):
            if row := MEETING_ROW.match(text, line.start, line.end):
                rows.append(row)
    out = []
    for m in rows:
        # (never None: what DAY_MONTH_YEAR matched gives at least its month and year)
        if (date := parse_date(m.group("date"))) is not None:
            out.append(
                MeetingFact(
                    _q(text, m.start("body"), m.end("body")), Quoted(date, (Span(*m.span("date")),)), context.council
                )
            )
    return out


def _q(text: str, start: int, end: int) -> Quoted[str]:
    span = trim(text, start, end)
    return Quoted(squash(span.quote(text)), (span,))
