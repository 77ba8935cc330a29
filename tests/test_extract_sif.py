"""Ofsted reports before ILACS: the Single Inspection Framework in its 2014 and 2015 wordings, and the
inspection of looked after children services (2012-13). Fixtures are the text of the published PDFs;
the expected facts were written from reading them."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import FIXTURES
from helpers import QUOTES, judgements, local, select

REPORTS = FIXTURES / "early-reports"
STAFFORDSHIRE_2014 = REPORTS / "staffordshire_2014-03-21.txt"
STOKE_2015 = REPORTS / "stoke-on-trent_2015-08-12.txt"
SANDWELL_2015 = REPORTS / "sandwell_2015-06-05.txt"
SANDWELL_2013 = REPORTS / "sandwell_2013-08-02.txt"


def _date(value: str) -> Literal:
    return Literal(dt.date.fromisoformat(value), datatype=XSD.date)


@pytest.fixture(scope="module")
def fixtures_built():
    result = build([STAFFORDSHIRE_2014, STOKE_2015, SANDWELL_2015, SANDWELL_2013])
    assert result.rejected == [] and result.report.conforms
    return result


def test_every_quote_is_in_its_fixture_at_its_offsets(fixtures_built):
    texts = {p.name: p.read_text(encoding="utf-8") for p in REPORTS.iterdir()}
    rows = select(fixtures_built.graph, QUOTES)
    assert len(rows) > 200
    assert [(str(f), int(s)) for f, exact, s, e in rows if texts[str(f)][int(s) : int(e)] != str(exact)] == []


def test_sif_2014_wording(fixtures_built):
    """'The overall judgement is good', the board's judgement 'The effectiveness of the LSCB is good',
    two lists to each (priority action, areas for improvement), 'did not find any' is not an item."""
    g = fixtures_built.graph
    i = iris.inspection("E10000028", 2014)
    key = local(i)
    assert {j for j in judgements(g) if j[0] == key} == {
        (key, area, "good")
        for area in (
            "sif-overall",
            "sif-help-and-protection",
            "sif-looked-after",
            "sif-adoption",
            "sif-care-leavers",
            "sif-leadership",
            "sif-lscb",
        )
    }
    assert g.value(i, SCHEMA.startDate) == _date("2014-01-14")
    assert g.value(i, SCHEMA.endDate) == _date("2014-02-05")
    assert g.value(i, OKG.publicationDate) is None  # this report states none
    assert str(g.value(g.value(i, OKG.leadInspector), SCHEMA.name)) == "Mary Candlin"
    mine = _of(g, i)
    assert sorted(k for k in mine if k.startswith("la-")) == sorted(f"la-{n}" for n in range(1, 9))
    assert mine["la-1"].startswith("Ensure that independent reviewing officers (IROs) provide consistent")
    assert mine["la-8"].startswith("Develop the 4US Forum across the county")
    assert {k for k in mine if k.startswith("lscb-")} == {"lscb-1", "lscb-2"}
    assert mine["lscb-1"].startswith("Monitor the police contribution to strategy meetings")
    assert not any("did not find any" in text for text in mine.values())


def _of(graph, inspection) -> dict[str, str]:
    """'la-3' / 'lscb-1' / 'improve-2' -> text, of one inspection's recommendations."""
    return {
        str(r).rsplit("/", 1)[1]: str(graph.value(r, SCHEMA.text))
        for r in graph.subjects(OKG.inspection, inspection)
        if (r, RDF.type, OKG.Recommendation) in graph or (r, RDF.type, OKG.AreaForImprovement) in graph
    }


def test_sif_2015_wording_with_numeric_dates(fixtures_built):
    """'Children's services in Stoke-on-Trent require improvement to be good' broken over a line,
    dates written 1/06/2015 – 25/06/2015."""
    g = fixtures_built.graph
    i = iris.inspection("E06000021", 2015)
    key = local(i)
    assert {j for j in judgements(g) if j[0] == key} == {
        (key, "sif-overall", "requires-improvement"),
        (key, "sif-help-and-protection", "requires-improvement"),
        (key, "sif-looked-after", "requires-improvement"),
        (key, "sif-adoption", "good"),
        (key, "sif-care-leavers", "requires-improvement"),
        (key, "sif-leadership", "requires-improvement"),
        (key, "sif-lscb", "requires-improvement"),
    }
    assert g.value(i, SCHEMA.startDate) == _date("2015-06-01")
    assert g.value(i, SCHEMA.endDate) == _date("2015-06-25")
    assert g.value(i, OKG.publicationDate) == _date("2015-08-10")
    assert str(g.value(g.value(i, OKG.leadInspector), SCHEMA.name)) == "Peter McEntee"  # not "Peter McEntee HMI"
    mine = _of(g, i)
    assert sorted(k for k in mine if k.startswith("la-")) == sorted(f"la-{n}" for n in range(1, 15))
    assert sorted(k for k in mine if k.startswith("lscb-")) == sorted(f"lscb-{n}" for n in range(1, 8))


def test_sif_lists_under_sub_headings(fixtures_built):
    """Sandwell 2015: 'The overall judgement is that children's services are inadequate'; the lists run
    under sub-headings ('Help and protection', 'Scrutiny and challenge') that are not part of any item,
    and end before 'The local authority's strengths' and 'Inspection judgement about the LSCB'."""
    g = fixtures_built.graph
    i = iris.inspection("E08000028", 2015)
    key = local(i)
    assert {j for j in judgements(g) if j[0] == key} == {
        (key, "sif-overall", "inadequate"),
        (key, "sif-help-and-protection", "inadequate"),
        (key, "sif-looked-after", "requires-improvement"),
        (key, "sif-adoption", "requires-improvement"),
        (key, "sif-care-leavers", "requires-improvement"),
        (key, "sif-leadership", "inadequate"),
        (key, "sif-lscb", "inadequate"),
    }
    mine = _of(g, i)
    assert len([k for k in mine if k.startswith("la-")]) == 18
    assert len([k for k in mine if k.startswith("lscb-")]) == 8
    assert mine["la-5"].endswith("address audit findings in a timely manner.")  # not "... Help and protection"
    assert mine["la-6"].startswith("Improve the management oversight of social work practice")
    assert mine["la-18"].endswith("from adult services after the age of 18.")
    assert mine["lscb-1"].startswith("Ensure that partners, both as individual agencies")
    assert mine["lscb-8"].endswith("priorities identified by the LSCB.")
    headings = ("Help and protection", "Scrutiny and challenge", "Learning and development", "Care leavers")
    assert not any(text.endswith(headings) for text in mine.values())


def test_inspection_of_looked_after_children_services(fixtures_built):
    """The 2012-13 framework: the record of main findings (a row broken over lines) on the scale with
    'adequate', the reporting inspector, and the areas for improvement under their timescales, page
    headers kept out of the quotes."""
    g = fixtures_built.graph
    i = iris.inspection("E08000028", 2013)
    key = local(i)
    assert {j for j in judgements(g) if j[0] == key} == {
        (key, "lac-overall", "inadequate"),
        (key, "lac-capacity", "adequate"),
        (key, "lac-outcomes", "adequate"),
        (key, "lac-quality", "inadequate"),
        (key, "lac-leadership", "inadequate"),
    }
    assert local(g.value(i, OKG.framework)).endswith("framework/lac")
    assert g.value(i, SCHEMA.startDate) == _date("2013-06-24")
    assert g.value(i, SCHEMA.endDate) == _date("2013-06-28")
    assert g.value(i, OKG.publicationDate) == _date("2013-08-02")
    assert str(g.value(g.value(i, OKG.leadInspector), SCHEMA.name)) == "Christopher Sands"
    mine = _of(g, i)
    assert sorted(mine) == sorted(f"improve-{n}" for n in range(1, 19))  # 8 immediately, 8 in three months, 2 in six
    assert mine["improve-1"].startswith("Ensure that a clear plan is in place to improve the effectiveness")
    assert mine["improve-9"].startswith("Ensure the consistently high quality of PEPs")
    assert mine["improve-18"].endswith("to be saved in different files")
    assert not any("Inspection of looked after children services" in text for text in mine.values())


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("2.1 Adoption performance Good", "2.1 Adoption performance Inadequate", ("sif-adoption", "inadequate")),
        (
            "The overall judgement is good",
            "The overall judgement is requires improvement",
            ("sif-overall", "requires-improvement"),
        ),  # fmt: skip
    ],
)
def test_a_grade_changed_in_the_report_changes_the_graph(tmp_path, before, after, expected):
    text = STAFFORDSHIRE_2014.read_text(encoding="utf-8")
    assert text.count(before) == 1
    mutated = tmp_path / STAFFORDSHIRE_2014.name
    mutated.write_text(text.replace(before, after), encoding="utf-8")
    key = "inspection/E10000028-2014"
    got = judgements(build([mutated]).graph)
    assert (key, *expected) in got
    assert (key, expected[0], "good") not in got
    assert len(got) == 7


def test_a_moved_date_and_a_renamed_inspector_change_the_graph(tmp_path):
    text = STOKE_2015.read_text(encoding="utf-8")
    mutated = tmp_path / STOKE_2015.name
    mutated.write_text(
        text.replace("Inspection date: 1/06/2015", "Inspection date: 2/06/2015").replace(
            "Lead inspector: Peter McEntee", "Lead inspector: Petra Mackintosh"
        ),
        encoding="utf-8",
    )
    g = build([mutated]).graph
    i = iris.inspection("E06000021", 2015)
    assert g.value(i, SCHEMA.startDate) == _date("2015-06-02")
    assert str(g.value(g.value(i, OKG.leadInspector), SCHEMA.name)) == "Petra Mackintosh"


def test_a_looked_after_children_report_without_its_table_is_refused(tmp_path):
    text = SANDWELL_2013.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("Record of main findings")], encoding="utf-8")
    result = build([cut])
    assert [str(e) for e in result.rejected] == [
        f"{cut}: looks like an inspection of looked after children services, but no judgements were found"
    ]


def test_fixture_names_do_not_matter(tmp_path):
    """Extraction reads content only: the same text under another name gives the same graph."""
    renamed = tmp_path / "some-report.txt"
    renamed.write_text(SANDWELL_2013.read_text(encoding="utf-8"), encoding="utf-8")
    assert judgements(build([renamed]).graph) == judgements(build([SANDWELL_2013]).graph)


def _findings(graph, inspection) -> dict[int, tuple[str, str]]:
    """number -> (judgement area notation, text) of an inspection's findings."""
    out = {}
    for f in graph.subjects(OKG.inspection, inspection):
        if (f, RDF.type, OKG.Finding) in graph:
            area = str(graph.value(f, OKG.judgement)).rsplit("/", 1)[-1]
            out[int(graph.value(f, OKG.number))] = (area, str(graph.value(f, SCHEMA.text)))
    return out


def test_sif_findings_under_each_judgement(fixtures_built):
    """Staffordshire 2014: paragraphs 26-43 under help and protection, 44-61 looked after, then 62-74
    under 'The graded judgment for adoption performance good' and 75-85 under the care leavers'
    graded judgement, 86-99 leadership; 100-102 are the board's priority note and recommendations,
    not findings; 103-115 are the board review's."""
    found = _findings(fixtures_built.graph, iris.inspection("E10000028", 2014))
    by_area = {}
    for number, (area, _) in sorted(found.items()):
        by_area.setdefault(area, []).append(number)
    assert by_area == {
        "sif-help-and-protection": list(range(26, 44)),
        "sif-looked-after": list(range(44, 62)),
        "sif-adoption": list(range(62, 75)),
        "sif-care-leavers": list(range(75, 86)),
        "sif-leadership": list(range(86, 100)),
        "sif-lscb": list(range(103, 116)),
    }
    assert found[26][1].startswith("Children and their families receive early help from a wide range")
    assert found[62][1].startswith("Adoption is being considered at an early stage")
    assert found[103][1].startswith("Governance arrangements of Staffordshire Safeguarding Children Board")


def test_looked_after_children_findings(fixtures_built):
    """Sandwell 2013: the numbered paragraphs of each section; 28 only introduces the areas for improvement."""
    found = _findings(fixtures_built.graph, iris.inspection("E08000028", 2013))
    assert [n for n, (area, _) in sorted(found.items()) if area == "lac-overall"] == list(range(13, 22))
    assert [n for n, (area, _) in sorted(found.items()) if area == "lac-capacity"] == list(range(22, 28))
    assert 28 not in found
    assert found[13][1].startswith("Overall effectiveness for looked after children is inadequate.")
    assert len(found) == 72
    assert not any("Inspection of looked after children services" in text for _, text in found.values())


def test_ilacs_2018_wording(tmp_path):
    """Herefordshire 2018, an early ILACS report: headings read '<area> requires improvement' and
    '<area> is inadequate' (no colon), and 'What needs to improve' has no question mark."""
    report = REPORTS / "herefordshire_2018-07-23.txt"
    result = build([report])
    assert result.rejected == [] and result.report.conforms
    g = result.graph
    found = _findings(g, iris.inspection("E06000019", 2018))
    by_area = {}
    for number, (area, _) in sorted(found.items()):
        by_area.setdefault(area, []).append(number)
    assert by_area == {
        "ilacs-help-and-protection": list(range(1, 28)),
        "ilacs-in-care-and-care-leavers": list(range(28, 51)),
        "ilacs-leaders": list(range(51, 63)),
    }
    assert found[51][1].startswith("The last year has been extremely challenging for leaders and managers.")
    points = [str(g.value(p, SCHEMA.text)) for p in g.subjects(RDF.type, OKG.AreaForImprovement)]
    assert len(points) == 7
    assert any(
        p.startswith("Senior leadership urgency in implementing a robust and timely action plan") for p in points
    )
    key = "inspection/E06000019-2018"
    assert (key, "ilacs-leaders", "inadequate") in judgements(g)
