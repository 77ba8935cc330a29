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
    rf"[,.]?\s*(?P<who>the report|the council|the authority|it|she|he|they|inspectors|{people.NAME}"
    rf"|(?-i:[A-Z][a-z]+(?:-[A-Z][a-z]+)?))\s+(?:{SPEECH})\b",
    re.IGNORECASE,
)
IN_SENTENCE = re.compile(rf"\b(?:{SPEECH})\b(?:\s+(?:that|it|they|this))?(?:\s+(?:was|were|is|are))?\s*$")
# Reported speech that goes on to quote words of it, in the same sentence: 'wrote that children "now ..."'.
REPORTED = re.compile(rf"\b(?:{SPEECH}|found|noted)\s+that\b[^.!?:;\"\u201c\u201d]{{0,160}}$")
OFSTED_WORDS = re.compile(r"^(?:the report|inspectors|ofsted|the inspectors|the watchdog)$", re.IGNORECASE)
COUNCIL_WORDS = re.compile(r"^(?:the council|the authority|the local authority)$", re.IGNORECASE)
# A council's spokesperson, unnamed: the council speaks ('A Havering Council spokesperson', 'a spokeswoman for
# the council').
SPOKESPERSON = re.compile(
    r"(?:an?|the)\s+(?:(?:[a-z&'\u2019.-]+\s+){0,4}?(?:council|authority)\s+)?spokes(?:person|man|woman)"
    r"(?:\s+for\s+(?:the\s+)?(?:[a-z&'\u2019.-]+\s+){0,4}?(?:council|authority))?"
)
OFSTED_SPOKESPERSON = re.compile(r"(?:an?|the)\s+ofsted\s+spokes(?:person|man|woman)")
# A surname on its own ('Tennant-Shaw said'), one capitalised word.
SURNAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
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


@dataclass(frozen=True)
class _Known:
    """The people the document names: by name, those whose post it gives; by surname, everyone whose
    surname no one else named has (a reporter's 'Tennant-Shaw said' after 'Lorraine Tennant-Shaw')."""

    posted: dict[str, PersonFact]
    surnames: dict[str, PersonFact]
    names: frozenset[str]

    @classmethod
    def of(cls, persons: list[PersonFact]) -> _Known:
        by_surname: dict[str, list[PersonFact]] = {}
        for person in persons:
            words = person.name.value.split()
            if len(words) > 1:
                by_surname.setdefault(words[-1], []).append(person)
        return cls(
            {p.name.value: p for p in persons if p.post is not None},
            {name: found[0] for name, found in by_surname.items() if len({p.name.value for p in found}) == 1},
            frozenset(p.name.value for p in persons),
        )

    def get(self, name: str) -> PersonFact | None:
        return self.posted.get(name)


# An opening mark starts a paragraph or follows a space, a colon, a bracket or a dash; a plain single mark
# (an apostrophe as often) only starts a paragraph or follows a colon ("said: 'This letter shows ...'").
_OPENING = re.compile(rf"(?:(?<=^)|(?<=[\s(:\u2014\u2013-]))[{OPEN}]|(?:(?<=^)|(?<=:)|(?<=:[ \t]))'", re.MULTILINE)


def _closing(text: str, start: int, end: int, mark: str = '"') -> int | None:
    """Where a quotation opened (by `mark`) before `start` closes: a closing mark not followed by a letter
    (so "children's" does not close it), after any quotation nested inside it ('got 'good' in')."""
    if mark == "'":
        return _closing_plain(text, start, end)
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


def _closing_plain(text: str, start: int, end: int) -> int | None:
    """Where a quotation opened by a plain single mark closes: a plain mark after the end of a sentence or a
    clause ('... lose focus.'), or before one ('a long road'.); an apostrophe ("parents' views") is neither."""
    for i in range(start, end):
        if text[i] != "'":
            continue
        after = text[i + 1] if i + 1 < end else ""
        if text[i - 1] in ".,!?" and not after.isalpha() or after in ("", ".", ",", ";", ":", ")", "\n"):
            return i
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
        close = _closing(text, start, para.end, m.group())
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
    text: str, phrase: Span, context: Context, known: _Known, last: _Quotation | None, quote_start: int | None = None
) -> Speaker | None:
    """Who a phrase before or after a quotation (opening at quote_start) names: a person, the council, or
    Ofsted."""
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
    if (
        folded in ("she", "he")
        and (named := _named_before(text, phrase.start, context, known, quote_start)) is not None
    ):
        # the one person named just before, before an earlier quotation's speaker; where several are, whom
        # the pronoun stands for is not known
        return named or None
    if (person := known.surnames.get(squash(words))) is not None:
        return _as_speaker(person.name, context, known)
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


def _named_before(
    text: str, at: int, context: Context, known: _Known, quote_start: int | None = None
) -> Speaker | tuple[()] | None:
    """Whom 'he' or 'she' stands for: the one person named before the quotation in its own paragraph, else in
    the paragraph before; () where it names several (not known); None where neither names anyone."""
    around = blocks(text, max(0, at - 1200), min(len(text), at + 1))
    here = next((i for i, b in enumerate(around) if b.start <= at < b.end), len(around))
    places = [Span(around[here].start, quote_start)] if here < len(around) and quote_start is not None else []
    places += [around[here - 1]] if here > 0 else []  # ('"...," she said.' opens its own paragraph)
    for place in places:
        named = _people_in(text, place, known)
        # (the people the document names, where there are some: 'East Riding' in "Jo Smith, East Riding's
        # director, ..." looks like a name too)
        named = [name for name in named if name.value in known.names] or named
        if len({name.value for name in named}) > 1:
            return ()
        if named:
            return _as_speaker(named[-1], context, known)
    return None


def _people_in(text: str, place: Span, known: _Known) -> list[Quoted[str]]:
    """The people a stretch of text names, in order: by their names, or by a surname the document gives one
    person (then the person's name as the document first gives it)."""
    words = text[place.start : place.end]
    found = [
        (span.start, span.end, Quoted(span.quote(text), (span,)))
        for m in re.finditer(people.NAME, words)
        if (span := people.personal_name(text, place.start + m.start(), place.start + m.end()))
        and not load_councils().mentions(span.quote(text))  # ('East Riding's director')
    ]
    for m in SURNAME.finditer(words):
        start = place.start + m.start()
        person = known.surnames.get(m.group())
        if person is not None and not any(a <= start < b for a, b, _ in found):
            found.append((start, start, person.name))
    return [name for _, _, name in sorted(found, key=lambda item: item[0])]


def _as_speaker(name: Quoted[str], context: Context, known: _Known) -> Speaker:
    person = known.get(name.value)
    post = person.post if person else None
    organisation = person.organisation if person else context.council
    return name, "person", organisation, post


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
    known = _Known.of(persons)
    return _quotations(text, context, known) + _listed(text, context, known)


# "In his report, Lead Inspector Nigel Parkes found that:" followed by a bulleted list.
LIST_INTRO = re.compile(
    rf"^(?P<who>.+?)\s+(?:{SPEECH}|found|noted|reported|concluded|highlighted)(?:\s+that)?\s*:\s*$", re.DOTALL
)
BULLET = re.compile(rf"\s*{BULLET_CLASS}\s")


def _listed(text: str, context: Context, known: _Known) -> list[QuoteFact]:
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


def _quotations(text: str, context: Context, known: _Known) -> list[QuoteFact]:
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
    known: _Known,
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
            return _speaker(text, Span(m.start("who"), m.end("who")), context, known, last, open_at)
    if IN_SENTENCE.search(preceding):
        subject = _subject(text, para, open_at)
        words = subject.quote(text)
        first = re.match(r"^(?:The|the)?\s*\w+", words)
        if first:
            return _speaker(text, Span(subject.start, subject.start + first.end()), context, known, last)
    reported = REPORTED.search(preceding)
    if reported:
        # 'Lead inspector Jo Smith wrote that children "now receive ..."': the subject of the verb speaks.
        start = next(
            (s.start for s in reversed(sentences(text, para.start, open_at)) if s.start <= open_at), para.start
        )
        subject = _strip_clause(text, trim(text, start, before.start + reported.start()))
        if subject.end > subject.start:
            return _speaker(text, subject, context, known, None)
    return None
