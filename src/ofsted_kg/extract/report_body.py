"""The body of an ILACS report: the 'What needs to improve?' list and the numbered findings.

Both are read so that each point and each finding ends where it ends in the report:
a list ends before the first judgement heading or numbered paragraph after it; a
sub-list (dashes under a '◼' point) stays inside its point; the paragraph numbers
are followed through a skipped number or a number glued to its first word.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.common import quoted_text, split_spans
from ofsted_kg.facts import FindingFact, InspectionRef, RecommendationFact
from ofsted_kg.reference import normalise_label
from ofsted_kg.text import BULLET_CLASS, GLYPH_CLASS, Quoted, Span, lines

# A judgement's heading in a report: its area and grade as quoted, and the span of the section it heads.
Section = tuple[Quoted[str], Quoted[str], Span]

# "What needs to improve?" (with a footnote mark from a PDF: "improve?1"); "What needs to improve:" in 2018-19.
IMPROVE = re.compile(r"^\s*What needs to improve[?:]?\d*\s*$", re.MULTILINE | re.IGNORECASE)
# A numbered paragraph: "12. Children ...", also glued to its first word or quote mark ("23.‘Show Me"),
# or with its full stop doubled ("46.. Most").
PARAGRAPH = re.compile(r"(?m)^[ \t]*(\d{1,3})\.\.?(?:[ \t]+|(?=[A-Z\u2018\u201c\"']))")
# A point of a list: a bullet glyph, or a space where the PDF lost the glyph.
POINT = re.compile(rf"^(\s*({BULLET_CLASS})\s+|\s+(?=[A-Z\u2018\u201c\"']))")
# How many paragraph numbers a report may skip ("14." then "16.") and still be followed.
MAX_SKIP = 2
BOILERPLATE = re.compile(
    r"^\s*(?:The Office for Standards in Education|If you would like a copy of this document|Ofsted has a duty)",
    re.MULTILINE,
)


def end_of_findings(text: str, start: int) -> int:
    m = BOILERPLATE.search(text, start)
    return m.start() if m else len(text)


def page_furniture(text: str, title: str | None) -> list[Span]:
    """Running page headers and footers left in a text: the report title repeated (with, on its line
    or the next, the dates and a page number), lone page numbers and lone bullet glyphs."""
    noise = []
    all_lines = lines(text)
    title_key = normalise_label(title) if title else None
    seen_title = False
    for i, line in enumerate(all_lines):
        value = line.quote(text)
        key = normalise_label(value)
        if title_key and (key == title_key or (key.startswith(title_key) and re.search(r"\s\d{1,3}$", key))):
            if seen_title:
                noise.append(line)
                if i + 1 < len(all_lines) and re.fullmatch(
                    r".*\b(?:19|20)\d\d\s+\d{1,3}", all_lines[i + 1].quote(text)
                ):
                    noise.append(all_lines[i + 1])
            seen_title = True
        elif re.fullmatch(rf"\d{{1,3}}|{GLYPH_CLASS}", value):  # a page number, or a stray bullet glyph
            noise.append(line)
    return noise


def improvements(
    text: str, ref: InspectionRef, heading_starts: list[int], noise: list[Span]
) -> list[RecommendationFact]:
    """The points of 'What needs to improve?', numbered in the order given."""
    head = IMPROVE.search(text)
    if not head:
        return []
    stops = [s for s in heading_starts if s > head.end()]
    paragraph = PARAGRAPH.search(text, head.end())
    stops += [paragraph.start()] if paragraph else []
    stop = min(stops, default=end_of_findings(text, head.end()))
    out = []
    for number, spans in enumerate(points(text, head.end(), stop, noise), start=1):
        out.append(RecommendationFact(ref, "council", number, quoted_text(text, spans), improvement_area=True))
    return out


def points(text: str, start: int, end: int, noise: list[Span]) -> list[list[Span]]:
    """The points of a list in text[start:end]. The first point's marker is the list's own; lines
    with another marker (a dash under a '◼') are sub-points and stay inside their point."""
    items: list[Span] = []
    marker_kind = None
    for raw in re.finditer(r"[^\n]+", text[start:end]):  # raw lines: a lost glyph leaves a leading space
        line = Span(start + raw.start(), start + raw.end())
        if not raw.group(0).strip() or any(n.start <= line.start < n.end for n in noise):
            continue
        m = POINT.match(raw.group(0))
        kind = (m.group(2) or " ") if m else None
        if kind is not None and marker_kind is None:
            marker_kind = kind
        if m is not None and kind == marker_kind:
            items.append(Span(line.start + m.end(), line.end))
        elif items:
            items[-1] = Span(items[-1].start, line.end)
    out = [split_spans(text, item, noise) for item in items]
    return [spans for spans in out if spans]


def findings(
    text: str, ref: InspectionRef, sections: list[Section], noise: list[Span], notes: list[str]
) -> list[FindingFact]:
    """The numbered paragraphs under each judgement heading, each under the heading it follows."""
    if not sections:
        return []
    markers = _paragraphs(text, sections[0][2].start, sections[-1][2].end, notes)
    out = []
    for i, (number, body_start, _) in enumerate(markers):
        section = next((s for s in sections if s[2].start <= body_start < s[2].end), None)
        if section is None:
            continue
        body_end = min(markers[i + 1][2] if i + 1 < len(markers) else section[2].end, section[2].end)
        spans = split_spans(text, Span(body_start, body_end), noise)
        if spans:
            out.append(FindingFact(ref, quoted_text(text, spans), area=section[0], number=number))
    return out


def _paragraphs(text: str, start: int, end: int, notes: list[str]) -> list[tuple[int, int, int]]:
    """(number, body start, marker start) of the paragraphs numbered 1, 2, 3... in text[start:end].

    A number a few past the one expected is taken where the next paragraph confirms it (Ofsted
    sometimes skips a number), so one odd number does not end the findings."""
    candidates = [(int(m.group(1)), m.end(), m.start()) for m in PARAGRAPH.finditer(text, start, end)]
    out = []
    expected = 1
    for i, (number, body, begin) in enumerate(candidates):
        if number == expected or (
            expected < number <= expected + MAX_SKIP
            and any(n == number + 1 for n, _, _ in candidates[i + 1 : i + 4])
            and not any(n == expected for n, _, _ in candidates[i + 1 : i + 4])
        ):
            if number != expected:
                skipped = ", ".join(str(n) for n in range(expected, number))
                notes.append(f"the findings' numbering goes from {expected - 1} to {number}: no paragraph {skipped}")
            out.append((number, body, begin))
            expected = number + 1
    return out
