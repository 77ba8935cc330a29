"""The cells of an action plan's rows, made into facts, whatever layout the table came in.

Councils print their action plans as tables with much the same columns (Recommendation or Area for
improvement, Action, Milestone, Timescale or Target date, Lead officer or Owner, Progress or Status,
RAG), but text conversion leaves those tables in different shapes. Each layout's reader
(`action_table` for fixed-width columns, `action_stacked` for cells printed one after another) finds
the cells of each row, as spans of the text, and names each cell's column by its heading. This module
holds what the readers share: the words of column headings, and turning a row's cells into an
ActionFact (the recommendation it answers, its text, milestone, timescale, lead officers, progress,
RAG rating and completion) and the lead officers' posts into PersonFacts.

A cell is a list of spans, one for each piece of text it was read from (a line of a column, a run of
lines): its value joins them with single spaces, a word broken at a hyphen at the end of a line
('Thackray-' / 'Moss') joined whole.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard

from ofsted_kg.extract.people import HONORIFIC, NOT_NAME_WORDS, POST_WORDS, personal_name
from ofsted_kg.facts import ActionFact, InspectionRef, MilestoneFact, PersonFact
from ofsted_kg.text import MONTH, YEAR, PartialDate, Quoted, Span, parse_date, squash

_SHORT_MONTH = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
# A column's kind, from the words of its heading (the whole heading, case and spacing folded).
HEADINGS = (
    # The action's own number ('Ref', 'No.', 'Action no'): '1.1', '2b'.
    ("label", r"ref\.?|reference|no\.?|number|id|#|action\s+(?:no\.?|number|ref\.?)"),
    (
        "rec",
        r"(?:ofsted\s+)?(?:recommendations?|recs?\.?|areas?\s+(?:for|of)\s+(?:improvement|development)"
        r"|areas?\s+(?:that\s+)?(?:needs?|needing|requiring)\s+(?:to\s+)?improve(?:ment)?|(?:ofsted\s+|improvement\s+)areas?)",
    ),
    (
        "action",
        r"(?:key\s+|planned\s+)?actions?(?:\s+(?:required|to\s+be\s+taken|planned))?"
        r"|what\s+we\s+(?:will|would|said\s+we\s+would|plan\s+to)\s+do",
    ),
    (
        "milestone",
        r"(?:key\s+)?milestones?|success\s+(?:measures?|criteria)|measures?\s+of\s+success|measures?"
        r"|how\s+(?:we\s+will|will\s+we)\s+know(?:\s*\((?:measures?|impact)\))?",
    ),
    (
        "timescale",
        r"time\s*scales?|target\s+(?:dates?|completion\s+dates?)|by(?:\s+when)?|when|deadlines?|due(?:\s+dates?)?"
        r"|completion\s+dates?",
    ),
    (
        "lead",
        r"(?:lead|responsible|accountable)(?:\s+(?:officers?|managers?|persons?|people))?|owners?|responsibility"
        r"|(?:by\s+)?whom|who",
    ),
    (
        "progress",
        r"(?:progress|updates?|status|progress\s+updates?|comments?)"
        r"(?:\s*(?:/|and|&)\s*(?:rag(?:\s+status|\s+rating)?|status|evidence))?"
        r"|what\s+(?:we\s+have|has\s+been)\s+done(?:\s+so\s+far)?",
    ),
    # ('RAG Dec 2024': the rating at a date, where a plan keeps one column per review)
    ("rag", rf"rating|rag(?:\s+(?:status|rating))?(?:\s+(?:at\s+)?(?:{MONTH.lower()}|{_SHORT_MONTH})\s+{YEAR})?"),
    ("completed", r"complete(?:d)?|done|(?:date\s+)?completed\?"),
)
_HEADINGS = tuple((kind, re.compile(pattern)) for kind, pattern in HEADINGS)
ORDER = ("label", "rec", "action", "milestone", "timescale", "lead", "progress", "rag", "completed")

# A RAG rating, or a mark that the action is done, as a whole cell or the end of one ('... - Green'),
# written with a capital ('GREEN', 'Complete'; 'complete' ends a sentence of a milestone).
RAG_WORD = r"red|amber|green|blue|complete|completed|action\s+completed|achieved"
RAG = re.compile(rf"(?=[A-Z])(?i:{RAG_WORD})")
RAG_AFTER = re.compile(rf"\s+[-\u2013]\s+((?=[A-Z])(?i:{RAG_WORD}))\s*$")
# A rating by its initial, a cell of its own in a status or RAG column ('G', 'A', 'R').
RAG_LETTERS = {"R": "Red", "A": "Amber", "G": "Green", "B": "Blue"}
# A symbol a plan may print before its rating ('\u25cf Green', '\u2714 Complete').
RAG_SYMBOL = re.compile(r"^[^\w\s(]{1,2}\s*")
DONE = re.compile(r"(?i)^(?:blue|complete|completed|action\s+completed|achieved|done|yes|y|\u2713|\u2714)$")
# The number of the recommendation a row answers: '1.', '1)', 'Recommendation 3', 'Area 2:'.
REC_NUMBER = re.compile(
    r"^(?:(?:recommendation|rec|area(?:\s+for\s+improvement)?|afi|r)\.?\s*)?(\d{1,2})(?=[.):]?(?:\s|$))", re.I
)
# An action's own number, before its words: '1a', '2.3', '(1b)', 'R1.2' (of recommendation R1), 'P1.2' (of
# priority P1).
LABEL = re.compile(r"^\(?[A-Z]?(\d{1,2})(?:[a-z]|\.\d{1,2})\)?(?=\s)")
# One word of a personal name ('Farrow-Lyle', "O'Neill"); an honorific before it.
_NAME_WORD = re.compile(r"^(?:Mc|Mac|O['\u2019]|D['\u2019])?[A-Z][a-z]+(?:[-'\u2019][A-Z][a-z]+)*$")
_HONORIFIC = re.compile(rf"^(?:{HONORIFIC})\.?$")
_POST_WORD = re.compile(rf"^{POST_WORDS}s?$|^Head$")


def heading_kind(phrase: str) -> str | None:
    """The kind of column a heading names ('Lead Officer': 'lead'), or None if it names none."""
    # (what a heading says of how its cells are written is not its name: 'Lead officer (post - name)')
    folded = squash(re.sub(r"\s*\([^)]*\)\s*$", "", phrase.lower())).strip(" :")
    return next((kind for kind, pattern in _HEADINGS if pattern.fullmatch(folded)), None)


def capitals_heading(line: str) -> bool:
    """A heading in capitals over a group of rows ('P2 - IDENTIFYING AND RESPONDING TO RISK', 'IMPROVEMENT
    AREA (iv): PATHWAY PLANNING'), not a cell: three words or more, in capitals but for what is in brackets;
    two after a group's number ('P6 - CARE LEAVERS')."""
    words = re.sub(r"\([^)]*\)", "", line)
    numbered = re.match(r"\s*[A-Z]{0,2}\d{1,2}\s*[\u2013\u2014:-]\s", words) is not None
    return len(re.findall(r"[A-Za-z]{2,}", words)) >= (2 if numbered else 3) and words.isupper()


def is_heading_set(kinds: Sequence[str | None]) -> TypeGuard[list[str]]:
    """Whether headings of these kinds head an action plan: all of them column headings, one of them
    the actions', three kinds at least."""
    return bool(kinds) and None not in kinds and "action" in kinds and len(set(kinds)) >= 3


# A row: each column's kind, and the spans of its cell, in reading order.
Row = dict[str, list[Span]]


@dataclass(frozen=True)
class Word:
    """A word of a cell: its characters and where they are (two spans for one broken at a hyphen)."""

    value: str
    spans: tuple[Span, ...]


def words(text: str, spans: list[Span]) -> list[Word]:
    """The words of a cell, a word broken over two lines at a hyphen made one."""
    out: list[Word] = []
    for span in spans:
        for m in re.finditer(r"\S+", text[span.start : span.end]):
            word = Word(m.group(), (Span(span.start + m.start(), span.start + m.end()),))
            previous = out[-1] if out else None
            if previous and re.search(r"[A-Za-z]-$", previous.value) and "\n" in _gap(text, previous, word):
                out[-1] = Word(previous.value + word.value, previous.spans + word.spans)
            else:
                out.append(word)
    return out


def _gap(text: str, a: Word, b: Word) -> str:
    return text[a.spans[-1].end : b.spans[0].start] if a.spans[-1].end <= b.spans[0].start else "\n"


def quoted(text: str, ws: list[Word]) -> Quoted[str] | None:
    """Words as one value, with one span for each line's run of them; None for no words."""
    return joined(text, ws) if ws else None


def joined(text: str, ws: list[Word]) -> Quoted[str]:
    """Words, at least one, as one value, with one span for each line's run of them."""
    spans: list[Span] = []
    for word in ws:
        for span in word.spans:
            if spans and spans[-1].end <= span.start and text[spans[-1].end : span.start].strip(" \t") == "":
                spans[-1] = Span(spans[-1].start, span.end)
            else:
                spans.append(span)
    return Quoted(" ".join(w.value for w in ws), tuple(spans))


def _strip(ws: list[Word], chars: str = ",;:") -> list[Word]:
    """The words without the punctuation that ends the last one."""
    if not ws or not ws[-1].value.rstrip(chars):
        return ws[:-1] if ws else ws
    last = ws[-1]
    cut = len(last.value) - len(last.value.rstrip(chars))
    if not cut:
        return ws
    end = last.spans[-1]
    return ws[:-1] + [Word(last.value[:-cut], last.spans[:-1] + (Span(end.start, end.end - cut),))]


def facts(text: str, rows: list[Row], ref: InspectionRef) -> list[ActionFact | PersonFact]:
    """Each row with an action as an ActionFact, numbered by its recommendation (a row without one
    answers the recommendation of the row before it), and its lead officers' posts as PersonFacts."""
    out: list[ActionFact | PersonFact] = []
    number: Quoted[int] | None = None
    seen: Counter[int] = Counter()
    for row in rows:
        action = words(text, row.get("action", []))
        label = LABEL.match(action[0].value + " ") if action else None
        rec_words = words(text, row.get("rec", []))
        rec = _number(rec_words)
        own = words(text, row.get("label", []))
        if rec is None and own and (m := LABEL.match(own[0].value + " ")):
            # A column of the actions' own numbers ('Ref': '2.1'): the recommendation's is their first part.
            rec = Quoted(int(m.group(1)), (Span(own[0].spans[0].start, own[0].spans[0].start + m.end(1)),))
        if rec is None and label is not None:
            rec = Quoted(
                int(label.group(1)), (Span(action[0].spans[0].start, action[0].spans[0].start + label.end(1)),)
            )
        if label is not None:
            action = action[1:]
        if rec is None and rec_words:
            number = None  # a recommendation named without its number: not linked
        number = rec or number
        if not action or number is None:
            continue
        seen[number.value] += 1
        out += _row_facts(text, row, ref, number, joined(text, action), seen[number.value])
    return out


def _number(ws: list[Word]) -> Quoted[int] | None:
    """The number a recommendation's cell starts with ('2. Quality of', 'Area 1: Timeliness')."""
    m = REC_NUMBER.match(" ".join(w.value for w in ws[:4]))
    if not m:
        return None
    pos = 0
    for word in ws:
        if m.start(1) < pos + len(word.value):
            start = word.spans[0].start + m.start(1) - pos
            return Quoted(int(m.group(1)), (Span(start, start + len(m.group(1))),))
        pos += len(word.value) + 1
    return None


def _row_facts(
    text: str, row: Row, ref: InspectionRef, number: Quoted[int], action: Quoted[str], position: int
) -> list[ActionFact | PersonFact]:
    progress, rag, completed = _progress(text, row)
    milestone = quoted(text, words(text, row.get("milestone", [])))
    timescale = quoted(text, words(text, row.get("timescale", [])))
    due = _due(timescale.value) if timescale else None
    names, roles, people = _leads(text, words(text, row.get("lead", [])), ref)
    fact = ActionFact(
        ref=ref,
        recommendation=number,
        text=action,
        milestones=(MilestoneFact(milestone, timescale, due),) if milestone else (),
        timescales=((timescale, due),) if timescale and not milestone else (),
        lead_officers=tuple(names),
        lead_roles=tuple(roles),
        progress=(progress,) if progress else (),
        completed=completed,
        position=position,
        rag=rag,
    )
    return [fact, *people]


def _due(value: str) -> PartialDate | None:
    d = parse_date(value)
    return d if d and d.year else None


def _progress(text: str, row: Row) -> tuple[Quoted[str] | None, Quoted[str] | None, Quoted[bool] | None]:
    """A row's progress note, RAG rating and completion: a rating or 'Complete' is a cell of its own, a
    line of the progress cell, or the end of it ('Started Nov 2015 - Green')."""
    note: list[Word] = []
    marks: list[list[Word]] = []
    for kind in ("progress", "rag", "completed"):
        for span in row.get(kind, []):
            ws = words(text, [span])
            if kind != "progress" and len(ws) > 1 and RAG_SYMBOL.fullmatch(ws[0].value):
                ws = ws[
                    1:
                ]  # '\u25cf Green': the symbol goes with the word (of several columns, the last is the latest)
            phrase = " ".join(w.value for w in ws)
            if RAG.fullmatch(phrase) or (kind != "progress" and DONE.match(phrase)) or phrase in RAG_LETTERS:
                marks.append(ws)
            elif kind == "progress":
                note += ws
    if len(note) > 2 and note[0].value in RAG_LETTERS and note[1].value in ("-", "\u2013"):
        marks.append(note[:1])  # 'A – two of three posts recruited': the rating, then the note
        note = note[2:]
    if note:
        m = RAG_AFTER.search(" ".join(w.value for w in note))
        if m:
            tail = len(m.group(1).split())
            marks.append(note[-tail:])
            note = note[: -tail - 1] if len(note) > tail and note[-tail - 1].value in "-\u2013" else note[:-tail]
    rag = completed = None
    for ws in marks:  # (each a word or more: a mark is never empty)
        q = joined(text, ws)
        value = " ".join(w.value for w in ws)
        if DONE.match(value) or RAG.fullmatch(value) and "complete" in value.lower():
            completed = Quoted(True, q.spans)
            rag = Quoted("Complete", q.spans)
        elif RAG.fullmatch(value):
            rag = Quoted(value.capitalize(), q.spans)
        elif value in RAG_LETTERS:
            rag = Quoted(RAG_LETTERS[value], q.spans)
    return quoted(text, note), rag, completed


def _leads(
    text: str, ws: list[Word], ref: InspectionRef
) -> tuple[list[Quoted[str]], list[Quoted[str]], list[PersonFact]]:
    """A lead officer cell's people (a name before any post: 'Jane Smith, Head of Service'; or after it and a
    dash: 'Head of Service - Jane Smith') and roles
    (a post or group with no name: 'Virtual School Head'), parted at ';', '/', '&' and 'and'."""
    names: list[Quoted[str]] = []
    roles: list[Quoted[str]] = []
    people: list[PersonFact] = []
    for part in _parts(ws):
        dash = next((i for i, w in enumerate(part) if w.value in ("-", "\u2013", "\u2014")), None)
        after = _strip(part[dash + 1 :]) if dash is not None else []
        after = after[1:] if after and _HONORIFIC.match(after[0].value) else after
        if dash is not None and _is_name(after) and _personal(text, after):
            # 'Head of Service \u2013 Jane Smith': the post, then the name
            q = joined(text, after)
            names.append(q)
            post = quoted(text, _strip(part[:dash]))
            if post is not None:
                people.append(PersonFact(name=q, post=post, organisation=ref.council))
            continue
        comma = next((i for i, w in enumerate(part) if w.value.endswith(",")), len(part) - 1)
        head, rest = _strip(part[: comma + 1]), _strip(part[comma + 1 :])
        honorific = head[:1] if head and _HONORIFIC.match(head[0].value) else []
        name = head[len(honorific) :]
        if _is_name(name):
            q = joined(text, name)
            names.append(q)
            post = quoted(text, rest)
            # ('Jane Smith, with the Designated Nurse': who she works with, not her post)
            if post is not None and not re.match(
                r"(?i)(?:with|and|alongside|supported|jointly|together)\b", post.value
            ):
                people.append(PersonFact(name=q, post=post, organisation=ref.council))
        elif part and (role := quoted(text, _strip(part))) is not None:
            roles.append(role)
    return names, roles, people


def _personal(text: str, ws: list[Word]) -> bool:
    """Whether words read as a name are a personal name of the text ('Early Help', 'West Kent' are not)."""
    return personal_name(text, ws[0].spans[0].start, ws[-1].spans[-1].end) is not None


def _parts(ws: list[Word]) -> list[list[Word]]:
    parts: list[list[Word]] = [[]]
    for word in ws:
        if word.value.lower() in ("and", "&", "/") and parts[-1] and _is_name(_strip(parts[-1])):
            parts.append([])
            continue
        parts[-1].append(word)
        if word.value.endswith((";", "/")):
            parts[-1] = _strip(parts[-1], ";/")
            parts.append([])
    return [p for p in parts if p]


def _is_name(ws: list[Word]) -> bool:
    """Two to four capitalised words, none of them a word for a body or a post."""
    return (
        2 <= len(ws) <= 4
        and all(_NAME_WORD.match(w.value) and w.value.lower() not in NOT_NAME_WORDS for w in ws)
        and not _POST_WORD.match(ws[-1].value)
    )
