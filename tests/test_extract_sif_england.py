"""Single Inspection Framework reports from the rest of England: each wording of the template's head (judgements,
dates, lead inspector, the board's judgement) that the West Midlands reports do not use. Fixtures are the text of the
published PDFs as the PDF reader gives it, cut to the pages that matter (the head with its judgement table, the
lists, a section, the page naming the team); the expected facts were written from reading them."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.documents import load
from ofsted_kg.extract import extract
from ofsted_kg.namespaces import OKG, SCHEMA

from helpers import QUOTES, select
from sif_england import REPORTS, day, findings, grades, kind, lead, recommendations

SIF_AREAS = ("sif-overall", "sif-help-and-protection", "sif-looked-after", "sif-adoption", "sif-care-leavers")


@pytest.fixture(scope="module")
def built():
    result = build(sorted(REPORTS.iterdir()))
    assert result.rejected == [] and result.report.conforms
    return result


def test_every_quote_is_in_its_fixture_at_its_offsets(built):
    texts = {p.name: p.read_text(encoding="utf-8") for p in REPORTS.iterdir()}
    rows = select(built.graph, QUOTES)
    assert len(rows) > 300
    assert [(str(f), int(s)) for f, exact, s, e in rows if texts[str(f)][int(s) : int(e)] != str(exact)] == []


def test_every_finding_points_to_a_judgement_that_was_read(built):
    g = built.graph
    pointed = {j for f in g.subjects(RDF.type, OKG.Finding) for j in g.objects(f, OKG.judgement)}
    assert pointed and all((j, RDF.type, OKG.Judgement) in g for j in pointed)


def test_board_judgement_with_a_full_stop(built):
    """Darlington 2015: the board's part opens 'The Local Safeguarding Children Board requires improvement.';
    its findings 120-139 are the board's, under that judgement."""
    g = built.graph
    i = iris.inspection("E06000005", 2015)
    assert grades(g, "E06000005", 2015) == {
        "sif-overall": "inadequate",
        "sif-help-and-protection": "inadequate",
        "sif-looked-after": "requires-improvement",
        "sif-adoption": "good",
        "sif-care-leavers": "good",
        "sif-leadership": "inadequate",
        "sif-lscb": "requires-improvement",
    }
    found = findings(g, i)
    assert sorted(n for n, rows in found.items() if rows[0][0] == "sif-lscb") == list(range(120, 140))
    assert sorted(n for n, rows in found.items() if rows[0][0] == "sif-leadership") == list(range(98, 114))
    assert found[120][0][1].startswith("Darlington Safeguarding Children Board meets its statutory requirements")
    mine = recommendations(g, i)
    assert len([k for k in mine if k.startswith("la-")]) == 18
    assert len([k for k in mine if k.startswith("lscb-")]) == 6
    assert lead(g, i) == "Wendy Ghaffar"


DARLINGTON = REPORTS / "darlington_2015-09-01.txt"
BOARD_LINE = "The Local Safeguarding Children Board requires improvement.\n"


def test_a_changed_board_grade_changes_the_graph(tmp_path):
    text = DARLINGTON.read_text(encoding="utf-8")
    assert text.count(BOARD_LINE) == 1
    mutated = tmp_path / DARLINGTON.name
    mutated.write_text(text.replace(BOARD_LINE, "The Local Safeguarding Children Board is inadequate.\n"), "utf-8")
    assert grades(build([mutated]).graph, "E06000005", 2015)["sif-lscb"] == "inadequate"


def test_a_board_judgement_not_read_leaves_its_findings_untied(tmp_path):
    """Without its judgement line the board's findings are still read, tied to no judgement, with a note;
    the graph conforms (no finding points at a judgement that is not there)."""
    text = DARLINGTON.read_text(encoding="utf-8")
    mutated = tmp_path / DARLINGTON.name
    mutated.write_text(text.replace(BOARD_LINE, "The board\n"), "utf-8")
    result = build([mutated])
    assert result.rejected == [] and result.report.conforms
    g = result.graph
    assert "sif-lscb" not in grades(g, "E06000005", 2015)
    found = findings(g, iris.inspection("E06000005", 2015))
    assert found[120] == [(None, found[120][0][1])]
    notes = extract(load(mutated)).notes
    assert any("not tied to a judgement" in n for n in notes)


def test_overall_that_services_require_improvement_over_two_lines(built):
    """Warrington 2015: 'The overall judgement is that children's services require\\nimprovement'."""
    g = built.graph
    i = iris.inspection("E06000007", 2015)
    assert grades(g, "E06000007", 2015) == {
        "sif-overall": "requires-improvement",
        "sif-help-and-protection": "requires-improvement",
        "sif-looked-after": "good",
        "sif-adoption": "good",
        "sif-care-leavers": "good",
        "sif-leadership": "requires-improvement",
        "sif-lscb": "requires-improvement",
    }
    assert g.value(i, SCHEMA.startDate) == day("2015-02-24")
    assert g.value(i, SCHEMA.endDate) == day("2015-03-20")
    assert g.value(i, OKG.publicationDate) == day("2015-05-12")
    assert lead(g, i) == "Sarah Urding"  # "Sarah Urding HMI"


def test_a_changed_overall_grade_changes_the_graph(tmp_path):
    path = REPORTS / "warrington_2015-05-12.txt"
    text = path.read_text(encoding="utf-8")
    before = "services require\nimprovement\n"
    assert text.count(before) == 1
    mutated = tmp_path / path.name
    mutated.write_text(text.replace(before, "services are\ninadequate\n"), "utf-8")
    assert grades(build([mutated]).graph, "E06000007", 2015)["sif-overall"] == "inadequate"


def test_one_inspection_date_and_a_row_not_judged(built):
    """City of London 2016: 'Inspection date: 28 July 2016' (one date: only its year is taken, no end is
    guessed), and '2.1 Adoption performance Not judged' passed over, the rows after it read."""
    g = built.graph
    i = iris.inspection("E09000001", 2016)
    assert g.value(i, SCHEMA.startDate) == Literal("2016", datatype=XSD.gYear)
    assert g.value(i, SCHEMA.endDate) is None
    assert g.value(i, OKG.publicationDate) == day("2016-09-20")
    assert grades(g, "E09000001", 2016) == {
        "sif-overall": "good",
        "sif-help-and-protection": "good",
        "sif-looked-after": "good",
        "sif-care-leavers": "good",
        "sif-leadership": "outstanding",
    }
    notes = extract(load(REPORTS / "london-corporation_2016-09-20.txt")).notes
    assert "'Adoption performance' was not judged" in notes
    assert any("one inspection date (28 July 2016)" in n for n in notes)


@pytest.mark.parametrize(
    ("before", "after", "check"),
    [
        ("2.1 Adoption performance Not judged", "2.1 Adoption performance Good", ("sif-adoption", "good")),
        (
            "3. Leadership, management and governance Outstanding",
            "3. Leadership, management and governance Inadequate",
            ("sif-leadership", "inadequate"),
        ),
    ],
)
def test_a_changed_row_after_a_row_not_judged_changes_the_graph(tmp_path, before, after, check):
    path = REPORTS / "london-corporation_2016-09-20.txt"
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1
    mutated = tmp_path / path.name
    mutated.write_text(text.replace(before, after), "utf-8")
    area, grade = check
    assert grades(build([mutated]).graph, "E09000001", 2016)[area] == grade


def test_a_range_given_for_the_single_date_is_read(tmp_path):
    path = REPORTS / "london-corporation_2016-09-20.txt"
    mutated = tmp_path / path.name
    text = path.read_text(encoding="utf-8").replace(
        "Inspection date: 28 July 2016", "Inspection date: 4 – 28 July 2016"
    )
    mutated.write_text(text, "utf-8")
    g = build([mutated]).graph
    i = iris.inspection("E09000001", 2016)
    assert (g.value(i, SCHEMA.startDate), g.value(i, SCHEMA.endDate)) == (day("2016-07-04"), day("2016-07-28"))


def test_a_table_broken_by_a_page_footnote(built):
    """Oldham 2015: the page ends after '2.1 Adoption performance Good' with the report's footnote; the
    rows on the next page are read too."""
    assert grades(built.graph, "E08000004", 2015) == {
        "sif-overall": "requires-improvement",
        "sif-help-and-protection": "requires-improvement",
        "sif-looked-after": "requires-improvement",
        "sif-adoption": "good",
        "sif-care-leavers": "requires-improvement",
        "sif-leadership": "requires-improvement",
    }


def test_a_changed_row_after_the_footnote_changes_the_graph(tmp_path):
    path = REPORTS / "oldham_2015-08-03.txt"
    text = path.read_text(encoding="utf-8")
    before = "2.2 Experiences and progress of care leavers Requires improvement"
    assert text.count(before) == 1
    mutated = tmp_path / path.name
    mutated.write_text(text.replace(before, "2.2 Experiences and progress of care leavers Good"), "utf-8")
    assert grades(build([mutated]).graph, "E08000004", 2015)["sif-care-leavers"] == "good"


@pytest.mark.parametrize(
    ("name", "council", "year", "start", "end"),
    [
        ("bradford_2014-05-23.txt", "E08000032", 2014, "2014-02-18", "2014-03-12"),  # "18 Feb 2014 – 12 March 2014"
        (
            "sheffield_2014-02-21.txt",
            "E08000039",
            2013,
            "2013-11-19",
            "2014-01-30",
        ),  # "... 2013 and 28 – 30\nJanuary 2014"
        (
            "north-lincolnshire_2017-09-04.txt",
            "E06000013",
            2017,
            "2017-06-20",
            "2017-07-13",
        ),  # "20 June 2017 ─ 13 July 2017"
    ],
)
def test_dates_written_in_other_ways(built, name, council, year, start, end):
    i = iris.inspection(council, year)
    assert (built.graph.value(i, SCHEMA.startDate), built.graph.value(i, SCHEMA.endDate)) == (day(start), day(end))


def test_a_changed_abbreviated_start_date_changes_the_graph(tmp_path):
    path = REPORTS / "bradford_2014-05-23.txt"
    mutated = tmp_path / path.name
    mutated.write_text(path.read_text(encoding="utf-8").replace("18 Feb 2014 –", "19 Feb 2014 –"), "utf-8")
    g = build([mutated]).graph
    assert g.value(iris.inspection("E08000032", 2014), SCHEMA.startDate) == day("2014-02-19")


def test_a_review_of_the_board_published_on_its_own(built):
    """Surrey 2015: 'Review of the effectiveness of the Local Safeguarding Children Board' with no inspection
    of the council: one judgement (the board's), its bulleted recommendations and its findings 1-17."""
    g = built.graph
    i = iris.inspection("E10000030", 2015)
    assert kind(g, i) == "lscb-review"
    assert grades(g, "E10000030", 2015) == {"sif-lscb": "requires-improvement"}
    assert (g.value(i, SCHEMA.startDate), g.value(i, SCHEMA.endDate)) == (day("2015-06-15"), day("2015-06-17"))
    assert g.value(i, OKG.publicationDate) == day("2015-08-03")
    assert lead(g, i) == "Dominic Stevens"  # "Dominic Stevens, HMI"
    mine = recommendations(g, i)
    assert sorted(mine) == sorted(f"lscb-{n}" for n in range(1, 9))
    assert mine["lscb-1"].startswith("Update the ‘Early help: multi-agency levels of need’ document")
    found = findings(g, i)
    assert sorted(found) == list(range(1, 18))
    assert {rows[0][0] for rows in found.values()} == {"sif-lscb"}


def test_a_re_inspection(built):
    """Knowsley 2017: 'Re-inspection of services for children ...', without a review of the board."""
    g = built.graph
    i = iris.inspection("E08000011", 2017)
    assert kind(g, i) == "sif-reinspection"
    got = grades(g, "E08000011", 2017)
    assert "sif-lscb" not in got and got["sif-leadership"] == "good"
    assert kind(g, iris.inspection("E06000055", 2017)) == "single-inspection"


def test_overall_with_the_council_named_over_two_lines(built):
    """Kensington and Chelsea 2016: 'Children's services in the Royal Borough of Kensington and\\nChelsea are
    outstanding'."""
    got = grades(built.graph, "E09000020", 2016)
    assert got["sif-overall"] == "outstanding" and got["sif-help-and-protection"] == "good"
    assert set(SIF_AREAS) <= set(got)


@pytest.mark.parametrize(
    ("name", "council", "year", "person"),
    [
        ("bedford_2017-04-07.txt", "E06000055", 2017, "Donna Marriott"),  # "Donna Marriott, HMI"
        ("cambridgeshire_2014-08-08.txt", "E10000003", 2014, "Helen Cawston"),  # "Helen Cawston HMI."
        ("kensington-and-chelsea_2016-03-29.txt", "E09000020", 2016, "Ian Young"),  # "Ian Young HMI"
        ("derbyshire_2014-02-11.txt", "E10000007", 2013, "Fiona J Millns"),
    ],
)
def test_the_lead_inspector_is_a_name_only(built, name, council, year, person):
    assert lead(built.graph, iris.inspection(council, year)) == person


@pytest.mark.parametrize(
    ("line", "person"),
    [
        ("Lead inspector: Donna Marriott (HMI)", "Donna Marriott"),
        ("Lead inspector: Donna Marriott, Senior HMI", "Donna Marriott"),
        ("Lead inspector: Petra Mackintosh, HMI", "Petra Mackintosh"),
        ("Lead inspector: HMI", None),
        ("Lead inspector: Senior HMI", None),
        ("Lead inspector: to be confirmed", None),
    ],
)
def test_a_changed_lead_inspector_line_changes_the_graph(tmp_path, line, person):
    path = REPORTS / "bedford_2017-04-07.txt"
    text = path.read_text(encoding="utf-8")
    assert text.count("Lead inspector: Donna Marriott, HMI") == 1
    mutated = tmp_path / path.name
    mutated.write_text(text.replace("Lead inspector: Donna Marriott, HMI", line), "utf-8")
    result = build([mutated])
    assert result.rejected == [] and result.report.conforms
    assert lead(result.graph, iris.inspection("E06000055", 2017)) == person


def test_report_published_with_a_capital(built):
    """Lancashire 2018, a re-inspection: 'Report Published: 17 August 2018', 'Lead inspector: Lorna Schlechte,
    Her Majesty's Inspector'."""
    g = built.graph
    i = iris.inspection("E10000017", 2018)
    assert g.value(i, OKG.publicationDate) == day("2018-08-17")
    assert lead(g, i) == "Lorna Schlechte"
    assert kind(g, i) == "sif-reinspection"
