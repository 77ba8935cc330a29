"""Service names no list holds: a council's own names in lower case or in quotation marks, found by shape."""

from __future__ import annotations

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.extract import service_names
from ofsted_kg.extract.services import _kind, key
from ofsted_kg.namespaces import OKG

from conftest import REPORT_2022


def lower(text: str) -> list[str]:
    return [name for span, name in service_names.lower_case_names(text) if text[span.start : span.end] == name]


def quoted(text: str) -> list[str]:
    return [name for span, name in service_names.quoted_names(text, _kind) if text[span.start : span.end] == name]


def test_a_lower_case_name_is_the_words_before_its_head():
    text = (
        "Referrals go to the harbourside family support hub. The council's youth justice hub meets daily. "
        "Since the development of community wellbeing hubs, the newly opened young carers hub has grown. "
        "The care experienced voices collective and the Children in Care Council meet monthly. "
        "It values the individual and collective strengths of staff, and the inspection team met the project."
    )
    assert lower(text) == [
        "harbourside family support hub",
        "youth justice hub",
        "community wellbeing hubs",
        "young carers hub",
        "care experienced voices collective",
    ]


def test_a_quoted_name_ends_in_a_head_word():
    text = (
        'The council reopened five centres as "bright futures hubs" last year. '
        "Staff called it \u2018a very personal service\u2019 and \u2018one team\u2019, and "
        "the \u2018Harbour Lights Project\u2019 continues."
    )
    assert quoted(text) == ["bright futures hubs", "Harbour Lights Project"]


def test_a_council_s_own_name_changes_with_the_text(seed_copy):
    """The seed report's 'care leavers independent collective' is found because the text says it, not
    because a list holds it: renamed in the text, the graph follows."""
    path = seed_copy / REPORT_2022
    text = path.read_text(encoding="utf-8")
    assert "The care leavers independent collective and" in text
    path.write_text(text.replace("care leavers independent collective", "care experienced voices collective"))
    g = build([seed_copy]).graph
    services = set(g.subjects(OKG.serviceKind, None))
    renamed = iris.service("E08000031", key("care experienced voices collective"))
    assert renamed in services
    assert iris.service("E08000031", key("care leavers independent collective")) not in services
    assert iris.service("E08000031", key("Children in Care Council")) in set(g.objects(renamed, OKG.worksWith))
