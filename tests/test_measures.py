"""What a figure measures is read from the words its sentence ties it to, or the figure is left out
(extract/measures.py): never the few words before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg import documents
from ofsted_kg.extract import extract, figures
from ofsted_kg.facts import Context, FigureFact
from ofsted_kg.text import find_date_range

COUNCIL = Context("E08000031", None, None)


def _read(text: str) -> tuple[dict[str, tuple[str, str]], list[str]]:
    left_out: list[str] = []
    found = figures.extract(text, COUNCIL, left_out=left_out)
    return {f.figure.value: (f.measure, f.subject) for f in found if isinstance(f, FigureFact)}, left_out


@pytest.mark.parametrize(
    ("sentence", "figure", "measure"),
    [
        ("Agency workers made up 34 per cent of the workforce in June 2018.", "34 per cent",
         "agency workers as a proportion of the workforce"),
        ("In 2017/18 the children's social care overspend was £3.1m.", "£3.1m", "children's social care overspend"),
        ("Average caseloads have fallen to 18.", "fallen to 18", "average caseloads"),
        ("The supported accommodation in action 1b is estimated to cost £410,000 a year.", "£410,000 a year",
         "cost of supported accommodation in action 1b"),
        ("That Cabinet approves additional investment of £4.2m in 2018/19.", "additional investment of £4.2m",
         "additional investment"),
        ("The investment in recommendation 2.3 (£4.2m) will fund new posts.", "£4.2m",
         "investment in recommendation 2.3"),
        ("The team was set up with £1.2 million of investment from the council.", "£1.2 million",
         "investment from the council"),
        ("An additional £350,000 for adopter recruitment will be considered.", "An additional £350,000",
         "funding for adopter recruitment"),
        ("It is positive that 37% of complaints are resolved through a meeting.", "37%", "proportion of complaints"),
        ("The proportion of agency staff is 9 per cent.", "9 per cent", "proportion of agency staff"),
        ("Rota live from 1 October; 92% same-day.", "92%", "same-day"),
    ],
)  # fmt: skip
def test_a_figure_measures_what_its_sentence_ties_it_to(sentence: str, figure: str, measure: str):
    found, _ = _read(sentence)
    assert found[figure][0] == measure


@pytest.mark.parametrize(
    ("sentence", "figures_left_out"),
    [
        ("Neglect featured in 54%, emotional abuse in 27% and sexual abuse in 8%.", ["54%", "27%", "8%"]),
        ("Only 80.6% participated in 2012/13.", ["80.6%"]),
        ("Of the 34 children, of whom three (9%) returned home.", ["9%"]),
        ("With councillors agreeing more support, £6.5m was found.", ["£6.5m"]),
    ],
)
def test_a_figure_whose_sentence_does_not_say_what_it_measures_is_left_out(sentence: str, figures_left_out: list[str]):
    found, left_out = _read(sentence)
    assert left_out == figures_left_out
    assert not set(found) & set(figures_left_out)


def test_a_figure_compared_with_another_has_its_measure_and_only_it_is_england_s():
    found, _ = _read(
        "Inspectors found that 64 per cent of care leavers aged 19 to 21 are in education, employment or "
        "training, compared with 56 per cent nationally."
    )
    assert found["64 per cent"] == ("proportion of care leavers aged 19 to 21", "inspection") or found[
        "64 per cent"
    ] == (
        "proportion of care leavers aged 19 to 21",
        "council",
    )
    assert found["56 per cent"] == ("proportion of care leavers aged 19 to 21", "england")


@pytest.mark.parametrize(
    ("heading", "mark"),
    [
        ("The proportion of children entitled to free school meals:", "\u2013"),
        # (a report's list, its items set off by a bar: one measure for both made the council's two values
        # disagree with each other)
        ("\uf06e The proportion of children entitled to free school meals:", "\u2015"),
    ],
)
def test_the_items_of_a_list_under_a_heading_that_names_a_measure_are_that_measure(heading: str, mark: str):
    found, _ = _read(
        f"{heading}\n{mark} in primary schools is 14% (the national average is 19%)\n"
        f"{mark} in secondary schools is 13% (the national average is 15%).\n"
    )
    measure = "proportion of children entitled to free school meals"
    assert found["14%"] == (f"{measure} in primary schools", "council")
    assert found["19%"] == (f"{measure} in primary schools", "england")
    assert found["13%"] == (f"{measure} in secondary schools", "council")
    assert found["15%"] == (f"{measure} in secondary schools", "england")


def test_the_figures_left_out_are_reported_with_the_document(tmp_path: Path):
    path = tmp_path / "release.txt"
    path.write_text(
        "Wolverhampton City Council\n\nPress release\n\nOfsted inspected the council's children's services between "
        "1 and 12 May 2023. Only 80.6% participated.\n\nNotes to editors\n",
        encoding="utf-8",
    )
    extraction = extract(documents.load(path))
    assert "1 figure left out: the sentence does not say what it measures ('80.6%')" in extraction.notes


@pytest.mark.parametrize(
    ("words", "yearless", "start", "end"),
    [
        ("carried out between 13/03/2023 and 24/03/2023.", False, "2023-03-13", "2023-03-24"),
        ("spent a fortnight in the borough between 11 and 22 December, and", True, "--12-11", "--12-22"),
        ("spent a fortnight in the borough between 11 and 22 December, and", False, None, None),
        ("from 22 April to 3 May 2024", True, "2024-04-22", "2024-05-03"),
        ("on site between 16 December and 9 January, and", True, "--12-16", "--01-09"),  # over the new year
        ("from 25 to 3 March", True, None, None),  # backwards
    ],
)
def test_ranges_of_dates_written_with_numbers_or_without_a_year(words, yearless, start, end):
    found = find_date_range(words, yearless=yearless)
    if start is None:
        assert found is None
    else:
        assert found is not None
        assert (found.start.iso(), found.end.iso()) == (start, end)
