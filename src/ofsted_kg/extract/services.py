"""Services, teams, boards and partner bodies named in any document, and the relations the text states.

A service is found by the shape of its name (capitalised words ending in a head
word of a kind of service: "Multi-Agency Safeguarding Hub", "the Power2 service")
or by the generic names of the SKOS scheme ("the virtual school"), or, for a council's own names written
in lower case or in quotation marks, by their shape (service_names). Names are keyed
by a normalised form, so "Strengthening Families Hubs" and "strengthening family
hubs" are one service. What their abbreviations stand for is told by service_abbreviations, and the
relations the text states between the services found here are read by service_relations.

`extract` is a pipeline of plain functions over values that are never changed once made. The passes that
find names run in turn, each given the spans the passes before it took and returning its own mentions:
the capitalised names, then those found by where they stand (placed), then the shaped ones, then the
generic ones; a later pass takes no words an earlier one took. Then come the abbreviations the text
defines, those it uses alone, the mentions keyed by what their abbreviations stand for, and the facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ofsted_kg.councils import load_councils
from ofsted_kg.extract import furniture, service_abbreviations, service_names, service_relations
from ofsted_kg.extract.service_abbreviations import Abbreviation, is_acronym
from ofsted_kg.extract.service_names import Mention
from ofsted_kg.facts import Context, FindingFact, MentionFact, ServiceFact, ServiceRelationFact
from ofsted_kg.facts import service_key as key  # (the one normaliser of service names)
from ofsted_kg.reference import Term, load_reference
from ofsted_kg.text import Quoted, Span, Spans, squash

__all__ = ["extract", "is_acronym", "key"]  # is_acronym and key: for the tests, from where they were

# Names that end like a service's but are the council's department or a generic phrase.
NOT_SERVICES = frozenset({
    "children-service", "children-social-service", "childrens-service", "council-service", "local-authority",
    "social-care-service", "partner-agency", "statutory-service", "specialist-service", "service", "board",
    "heads-of-service", "head-of-service", "position-of-trust",
})  # fmt: skip
# Whose team it is not: the inspectorate's own teams are not the council's services.
NOT_OWNERS = re.compile(r"^(?:Ofsted|Inspection|Her Majesty|His Majesty|National Archives)\b")
# Where the prose ends: the publisher's notices at the foot of a report.
FOOTER = re.compile(
    r"^\s*(?:The Office for Standards in Education|If you would like a copy of this document|You may reuse this information)",
    re.MULTILINE,
)
# A post and its remit: 'Director of Children's Services', 'Cabinet Member for Children and Young People's
# Services' are posts, not services; after 'Chair of the' comes the body chaired.
_POSTS = r"(?:director|member|holder|head|lead|officer|manager|chair|commissioner|minister|secretary)s?\s+(?:of|for)"
POST = re.compile(rf"\b{_POSTS}\b\s*(?:the\s+)?", re.IGNORECASE)
POST_BEFORE = re.compile(rf"\b{_POSTS}\s+(?:[\w'\u2019-]+,?\s+){{0,4}}$", re.IGNORECASE)
# A council's committees, which scrutinise its services and are none: 'Overview and Scrutiny Committee'.
COUNCIL_BODY = re.compile(r"\bscrutiny\b", re.IGNORECASE)
# An action's number opening a cell of a plan ('1b Commission 20 additional supported flats').
LIST_ID = re.compile(r"^\d{1,2}[a-z]\s+")
# Kinds of what a description of a service ends in that is no head word of a kind (service_names).
PLACE_KINDS = {"scheme": "project", "schemes": "project", "gateway": "front-door"}
DETERMINERS = re.compile(
    r"^(?:The|the|A|a|An|an|Our|our|Their|their|This|this|These|these|Its|its|His|Her|All|New|new)\s+"
)
SHORT_LINE = 50  # characters: lines shorter than this are table cells, not wrapped prose
WORD = r"(?:[A-Z][\w@'\u2019&-]*|\d+[A-Za-z][\w@-]*)"
LINK = r"(?:of|and|for|in|on|the|&)"

ServicesFact = ServiceFact | ServiceRelationFact | MentionFact  # what extract yields


@dataclass(frozen=True)
class _Patterns:
    named: re.Pattern[str]
    # Each generic name: its pattern in any case, its kind, and its pattern in lower case without the
    # leading word boundary (see _finditer): a search that starts with a boundary, or is blind to case,
    # cannot skip ahead to the name's first letters, and tries every character.
    generic: tuple[tuple[re.Pattern[str], str, re.Pattern[str]], ...]
    heads: tuple[tuple[str, str], ...]  # head word, kind, longest first
    kind_of_head: dict[str, str]  # head word -> kind (the first of heads' order, where two kinds share one)
    groups: service_relations.Patterns
    professions: service_relations.Patterns


def _flexible(name: str) -> str:
    """A pattern for a lower-case name that also matches its plural and any case."""
    parts = []
    for word in name.split():
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        if word.endswith("y"):
            parts.append(re.escape(word[:-1]) + "(?:y|ies)")
        elif word.endswith("s") and not word.endswith("ss"):
            parts.append(re.escape(word) + "?")
        else:
            parts.append(re.escape(word) + "(?:e?s)?")
    return r"\b" + r"[\s-]+".join(parts) + r"\b"


def _terms_patterns(terms: tuple[Term, ...]) -> service_relations.Patterns:
    names = sorted(((n, t.local) for t in terms for n in t.names), key=lambda x: (-len(x[0]), x[0]))
    return tuple((re.compile(_flexible(n), re.IGNORECASE), local) for n, local in names)


@lru_cache(maxsize=1)  # the reference data's patterns, compiled once per process: they never change
def _patterns() -> _Patterns:
    reference = load_reference()
    heads = sorted(((h, t.local) for t in reference.service_kinds for h in t.names), key=lambda x: (-len(x[0]), x[0]))
    head_alternatives = "|".join(r"\s+".join(re.escape(w) for w in h.split()) for h, _ in heads)
    # A run of capitalised words (with 'of', 'and'... between), and a lower-case head word after it.
    named = re.compile(
        rf"(?<![\w@-])(?P<run>{WORD}(?:\s+(?:{LINK}\s+){{0,2}}{WORD}){{0,8}})(?P<tail>[ \t]+(?:{head_alternatives}))?(?![\w-])"
    )
    generic = sorted(
        ((g, t.local) for t in reference.service_kinds for g in t.generic), key=lambda x: (-len(x[0]), x[0])
    )
    return _Patterns(
        named=named,
        generic=tuple(
            (re.compile(_flexible(g), re.IGNORECASE), kind, re.compile(_flexible(g.lower()).removeprefix(r"\b")))
            for g, kind in generic
        ),
        heads=tuple(heads),
        kind_of_head={h: kind for h, kind in reversed(heads)},
        groups=_terms_patterns(reference.groups),
        professions=_terms_patterns(reference.professions),
    )


def _kind(name: str) -> str | None:
    """The kind of service whose head word (the longest) ends a name, if any."""
    folded = squash(name.lower())
    kinds = _patterns().kind_of_head
    if folded in kinds:
        return kinds[folded]
    # The name's endings after each space, longest first: the longest head that ends it.
    at = folded.find(" ")
    while at >= 0:
        if (kind := kinds.get(folded[at + 1 :])) is not None:
            return kind
        at = folded.find(" ", at + 1)
    return None


def _mention(span: Span, name: str, kind: str) -> Mention:
    return Mention(span, key(name), kind, squash(name))


def _free(found: Iterable[Mention], taken: Iterable[Span]) -> tuple[Mention, ...]:
    """The mentions found, in their order, that overlap no span taken and no mention kept before them."""
    spans = Spans(taken)  # this call's own: what it adds is seen by no other pass
    kept = []
    for m in found:
        if not spans.overlaps(m.span):
            spans.add(m.span)
            kept.append(m)
    return tuple(kept)


# The passes that find names.


def _named(text: str, council_names: frozenset[str]) -> tuple[Mention, ...]:
    """Names made of capitalised words ending in a head word of a kind of service."""
    # The council's names, longest first: "Staffordshire County Council" owns a name before "Staffordshire"
    # does, and a set's order would make the result depend on the hash seed.
    owners = sorted(council_names, key=lambda n: (-len(n), n))
    out = []
    for m in _patterns().named.finditer(text):
        for start, name in _names_in_run(text, m):
            start, name = _unowned(start, name, owners)
            post = POST.search(name)
            if post:
                start, name = start + post.end(), name[post.end() :]
            if (post or POST_BEFORE.search(text, max(0, start - 80), start)) and name.lower().endswith("services"):
                continue
            if len(name.split()) < 2 or NOT_OWNERS.match(name) or COUNCIL_BODY.search(name):
                continue
            if key(name) in NOT_SERVICES or name.lower() in council_names or load_councils().resolve(name):
                continue
            kind = _kind(name)
            if kind:
                out.append(_mention(Span(start, start + len(name)), name, kind))
    return tuple(out)


def _unowned(start: int, name: str, owners: list[str]) -> tuple[int, str]:
    """A name (and where it starts) without what only precedes it: determiners, an action's number and
    an owner ("Wolverhampton's", "Wolverhampton"), as often as they come."""
    while True:
        cut = DETERMINERS.match(name) or LIST_ID.match(name)
        owner = next((n for n in owners if re.match(rf"{re.escape(n)}(?:['\u2019]s)?\s", name.lower())), None)
        if owner and not re.search(r"safeguarding\s+children", name, re.IGNORECASE):
            cut = re.match(rf"^{re.escape(name[: len(owner)])}(?:['\u2019]s)?\s+", name)
        if not cut:
            return start, name
        start, name = start + cut.end(), name[cut.end() :]


def _names_in_run(text: str, m: re.Match[str]) -> list[tuple[int, str]]:
    """The service names in a run of capitalised words: the run if it ends with a head word (two names
    where it reads 'X Board and the Y Panel'), or the run and a lower-case head after it ('the Power2 service')."""
    run, start = m.group("run"), m.start("run")
    # A run goes over a line break only where prose was wrapped; a short line is a cell of a table.
    for br in re.finditer(r"[ \t]*\n\s*", run):
        line_start = text.rfind("\n", 0, start + br.start()) + 1
        if start + br.start() - line_start < SHORT_LINE:
            if m.group("tail") or not _kind(run[: br.start()]):
                rest = run[br.end() :]
                return [(start + br.end() + s, n) for s, n in _split_and(rest) if _kind(n)] if _kind(rest) else []
            run = run[: br.start()]
            break
    if m.group("tail"):
        if "\n" in run or not re.search(r"\d|@|[A-Z]{2}|\w\s+[A-Z]", run):
            return []  # 'Good partnership': a capital that only opens a sentence
        return [(start, text[start : m.end("tail")])]
    return [(start + s, n) for s, n in _split_and(run) if _kind(n)]


def _split_and(run: str) -> list[tuple[int, str]]:
    """'X Board and the Y Panel', 'X Panel and Y Team' -> the two names, with their offsets in the run.

    'Health and Wellbeing Board' stays one: what comes before its 'and' is no service's name.
    """
    out = []
    pos = 0
    for part in re.finditer(r"\s+(?:and|&)\s+(?:(?:the|a|an)\s+)?", run):
        determiner = part.group(0).strip() not in ("and", "&")
        if determiner or _kind(run[pos : part.start()]):
            out.append((pos, run[pos : part.start()]))
            pos = part.end()
    out.append((pos, run[pos:]))
    return out


@dataclass(frozen=True)
class _Placed:
    mentions: tuple[Mention, ...]
    descriptions: tuple[Span, ...]  # set beside a name: no services of their own, and taken


def _placed(text: str, taken: tuple[Span, ...], council_names: frozenset[str]) -> _Placed:
    """Names found by where they stand (see service_names.placed_names), and the descriptions set beside
    them, which are no services of their own."""

    def is_place(name: str) -> bool:
        folded = name.lower()
        councils = load_councils()
        return (
            folded in council_names
            or councils.resolve(name) is not None
            or any(c.region.lower() == folded for c in councils.councils)
        )

    found = service_names.placed_names(text, tuple(h for h, _ in _patterns().heads), is_place)
    candidates = (
        _mention(span, name, _kind(name) or PLACE_KINDS.get(head.lower(), "service"))
        for span, name, head in sorted(found.names, key=lambda f: f[0])
        if key(name) not in NOT_SERVICES and not NOT_OWNERS.match(name) and not COUNCIL_BODY.search(name)
    )
    return _Placed(_free(candidates, (*taken, *found.descriptions)), found.descriptions)


def _shaped(text: str, taken: tuple[Span, ...]) -> tuple[Mention, ...]:
    """Names in lower case or in quotation marks (see service_names), where no other name was found."""
    found = [*service_names.lower_case_names(text), *service_names.quoted_names(text, _kind)]
    candidates = (
        _mention(span, name, kind)
        for span, name in sorted(found, key=lambda f: f[0])
        if (kind := _kind(name)) is not None and key(name) not in NOT_SERVICES
    )
    return _free(candidates, taken)


def _generic(text: str, taken: tuple[Span, ...]) -> tuple[Mention, ...]:
    """The generic names of the kinds of service ('the virtual school'), longest names first."""
    lowered = text.lower()
    same = len(lowered) == len(text) and lowered.isascii() == text.isascii()  # the same offsets
    candidates = (
        _mention(Span(m.start(), m.end()), text[m.start() : m.end()], kind)  # (not lowered's words)
        for any_case, kind, lower_case in _patterns().generic
        for m in (_finditer(lower_case, lowered) if same else any_case.finditer(text))
    )
    return _free(candidates, taken)


def _finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """What finditer gives for the pattern with a word boundary before it (it starts with a word character)."""
    position = 0
    while (m := pattern.search(text, position)) is not None:
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before == "_":
            position = m.start() + 1
        else:
            yield m
            position = m.end()


def _names(text: str, council_names: frozenset[str]) -> tuple[Mention, ...]:
    """The names of services in the text, by the four passes in turn, in the order of the text."""
    boxed = tuple(furniture.spans(text))  # a page's lists of other stories: no services here
    in_box = Spans(boxed)
    named = tuple(m for m in _named(text, council_names) if not in_box.overlaps(m.span))
    # Each pass is given what the passes before it took: their names, and the boxes and descriptions.
    before_placed = (*(m.span for m in named), *boxed)
    placed = _placed(text, before_placed, council_names)
    before_shaped = (*before_placed, *placed.descriptions, *(m.span for m in placed.mentions))
    # Before the generic names: a quoted "strengthening family hubs" is one name, not 'family hubs'.
    shaped = _shaped(text, before_shaped)
    generic = _generic(text, (*before_shaped, *(m.span for m in shaped)))
    # A description set beside a name is no service: a name found in one by the first pass is dropped.
    described = Spans(placed.descriptions)
    found = (*(m for m in named if not described.overlaps(m.span)), *placed.mentions, *shaped, *generic)
    return tuple(sorted(found, key=lambda m: m.span))


# The facts.


def _fact(council: str, m: Mention, abbreviation: Mention | None = None) -> ServiceFact:
    alias = Quoted(abbreviation.name, (abbreviation.span,)) if abbreviation else None
    return ServiceFact(council, m.key, Quoted(m.name, (m.span,)), m.kind, alias)


def _defined_fact(council: str, a: Abbreviation) -> ServiceFact:
    """The service an abbreviation is defined for: the name it abbreviates, or the abbreviation itself."""
    return _fact(council, a.alias_of, a.mention) if a.alias_of else _fact(council, a.mention)


def extract(text: str, context: Context, findings: list[FindingFact]) -> list[ServicesFact]:
    """The services the text names, as facts: each service where it is named (with the abbreviation
    defined for it there) and where an abbreviation alone names it, the relations its sentences state,
    and the findings that name it."""
    council = context.council
    if council is None:
        return []
    council_names = frozenset(n.lower() for c in load_councils().councils if c.gss_code == council for n in c.names)
    footer = FOOTER.search(text)
    text = text[: footer.start()] if footer else text  # offsets are unchanged: only the tail is cut

    found = _names(text, council_names)
    defined = service_abbreviations.defined(text, found, _kind)
    # 'multi-agency safeguarding hub (MASH24)' names MASH24's kind: the service is the abbreviation's.
    kinds_only = frozenset(a.kind_of for a in defined if a.kind_of)
    named = tuple(m for m in found if m not in kinds_only)
    aliases = {a.mention.name: (a.mention.key, a.mention.kind) for a in defined}  # a later definition wins
    known = {m.key: (m.name, m.kind) for m in named}
    alone = service_abbreviations.used_alone(text, found, aliases, known)
    own = tuple(a.mention for a in defined if a.alias_of is None)  # abbreviations naming services of their own
    mentions = service_abbreviations.rekeyed(sorted((*named, *alone, *own), key=lambda m: m.span), aliases)

    patterns = _patterns()
    return [
        *(_defined_fact(council, a) for a in defined),
        *(_fact(council, m) for m in named),
        *(_fact(council, m, m) for m in alone),
        *service_relations.relations(text, council, mentions, patterns.professions, patterns.groups),
        *service_relations.finding_mentions(council, mentions, findings),
    ]
