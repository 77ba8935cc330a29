"""Abbreviations of service names: those a document defines, and what one used alone stands for.

Moved out of services.py to keep that module small enough to read: finding names is one job, telling
what their abbreviations stand for another. An abbreviation in brackets is an alias when its letters are
the initials of the name before it ("Children in Care Council (CiCC)"); when it adds to them
("multi-agency safeguarding hub (MASH24), which is a combined MASH and emergency duty team") it names a
service of its own, of which the name before it only gives the kind. Each function takes the text and
the mentions found so far and returns new values: nothing here is changed once made.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from ofsted_kg.extract.service_names import Mention
from ofsted_kg.facts import service_key as key
from ofsted_kg.reference import load_reference
from ofsted_kg.text import Span, Spans

ABBREVIATION = re.compile(r"\((?P<abbr>[A-Za-z][A-Za-z0-9@]{1,9})\)")
ACRONYM_TOKEN = re.compile(r"\b(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Za-z][A-Za-z0-9@]{1,9}\b")
DEFINED_COMBINATION = re.compile(
    r"(?P<desc>[A-Za-z][\w -]{2,60}?)\s+\((?P<abbr>[A-Za-z][A-Za-z0-9@]{1,9})\),?\s+which\s+(?:is|was)\s+an?\s+combined\b"
)
# Where DEFINED_COMBINATION can end: it is tried only just before one, not at every character of a report.
_COMBINATION_CUE = re.compile(r"\),?\s+which\s+(?:is|was)\s+an?\s+combined\b")

# What an abbreviation stands for: its service's key and kind, by the abbreviation as written.
Aliases = Mapping[str, tuple[str, str]]


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation where the document defines it, as a mention of the service it stands for."""

    mention: Mention  # its span and letters, with the key and kind of the service it stands for
    alias_of: Mention | None = None  # the name in front of it, when it is that name's initials
    kind_of: Mention | None = None  # the name in front of it, when that only gives its kind ('MASH24')


def _initials(name: str) -> list[str]:
    return [w[0].lower() for w in re.findall(r"[A-Za-z][a-z]*", name)]


def is_acronym(abbreviation: str, name: str) -> bool:
    """Whether the letters of an abbreviation are initials of the name's words, in order ('CiCC', 'Cafcass')."""
    letters = [c.lower() for c in abbreviation if c.isalpha()]
    if not letters or any(c.isdigit() for c in abbreviation):
        return False
    initials = _initials(name)
    i = 0
    for letter in letters:
        while i < len(initials) and initials[i] != letter:
            i += 1
        if i == len(initials):
            return False
        i += 1
    return letters[0] == initials[0]


def defined(text: str, mentions: Sequence[Mention], kind: Callable[[str], str | None]) -> tuple[Abbreviation, ...]:
    """The abbreviations the text defines: in brackets after a name (in the order of the mentions, which
    are sorted), then those defined as 'a combined' service, each once."""
    bracketed = tuple(_bracketed(text, mentions))
    return bracketed + _combinations(text, frozenset(a.mention.name for a in bracketed), kind)


def _bracketed(text: str, mentions: Sequence[Mention]) -> Iterator[Abbreviation]:
    for m in mentions:
        after = ABBREVIATION.match(text, m.span.end + 1) if text[m.span.end : m.span.end + 2] == " (" else None
        if after is None:
            continue
        abbr = after.group("abbr")
        span = Span(after.start("abbr"), after.end("abbr"))
        if is_acronym(abbr, m.name):
            yield Abbreviation(Mention(span, m.key, m.kind, abbr), alias_of=m)
        elif is_acronym(re.sub(r"\d+$", "", abbr), m.name):
            # 'multi-agency safeguarding hub (MASH24)': a service of its own, of that kind.
            yield Abbreviation(Mention(span, key(abbr), m.kind, abbr), kind_of=m)


def _combinations(text: str, taken: frozenset[str], kind: Callable[[str], str | None]) -> tuple[Abbreviation, ...]:
    """'the family support panel (FSP24), which is a combined ...': a service named by its abbreviation
    alone, unless an abbreviation in taken, or one defined before it here, has those letters."""
    out: dict[str, Abbreviation] = {}  # by the letters: the first definition of each
    for d in _defined_combinations(text):
        abbr = d.group("abbr")
        if abbr not in taken and abbr not in out:
            span = Span(d.start("abbr"), d.end("abbr"))
            out[abbr] = Abbreviation(Mention(span, key(abbr), kind(d.group("desc")) or "service", abbr))
    return tuple(out.values())


def _defined_combinations(text: str) -> Iterator[re.Match[str]]:
    """DEFINED_COMBINATION's matches, found from their cue: what finditer gives, without trying the
    pattern at every character (its lazy description made that a quarter of all extraction time)."""
    done = 0
    for cue in _COMBINATION_CUE.finditer(text):
        # A description, spaces and an abbreviation come before the cue: far less than this.
        found = DEFINED_COMBINATION.search(text, max(done, cue.start() - 400), cue.end())
        if found is not None:
            done = found.end()
            yield found


def used_alone(
    text: str, mentions: Sequence[Mention], aliases: Aliases, known: Mapping[str, tuple[str, str]]
) -> tuple[Mention, ...]:
    """Abbreviations used outside any name (`mentions`) and not where defined: each a mention of what
    `aliases` says it stands for, else of the service it is exactly the initials of (see expand; `known`
    gives the document's services, by key, as (name, kind))."""
    mentioned = Spans(m.span for m in mentions)
    out = []
    # The tokens never overlap one another (finditer's matches): only the mentions can hide one.
    for token in ACRONYM_TOKEN.finditer(text):
        abbr = token.group(0)
        span = Span(token.start(), token.end())
        if mentioned.overlaps(span) or text[token.start() - 1 : token.start()] == "(":
            continue
        found = aliases.get(abbr) or expand(abbr, known)
        if found is not None:
            out.append(Mention(span, found[0], found[1], abbr))
    return tuple(out)


def _exact_acronym(abbr: str, name: str) -> bool:
    """Whether an abbreviation is exactly the initials of a name's words ('MASH', 'SEB'), all or content words."""
    letters = "".join(c.lower() for c in abbr if c.isalpha())
    return letters in _exact_acronyms(name)


@functools.lru_cache(maxsize=4096)
def _exact_acronyms(name: str) -> tuple[str, ...]:
    """The initials of a name's words, all of them and its content words only (each abbreviation of a
    document is tried against the same few names)."""
    words = re.findall(r"[A-Za-z][a-z]*", name)
    content = [w for w in words if w.lower() not in ("of", "and", "for", "in", "on", "the")]
    return tuple("".join(w[0].lower() for w in ws) for ws in (words, content) if ws)


def expand(abbr: str, known: Mapping[str, tuple[str, str]]) -> tuple[str, str] | None:
    """An abbreviation used without being defined: the one service named in the document, else the one
    generic service, whose initials it is exactly (as its key and kind)."""
    if any(c.isdigit() for c in abbr):
        return None
    matches = sorted(k for k, (name, _) in known.items() if _exact_acronym(abbr, name))
    if len(matches) == 1:
        return matches[0], known[matches[0]][1]
    reference = load_reference()
    generic = sorted({(key(g), t.local) for t in reference.service_kinds for g in t.generic if _exact_acronym(abbr, g)})
    return generic[0] if len(generic) == 1 else None


def rekeyed(mentions: Sequence[Mention], aliases: Aliases) -> tuple[Mention, ...]:
    """The mentions, each keyed by the service its words stand for: a mention of 'MASH' keyed 'mash'
    where the document defined MASH as the initials of 'Multi-Agency Safeguarding Hub' is keyed as that.

    The aliases apply in their order, each to the keys the ones before it left, as one after another."""
    # Once per abbreviation, not once per mention: a report has thousands of mentions.
    renames = tuple((key(abbr), k) for abbr, (k, _) in aliases.items() if key(abbr) != k)

    def renamed(k: str) -> str:
        for wanted, new in renames:
            if k == wanted:
                k = new
        return k

    return tuple(replace(m, key=renamed(m.key)) for m in mentions)
