"""People named by the layout of a line rather than by a sentence: a news article's byline, a meeting's
attendance list ("Jane Smith (JS) - Head of Service"), the
signature of a comment in a committee report ("[Finance comments: Jane Smith, Chief Finance
Officer]"), a lead officer's cell of an action plan's table (drawn with bars, or laid out in
fixed-width columns whose cells run over several lines), and inspectors written with their
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
from ofsted_kg.text import Quoted, Span, squash, trim

_POST_WORD = re.compile(rf"\b{POST_WORDS}\b", re.IGNORECASE)

# "Jane Smith, HMI"; "inspectors Jane Smith and Ann Jones, both His Majesty's Inspectors".
INSPECTORS = re.compile(
    rf"(?P<names>{NAME}(?:,[ \t]+{NAME})*(?:[ \t]+and[ \t]+{NAME})?),\s+(?:(?:both|all)\s+)?"
    rf"(?P<post>{INSPECTOR_POST})(?![\w'\u2019])"
)
# "led by Jane Smith HMI", "Jane Smith (HMI)": the abbreviation right after the name, no comma between. (The
# name takes as few words as it can: in 'Jo Smith Senior HMI', 'Senior' is the post's.)
HMI_AFTER = re.compile(
    rf"(?P<name>{NAME.replace('{1,2}', '{1,2}?')})[ \t]+(?:\([ \t]*)?(?P<post>(?:(?:Senior|Designated)[ \t]+)?S?HMI)\b(?![ \t]*,?[ \t]*[A-Z][a-z])"
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
# "Craig Moorcroft (CM) - Assistant Director, Help and Protection": a line of a meeting's attendance list, the
# person's initials in brackets after the name (which the initials tell from any title before it), then the
# post, which may go on over an indented line.
ATTENDEE = re.compile(
    r"(?m)^[ \t]*(?P<before>[A-Z][A-Za-z.'\u2019 -]{2,80}?)[ \t]+\((?P<initials>[A-Z]{2,3})\)[ \t]*[-\u2013\u2014:][ \t]*"
    r"(?P<post>[^\n]*[^\s])[ \t]*$(?P<more>(?:\n[ \t]{2,}[^\s(][^\n]*)?)"
)
# Who made a statement, on a line of its own over it ('Cllr Jo Smith, Leader of Anytown Council:') or under it
# after a dash ('\u2013 Dr Jo Smith, Director of Children's Services, Anytown Council').
STATEMENT_BY = re.compile(
    rf"(?m)^[ \t]*(?:[\u2013\u2014-][ \t]*)?(?:(?P<hon>{HONORIFIC})\.?[ \t]+)?(?P<name>{NAME}),[ \t]+"
    r"(?P<post>[^\n:]{3,120}?)[ \t]*(?P<colon>:)?[ \t]*$"
)
# The header of a table laid out in fixed-width columns, with a column of lead officers.
COLUMN_HEADER = re.compile(r"(?im)^(?=[^\n]*\S {2,}\S)[^\n]*\b(?:lead|responsible)\s+officers?\b[^\n]*$")
RUN = re.compile(r"\S+(?: \S+)*")


def _name(text: str, start: int, end: int) -> Quoted[str] | None:
    span = personal_name(text, start, end)
    return Quoted(span.quote(text), (span,)) if span else None


def _quoted(text: str, start: int, end: int) -> Quoted[str]:
    span = trim(text, start, end)
    return Quoted(squash(span.quote(text)), (span,))


def _inspectors(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in INSPECTORS.finditer(text):
        post_span = trim(text, *m.span("post"))
        written = post_span.quote(text)
        if re.search(r"(?:Inspector|HMI)s$", written):  # the post of each: 'His Majesty's Inspector'
            post_span = Span(post_span.start, post_span.end - 1)
        post = Quoted(squash(post_span.quote(text)), (post_span,))
        for name in re.finditer(NAME, m.group("names")):
            start = m.start("names") + name.start()
            if found := _name(text, start, start + len(name.group())):
                out.append(PersonFact(found, post, "ofsted", as_at=context.date))
    pos = 0
    while (after := HMI_AFTER.search(text, pos)) is not None:
        if found := _name(text, *after.span("name")):
            out.append(PersonFact(found, _quoted(text, *after.span("post")), "ofsted", as_at=context.date))
            pos = after.end()
        else:  # ('Lead Inspector Jane Smith HMI': not a name at 'Inspector', perhaps one at the next word)
            space = text.find(" ", after.start("name"), after.end("name"))
            pos = space + 1 if space >= 0 else after.end()
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
        if fact := _posted(text, m, context):
            out.append(fact)
    return out


def _posted(text: str, m: re.Match[str], context: Context) -> PersonFact | None:
    """The person a line names with their post (groups 'name', 'post', 'hon'), if the name is a personal one."""
    if not (found := _name(text, *m.span("name"))):
        return None
    hon = _quoted(text, *m.span("hon")) if m.group("hon") else None
    return PersonFact(found, _quoted(text, *m.span("post")), context.council, hon, as_at=context.date)


def _statement_heads(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in STATEMENT_BY.finditer(text):
        dashed = m.group(0).lstrip()[:1] in "-\u2013\u2014"
        post = m.group("post")
        if not (dashed or m.group("colon")) or not _POST_WORD.search(post) or not post_fits(post):
            continue  # (a line of a list or a table, not a statement's signature)
        # (the lines just above it, not the whole text before it: a document of many such lines stays linear)
        above = text[max(0, m.start() - 2000) : m.start()].rstrip()
        line_above = above[above.rfind("\n") + 1 :].strip()
        if dashed and (not above.endswith(('"', "'", "\u201d", "\u2019", ".")) or line_above[:1] in "-\u2013\u2014"):
            continue  # a dashed signature is under a statement; else it is a list's line ('- Virtual School, led by')
        if fact := _posted(text, m, context):
            out.append(fact)
    return out


def _attendees(text: str, context: Context) -> list[PersonFact]:
    out = []
    for m in ATTENDEE.finditer(text):
        words = list(re.finditer(r"\S+", m.group("before")))
        initials = m.group("initials")
        if len(words) < len(initials):
            continue
        first = words[-len(initials)]
        if "".join(w.group()[0] for w in words[-len(initials) :]) != initials:
            continue
        name = _name(text, m.start("before") + first.start(), m.end("before"))
        if name is None:
            continue
        post = m.group("post")
        aside = post.rfind("(")
        if post.endswith(")") and re.match(r"\((?:for|item|items)\b", post[aside:]):
            post = post[:aside].rstrip()  # '(for item 4)': when they were there, not their post
        if not _POST_WORD.search(post):
            continue  # ('Special Guardianship Order (SGO) - an order of the court': a glossary, not a person)
        spans = [trim(text, m.start("post"), m.start("post") + len(post))]
        if m.group("more").strip():
            spans.append(trim(text, m.start("more"), m.end("more")))
        value = squash(" ".join(sp.quote(text) for sp in spans))
        out.append(PersonFact(name, Quoted(value, tuple(spans)), context.council, as_at=context.date))
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


def _column(text: str, header: re.Match[str]) -> tuple[int, int] | None:
    """Where the lead officers' column starts and ends on each line, from its header's place."""
    runs = list(RUN.finditer(header.group()))
    for i, run in enumerate(runs):
        if re.search(r"(?i)\b(?:lead|responsible)\s+officers?\b", run.group()):
            return run.start(), runs[i + 1].start() if i + 1 < len(runs) else 10**6
    return None


def _column_cells(text: str, header: re.Match[str]) -> list[list[Span]]:
    """The cells of the lead officers' column: runs of its lines' pieces, parted by blank lines, until a
    line's words cross the column's edges (the table has ended)."""
    where = _column(text, header)
    if where is None:
        return []
    left, right = where
    cells: list[list[Span]] = []
    cell: list[Span] = []
    pos = header.end() + 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if not line.strip():
            cells, cell = cells + [cell] if cell else cells, []
        elif any(0 < edge < len(line) and line[edge - 1] != " " and line[edge] != " " for edge in (left, right)):
            break
        elif line[left:right].strip():
            cell.append(trim(text, pos + left, pos + min(right, len(line))))
        pos = end + 1
    return cells + [cell] if cell else cells


def _joined(text: str, spans: list[Span]) -> str:
    """A cell's lines as one text: a line ending in a hyphen goes on without a space ('Thackray-' 'Moss')."""
    out = ""
    for span in spans:
        piece = span.quote(text)
        out += piece if not out or out.endswith("-") else " " + piece
    return out


def _columns(text: str, context: Context) -> list[PersonFact]:
    out = []
    for header in COLUMN_HEADER.finditer(text):
        for spans in _column_cells(text, header):
            value = _joined(text, spans)
            m = re.fullmatch(rf"(?P<name>{NAME}),\s*(?P<post>.{{2,80}})", value)
            if not m or not _POST_WORD.search(m.group("post")) or not post_fits(m.group("post")):
                continue
            name = personal_name(value, 0, m.end("name"))
            words = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", m.group("name"))]
            if name is None or all(re.search(rf"(?<![\w-]){w}(?![\w-])", text) for w in words):
                continue
            out.append(
                PersonFact(
                    Quoted(m.group("name"), _pieces(text, spans, m.start("name"), m.end("name"))),
                    Quoted(m.group("post"), _pieces(text, spans, m.start("post"), m.end("post"))),
                    context.council,
                    as_at=context.date,
                )
            )
    return out


def _pieces(text: str, spans: list[Span], start: int, end: int) -> tuple[Span, ...]:
    """The spans of the text holding characters start:end of a cell joined by _joined."""
    out, offset = [], 0
    for i, span in enumerate(spans):
        if i and not text[spans[i - 1].end - 1] == "-":
            offset += 1  # the space _joined put between two lines
        a, b = max(start, offset), min(end, offset + span.end - span.start)
        if a < b:
            out.append(trim(text, span.start + a - offset, span.start + b - offset))
        offset += span.end - span.start
    return tuple(out)


def extract(text: str, context: Context, known: list[PersonFact]) -> list[PersonFact]:
    """People named by these shapes, but not where a sentence's shape has already named them."""
    out = []
    shapes = (_inspectors, _bylines, _signed, _cells, _attendees, _statement_heads)
    # (a name a sentence gave with no post, 'Dr Jo Smith', is named again where a line gives the post)
    taken = {f.name.spans for f in known if f.post is not None}
    for fact in [f for shape in shapes for f in shape(text, context)]:
        if fact.name.spans not in taken:
            taken.add(fact.name.spans)
            out.append(fact)
    # A column's lead officer already named with a post elsewhere is not named again with a piece of it.
    posted = {f.name.value for f in known + out if f.post is not None}
    return out + [f for f in _columns(text, context) if f.name.value not in posted]
