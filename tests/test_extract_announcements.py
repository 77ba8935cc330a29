"""Press releases and news articles: the inspection they report and the grades they state."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal
from rdflib.namespace import XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.extract.kinds import detect_kind
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import NEWS_2017, NEWS_2022, PRESS_2017, REPORT_2022, SEEDS
from helpers import judgements


def test_kinds_are_told_from_content():
    kinds = {p.name: detect_kind(p.read_text(encoding="utf-8")) for p in SEEDS.iterdir()}
    assert kinds == {
        PRESS_2017: "press-release",
        NEWS_2022: "news-article",
        NEWS_2017: "news-article",
        "003_61de30c0f22e3030.txt": "cabinet-report",
        REPORT_2022: "ofsted-report",
    }
    assert detect_kind("Minutes of the allotment society. Tea was served.") is None


def test_press_release_inspection_and_grades():
    g = build([SEEDS / PRESS_2017]).graph
    i = iris.inspection("E08000031", 2017)
    assert g.value(i, SCHEMA.startDate) == Literal(dt.date(2017, 1, 16), datatype=XSD.date)
    assert g.value(i, SCHEMA.endDate) == Literal(dt.date(2017, 2, 9), datatype=XSD.date)
    assert g.value(i, OKG.publicationDate) == Literal(dt.date(2017, 3, 31), datatype=XSD.date)
    assert str(g.value(g.value(i, OKG.leadInspector), SCHEMA.name)) == "Nigel Parkes"
    assert judgements(g) == {
        ("inspection/E08000031-2017", "sif-overall", "good"),
        ("inspection/E08000031-2017", "sif-leadership", "good"),
        ("inspection/E08000031-2017", "sif-looked-after", "good"),
        ("inspection/E08000031-2017", "sif-adoption", "good"),
        ("inspection/E08000031-2017", "sif-care-leavers", "good"),
        ("inspection/E08000031-2017", "sif-help-and-protection", "requires-improvement"),
    }


def test_news_article_without_a_year_joins_the_inspection_another_document_dates():
    g = build([SEEDS / NEWS_2022, SEEDS / REPORT_2022]).graph
    i = iris.inspection("E08000031", 2022)
    # The article's own (different) start date is kept beside the report's.
    assert set(g.objects(i, SCHEMA.startDate)) == {
        Literal(dt.date(2022, 3, 21), datatype=XSD.date),
        Literal(dt.date(2022, 3, 28), datatype=XSD.date),
    }
    assert ("inspection/E08000031-2022", "ilacs-leaders", "outstanding") in judgements(g)


def test_news_article_alone_gives_no_inspection_it_cannot_date():
    result = build([SEEDS / NEWS_2022])
    assert not [j for j in judgements(result.graph) if "2022" in j[0]]
    assert any("no inspection" in note for _, note in result.notes)


def test_bbc_article_grades_and_earlier_inspection():
    g = build([SEEDS / NEWS_2017, SEEDS / PRESS_2017]).graph
    got = judgements(g)
    assert ("inspection/E08000031-2017", "sif-leadership", "good") in got
    assert ("inspection/E08000031-2017", "sif-looked-after", "good") in got
    assert ("inspection/E08000031-2017", "sif-help-and-protection", "requires-improvement") in got
    assert (iris.inspection("E08000031", 2011), None, None) in g


def test_a_list_of_judgements_gives_each_line_its_own_grade():
    """'Impact of leaders on social work practice: good' above two lines of 'requires improvement to be
    good', with no full stop between them: each line is its own judgement (a news article's list)."""
    from ofsted_kg import documents
    from ofsted_kg.extract import extract

    from conftest import FIXTURES

    doc = documents.load(FIXTURES / "other-documents" / "106_22006510dbea49f8.txt")
    grades = {(f.area.value, f.grade.value) for f in extract(doc).facts if type(f).__name__ == "JudgementFact"}
    assert ("Impact of leaders on social work practice", "good") in grades
    assert ("Impact of leaders on social work practice", "requires improvement to be good") not in grades
    assert ("Experiences and progress of children who need help and protection",
            "requires improvement to be good") in grades  # fmt: skip
