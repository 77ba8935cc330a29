"""Single Inspection Framework reports from the rest of England: the wordings of their lists of recommendations
and of their findings that the West Midlands reports do not use. Fixtures (tests/fixtures/sif-england) are the text
of the published PDFs cut to the pages that matter; the expected facts were written from reading them."""

from __future__ import annotations

import pytest

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.documents import load
from ofsted_kg.extract import extract

from sif_england import REPORTS, findings, grades, recommendations


@pytest.fixture(scope="module")
def built():
    result = build(sorted(REPORTS.iterdir()))
    assert result.rejected == [] and result.report.conforms
    return result


def test_lists_under_what_does_the_local_authority_need_to_improve(built):
    """Cambridgeshire 2014: the items (13-21) straight under 'What does the local authority need to improve?'."""
    mine = recommendations(built.graph, iris.inspection("E10000003", 2014))
    assert sorted(mine) == sorted(f"la-{n}" for n in range(1, 10))
    assert mine["la-1"].startswith("Ensure that statutory child protection guidance is followed")
    assert mine["la-9"].startswith("Ensure that social workers’ skills and development needs")


def test_a_list_after_a_lead_in(built):
    """Sunderland 2015: 'The following recommendations are those that inspectors considered to be the
    priorities ...' comes before item 1 and is not an item."""
    mine = recommendations(built.graph, iris.inspection("E08000024", 2015))
    assert len(mine) == 27
    assert mine["la-1"].startswith("Take urgent action to review the cases of all children")
    assert not any(text.startswith("The following recommendations") for text in mine.values())


def test_bulleted_findings_of_the_first_reports(built):
    """Derbyshire 2013: findings are bulleted, unnumbered paragraphs under 'Leadership, management and
    governance are good'; the board's judgement is 'The judgement for the effectiveness of the ... is requires
    improvement.'"""
    g = built.graph
    i = iris.inspection("E10000007", 2013)
    found = findings(g, i)
    assert list(found) == [None]
    assert [area for area, _ in found[None]] == ["sif-leadership"] * 5
    assert any(text.startswith("The determined commitment of the Local Authority") for _, text in found[None])
    assert grades(g, "E10000007", 2013)["sif-lscb"] == "requires-improvement"


def test_a_list_heading_out_of_place_is_not_read_as_a_list(built):
    """Redbridge 2016: the PDF's text puts the board's 'Recommendations' heading among its findings (before
    130.); what follows it is findings, not recommendations, and the unheaded items 123-125 before 'Inspection
    findings' are not findings either."""
    g = built.graph
    i = iris.inspection("E09000026", 2016)
    assert recommendations(g, i) == {}
    found = findings(g, i)
    assert sorted(found) == list(range(126, 149))
    assert {rows[0][0] for rows in found.values()} == {"sif-lscb"}
    assert found[130][0][1].startswith("The board demonstrates a culture of effective and respectful challenge")
    notes = extract(load(REPORTS / "redbridge_2016-11-25.txt")).notes
    assert any("comes among the board's findings" in n for n in notes)


def test_the_boards_strengths_end_its_list(built):
    """Southampton 2014: the board's list (under sub-headings) ends at 'The LSCB's strengths'; 168 on are
    findings."""
    g = built.graph
    i = iris.inspection("E06000045", 2014)
    mine = recommendations(g, i)
    assert sorted(mine) == sorted(f"lscb-{n}" for n in range(1, 8))
    assert mine["lscb-7"].endswith("improvement action is taken in response to their feedback.")
    found = findings(g, i)
    assert found[168][0][0] == "sif-lscb"
    assert found[168][0][1].startswith("Formal governance arrangements are clear")


def test_a_paragraph_number_standing_alone(built):
    """Waltham Forest 2015: '89.' stands alone on its line (its paragraph lost from the PDF); 90-95 still
    belong to children looked after."""
    found = findings(built.graph, iris.inspection("E09000031", 2014))
    assert sorted(found) == [n for n in range(79, 96) if n != 89]
    assert {rows[0][0] for rows in found.values()} == {"sif-looked-after"}


def test_points_of_a_numbered_recommendation_are_not_recommendations(built):
    """Cheshire East 2015: '1. Strengthen senior managers' oversight and monitoring of:' and three bulleted
    points, one recommendation (without its bullets); 17 in all."""
    mine = recommendations(built.graph, iris.inspection("E06000049", 2015))
    assert sorted(mine) == sorted(f"la-{n}" for n in range(1, 18))
    assert mine["la-1"].startswith("Strengthen senior managers’ oversight and monitoring of: complex cases")
    assert mine["la-1"].endswith("care leavers who are homeless (paragraph 112).")
    assert mine["la-2"].startswith("Ensure the challenge provided by child protection chairs")


def test_a_list_ends_at_the_summary_for_children(built):
    """Ealing 2016: the ten recommendations end at 'Summary for children', whose bullets are not items."""
    mine = recommendations(built.graph, iris.inspection("E09000009", 2016))
    assert sorted(mine) == sorted(f"la-{n}" for n in range(1, 11))


def test_a_paragraph_repeated_under_another_heading_is_one_finding(tmp_path):
    """A paragraph printed twice, under leadership and under the board (as St Helens 2015 does), is one
    finding, of the first heading, with a note; the graph conforms."""
    path = REPORTS / "darlington_2015-09-01.txt"
    text = path.read_text(encoding="utf-8")
    start = text.index("98. Weak oversight by senior leaders")
    paragraph = text[start + len("98. ") : text.index("\n99. ", start) + 1]
    mutated = tmp_path / path.name
    mutated.write_text(text.replace("120. Darlington Safeguarding", f"120. {paragraph}121. Darlington Safeguarding"))
    result = build([mutated])
    assert result.rejected == [] and result.report.conforms
    found = findings(result.graph, iris.inspection("E06000005", 2015))
    assert found[98][0][0] == "sif-leadership" and 120 not in found
    assert any("finding 120 repeats finding 98" in n for n in extract(load(mutated)).notes)


def test_numbered_titles_over_bulleted_recommendations(built):
    """Slough 2016: '1. Quality and effectiveness of practice' and the like are numbered titles, each over
    bulleted recommendations: 22 recommendations, no title among them."""
    mine = recommendations(built.graph, iris.inspection("E06000039", 2015))
    assert sorted(mine) == sorted(f"la-{n}" for n in range(1, 23))
    assert mine["la-1"].startswith("In line with longstanding plans, develop and embed a genuinely multi-agency")
    assert mine["la-15"].startswith("With key partners, take decisive action to ensure that the local extent")
    assert not any(text.startswith("Quality and effectiveness of practice") for text in mine.values())
