"""Service names that are not capitalised, found by their shape in the text (never from a list).

A council's own projects are often written in lower case ("The care leavers independent collective
and the Children in Care Council...", "the local authority commissioning hub") or, in the press, put in
quotation marks ("reopened eight others as "strengthening family hubs""). Neither is general vocabulary,
so neither may be listed in the reference data: these shapes find them in any council's documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ofsted_kg.text import Span

# Head words that, written in lower case after 'the', end the name of one body rather than a description
# ("the exploitation hub", but not "the inspection team" or "the improvement programme").
LOWER_CASE_HEADS = ("hub", "hubs", "collective", "project")
# Words that describe a body rather than name it: dropped from the front of a name.
DESCRIBING = frozenset(
    "new current existing recent wider whole same pilot research comprehensive effective strong dedicated small "
    "large single joint overall successful innovative well-established latest key daily high".split()
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
