"""Wording variants of ILACS reports (2018 on), each read from the text of a published PDF (the first
pages, as the project's PDF reader gives them), with expected facts written from reading the PDF;
and mutations of those texts, which must change the facts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ofsted_kg import documents
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import extract
from ofsted_kg.extract.common import lead_inspectors
from ofsted_kg.extract.report import LEAD
from ofsted_kg.facts import FindingFact, InspectionFact, JudgementFact, RecommendationFact
from ofsted_kg.reference import load_reference
from ofsted_kg.text import squash

from conftest import FIXTURES, ROOT

REPORTS = FIXTURES / "ilacs-variants"  # apart from reports/, which a query test builds whole
ENGLAND = ROOT.parent / "shared" / "corpus" / "ofsted-reports-england"
ILACS = load_reference().framework("ilacs")


def read(name: str, tmp_path: Path | None = None, old: str | None = None, new: str = ""):
    """The extraction of a fixture, or of a copy of it with `old` replaced by `new` (once)."""
    path = REPORTS / name
    if old is not None:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path = tmp_path / name
        path.write_text(text.replace(old, new), encoding="utf-8")
    doc = documents.load(path)
    ex = extract(doc)
    for fact in ex.facts:  # every quote is the source at its offsets
        if isinstance(fact, (FindingFact, RecommendationFact)):
            assert fact.text.value == squash(" ".join(doc.text[s.start : s.end] for s in fact.text.spans))
        if isinstance(fact, JudgementFact):
            assert squash(doc.text[fact.grade.spans[0].start : fact.grade.spans[0].end]) == fact.grade.value
    return ex


def inspection(ex) -> InspectionFact:
    return next(f for f in ex.facts if isinstance(f, InspectionFact))


def judgements(ex) -> set[tuple[str, str]]:
    return {
        (ILACS.area(f.area.value).notation, ILACS.grade(f.grade.value).label)
        for f in ex.facts
        if isinstance(f, JudgementFact)
    }


def points(ex) -> list[str]:
    recs = sorted((f for f in ex.facts if isinstance(f, RecommendationFact)), key=lambda f: f.number)
    assert [f.number for f in recs] == list(range(1, len(recs) + 1))
    return [f.text.value for f in recs]


def findings(ex) -> dict[int, tuple[str, str]]:
    return {f.number: (ILACS.area(f.area.value).notation, f.text.value) for f in ex.facts if isinstance(f, FindingFact)}


RI = "Requires improvement to be good"


def test_council_above_the_title_a_table_row_and_a_heading_ending_with_a_full_stop():
    """Cheshire East 2020: 'Cheshire East Council / Inspection of children's social care services';
    the table's first row ends 'children and families.'; headings end 'requires improvement to be good.'"""
    ex = read("cheshire-east_2020-01-09.txt")
    i = inspection(ex)
    assert (i.council.value, i.start.value.iso(), i.end.value.iso()) == ("E06000049", "2019-11-18", "2019-11-29")
    assert (i.framework.value, i.inspection_type.value, i.lead_inspectors[0].value) == (
        "ilacs",
        "standard-inspection",
        "Shabana Abasi",
    )
    assert judgements(ex) == {
        ("ilacs-leaders", RI),
        ("ilacs-help-and-protection", RI),
        ("ilacs-in-care-and-care-leavers", RI),
        ("ilacs-overall", RI),
    }
    headed = [f for f in ex.facts if isinstance(f, JudgementFact) and f.grade.value.islower()]
    assert [(ILACS.area(f.area.value).notation, f.grade.value) for f in headed] == [
        ("ilacs-help-and-protection", "requires improvement to be good")
    ]
    assert len(points(ex)) == 5
    assert points(ex)[4] == (
        "Consistent management oversight and supervision in the organisation to ensure "
        "that consistent, good-quality social work practice is in place."
    )
    found = findings(ex)
    assert sorted(found)[:3] == [1, 2, 3]
    assert found[1] == (
        "ilacs-help-and-protection",
        found[1][1],
    ) and found[1][1].startswith("Children and families benefit from a comprehensive")
    assert found[3][1].endswith("but are not always well recorded.")


def test_mutations_of_the_head_change_the_facts(tmp_path):
    name = "cheshire-east_2020-01-09.txt"
    ex = read(
        name, tmp_path, "children and families.\nRequires improvement\nto be good", "children and families.\nGood"
    )
    assert ("ilacs-leaders", "Good") in judgements(ex) and ("ilacs-leaders", RI) not in judgements(ex)
    ex = read(name, tmp_path, "Lead inspector: Shabana Abasi", "Lead inspector: Jane Doe")
    assert [lead.value for lead in inspection(ex).lead_inspectors] == ["Jane Doe"]
    ex = read(name, tmp_path, "18 November 2019 to 29 November 2019", "25 November 2019 to 29 November 2019")
    assert (inspection(ex).start.value.iso(), inspection(ex).inspection_type.value) == (
        "2019-11-25",
        "short-inspection",
    )
    ex = read(name, tmp_path, "18 November 2019 to 29 November 2019", "27 November 2019 to 29 November 2019")
    assert inspection(ex).inspection_type is None and any("3 days" in n for n in ex.notes)
    # A paused inspection (Devon 2025): it ends with its second period.
    ex = read(name, tmp_path, "to 29 November 2019\n", "to 29 November 2019 and 13 to 16 January 2020\n")
    assert (inspection(ex).start.value.iso(), inspection(ex).end.value.iso()) == ("2019-11-18", "2020-01-16")
    assert inspection(ex).inspection_type is None
    ex = read(name, tmp_path, "Cheshire East Council\n", "Cheshire West and Chester Council\n")
    assert inspection(ex).council.value == "E06000050"


def test_a_title_naming_no_known_council_is_rejected_not_given_another_council(tmp_path):
    with pytest.raises(DocumentError, match="its title names no English local authority"):
        read("cheshire-east_2020-01-09.txt", tmp_path, "Cheshire East Council\n", "Nowhere Borough Council\n")


def test_a_heading_with_require_and_a_lost_bullet_glyph():
    """Hounslow 2018: 'The experiences and progress of children who need help and protection require
    improvement to be good' (no colon, plural verb); the points open with a Wingdings glyph."""
    ex = read("hounslow_2018-11-12.txt")
    assert inspection(ex).council.value == "E09000018"
    assert judgements(ex) == {
        ("ilacs-leaders", "Good"),
        ("ilacs-help-and-protection", RI),
        ("ilacs-in-care-and-care-leavers", "Good"),
        ("ilacs-overall", "Good"),
    }
    assert [f.grade.value for f in ex.facts if isinstance(f, JudgementFact) and f.grade.value.islower()] == [
        "require improvement to be good"
    ]
    assert points(ex) == [
        "The quality of plans for children in need, including children in need of protection and disabled children.",
        "The quality of case recording, with particular regard to: the management of allegations, 16- and "
        "17-year-old homeless young people, private fostering arrangements and elective home education.",
        "The quality of recording of management oversight and supervision.",
        "Health information for care leavers.",
    ]
    assert findings(ex)[1][0] == "ilacs-help-and-protection"


def test_mutating_a_heading_grade_changes_it(tmp_path):
    ex = read(
        "hounslow_2018-11-12.txt", tmp_path, "protection require improvement to be good", "protection is inadequate"
    )
    assert [f.grade.value for f in ex.facts if isinstance(f, JudgementFact) and f.grade.value.islower()] == [
        "inadequate"
    ]


def test_the_last_point_ends_where_the_list_ends():
    """Calderdale 2018: the heading after the list has its grade on a line of its own, with a full stop."""
    ex = read("calderdale_2018-12-19.txt")
    assert points(ex) == [
        "The focus on children’s experiences to inform: child protection and child in need plans; and the quality "
        "and timeliness of decision-making at threshold points, particularly at first contact in the MAST, and "
        "pre-proceedings.",
        "Planning in strategy meetings and discussions to inform next steps.",
        "The experience of children who present as homeless.",
    ]
    assert ("ilacs-in-care-and-care-leavers", "Outstanding") in judgements(ex)
    found = findings(ex)
    assert found[1][0] == "ilacs-help-and-protection"
    assert found[1][1].startswith("Children in Calderdale benefit from well-coordinated locality-based early help")
    assert found[1][1].endswith("to ensure that resources are more targeted.")


def test_sub_points_stay_inside_their_point(tmp_path):
    """Manchester 2022: the first point has three dashed sub-points."""
    ex = read("manchester_2022-05-19.txt")
    got = points(ex)
    assert len(got) == 4
    assert got[0].startswith("Practice around the care and protection of disabled children to demonstrate: - an")
    assert "- communication and direct work with disabled children" in got[0]
    assert got[0].endswith("- the ambition for disabled children to achieve to their potential.")
    assert got[1].startswith("The understanding of the effects of domestic abuse")
    # Were the sub-points written with the points' own glyph, they would be points.
    text = (REPORTS / "manchester_2022-05-19.txt").read_text(encoding="utf-8")
    (tmp_path / "m.txt").write_text(text.replace("\n- ", "\n\u25fc "), encoding="utf-8")
    assert len(points(extract(documents.load(tmp_path / "m.txt")))) == 7


def test_a_paragraph_number_glued_to_a_quote_mark():
    """York 2022: '23.‘Show Me I Matter’ ...' is finding 23, and the findings after it are kept."""
    ex = read("york_2022-05-04.txt")
    found = findings(ex)
    assert sorted(found) == list(range(1, 35))
    assert found[23] == (
        "ilacs-in-care-and-care-leavers",
        "‘Show Me I Matter’ and ‘I Still Matter’ are small groups which represent the views of children in care and "
        "care leavers, respectively. They meet regularly and have provided support to each other during the "
        "pandemic. However, the children in these groups do not feel listened to by their corporate parents and have "
        "not been able to have a significant influence on the development of policy and practice.",
    )
    assert found[24][1].startswith("Children in care and care leavers are not having all their emotional needs")
    assert found[34][0] == "ilacs-leaders"


def test_a_paragraph_number_with_a_doubled_full_stop(tmp_path):
    """'46.. Most care leavers' (Gloucestershire 2025), written here into York's text."""
    ex = read("york_2022-05-04.txt", tmp_path, "24.Children in care", "24.. Children in care")
    found = findings(ex)
    assert sorted(found) == list(range(1, 35))
    assert found[24][1].startswith("Children in care and care leavers are not having all their emotional needs")


def test_a_skipped_paragraph_number(tmp_path):
    """Windsor and Maidenhead 2020: the report goes from paragraph 14 to 16."""
    ex = read("windsor-and-maidenhead_2020-02-24.txt")
    found = findings(ex)
    assert 15 not in found and found[14][0] == "ilacs-help-and-protection"
    assert found[16][0] == "ilacs-in-care-and-care-leavers"
    assert found[16][1].startswith("Services for care leavers are variable")
    assert sorted(found) == list(range(1, 15)) + list(range(16, 23))
    assert any("no paragraph 15" in n for n in ex.notes)
    # A number far beyond the one expected is not taken for a paragraph; the numbering picks up after it.
    ex = read("windsor-and-maidenhead_2020-02-24.txt", tmp_path, "16.Services for care", "60.Services for care")
    assert sorted(findings(ex)) == list(range(1, 15)) + list(range(17, 23))
    assert any("no paragraph 15, 16" in n for n in ex.notes)


@pytest.mark.skipif(not ENGLAND.exists(), reason="../shared/corpus is not beside the checkout")
def test_running_headers_with_the_page_number_stay_out_of_findings():
    """Bury 2021: 'Inspection of Bury local authority children's services (25 October to 5 November 2021) 3'."""
    doc = documents.load(ENGLAND / "bury_2021-12-17.pdf")
    ex = extract(doc)
    found = findings(ex)
    assert len(found) == 52 and not any("Inspection of Bury" in t for _, t in found.values())
    assert found[2][1].endswith("and this leads to a delayed protective response.")
    assert found[3][1].startswith("Children and families benefit from sensitive work")


def test_co_leads_on_one_line_are_each_a_lead_inspector_without_their_post(tmp_path):
    """Stoke-on-Trent 2022: 'Lead inspectors: Rebecca Quested, His Majesty's Inspector, and Matthew Reed,'
    with the second post on the next line."""
    name = "stoke-on-trent_2022-11-25.txt"
    ex = read(name)
    i = inspection(ex)
    assert (i.council.value, i.start.value.iso(), i.end.value.iso()) == ("E06000021", "2022-10-03", "2022-10-14")
    text = (REPORTS / name).read_text(encoding="utf-8")
    assert [lead.value for lead in i.lead_inspectors] == ["Rebecca Quested", "Matthew Reed"]
    assert [text[q.spans[0].start : q.spans[0].end] for q in i.lead_inspectors] == ["Rebecca Quested", "Matthew Reed"]
    assert not ex.notes
    assert ("ilacs-in-care-and-care-leavers", "Good") in judgements(ex) and len(points(ex)) == 6
    # A co-lead renamed, or one lead only: the facts follow the text.
    ex = read(name, tmp_path, "and Matthew Reed,", "and Priya Shah,")
    assert [lead.value for lead in inspection(ex).lead_inspectors] == ["Rebecca Quested", "Priya Shah"]
    ex = read(
        name,
        tmp_path,
        "Lead inspectors: Rebecca Quested, His Majesty’s Inspector, and Matthew Reed,\nHis Majesty’s Inspector",
        "Lead inspector: Matthew Reed, His Majesty’s Inspector",
    )
    assert [lead.value for lead in inspection(ex).lead_inspectors] == ["Matthew Reed"]


def test_a_line_of_thousands_of_lead_inspectors_is_read_in_bounded_time():
    # A hostile text: each name read is looked for in the whole text, so the line is not read whole.
    text = "Inspection of Testshire\nLead inspectors: " + ", ".join(["Ann Smith", "Bob Jones"] * 20_000) + "\n"
    started = time.process_time()
    leads = lead_inspectors(text, LEAD.search(text), [])
    assert [lead.value for lead in leads] == ["Ann Smith", "Bob Jones"]
    assert time.process_time() - started < 5
