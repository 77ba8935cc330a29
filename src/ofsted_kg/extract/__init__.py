"""Extractors, one module per kind of document; `extract` picks one by the document's content."""

from __future__ import annotations

import dataclasses

from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import (
    cabinet,
    comparisons,
    figures,
    looked_after,
    meetings,
    news,
    outcomes,
    people,
    people_lines,
    press,
    quotes,
    quotes_reported,
    report,
    services,
    sif,
)
from ofsted_kg.extract.kinds import detect_kind
from ofsted_kg.facts import ActionFact, Context, Extraction, FindingFact, InspectionFact
from ofsted_kg.text import Quoted, Span


def _ofsted_report(doc: Document) -> Extraction:
    """An Ofsted report, by its template: looked after children (2012-13), the Single Inspection
    Framework's (2013-17) or ILACS's (2018 on)."""
    if looked_after.is_looked_after(doc.text):
        return looked_after.extract(doc)
    return sif.extract(doc) if sif.is_sif(doc.text) else report.extract(doc)


EXTRACTORS = {
    "ofsted-report": _ofsted_report,
    "cabinet-report": cabinet.extract,
    "press-release": press.extract,
    "news-article": news.extract,
}


def extract(doc: Document) -> Extraction:
    """The facts of a document: those its kind's extractor reads, then those of its prose."""
    if outcomes.is_outcomes_table(doc.text):
        return outcomes.extract(doc)  # a table has no prose to read people, services or figures from
    kind = detect_kind(doc.text)
    if kind is None:
        raise DocumentError(
            doc.path,
            "is of no known kind (not an Ofsted report, council cabinet report, press release, news article or table of Ofsted outcomes)",
        )
    extraction = EXTRACTORS[kind](doc)
    context = _context(extraction)
    persons = people.extract(doc.text, context)
    persons += people_lines.extract(doc.text, context, persons)
    extraction.facts += persons
    quotations = quotes.extract(doc.text, context, persons)
    extraction.facts += quotations + quotes_reported.extract(doc.text, context, persons, quotations)
    findings = [f for f in extraction.facts if isinstance(f, FindingFact)]
    extraction.facts += services.extract(doc.text, context, findings)
    # An action plan's targets ('1,900 cases reviewed', '40 staff trained') are what the council means to
    # do, read with its actions: no figures of the document. Its progress ('8 flats identified') is one.
    plans = [
        span for f in extraction.facts if isinstance(f, ActionFact) for span in _spans((f.milestones, f.timescales))
    ]
    unmeasured: list[str] = []
    extraction.facts += figures.extract(doc.text, context, plans, unmeasured)
    extraction.facts += meetings.extract(doc.text, context)
    if unmeasured:
        extraction.notes.append(
            f"{len(unmeasured)} figure{'s' if len(unmeasured) > 1 else ''} left out: the sentence does not say what "
            f"{'they measure' if len(unmeasured) > 1 else 'it measures'} ('{unmeasured[0]}'{', ...' if len(unmeasured) > 1 else ''})"
        )
    extraction.facts += comparisons.extract(doc.text, context)
    return extraction


def _spans(value: object) -> list[Span]:
    """The spans of every quoted value in a fact, its parts and their tuples."""
    if isinstance(value, Quoted):
        return list(value.spans)
    if isinstance(value, tuple):
        return [span for item in value for span in _spans(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [span for field in dataclasses.fields(value) for span in _spans(getattr(value, field.name))]
    return []


def _context(extraction: Extraction) -> Context:
    info = extraction.info
    inspection = next((f.ref for f in extraction.facts if isinstance(f, InspectionFact)), None)
    return Context(
        council=info.council.value if info.council else None,
        date=info.date.value if info.date else None,
        inspection=inspection,
    )
