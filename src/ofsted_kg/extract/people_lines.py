"""People named by the layout of a line rather than by a sentence: a news article's byline, the
signature of a comment in a committee report ("[Finance comments: Jane Smith, Chief Finance
Officer]"), a lead officer's cell of an action plan's table, and inspectors written with their
post after their names ("Jane Smith, HMI"; "Jane Smith and Ann Jones, both His Majesty's
Inspectors").

Kept apart from people.py, which holds the test of what a personal name is and the shapes of
sentences; these shapes all ask that test and add a post only where the words name one.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.people import (
    HONORIFIC,
    INSPECTOR_POST,
    NAME,
    POST_WORDS,
    personal_name,
    post_fits,
)
from ofsted_kg.facts import Context, PersonFact
from ofsted_kg.text import Quoted, Span, trim

_POST_WORD = re.compile(rf"\b{POST_WORDS}\b", re.IGNORECASE)

# "Jane Smith, HMI"; "inspectors Jane Smith and Ann Jones, both His Majesty's Inspectors".
INSPECTORS = re.compile(
    rf"(?P<names>{NAME}(?:,[ \t]+{NAME})*(?:[ \t]+and[ \t]+{NAME})?),\s+(?:(?:both|all)\s+)?"
    rf"(?P<post>{INSPECTOR_POST})(?![\w'\u2019])"
)
# "By Jane Smith" on a line of its own, perhaps with the writer's post: a news article's byline.
BYLINE = re.compile(
    rf"(?m)^[ \t]*By[ \t]+(?P<name>{NAME})"
    r"(?:,[ \t]*(?P<post>[^\n|,]{0,50}?\b(?:Reporter|Correspondent|Editor|Writer|Journalist)))?[ \t]*$"
)
# "[Legal comments: Jane Smith, Service Director, Legal and Governance]": who signed a section.
SIGNED = re.compile(
    rf"\[(?:[^\]\n:]{{1,40}}:[ \t]*)?(?:(?P<hon>{HONORIFIC})\.?[ \t]+)?(?P<name>{NAME}),[ \t]*"
    r"(?P<post>[^\]\n]{3,120}?)[ \t]*\]"
)
# "| Jane Smith, Head of Safeguarding |": a cell of a table drawn with bars; a cell the line ends in
# may go on at the start of the next line ("| Jane Smith, Head of | \nChildren in Care | ...").
CELL = re.compile(rf"(?<=\|)[ \t]*(?P<name>{NAME}),[ \t]*(?P<post>[^|\n]{{2,80}}?)[ \t]*\|(?P<end>[ \t]*\n)?")
CELL_GOES_ON = re.compile(r"(?P<more>[^|\n]{2,60}?)[ \t]*\|")


def _name(text: str, start: int, end: int) -> Quoted[str] | None:
    span = personal_name(text, start, end)
    return Quoted(span.quote(text), (span,)) if span else None


def _quoted(text: str, start: int, end: int) -> Quoted[str]:
    span = trim(text, start, end)
    return Quoted(re.sub(r"\s+", " ", span.quote(text)), (span,))


def _inspectors(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in INSPECTORS.finditer(text):
        post_span = trim(text, *m.span("post"))
        written = post_span.quote(text)
        if re.search(r"(?:Inspector|HMI)s$", written):  # the post of each: 'His Majesty's Inspector'
            post_span = Span(post_span.start, post_span.end - 1)
        post = Quoted(re.sub(r"\s+", " ", post_span.quote(text)), (post_span,))
        for name in re.finditer(NAME, m.group("names")):
            start = m.start("names") + name.start()
            if found := _name(text, start, start + len(name.group())):
                out.append(PersonFact(found, post, "ofsted", as_at=context.date))
    return out


def _bylines(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in BYLINE.finditer(text):
        if found := _name(text, *m.span("name")):
            post = _quoted(text, *m.span("post")) if m.group("post") else None
            out.append(PersonFact(found, post, None, as_at=context.date))
    return out


def _signed(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in SIGNED.finditer(text):
        post = m.group("post")
        if not _POST_WORD.search(post) or not post_fits(post):
            continue
        if found := _name(text, *m.span("name")):
            hon = _quoted(text, *m.span("hon")) if m.group("hon") else None
            out.append(PersonFact(found, _quoted(text, *m.span("post")), context.council, hon, as_at=context.date))
    return out


def _cells(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in CELL.finditer(text):
        if not (found := _name(text, *m.span("name"))):
            continue
        post = _quoted(text, *m.span("post"))
        more = CELL_GOES_ON.match(text, m.end()) if m.group("end") else None
        if more and not text.startswith("|", more.start()):
            extra = trim(text, *more.span("more"))
            post = Quoted(f"{post.value} {extra.quote(text)}", (*post.spans, extra))
        if _POST_WORD.search(post.value) and post_fits(post.value):
            out.append(PersonFact(found, post, context.council, as_at=context.date))
    return out


def extract(text: str, context: Context, known: list[PersonFact]) -> list[PersonFact]:
    """People named by these shapes, but not where a sentence's shape has already named them."""
    taken = {f.name.spans for f in known}
    out = []
    for fact in _inspectors(text, context) + _bylines(text, context) + _signed(text, context) + _cells(text, context):
        if fact.name.spans not in taken:
            taken.add(fact.name.spans)
            out.append(fact)
    return out
