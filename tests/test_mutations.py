"""Extractors follow the documents: change a fact in a document and the graph changes there, and only there."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import GRADE, OKG, SCHEMA

from conftest import CABINET_2017, NEWS_2022, REPORT_2022, diff
from helpers import judgements, select


def _conflicts(graph) -> list[tuple[str, ...]]:
    from ofsted_kg.resources import queries_dir

    rows = select(graph, (queries_dir() / "conflicts.rq").read_text(encoding="utf-8"))
    return [tuple(str(x) if x is not None else "" for x in row) for row in rows]


def _mutate(folder, name, old, new, count=None):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    if count is not None:
        assert text.count(old) == count, (old, text.count(old))
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_grade_changes_that_judgement_only(seed_copy, seed_build):
    _mutate(
        seed_copy,
        REPORT_2022,
        "with children and families\tOutstanding",
        "with children and families\tRequires improvement to be good",
        1,
    )
    _mutate(
        seed_copy,
        REPORT_2022,
        "with children and families: outstanding",
        "with children and families: requires improvement to be good",
        1,
    )
    after = build([seed_copy])
    j = iris.judgement(iris.inspection("E08000031", 2022), "ilacs-leaders")
    removed, added = diff(seed_build.graph, after.graph)
    # The news article still says 'outstanding': that claim stays, beside the report's new grade, which
    # the graph stands by (a preference, chosen by the rule of source authority).
    assert removed == set()
    preference = {s for s, p, o in added if p == RDF.type and o == OKG.Preference}
    assert len(preference) == 1
    facts = {t for t in added if t[0] not in preference}
    assert facts == {(j, OKG.grade, GRADE["ilacs-requires-improvement"])}
    chosen = {(p, o) for s, p, o in added if s in preference}
    assert {(RDF.subject, j), (RDF.predicate, OKG.grade), (RDF.object, GRADE["ilacs-requires-improvement"])} <= chosen


def test_a_renamed_lead_inspector_moves_only_that_person(seed_copy, seed_build):
    _mutate(seed_copy, REPORT_2022, "Lead inspector: Andy Waugh,", "Lead inspector: Priya Okonkwo-Hart,", 1)
    after = build([seed_copy])
    i = iris.inspection("E08000031", 2022)
    old, new = iris.person("Andy Waugh"), iris.person("Priya Okonkwo-Hart")
    removed, added = diff(seed_build.graph, after.graph)
    # Every removed triple is about the renamed person, and reappears about the new name.
    assert (i, OKG.leadInspector, old) in removed and (i, OKG.leadInspector, new) in added
    assert all(old in (s, o) for s, _, o in removed)
    swap = {old: new, Literal("Andy Waugh"): Literal("Priya Okonkwo-Hart")}
    # The news article still names Andy Waugh, so his node stays, with what that article says;
    # the new name is a new person.
    new_person = {(new, RDF.type, SCHEMA.Person), (new, SCHEMA.name, Literal("Priya Okonkwo-Hart"))}
    assert new_person <= added
    assert {(swap.get(s, s), p, swap.get(o, o)) for s, p, o in removed} == added - new_person
    assert (old, SCHEMA.name, Literal("Andy Waugh")) in after.graph


def test_a_lead_another_source_names_disagrees_unless_the_report_names_it_as_a_co_lead(seed_copy):
    i = iris.inspection("E08000031", 2022)
    waugh, smith = iris.person("Andy Waugh"), iris.person("Jo Smith")
    _mutate(seed_copy, NEWS_2022, "Chief Inspector Andy Waugh and a team", "Lead Inspector Jo Smith and a team", 1)
    after = build([seed_copy])
    assert set(after.graph.objects(i, OKG.leadInspector)) == {waugh, smith}
    assert any("different lead inspectors" in r.message and "2022" in r.focus for r in after.report.warnings)
    leads = {(r[2], r[3], r[4]) for r in _conflicts(after.graph) if r[1] == "leadInspector"}
    assert leads == {("Andy Waugh", REPORT_2022, "yes"), ("Jo Smith", NEWS_2022, "no")}
    # The report names both, as co-leads: the article agrees with it; nothing is chosen, warned or listed.
    _mutate(
        seed_copy,
        REPORT_2022,
        "Lead inspector: Andy Waugh, Her Majesty's Inspector",
        "Lead inspectors: Andy Waugh, Her Majesty's Inspector, and Jo Smith, Her Majesty's Inspector",
        1,
    )
    after = build([seed_copy])
    assert set(after.graph.objects(i, OKG.leadInspector)) == {waugh, smith}
    assert not any("lead inspectors" in r.message for r in after.report.warnings)
    assert not [r for r in _conflicts(after.graph) if r[1] == "leadInspector"]
    chosen = [
        p
        for p in after.graph.subjects(RDF.predicate, OKG.leadInspector)
        if (p, RDF.type, OKG.Preference) in after.graph
    ]
    assert chosen == []
    # An article that names a third: the report's two co-leads are stood by, the article's is not.
    _mutate(seed_copy, NEWS_2022, "Lead Inspector Jo Smith and a team", "Lead Inspector Jo Bloggs and a team", 1)
    after = build([seed_copy])
    leads = {(r[2], r[3], r[4]) for r in _conflicts(after.graph) if r[1] == "leadInspector"}
    assert leads == {
        ("Andy Waugh", REPORT_2022, "yes"),
        ("Jo Smith", REPORT_2022, "yes"),
        ("Jo Bloggs", NEWS_2022, "no"),
    }


def test_a_moved_date_is_a_new_claim_beside_the_other_sources(seed_copy, seed_build):
    _mutate(
        seed_copy,
        CABINET_2017,
        "commenced in Wolverhampton on 16 January 2017",
        "commenced in Wolverhampton on 23 January 2017",
        1,
    )
    after = build([seed_copy])
    i = iris.inspection("E08000031", 2017)
    removed, added = diff(seed_build.graph, after.graph)
    assert removed == set()  # the press release still says 16 January
    moved = Literal(dt.date(2017, 1, 23), datatype=XSD.date)
    preference = {s for s, p, o in added if p == RDF.type and o == OKG.Preference}
    derived = {s for s, p, o in added if p == RDF.type and o == OKG.DerivedFigure}
    assert {t for t in added if t[0] not in preference | derived} == {(i, SCHEMA.startDate, moved)}
    # The cabinet report is believed over the press release (the rule of source authority) ...
    chosen = {s for s in preference if (s, RDF.predicate, SCHEMA.startDate) in added}
    assert {(p, o) for s, p, o in added if s in chosen} >= {(RDF.subject, i), (RDF.object, moved)}
    # ... and its 'four weeks' no longer fits its own dates: 23 January to 9 February is three weeks on site.
    assert {o for s, p, o in added if s in derived and p == SCHEMA.value} == {Literal(3)}
    assert any("different dates" in r.message and "2017" in r.focus for r in after.report.warnings)


def test_a_moved_date_in_the_only_source_moves(seed_copy, seed_build):
    _mutate(
        seed_copy, REPORT_2022, "Inspection dates: 28 March to 1 April 2022", "Inspection dates: 4 to 8 April 2022", 1
    )
    after = build([seed_copy])
    i = iris.inspection("E08000031", 2022)
    removed, added = diff(seed_build.graph, after.graph)
    assert (i, SCHEMA.startDate, Literal(dt.date(2022, 3, 28), datatype=XSD.date)) in removed
    assert (i, SCHEMA.startDate, Literal(dt.date(2022, 4, 4), datatype=XSD.date)) in added
    assert (i, SCHEMA.endDate, Literal(dt.date(2022, 4, 8), datatype=XSD.date)) in added


def test_a_renamed_council_moves_every_fact_to_that_council(seed_copy, seed_build):
    for path in seed_copy.iterdir():
        text = path.read_text(encoding="utf-8").replace("Wolverhampton", "Walsall").replace("wolverhampton", "walsall")
        path.write_text(text, encoding="utf-8")
    after = build([seed_copy])
    from ofsted_kg.graph import REFERENCE_GRAPH

    # No document's facts name Wolverhampton now; the reference graph names it as one of Walsall's
    # statistical neighbours, with its identifiers, and for nothing else.
    assert not any(
        "E08000031" in str(t) for g, triples in after.graphs.items() if g != REFERENCE_GRAPH for t in triples
    )
    wolverhampton = iris.council("E08000031")
    assert {(s, p) for s, p, o in after.graphs[REFERENCE_GRAPH] if o == wolverhampton} == {
        (iris.council("E08000030"), OKG.statisticalNeighbour)
    }
    before_j = {(i.replace("E08000031", "E08000030"), a, g) for i, a, g in judgements(seed_build.graph)}
    assert judgements(after.graph) == before_j
    walsall = iris.council("E08000030")
    assert str(after.graph.value(walsall, OKG.gssCode)) == "E08000030"
    assert str(after.graph.value(walsall, OKG.ofstedURN)) == "80574"


def test_an_added_recommendation_appears_and_a_removed_one_goes(seed_copy, seed_build):
    added_text = (
        "12. Ensure that children's records are written to them, in language they can understand.\n\n3.6 In order"
    )
    _mutate(seed_copy, CABINET_2017, "3.6 In order", added_text, 1)
    after = build([seed_copy])
    i = iris.inspection("E08000031", 2017)
    r12 = iris.recommendation(i, "la", 12)
    removed, added = diff(seed_build.graph, after.graph)
    assert removed == set()
    # The recommendation, and the disagreement it makes with the paper's own 'There were 11 recommendations'.
    derived = {s for s, p, o in added if p == RDF.type and o == OKG.DerivedFigure}
    assert {t[0] for t in added} == {r12} | derived
    assert {o for s, p, o in added if s in derived and p == SCHEMA.value} == {Literal(12)}
    assert (
        r12,
        SCHEMA.text,
        Literal("Ensure that children's records are written to them, in language they can understand."),
    ) in added

    text = (seed_copy / CABINET_2017).read_text(encoding="utf-8")
    start = text.index("11. Ensure that once children")
    (seed_copy / CABINET_2017).write_text(
        text[:start] + text[text.index("12. Ensure") :].replace("12. Ensure", "11. Ensure", 1), encoding="utf-8"
    )
    after = build([seed_copy])
    r11 = iris.recommendation(i, "la", 11)
    assert str(after.graph.value(r11, SCHEMA.text)).startswith("Ensure that children's records")
    assert after.graph.value(iris.recommendation(i, "la", 12), SCHEMA.text) is None
    assert not any("adoption order" in str(t) for t in after.graph.objects(r11, SCHEMA.text))
    assert isinstance(r11, URIRef)
