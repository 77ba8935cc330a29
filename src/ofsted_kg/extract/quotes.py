"""Quotations: who is quoted as saying what, in any kind of document.

A quotation opens with a quotation mark and is attributed by a verb of saying,
before it ("X, the council's Strategic Director, said: ...") or after it
("...," the report said). Following the press convention, a quotation whose
paragraph ends without a closing mark goes on in the next paragraph that opens
with one; a fully quoted paragraph right after a quotation continues it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ofsted_kg.councils import load_councils
from ofsted_kg.extract import people
from ofsted_kg.facts import Context, PersonFact, QuoteFact
from ofsted_kg.text import BULLET_CLASS, Quoted, Span, blocks, sentences, squash, trim

OPEN = '"\u201c\u2018'
CLOSE = '"\u201d\u2019'
SPEECH = people.SPEECH
BEFORE = re.compile(rf"\b(?:{SPEECH})\s*:\s*$")
AFTER = re.compile(
    rf"[,.]?\s*(?P<who>the report|the council|the authority|it|she|he|they|inspectors|{people.NAME})\s+(?:{SPEECH})\b",
    re.IGNORECASE,
)
IN_SENTENCE = re.compile(rf"\b(?:{SPEECH})\b(?:\s+(?:that|it|they|this))?(?:\s+(?:was|were|is|are))?\s*$")
OFSTED_WORDS = re.compile(r"^(?:the report|inspectors|ofsted|the inspectors|the watchdog)$", re.IGNORECASE)
COUNCIL_WORDS = re.compile(r"^(?:the council|the authority|the local authority)$", re.IGNORECASE)
# A council's spokesperson, unnamed: the council speaks ('A Havering Council spokesperson', 'a spokeswoman for
# the council').
SPOKESPERSON = re.compile(
    r"(?:an?|the)\s+(?:(?:[a-z&'\u2019.-]+\s+){0,4}?(?:council|authority)\s+)?spokes(?:person|man|woman)"
    r"(?:\s+for\s+(?:the\s+)?(?:[a-z&'\u2019.-]+\s+){0,4}?(?:council|authority))?"
)
OFSTED_SPOKESPERSON = re.compile(r"(?:an?|the)\s+ofsted\s+spokes(?:person|man|woman)")
# A quotation of fewer words is a scare quote or a grade ('good'), not a quotation.
MIN_WORDS = 3
# A grade in quotation marks is Ofsted's judgement (read as one elsewhere), not a quotation of its words;
# the same word in a council's or a person's mouth is theirs.
GRADE = re.compile(r"(?:outstanding|good|adequate|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?)[.,]?", re.I)
# Paragraphs that may interrupt a quotation running over several paragraphs (a link to another story).
MAX_INTERRUPTIONS = 1


@dataclass
class _Quotation:
    speaker: Quoted[str]
    kind: str
    organisation: str | None
    post: Quoted[str] | None
    spans: list[Span] = field(default_factory=list)
    open: bool = False


# An opening mark starts a paragraph or follows a space, a colon, a bracket or a dash.
_OPENING = re.compile(rf"(?:(?<=^)|(?<=[\s(:\u2014\u2013-]))[{OPEN}]", re.MULTILINE)


def _closing(text: str, start: int, end: int) -> int | None:
    """Where a quotation opened before `start` closes: a closing mark not followed by a letter
    (so "children's" does not close it), after any quotation nested inside it ('got 'good' in')."""
    depth = 0
    for i in range(start, end):
        c = text[i]
        if (
            c in OPEN
            and (i == start or text[i - 1].isspace())
            and c not in CLOSE
            or (c == '"' and (i == start or text[i - 1].isspace()) and i + 1 < end and not text[i + 1].isspace())
        ):
            depth += 1
        elif c in CLOSE and not (i + 1 < end and text[i + 1].isalpha()):
            if c == "\u2019" and i > start and text[i - 1].isalpha() and i + 1 < end and text[i + 1] == "s":
                continue
            if depth == 0:
                return i
            depth -= 1
    return None


def _segments(text: str, para: Span) -> list[tuple[Span, bool]]:
    """Quoted stretches of a paragraph: (inner span, closed?)."""
    out = []
    pos = para.start
    while pos < para.end:
        m = _OPENING.search(text, pos, para.end)
        if not m:
            break
        start = m.end()
        close = _closing(text, start, para.end)
        if close is None:
            out.append((trim(text, start, para.end), False))
            break
        inner = trim(text, start, close)
        value = inner.quote(text).rstrip(",")
        inner = Span(inner.start, inner.start + len(value))
        out.append((inner, True))
        pos = close + 1
    return [(s, c) for s, c in out if s.end > s.start]


# Who said a quotation: the speaker, the kind of speaker, the organisation, the post.
Speaker = tuple[Quoted[str], str, str | None, Quoted[str] | None]


def _speaker(
    text: str, phrase: Span, context: Context, known: dict[str, PersonFact], last: _Quotation | None
) -> Speaker | None:
    """Who a phrase before or after a quotation names: a person, the council, or Ofsted."""
    words = phrase.quote(text)
    apposition = people.APPOSITION.search(words + " said")
    if (
        apposition
        and people.post_fits(apposition.group("post"))
        and people.personal_name(text, phrase.start + apposition.start("name"), phrase.start + apposition.end("name"))
    ):
        name = apposition.group("name")
        start = phrase.start + apposition.start("name")
        post = people._post(words + " said", apposition)
        if post is not None:
            offset = phrase.start
            post = Quoted(post.value, tuple(Span(s.start + offset, s.end + offset) for s in post.spans))
        return (
            Quoted(name, (Span(start, start + len(name)),)),
            "person",
            people.organisation_of(apposition.group("post"), context),
            post,
        )
    titled = people.TITLED.search(words)
    if (
        titled
        and titled.group("name")
        and people.personal_name(text, phrase.start + titled.start("name"), phrase.start + titled.end("name"))
    ):
        start = phrase.start + titled.start("name")
        post_start = phrase.start + titled.start("post")
        return (
            Quoted(titled.group("name"), (Span(start, start + len(titled.group("name"))),)),
            "person",
            "ofsted",
            Quoted(squash(titled.group("post")), (Span(post_start, post_start + len(titled.group("post"))),)),
        )
    folded = squash(words).lower()
    if folded in ("she", "he") and (named := _named_before(text, phrase.start, context, known)) is not None:
        # the one person the paragraph before names, before an earlier quotation's speaker; where it names
        # several, whom the pronoun stands for is not known
        return named or None
    if folded in ("she", "he", "it", "they") and last is not None:
        return last.speaker, last.kind, last.organisation, last.post
    if OFSTED_SPOKESPERSON.fullmatch(folded):
        return Quoted(squash(words), (phrase,)), "ofsted", "ofsted", None
    if SPOKESPERSON.fullmatch(folded) and all(
        m.council.gss_code == context.council for m in load_councils().mentions(words)
    ):
        # (a spokesperson of the council, unnamed: the council speaks; another council's is not this one's)
        return Quoted(squash(words), (phrase,)), "council", context.council, None
    if OFSTED_WORDS.match(folded):
        return Quoted(squash(words), (phrase,)), "ofsted", "ofsted", None
    if COUNCIL_WORDS.match(folded):
        return Quoted(squash(words), (phrase,)), "council", context.council, None
    names = list(re.finditer(people.NAME, words))
    # 'The 2013-14 Annual Adoption Report says:' names a document, not a person.
    span = (
        people.personal_name(text, phrase.start + names[-1].start(), phrase.start + names[-1].end()) if names else None
    )
    if span:
        person = known.get(span.quote(text))
        return (
            Quoted(span.quote(text), (span,)),
            "person",
            person.organisation if person else context.council,
            (person.post if person else None),
        )
    return None


def _named_before(text: str, at: int, context: Context, known: dict[str, PersonFact]) -> Speaker | tuple[()] | None:
    """Whom 'he' or 'she' stands for: the one person the paragraph before names; () where it names several
    (not known); None where it names no one."""
    paragraph = next((b for b in reversed(blocks(text, max(0, at - 1200), at)) if b.end <= at), None)
    if paragraph is None:
        return None
    spans = [
        span
        for m in re.finditer(people.NAME, text[paragraph.start : paragraph.end])
        if (span := people.personal_name(text, paragraph.start + m.start(), paragraph.start + m.end()))
    ]
    names = {s.quote(text) for s in spans}
    if len(names) != 1:
        return None if not names else ()  # no one (the speaker before goes on), or several (not known)
    span = spans[-1]
    person = known.get(span.quote(text))
    post = person.post if person else None
    organisation = person.organisation if person else context.council
    return Quoted(span.quote(text), (span,)), "person", organisation, post


def _subject(text: str, para: Span, quote_start: int) -> Span:
    """The words before the verb of saying, in the sentence the quotation opens in."""
    start = para.start
    for sentence in sentences(text, para.start, para.end):
        if sentence.start < quote_start:
            start = sentence.start
    verb = list(re.finditer(rf"\b(?:{SPEECH})\b", text[start:quote_start]))
    end = start + verb[-1].start() if verb else quote_start
    return trim(text, start, end)


def _strip_clause(text: str, span: Span) -> Span:
    m = re.match(r"^(?:In|At|On|During|After|Speaking)\b[^,]*,\s*", span.quote(text))
    return Span(span.start + m.end(), span.end) if m else span


def extract(text: str, context: Context, persons: list[PersonFact]) -> list[QuoteFact]:
    known = {p.name.value: p for p in persons if p.post is not None}
    return _quotations(text, context, known) + _listed(text, context, known)


# "In his report, Lead Inspector Nigel Parkes found that:" followed by a bulleted list.
LIST_INTRO = re.compile(
    rf"^(?P<who>.+?)\s+(?:{SPEECH}|found|noted|reported|concluded|highlighted)(?:\s+that)?\s*:\s*$", re.DOTALL
)
BULLET = re.compile(rf"\s*{BULLET_CLASS}\s")


def _listed(text: str, context: Context, known: dict[str, PersonFact]) -> list[QuoteFact]:
    """Words quoted in the points of a list its speaker introduces: each stretch is a quotation."""
    out = []
    paragraphs = blocks(text)
    for index, para in enumerate(paragraphs):
        intro = LIST_INTRO.match(para.quote(text))
        if not intro:
            continue
        who = _strip_clause(text, Span(para.start, para.start + intro.end("who")))
        found = _speaker(text, who, context, known, None)
        if found is None:
            continue
        speaker, kind, organisation, post = found
        for item in paragraphs[index + 1 :]:
            line_start = text.rfind("\n", 0, item.start) + 1
            if not BULLET.match(text, line_start):  # the list has ended
                break
            for inner, closed in _segments(text, item):
                words = squash(inner.quote(text))
                # The list's introduction says whose words they are: a word or two is a quotation too.
                if closed and (
                    len(words.split()) >= MIN_WORDS or re.search(r"[a-z]{3}", words) and not GRADE.fullmatch(words)
                ):
                    out.append(
                        QuoteFact(
                            Quoted(squash(inner.quote(text)), (inner,)), speaker, kind, organisation, post, context.date
                        )
                    )
    return out


def _quotations(text: str, context: Context, known: dict[str, PersonFact]) -> list[QuoteFact]:
    quotations: list[_Quotation] = []
    current: _Quotation | None = None
    interruptions = 0
    last_closed_at: int | None = None  # index of the paragraph that closed the last quotation
    paragraphs = blocks(text)
    for index, para in enumerate(paragraphs):
        segments = _segments(text, para)
        starts_quoted = bool(segments) and segments[0][0].start - 1 == para.start
        if current is not None and current.open:
            if starts_quoted:
                for inner, closed in segments:
                    current.spans.append(inner)
                    current.open = not closed
                interruptions = 0
                if not current.open:
                    last_closed_at = index
                continue
            interruptions += 1
            if interruptions <= MAX_INTERRUPTIONS:
                continue
            current.open = False
            current = None
        interruptions = 0
        if (
            starts_quoted
            and current is not None
            and last_closed_at == index - 1
            and not AFTER.match(text[segments[-1][0].end + 1 : para.end].lstrip('"\u201d\u2019, '))
        ):
            # A fully quoted paragraph straight after a quotation: the same speaker goes on.
            for inner, closed in segments:
                current.spans.append(inner)
                current.open = not closed
            last_closed_at = index
            continue
        intro = paragraphs[index - 1] if index > 0 else None
        if starts_quoted and intro is not None and not _segments(text, intro) and _introduces(text, intro):
            # 'Councillor Jane Smith, Cabinet Member for Children, said:' and the quotation in the paragraph
            # after it.
            found = _speaker(text, _strip_clause(text, _subject(text, intro, intro.end)), context, known, current)
            inner, closed = segments[0]
            if found is not None and len(inner.quote(text).split()) >= MIN_WORDS:
                current = _Quotation(*found, [inner], not closed)
                quotations.append(current)
                last_closed_at = index if closed else None
                segments = segments[1:]
        for n, (inner, closed) in enumerate(segments):
            if current is not None and current.spans and current.spans[-1].end > para.start and n > 0:
                # '"...," it said. "..."': a second stretch in the same paragraph, same speaker.
                between = text[current.spans[-1].end : inner.start]
                if AFTER.match(between.lstrip(',"\u201d\u2019 ')) or not between.strip(',"\u201d\u2019\u201c .'):
                    current.spans.append(inner)
                    current.open = not closed
                    continue
            found = _attribute(text, para, inner, closed, context, known, current)
            if found is None:
                continue
            speaker, kind, organisation, post = found
            if len(inner.quote(text).split()) < MIN_WORDS:
                continue
            current = _Quotation(speaker, kind, organisation, post, [inner], not closed)
            quotations.append(current)
            last_closed_at = index if closed else None
    return [
        QuoteFact(
            text=Quoted(squash(" ".join(s.quote(text) for s in q.spans)), tuple(q.spans)),
            speaker=q.speaker,
            speaker_kind=q.kind,
            organisation=q.organisation,
            post=q.post,
            as_at=context.date,
        )
        for q in quotations
    ]


def _introduces(text: str, para: Span) -> bool:
    """A paragraph that ends by introducing a quotation: '..., said:'."""
    words = text[para.start : para.end].rstrip()
    return words.endswith(":") and BEFORE.search(words) is not None


def _attribute(
    text: str,
    para: Span,
    inner: Span,
    closed: bool,
    context: Context,
    known: dict[str, PersonFact],
    last: _Quotation | None,
) -> Speaker | None:
    """The speaker of a quoted stretch, named before it, after it, or in its sentence."""
    open_at = inner.start - 1
    before = Span(para.start, open_at)
    preceding = text[before.start : before.end]
    # BEFORE ends in a colon: searched for only where there is one (a search for it tries every character).
    if preceding.rstrip().endswith(":") and BEFORE.search(preceding):
        return _speaker(text, _strip_clause(text, _subject(text, para, open_at)), context, known, last)
    if closed:
        after_start = inner.end
        while after_start < para.end and text[after_start] in ',"\u201d\u2019':
            after_start += 1
        m = AFTER.match(text, after_start, para.end)
        if m:
            return _speaker(text, Span(m.start("who"), m.end("who")), context, known, last)
    if IN_SENTENCE.search(preceding):
        subject = _subject(text, para, open_at)
        words = subject.quote(text)
        first = re.match(r"^(?:The|the)?\s*\w+", words)
        if first:
            return _speaker(text, Span(subject.start, subject.start + first.end()), context, known, last)
    return None
