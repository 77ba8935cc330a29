"""The writer of one document's named graph, through which every fact writer writes: each statement it
adds tied to the span of the text it was read from (a Web Annotation with the quote and its position).
With what the writers share: the literal of a date, the IRI of Ofsted."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ofsted_kg import iris
from ofsted_kg.documents import Document
from ofsted_kg.namespaces import ID, OA, OKG
from ofsted_kg.rdf.inspections import Inspections
from ofsted_kg.text import PartialDate, Quoted

if TYPE_CHECKING:
    from ofsted_kg.terms import Term, Triple

# The terms of evidence, looked up once: every statement of every fact uses them.
_HAS_BODY, _HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = OA.hasBody, OA.hasTarget, OA.hasSource, OA.hasSelector
_EXACT, _PREFIX, _SUFFIX, _START, _END = OA.exact, OA.prefix, OA.suffix, OA.start, OA.end
_EVIDENCE, _ANNOTATION, _SPECIFIC_RESOURCE = OKG.Evidence, OA.Annotation, OA.SpecificResource
_QUOTE_SELECTOR, _POSITION_SELECTOR, _FRAGMENT_SELECTOR = (
    OA.TextQuoteSelector,
    OA.TextPositionSelector,
    OA.FragmentSelector,
)
_REFINED_BY, _VALUE, _CONFORMS_TO, _QUOTE = OA.refinedBy, RDF.value, DCTERMS.conformsTo, OKG.quote
_TYPE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object
# The fragment identifiers of PDF (RFC 3778: "page=N"), as the Web Annotation model's PDF example names them.
PDF_FRAGMENT = URIRef("http://tools.ietf.org/rfc/rfc3778")
# How many characters of the text either side of a quote its selector keeps (oa:prefix, oa:suffix): enough
# to tell apart the places where the same words recur, and to find the quote again in a text that moved.
CONTEXT = 32
# Ofsted, which the graphs name as the publisher of its reports and the inspectorate of each inspection.
OFSTED = ID["org/ofsted"]


class DocumentGraph:
    """Writes one document's named graph: statements, each with the evidence of its span."""

    def __init__(
        self, named: set[Triple], doc: Document, council: str | None = None, inspections: Inspections | None = None
    ):
        self.doc = doc
        self.council = council
        self.graph = named
        self.inspections = inspections if inspections is not None else Inspections([])
        self._evidence_seen: set[URIRef] = set()

    # (A quote of any value: only its spans are read.)
    def add(self, s: URIRef, p: URIRef, o: Term, quoted: Quoted[Any] | None = None) -> None:
        self.graph.add((s, p, o))
        if quoted is not None and quoted.spans:
            self.evidence(s, p, o, quoted)

    def evidence(self, s: URIRef, p: URIRef, o: Term, quoted: Quoted[Any]) -> None:
        """Tie statement (s, p, o) to the spans it was read from.

        One annotation per set of spans: a span that supports several statements
        (a date range giving a start and an end) is one annotation with several bodies.
        """
        spans = quoted.spans
        ann = iris.evidence(
            self.doc.sha256, spans[0].start, spans[-1].end, " ".join(f"{x.start}:{x.end}" for x in spans)
        )
        add = self.graph.add
        statement = URIRef(f"{ann}#{iris.digest(s, p, o.n3(), length=10)}")
        add((ann, _HAS_BODY, statement))
        add((statement, _TYPE, _STATEMENT))
        add((statement, _SUBJECT, s))
        add((statement, _PREDICATE, p))
        add((statement, _OBJECT, o))
        text = self.doc.text
        exact = [Literal(span.quote(text)) for span in spans]
        # The words again on the statement (okg:quote): one step for a query, where the selector is four.
        for words in exact:
            add((statement, _QUOTE, words))
        if ann in self._evidence_seen:
            return
        self._evidence_seen.add(ann)
        add((ann, _TYPE, _EVIDENCE))
        add((ann, _TYPE, _ANNOTATION))
        for i, span in enumerate(spans):
            target = URIRef(f"{ann}#target-{i}")
            quote = URIRef(f"{ann}#quote-{i}")
            position = URIRef(f"{ann}#position-{i}")
            add((ann, _HAS_TARGET, target))
            add((target, _TYPE, _SPECIFIC_RESOURCE))
            add((target, _HAS_SOURCE, self.doc.iri))
            add((target, _HAS_SELECTOR, quote))
            add((target, _HAS_SELECTOR, position))
            add((quote, _TYPE, _QUOTE_SELECTOR))
            add((quote, _EXACT, exact[i]))
            if span.start > 0:  # (none at the very start or end of the text)
                add((quote, _PREFIX, Literal(text[max(0, span.start - CONTEXT) : span.start])))
            if span.end < len(text):
                add((quote, _SUFFIX, Literal(text[span.end : span.end + CONTEXT])))
            add((position, _TYPE, _POSITION_SELECTOR))
            add((position, _START, Literal(span.start)))
            add((position, _END, Literal(span.end)))
            if self.doc.pages:
                # Read from a PDF: the page the span starts on, refined by the quote (the Web Annotation
                # model's PDF example). The quote stays a selector of the target itself too, so that every
                # target is found by its quote alike; the page is said here only, not again as okg:page.
                page = URIRef(f"{ann}#page-{i}")
                add((target, _HAS_SELECTOR, page))
                add((page, _TYPE, _FRAGMENT_SELECTOR))
                add((page, _VALUE, Literal(f"page={bisect_right(self.doc.pages, span.start)}")))
                add((page, _CONFORMS_TO, PDF_FRAGMENT))
                add((page, _REFINED_BY, quote))

    def derived(self, s: URIRef) -> None:
        self.graph.add((s, PROV.wasDerivedFrom, self.doc.iri))


def date_literal(value: PartialDate) -> Literal:
    if value.day:
        return Literal(value.to_date(), datatype=XSD.date)
    if value.month:
        return Literal(f"{value.year:04d}-{value.month:02d}", datatype=XSD.gYearMonth)
    return Literal(f"{value.year:04d}", datatype=XSD.gYear)
