"""English local authorities and their identifiers, from the shipped lookup (data/la-lookup.csv).

The lookup is reference data (ONS GSS code, DfE code, Ofsted URN, region); which
council a document is about is found in the document's own words.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ofsted_kg.resources import data_file
from ofsted_kg.text import squash


@dataclass(frozen=True)
class Council:
    gss_code: str
    name: str
    dfe_code: str
    ofsted_urn: str
    region: str
    region_code: str  # the region's ONS GSS code, e.g. E12000005
    authority_type: str
    names: tuple[str, ...]
    # The DfE's statistical neighbours (GSS codes), closest first.
    neighbours: tuple[str, ...] = ()


@dataclass(frozen=True)
class CouncilMention:
    council: Council
    start: int
    end: int


def _variants(name: str) -> set[str]:
    """The ways a text names a council: 'Bristol, City of' -> 'City of Bristol', 'Bristol City Council', ..."""
    base = {name}
    inverted = re.match(r"^(.*), (City|County) of$", name)
    if inverted:
        base |= {inverted.group(1), f"{inverted.group(2)} of {inverted.group(1)}"}
    out = set()
    for b in base:
        for form in (b, b.replace(" and ", " & "), b.replace(" & ", " and ")):
            out |= {
                form,
                f"City of {form}",
                f"{form} City Council",
                f"{form} County Council",
                f"{form} Council",
                f"{form} Metropolitan Borough Council",
                f"{form} Borough Council",
                f"City of {form} Council",
            }
    return out


class Councils:
    """All English local authorities, with indexes to find them by code, by name and in text."""

    def __init__(self, councils: tuple[Council, ...]):
        self.councils = councils
        self._index = _build_index(councils)

    def by_gss(self, gss_code: str) -> Council | None:
        return self._index.by_gss.get(gss_code)

    def resolve(self, text: str) -> Council | None:
        """The council a name denotes, however the text words and styles it."""
        found = self._index.by_name.get(_fold(text))
        if found:
            return found
        for form in styled_forms(text):
            if form in self._index.by_key:
                return self._index.by_key[form]
        return None

    def resolve_short(self, text: str) -> Council | None:
        """The council a name as a title gives it denotes, also when it is a short form: the
        words at the start of exactly one council's name ('East Riding' for 'East Riding of
        Yorkshire'). None when no council, or more than one, is meant."""
        found = self.resolve(text)
        if found:
            return found
        forms = styled_forms(text)
        core = forms[-1] if forms else ""
        if not core or core.split()[-1] in _CONNECTORS:
            return None
        meant = {c.gss_code for key, c in self._index.by_key.items() if key.startswith(core + " ")}
        meant |= {c.gss_code for key, cs in self._index.ambiguous.items() if key.startswith(core + " ") for c in cs}
        return self.by_gss(meant.pop()) if len(meant) == 1 else None

    def mentions(self, text: str) -> list[CouncilMention]:
        """Every mention of a council in a text, the longest name at each place, no overlaps."""
        index = self._index
        found = []
        pos = 0
        # Only the words that begin as a council's name begins are looked at (found by one regular
        # expression, not word by word in Python: a report has tens of thousands of words).
        for candidate in index.first_words.finditer(text):
            start = candidate.start()
            if start < pos or (start > 0 and text[start - 1] == "_" and not _starts_word(text, start)):
                continue
            word = _WORD.match(text, start)
            if word is None:
                continue
            # A word as _WORD matches it has no apostrophe: its first word is _first_word's, cheaply.
            first = word.group(0).lower().split("-", 1)[0]
            for name, council in index.by_first_word.get("st" if first == "saint" else first, ()):
                m = index.pattern(name).match(text, start)
                if m:
                    found.append(CouncilMention(council, m.start(), m.end()))
                    pos = m.end()
                    break
        return found

    def main_council(self, text: str) -> CouncilMention | None:
        """The council a document is about: the one it names most, the first named on a tie."""
        found = self.mentions(text)
        if not found:
            return None
        counts = Counter(m.council.gss_code for m in found)
        top = max(counts.values())
        return next(m for m in found if counts[m.council.gss_code] == top)


def _fold(text: str) -> str:
    return squash(text.replace("\u2019", "'")).lower()


# How the names of councils are written around the place's name: a style ("Royal Borough of"),
# a kind of council ("Metropolitan Borough Council", "Unitary Authority"), the article.
_LEADING = re.compile(
    r"^(?:the|royal borough of|london borough of|metropolitan borough of|borough of|city and county of|"
    r"city of|county of|county|council of)\s+"
)
_TRAILING = re.compile(
    r"\s+(?:council|borough|metropolitan|district|city|county|unitary authority|of|city of|county of)$"
)
# Words a name's short form cannot end on: it would stop inside the name.
_CONNECTORS = {"and", "of", "upon", "on", "with", "in", "the"}


def _key(text: str) -> str:
    """A name folded for comparing: case, 'St.'/'Saint', '&', hyphens and punctuation do not count."""
    name = _fold(text).replace("&", " and ")
    name = re.sub(r"\bsaint\b", "st", name)
    name = re.sub(r"[.,'()]", " ", name.replace("-", " "))
    return squash(name)


def styled_forms(text: str) -> list[str]:
    """A name, folded (_key), then with each word of style taken off in turn, the bare name last:
    'St. Helens Metropolitan Borough Council' -> [..., 'st helens metropolitan', 'st helens']."""
    name = _key(text)
    forms = [name] if name else []
    while True:
        stripped = _LEADING.sub("", name, count=1)
        if stripped == name:
            stripped = _TRAILING.sub("", name, count=1)
        stripped = stripped.strip()
        if stripped == name or not stripped:
            return forms
        forms.append(stripped)
        name = stripped


_WORD = re.compile(r"[^\W\d_](?:[\w-]*\w)?")


def _first_word(text: str) -> str:
    """The key a name is indexed under: its first word, before any hyphen ('Stoke-on-Trent' is also
    written 'Stoke on Trent'), with 'Saint' as 'St'."""
    m = _WORD.match(text.lower().replace("\u2019", "'"))
    if m is None:
        raise ValueError(f"a council's name that does not start with a word: {text!r}")
    word = m.group(0).split("-")[0]
    return "st" if word == "saint" else word


_Trie = dict[str, "_Trie"]


def _trie(words: list[str]) -> str:
    """A regular expression that matches any of the words, their common beginnings written once (so that
    most places of a text fail at the first letter, where an alternation of 300 words tries each)."""
    if not all(words):
        raise ValueError("an empty word would make every place match")
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def written(node: _Trie) -> str:
        branches = [re.escape(char) + written(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return written(tree)


def _starts_word(text: str, at: int) -> bool:
    r"""Whether a word (_WORD) begins at a letter after an underscore. A word begins at the first letter
    ([^\W\d_]) of a run of word characters and hyphens and takes the run: so a word begins here unless a
    letter comes before it in its run (looked for back to the nearest one, so a text costs what it is long)."""
    back = at - 1
    while back >= 0 and (text[back].isalnum() or text[back] in "_-"):
        if text[back].isalnum() and not text[back].isdecimal():
            return False
        back -= 1
    return True


def _word_pattern(word: str) -> str:
    if word in ("st", "st.", "saint"):
        return r"(?:st\.?|saint)"
    return re.escape(word).replace("'", "['\u2019]")


@dataclass(frozen=True)
class _Index:
    by_gss: dict[str, Council]
    by_name: dict[str, Council]
    # every name of a council, folded (_key) -> the council, for the keys only one council has
    by_key: dict[str, Council]
    ambiguous: dict[str, list[Council]]
    # first word of a name -> (name, council), longest names first
    by_first_word: dict[str, list[tuple[str, Council]]]
    # where a word begins that is the first word of a name: not after a letter, digit or hyphen
    first_words: re.Pattern[str]
    # name -> its pattern, compiled when a text first has the name's first word (most never do)
    patterns: dict[str, re.Pattern[str]]

    def pattern(self, name: str) -> re.Pattern[str]:
        compiled = self.patterns.get(name)
        if compiled is None:
            # Words apart by spaces or hyphens alike: 'Stoke-on-Trent', 'Stoke on Trent'.
            body = r"(?:\s+|\s*-\s*)".join(_word_pattern(w) for w in re.split(r"[ -]+", name))
            compiled = self.patterns[name] = re.compile(rf"{body}(?![\w-])", re.IGNORECASE)
        return compiled


def _build_index(councils: tuple[Council, ...]) -> _Index:
    by_name: dict[str, Council] = {}
    for council in councils:
        for name in council.names:
            by_name.setdefault(_fold(name), council)
    keys: dict[str, dict[str, Council]] = {}
    for council in councils:
        for name in council.names:
            keys.setdefault(_key(name), {})[council.gss_code] = council
    by_first: dict[str, list[tuple[str, Council]]] = {}
    for name, council in sorted(by_name.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        by_first.setdefault(_first_word(name), []).append((name, council))
    return _Index(
        by_gss={c.gss_code: c for c in councils},
        by_name=by_name,
        by_key={k: next(iter(v.values())) for k, v in keys.items() if len(v) == 1},
        ambiguous={k: list(v.values()) for k, v in keys.items() if len(v) > 1},
        by_first_word=by_first,
        first_words=re.compile(rf"(?<![^\W_])(?<!-)(?:{_trie(sorted({*by_first, 'saint'}))})(?!\w)", re.IGNORECASE),
        patterns={},
    )


@lru_cache(maxsize=1)
def load_councils() -> Councils:
    rows = []
    with data_file("la-lookup.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            gss = row["la_code_new"].strip()
            if not re.fullmatch(r"E\d{8}", gss):
                continue
            names = {row["local_authority_ons_name"].strip()}
            for column in ("ltla23nm", "utla23nm"):
                if row.get(column, "").strip():
                    names.add(row[column].strip())
            aka = row.get("also_known_as", "").strip().strip("[]")
            names |= {a.strip() for a in aka.split(",") if a.strip()}
            variants = set()
            for name in names:
                variants |= _variants(name)
            rows.append(
                Council(
                    gss_code=gss,
                    name=_display_name(row["local_authority_ons_name"].strip()),
                    dfe_code=row["la_code"].strip(),
                    ofsted_urn=row["urn"].strip(),
                    region=row["region_name"].strip(),
                    region_code=row.get("rgn22cd", "").strip(),
                    authority_type=row.get("ons_la_type", "").strip(),
                    names=tuple(sorted(variants)),
                    neighbours=tuple(
                        code.strip()
                        for code in row.get("stat_neighbours_la_code", "").split(",")
                        if re.fullmatch(r"E\d{8}", code.strip())
                    ),
                )
            )
    rows.sort(key=lambda c: c.gss_code)
    return Councils(tuple(rows))


def _display_name(name: str) -> str:
    inverted = re.match(r"^(.*), (City|County) of$", name)
    return inverted.group(1) if inverted else name
