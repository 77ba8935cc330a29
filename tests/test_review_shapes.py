"""Inputs a read-only review of this stop's readers found read wrongly or slowly, each with what a careful
reader takes from it: no council's own list or line read as Ofsted's, no grade given to the wrong inspection, no
place or glossary term read as a person, no row of a plan merged into or split from another, and no reader
that one long odd line keeps busy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ofsted_kg import documents
from ofsted_kg.extract import (
    action_cells,
    action_labelled,
    extract,
    people,
    people_lines,
    prose,
    stated_recommendations,
)
from ofsted_kg.facts import Context, InspectionRef, PartialDate
from ofsted_kg.reference import load_reference
from ofsted_kg.text import Span

COUNCIL = Context("E10000016", None, None)
REF = InspectionRef("E10000016", 2023)


def _facts(text: str, kind: str) -> list:
    return [f for f in extract(documents.from_bytes(Path("doc.txt"), text.encode())).facts if type(f).__name__ == kind]


@pytest.mark.parametrize(
    "read",
    [
        lambda: action_labelled._bulleted_rows(
            *(lambda t: (t, 0, len(t)))(
                "Recommendation 2 - X\n\n  \u2022 Do it (Lead: Jo Smith; by " + " " * 20_000 + "x\n"
            )
        ),
        lambda: people_lines.extract("Jane Smith (JS) - Head" + " \t" * 10_000 + "x", COUNCIL, []),
        lambda: people_lines.extract(" ".join(["Jane"] * 5_000) + " HMI", COUNCIL, []),
        # (a long document of many names: each name's words were searched for in the whole text; 17 s)
        lambda: people_lines.extract('"Words here."\n- Jane Smith, Head of Service\n' * 3_000, COUNCIL, []),
    ],
)
def test_long_odd_lines_are_read_in_bounded_time(read):
    start = time.process_time()
    read()
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize(
    "intro",
    ["Council leader Sam Brown said the council still needs to work on:", "The things we want to see improved:"],
)
def test_a_council_s_own_list_is_no_recommendation_of_ofsted(intro: str):
    text = intro + "\n\n- building more affordable homes for families\n- filling potholes across the county\n"
    assert stated_recommendations.read(text) == []


def test_a_listed_line_gives_a_grade_only_as_a_whole_side():
    text = (
        "Since the visit:\n"
        "Impact of leaders - we have kept good managers in post\n"
        "Children in care - more now live with good foster carers\n"
    )
    framework = load_reference().framework_in(PartialDate(2023))
    assert prose.sentence_judgements(text, lambda s: REF, lambda r: framework) == []


def test_a_grade_since_an_earlier_year_is_not_the_reported_inspection_s():
    text = (
        "By Jo Reporter\nLocal Democracy Reporting Service\n\nPublished: 12th May 2023\n\n"
        "Inspectors judged West Sussex County Council's children's services to require improvement to be good "
        "overall after an inspection between 13th and 24th March 2023.\n\n"
        "The council has been rated inadequate for overall effectiveness since 2019.\n\n"
        "A council spokesperson said the council was pleased with the report.\n"
    )
    grades = {(j.ref.year, j.grade.value.lower()) for j in _facts(text, "JudgementFact")}
    assert (2023, "inadequate") not in grades and (2023, "require improvement to be good") in grades


def test_a_second_action_under_a_merged_number_cell_is_an_action_of_its_own():
    text = (
        "Appendix A: action plan\n\n"
        "| Ref | Action | Lead officer | Timescale | RAG |\n"
        "|-----|--------|------|-----|-----|\n"
        "| 1.1 | Recruit 20 permanent social workers | Jane Smith, Head of Service | March 2025 | Green |\n"
        "|     | Train all managers in supervision | John Brown, Principal Social Worker | June 2025 | Amber |\n"
        "| 2.1 | Audit all pathway plans | Head of Care Leavers | May 2025 | Red |\n"
    )
    from ofsted_kg.extract import action_plan

    found = [a for a in action_plan.extract_any(text, action_plan.find(text), REF) if type(a).__name__ == "ActionFact"]
    assert [(a.text.value, a.rag.value) for a in found] == [
        ("Recruit 20 permanent social workers", "Green"),
        ("Train all managers in supervision", "Amber"),
        ("Audit all pathway plans", "Red"),
    ]


@pytest.mark.parametrize(
    "cell", ["Head of Service - Early Help", "Director - West Kent", "Head of Safeguarding - Quality Assurance"]
)
def test_a_post_and_a_service_area_name_no_person(cell: str):
    names, _, persons = action_cells._leads(cell, action_cells.words(cell, [Span(0, len(cell))]), REF)
    assert names == [] and persons == []  # (by their words alone: a function's, not a person's)


@pytest.mark.parametrize("cell", ["Head of Service - Early Help", "Director - West Kent"])
def test_a_post_and_a_service_area_name_no_person_in_a_plan(cell: str):
    # (as in a plan, whose text speaks of its early help and of west Kent's families elsewhere)
    text = "The early help offer reaches families in west Kent.\n\n" + cell
    at = len(text) - len(cell)
    names, _, persons = action_cells._leads(text, action_cells.words(text, [Span(at, len(text))]), REF)
    assert names == [] and persons == []


@pytest.mark.parametrize(
    "text",
    [
        "In Tower Hamlets, the Chief Executive, who joined in 2020, has made changes.",
        "The inspection, led by North East Senior HMI with a team of four inspectors, took place in March.",
        "Special Guardianship Order (SGO) - an order of the court that places a child with a relative\n"
        "Return Home Interview (RHI) - a talk with a child after going missing\n",
        "Inspectors praised:\n\n- Virtual School, led by the Virtual School Head\n- Early Help, led by the Head of Early Help\n",
    ],
)
def test_places_glossaries_and_lists_name_no_person(text: str):
    found = people.extract(text, COUNCIL)
    assert [p.name.value for p in found + people_lines.extract(text, COUNCIL, found)] == []


def test_an_inspector_after_lead_inspector_and_before_hmi():
    found = people_lines.extract("Lead Inspector Jane Smith HMI led the team.", COUNCIL, [])
    assert [(p.name.value, p.post.value) for p in found] == [("Jane Smith", "HMI")]


def test_young_people_is_no_mention_of_jo_young():
    text = (
        "Press release\n\nAnytown Council\n\nOfsted rates Kent children's services good\n\n"
        "Jo Young, the council's director of children's services, said the report was fair.\n\n"
        'Council leader Sam Brown said: "We are proud of what our staff have achieved this year."\n\n'
        "Young people told inspectors they felt safe and listened to.\n\n"
        '"There is more to do and we will do it together," he said.\n\nENDS\n'
    )
    said = {q.text.value: q.speaker.value for q in _facts(text, "QuoteFact")}
    assert said["There is more to do and we will do it together"] == "Sam Brown"
