"""Council press releases about an inspection."""

from __future__ import annotations

import re

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.extract import announcement
from ofsted_kg.facts import DocumentInfo, Extraction
from ofsted_kg.text import DAY_MONTH_YEAR, Quoted, parse_date

RELEASED = re.compile(r"(?im)^\W*(?:released|issued|published|date)\s*:\s*")


def extract(doc: Document) -> Extraction:
    text = doc.text
    date = None
    m = RELEASED.search(text)
    if m:
        d = DAY_MONTH_YEAR.search(text, m.end(), m.end() + 60)
        day = parse_date(d.group(0)) if d else None
        if d and day:
            date = Quoted.at(day, d.start(), d.end())
    mention = load_councils().main_council(text)
    # A council's press release is published by the council it speaks for.
    publisher = Quoted.at(mention.council.gss_code, mention.start, mention.end) if mention else None
    return announcement.extract(doc, DocumentInfo("press-release", date=date, publisher=publisher))
