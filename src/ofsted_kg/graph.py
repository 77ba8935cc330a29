"""Facts to RDF: one named graph per source document, every statement tied to its quoted span.

Facts from all documents are resolved against each other first: an inspection
is one resource however many documents describe it (keyed by council and
year), and an article that gives an inspection's dates without the year is
matched to the inspection another document dates in full.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from ofsted_kg import iris, preferences
from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.facts import (
    ActionFact,
    BoardFact,
    ClaimFact,
    Extraction,
    FigureFact,
    FindingFact,
    InspectionFact,
    InspectionRef,
    JudgementFact,
    Links,
    MeetingFact,
    MentionFact,
    PersonFact,
    QuoteFact,
    RecommendationFact,
    ServiceFact,
    ServiceRelationFact,
    finding_type,
    links_of,
    service_key,
)
from ofsted_kg.namespaces import GROUP, ID, KIND, OA, OKG, PROFESSION, SCHEMA, SERVICE_KIND, bind_prefixes
from ofsted_kg.reference import Framework, load_reference, schemes_graph
from ofsted_kg.text import PartialDate, Quoted

REFERENCE_GRAPH = ID["graph/reference"]
# The terms of evidence, looked up once: every statement of every fact uses them.
_HAS_BODY, _HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = OA.hasBody, OA.hasTarget, OA.hasSource, OA.hasSelector
_EXACT, _PREFIX, _SUFFIX, _START, _END = OA.exact, OA.prefix, OA.suffix, OA.start, OA.end
_EVIDENCE, _ANNOTATION, _SPECIFIC_RESOURCE = OKG.Evidence, OA.Annotation, OA.SpecificResource
_QUOTE_SELECTOR, _POSITION_SELECTOR, _FRAGMENT_SELECTOR = (
    OA.TextQuoteSelector,
    OA.TextPositionSelector,
    OA.FragmentSelector,
)
_REFINED_BY, _VALUE, _CONFORMS_TO = OA.refinedBy, RDF.value, DCTERMS.conformsTo
_TYPE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object
# The fragment identifiers of PDF (RFC 3778: "page=N"), as the Web Annotation model's PDF example names them.
PDF_FRAGMENT = URIRef("http://tools.ietf.org/rfc/rfc3778")
# How many characters of the text either side of a quote its selector keeps (oa:prefix, oa:suffix): enough
# to tell apart the places where the same words recur, and to find the quote again in a text that moved.
CONTEXT = 32
OFSTED = ID["org/ofsted"]


@dataclass
class Built:
    # The triples of each named graph: one per document (named by its IRI), and the reference graph.
    # Sets, not rdflib graphs: only the TriG writer needs them apart, and an rdflib graph doubles the cost.
    graphs: dict[URIRef, set]
    notes: list[tuple[Document, str]] = field(default_factory=list)


def date_literal(value: PartialDate) -> Literal:
    if value.day:
        return Literal(value.to_date(), datatype=XSD.date)
    if value.month:
        return Literal(f"{value.year:04d}-{value.month:02d}", datatype=XSD.gYearMonth)
    return Literal(f"{value.year:04d}", datatype=XSD.gYear)


NEAR_DAYS = 31  # how far a year-less date may lie from the dates of the one inspection it can be about


def _near(wanted: list[PartialDate], known: list[PartialDate], year: int) -> bool:
    """Whether a year-less date, given the inspection's year, lies within NEAR_DAYS of a date it is known by."""
    for w in wanted:
        for k in known:
            try:
                if abs((dt.date(year, w.month, w.day) - k.to_date()).days) <= NEAR_DAYS:  # type: ignore[arg-type]
                    return True
            except (ValueError, TypeError):  # 29 February of another year; a date without its year
                continue
    return False


class Inspections:
    """What all documents together say about which inspections exist, and whose each person's name is
    (from each document's Links)."""

    def __init__(self, links: list[Links]):
        self.dates: dict[tuple[str, int], list[PartialDate]] = defaultdict(list)
        self.named_frameworks: dict[tuple[str, int], str] = {}
        # Whose each name is, across all documents: the organisations the texts give people of that name.
        self.scopes: dict[str, set[str]] = defaultdict(set)
        for link in links:
            for name, scope in link.people:
                if scope:
                    self.scopes[iris.slug(name)].add(scope)
            for ref, dates, framework in link.inspections:
                key = (ref.council, ref.year)
                self.dates[key] += dates
                if framework is not None:
                    # The same whatever order the documents come in (add appends; a build sorts by path).
                    self.named_frameworks[key] = min(framework, self.named_frameworks.get(key, framework))

    def resolve(self, ref: InspectionRef) -> tuple[str, int] | None:
        """The inspection a fact is about. Dates without a year (a news article's 'between March 21 and
        April 1') name the one inspection of the council that another document dates on one of those
        days; failing that, the one dated within NEAR_DAYS of them, whose dates that document has since
        moved: its claim is kept there, and listed as a disagreement, rather than dropped."""
        if ref.year is not None:
            return (ref.council, ref.year)
        wanted = [d for d in (ref.start, ref.end) if d is not None and d.day and d.month]
        days = {(d.month, d.day) for d in wanted}
        mine = sorted(key for key in self.dates if key[0] == ref.council)
        matches = [key for key in mine if days & {(d.month, d.day) for d in self.dates[key] if d.day}]
        if not matches:
            matches = [key for key in mine if _near(wanted, [d for d in self.dates[key] if d.day and d.month], key[1])]
        return matches[0] if len(matches) == 1 else None

    def person(self, name: str, scope: str | None, council: str | None) -> URIRef:
        """The person a name is. One name is one person, unless the documents give people of that name to
        two organisations (an inspector and a councillor; officers of two councils): then each is keyed by
        their organisation, and a mention that gives none is the one of the document's council, if any."""
        scopes = self.scopes.get(iris.slug(name), set())
        if len(scopes) < 2:
            return iris.person(name)
        return iris.person(name, scope or (council if council in scopes else None))

    def framework(self, key: tuple[str, int]) -> Framework | None:
        reference = load_reference()
        if key in self.named_frameworks:
            return reference.framework(self.named_frameworks[key])
        # The most precise date known for it: a day, else a month, else the year.
        dates = sorted(self.dates.get(key, []), key=lambda d: (-(d.day is not None) - (d.month is not None), d.iso()))
        return reference.framework_in(dates[0] if dates else PartialDate(key[1]))


class _DocumentGraph:
    """Writes one document's named graph: statements, each with the evidence of its span."""

    def __init__(self, named: set, doc: Document, council: str | None = None, inspections: Inspections | None = None):
        self.doc = doc
        self.council = council
        self.graph = named
        self.inspections = inspections if inspections is not None else Inspections([])
        self._evidence_seen: set[URIRef] = set()

    def add(self, s: URIRef, p: URIRef, o, quoted: Quoted | None = None) -> None:
        self.graph.add((s, p, o))
        if quoted is not None and quoted.spans:
            self.evidence(s, p, o, quoted)

    def evidence(self, s: URIRef, p: URIRef, o, quoted: Quoted) -> None:
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
        if ann in self._evidence_seen:
            return
        self._evidence_seen.add(ann)
        add((ann, _TYPE, _EVIDENCE))
        add((ann, _TYPE, _ANNOTATION))
        text = self.doc.text
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
            add((quote, _EXACT, Literal(span.quote(text))))
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


def build_dataset(extractions: list[tuple[Document, Extraction]]) -> Built:
    """All documents' facts as an RDF dataset: a named graph per document and one of reference data."""
    links = [links_of(extraction) for _, extraction in extractions]
    inspections = Inspections(links)
    built = Built({})
    claims: list[preferences.Claim] = []
    for doc, extraction in extractions:
        named, notes = document_graph(doc, extraction, inspections)
        built.graphs[doc.iri] = named
        built.notes += notes
        claims += preferences.claims(doc.iri, named)
    built.graphs[REFERENCE_GRAPH] = set(reference_graph(councils_named(links, inspections)))
    built.graphs[preferences.PREFERRED_GRAPH] = preferences.preferred(claims)
    return built


def document_graph(
    doc: Document, extraction: Extraction, inspections: Inspections
) -> tuple[set, list[tuple[Document, str]]]:
    """One document's named graph (its triples), and notes on the facts that could not be written."""
    named: set = set()
    notes: list[tuple[Document, str]] = []
    writer = _DocumentGraph(named, doc, extraction.info.council.value if extraction.info.council else None, inspections)
    _document(writer, extraction)
    notes += [(doc, note) for note in extraction.notes]
    for fact in extraction.facts:
        ref = getattr(fact, "ref", None)
        key = inspections.resolve(ref) if ref is not None else None
        if ref is not None and key is None:
            notes.append((doc, f"{type(fact).__name__}: no inspection of {ref.council} matches the dates given"))
            continue
        framework = inspections.framework(key) if key else None
        note = _FACT_WRITERS[type(fact)](writer, fact, key, framework)
        if note:
            notes.append((doc, note))
    return named, notes


def resolution(links: Links, inspections: Inspections) -> tuple:
    """What writing a document's graph takes from the other documents: the inspection its facts are
    resolved to, the framework they are read under, and the person each name is. Where this is
    unchanged, so is the graph."""
    out: list = []
    for ref, _ in links.refs:
        if ref is not None:
            key = inspections.resolve(ref)
            framework = inspections.framework(key) if key else None
            out.append((key, framework.notation if framework else None))
    out += [inspections.person(name, scope, links.council) for name, scope in links.people]
    return tuple(out)


def councils_named(links: list[Links], inspections: Inspections) -> set[str]:
    """Every council the documents name, whose identifiers go into the reference graph."""
    found: set[str] = set()
    councils = load_councils()
    for link in links:
        if link.council is not None:
            found.add(link.council)
        for ref, named in link.refs:
            key = inspections.resolve(ref) if ref is not None else None
            if ref is None or key is not None:  # a fact of no known inspection is not written
                found |= {key[0]} if key else set()
                found |= {value for value in named if councils.by_gss(value)}
    return found


def _document(w: _DocumentGraph, extraction: Extraction) -> None:
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


def source_name(sha256: str, pages, spreadsheet: bool) -> str:
    """source_file() from what a cache entry holds without decoding its document (add's many entries)."""
    return f"sources/{sha256}.{'pdf' if pages else 'ods' if spreadsheet else 'txt'}"


SOURCE_EXTENSIONS = ("pdf", "ods", "txt")


def source_extension(doc: Document) -> str:
    return source_name(doc.sha256, doc.pages, doc.spreadsheet).rsplit(".", 1)[1]


def _inspection_iri(key: tuple[str, int]) -> URIRef:
    return iris.inspection(*key)


def _with_year(value: PartialDate, year: int) -> PartialDate:
    return value if value.year is not None else value.with_year(year)


def _write_inspection(w: _DocumentGraph, fact: InspectionFact, key, framework: Framework | None) -> str | None:
    i = _inspection_iri(key)
    council = load_councils().by_gss(key[0])
    w.add(i, RDF.type, OKG.Inspection)
    w.add(i, RDFS.label, Literal(f"{council.name if council else key[0]} inspection {key[1]}"))
    w.add(i, OKG.inspectedAuthority, iris.council(key[0]), fact.council)
    w.derived(i)
    if framework is not None:
        w.add(i, OKG.framework, framework.iri, fact.framework)
        w.add(i, OKG.inspectorate, OFSTED)
    note = None
    for prop, q in ((SCHEMA.startDate, fact.start), (SCHEMA.endDate, fact.end), (OKG.publicationDate, fact.published)):
        if q is not None:
            try:
                w.add(i, prop, date_literal(_with_year(q.value, key[1])), q)
            except ValueError:  # '29 February' without its year, given a year that has none
                note = f"'{q.value.iso()}' is no day of {key[1]}: that date of the inspection is left out"
    if fact.inspection_type is not None:
        w.add(i, OKG.inspectionType, KIND[fact.inspection_type.value], fact.inspection_type)
    if fact.lead_inspector is not None:
        person = _person(w, fact.lead_inspector, "ofsted")
        w.add(i, OKG.leadInspector, person, fact.lead_inspector)
    return note


def _person(w: _DocumentGraph, name: Quoted[str], organisation: str | None = None) -> URIRef:
    person = w.inspections.person(name.value, organisation, w.council)
    w.add(person, RDF.type, SCHEMA.Person)
    w.add(person, SCHEMA.name, Literal(name.value), name)
    return person


def _write_judgement(w: _DocumentGraph, fact: JudgementFact, key, framework: Framework | None) -> str | None:
    if framework is None:
        return f"no framework known for the inspection of {key[0]} in {key[1]}"
    area = framework.area(fact.area.value)
    grade = framework.grade(fact.grade.value)
    if area is None or grade is None:
        return f"'{fact.area.value}: {fact.grade.value}' is not a judgement of the {framework.label}"
    i = _inspection_iri(key)
    j = iris.judgement(i, area.notation)
    w.add(j, RDF.type, OKG.Judgement)
    w.add(j, OKG.inspection, i)
    w.add(j, OKG.area, area.iri, fact.area)
    w.add(j, OKG.grade, grade.iri, fact.grade)
    w.derived(j)
    return None


def _write_board(w: _DocumentGraph, fact: BoardFact, key, framework) -> str | None:
    b = iris.safeguarding_board(fact.council)
    w.add(b, RDF.type, OKG.SafeguardingBoard)
    w.add(b, RDFS.label, Literal(fact.name.value), fact.name)
    w.add(b, OKG.boardOf, iris.council(fact.council))
    w.derived(b)
    return None


def _addressee(kind: str, council: str) -> tuple[URIRef, str]:
    if kind == "board":
        return iris.safeguarding_board(council), "lscb"
    return iris.council(council), "la"


def _write_recommendation(w: _DocumentGraph, fact: RecommendationFact, key, framework) -> str | None:
    i = _inspection_iri(key)
    to, slug = _addressee(fact.addressee, key[0])
    slug = "improve" if fact.improvement_area else slug
    if fact.number is None:
        r = iris.stated_recommendation(i, slug, fact.text.value)
    else:
        r = iris.recommendation(i, slug, fact.number)
    w.add(r, RDF.type, OKG.AreaForImprovement if fact.improvement_area else OKG.Recommendation)
    w.add(r, OKG.inspection, i)
    if fact.number is not None:
        w.add(r, OKG.number, Literal(fact.number), fact.text)
    w.add(r, SCHEMA.text, Literal(fact.text.value), fact.text)
    w.add(r, OKG.addressedTo, to)
    if fact.addressee == "board":
        w.add(to, RDF.type, OKG.SafeguardingBoard)
        w.add(to, OKG.boardOf, iris.council(key[0]))
    w.derived(r)
    return None


def _write_finding(w: _DocumentGraph, fact: FindingFact, key, framework: Framework | None) -> str | None:
    i = _inspection_iri(key)
    f = iris.finding(i, fact.text.value)
    w.add(f, RDF.type, OKG.Finding)
    w.add(f, OKG.inspection, i)
    w.add(f, SCHEMA.text, Literal(fact.text.value), fact.text)
    w.add(f, OKG.findingType, KIND[finding_type(fact.text.value)])
    if fact.number is not None:
        w.add(f, OKG.number, Literal(fact.number), fact.text)
    if fact.headline:
        w.add(f, OKG.headline, Literal(True))
    if fact.area is not None and framework is not None:
        area = framework.area(fact.area.value, stretch=1.6) or framework.area(fact.area.value)
        if area is not None:
            w.add(f, OKG.judgement, iris.judgement(i, area.notation), fact.area)
    w.derived(f)
    return None


def _write_action(w: _DocumentGraph, fact: ActionFact, key, framework) -> str | None:
    i = _inspection_iri(key)
    plan = iris.action_plan(i)
    w.add(plan, RDF.type, OKG.ActionPlan)
    w.add(plan, OKG.respondsTo, i)
    w.add(plan, DCTERMS.publisher, iris.council(key[0]))
    w.derived(plan)
    number = fact.recommendation.value
    # Several actions may answer one recommendation: the first keeps the recommendation's key.
    a = iris.action(plan, f"recommendation-{number}" + (f"-{fact.position}" if fact.position > 1 else ""))
    w.add(plan, OKG.hasAction, a)
    w.add(a, RDF.type, OKG.Action)
    w.add(a, OKG.number, Literal(number), fact.recommendation)
    w.add(a, OKG.answers, iris.recommendation(i, "la", number), fact.recommendation)
    w.add(a, SCHEMA.text, Literal(fact.text.value), fact.text)
    w.derived(a)
    for n, milestone in enumerate(fact.milestones, start=1):
        m = iris.milestone(a, n)
        w.add(a, OKG.milestone, m)
        w.add(m, RDF.type, OKG.Milestone)
        w.add(m, OKG.number, Literal(n))
        w.add(m, SCHEMA.text, Literal(milestone.text.value), milestone.text)
        w.derived(m)
        if milestone.timescale is not None:
            w.add(m, OKG.timescale, Literal(milestone.timescale.value), milestone.timescale)
            if milestone.due is not None:
                w.add(m, OKG.dueDate, date_literal(milestone.due), milestone.timescale)
    for timescale, due in fact.timescales:
        w.add(a, OKG.timescale, Literal(timescale.value), timescale)
        if due is not None:
            w.add(a, OKG.dueDate, date_literal(due), timescale)
    for name in fact.lead_officers:
        w.add(a, OKG.leadOfficer, _person(w, name), name)
    for role in fact.lead_roles:
        w.add(a, OKG.leadRole, Literal(role.value), role)
    for note in fact.progress:
        w.add(a, OKG.progressNote, Literal(note.value), note)
    if fact.rag is not None:
        w.add(a, OKG.ragStatus, Literal(fact.rag.value), fact.rag)
    if fact.completed is not None:
        w.add(a, OKG.completed, Literal(True), fact.completed)
    else:
        w.add(a, OKG.completed, Literal(False))
    return None


def _organisation(key: str | None) -> URIRef | None:
    if key is None:
        return None
    if key == "ofsted":
        return OFSTED
    return iris.council(key) if load_councils().by_gss(key) else iris.organisation(key)


def _write_person(w: _DocumentGraph, fact: PersonFact, key, framework) -> str | None:
    person = _person(w, fact.name, fact.organisation)
    w.derived(person)
    if fact.honorific is not None:
        w.add(person, SCHEMA.honorificPrefix, Literal(fact.honorific.value), fact.honorific)
    if fact.party is not None:
        w.add(person, OKG.party, Literal(fact.party.value), fact.party)
    if fact.ward is not None:
        w.add(person, OKG.ward, Literal(fact.ward.value), fact.ward)
    if fact.post is not None:
        post = _post(w, fact.post, fact.organisation)
        w.add(person, ORG.holds, post, fact.post)
        w.add(person, SCHEMA.jobTitle, Literal(fact.post.value), fact.post)
    return None


def _post(w: _DocumentGraph, title: Quoted[str], organisation: str | None) -> URIRef:
    org = _organisation(organisation)
    # A title the schemes know under several names (Her/His Majesty's Inspector) is one post.
    written = iris.slug(title.value)
    known = next((t for t in load_reference().post_titles if written in {iris.slug(n) for n in t.names}), None)
    post = iris.post(organisation or "unknown", known.local if known else title.value)
    w.add(post, RDF.type, ORG.Post)
    w.add(post, RDFS.label, Literal(title.value), title)
    if org is not None:
        w.add(post, ORG.postIn, org)
    return post


def _write_quote(w: _DocumentGraph, fact: QuoteFact, key, framework) -> str | None:
    q = iris.quotation(fact.text.value)
    w.add(q, RDF.type, OKG.Quotation)
    w.add(q, SCHEMA.text, Literal(fact.text.value), fact.text)
    if fact.speaker_kind == "person":
        speaker = _person(w, fact.speaker, fact.organisation)
    else:
        speaker = _organisation(fact.organisation)
    if speaker is not None:
        w.add(q, SCHEMA.creator, speaker, fact.speaker)
    if fact.post is not None and fact.speaker_kind == "person":
        w.add(q, OKG.speakerPost, _post(w, fact.post, fact.organisation), fact.post)
    if fact.as_at is not None:
        w.add(q, DCTERMS.date, date_literal(fact.as_at))
    w.derived(q)
    return None


def _write_service(w: _DocumentGraph, fact: ServiceFact, key, framework) -> str | None:
    s = iris.service(fact.council, fact.key)
    w.add(s, RDF.type, OKG.Service)
    w.add(s, RDFS.label, Literal(fact.name.value), fact.name)
    w.add(s, OKG.serviceKind, SERVICE_KIND[fact.kind])
    w.add(s, OKG.serviceOf, iris.council(fact.council))
    if fact.abbreviation is not None:
        w.add(s, SKOS.altLabel, Literal(fact.abbreviation.value), fact.abbreviation)
    w.derived(s)
    return None


_RELATION_OBJECTS = {"serves": GROUP, "bringsTogether": PROFESSION}


def _write_service_relation(w: _DocumentGraph, fact: ServiceRelationFact, key, framework) -> str | None:
    subject = iris.service(fact.council, fact.subject)
    namespace = _RELATION_OBJECTS.get(fact.relation)
    obj = namespace[fact.object] if namespace is not None else iris.service(fact.council, fact.object)
    w.add(subject, OKG[fact.relation], obj, fact.sentence)
    return None


def _write_mention(w: _DocumentGraph, fact: MentionFact, key, framework) -> str | None:
    finding = iris.finding(_inspection_iri(key), fact.finding)
    w.add(finding, OKG.mentions, iris.service(fact.council, fact.service), fact.mention)
    return None


ENGLAND = "E92000001"  # ONS GSS code of England


def _figure_subject(fact: FigureFact, key, council_gss: str | None) -> URIRef | None:
    council = load_councils().by_gss(council_gss) if council_gss else None
    if fact.subject == "england":
        return iris.area(ENGLAND)
    if fact.subject == "region" and fact.region:  # the region the text names
        return iris.area(fact.region)
    if fact.subject == "region" and council is not None and council.region_code:  # else the council's
        return iris.area(council.region_code)
    if fact.subject == "inspection" and key is not None:
        return _inspection_iri(key)
    return iris.council(council_gss) if council_gss else None


def _write_figure(w: _DocumentGraph, fact: FigureFact, key, framework) -> str | None:
    council_gss = key[0] if key else w.council
    subject = _figure_subject(fact, key, council_gss)
    if subject is None:
        return f"figure '{fact.figure.value}': no subject known"
    value = Literal(int(fact.value)) if fact.value == fact.value.to_integral_value() else Literal(fact.value)
    f = iris.figure(subject, fact.measure, fact.value, fact.unit, fact.previous, fact.out_of, fact.period)
    w.add(f, RDF.type, OKG.Figure)
    w.add(f, SCHEMA.observationAbout, subject)
    w.add(f, OKG.measure, Literal(fact.measure), fact.context)
    w.add(f, SCHEMA.value, value, fact.figure)
    if fact.unit:
        w.add(f, SCHEMA.unitText, Literal(fact.unit))
    for prop, extra in ((OKG.previousValue, fact.previous), (OKG.outOf, fact.out_of)):
        if extra is not None:
            w.add(f, prop, Literal(int(extra)) if extra == extra.to_integral_value() else Literal(extra), fact.figure)
    if fact.period:
        w.add(f, SCHEMA.observationPeriod, Literal(fact.period), fact.figure)
    if fact.qualifier:
        w.add(f, OKG.qualifier, Literal(fact.qualifier), fact.figure)
    if fact.as_at is not None:
        w.add(f, SCHEMA.observationDate, date_literal(fact.as_at))
    w.derived(f)
    return None


def _write_meeting(w: _DocumentGraph, fact: MeetingFact, key, framework) -> str | None:
    m = iris.meeting(fact.body.value, fact.date.value.iso())
    w.add(m, RDF.type, OKG.Meeting)
    w.add(m, SCHEMA.name, Literal(f"{fact.body.value} meeting"), fact.body)
    w.add(m, SCHEMA.startDate, date_literal(fact.date.value), fact.date)
    if fact.council:
        body = fact.body.value.lower()
        organiser = (
            iris.council(fact.council)
            if body in ("cabinet", "council")
            else iris.service(fact.council, service_key(fact.body.value))
        )
        w.add(m, SCHEMA.organizer, organiser, fact.body)
    w.add(m, SCHEMA.about, w.doc.iri)
    w.derived(m)
    return None


def _write_claim(w: _DocumentGraph, fact: ClaimFact, key, framework) -> str | None:
    c = iris.claim(fact.claim.value)
    other, own = iris.council(fact.council), iris.council(fact.about)
    w.add(c, RDF.type, SCHEMA.Claim)
    w.add(c, SCHEMA.text, Literal(fact.claim.value), fact.claim)
    w.add(c, SCHEMA.about, other, fact.mention)
    w.derived(c)
    if fact.ranking == "above":
        w.add(other, OKG.rankedAbove, own, fact.claim)
    elif fact.ranking == "below":
        w.add(own, OKG.rankedAbove, other, fact.claim)
    return None


_FACT_WRITERS = {
    InspectionFact: _write_inspection,
    JudgementFact: _write_judgement,
    BoardFact: _write_board,
    RecommendationFact: _write_recommendation,
    FindingFact: _write_finding,
    ActionFact: _write_action,
    PersonFact: _write_person,
    QuoteFact: _write_quote,
    ServiceFact: _write_service,
    ServiceRelationFact: _write_service_relation,
    MentionFact: _write_mention,
    FigureFact: _write_figure,
    MeetingFact: _write_meeting,
    ClaimFact: _write_claim,
}


def reference_graph(councils_named: set[str]) -> Graph:
    """The reference graph: the SKOS schemes, and the identifiers of every council the documents name."""
    g = Graph(identifier=REFERENCE_GRAPH)
    for triple in schemes_graph():
        g.add(triple)
    councils = load_councils()
    named = {gss for gss in councils_named if councils.by_gss(gss) is not None}
    # A council's statistical neighbours are named with it, so that it can be compared with them.
    neighbours = {n for gss in named for n in councils.by_gss(gss).neighbours if councils.by_gss(n) is not None}
    for gss in sorted(named | neighbours):
        council = councils.by_gss(gss)
        if council is None:
            continue
        if gss in named:
            for n in council.neighbours:
                if councils.by_gss(n) is not None:
                    g.add((iris.council(gss), OKG.statisticalNeighbour, iris.council(n)))
        c = iris.council(gss)
        g.add((c, RDF.type, OKG.LocalAuthority))
        g.add((c, SKOS.prefLabel, Literal(council.name)))
        g.add((c, OKG.gssCode, Literal(council.gss_code)))
        g.add((c, OKG.dfeCode, Literal(council.dfe_code)))
        g.add((c, OKG.ofstedURN, Literal(council.ofsted_urn)))
        g.add((c, OKG.region, Literal(council.region)))
        g.add((c, PROV.wasDerivedFrom, ID["dataset/la-lookup"]))
        if council.region_code:
            region = iris.area(council.region_code)
            g.add((c, SCHEMA.containedInPlace, region))
            g.add((region, RDF.type, SCHEMA.AdministrativeArea))
            g.add((region, RDFS.label, Literal(council.region)))
            g.add((region, SKOS.notation, Literal(council.region_code)))
            g.add((region, SCHEMA.containedInPlace, iris.area(ENGLAND)))
    england = iris.area(ENGLAND)
    g.add((england, RDF.type, SCHEMA.Country))
    g.add((england, RDFS.label, Literal("England")))
    g.add((england, SKOS.notation, Literal(ENGLAND)))
    return g


def merged(dataset: Dataset) -> Graph:
    """The union of all named graphs, as one graph."""
    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
