"""Abbreviations of service names: whether one is a name's initials, and what one used alone stands for.

Moved out of services.py to keep that module small enough to read: finding names is one job, telling
what their abbreviations stand for another. `key` is facts.service_key, passed in to keep one normaliser.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ofsted_kg.reference import load_reference


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


def _exact_acronym(abbr: str, name: str) -> bool:
    """Whether an abbreviation is exactly the initials of a name's words ('MASH', 'SEB'), all or content words."""
    letters = "".join(c.lower() for c in abbr if c.isalpha())
    words = re.findall(r"[A-Za-z][a-z]*", name)
    content = [w for w in words if w.lower() not in ("of", "and", "for", "in", "on", "the")]
    return any(letters == "".join(w[0].lower() for w in ws) for ws in (words, content) if ws)


def expand(abbr: str, known: dict[str, tuple[str, str]], key: Callable[[str], str]) -> tuple[str, str] | None:
    """An abbreviation used without being defined: the one service named in the document, else the one
    generic service, whose initials it is exactly."""
    if any(c.isdigit() for c in abbr):
        return None
    matches = sorted(k for k, (name, _) in known.items() if _exact_acronym(abbr, name))
    if len(matches) == 1:
        return matches[0], known[matches[0]][1]
    reference = load_reference()
    generic = sorted({(key(g), t.local) for t in reference.service_kinds for g in t.generic if _exact_acronym(abbr, g)})
    return generic[0] if len(generic) == 1 else None
