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

from ofsted_kg.extract import people, speakers
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
# '"...," said Cllr Jo Smith, who ...': the verb first, then who (a name, perhaps after an honorific, or a
# surname alone).
SAID_WHO = re.compile(
    rf"[,.]?\s*(?:{SPEECH})\s+(?P<who>(?:(?:{people.HONORIFIC})\.?\s+)?(?:{people.NAME}|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
    r"|the\s+report|the\s+council|the\s+authority|inspectors)\b"
)
# '"...," Councillor Jo Smith, the council's lead member, told the agency.': who, with their post, then the verb.
WHO_POST_SAID = re.compile(
    rf"[,.]?\s*(?P<who>(?:(?:{people.HONORIFIC})\.?\s+)?{people.NAME},\s+[^\"\u201c\u201d\n]{{3,150}}?,)\s+(?:{SPEECH})\b"
)
# A statement signed on the line after it: '\u2013 Councillor Jo Smith, Cabinet Member for Children' (who: the
# name, before the post).
DASH_WHO = re.compile(r"[ \t]*\n[ \t]*[\u2013\u2014-][ \t]*(?P<who>[^,\n]{3,80})")
# A statement's heading: who, with their post, and a colon, on a line of its own.
SIGNATURE = re.compile(rf"(?:(?:{people.HONORIFIC})\.?[ \t]+)?{people.NAME},[ \t]+[^\n:]{{3,120}}:")
IN_SENTENCE = re.compile(rf"\b(?:{SPEECH})\b(?:\s+(?:that|it|they|this))?(?:\s+(?:was|were|is|are))?\s*$")
# Reported speech that goes on to quote words of it, in the same sentence: 'wrote that children "now ..."',
# 'said the grade should be seen as "a floor, not a ceiling"'.
REPORTED = re.compile(
    rf"\b(?:(?:{SPEECH}|found|noted)\s+that\b|(?:said|says)\s+(?!that\b)(?=[a-z]))[^.!?:;\"\u201c\u201d]{{0,160}}$"
)
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


def _said(quotation: _Quotation | None) -> speakers.Speaker | None:
    """Who spoke a quotation ('he said' after it may be the same speaker)."""
    return (quotation.speaker, quotation.kind, quotation.organisation, quotation.post) if quotation else None


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
    """Where a quotation opened by a plain single mark closes: a single closing mark after the end of a sentence
    or a clause ('... lose focus.'), or before one ('a long road'.); an apostrophe ("parents' views") is
    neither."""
    for i in range(start, end):
        if text[i] not in "'\u2019":  # (typography mixed: "'our lives have turned around\u2019")
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
    known = speakers.Known.of(persons)
    return _quotations(text, context, known) + _listed(text, context, known)


# "In his report, Lead Inspector Nigel Parkes found that:" followed by a bulleted list.
LIST_INTRO = re.compile(
    rf"^(?P<who>.+?)\s+(?:{SPEECH}|found|noted|reported|concluded|highlighted)(?:\s+that)?\s*:\s*$", re.DOTALL
)
BULLET = re.compile(rf"\s*{BULLET_CLASS}\s")


def _listed(text: str, context: Context, known: speakers.Known) -> list[QuoteFact]:
    """Words quoted in the points of a list its speaker introduces: each stretch is a quotation."""
    out = []
    paragraphs = blocks(text)
    for index, para in enumerate(paragraphs):
        intro = LIST_INTRO.match(para.quote(text))
        if not intro:
            continue
        who = _strip_clause(text, Span(para.start, para.start + intro.end("who")))
        found = speakers.speaker(text, who, context, known, None)
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


def _quotations(text: str, context: Context, known: speakers.Known) -> list[QuoteFact]:
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
            # (and says nothing of who speaks, after its first stretch or its last)
            and not any(
                _attributed(text[seg.end + 1 : para.end].lstrip('"\u201d\u2019, '))
                for seg, _ in (segments[0], segments[-1])
            )
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
            found = speakers.speaker(
                text, _strip_clause(text, _subject(text, intro, intro.end)), context, known, _said(current)
            )
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
                if _attributed(between.lstrip(',"\u201d\u2019 ')) or not between.strip(',"\u201d\u2019\u201c .'):
                    current.spans.append(inner)
                    current.open = not closed
                    continue
            found = _attribute(text, para, inner, closed, context, known, _said(current))
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


def _attributed(words: str) -> bool:
    """Whether words after a quotation say who spoke it ('she said', 'said Cllr Jo Smith', a signature)."""
    return bool(
        AFTER.match(words)
        or SAID_WHO.match(words)
        or WHO_POST_SAID.match(words)
        or DASH_WHO.match("\n" + words.lstrip())
    )


def _introduces(text: str, para: Span) -> bool:
    """A paragraph that ends by introducing a quotation: '..., said:', or a line of its own that names the
    speaker and their post ('Cllr Jo Smith, Leader of Anytown Council:')."""
    words = text[para.start : para.end].rstrip()
    return words.endswith(":") and (BEFORE.search(words) is not None or SIGNATURE.fullmatch(words) is not None)


def _attribute(
    text: str,
    para: Span,
    inner: Span,
    closed: bool,
    context: Context,
    known: speakers.Known,
    last: speakers.Speaker | None,
) -> speakers.Speaker | None:
    """The speaker of a quoted stretch, named before it, after it, or in its sentence."""
    open_at = inner.start - 1
    before = Span(para.start, open_at)
    preceding = text[before.start : before.end]
    # BEFORE ends in a colon: searched for only where there is one (a search for it tries every character).
    if preceding.rstrip().endswith(":") and BEFORE.search(preceding):
        return speakers.speaker(text, _strip_clause(text, _subject(text, para, open_at)), context, known, last)
    if SIGNATURE.fullmatch(preceding.strip()):  # its heading line, just above it
        return speakers.speaker(text, trim(text, before.start, before.end), context, known, last)
    if closed:
        after_start = inner.end
        while after_start < para.end and text[after_start] in ',"\u201d\u2019':
            after_start += 1
        m = (
            AFTER.match(text, after_start, para.end)
            or SAID_WHO.match(text, after_start, para.end)
            or WHO_POST_SAID.match(text, after_start, para.end)
        )
        if m:
            return speakers.speaker(text, Span(m.start("who"), m.end("who")), context, known, last, open_at)
        dash = DASH_WHO.match(text, after_start, para.end)
        if dash:
            # A statement set apart, signed on the line below it: '- Councillor Jo Smith, Cabinet Member ...'
            return speakers.speaker(text, Span(dash.start("who"), dash.end("who")), context, known, None)
    if IN_SENTENCE.search(preceding):
        subject = _subject(text, para, open_at)
        words = subject.quote(text)
        first = re.match(r"^(?:The|the)?\s*\w+", words)
        if first:
            return speakers.speaker(text, Span(subject.start, subject.start + first.end()), context, known, last)
    reported = REPORTED.search(preceding)
    # (not where the clause reports someone else's words: 'Inspectors said parents had told them ... "..."')
    if reported and not re.search(rf"\b(?:{SPEECH})\b", preceding[reported.start() :].split(None, 1)[-1]):
        # 'Lead inspector Jo Smith wrote that children "now receive ..."': the subject of the verb speaks.
        start = next(
            (s.start for s in reversed(sentences(text, para.start, open_at)) if s.start <= open_at), para.start
        )
        subject = _strip_clause(text, trim(text, start, before.start + reported.start()))
        if subject.end > subject.start:
            return speakers.speaker(text, subject, context, known, None)
    return None
