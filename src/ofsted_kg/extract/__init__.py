"""Extractors, one module per kind of document; `extract` picks one by the document's content."""

from __future__ import annotations

from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import cabinet, news, press, report
from ofsted_kg.extract.kinds import detect_kind
from ofsted_kg.facts import Extraction

EXTRACTORS = {
    "ofsted-report": report.extract,
    "cabinet-report": cabinet.extract,
    "press-release": press.extract,
    "news-article": news.extract,
}


def extract(doc: Document) -> Extraction:
    """The facts of a document, read by the extractor for its kind."""
    kind = detect_kind(doc.text)
    if kind is None:
        raise DocumentError(
            doc.path,
            "is of no known kind (not an Ofsted report, council cabinet report, press release or news article)",
        )
    return EXTRACTORS[kind](doc)
