"""Judgements, inspection dates and boards stated in running prose; used by every kind of document."""

from __future__ import annotations

import re
from collections.abc import Callable

from ofsted_kg.extract.common import grade_pattern
from ofsted_kg.extract.earlier import clauses
from ofsted_kg.facts import BoardFact, InspectionRef, JudgementFact
from ofsted_kg.reference import Framework
from ofsted_kg.text import Quoted, Span, Spans, lines, sentences, squash, trim

# "the judgement for the X Board was 'requires improvement to be good'"
JUDGEMENT_WAS = re.compile(
    r"judgement\s+(?:for|of|on)\s+(?P<area>[^.]{3,120}?)\s+(?:was|is)\s+(?:judged\s+)?(?:to\s+be\s+)?"
    r"[\u2018\u201c\"']?(?P<grade>[A-Za-z\s]{4,40}?)[\u2019\u201d\"']?(?=[.,;]|\s*$)",
    re.IGNORECASE,
)
BOARD = re.compile(
    r"\b(?:[A-Z][\w\u2019'&-]+\s+){0,3}(?:Local\s+)?Safeguarding\s+Children(?:['\u2019]s)?\s+(?:Board|Partnership)\b"
)


def judgement_was(text: str, ref: InspectionRef, framework: Framework) -> list[JudgementFact]:
    """Sentences of the form 'the judgement for <area> was <grade>'."""
    out = []
    for m in JUDGEMENT_WAS.finditer(text):
        if framework.grade(m.group("grade")) and framework.area(m.group("area")):
            out.append(
                JudgementFact(
                    ref,
                    # (the groups' ends are not trimmed: a run of whitespace there stays, as a space)
                    Quoted.at(squash(m.group("area"), strip=False), m.start("area"), m.end("area")),
                    Quoted.at(squash(m.group("grade"), strip=False), m.start("grade"), m.end("grade")),
                )
            )
    return out


def graded_lines(text: str, ref: InspectionRef, framework: Framework, stretch: float) -> list[JudgementFact]:
    """Lines that name an area and end with its grade: table rows and headings such as '3.4.3 Adoption - Good'."""
    out = []
    for grade in grade_pattern().finditer(text):
        line_end = text.find("\n", grade.end())
        line_end = len(text) if line_end == -1 else line_end
        if text[grade.end() : line_end].strip():
            continue
        line_start = text.rfind("\n", 0, grade.start()) + 1
        area = trim(text, line_start, grade.start())
        if area.end <= area.start:
            # The grade alone on its line, under a heading ending in a dash: '3.4.2 Children looked after -'
            above = lines(text, max(0, line_start - 300), line_start)
            if not above or not re.search(r"[-\u2013:]\s*$", above[-1].quote(text)):
                continue
            area = above[-1]
        phrase = area.quote(text)
        if area.end <= grade.start() and (cut := _separator_at_end(phrase)) is not None:
            # 'Overall effectiveness: good', 'Leadership - Good', 'Care leavers ...... GOOD': the separator or
            # the leader dots are not part of the area.
            area = trim(text, area.start, area.start + cut)
            phrase = area.quote(text)
        if not phrase or re.search(r"[.:;]\s*$|\b(?:was|were|is|are|be)\s*$", phrase):
            continue
        wrapped = _wrapped_row(text, area, framework, stretch)
        if wrapped is not None:
            area, phrase = wrapped, wrapped.quote(text)
        elif framework.area(phrase, stretch=stretch) is None:
            continue
        out.append(
            JudgementFact(
                ref,
                Quoted(squash(phrase), (area,)),
                Quoted.at(squash(grade.group(0)), grade.start(), grade.end()),
            )
        )
    return out


def _separator_at_end(phrase: str) -> int | None:
    """Where the separator that ends an area's words before its grade starts (a colon or dash, or leader
    dots: 'Care leavers ......'), or None. (Read from the end without a regular expression: a line of
    thousands of dots is read in one pass.)"""
    end = len(phrase.rstrip())
    if end and phrase[end - 1] in ":\u2013\u2014-":
        return len(phrase[: end - 1].rstrip())
    core = phrase[:end].rstrip(".\u2026_")
    return len(core.rstrip()) if end - len(core) >= 2 else None


def _wrapped_row(text: str, area: Span, framework: Framework, stretch: float) -> Span | None:
    """A table row whose area's name runs over two lines ('The impact of leaders on social work practice
    with children' / 'and families   Good'): the grade's line continues the line above (it begins in lower
    case), and the two together name an area. The line above must not be a row of its own (end in a grade)."""
    if not text[area.start].islower():
        return None
    line_start = text.rfind("\n", 0, area.start) + 1
    if text[line_start : area.start].strip() or line_start == 0:
        return None
    above = lines(text, text.rfind("\n", 0, line_start - 1) + 1, line_start)
    if len(above) != 1:
        return None  # a blank line between: not one row
    head = above[0].quote(text)
    if re.search(r"[.:;]\s*$", head) or grade_pattern().search(head):
        return None
    joined = Span(above[0].start, area.end)
    return joined if framework.area(squash(joined.quote(text)), stretch=stretch) is not None else None


def boards(text: str, council_names: tuple[str, ...], council: str) -> list[BoardFact]:
    """Safeguarding children boards named with their area's name, e.g. 'Wolverhampton Safeguarding Children Board'."""
    out = []
    folded = [n.lower() for n in council_names]
    for m in BOARD.finditer(text):
        name = re.sub(r"^(?:The|the)\s+", "", squash(m.group(0)))
        if any(name.lower().startswith(n) for n in folded):
            start = m.start() + m.group(0).find(name.split()[0])
            out.append(BoardFact(council, Quoted(name, (Span(start, m.end()),))))
    return out


# Words that make a plain 'good' a rating rather than praise.
RATING_CUES = re.compile(
    r"\b(?:rated|rating|ratings|judged|judgements?|judgments?|ranked|graded|assessed as|found to(?: be)?|overall)\b",
    re.IGNORECASE,
)
OVERALL = re.compile(r"\boverall\b", re.IGNORECASE)
# "'Requires Improvement' in order to be 'Good'": one grade, written in two quoted parts.
SPLIT_RI = re.compile(
    r"requires\s+improvement[\u2019\u201d\"']?\s+(?:in\s+order\s+)?to\s+be\s+[\u2018\u201c\"']?good", re.IGNORECASE
)
# (not 'require improvement' alone: 'the aspects of practice that require improvement' grades nothing)
UNAMBIGUOUS = re.compile(
    r"requires\s+improvement|requir(?:e|ing)\s+improvement\s+to\s+be\s+good|inadequate|outstanding", re.IGNORECASE
)


def _area_mentions(text: str, start: int, end: int, framework: Framework) -> list[tuple[Span, str]]:
    """Areas of the framework named in text[start:end], longest names first, without overlaps."""
    names = sorted({(n, a.notation) for a in framework.areas for n in a.names if len(n) > 8}, key=lambda x: -len(x[0]))
    taken = Spans()
    found = []
    folded = text[start:end].lower().replace("\u2019", "'").replace("-", " ")
    for name, notation in names:
        pattern = r"\b" + r"[\s,']+".join(re.escape(w) for w in name.replace("'", " ").split()) + r"\b"
        for m in re.finditer(pattern, folded):
            span = Span(start + m.start(), start + m.end())
            if taken.overlaps(span):
                continue
            taken.add(span)
            found.append((span, notation))
    return sorted(found)


def _grade_mentions(text: str, start: int, end: int, framework: Framework) -> list[tuple[Span, str]]:
    out = []
    taken = Spans()
    for m in SPLIT_RI.finditer(text, start, end):
        taken.add(Span(m.start(), m.end()))
        out.append((Span(m.start(), m.end()), "requires improvement to be good"))
    for m in grade_pattern().finditer(text, start, end):
        span = Span(m.start(), m.end())
        if taken.overlaps(span):
            continue
        if framework.grade(m.group(0)):
            out.append((span, squash(m.group(0))))
    return sorted(out)


def sentence_judgements(
    text: str,
    ref_for: Callable[[Span], InspectionRef | None],
    framework_for: Callable[[InspectionRef], Framework | None],
) -> list[JudgementFact]:
    """Judgements stated in sentences: 'inspectors rated leadership ... to all be "Good"'.

    `ref_for(sentence)` says which inspection a sentence speaks of (None to skip it);
    `framework_for(ref)` gives that inspection's framework.
    """
    out = []
    for whole in sentences(text):
        for clause in clauses(text, whole):
            for sentence, listed, about in _parts(text, clause):
                ref = ref_for(about)
                framework = framework_for(ref) if ref else None
                if ref is not None and framework is not None:
                    out += _judgements(text, sentence, listed, ref, framework)
    return out


# A line of a list of judgements: "Impact of leaders on social work practice: good" (or after leader dots:
# "Overall effectiveness ...... GOOD"), or the grade first:
# "Outstanding – leadership (the impact of leaders on social work practice)".
LISTED = re.compile(
    r"[^\n:]{8,160}?\s*(?::|\s[\u2013\u2014-]|\s?(?:\.{3,}|\u2026+))\s*[\w \u2018\u2019'\"]{3,60}\.?"
    r"|[\w \u2018\u2019'\"]{3,40}?(?::|\s[\u2013\u2014-])\s*[^\n]{3,200}"
)


_LINE = re.compile(r"[^\n]+")


def _parts(text: str, sentence: Span) -> list[tuple[Span, bool, Span]]:
    """A sentence, or, where it is (or holds, after a line that introduces it with a colon) a list of lines
    each 'area: grade' or 'grade - area' (which no full stop ends), each line: such a line states its
    judgement whatever its words (the list is the cue), and its grade is its own. With each, the words that
    say which inspection it speaks of: the sentence, or the list's introduction ('Its report, published on
    22.07.2019, gave these grades:'), not the lines after the list."""
    parts = [trim(text, m.start(), m.end()) for m in _LINE.finditer(text, sentence.start, sentence.end)]
    listed = [LISTED.fullmatch(p.quote(text)) is not None for p in parts]
    if len(parts) > 1 and all(listed):
        return [(p, True, sentence) for p in parts]
    intro = next((i for i, p in enumerate(parts) if p.quote(text).endswith(":")), None)
    if intro is not None:
        run = intro + 1
        while run < len(parts) and listed[run]:
            run += 1
        if run - intro > 2:
            head = Span(sentence.start, parts[intro].end)
            out = [(head, False, head)] + [(p, True, head) for p in parts[intro + 1 : run]]
            if run < len(parts):
                rest = Span(parts[run].start, sentence.end)
                out.append((rest, False, rest))
            return out
    return [(sentence, False, sentence)]


def _judgements(
    text: str, sentence: Span, listed: bool, ref: InspectionRef, framework: Framework
) -> list[JudgementFact]:
    out: list[JudgementFact] = []
    grades = _grade_mentions(text, sentence.start, sentence.end, framework)
    if listed:
        # A line of a list states a grade only as the whole of one side of its separator ('Leadership: good',
        # 'Good - leadership'), not inside a phrase ('Impact of leaders - we have kept good managers').
        grades = [g for g in grades if _whole_side(text, sentence, g[0])]
    if not grades:
        return out
    cued = listed or bool(RATING_CUES.search(sentence.quote(text)))
    every = grades
    grades = [g for g in grades if cued or UNAMBIGUOUS.match(g[1])]
    if not grades:
        return out
    areas = _area_mentions(text, sentence.start, sentence.end, framework)
    overall = next((a for a in framework.areas if a.notation.endswith("overall")), None)
    if overall is not None:
        areas = sorted(areas + _overall_after_grade(text, grades, areas, overall.notation))
    if not areas:
        m = OVERALL.search(text, sentence.start, sentence.end)
        if m and len(grades) == 1 and overall is not None:
            areas = [(Span(m.start(), m.end()), overall.notation)]
    for area_span, _notation in areas:
        grade_span, grade = _grade_of(text, area_span, every, areas)
        if (grade_span, grade) not in grades:
            continue  # its grade is a plain 'good' that nothing marks as a rating: not guessed from another
        out.append(
            JudgementFact(
                ref,
                Quoted(squash(area_span.quote(text)), (area_span,)),
                Quoted(grade, (grade_span,)),
            )
        )
    return out


_SEPARATOR = re.compile(r":|\s[\u2013\u2014-]\s|\s?(?:\.{3,}|\u2026+)\s?")
_AROUND = " \t.,;:'\"\u2018\u2019\u201c\u201d()*"


def _whole_side(text: str, line: Span, grade: Span) -> bool:
    """Whether a grade is all of one side of its line's first separator (quotes and brackets aside)."""
    m = _SEPARATOR.search(text, line.start, line.end)
    if m is None:
        return False
    sides = (Span(line.start, m.start()), Span(m.end(), line.end))
    return any(
        side.start <= grade.start
        and grade.end <= side.end
        and not text[side.start : grade.start].strip(_AROUND)
        and not text[grade.end : side.end].strip(_AROUND)
        for side in sides
    )


# "outstanding for the impact of leaders": a grade joined by 'for' to the area after it.
GRADE_FOR = re.compile(r"[\u2019\u201d\"']?\s+(?:for|in(?:\s+relation\s+to)?)\s+(?:the\s+)?")
# "judged outstanding overall": 'overall' just after a grade is the overall judgement's.
AFTER_GRADE = re.compile(r"\s+(overall)\b(?!\s+(?:effectiveness|judgement|judgment))", re.IGNORECASE)


def _grade_of(
    text: str, area: Span, grades: list[tuple[Span, str]], areas: list[tuple[Span, str]] | None = None
) -> tuple[Span, str]:
    """An area's grade: the one just before it, joined by 'for' ('outstanding for care leavers'), by 'for'
    and a list of other areas ('good for leaders, help and protection and children in care') or by nothing
    ('outstanding overall'), else the first after it, else the last."""
    before = [g for g in grades if g[0].end <= area.start]
    following = [g for g in grades if g[0].start >= area.end]
    # A grade after the area, in its clause and with no other area between, is its own ('..., and the
    # experiences of children in care was judged inadequate'): not the grade of the list before it.
    own_after = (
        bool(following)
        and not re.search(r"[.;:]", text[area.end : following[0][0].start])
        # (areas named are apart from each other: one that overlaps the words between lies within them)
        and not any(Span(area.end, following[0][0].start).overlaps(a) for a, _ in areas or [])
    )
    # (joined by a space: a grade that ends a line is its own line's, not the next line's area's)
    if before and (
        GRADE_FOR.fullmatch(text, before[-1][0].end, area.start)
        or text[before[-1][0].end : area.start] == " "
        or (_listed_after(text, before[-1][0].end, area.start, areas or []) and not own_after)
    ):
        return before[-1]
    return following[0] if following else grades[-1]


def _listed_after(text: str, start: int, end: int, areas: list[tuple[Span, str]]) -> bool:
    """Whether text[start:end] is 'for' and other areas, each followed by a comma or 'and' (the list a
    grade before it is given to)."""
    m = GRADE_FOR.match(text, start, end)
    pos = m.end() if m else -1
    listed = [a for a, _ in areas if start < a.start and a.end <= end]
    if pos < 0 or not listed:
        return False
    for span in listed:
        if span.start != pos and not re.fullmatch(r"(?:the\s+)?", text[pos : span.start]):
            return False
        joint = re.match(r",?\s+and\s+(?:for\s+)?(?:the\s+)?|,\s+(?:for\s+)?(?:the\s+)?", text[span.end : end + 1])
        if joint is None:
            return False
        pos = span.end + joint.end()
    return pos == end


def _overall_after_grade(
    text: str, grades: list[tuple[Span, str]], areas: list[tuple[Span, str]], notation: str
) -> list[tuple[Span, str]]:
    """'overall' written just after a grade ('judged outstanding overall'), where no area's name holds it."""
    out = []
    for grade_span, _ in grades:
        m = AFTER_GRADE.match(text, grade_span.end)
        if m and not any(a.start <= m.start(1) < a.end for a, _ in areas):
            out.append((Span(m.start(1), m.end(1)), notation))
    return out
