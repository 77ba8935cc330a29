"""Council cabinet reports on an Ofsted inspection: outcome table, findings, recommendations, action plan."""

from __future__ import annotations

import re

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import action_plan, earlier, prose, stated_recommendations
from ofsted_kg.extract.common import BACK_REFERENCE, TABLE_STRETCH, elsewhere, list_items, quoted_text, year_before
from ofsted_kg.extract.sections import Section, numbered_items, numbered_sections
from ofsted_kg.facts import (
    DocumentInfo,
    Extraction,
    FindingFact,
    InspectionFact,
    InspectionRef,
    JudgementFact,
    RecommendationFact,
)
from ofsted_kg.reference import Area, Framework, load_reference
from ofsted_kg.text import (
    BULLET_CLASS,
    DAY_MONTH_YEAR,
    PartialDate,
    Quoted,
    Span,
    Spans,
    blocks,
    find_date_range,
    parse_date,
    sentences,
    squash,
)

MEETING = re.compile(r"\b(?:Cabinet|Council|Committee|Board)\s+Meeting\s+", re.IGNORECASE)
REPORT_TITLE = re.compile(r"^\s*Report title\s+", re.MULTILINE | re.IGNORECASE)
STARTED = re.compile(r"\binspection\b[^.]{0,60}?\b(?:commenced|started|began)\b[^.]{0,60}?\bon\s+", re.IGNORECASE)
FINISHED = re.compile(r"\b(?:finished|ended|concluded|completed)\s+on\s+", re.IGNORECASE)


def extract(doc: Document) -> Extraction:
    text = doc.text
    councils = load_councils()
    mention = councils.main_council(text)
    if mention is None:
        raise DocumentError(doc.path, "a cabinet report, but it names no English local authority")
    council = mention.council
    council_q = Quoted.at(council.gss_code, mention.start, mention.end)

    start, end = _inspection_dates(text)
    if start is None:
        raise DocumentError(doc.path, "a cabinet report, but it gives no dates of an inspection")
    reference = load_reference()
    framework = reference.framework_in(start.value) or reference.frameworks[-1]
    ref = InspectionRef(council.gss_code, start.value.year)

    out = Extraction(
        DocumentInfo(
            kind="cabinet-report", council=council_q, title=_title(text), date=_meeting_date(text), publisher=council_q
        )
    )
    out.facts.append(InspectionFact(ref=ref, council=council_q, start=start, end=end))
    recalled, recalled_judgements = earlier.previous_inspections(text, council.gss_code, reference)
    out.facts += [f for f in recalled if f.ref.year != ref.year] + [
        j for j in recalled_judgements if j.ref.year != ref.year
    ]

    about_another = elsewhere(text, council.gss_code)
    # (a row of another council's grades, 'Barnet overall effectiveness   Outstanding', is not this one's)
    out.facts += [
        f
        for f in prose.graded_lines(text, ref, framework, TABLE_STRETCH)
        if not about_another(_line_of(text, f.area.spans[0]))
    ]
    out.facts += prose.judgement_was(text, ref, framework)
    # Grades given in sentences ('Overall effectiveness was judged inadequate, as were ...'): of this
    # inspection, or of an earlier one where the sentence names its year alone.
    earlier_refs = {f.ref.year: f.ref for f in recalled if f.ref.year != ref.year}

    def ref_for(sentence: Span) -> InspectionRef | None:
        if about_another(sentence):
            return None  # another council's grade ('the other is Salford, judged outstanding')
        years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", sentence.quote(text))}
        if not years and BACK_REFERENCE.search(sentence.quote(text)):
            # 'At that inspection, ...': the inspection the words before it name, if they name an earlier one
            return earlier_refs.get(year_before(text, sentence.start) or 0)
        if not years or ref.year in years:
            return ref
        return earlier_refs.get(years.pop()) if len(years) == 1 else None

    def framework_for(of: InspectionRef) -> Framework | None:
        return framework if of == ref else reference.framework_in(PartialDate(of.year)) if of.year else None

    def key(fact: JudgementFact) -> tuple[InspectionRef, Area | None]:
        return fact.ref, (framework_for(fact.ref) or framework).area(fact.area.value)

    given = {key(f) for f in out.facts if isinstance(f, JudgementFact)}
    for fact in prose.sentence_judgements(text, ref_for, framework_for):
        area = key(fact)[1]
        if (fact.ref, area) not in given:  # (a table's row and a sentence giving the same grade: read once)
            given.add((fact.ref, area))
            out.facts.append(fact)
    out.facts += prose.boards(text, council.names, council.gss_code)

    appendix = action_plan.find(text)
    body_end = appendix.start if appendix else len(text)
    sections = numbered_sections(text, 0, body_end)
    out.facts += _findings(text, ref, framework, sections)
    numbered = _recommendations(text, ref, framework, sections)
    out.facts += numbered
    taken = Spans(span for fact in numbered for span in fact.text.spans)
    for stated in stated_recommendations.read(text, 0, body_end, taken):
        out.facts.append(
            RecommendationFact(
                ref, stated.addressee, stated.number, Quoted(squash(stated.span.quote(text)), (stated.span,))
            )
        )
    if appendix:
        out.facts += action_plan.extract_any(text, appendix, ref)
    return out


def _line_of(text: str, span: Span) -> Span:
    """The whole line a span starts on."""
    end = text.find("\n", span.start)
    return Span(text.rfind("\n", 0, span.start) + 1, len(text) if end < 0 else end)


def _title(text: str) -> Quoted[str] | None:
    m = REPORT_TITLE.search(text)
    if not m:
        return None
    block = next((b for b in blocks(text, m.end()) if b.start >= m.end()), None)
    first = blocks(text, m.end(), block.end if block else None)
    span = first[0] if first else None
    return Quoted(squash(span.quote(text)), (span,)) if span else None


def _meeting_date(text: str) -> Quoted[PartialDate] | None:
    m = MEETING.search(text)
    if not m:
        return None
    return _date_at(text, m.end())


def _date_at(text: str, pos: int) -> Quoted[PartialDate] | None:
    """The date written at pos, day, month and year (of which parse_date reads at least the month and year)."""
    d = DAY_MONTH_YEAR.match(text, pos)
    value = parse_date(d.group(0)) if d else None
    return Quoted.at(value, d.start(), d.end()) if d and value else None


def _inspection_dates(text: str) -> tuple[Quoted[PartialDate] | None, Quoted[PartialDate] | None]:
    m = STARTED.search(text)
    start = _date_at(text, m.end()) if m else None
    m = FINISHED.search(text)
    end = _date_at(text, m.end()) if m else None
    if start is None:
        for sentence in sentences(text):
            if "inspection" in sentence.quote(text).lower():
                r = find_date_range(text, sentence.start, sentence.end)
                if r and r.start.year:
                    return Quoted(r.start, (r.span,)), Quoted(r.end, (r.span,))
    return start, end


def _section_area(
    text: str, section: Section, by_number: dict[str, Section], framework: Framework
) -> tuple[Section, Area] | tuple[None, None]:
    """The judgement area a section is about: its own heading's, else its parents'."""
    for s in [section] + [by_number[n] for n in section.parent_numbers if n in by_number]:
        heading = s.heading.quote(text)
        area = framework.area(re.split(r"\s+[-\u2013]\s+|:", heading)[0], stretch=TABLE_STRETCH) or (
            framework.area(heading) if s is not section else None
        )
        if area is not None:
            return s, area
    return None, None


def _findings(text: str, ref: InspectionRef, framework: Framework, sections: list[Section]) -> list[FindingFact]:
    """Bulleted findings: headline findings, and those listed under each judgement's heading."""
    by_number = {s.number: s for s in sections}
    out = []
    for section in sections:
        items = list_items(text, section.body.start, section.body.end)
        bulleted = re.search(rf"(?m)^\s*{BULLET_CLASS}", section.body.quote(text))
        heading = section.heading.quote(text)
        if not items or not (bulleted or re.search(r"\bfindings?\b", heading, re.IGNORECASE)):
            continue
        owner, area = _section_area(text, section, by_number, framework)
        headline = bool(re.search(r"\bheadline\b", heading, re.IGNORECASE))
        if area is None and not headline:
            continue
        area_q = Quoted(squash(owner.heading.quote(text)), (owner.heading,)) if owner is not None else None
        addressee = "board" if area is not None and area.notation.endswith("lscb") else "council"
        for spans in items:
            out.append(FindingFact(ref, quoted_text(text, spans), area=area_q, headline=headline, addressee=addressee))
    return out


def _recommendations(
    text: str, ref: InspectionRef, framework: Framework, sections: list[Section]
) -> list[RecommendationFact]:
    """Numbered recommendations or areas for improvement, in a section whose first paragraph says
    what they are, to the council or, where the section is about it, to the board."""
    by_number = {s.number: s for s in sections}
    out = []
    for section in sections:
        if not stated_recommendations.CUE.search(section.lead.quote(text)):
            continue
        items = numbered_items(text, section.body.start, section.body.end)
        if items:  # the list ends with its last item's paragraph, not at the next section ('5. Review of ...')
            number, last = items[-1]
            items[-1] = (number, blocks(text, last.start, last.end)[0])
        if not items or any(stated_recommendations.DECISION_ITEM.match(span.quote(text)) for _, span in items):
            continue
        _, area = _section_area(text, section, by_number, framework)
        about_board = (area is not None and area.notation.endswith("lscb")) or bool(
            prose.BOARD.search(section.lead.quote(text))
        )
        for number, span in items:
            out.append(
                RecommendationFact(
                    ref, "board" if about_board else "council", number, Quoted(squash(span.quote(text)), (span,))
                )
            )
    return out
