"""Recommendations a council document states about an inspection, in the document's own list.

Cabinet and committee reports, press releases and news articles all retell an inspection's
recommendations ("areas for improvement", "what needs to improve", "areas where the council should
do better") in the same few ways, whichever kind of document they are: a sentence that says what
follows ("Ofsted identified five areas that still need to improve:") and then a bulleted or numbered
list, the list run on in the sentence ("...: a; b; and c."), or, where the sentence gives how many
there are, the items in the sentence after it. The reading is shared here so that every kind reads
them alike; each extractor says which inspection they are about.

A list is taken only where it is plainly the inspection's: a sentence in the vocabulary of
recommendations that introduces it, not the council's own decisions ('Cabinet is recommended to:'),
and, where the sentence says how many there are, exactly that many items. A list the document numbers
keeps its numbers; an unnumbered one is never numbered by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ofsted_kg.extract.prose import BOARD
from ofsted_kg.facts import IMPROVEMENT_CUES
from ofsted_kg.text import BULLET_CLASS, Span, Spans, blocks, sentences, trim

# What introduces an inspection's recommendations, in words any council or newspaper uses.
# Cues that say what needs work but not whose list it is: Ofsted's only where the sentence names it ('The report
# lists four things the council needs to work on:'; not 'the council still needs to work on:').
WEAK_CUE = r"\b(?:should|must|needs?\s+to|needed\s+to)\s+work\s+on\b|\bwants?\s+to\s+see\s+improve(?:d|ments?)?\b"
CUE = re.compile(
    r"\brecommendations?\b"
    r"|\bareas?\b[^.:;\n]{0,60}?\b(?:improve(?:ment)?|better|more\s+work|attention|development|strengthen(?:ing)?)\b"
    r"|\bwhat\s+(?:still\s+)?needs?\s+to\s+(?:improve|change|be\s+better)\b"
    r"|\b(?:should|must|needs?\s+to|needed\s+to)\s+(?:do\s+better|improve)\b"
    rf"|{WEAK_CUE}"
    # 'Ofsted said we should:', 'Inspectors told the council it must:', a list after it
    r"|\b(?:Ofsted|inspectors|the\s+report)\s+(?:said|says|told\s+\w+|asked\s+\w+)\s+(?:(?:that\s+)?(?:we|it|the\s+council|the\s+authority)\s+)?(?:should|must|needs?\s+to)\s*:"
    r"|\bto\s+improve\s*:"  # 'Ofsted has asked the council to improve:', a list after it
    r"|\bwhat\s+(?:ofsted|inspectors)\s+(?:has\s+|have\s+)?asked\s+(?:the\s+council|us|the\s+authority)\s+to\s+do\b",
    re.IGNORECASE,
)
# A council's own recommendations to its members, which its reports also call 'recommendations'.
OWN_DECISIONS = re.compile(
    r"\b(?:Cabinet|Committee|Commission|Members|Council\s+is|Executive|Panel)\b|\b(?:recommended|asked)\s+to\b"
)
# A decision the report asks its own meeting to take ('Cabinet notes the outcome', 'That Members agree'),
# not an inspector's recommendation.
DECISION_ITEM = re.compile(
    r"(?i)^(?:(?:the\s+)?(?:Cabinet|Committee|Council|Members|Executive|Panel)\s+)?"
    r"(?:that|notes?|approves?|agrees?|endorses?|delegates?|receives?|records?|resolves?|(?:is|are)\s+asked)\b"
)
NUMBERS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
).split()
COUNT = re.compile(
    rf"\b({'|'.join(NUMBERS)}|\d{{1,2}})\s+(?:[\w-]+\s+){{0,2}}?(?:areas?|recommendations?)\b", re.IGNORECASE
)
# Where the list starts: after a colon, or after 'are'/'were' ('Its four recommendations are to ...').
COLON = re.compile(r"[^:]{0,80}?:")
ARE = re.compile(r"\s+(?:are|were)\s+(?:to\s+)?")
BOARD_NAME = re.compile(rf"{BOARD.pattern}|\b[A-Z]{{1,3}}SCB\b")
ROMAN = "i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv"
# An item's mark: a bullet, a number ('1.', '(2)', '(iv)'), a letter ('(a)', 'b)'), or a number after the name of what it numbers ('AFI 1',
# 'Recommendation 2:', 'R3').
ITEM_MARK = re.compile(
    rf"[ \t]*(?:{BULLET_CLASS}[ \t]+|\(?(?P<number>\d{{1,2}})[.)][ \t]+|\(?[a-h]\)[ \t]+|\((?P<roman>{ROMAN})\)[ \t]+"
    rf"|(?:(?:AFI|Area(?:\s+for\s+improvement)?|Recommendation|Rec\.?)[ \t]+|R)(?P<named>\d{{1,2}})[.):]?[ \t]+)"
)
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
SEPARATORS = (
    re.compile(r";\s*(?:and\s+|or\s+)?"),
    re.compile(r",\s+(?:and\s+|or\s+)?"),
    None,  # commas, and the last item after a plain 'and'
    re.compile(r",\s+(?:and|or)\s+"),
)
# Words that say a list is Ofsted's: 'Ofsted listed:', 'In the report's own words:', 'inspectors asked'.
OFSTED_SAYS = re.compile(r"\b(?:Ofsted|inspectors?|(?:the|its|their)\s+report|report['\u2019]s)\b", re.IGNORECASE)
# A sentence that only opens the list the sentence before it counts: 'Among them were:', 'They are:'.
BACK_TO_LIST = re.compile(
    r"(?i)(?:among\s+them|of\s+these|these|they|those|the\s+(?:areas|recommendations))(?:\s+\w+){0,3}?"
    r"\s+(?:are|were|include|included|was|being)(?:\s+that)?\s*:"
    # ('Among them, Wigan must:')
    r"|(?i:among\s+them|among\s+these),?(?:\s+[\w'\u2019-]+){1,4}?\s+(?:must|should|needs?\s+to|is\s+to|are\s+to)\s*:"
)
# Words that say a list holds only some of those counted.
SOME_OF = re.compile(r"(?i)\b(?:among\s+them|among\s+these|including|include[sd]?|such\s+as|some\s+of)\b")
# What a sentence under such a heading asks for, before its list.
IMPROVE_VERB = re.compile(r"\b(?:to\s+)?(?:improve|strengthen|address)\s+", re.IGNORECASE)
MAX_ITEM = 400
HEADING_MAX = 80


@dataclass(frozen=True)
class Stated:
    """One recommendation as a document gives it: the sentence that introduces it, its number if the
    document numbers it, its words and who it is addressed to ('council' or 'board')."""

    cue: Span
    number: int | None
    span: Span
    addressee: str


def read(text: str, start: int = 0, end: int | None = None, taken: Spans | None = None) -> list[Stated]:
    """The recommendations stated in text[start:end], but none overlapping what is already taken."""
    end = len(text) if end is None else end
    taken = taken if taken is not None else Spans()
    said = _joined_at_colons(text, sentences(text, start, end))
    out: list[Stated] = []
    for i, sentence in enumerate(said):
        words = sentence.quote(text)
        cue = CUE.search(words)
        if not cue or OWN_DECISIONS.search(words):
            continue
        if re.fullmatch(WEAK_CUE, cue.group(), re.IGNORECASE) and not OFSTED_SAYS.search(words):
            continue
        following = said[i + 1] if i + 1 < len(said) else None
        items = _items(text, sentence, cue, following, end)
        if not items or any(taken.overlaps(s) for _, s in items):
            continue
        if any(DECISION_ITEM.match(s.quote(text)) for _, s in items):
            continue
        addressee = _addressee(text, sentence, start)
        for number, span in items:
            taken.add(span)
            out.append(Stated(sentence, number, span, addressee))
    return out


def _joined_at_colons(text: str, said: list[Span]) -> list[Span]:
    """The sentences, where one that opens a list without saying of what ('Ofsted listed:', 'In the
    report's own words:') follows in its paragraph one that does ('Under "What needs to improve?"', 'The
    report sets out eight areas for improvement.'), made one."""
    out: list[Span] = []
    for sentence in said:
        words = text[sentence.start : sentence.end].rstrip()
        if (
            out
            and words.endswith(":")
            and not CUE.search(words)
            # whose list it is ('In the report's own words:'), not the council's; or, where the sentence
            # before says it ('Ofsted listed seven areas for improvement.'), only the list ('Among them were:')
            and (
                OFSTED_SAYS.search(words)
                or BACK_TO_LIST.fullmatch(words)
                and OFSTED_SAYS.search(text, out[-1].start, out[-1].end)
            )
            and CUE.search(text, out[-1].start, out[-1].end)
            and not PARAGRAPH_BREAK.search(text, out[-1].end, sentence.start)
        ):
            out[-1] = Span(out[-1].start, sentence.end)
        else:
            out.append(sentence)
    return out


def _count(words: str) -> int | None:
    m = COUNT.search(words)
    if not m:
        return None
    n = m.group(1).lower()
    return int(n) if n.isdigit() else NUMBERS.index(n) + 1


def _items(
    text: str, sentence: Span, cue: re.Match[str], following: Span | None, end: int
) -> list[tuple[int | None, Span]]:
    words = sentence.quote(text)
    count = _count(words)
    after = sentence.start + cue.end()
    colon = COLON.match(text, after, sentence.end)
    if colon:
        rest = trim(text, colon.end(), sentence.end)
        if rest.end <= rest.start or "\n" in text[colon.end() : rest.start]:
            if count and SOME_OF.search(text, after, colon.end()):
                # 'seven areas for improvement. Among them were:': some of them, as many as it says at most
                listed = _listed(text, colon.end(), end, None)
                return listed if len(listed) <= count else []
            return _listed(text, colon.end(), end, count)  # the list follows on lines of its own
        return _split(text, rest, count)
    are = ARE.match(text, after, sentence.end)
    if are and count and not _quoted(text, sentence):
        return _split(text, trim(text, are.end(), sentence.end), count)
    if count and count >= 2 and OFSTED_SAYS.search(words):
        # 'Ofsted listed seven areas. They are set out below ...': the list after the paragraph, if it holds
        # as many items as the sentence counts.
        para_end = PARAGRAPH_BREAK.search(text, sentence.end, min(end, sentence.end + 600))
        # (not where the paragraph's last words open a list of their own: 'Since then, the council has:')
        own = para_end is None or text[: para_end.start()].rstrip().endswith(":")
        listed = [] if own or para_end is None else _listed(text, para_end.start(), end, count)
        if listed:
            return listed
    if count and count >= 2 and following and words.rstrip().endswith("."):
        # The sentence after it, if it is in the same paragraph and says as many things that are not
        # good enough ('Pathway plans are not always updated ..., and some care leavers wait too long').
        if not PARAGRAPH_BREAK.search(text, sentence.end, following.start):
            items = _split(text, following, count)
            return items if all(IMPROVEMENT_CUES.search(s.quote(text)) for _, s in items) else []
    if _heading(text, sentence):
        listed = _listed(text, sentence.end, end, count)  # a heading, then its list
        verb = IMPROVE_VERB.search(text, following.start, following.end) if following and not listed else None
        if verb and following and OFSTED_SAYS.search(text, following.start, verb.start()):
            # a heading, then a sentence of them: 'Ofsted asked the council to improve A; B; and C.'
            return _split(text, trim(text, verb.end(), following.end), count)
        return listed
    return []


def _quoted(text: str, sentence: Span) -> bool:
    """Whether a sentence is inside a quotation its paragraph opens with (someone's words: 'The two areas for
    improvement are ones we had already identified' is no list of Ofsted's)."""
    paragraph = PARAGRAPH_BREAK.split(text[max(0, sentence.start - 1500) : sentence.start])[-1].lstrip()
    return paragraph[:1] in '\u2018\u201c"' and not re.search(r"[\u2019\u201d\"](?![A-Za-z])", paragraph[1:])


def _heading(text: str, sentence: Span) -> bool:
    """A line of its own, short and with no full stop, that is not a bulleted item (whose list would be
    taken for the heading's)."""
    words = sentence.quote(text)
    line_start = text.rfind("\n", 0, sentence.start) + 1
    return (
        "\n" not in words
        and len(words) <= HEADING_MAX
        and not re.search(r"[.!;,]$", words)
        and not text[line_start : sentence.start].strip()
        and not re.match(rf"[ \t]*{BULLET_CLASS}[ \t]", text[line_start : sentence.end])
    )


def _listed(text: str, start: int, end: int, count: int | None) -> list[tuple[int | None, Span]]:
    """The bulleted or numbered list that starts on the line after start: an item per marked line,
    lines that follow one without a blank line continuing it; the list ends at the first unmarked line
    after a blank one. Numbers, where given, must run from 1."""
    items: list[tuple[int | None, int, int]] = []
    blank = False
    shape = ""
    pos = text.find("\n", start, end)
    if pos < 0 or text[start:pos].strip():
        return []
    for m in re.finditer(r"[^\n]*(?:\n|$)", text[pos + 1 : end]):
        line_start = pos + 1 + m.start()
        line = m.group(0).rstrip("\n")
        if not line.strip():
            blank = True
            continue
        mark = ITEM_MARK.match(line)
        if mark and items and _shape(mark.group(0)) != shape:
            break  # a mark of another kind: the document's own paragraph numbers ('12.' after '(10)')
        if mark:
            shape = _shape(mark.group(0))
            given = mark["number"] or mark["named"]
            number = int(given) if given else ROMAN.split("|").index(mark["roman"]) + 1 if mark["roman"] else None
            items.append((number, line_start + mark.end(), line_start + len(line)))
        elif items and not blank:
            items[-1] = (items[-1][0], items[-1][1], line_start + len(line))
        else:
            break
        blank = False
    numbers = [n for n, _, _ in items]
    if any(n is not None for n in numbers) and numbers != list(range(1, len(items) + 1)):
        return []
    found = [(n, _clean(text, Span(s, e))) for n, s, e in items]
    return found if _plausible([s for _, s in found], count) else []


def _shape(mark: str) -> str:
    """What kind of mark an item has: '(1)', '1.', '1)', '(a)' or a bullet, whatever its number or letter."""
    shape = re.sub(rf"\((?:{ROMAN})\)", "(i)", mark.strip())
    return re.sub(r"(?<![A-Za-z])[a-h](?=\))", "a", re.sub(r"\d+", "1", shape))


def _split(text: str, span: Span, count: int | None) -> list[tuple[int | None, Span]]:
    """A list run on in a sentence, split where it gives as many items as the sentence says; without
    a count, only a list whose items are kept apart by semicolons."""
    span = _clean(text, span)
    for separator in SEPARATORS if count else SEPARATORS[:1]:
        pieces = [_clean(text, p) for p in _pieces(text, span, separator)]
        if _plausible(pieces, count):
            return [(None, p) for p in pieces]
    return []


def _pieces(text: str, span: Span, separator: re.Pattern[str] | None) -> Iterator[Span]:
    if separator is None:
        pieces = list(_pieces(text, span, SEPARATORS[1]))
        last = pieces[-1]
        ands = list(re.finditer(r"\s+and\s+", text[last.start : last.end]))
        if len(pieces) < 2 or any(re.match(r",\s+and\s", text[p.end : p.end + 6]) for p in pieces) or len(ands) != 1:
            return
        yield from pieces[:-1]
        yield trim(text, last.start, last.start + ands[0].start())
        yield trim(text, last.start + ands[0].end(), last.end)
        return
    pos = span.start
    for m in separator.finditer(text, span.start, span.end):
        yield trim(text, pos, m.start())
        pos = m.end()
    yield trim(text, pos, span.end)


def _clean(text: str, span: Span) -> Span:
    """An item without the punctuation and conjunction that join it to the next, or open it."""
    start, end = span.start, span.end
    m = re.match(r"(?:and|or)\s+", text[start:end])
    if m:
        start += m.end()
    while True:
        tail = re.search(r"(?:[\s;,.]+|[;,]\s*(?:and|or))$", text[start:end])
        if not tail or tail.start() == 0:
            break
        end = start + tail.start()
    return trim(text, start, end)


def _plausible(items: list[Span], count: int | None) -> bool:
    if not items or (count is not None and len(items) != count) or (count is None and len(items) < 2):
        return False
    return all(3 <= s.end - s.start <= MAX_ITEM for s in items)


def _addressee(text: str, sentence: Span, start: int) -> str:
    """'board' where the sentence names a safeguarding children board, or speaks of 'its' or 'their'
    recommendations in a paragraph that does; else 'council'."""
    if BOARD_NAME.search(sentence.quote(text)):
        return "board"
    if re.match(r"\s*(?:Its|Their)\b", sentence.quote(text)):
        paragraph = next((b for b in blocks(text, start, sentence.end) if b.end >= sentence.end), None)
        if paragraph and BOARD_NAME.search(text, paragraph.start, sentence.start):
            return "board"
    return "council"
