"""What a figure measures: the words of its sentence that say so, or nothing.

A percentage, a sum of money or a change is a figure of something only where the sentence ties it to
a noun phrase:
- a 'number / proportion / percentage / rate / share of ...' phrase before it, in its clause, or heading
  the list it is an item of ('The proportion of children entitled to free school meals: - in primary
  schools is 5%');
- the subject of a verb that gives it ('agency workers made up 34 per cent', 'the overspend was £3.1m',
  'average caseloads have fallen to 18', 'the accommodation is estimated to cost £410,000');
- a measure it is 'of' ('a national average of 593 days', 'additional investment of £4.2m');
- a noun phrase it stands in brackets after ('the investment in recommendation 2.3 (£4.2m)');
- what it is a share of, or a sum of or for ('24 per cent of the council's social workers', '£1.2 million
  of investment', '£350,000 for adopter recruitment'), or the words that follow a percentage ('92%
  same-day');
- the figure it is compared with in the same sentence ('down from 40 per cent', 'compared with 56 per
  cent nationally'): the same measure.
Else there is no measure: the few words before a figure ('Inspectors found that 64 per cent') say how it
was found, not what it counts, and such a figure is left out rather than given a measure guessed.
"""

from __future__ import annotations

import re

from ofsted_kg.text import DASHES, LIST_GLYPH_CLASS, squash

# A measure named outright: 'the number of children in care', 'the proportion of agency staff'.
_NAMED = re.compile(r"\b(?:number|proportion|percentage|rate|share)\s+of\b", re.IGNORECASE)
# Where a clause ends, for a measure named before a figure: a comma, a semicolon, a dash set off by spaces,
# a bullet, 'and that', 'while' (not a colon: a list's items after it are parts of the measure its heading
# names).
_CLAUSE_END = re.compile(
    rf"[,;](?:\s|$)|\.(?:\s|$)|{LIST_GLYPH_CLASS}|\s[\u2010-\u2015\u2212-]\s|\s(?:and\s+that|while|whilst|whereas|but)\s",
    re.IGNORECASE,
)
# A list's heading that names a measure ('The proportion of children entitled to free school meals:'), whose
# items follow it in the same run of text ('- in primary schools is 5%').
_HEADING = re.compile(r"\b(?:number|proportion|percentage|rate|share)\s+of\b[^.:]*:", re.IGNORECASE)
# A verb that gives its subject the figure after it; 'has', 'have' alone where the figure's own words
# begin with the verb ('have | fallen to 18', 'have | come down from 25 to 17').
_VERB = re.compile(
    r"(?:\b(?:now|currently|still|also|already|recently|then|only)\s+){0,3}"
    r"(?:\b(?:has|have|had)\s+(?:now\s+)?(?:been\s+)?)?"
    r"(?P<verb>\b(?:is|was|are|were|stood\s+at|stands?\s+at|made\s+up|makes?\s+up|reached|reaches|"
    r"totall?ed|totals|averaged|averages|averaging|amounted\s+to|amounts?\s+to|equated\s+to|equates?\s+to|"
    r"(?:fallen|fell|falls|risen|rose|rises|increased|decreased|reduced|dropped|improved|grown|grew|"
    r"come\s+down|came\s+down|gone\s+up|gone\s+down|went\s+up|went\s+down)(?:\s+to)?|"
    r"(?:is|was|are|were)\s+(?:estimated|expected|forecast|projected|budgeted)\s+to\s+(?P<cost>cost)|"
    r"(?:will\s+)?(?P<costs>costs?)|"
    r"(?:is|was|are|were)\s+(?:now\s+)?(?:down|up)\s+to)"
    r"|\b(?:has|have|had))\s*$",
    re.IGNORECASE,
)
# A figure compared with the one before it: the same measure.
_COMPARED = re.compile(
    r"\b(?:down\s+from|up\s+from|compared\s+(?:with|to)|against|than|as\s+against|"
    r"(?:the\s+)?(?:national|england|regional)\s+(?:average|figure|rate|level)\s+(?:is|was|of|at))\s*$",
    re.IGNORECASE,
)
# The second figure of a change: 'fallen from 30 per cent of the workforce in 2018 to | 11 per cent'.
_CHANGED_TO = re.compile(r"\bfrom\b[^.;]{0,120}\bto\s*$", re.IGNORECASE)
# Nouns that a figure is a value 'of' (general vocabulary of figures and money, not any council's).
_MEASURE_NOUNS = frozenset(
    "average total rate level figure increase decrease reduction rise fall investment funding budget overspend "
    "underspend spend spending cost costs saving savings grant allocation sum share caseload caseloads target "
    "peak high low maximum minimum score amount proportion percentage number pressure deficit surplus income "
    "contribution uplift".split()
)
# Words a noun phrase read backwards stops at: joining words, and verbs of saying and finding.
_STOP = frozenset(
    "that which who whom whose and but or nor while whilst whereas as with when where because so if than then "
    "since although though despite after before until found find finds noted notes said says say showed shows "
    "show reported reports means meant highlighted highlights confirmed confirms added adds explained revealed "
    "reveals stated states approves approved agreed agreeing agrees told tells is was are were be been has have "
    "had will would can could should may might must do does did".split()
)
_COUNT_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred "
    "half quarter third".split()
)
_LEADING = frozenset("the a an this these those its their our his her in at on by for from to of".split())
_PRONOUNS = frozenset("this that it they these those there which what he she we you".split())
# A number that names a thing ('recommendation 2.3', 'action 1b') rather than counts one.
_NAMES_A_NUMBER = frozenset("recommendation action priority paragraph section appendix table item point".split())
_YEAR = re.compile(r"^(?:19|20)\d\d(?:[/-]\d{2,4})?$")
_NUMBER = re.compile(r"^[\d,.]+%?$")
# Forward from 'of' or 'for': a noun phrase ends at a verb, a joining word, or a date ('in June 2018').
_FORWARD_STOP = (_STOP - {"after"}) | frozenset(
    "being live lived remain remained nationally compared against during".split()
)
_DATE_WORD = re.compile(
    r"^(?:(?:19|20)\d\d\S*|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|early|late|spring|summer|autumn|winter|the\s+past|last|this|previous)$",
    re.IGNORECASE,
)
_MAX_WORDS = 7
# Another figure in the words before one: a percentage, a sum or a number ('80%', '£2m', '350').
_A_FIGURE = re.compile(r"\d(?:[\d,.]*\d)?\s?(?:%|per\s?cent\b|m\b|million\b)|£\s?\d[\d,.]*")
# Words after a percentage that say where or how, not of what ('reduced by 15% across the service').
_NOT_DESCRIBING = frozenset(
    "across through overall over under within among amongst per above below against compared since during "
    "throughout between into onto towards upon via year years month months".split()
)
_LIST_REACH = 400  # how far above a figure its list's heading may stand
_REACH = 400  # how far before or after a figure its measure's words may stand


def measure_of(text: str, start: int, at: int, end: int, stop: int, kind: str, previous: str | None) -> str | None:
    """What the figure at text[at:end] measures, read from its sentence text[start:stop]; `kind` is
    'percent', 'money' or 'change'; `previous` is the measure of the figure before it in the sentence.
    None where the sentence does not say."""
    # (the words near the figure: a measure is stated close to it, and a long sentence is read in bounded time)
    before = squash(text[max(start, at - _REACH) : at])
    after = squash(text[end : min(stop, end + _REACH)])
    if previous is not None and (_COMPARED.search(before) or _CHANGED_TO.search(before)):
        return previous
    clause = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0) :]
    # (a measure named before another figure of the clause is that figure's: 'The proportion of children
    # seen within 10 days was 80% and 5% of staff ...')
    clause = clause[max((m.end() for m in _A_FIGURE.finditer(clause)), default=0) :]
    named = list(_NAMED.finditer(clause))
    # (a list's heading may stand sentences above: each item after it is a sentence of its own)
    wider = squash(text[max(0, start - _LIST_REACH, at - _LIST_REACH - _REACH) : at])
    heading = list(_HEADING.finditer(wider))
    # (the list's heading, not a 'proportion of' that runs on through it into the first item)
    # (the list goes on up to the figure itself: '... see table 3. 40% of children' is a new sentence)
    in_list = heading and _in_list(f"{wider[heading[-1].end() :]} {text[at : at + 1]}")
    if in_list and (not named or ":" in clause[named[-1].start() :]):
        begin = max([heading[-1].end(), *(m.end() for m in _CLAUSE_END.finditer(wider, heading[-1].end()))])
        verb = _VERB.search(wider, begin)
        item = re.findall(r"[\w'\u2019-]+", wider[begin : verb.start() if verb else len(wider)])
        return squash(" ".join([heading[-1].group()[:-1], *item])).lower()
    if named:
        phrase = clause[named[-1].start() :]
        phrase = re.split(
            r"\s+(?:reducing|falling|rising|increasing|has|have|was|were|is|are|went|fell|rose)\b", phrase
        )[0]
        return phrase.strip(" -,").lower()
    verb = _VERB.search(before)
    if verb is not None and (subject := _backwards(before[: verb.start()].split())):
        if verb.group("cost") or verb.group("costs"):
            return f"cost of {subject}"
        share = _forwards(after, "of") if kind == "percent" else None
        return f"{subject} as a proportion of {share}" if share else subject
    words = before.split()
    if len(words) >= 2 and words[-1].lower() == "of" and words[-2].lower().strip(",") in _MEASURE_NOUNS:
        if measure := _backwards(words[:-1], limit=3):
            return measure
    if before.endswith("(") and (named_before := _backwards(before[:-1].split())):
        return named_before
    if kind == "percent" and (share := _forwards(after, "of")):
        return f"proportion of {share}"
    if kind == "percent" and (what := _described(after)):
        return what
    if kind == "money":
        if of := _forwards(after, "of"):
            return of
        if purpose := _forwards(after, "for"):
            return f"funding for {purpose}"
    return None


def _in_list(since: str) -> bool:
    """Whether text after a list's heading is still its list: its items go on with the heading's words, in
    lower case ('- in secondary schools is 13%'); a sentence or an item that begins with a capital after a
    stop or a bullet ('. Children and young people ...') is not one of them."""
    if re.search(rf"(?:[.:;]|{LIST_GLYPH_CLASS}|\s[{re.escape(DASHES)}])\s*[^\w\s]*\s*[A-Z]", since):
        return False
    # (and a full stop followed by anything but an item's mark or lower case ends it: '. 40% of children')
    return all(
        m.group(1).islower() or re.fullmatch(rf"{LIST_GLYPH_CLASS}|[{re.escape(DASHES)}\u2015]", m.group(1))
        for m in re.finditer(r"[.;]\s+(\S)", since)
    )


def _backwards(words: list[str], limit: int = _MAX_WORDS) -> str | None:
    """The noun phrase that ends a run of words, read back to a joining word, a verb of saying, a year,
    punctuation or `limit` words; without a leading article or preposition. None if nothing is left, or
    only a pronoun."""
    taken: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        bare = word.strip("\"'\u2018\u2019\u201c\u201d").lower()
        if word != words[-1] and re.search(r"[,;:)(]$", word):
            break
        if word.startswith("("):  # ('(the national average is'): the phrase opens the bracket
            if bare[1:] not in _STOP:
                taken.insert(0, word[1:])
            break
        if bare in _STOP or bare in _COUNT_WORDS or _YEAR.match(bare) or not re.search(r"\w", bare):
            break
        if _NUMBER.match(bare) and not (i > 0 and words[i - 1].lower() in _NAMES_A_NUMBER):
            break
        taken.insert(0, word.strip(",;:"))
        if len(taken) == limit:
            break
    while taken and taken[0].lower() in _LEADING:
        taken.pop(0)
    if not taken or (len(taken) == 1 and taken[0].lower() in _PRONOUNS):
        return None
    return " ".join(taken).lower()


def _described(after: str) -> str | None:
    """The few lower-case words right after a percentage that say what it is of ('92% same-day', '87%
    attendance'), up to a verb, a joining word, a number or punctuation."""
    taken: list[str] = []
    for word in after.split()[:3]:
        bare = word.strip(".,;:")
        # (not a verb's past: 'Only 80.6% participated')
        if (
            not re.fullmatch(r"[a-z][a-z'-]*", bare)
            or bare.endswith("ed")
            or bare in _NOT_DESCRIBING
            or bare in _FORWARD_STOP
            or bare in _LEADING
            or _DATE_WORD.match(bare)
        ):
            break
        taken.append(bare)
        if bare != word:
            break
    return " ".join(taken) or None


def _forwards(after: str, joined_by: str) -> str | None:
    """The noun phrase after `joined_by` ('of', 'for') at the start of `after`: up to a verb, a joining
    word, a date or punctuation."""
    words = after.split()
    if not words or words[0].lower() != joined_by:
        return None
    taken: list[str] = []
    for i, word in enumerate(words[1:], 1):
        bare = word.strip("\"'\u2018\u2019\u201c\u201d.,;:").lower()
        if bare in _FORWARD_STOP or not bare:
            break
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if bare in ("in", "on", "at", "by", "since") and _DATE_WORD.match(nxt.strip(".,;:")):
            break
        if bare == "to" and not (taken and _NUMBER.match(taken[-1]) and _NUMBER.match(nxt.strip(".,;:)"))):
            break  # ('of children to be placed'; but 'aged 19 to 21')
        taken.append(word.strip(".,;:()"))
        if re.search(r"[.,;:)]$", word) or len(taken) == _MAX_WORDS:
            break
    while taken and taken[0].lower() in _LEADING - {"the"}:
        taken.pop(0)
    return " ".join(taken).lower() if taken else None
