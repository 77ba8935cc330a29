"""Patterns shared by the extractors: grades, list items, page furniture, finding polarity."""

from __future__ import annotations

import re
from functools import lru_cache

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.facts import DocumentInfo, Extraction, InspectionFact, InspectionRef
from ofsted_kg.reference import load_reference
from ofsted_kg.text import PartialDate, Quoted, Span, date_at, find_date_range, squash, trim

# Bullet glyphs, incl. the private-use ones of Symbol and Wingdings fonts that PDF text keeps.
BULLET_GLYPHS = "\u2022\u25aa\u25a0\u25fc\u25cf\u2023\u2043\u25e6\uf0b7\uf0a7\uf06e\uf0d8"
BULLETS = BULLET_GLYPHS + "-\u2013*"
SECOND_PART = re.compile(r"\s+and\s+")

# Phrases that mark a finding as saying what is not yet good enough. Plain 'not'
# and 'but' are left out: 'did not prevent', 'anything but tokenistic' are praise.
IMPROVEMENT_CUES = re.compile(
    r"\b(?:however|not\s+(?:yet|consistently|always|routinely|sufficiently|fully|all|as\s+\w+\s+as|timely|"
    r"robust|clear|effective|strong|good|well|explicitly|promptly)|too\s+(?:high|low|slow|slowly|long|many|few|much|"
    r"variable|late|often|little)|insufficient(?:ly)?|inconsistent(?:ly)?|inconsistency|variab(?:le|ility)|"
    r"weak(?:ness|nesses|er)?|lack(?:s|ing)?|delays?|delayed|shortfalls?|poor(?:er|ly)?|requires?\s+improvement|"
    r"needs?\s+to\s+improve|gaps?|declined?|deteriorat\w*)\b",
    re.IGNORECASE,
)


def finding_type(text: str) -> str:
    """'improvement-needed' where a finding says what is not yet good enough, else 'strength'."""
    return "improvement-needed" if IMPROVEMENT_CUES.search(text) else "strength"


@lru_cache(maxsize=1)
def grade_pattern() -> re.Pattern[str]:
    """Any grade of any scale, words separated by any whitespace (tables break lines)."""
    names = load_reference().grade_names()
    names = [n for n in names if len(n) > 2]  # 'RI' and the like only in prose
    body = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def quoted_text(text: str, spans: list[Span]) -> Quoted[str]:
    """A value made of one or more spans, whitespace squashed."""
    return Quoted(squash(" ".join(s.quote(text) for s in spans)), tuple(spans))


def split_spans(text: str, span: Span, noise: list[Span]) -> list[Span]:
    """span minus any noise spans inside it (page headers, footers), each piece trimmed."""
    pieces = []
    pos = span.start
    for n in sorted(noise):
        if n.end <= span.start or n.start >= span.end:
            continue
        piece = trim(text, pos, max(pos, n.start))
        if piece.end > piece.start:
            pieces.append(piece)
        pos = max(pos, n.end)
    piece = trim(text, pos, span.end)
    if piece.end > piece.start:
        pieces.append(piece)
    return pieces


def list_items(text: str, start: int, end: int, noise: list[Span] = ()) -> list[list[Span]]:
    """The items of a bulleted or dashed list in text[start:end].

    An item starts at a line opening with a bullet glyph (or a space where the
    glyph was lost); lines that do not open that way continue the item before.
    """
    items: list[list[Span]] = []
    current: Span | None = None
    for m in re.finditer(r"[^\n]*", text[start:end]):
        line_start = start + m.start()
        line = m.group(0)
        if not line.strip():
            continue
        if any(n.start <= line_start < n.end for n in noise):
            continue
        marker = re.match(rf"^(\s*[{re.escape(BULLETS)}]\s+|\s+(?=[A-Z\u2018\u201c\"']))", line)
        if marker:
            if current:
                items.append(split_spans(text, current, noise))
            current = Span(line_start + marker.end(), line_start + len(line))
        elif current is not None:
            current = Span(current.start, line_start + len(line))
    if current:
        items.append(split_spans(text, current, noise))
    return [i for i in items if i]


def report_inspection(
    doc: Document,
    *,
    template: str,
    marker: re.Match[str],
    framework: str,
    inspection_type: str,
    dates: re.Pattern[str],
    published: re.Pattern[str],
    lead: re.Pattern[str],
) -> tuple[Extraction, InspectionRef]:
    """What the head of a pre-ILACS Ofsted report gives: the council (the one it names most near its
    start), the dates line, the publication date and the lead inspector, as an Extraction holding
    the inspection, with the key of that inspection. `marker` is the template's title, quoted as
    the evidence of its framework and type; `template` names the template in messages."""
    text = doc.text
    notes: list[str] = []
    line = dates.search(text)
    span = find_date_range(text, line.start(1), line.end(1)) if line else None
    start: Quoted[PartialDate] | None = None
    end: Quoted[PartialDate] | None = None
    if span is not None and span.start.year is not None:
        start, end = Quoted(span.start, (span.span,)), Quoted(span.end, (span.span,))
        # An inspection in two parts: "19 November-11 December 2013 and 28 – 30\nJanuary 2014".
        if (more := SECOND_PART.match(text, span.span.end)) and (
            (second := find_date_range(text, more.end(), more.end() + 40)) and second.span.start == more.end()
        ):
            end = Quoted(second.end, (second.span,))
    elif line and (single := date_at(text, line.start(1))) and not text[single[1].end : line.end(1)].strip():
        # One date where a range belongs ("Inspection date: 28 July 2016"): the inspection was on
        # it, but where it started and ended is not said; only the year is taken.
        start = Quoted(PartialDate(single[0].year), (single[1],))
        notes.append(
            f"the report gives one inspection date ({single[1].quote(text)}), not a range: "
            "only its year is taken as the start, and no end"
        )
    if start is None:
        raise DocumentError(doc.path, f"looks like {template}, but gives no inspection dates")
    mention = load_councils().main_council(text[:3000]) or load_councils().main_council(text)
    if mention is None:
        raise DocumentError(doc.path, "looks like an Ofsted report, but names no English local authority")
    council = Quoted.at(mention.council.gss_code, mention.start, mention.end)
    ref = InspectionRef(mention.council.gss_code, start.value.year)
    issued = None
    if (m := published.search(text)) and (d := date_at(text, m.end())):
        issued = Quoted(d[0], (d[1],))
    inspector = lead.search(text)
    title = trim(text, marker.start(), marker.end())
    out = Extraction(DocumentInfo(kind="ofsted-report", council=council, date=issued), notes=notes)
    out.facts.append(
        InspectionFact(
            ref=ref,
            council=council,
            framework=Quoted(framework, (title,)),
            inspection_type=Quoted(inspection_type, (title,)),
            start=start,
            end=end,
            published=issued,
            lead_inspector=Quoted.at(inspector.group(1), inspector.start(1), inspector.end(1)) if inspector else None,
        )
    )
    return out, ref
