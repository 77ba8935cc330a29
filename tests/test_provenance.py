"""Every fact points at the exact words it came from."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from ofsted_kg import iris
from ofsted_kg.namespaces import AREA, OA, OKG

from conftest import CABINET_2017, PRESS_2017, SEEDS
from helpers import QUOTES, select


def test_every_quote_is_in_its_source_at_its_offsets(seed_build):
    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.iterdir()}
    rows = select(seed_build.graph, QUOTES)
    assert len(rows) > 300
    assert {str(f) for f, *_ in rows} == set(texts)
    wrong = [(str(f), int(s), int(e)) for f, exact, s, e in rows if texts[str(f)][int(s) : int(e)] != str(exact)]
    assert wrong == []


def test_every_fact_has_evidence_and_a_source(seed_build):
    g = seed_build.graph
    for cls in (OKG.Inspection, OKG.Judgement, OKG.Recommendation, OKG.AreaForImprovement, OKG.Finding, OKG.Action):
        nodes = set(g.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            assert set(g.subjects(RDF.subject, node)), f"{node} has no evidence"
            assert set(g.objects(node, PROV.wasDerivedFrom)), f"{node} has no source document"


def test_a_judgement_stated_by_two_documents_keeps_both_pieces_of_evidence(seed_build):
    g = seed_build.graph
    judgement = iris.judgement(iris.inspection("E08000031", 2017), "sif-leadership")
    sources = set()
    for statement in g.subjects(RDF.subject, judgement):
        if g.value(statement, RDF.predicate) != OKG.grade:
            continue
        for ann in g.subjects(OA.hasBody, statement):
            for target in g.objects(ann, OA.hasTarget):
                sources.add(str(g.value(g.value(target, OA.hasSource), OKG.fileName)))
    assert {CABINET_2017, PRESS_2017} <= sources


def test_grade_evidence_quotes_the_grade(seed_build):
    """The span behind a grade is the grade's own words, not the whole line."""
    g = seed_build.graph
    judgement = iris.judgement(iris.inspection("E08000031", 2022), "ilacs-leaders")
    quotes = set()
    for statement in g.subjects(RDF.subject, judgement):
        if g.value(statement, RDF.predicate) == OKG.grade:
            for ann in g.subjects(OA.hasBody, statement):
                for target in g.objects(ann, OA.hasTarget):
                    for selector in g.objects(target, OA.hasSelector):
                        exact = g.value(selector, OA.exact)
                        if exact is not None:
                            quotes.add(str(exact).lower())
    assert quotes == {"outstanding"}
    assert (judgement, OKG.area, AREA["ilacs-leaders"]) in g
    assert isinstance(judgement, URIRef)


CONTEXTS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
SELECT ?file ?start ?end ?prefix ?suffix WHERE {
    ?target oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
    ?doc okg:fileName ?file .
    ?q a oa:TextQuoteSelector .
    OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }
    ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""


def test_every_quote_keeps_the_words_either_side_of_it(seed_build):
    """oa:prefix and oa:suffix are the 32 characters of the document before and after the quote (fewer at
    the start or end of the text, and none at the very start or end)."""
    from ofsted_kg.rdf.evidence import CONTEXT

    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.iterdir()}
    rows = select(seed_build.graph, CONTEXTS)
    assert len(rows) > 300
    wrong = []
    for file, start, end, prefix, suffix in rows:
        text, start, end = texts[str(file)], int(start), int(end)
        before, after = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
        if (str(prefix) if prefix is not None else "") != before or (str(suffix) if suffix else "") != after:
            wrong.append((str(file), start, end))
    assert wrong == []
    assert {len(str(p)) for *_, p, _ in rows if p is not None} >= {CONTEXT}
    # Text documents have no pages: no page selector.
    assert not list(seed_build.graph.subjects(RDF.type, OA.FragmentSelector))


def test_each_document_names_the_copy_of_its_file_kept_beside_the_graph(seed_build):
    g = seed_build.graph
    for doc in g.subjects(RDF.type, OKG.SourceDocument):
        assert str(g.value(doc, OKG.sourceFile)) == f"sources/{g.value(doc, OKG.sha256)}.txt"
