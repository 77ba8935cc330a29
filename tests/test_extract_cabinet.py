"""The cabinet report extractor: outcome table, earlier inspection, findings, recommendations, action plan."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import CABINET_2017, SEEDS
from helpers import judgements, local, of_class


@pytest.fixture(scope="module")
def cabinet():
    return build([SEEDS / CABINET_2017]).graph


def test_outcome_table_sub_judgements_and_board_review(cabinet):
    i = "inspection/E08000031-2017"
    assert {j for j in judgements(cabinet) if j[0] == i} == {
        (i, "sif-overall", "good"),
        (i, "sif-help-and-protection", "requires-improvement"),
        (i, "sif-looked-after", "good"),
        (i, "sif-adoption", "good"),
        (i, "sif-care-leavers", "good"),
        (i, "sif-leadership", "good"),
        (i, "sif-lscb", "requires-improvement"),
    }


def test_earlier_inspection_is_recalled_with_its_grades(cabinet):
    assert {j for j in judgements(cabinet) if j[0].endswith("2011")} == {
        ("inspection/E08000031-2011", "slac-looked-after", "good"),
        ("inspection/E08000031-2011", "slac-safeguarding", "adequate"),
    }
    i2011 = iris.inspection("E08000031", 2011)
    assert cabinet.value(i2011, SCHEMA.startDate) == Literal("2011-06", datatype=XSD.gYearMonth)
    assert str(cabinet.value(i2011, OKG.framework)).endswith("framework/slac")


def test_inspection_dates(cabinet):
    i = iris.inspection("E08000031", 2017)
    assert cabinet.value(i, SCHEMA.startDate) == Literal(dt.date(2017, 1, 16), datatype=XSD.date)
    assert cabinet.value(i, SCHEMA.endDate) == Literal(dt.date(2017, 2, 9), datatype=XSD.date)


def test_recommendations_to_the_council_and_to_the_board(cabinet):
    g = cabinet
    to_council = {
        int(g.value(r, OKG.number))
        for r in of_class(g, OKG.Recommendation)
        if local(g.value(r, OKG.addressedTo)) == "council/E08000031"
    }
    to_board = {
        int(g.value(r, OKG.number))
        for r in of_class(g, OKG.Recommendation)
        if local(g.value(r, OKG.addressedTo)) == "council/E08000031/safeguarding-board"
    }
    assert to_council == set(range(1, 12))
    assert to_board == set(range(1, 6))
    r11 = iris.recommendation(iris.inspection("E08000031", 2017), "la", 11)
    assert str(g.value(r11, SCHEMA.text)) == (
        "Ensure that once children are placed with adoptive families there is no unnecessary delay in applying for an adoption order."
    )
    board_r5 = iris.recommendation(iris.inspection("E08000031", 2017), "lscb", 5)
    assert str(g.value(board_r5, SCHEMA.text)).endswith(
        "as well as learning from serious case reviews and child deaths"
    )
    board = iris.safeguarding_board("E08000031")
    assert (board, RDF.type, OKG.SafeguardingBoard) in g
    assert "Wolverhampton Safeguarding Children Board" in {
        str(x) for x in g.objects(board, None) if isinstance(x, Literal)
    }


def test_headline_findings_and_findings_under_each_judgement(cabinet):
    g = cabinet
    findings = of_class(g, OKG.Finding)
    headline = [f for f in findings if g.value(f, OKG.headline) == Literal(True)]
    headline_texts = {str(g.value(f, SCHEMA.text)) for f in headline}
    assert "Corporate leadership is strong and effective" in headline_texts
    assert "The Board is well chaired and well led" in headline_texts
    assert len(headline) == 9 + 7
    adoption = [f for f in findings if str(g.value(f, OKG.judgement)).endswith("sif-adoption")]
    assert len(adoption) == 7
    care_leavers = [f for f in findings if str(g.value(f, OKG.judgement)).endswith("sif-care-leavers")]
    assert "Annual awards ceremony described as a \u2018dazzling event\u2019" in {
        str(g.value(f, SCHEMA.text)) for f in care_leavers
    }
    # A bullet broken over lines by the PDF-to-text conversion is one finding.
    assert any(
        str(g.value(f, SCHEMA.text))
        == "The Multi-Agency Safeguarding Hub provides a robust and effective service at the first point of contact"
        for f in headline
    )


def _action(g, number):
    plans = of_class(g, OKG.ActionPlan)
    assert len(plans) == 1
    (plan,) = plans
    actions = {int(g.value(a, OKG.number)): a for a in g.objects(plan, OKG.hasAction)}
    assert sorted(actions) == list(range(1, 12))
    return actions[number]


def _milestones(g, action):
    ms = sorted(g.objects(action, OKG.milestone), key=lambda m: int(g.value(m, OKG.number)))
    return [
        (
            str(g.value(m, SCHEMA.text)),
            g.value(m, OKG.timescale) and str(g.value(m, OKG.timescale)),
            g.value(m, OKG.dueDate),
        )
        for m in ms
    ]


def _leads(g, action):
    return sorted({str(g.value(p, SCHEMA.name)) for p in g.objects(action, OKG.leadOfficer)}), sorted(
        str(r) for r in g.objects(action, OKG.leadRole)
    )


def test_action_plan_row_with_dates_lead_and_completion(cabinet):
    g = cabinet
    a = _action(g, 2)
    assert local(g.value(a, OKG.answers)).endswith("recommendation/la-2")
    assert _milestones(g, a) == [
        (
            "Daily updates to be provided to the DCS and Service Director",
            "28 February 2017",
            Literal(dt.date(2017, 2, 28), datatype=XSD.date),
        ),
        (
            "Children Service\u2019s Dashboard presented to SEB/Cabinet Member on a monthly basis",
            "31st May 2017, monthly thereafter",
            Literal(dt.date(2017, 5, 31), datatype=XSD.date),
        ),
    ]
    assert _leads(g, a) == (["Helena Kucharczyk"], [])
    assert {str(p) for p in g.objects(a, OKG.progressNote)} == {
        "Daily figures are provided to Service Director and DCS"
    }
    assert g.value(a, OKG.completed) == Literal(True)


def test_action_plan_group_lead_is_a_role_not_a_person(cabinet):
    g = cabinet
    a = _action(g, 1)
    assert _leads(g, a) == (["Louise Haughton"], ["All Heads of Service"])
    assert _milestones(g, a) == [
        ("Bi-Monthly Audits to review practice", "Bi-monthly audits", None),
        ("Quarterly dip sampling of supervision", "Quarterly dip sampling", None),
    ]
    assert g.value(a, OKG.completed) == Literal(False)
    assert not [p for p in of_class(g, SCHEMA.Person) if "Heads" in str(g.value(p, SCHEMA.name))]


def test_action_plan_row_broken_by_a_page_break(cabinet):
    g = cabinet
    a = _action(g, 3)
    assert _milestones(g, a) == [
        ("Regularly review reports on out of city health assessments", "Quarterly", None),
        (
            "Virtual Head report on education outcomes of children placed out of city",
            "November 2017",
            Literal("2017-11", datatype=XSD.gYearMonth),
        ),
    ]
    assert _leads(g, a) == (["Alison Hinds", "Darren Martindale"], [])
    assert "Report regularly being produced and presented to LAC Health Steering Group" in {
        str(p) for p in g.objects(a, OKG.progressNote)
    }
    a8 = _action(g, 8)
    assert "Changes to be made to LAC review report to ensure this has been considered where appropriate" in [
        m[0] for m in _milestones(g, a8)
    ]


def test_action_plan_several_leads_and_one_timescale(cabinet):
    g = cabinet
    a = _action(g, 4)
    assert _leads(g, a) == (["Alison Hinds", "Julian Cunningham", "Louise Haughton", "Rachel Warrender"], [])
    assert [str(t) for t in g.objects(a, OKG.timescale)] == ["30 April 2017"]
    assert g.value(a, OKG.dueDate) == Literal(dt.date(2017, 4, 30), datatype=XSD.date)
    a11 = _action(g, 11)
    assert g.value(a11, OKG.completed) == Literal(True)
    assert sum(1 for a in (_action(g, n) for n in range(1, 12)) if g.value(a, OKG.completed) == Literal(True)) == 2
