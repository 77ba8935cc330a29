"""Who speaks the words a document quotes: a person it names (by name, by surname alone, or as 'he' or
'she' after naming them), the council (or its spokesperson), or Ofsted (the report, its inspectors)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_kg.councils import load_councils
from ofsted_kg.extract import people
from ofsted_kg.facts import Context, PersonFact
from ofsted_kg.text import Quoted, Span, blocks, squash

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


@dataclass(frozen=True)
class Known:
    """The people the document names: by name, those whose post it gives; by surname, everyone whose
    surname no one else named has (a reporter's 'Tennant-Shaw said' after 'Lorraine Tennant-Shaw')."""

    posted: dict[str, PersonFact]
    surnames: dict[str, PersonFact]
    names: frozenset[str]

    @classmethod
    def of(cls, persons: list[PersonFact]) -> Known:
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


# Who said a quotation: the speaker, the kind of speaker, the organisation, the post.
Speaker = tuple[Quoted[str], str, str | None, Quoted[str] | None]


def speaker(
    text: str, phrase: Span, context: Context, known: Known, last: Speaker | None, quote_start: int | None = None
) -> Speaker | None:
    """Who a phrase before or after a quotation (opening at quote_start) names: a person, the council, or
    Ofsted."""
    words = phrase.quote(text)
    # A statement's heading line names its speaker with a colon for the verb ('Cllr Jo Smith, Leader of the
    # Council:'): read as the apposition it stands for.
    said = (words.rstrip()[:-1].rstrip() + ", said") if words.rstrip().endswith(":") else words + " said"
    apposition = people.APPOSITION.search(said)
    if (
        apposition
        and people.post_fits(apposition.group("post"))
        and people.personal_name(text, phrase.start + apposition.start("name"), phrase.start + apposition.end("name"))
    ):
        name = apposition.group("name")
        start = phrase.start + apposition.start("name")
        post = people._post(said, apposition)
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
    surname = re.sub(rf"^(?:{people.HONORIFIC})\.?\s+", "", squash(words))
    if (person := known.surnames.get(surname)) is not None and not people.written_in_lower_case(text, surname.lower()):
        return _as_speaker(person.name, context, known)
    if folded in ("she", "he", "it", "they") and last is not None:
        return last
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
    # The last personal name: 'The 2013-14 Annual Adoption Report says:' names a document, not a person;
    # 'Dr Jo Smith, Chair of the Anytown Safeguarding Children Board:' names the board after her.
    span = next(
        (
            found
            for m in reversed(list(re.finditer(people.NAME, words)))
            if (found := people.personal_name(text, phrase.start + m.start(), phrase.start + m.end()))
        ),
        None,
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
    text: str, at: int, context: Context, known: Known, quote_start: int | None = None
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


def _people_in(text: str, place: Span, known: Known) -> list[Quoted[str]]:
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
        # (not a surname the text also writes as a word; and at a sentence's start, where every word has a
        # capital, only a double-barrelled one or one before a verb of saying: 'Young people told inspectors' is
        # no mention of Jo Young)
        opening = not text[place.start : start].rstrip().endswith(tuple("abcdefghijklmnopqrstuvwxyz,;"))
        plain = "-" not in m.group() and not re.match(rf"\s+(?:{people.SPEECH})\b", words[m.end() :])
        if opening and plain:
            continue
        if (
            person is not None
            and not any(a <= start < b for a, b, _ in found)
            and not people.written_in_lower_case(text, m.group().lower())
        ):
            found.append((start, start, person.name))
    return [name for _, _, name in sorted(found, key=lambda item: item[0])]


def _as_speaker(name: Quoted[str], context: Context, known: Known) -> Speaker:
    person = known.get(name.value)
    post = person.post if person else None
    organisation = person.organisation if person else context.council
    return name, "person", organisation, post
