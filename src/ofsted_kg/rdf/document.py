"""What a document's graph says of the document itself, and the names of the files the build keeps beside
the graph for it (its text, a copy of the file it was read from)."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from ofsted_kg import iris
from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.facts import Extraction
from ofsted_kg.namespaces import KIND, OKG, SCHEMA
from ofsted_kg.rdf.evidence import OFSTED, DocumentGraph, date_literal


def write_document(w: DocumentGraph, extraction: Extraction) -> None:
    doc, info = w.doc, extraction.info
    d = doc.iri
    w.add(d, RDF.type, OKG.SourceDocument)
    w.add(d, OKG.documentKind, KIND[info.kind])
    w.add(d, OKG.fileName, Literal(doc.name))
    w.add(d, OKG.sha256, Literal(doc.sha256))
    w.add(d, OKG.characters, Literal(len(doc.text)))
    if doc.converted:
        # Offsets count in the text made from the PDF or spreadsheet, which the build keeps beside the graph.
        w.add(d, OKG.textFile, Literal(text_file(doc)))
    # The copy of the file the build keeps beside the graph (named by its content). Said for whoever reads
    # the folder; the server finds the copy by the document's SHA-256 instead, never by a path in the graph.
    w.add(d, OKG.sourceFile, Literal(source_file(doc)))
    if info.title:
        w.add(d, DCTERMS.title, Literal(info.title.value), info.title)
    if info.date:
        w.add(d, DCTERMS.date, date_literal(info.date.value), info.date)
    if info.council:
        w.add(d, SCHEMA.about, iris.council(info.council.value), info.council)
    if info.kind in ("ofsted-report", "outcomes-table"):
        w.add(d, DCTERMS.publisher, OFSTED)
    elif info.publisher:
        value = info.publisher.value
        if load_councils().by_gss(value):
            w.add(d, DCTERMS.publisher, iris.council(value), info.publisher)
        else:
            org = iris.mint("org", iris.slug(value))
            w.add(org, RDF.type, ORG.Organization)
            w.add(org, SKOS.prefLabel, Literal(value), info.publisher)
            w.add(d, DCTERMS.publisher, org, info.publisher)


def text_file(doc: Document) -> str:
    """Where, beside the graph, the text of a document read from a PDF is kept."""
    return f"texts/{doc.sha256[:16]}.txt"


def source_file(doc: Document) -> str:
    """Where, beside the graph, the build keeps a copy of the file a document was read from: named by its
    SHA-256, with the extension of what it is (not of its name): pdf, ods (a spreadsheet), else txt."""
    return source_name(doc.sha256, doc.pages, doc.spreadsheet)


def source_name(sha256: str, pages: tuple[int, ...], spreadsheet: bool) -> str:
    """source_file() from what a cache entry holds without decoding its document (add's many entries)."""
    return f"sources/{sha256}.{'pdf' if pages else 'ods' if spreadsheet else 'txt'}"


SOURCE_EXTENSIONS = ("pdf", "ods", "txt")


def source_extension(doc: Document) -> str:
    return source_name(doc.sha256, doc.pages, doc.spreadsheet).rsplit(".", 1)[1]
