"""Services, teams, boards and partner bodies named in any document, and the relations the text states.

A service is found by the shape of its name (capitalised words ending in a head
word of a kind of service: "Multi-Agency Safeguarding Hub", "the Power2 service")
or by the generic names of the SKOS scheme ("the virtual school"), or, for a council's own names written
in lower case or in quotation marks, by their shape (service_names). Names are keyed
by a normalised form, so "Strengthening Families Hubs" and "strengthening family
hubs" are one service. An abbreviation in brackets is an alias when its letters
are the name's initials ("Children in Care Council (CiCC)"); when it adds to them
("multi-agency safeguarding hub (MASH24), which is a combined MASH and emergency
duty team") it names a service of its own. The relations the text states between the
services found here are read by service_relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ofsted_kg.councils import load_councils
from ofsted_kg.extract import furniture, service_names, service_relations
from ofsted_kg.extract.service_abbreviations import expand, is_acronym
from ofsted_kg.facts import Context, FindingFact, ServiceFact
from ofsted_kg.facts import service_key as key  # (the one normaliser of service names)
from ofsted_kg.reference import Term, load_reference
from ofsted_kg.text import Quoted, Span, Spans, squash

# Names that end like a service's but are the council's department or a generic phrase.
NOT_SERVICES = {
    "children-service", "children-social-service", "childrens-service", "council-service", "local-authority",
    "social-care-service", "partner-agency", "statutory-service", "specialist-service", "service", "board",
    "heads-of-service", "head-of-service", "position-of-trust",
}  # fmt: skip
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
ABBREVIATION = re.compile(r"\((?P<abbr>[A-Za-z][A-Za-z0-9@]{1,9})\)")
ACRONYM_TOKEN = re.compile(r"\b(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Za-z][A-Za-z0-9@]{1,9}\b")
DEFINED_COMBINATION = re.compile(
    r"(?P<desc>[A-Za-z][\w -]{2,60}?)\s+\((?P<abbr>[A-Za-z][A-Za-z0-9@]{1,9})\),?\s+which\s+(?:is|was)\s+an?\s+combined\b"
)
# Where DEFINED_COMBINATION can end: it is tried only just before one, not at every character of a report.
_COMBINATION_CUE = re.compile(r"\),?\s+which\s+(?:is|was)\s+an?\s+combined\b")


@dataclass(frozen=True)
class _Patterns:
    named: re.Pattern[str]
    # Each generic name: its pattern in any case, its kind, and its pattern in lower case without the
    # leading word boundary (see _finditer): a search that starts with a boundary, or is blind to case,
    # cannot skip ahead to the name's first letters, and tries every character.
    generic: list[tuple[re.Pattern[str], str, re.Pattern[str]]]
    heads: list[tuple[str, str]]  # head word, kind, longest first
    groups: list[tuple[re.Pattern[str], str]]
    professions: list[tuple[re.Pattern[str], str]]


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


def _terms_patterns(terms: tuple[Term, ...]) -> list[tuple[re.Pattern[str], str]]:
    names = sorted(((n, t.local) for t in terms for n in t.names), key=lambda x: (-len(x[0]), x[0]))
    return [(re.compile(_flexible(n), re.IGNORECASE), local) for n, local in names]


@lru_cache(maxsize=1)
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
        generic=[
            (re.compile(_flexible(g), re.IGNORECASE), kind, re.compile(_flexible(g.lower()).removeprefix(r"\b")))
            for g, kind in generic
        ],
        heads=heads,
        groups=_terms_patterns(reference.groups),
        professions=_terms_patterns(reference.professions),
    )


def _kind(name: str) -> str | None:
    folded = squash(name.lower())
    for head, kind in _patterns().heads:
        if folded.endswith(" " + head) or folded == head:
            return kind
    return None


@dataclass
class _Mention:
    span: Span
    key: str
    kind: str
    name: str


def _named(text: str, council_names: set[str]) -> list[_Mention]:
    """Names made of capitalised words ending in a head word of a kind of service."""
    out = []
    for m in _patterns().named.finditer(text):
        for start, name in _names_in_run(text, m):
            # Drop what only precedes the name: a determiner, an owner ("Wolverhampton's", "Wolverhampton").
            while True:
                cut = DETERMINERS.match(name) or LIST_ID.match(name)
                # The longest of the council's names that opens the name ("Staffordshire County Council",
                # not "Staffordshire"): a set's order would make the result depend on the hash seed.
                owner = next(
                    (
                        n
                        for n in sorted(council_names, key=lambda n: (-len(n), n))
                        if re.match(rf"{re.escape(n)}(?:['\u2019]s)?\s", name.lower())
                    ),
                    None,
                )
                if owner and not re.search(r"safeguarding\s+children", name, re.IGNORECASE):
                    cut = re.match(rf"^{re.escape(name[: len(owner)])}(?:['\u2019]s)?\s+", name)
                if not cut:
                    break
                start, name = start + cut.end(), name[cut.end() :]
            post = POST.search(name)
            if post:
                start, name = start + post.end(), name[post.end() :]
            if (post or POST_BEFORE.search(text, max(0, start - 80), start)) and name.lower().endswith("services"):
                continue
            if len(name.split()) < 2 or NOT_OWNERS.match(name) or COUNCIL_BODY.search(name):
                continue
            k = key(name)
            if k in NOT_SERVICES or name.lower() in council_names or load_councils().resolve(name):
                continue
            kind = _kind(name)
            if kind:
                out.append(_Mention(Span(start, start + len(name)), k, kind, squash(name)))
    return out


def _names_in_run(text: str, m: re.Match) -> list[tuple[int, str]]:
    """The service names in a run of capitalised words: the run if it ends with a head word (two names
    where it reads 'X Board and the Y Panel'), or the run and a lower-case head after it ('the Power2 service')."""
    run, start = m.group("run"), m.start("run")
    # A run goes over a line break only where prose was wrapped; a short line is a cell of a table.
    for br in re.finditer(r"[ \t]*\n\s*", run):
        line_start = text.rfind("\n", 0, start + br.start()) + 1
        if start + br.start() - line_start < SHORT_LINE:
            if m.group("tail") or not _kind(run[: br.start()]):
                rest = run[br.end() :]
                return [(start + br.end() + s - 0, n) for s, n in _split_and(rest) if _kind(n)] if _kind(rest) else []
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


def _generic(text: str, taken: Spans) -> list[_Mention]:
    out = []
    lowered = text.lower()
    same = len(lowered) == len(text) and lowered.isascii() == text.isascii()  # the same offsets
    for any_case, kind, lower_case in _patterns().generic:
        for m in _finditer(lower_case, lowered) if same else any_case.finditer(text):
            span = Span(m.start(), m.end())
            if taken.overlaps(span):
                continue
            taken.add(span)
            name = text[span.start : span.end]
            out.append(_Mention(span, key(name), kind, squash(name)))
    return out


def _shaped(text: str, taken: Spans) -> list[_Mention]:
    """Names in lower case or in quotation marks (see service_names), where no other name was found."""
    out = []
    found = [*service_names.lower_case_names(text), *service_names.quoted_names(text, _kind)]
    for span, name in sorted(found, key=lambda f: f[0]):
        k, kind = key(name), _kind(name)
        if kind is None or k in NOT_SERVICES or taken.overlaps(span):
            continue
        taken.add(span)
        out.append(_Mention(span, k, kind, squash(name)))
    return out


def _placed(text: str, taken: Spans, council_names: set[str]) -> tuple[list[_Mention], list[Span]]:
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

    heads = tuple(h for h, _ in _patterns().heads)
    found, descriptions = service_names.placed_names(text, heads, is_place)
    for description in descriptions:
        taken.add(description)
    out = []
    for span, name, head in sorted(found, key=lambda f: f[0]):
        k, kind = key(name), _kind(name) or PLACE_KINDS.get(head.lower(), "service")
        if k in NOT_SERVICES or taken.overlaps(span) or NOT_OWNERS.match(name) or COUNCIL_BODY.search(name):
            continue
        taken.add(span)
        out.append(_Mention(span, k, kind, squash(name)))
    return out, descriptions


def _finditer(pattern: re.Pattern[str], text: str):
    """What finditer gives for the pattern with a word boundary before it (it starts with a word character)."""
    position = 0
    while (m := pattern.search(text, position)) is not None:
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before == "_":
            position = m.start() + 1
        else:
            yield m
            position = m.end()


def extract(text: str, context: Context, findings: list[FindingFact]) -> list:
    council = context.council
    if council is None:
        return []
    council_names = {n.lower() for c in load_councils().councils if c.gss_code == council for n in c.names}
    footer = FOOTER.search(text)
    text = text[: footer.start()] if footer else text  # offsets are unchanged: only the tail is cut
    furniture_spans = Spans(furniture.spans(text))  # a page's lists of other stories: no services here
    mentions = [m for m in _named(text, council_names) if not furniture_spans.overlaps(m.span)]
    taken = Spans([*(m.span for m in mentions), *furniture.spans(text)])
    placed, descriptions = _placed(text, taken, council_names)
    described = Spans(descriptions)
    mentions = [m for m in mentions if not described.overlaps(m.span)] + placed
    mentions += _shaped(
        text, taken
    )  # before the generic names: a quoted "strengthening family hubs" is one name, not 'family hubs'
    mentions += _generic(text, taken)
    mentions.sort(key=lambda m: m.span)

    facts: list = []
    aliases: dict[str, tuple[str, str]] = {}  # abbreviation -> (key, kind)
    variants: set[int] = set()  # mentions that are the kind of an abbreviation naming another service
    extra: list[_Mention] = []  # the abbreviations that name services of their own
    for m in mentions:
        after = ABBREVIATION.match(text, m.span.end + 1) if text[m.span.end : m.span.end + 2] == " (" else None
        if after is None:
            continue
        abbr = after.group("abbr")
        abbr_span = Span(after.start("abbr"), after.end("abbr"))
        if is_acronym(abbr, m.name):
            aliases[abbr] = (m.key, m.kind)
            facts.append(ServiceFact(council, m.key, Quoted(m.name, (m.span,)), m.kind, Quoted(abbr, (abbr_span,))))
        elif is_acronym(re.sub(r"\d+$", "", abbr), m.name):
            # 'multi-agency safeguarding hub (MASH24)': a service of its own, of that kind.
            aliases[abbr] = (key(abbr), m.kind)
            variants.add(id(m))
            facts.append(ServiceFact(council, key(abbr), Quoted(abbr, (abbr_span,)), m.kind))
            extra.append(_Mention(abbr_span, key(abbr), m.kind, abbr))

    # 'the family support panel (FSP24), which is a combined ...': a service named by its abbreviation alone.
    for d in _defined_combinations(text):
        abbr = d.group("abbr")
        kind = _kind(d.group("desc")) or "service"
        if abbr not in aliases:
            aliases[abbr] = (key(abbr), kind)
            span = Span(d.start("abbr"), d.end("abbr"))
            facts.append(ServiceFact(council, key(abbr), Quoted(abbr, (span,)), kind))
            extra.append(_Mention(span, key(abbr), kind, abbr))

    for m in mentions:
        if id(m) not in variants:
            facts.append(ServiceFact(council, m.key, Quoted(m.name, (m.span,)), m.kind))
    # Abbreviations used alone: defined in this document, or the initials of a service it names, or of a generic one.
    known = {m.key: (m.name, m.kind) for m in mentions if id(m) not in variants}
    mentioned = Spans(m.span for m in mentions)
    for token in ACRONYM_TOKEN.finditer(text):
        abbr = token.group(0)
        span = Span(token.start(), token.end())
        if mentioned.overlaps(span) or text[token.start() - 1 : token.start()] == "(":
            continue
        found = aliases.get(abbr) or expand(abbr, known, key)
        if found is None:
            continue
        k, kind = found
        mentions.append(_Mention(span, k, kind, abbr))
        mentioned.add(span)
        facts.append(ServiceFact(council, k, Quoted(abbr, (span,)), kind, Quoted(abbr, (span,))))
    mentions = [m for m in mentions if id(m) not in variants] + extra
    mentions.sort(key=lambda m: m.span)
    for abbr, (k, _) in aliases.items():
        wanted = key(abbr)  # once per abbreviation, not once per mention: a report has thousands
        if wanted != k:
            for m in mentions:
                if m.key == wanted:
                    m.key = k

    patterns = _patterns()
    facts += service_relations.relations(text, council, mentions, patterns.professions, patterns.groups)
    facts += service_relations.finding_mentions(council, mentions, findings)
    return facts


def _defined_combinations(text: str):
    """DEFINED_COMBINATION's matches, found from their cue: what finditer gives, without trying the
    pattern at every character (its lazy description made that a quarter of all extraction time)."""
    done = 0
    for cue in _COMBINATION_CUE.finditer(text):
        # A description, spaces and an abbreviation come before the cue: far less than this.
        found = DEFINED_COMBINATION.search(text, max(done, cue.start() - 400), cue.end())
        if found is not None:
            done = found.end()
            yield found
