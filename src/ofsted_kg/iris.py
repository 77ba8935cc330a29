"""The one place where resource IRIs are minted.

IRIs are built from stable keys (codes, years, numbers, content hashes), never
from counters or memory addresses, so a rebuild gives the same IRIs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from ofsted_kg.namespaces import ID
from ofsted_kg.text import fold, squash


def slug(text: str) -> str:
    """A lower-case ASCII slug: 'Andy Waugh' -> 'andy-waugh'.

    >>> slug("Andy Waugh")
    'andy-waugh'
    >>> slug("Her Majesty’s Inspector"), slug("Her Majesty's Inspector")  # either apostrophe joins
    ('her-majestys-inspector', 'her-majestys-inspector')
    >>> slug("Café & Co."), slug("!!!")
    ('cafe-co', 'x')
    """
    # Apostrophes join, whichever is typed: "Majesty's" and "Majesty’s" are one word.
    text = re.sub(r"['\u2019]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def digest(*parts: object, length: int = 12) -> str:
    """A short, stable hash of the parts."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def mint(*parts: object) -> URIRef:
    """An IRI under the project's id/ space from path parts."""
    return URIRef(str(ID) + "/".join(str(p) for p in parts))


def document(sha256: str) -> URIRef:
    return mint("document", sha256[:16])


def council(gss_code: str) -> URIRef:
    return mint("council", gss_code)


def safeguarding_board(gss_code: str) -> URIRef:
    return mint("council", gss_code, "safeguarding-board")


def inspection(gss_code: str, year: int) -> URIRef:
    return mint("inspection", f"{gss_code}-{year}")


def judgement(inspection_iri: URIRef, area_local_name: str) -> URIRef:
    return URIRef(f"{inspection_iri}/judgement/{area_local_name}")


def recommendation(inspection_iri: URIRef, addressee: str, number: int) -> URIRef:
    return URIRef(f"{inspection_iri}/recommendation/{addressee}-{number}")


def stated_recommendation(inspection_iri: URIRef, addressee: str, text: str) -> URIRef:
    """A recommendation a document states without a number, by its words: it cannot be the report's
    recommendation of any number, and the same words stated twice are one recommendation."""
    return URIRef(f"{inspection_iri}/recommendation/{addressee}-stated-{digest(squash(text.lower()))}")


def finding(inspection_iri: URIRef, text: str) -> URIRef:
    """A finding, by its words with their typographic variants folded: the same finding read from a report's
    PDF and from a text copy of it (curly or straight quotes, dashes, ligatures) is one finding."""
    return URIRef(f"{inspection_iri}/finding/{digest(fold(text))}")


def action_plan(inspection_iri: URIRef) -> URIRef:
    """The council's plan in answer to an inspection; documents that present it describe one plan."""
    return URIRef(f"{inspection_iri}/action-plan")


def action(plan_iri: URIRef, recommendation_key: str) -> URIRef:
    return URIRef(f"{plan_iri}/{recommendation_key}")


def milestone(action_iri: URIRef, index: int) -> URIRef:
    return URIRef(f"{action_iri}/milestone-{index}")


def person(name: str, organisation: str | None = None) -> URIRef:
    """A person, by name; by name and organisation where two people share a name (graph.Inspections.person)."""
    return mint("person", slug(name) if organisation is None else f"{slug(name)}--{slug(organisation)}")


def post(organisation_key: str, title: str) -> URIRef:
    """A post in an organisation: 'Strategic Director - People' and 'Strategic Director, People' are one post."""
    return mint("post", organisation_key, slug(title))


def organisation(key: str) -> URIRef:
    """An organisation that is not a council: 'ofsted', or a slug of its name."""
    return mint("org", slug(key))


def quotation(text: str) -> URIRef:
    """A quotation, by its words: the same words quoted by two documents, however typeset, are one quotation."""
    return mint("quotation", digest(fold(text)))


def service(council_gss: str, key: str) -> URIRef:
    """A service named in a council's documents, by its normalised name; the area's safeguarding
    children board is the board itself, however the text names it."""
    if key.endswith("safeguarding-children-board"):
        return safeguarding_board(council_gss)
    return mint("service", council_gss, key)


def area(gss_code: str) -> URIRef:
    """A country or region by its ONS GSS code (E92000001 England, E12000005 West Midlands)."""
    return mint("area", gss_code)


def figure(*key: object) -> URIRef:
    """An observation, by what it says: the same figure stated by two documents is one observation."""
    return mint("figure", digest(*key))


def meeting(body: str, day: str) -> URIRef:
    return mint("meeting", f"{slug(body)}-{day}")


def claim(text: str) -> URIRef:
    return mint("claim", digest(fold(text)))


def evidence(document_sha: str, start: int, end: int, about: str) -> URIRef:
    return mint("evidence", document_sha[:16], f"{start}-{end}-{digest(about, length=8)}")


def preference(*topic: object) -> URIRef:
    """The preference among the values documents give for one fact (a subject and property, or a thing and a measure)."""
    return mint("preference", digest(*topic))


def derived(*key: object) -> URIRef:
    """A value the graph derives from other facts (derived.py)."""
    return mint("derived", digest(*key))
