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
        """The council a name denotes, however the text words it."""
        return self._index.by_name.get(_fold(text))

    def mentions(self, text: str) -> list[CouncilMention]:
        """Every mention of a council in a text, the longest name at each place, no overlaps."""
        index = self._index
        found = []
        pos = 0
        for word in _WORD.finditer(text):
            if word.start() < pos or (
                word.start() > 0 and (text[word.start() - 1].isalnum() or text[word.start() - 1] == "-")
            ):
                continue
            for name, council in index.by_first_word.get(word.group(0).lower().replace("\u2019", "'"), ()):
                m = index.pattern(name).match(text, word.start())
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
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().lower()


_WORD = re.compile(r"[^\W\d_](?:[\w-]*\w)?")


@dataclass(frozen=True)
class _Index:
    by_gss: dict[str, Council]
    by_name: dict[str, Council]
    # first word of a name -> (name, council), longest names first
    by_first_word: dict[str, list[tuple[str, Council]]]
    # name -> its pattern, compiled when a text first has the name's first word (most never do)
    patterns: dict[str, re.Pattern[str]]

    def pattern(self, name: str) -> re.Pattern[str]:
        compiled = self.patterns.get(name)
        if compiled is None:
            body = r"\s+".join(re.escape(w).replace("'", "['\u2019]") for w in name.split(" "))
            compiled = self.patterns[name] = re.compile(rf"{body}(?![\w-])", re.IGNORECASE)
        return compiled


def _build_index(councils: tuple[Council, ...]) -> _Index:
    by_name: dict[str, Council] = {}
    for council in councils:
        for name in council.names:
            by_name.setdefault(_fold(name), council)
    by_first: dict[str, list[tuple[str, Council]]] = {}
    for name, council in sorted(by_name.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        by_first.setdefault(_WORD.match(name).group(0), []).append((name, council))
    return _Index(
        by_gss={c.gss_code: c for c in councils},
        by_name=by_name,
        by_first_word=by_first,
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
