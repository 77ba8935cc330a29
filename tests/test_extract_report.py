"""The Ofsted report extractor reads the ILACS template: the seed report and other councils' reports."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import FIXTURES, REPORT_2022, SEEDS
from helpers import judgements, local, of_class, texts


@pytest.fixture(scope="module")
def report_2022():
    return build([SEEDS / REPORT_2022]).graph


def test_seed_report_inspection(report_2022):
    g = report_2022
    i = iris.inspection("E08000031", 2022)
    assert (i, SCHEMA.startDate, Literal(dt.date(2022, 3, 28), datatype=XSD.date)) in g
    assert (i, SCHEMA.endDate, Literal(dt.date(2022, 4, 1), datatype=XSD.date)) in g
    assert [str(g.value(p, SCHEMA.name)) for p in g.objects(i, OKG.leadInspector)] == ["Andy Waugh"]
    assert local(g.value(i, OKG.inspectedAuthority)) == "council/E08000031"
    assert str(g.value(i, OKG.framework)).endswith("framework/ilacs")


def test_seed_report_judgements(report_2022):
    assert judgements(report_2022) == {
        ("inspection/E08000031-2022", "ilacs-leaders", "outstanding"),
        ("inspection/E08000031-2022", "ilacs-help-and-protection", "good"),
        ("inspection/E08000031-2022", "ilacs-in-care-and-care-leavers", "good"),
        ("inspection/E08000031-2022", "ilacs-overall", "good"),
    }


def test_seed_report_what_needs_to_improve(report_2022):
    points = texts(report_2022, OKG.AreaForImprovement)
    assert sorted(points) == [1, 2, 3, 4, 5]
    assert points[1] == {"The arrangements for tracking and monitoring children who are missing from education."}
    assert points[5] == {
        "The quality of information provided to 16- and 17-year-old homeless children about their rights "
        "and entitlements including to become looked after."
    }


def test_seed_report_numbered_findings_under_each_judgement(report_2022):
    g = report_2022
    findings = {int(g.value(f, OKG.number)): f for f in of_class(g, OKG.Finding)}
    assert sorted(findings) == list(range(1, 50))
    under = lambda n: local(g.value(findings[n], OKG.judgement)).rsplit("/", 1)[-1]  # noqa: E731
    assert under(1) == under(16) == "ilacs-help-and-protection"
    assert under(17) == under(39) == "ilacs-in-care-and-care-leavers"
    assert under(40) == under(49) == "ilacs-leaders"
    # A paragraph broken by a page break is one finding.
    assert str(g.value(findings[12], SCHEMA.text)).endswith("the tracking of individual children's circumstances.")
    assert "Those children at higher risk of exploitation and wider vulnerabilities" in str(
        g.value(findings[12], SCHEMA.text)
    )


def test_another_council_combined_care_judgement():
    """Dudley 2023 (text of the published PDF): every judgement 'requires improvement to be good'."""
    g = build([FIXTURES / "reports" / "dudley_2023-01-13.txt"]).graph
    i = "inspection/E08000027-2022"
    assert judgements(g) == {
        (i, "ilacs-leaders", "requires-improvement"),
        (i, "ilacs-help-and-protection", "requires-improvement"),
        (i, "ilacs-in-care-and-care-leavers", "requires-improvement"),
        (i, "ilacs-overall", "requires-improvement"),
    }
    inspection = iris.inspection("E08000027", 2022)
    assert str(g.value(g.value(inspection, OKG.leadInspector), SCHEMA.name)) == "John Roughton"
    assert g.value(inspection, SCHEMA.endDate) == Literal(dt.date(2022, 11, 11), datatype=XSD.date)
    points = texts(g, OKG.AreaForImprovement)
    assert sorted(points) == [1, 2, 3, 4, 5]
    assert points[5] == {"Frontline workforce sufficiency."}
    # Running page headers of the PDF are not part of any finding.
    assert not any("Inspection of Dudley local authority" in t for ts in texts(g, OKG.Finding).values() for t in ts)


def test_another_council_split_children_in_care_and_care_leavers():
    """Worcestershire 2023: children in care and care leavers are judged apart, with different grades."""
    g = build([FIXTURES / "reports" / "worcestershire_2023-07-14.txt"]).graph
    i = "inspection/E10000034-2023"
    assert judgements(g) == {
        (i, "ilacs-leaders", "good"),
        (i, "ilacs-help-and-protection", "good"),
        (i, "ilacs-in-care", "requires-improvement"),
        (i, "ilacs-care-leavers", "good"),
        (i, "ilacs-overall", "good"),
    }
    assert (
        str(g.value(g.value(iris.inspection("E10000034", 2023), OKG.leadInspector), SCHEMA.name)) == "Rebecca Quested"
    )
    assert sorted(texts(g, OKG.AreaForImprovement)) == [1, 2, 3, 4]


def test_a_report_without_an_overall_grade(tmp_path):
    """Reports from 2026 may give no overall effectiveness grade: the other judgements still read."""
    text = (FIXTURES / "reports" / "worcestershire_2023-07-14.txt").read_text(encoding="utf-8")
    assert text.count("Overall effectiveness Good") == 1
    report = tmp_path / "report.txt"
    report.write_text(text.replace("Overall effectiveness Good", ""), encoding="utf-8")
    result = build([report])
    assert result.rejected == [] and result.report.conforms
    i = "inspection/E10000034-2023"
    assert judgements(result.graph) == {
        (i, "ilacs-leaders", "good"),
        (i, "ilacs-help-and-protection", "good"),
        (i, "ilacs-in-care", "requires-improvement"),
        (i, "ilacs-care-leavers", "good"),
    }
