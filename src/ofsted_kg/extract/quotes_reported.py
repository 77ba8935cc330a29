"""Words quoted inside reported speech: 'lead inspector Jane Smith said the council had made
"significant and sustained" progress', 'with inspectors finding "tangible" progress', 'The council
said its commitment was "outstanding"', 'the front door was described as "timely and proportionate"'.

quotes.py reads quotations that a verb of saying introduces or closes; here the quotation sits in
the middle of a sentence whose subject and verb say whose words they are. Such quotations are often
one or two words, which quotes.py leaves out as scare quotes: here the sentence says whose they are,
so they are kept. A pronoun ('it found') stands for the body the sentence named before it; a passive
('was described as') for the inspectors or report that the paragraph has as a subject. Where no
subject of these shapes can be found, the quotation is left out.
"""

from __future__ import annotations

import re

from ofsted_kg.extract import people
from ofsted_kg.extract.quotes import CLOSE, GRADE, OPEN, _segments
from ofsted_kg.facts import Context, PersonFact, QuoteFact
from ofsted_kg.text import Quoted, Span, Spans, blocks, sentences, squash

# Verbs by which a subject reports or judges in words: 'said', 'found', 'praises', 'describe'...
VERB = (
    r"(?:said|says|say|saying|found|finds|find|finding|praised|praises|praise|praising|described|describes|"
    r"describe|describing|noted|notes|note|called|calls|call|highlighted|highlights|told|stated|states|"
    r"concluded|concludes|hailed|hails|hail)"
)
# A name keeps its capitals in patterns that ignore case elsewhere.
NAME = rf"(?-i:{people.NAME})"
# Who may be the subject: inspectors and the inspection's words, the council, a named person.
OFSTED = (
    rf"(?:the\s+)?(?:lead\s+)?inspectors?(?:\s+{NAME}(?:\s+and\s+{NAME})?)?"
    r"|(?:the\s+|its\s+|their\s+|her\s+|his\s+)?(?:report|letter)|Ofsted|(?:the\s+)?watchdog"
)
COUNCIL = r"(?:the\s+)?(?:local\s+)?(?:council|authority)"
PRONOUN = r"it|they|she|he"
# The subject right before the verb, after any apposition between commas ('..., both HMIs, say').
SUBJECT = re.compile(
    # (not the object of a preposition: 'parents who spoke to inspectors said ...' are the parents' words; 'with
    # inspectors finding' has them as its subject)
    rf"(?:^|(?<=[\s,(]))(?<!\bto\s)(?<!\bby\s)(?<!\bfrom\s)(?P<who>{OFSTED}|{COUNCIL}|{PRONOUN}|{NAME})"
    rf"(?:,[^,\"\u201c\u201d]{{1,80}},)?\s+(?:(?:also|has|have|had)\s+)?{VERB}\b[^\"\u201c\u201d]*$",
    re.IGNORECASE,
)
PASSIVE = re.compile(
    r"\b(?:is|are|was|were|been|being)\s+(?:said\s+to\s+be|described\s+as|called|praised\s+as|"
    r"found\s+to\s+be|seen\s+as)\s*$",
    re.IGNORECASE,
)
# A sentence whose subject is the inspection's: it can stand behind a passive of the same paragraph.
OFSTED_SUBJECT = re.compile(
    rf"^(?:{OFSTED})\b(?!['\u2019]s)|,\s+(?P<tail>the\s+(?:report|inspectors?))\s+said\b", re.IGNORECASE
)
# The bodies a pronoun may stand for, earlier in its sentence.
BODY = re.compile(rf"\b(?:{OFSTED}|{COUNCIL})\b", re.IGNORECASE)


def _kind(words: str, context: Context) -> tuple[str, str | None] | None:
    folded = squash(words)
    if re.fullmatch(OFSTED, folded, re.IGNORECASE):
        return "ofsted", "ofsted"
    if re.fullmatch(COUNCIL, folded, re.IGNORECASE):
        return "council", context.council
    return None


# Who speaks: the words naming them, their kind ("person", "ofsted", ...), their organisation, their post.
Speaker = tuple[Quoted[str], str, str | None, Quoted[str] | None]


def _person(text: str, span: Span, context: Context, known: dict[str, PersonFact]) -> Speaker | None:
    """A person named by the subject's words, with an inspector's title before the name if any."""
    name = people.personal_name(text, span.start, span.end)
    if name is None:
        return None
    before = text[max(0, name.start - 40) : name.start]
    titled = re.search(r"\b(?P<post>(?:lead|chief|senior)\s+inspector)\s+$", before, re.IGNORECASE)
    person = known.get(name.quote(text))
    if titled:
        start = name.start - len(before) + titled.start("post")
        post = Quoted(squash(titled.group("post")), (Span(start, start + len(titled.group("post"))),))
        return Quoted(name.quote(text), (name,)), "person", "ofsted", post
    if person is None:
        return None  # a name the document gives no post or title for may not be a person's
    return Quoted(name.quote(text), (name,)), "person", person.organisation, person.post


def _subject(text: str, sentence: Span, open_at: int, context: Context, known: dict[str, PersonFact]) -> Speaker | None:
    before = text[sentence.start : open_at]
    m = SUBJECT.search(before)
    if not m:
        return None
    start, end = sentence.start + m.start("who"), sentence.start + m.end("who")
    who = m.group("who")
    if re.fullmatch(PRONOUN, who, re.IGNORECASE):
        # 'When Ofsted inspected in June 2018, it found': the body the sentence named before.
        bodies = list(BODY.finditer(text, sentence.start, start))
        if not bodies:
            return None
        start, end, who = bodies[-1].start(), bodies[-1].end(), bodies[-1].group()
    named = list(re.finditer(NAME, who))
    if len(named) == 1 and re.match(r"(?i:(?:the\s+)?(?:lead\s+)?inspector\s)", who):
        # 'lead inspector Jane Smith said': the inspector herself.
        return _person(text, Span(start + named[0].start(), start + named[0].end()), context, known)
    kind = _kind(who, context)
    if kind:
        return Quoted(squash(who), (Span(start, end),)), kind[0], kind[1], None
    return _person(text, Span(start, end), context, known)


def _paragraph_subject(text: str, para: Span, context: Context) -> Speaker | None:
    """The inspectors or report a paragraph has as a subject, who stand behind its passives."""
    for sentence in sentences(text, para.start, para.end):
        m = OFSTED_SUBJECT.search(sentence.quote(text))
        if m:
            group = "tail" if m.group("tail") else 0
            start, end = sentence.start + m.start(group), sentence.start + m.end(group)
            return Quoted(squash(text[start:end]), (Span(start, end),)), "ofsted", "ofsted", None
    return None


def _repeats(words: str, taken: list[QuoteFact]) -> bool:
    """Words another quotation of the document already holds: the same words quoted again, not a new quotation."""
    pattern = re.compile(rf"(?<!\w){re.escape(words.lower())}(?!\w)")
    return any(pattern.search(q.text.value.lower()) for q in taken)


def extract(text: str, context: Context, persons: list[PersonFact], taken: list[QuoteFact]) -> list[QuoteFact]:
    """Quotations inside reported speech, where no other quotation already holds their words."""
    known = {p.name.value: p for p in persons if p.post is not None}
    held = Spans(s for q in taken for s in q.text.spans)
    out = []
    for para in blocks(text):
        for inner, closed in _segments(text, para):
            if not closed or held.overlaps(inner) or not inner.quote(text).strip(OPEN + CLOSE + " .,"):
                continue
            sentence = next((s for s in sentences(text, para.start, para.end) if s.start < inner.start <= s.end), None)
            if sentence is None:
                continue
            open_at = inner.start - 1
            if PASSIVE.search(text, sentence.start, open_at):
                found = _paragraph_subject(text, para, context)
            else:
                found = _subject(text, sentence, open_at, context, known)
            if found is None:
                continue
            speaker, kind, organisation, post = found
            words = squash(inner.quote(text))
            if kind == "ofsted" and GRADE.fullmatch(words) or _repeats(words, taken):
                continue
            out.append(
                QuoteFact(Quoted(squash(inner.quote(text)), (inner,)), speaker, kind, organisation, post, context.date)
            )
            held.add(inner)
    return out
