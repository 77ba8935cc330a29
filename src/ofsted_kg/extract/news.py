"""News articles about an inspection."""

from __future__ import annotations

import re

from ofsted_kg.documents import Document
from ofsted_kg.extract import announcement
from ofsted_kg.facts import DocumentInfo, Extraction
from ofsted_kg.text import Quoted, lines

# "The BBC is not responsible for the content of external Internet sites"
PUBLISHER = re.compile(r"\bThe\s+([A-Z][\w&]*(?:\s+[A-Z][\w&]*){0,3})\s+is\s+not\s+responsible\s+for\s+the\s+content")


def extract(doc: Document) -> Extraction:
    text = doc.text
    m = PUBLISHER.search(text)
    publisher = Quoted.at(m.group(1), m.start(1), m.end(1)) if m else None
    return announcement.extract(doc, DocumentInfo("news-article", title=headline(text), publisher=publisher))


def headline(text: str) -> Quoted[str] | None:
    """The first line that reads as a headline: four words or more, not a sentence."""
    for line in lines(text)[:6]:
        value = line.quote(text)
        words = re.findall(r"[A-Za-z][\w'\u2019]*", value)
        if len(words) >= 4 and not value.rstrip().endswith((".", ":")) and len(value) <= 150:
            return Quoted(value, (line,))
    return None
