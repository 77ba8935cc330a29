"""Service names that are not capitalised, found by their shape in the text (never from a list).

A council's own projects are often written in lower case ("The care leavers independent collective
and the Children in Care Council...", "the local authority commissioning hub") or, in the press, put in
quotation marks ("reopened eight others as "strengthening family hubs""). Neither is general vocabulary,
so neither may be listed in the reference data: these shapes find them in any council's documents.

Press releases and articles also name a council's own service by a brand before what it is ("the
council's Brightside care leavers' service", "the Launch Luton apprenticeship scheme"), or by a name set
beside a description of it ("The Anchorage, the council's drop-in hub for care leavers", "the care
leavers' forum, Voices of the Anchorage,"): the description is then no service of its own. And the parts
a service combines, or the team it works with, are services, also in lower case ("combines the duty
and assessment service and the early help gateway", "works with the housing options team").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ofsted_kg.text import Span


@dataclass(frozen=True)
class Mention:
    """A service named in the text: where, the key and kind of the service, and the name as written.

    A value: the passes that find, abbreviate and relate services each make new ones, never change one."""

    span: Span
    key: str
    kind: str
    name: str


# Head words that, written in lower case after 'the', end the name of one body rather than a description
# ("the exploitation hub", but not "the inspection team" or "the improvement programme").
LOWER_CASE_HEADS = ("hub", "hubs", "collective", "project")
# Words that describe a body rather than name it: dropped from the front of a name.
DESCRIBING = frozenset(
    "new current existing recent wider whole same pilot research comprehensive effective strong dedicated small "
    "large single joint overall successful innovative well-established latest key daily high old".split()
)
# How adverbs end ('newly', 'recently', 'highly'), unlike 'early' and 'family'.
ADVERB_ENDINGS = ("ally", "ully", "ntly", "ctly", "ghly", "wly", "ely")
# Counts: what comes before 'eight well-being hubs' is not part of the name, nor the count itself.
NUMBERS = frozenset("one two three four five six seven eight nine ten several many".split())
# Words that cannot be inside a name written in lower case: a name is a run of content words.
FUNCTION = frozenset(
    "the a an this that these those its their our his her has have had is are was were be been being which who "
    "whom whose with to by as at from into through within where when while not no all any some each every "
    "also very more most than then there here it they we either neither".split()
)
LINK = frozenset(("of", "and", "for", "in", "on"))
_WORD = r"[a-z][a-z0-9]*(?:['\u2019]s)?(?:-[a-z0-9]+)*"
_LOWER = re.compile(
    rf"\b[Tt]he\s+(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,6}}?[ \t]+(?:{'|'.join(LOWER_CASE_HEADS)}))\b(?![-\u2019'])"
)
# A name in quotation marks: two to six words, the last a head word of a kind of service.
_QUOTED = re.compile(
    r"(?:(?<=\s)|^)[\"\u201c\u2018'](?P<name>[A-Za-z][\w-]*(?:[ \t]+[\w-]+){1,5})[\"\u201d\u2019'](?!\w)"
)


def lower_case_names(text: str) -> Iterator[tuple[Span, str]]:
    """'the <words> hub|collective|project': the words after the last function word, possessive or
    describing word (the owner and 'the new' are not part of the name), at least one before the head."""
    for m in _LOWER.finditer(text):
        start = m.start("name")
        words = list(re.finditer(r"\S+", m.group("name")))
        keep = 0
        for i, word in enumerate(words[:-1]):
            w = word.group(0).lower()
            # 'the development of family hubs', 'the council's hub', 'the newly opened hub': not the name.
            describing = i == keep and (w in DESCRIBING or w.endswith(("ed", *ADVERB_ENDINGS)))
            if w in FUNCTION or w in NUMBERS or w == "of" or w.endswith(("'s", "\u2019s")) or describing:
                keep = i + 1
        body = words[keep:]
        # 'the individual and collective ...': an adjective, not a name.
        if len(body) < 2 or body[0].group(0) in LINK or body[-2].group(0) in ("and", "or"):
            continue
        span = Span(start + body[0].start(), start + body[-1].end())
        yield span, text[span.start : span.end]


def quoted_names(text: str, kind: Callable[[str], str | None]) -> Iterator[tuple[Span, str]]:
    """A name the document puts in quotation marks, when it ends in a head word of a kind of service."""
    for m in _QUOTED.finditer(text):
        name = m.group("name")
        first = name.split()[0].lower()
        describing = first in FUNCTION or first in DESCRIBING or first in NUMBERS
        if kind(name) and not describing and not re.search(r"[.!?;:,]", name):
            yield Span(m.start("name"), m.end("name")), name


# What a description of a service may end in, beside the head words of the kinds of service: words for
# a place or scheme that are no kind of their own ("a drop-in base", "the apprenticeship scheme").
PLACE_HEADS = ("base", "centre", "centres", "scheme", "schemes", "gateway")
# Heads of what a brand can stand before: a council's own service, team, forum or scheme, not a body
# named in capitals anyway ('the Kent Police authority', 'the Leeds Safeguarding Children Partnership').
BRANDED_HEADS = ("service", "services", "team", "teams", "hub", "hubs", "forum", "collective", "project",
                 "programme", "panel", "unit", "offer", *PLACE_HEADS)  # fmt: skip
_CAP = r"[A-Z][\w'\u2019-]*"
_CAPS = rf"{_CAP}(?:[ \t]+(?:(?:of|for|and)[ \t]+)?(?:the[ \t]+)?{_CAP}){{0,4}}"
_DESC_WORD = r"(?!(?:the|a|an|and|or|of|in|for|at|to|with|by|on|which|who|that|is|was)\b)[a-z][\w'\u2019-]*"
# Who a description is given as: 'the council's', 'an', 'Hackney's'.
_AS = r"(?:(?:the[ \t]+)?(?:council|county|borough|city|district|authority)['\u2019]s|its|an?|[A-Z][a-z]+['\u2019]s)"
# A brand, then a few lower-case words ending in a head: its owner or 'the' before it.
_OWNED = r"(?:\b[Tt]he|\b[Oo]ur|\b[Ii]ts|\b[a-z]+['\u2019]s)"


def _heads(kind_heads: tuple[str, ...]) -> str:
    return "|".join(sorted({*kind_heads, *PLACE_HEADS}, key=lambda h: (-len(h), h)))


def appositions(text: str, kind_heads: tuple[str, ...]) -> Iterator[tuple[Span, str, Span]]:
    """A name set beside a description of it: (the name's span, its head word, the description's span).
    'The Anchorage, the council's drop-in hub for care leavers' and 'the care leavers' forum, Voices of
    the Anchorage,'. The name leaves out a leading 'The'."""
    heads = _heads(kind_heads)
    desc = rf"(?P<desc>(?:{_DESC_WORD}[ \t]+){{0,4}}(?P<head>{heads}))\b(?![-\u2019'])"
    after = re.compile(rf"(?<![\w'\u2019-])(?P<name>{_CAPS}),[ \t]+{_AS}[ \t]+{desc}")
    before = re.compile(rf"\b[Tt]he[ \t]+{desc},[ \t]+(?P<name>{_CAPS})(?=,|[ \t]+(?:which|who|that)\b)")
    for pattern in (after, before):
        for m in pattern.finditer(text):
            start = m.start("name")
            name = m.group("name")
            if name.startswith("The "):
                start, name = start + 4, name[4:]
            yield Span(start, start + len(name)), m.group("head"), Span(m.start("desc"), m.end("desc"))


def branded_names(text: str) -> Iterator[tuple[Span, str]]:
    """A brand of one to three capitalised words and a few lower-case words saying what it is, after
    'the' or an owner: "the council's Brightside care leavers' service", "the Launch Luton apprenticeship
    scheme". The name is the brand and its description, as a reader would say it."""
    heads = "|".join(sorted(BRANDED_HEADS, key=lambda h: (-len(h), h)))
    pattern = re.compile(
        rf"{_OWNED}[ \t]+(?:(?:council|county|borough|city|district)['\u2019]s[ \t]+)?"
        rf"(?:(?:{'|'.join(NUMBERS)})[ \t]+)?"
        rf"(?P<name>(?P<brand>{_CAP}(?:[ \t]+{_CAP}){{0,2}})[ \t]+(?:{_DESC_WORD}[ \t]+){{1,3}}(?:{heads}))\b(?![-\u2019'])"
    )
    for m in pattern.finditer(text):
        yield Span(m.start("name"), m.end("name")), m.group("brand")


# What the parts of a service are introduced by, and what a service works with.
_PARTS_CUE = re.compile(
    r"\b(?:combin(?:e|es|ing)|works?[ \t]+(?:closely[ \t]+)?with|working[ \t]+(?:closely[ \t]+)?with)\s+"
)


def partner_names(text: str, kind_heads: tuple[str, ...]) -> Iterator[tuple[Span, str]]:
    """The services a sentence says a service combines or works with, each 'the <words> <head>' of a list
    ('the duty and assessment service and the early help gateway'), in lower case: the words after the
    describing ones ('the old children's centres' -> "children's centres"), two or more."""
    heads = _heads(tuple(h for h in kind_heads if " " not in h))
    part = re.compile(
        rf"the\s+(?P<name>(?:(?!the\b){_WORD}\s+){{1,5}}?(?:{heads}))\b(?![-\u2019'])"
        rf"(?:\s*\([^)\n]{{1,12}}\))?(?P<sep>,?\s+and\s+|,\s+)?"
    )
    for cue in _PARTS_CUE.finditer(text):
        position = cue.end()
        while (m := part.match(text, position)) is not None:
            words = list(re.finditer(r"\S+", m.group("name")))
            keep = 0
            for i, word in enumerate(words[:-1]):
                w = word.group(0).lower()
                if i == keep and (w in DESCRIBING or w in NUMBERS or w.endswith(ADVERB_ENDINGS)):
                    keep = i + 1
            body = words[keep:]
            if len(body) >= 2 and body[0].group(0) not in LINK and body[-2].group(0) not in ("and", "or"):
                start = m.start("name")
                span = Span(start + body[0].start(), start + body[-1].end())
                yield span, text[span.start : span.end]
            if not m.group("sep"):
                break
            position = m.end()


# Capitalised words of government that open no brand: 'the Council's ...', 'the Children's Services
# improvement programme', 'the Government's ...' name the council, a department or the state.
_GOVERNMENT = frozenset(
    "council councils county borough city district authority government department ministry office cabinet "
    "service services children's childrens local national regional england english british uk".split()
)
_HONORIFICS = frozenset("councillor cllr mr mrs ms miss dr sir dame professor lord lady".split())


@dataclass(frozen=True)
class Placed:
    """What placed_names finds: each name as (span, name, head word), and the descriptions set beside a
    name, which name no service of their own."""

    names: tuple[tuple[Span, str, str], ...]
    descriptions: tuple[Span, ...]


def placed_names(text: str, kind_heads: tuple[str, ...], is_place: Callable[[str], bool]) -> Placed:
    """Names found by where they stand (appositions, brands, the parts or partners of a service). A brand
    or name that is a place, a council, a person, a month, an acronym (an organisation's, or a service
    named in full elsewhere) or a word of government is left out."""
    places: dict[str, bool] = {}  # what is_place and the text say of each name: asked once per call

    def doubtful(name: str) -> bool:
        words = name.split()
        first = words[0].lower().rstrip("'\u2019")
        if name not in places:
            places[name] = is_place(name) or bool(
                re.search(rf"\b(?:in|across|near|around)\s+{re.escape(name)}\b(?!\s+[A-Z])", text)
            )
        return (
            places[name]
            or first in _HONORIFICS
            or any(w.lower().strip("'\u2019") in _GOVERNMENT for w in words)
            or name.lower() in MONTH_NAMES
            or all(w.isupper() for w in words)
        )

    beside = tuple(
        (span, head, description)
        for span, head, description in appositions(text, kind_heads)
        if not doubtful(text[span.start : span.end])
    )
    named = {text[span.start : span.end] for span, _, _ in beside}

    def branded(span: Span, brand: str) -> tuple[Span, str, str]:
        # 'The Landing care leavers' forum' where 'The Landing, ... forum' named it: the brand alone.
        name = brand if brand in named else text[span.start : span.end]
        return Span(span.start, span.start + len(name)), name, name.split()[-1]

    return Placed(
        names=(
            *((span, text[span.start : span.end], head) for span, head, _ in beside),
            *(branded(span, brand) for span, brand in branded_names(text) if not doubtful(brand)),
            *((span, name, name.split()[-1]) for span, name in partner_names(text, kind_heads)),
        ),
        descriptions=tuple(description for _, _, description in beside),
    )


MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())
