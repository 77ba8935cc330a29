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
