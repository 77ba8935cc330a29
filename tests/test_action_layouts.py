"""Action plans in the layouts of other councils: a fixed-width column table (each cell spread over
several lines, interleaved with the other columns), a table printed one cell after another, and one
ruled with pipes.

The two cabinet reports of tests/fixtures/other-documents are compared with the facts read from them
by hand; each is then changed (a timescale, a lead officer, a completion mark) and read again; and
tables of a made-up council, with other headings and column widths, are read the same way."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from ofsted_kg import documents
from ofsted_kg.extract import action_plan, extract
from ofsted_kg.facts import ActionFact, InspectionRef, PersonFact, links_of
from ofsted_kg.graph import document_graph
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.rdf.inspections import Inspections
from ofsted_kg.text import PartialDate, Quoted

FOLDER = Path(__file__).resolve().parent / "fixtures" / "other-documents"
LINEAR = "108_eacb5547f17dfa60"  # cells one after another
FIXED = "110_8c6a9ff797cbb84c"  # fixed-width columns
PIPED = "114_1ee5cde192eca09e"  # columns ruled with pipes, two rows broken inside a cell


def fold(text: str) -> str:
    quotes = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    return " ".join(unicodedata.normalize("NFKC", text).translate(quotes).lower().split())


def read(path: Path) -> tuple[str, list]:
    doc = documents.load(path)
    return doc.text, extract(doc).facts


def actions(facts: list) -> list[ActionFact]:
    return [f for f in facts if isinstance(f, ActionFact)]


def leads(facts: list, action: ActionFact) -> list[str]:
    """Each lead officer as 'Name, Post' where the plan gives the post, and each role."""
    posts = {f.name.spans: f.post.value for f in facts if isinstance(f, PersonFact) and f.post is not None}
    named = [f"{q.value}, {posts[q.spans]}" if q.spans in posts else q.value for q in action.lead_officers]
    return named + [q.value for q in action.lead_roles]


def timescales(action: ActionFact) -> list[str]:
    return [m.timescale.value for m in action.milestones if m.timescale] + [t.value for t, _ in action.timescales]


def assert_quotes_the_text(text: str, q: Quoted) -> None:
    """A value is the words of its spans, each span on one line of the text."""
    pieces = [text[s.start : s.end] for s in q.spans]
    assert all("\n" not in p and p == p.strip() for p in pieces), pieces
    assert fold(re.sub(r"(?<=[A-Za-z]-) ", "", " ".join(pieces))) == fold(str(q.value))


def quoted_values(action: ActionFact) -> list[Quoted]:
    out = [action.text, *action.lead_officers, *action.lead_roles, *action.progress]
    out += [m.text for m in action.milestones] + [m.timescale for m in action.milestones if m.timescale]
    out += [t for t, _ in action.timescales] + [q for q in (action.rag, action.recommendation) if q]
    return out


@pytest.mark.parametrize("name", [LINEAR, FIXED, PIPED])
def test_actions_timescales_and_leads_as_read_by_hand(name):
    expected = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))["actions"]
    text, facts = read(FOLDER / f"{name}.txt")
    found = actions(facts)
    assert [fold(a.text.value) for a in found] == [fold(e["text"]) for e in expected]
    for action, e in zip(found, expected, strict=True):
        assert action.recommendation.value == e["recommendation"]
        assert [fold(m.text.value) for m in action.milestones] == [fold(m) for m in e["milestones"]]
        assert [fold(t) for t in timescales(action)] == [fold(t) for t in e["timescales"]]
        assert [fold(p) for p in leads(facts, action)] == [fold(p) for p in e["lead_officers"]]
        assert [fold(p.value) for p in action.progress] == ([fold(" ".join(e["progress"]))] if e["progress"] else [])
        assert (action.completed is not None) == e["completed"]
        assert action.rag.value == e["rag"]
        for q in quoted_values(action):
            assert_quotes_the_text(text, q)
        for cell, fragments in e.get("cell_lines", {}).items():
            if cell in ("text", "milestones", "timescales", "progress"):  # one span for each line of the cell
                q = {"text": action.text, "progress": (action.progress or [None])[0]}.get(cell) or (
                    action.milestones[0].text if cell == "milestones" else timescales_q(action)
                )
                assert [text[s.start : s.end] for s in q.spans] == fragments


def timescales_q(action: ActionFact) -> Quoted:
    return action.milestones[0].timescale if action.milestones else action.timescales[0][0]


def test_several_actions_of_one_recommendation_are_distinct_in_the_graph():
    doc = documents.load(FOLDER / f"{LINEAR}.txt")
    extraction = extract(doc)
    triples, _ = document_graph(doc, extraction, Inspections([links_of(extraction)]))
    graph_actions = {s for s, p, o in triples if p == RDF.type and o == OKG.Action}
    assert len(graph_actions) == 7
    for a in graph_actions:
        assert len({o for s, p, o in triples if s == a and p == SCHEMA.text}) == 1
    assert sorted(str(o) for s, p, o in triples if p == OKG.ragStatus) == sorted(
        ["Complete", "Amber", "Green", "Green", "Amber", "Complete", "Red"]
    )
    assert sum(1 for s, p, o in triples if p == OKG.completed and o == Literal(True)) == 2


def _changed(tmp_path: Path, name: str, edits: list[tuple[str, str]]) -> tuple[str, list]:
    text = (FOLDER / f"{name}.txt").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return read(path)


def _by_text(facts: list) -> dict[str, ActionFact]:
    return {fold(a.text.value)[:30]: a for a in actions(facts)}


def _summary(facts: list, action: ActionFact) -> tuple:
    return (timescales(action), leads(facts, action), action.completed is not None, action.rag.value)


def test_linear_layout_follows_changes_to_its_text(tmp_path):
    _, before = read(FOLDER / f"{LINEAR}.txt")
    _, after = _changed(
        tmp_path,
        LINEAR,
        [
            ("awarded\nMarch 2025\n", "awarded\nJune 2026\n"),
            ("Orla\nWhitcombe,\nHead of Access", "Tamsin\nGreaves,\nHead of Access"),
            ("September 2024\nComplete\n", "September 2024\nAMBER\n"),
            ("forum\nGREEN\n", "forum\nComplete\n"),
        ],
    )
    old, new = _by_text(before), _by_text(after)
    assert old.keys() == new.keys()
    changed = {k for k in old if _summary(before, old[k]) != _summary(after, new[k])}
    flats, report, panel, charter = (
        "commission 20 additional suppo",
        "monthly missing children repor",
        "set up a joint housing and lea",
        "co-produce a care leavers' cha",
    )
    assert changed == {flats, report, panel, charter}
    assert timescales(new[flats]) == ["June 2026"] and new[flats].milestones[0].due == PartialDate(2026, 6)
    assert leads(after, new[report]) == ["Tamsin Greaves, Head of Access and Assessment"]
    assert new[panel].completed is None and new[panel].rag.value == "Amber"
    assert new[charter].completed is not None and new[charter].rag.value == "Complete"


def test_fixed_width_layout_follows_changes_to_its_text(tmp_path):
    _, before = read(FOLDER / f"{FIXED}.txt")
    _, after = _changed(
        tmp_path,
        FIXED,
        [
            ("31 October   Bryony", "30 November  Bryony"),
            ("Imran Oddie, Head", "Keira Lomax, Head"),
            ("AMBER", "Complete"),
        ],
    )
    old, new = _by_text(before), _by_text(after)
    changed = {k for k in old if _summary(before, old[k]) != _summary(after, new[k])}
    standards, clinics = "introduce a practice standards", "weekly performance clinics for"
    assert changed == {standards, clinics}
    assert timescales(new[standards]) == ["30 November 2018"]
    assert new[standards].milestones[0].due == PartialDate(2018, 11, 30)
    assert new[standards].completed is not None and new[standards].rag.value == "Complete"
    assert leads(after, new[clinics]) == ["Keira Lomax, Head of Performance"]


# ---------------------------------------------------------------- a made-up council's tables


def invented_fixed(widths: tuple[int, ...] = (22, 30, 24, 16, 24), indent: int = 2) -> str:
    """A made-up council's fixed-width plan, its columns `widths` wide (the last runs to the line's end)."""

    def line(*cells: str) -> str:
        padded = "".join(c.ljust(w) for c, w in zip(cells, widths, strict=False))
        return " " * indent + padded + "".join(cells[len(widths) :])

    heading = line(
        "Area for improvement", "Key actions", "Success measures", "Target date", "Responsible officer", "Status"
    )
    return "\n".join(
        [
            "Ambridge Borough Council - Children's Services Improvement Plan",
            "",
            heading,
            "",
            line(
                "Area 1: Timeliness of",
                "Weekly assessment tracker",
                "Tracker in use in",
                "1 March",
                "Petra Okonkwo-",
                "Tracker built",
            ),
            line("assessments", "reviewed by each team", "every team", "2031", "Lyle, Assessment", "On track - Green"),
            line("", "", "", "", "Lead"),
            "",
            line("", "Refresh the assessment", "Guidance published", "Ongoing", "All Team Managers", "Complete"),
            line("", "practice guidance"),
            "",
            line("Area 2: Placement", "Open two local", "Both homes", "September 2032", "Dev Raman and", "First home"),
            line("sufficiency", "children's homes", "registered", "", "Lucia Fenwick"),
            "",
            "Ambridge Borough Council Cabinet                                  Page 4 of 7",
            "",
            heading,
            line("", "", "", "", "", "registered; second"),
            line("", "", "", "", "", "in planning"),
            line("", "", "", "", "", "AMBER"),
            "",
            "The plan will be reviewed by the Improvement Board every quarter and reported to Cabinet in the spring.",
            line("Area 3: Not a row", "Do something else", "Something done", "May 2033", "Ann Other", "GREEN"),
            "",
        ]
    )


INVENTED_STACKED = """Appendix 2: Improvement plan

Area for improvement
Action
By when
Owner
Update
RAG
1. Participation of
children in reviews
Children chair their
own review meetings
April 2030
Mina Castellano,
Head of Reviewing
Pilot running in two
teams
GREEN
Train all chairs in
child-led reviews
June 2030
Mina Castellano
Not started
RED
"""

REF = InspectionRef("E00000000", 2030)


def _invented(text: str) -> tuple[list[ActionFact], list]:
    span = action_plan.find(text)
    assert span is not None
    facts = action_plan.extract_any(text, span, REF)
    for action in actions(facts):
        for q in quoted_values(action):
            assert_quotes_the_text(text, q)
    return actions(facts), facts


@pytest.mark.parametrize(
    "widths,indent", [((22, 30, 24, 16, 24), 2), ((26, 34, 21, 19, 27), 0), ((23, 26, 20, 16, 22), 6)]
)
def test_fixed_width_table_of_another_council(widths, indent):
    text = invented_fixed(widths, indent)
    found, facts = _invented(text)
    assert [(a.recommendation.value, a.position, a.text.value) for a in found] == [
        (1, 1, "Weekly assessment tracker reviewed by each team"),
        (1, 2, "Refresh the assessment practice guidance"),
        (2, 1, "Open two local children's homes"),
    ]
    tracker, guidance, homes = found
    assert [(m.text.value, m.timescale.value, m.due) for m in tracker.milestones] == [
        ("Tracker in use in every team", "1 March 2031", PartialDate(2031, 3, 1))
    ]
    assert leads(facts, tracker) == ["Petra Okonkwo-Lyle, Assessment Lead"]
    assert [p.value for p in tracker.progress] == ["Tracker built On track"] and tracker.rag.value == "Green"
    assert tracker.completed is None
    assert leads(facts, guidance) == ["All Team Managers"] and not guidance.lead_officers
    assert timescales(guidance) == ["Ongoing"] and guidance.milestones[0].due is None
    assert guidance.completed is not None and guidance.rag.value == "Complete" and not guidance.progress
    assert [q.value for q in homes.lead_officers] == ["Dev Raman", "Lucia Fenwick"]
    assert timescales(homes) == ["September 2032"]
    # The status cell runs on over a page break: its footer and repeated header are not part of it.
    assert [p.value for p in homes.progress] == ["First home registered; second in planning"]
    assert homes.rag.value == "Amber"
    # Each line of a cell is a span of its own.
    assert [text[s.start : s.end] for s in homes.text.spans] == ["Open two local", "children's homes"]
    # The table ends at the line of prose that runs across its columns.
    assert not [a for a in found if "else" in a.text.value]


def test_stacked_table_of_another_council():
    found, facts = _invented(INVENTED_STACKED)
    assert [(a.recommendation.value, a.position, a.text.value) for a in found] == [
        (1, 1, "Children chair their own review meetings"),
        (1, 2, "Train all chairs in child-led reviews"),
    ]
    first, second = found
    assert timescales(first) == ["April 2030"] and first.timescales[0][1] == PartialDate(2030, 4)
    assert leads(facts, first) == ["Mina Castellano, Head of Reviewing"]
    assert [p.value for p in first.progress] == ["Pilot running in two teams"] and first.rag.value == "Green"
    assert leads(facts, second) == ["Mina Castellano"]
    assert [p.value for p in second.progress] == ["Not started"] and second.rag.value == "Red"


INVENTED_PIPED = """Appendix C - Ofsted improvement plan

| Area for improvement | Action | Target date | Owner | Status |
|---|---|---|---|---|
| 1 | Audit all child in need plans | 30 June 2030 | Rosa Quill, Head of |
Early Help | Started - Amber |
| 2 | Publish the local offer | August 2030 | Tom Verity | Complete |
"""


def test_piped_table_of_another_council():
    found, facts = _invented(INVENTED_PIPED)
    assert [(a.recommendation.value, a.text.value) for a in found] == [
        (1, "Audit all child in need plans"),
        (2, "Publish the local offer"),
    ]
    audit, offer = found
    # A line break inside the Owner cell, with a pipe before it: the cell goes on over the break.
    assert leads(facts, audit) == ["Rosa Quill, Head of Early Help"]
    assert [p.value for p in audit.progress] == ["Started"] and audit.rag.value == "Amber"
    assert audit.timescales[0][1] == PartialDate(2030, 6, 30)
    assert offer.completed is not None and leads(facts, offer) == ["Tom Verity"]


INVENTED_PER_AREA = """APPENDIX A: IMPROVEMENT ACTION PLAN

IMPROVEMENT AREA (i): THE FRONT DOOR
Senior responsible officer: Rosa Quill, Head of Early Help

Ref    Action                          Owner                     Target date   Status
-----  ------------------------------  ------------------------  ------------  ---------
1.1    Check every contact closed      Tom Verity, Service       02.09.2030    Complete
       with no further action          Manager

                                              Cabinet, 12 November 2030 | Page 9


IMPROVEMENT AREA (ii): CARE LEAVERS AFTER 21
Senior responsible officer: Rosa Quill, Head of Early Help

Ref    Action                          Owner                     Target date   Status
-----  ------------------------------  ------------------------  ------------  ---------
2.1    Write to every care leaver      Tom Verity                31.12.2030    On track
       aged 21 to 25
"""

INVENTED_CELL_PER_LINE = """APPENDIX 1: IMPROVEMENT PLAN TRACKER

Ref
Action
Ofsted area
Lead officer (post \u2013 name)
Due
RAG Sept 2030
RAG Dec 2030
Update / evidence
P1 \u2013 LEADERSHIP AND GOVERNANCE
P1.1
Establish an improvement board with an independent chair
1
Executive Director \u2013 Rosa Quill
Sept 2030
\u25cf Green
\u2714 Complete
First meeting held; terms of reference agreed.
OFFICIAL
P2 \u2013 CARE LEAVERS
P2.1
Double the number of personal advisers
3
Head of Service \u2013 Tom Verity
Q4 2030/31
\u25cf Green
\u25b2 Amber
Four of eight advisers appointed.
"""


def test_a_table_per_area_each_under_its_heading_in_capitals():
    found, _ = _invented(INVENTED_PER_AREA)
    assert [(a.recommendation.value, a.text.value) for a in found] == [
        (1, "Check every contact closed with no further action"),
        (2, "Write to every care leaver aged 21 to 25"),
    ]


def test_a_table_printed_a_cell_to_a_line_with_symbols_before_its_ratings():
    """Headings one to a line, then each row a cell to a line: a lone number is the Ofsted area a row answers,
    not a page number; a group's heading in capitals and a protective marking ('OFFICIAL') are no cells; of
    two RAG columns the later is the rating."""
    found, _ = _invented(INVENTED_CELL_PER_LINE)
    assert [(a.recommendation.value, a.text.value, a.rag.value if a.rag else None) for a in found] == [
        (1, "Establish an improvement board with an independent chair", "Complete"),
        (3, "Double the number of personal advisers", "Amber"),
    ]
    assert [timescales(a) for a in found] == [["Sept 2030"], ["Q4 2030/31"]]


def test_a_stacked_table_whose_rows_have_no_number_or_rating_gives_no_rows_and_no_error():
    from ofsted_kg.extract import action_stacked
    from ofsted_kg.text import Span

    text = "Action\nLead officer\nDue\nUpdate\nHold a summit\nRosa Quill\nSept 2030\nHeld in May\n"
    assert action_stacked.read(text, Span(0, len(text))) == []


INVENTED_SECTIONS = """Progress against the Improvement Plan

Area 1 - Leadership stability and capacity

What we said we would do
Appoint a permanent senior leadership team and introduce a monthly
performance meeting.

What we have done
Three of the four posts are now filled permanently.

Lead: Director of Children's Services - Rosa Quill
Due: 31st December 2030
Rating: Amber

Area 2 - Support for care leavers

What we said we would do
Review every care leaver whose case was closed.

What we have done
All 154 cases were reviewed.

Lead: Head of Service, Leaving Care - Tom Verity
Due: Completed - September 2030
Rating: Green

Financial implications

The plan is funded from the existing budget.
"""


def test_a_plan_written_as_a_section_per_area():
    found, facts = _invented(INVENTED_SECTIONS)
    assert [(a.recommendation.value, a.text.value, a.rag.value if a.rag else None) for a in found] == [
        (1, "Appoint a permanent senior leadership team and introduce a monthly performance meeting.", "Amber"),
        (2, "Review every care leaver whose case was closed.", "Green"),
    ]
    assert [p.value for p in found[0].progress] == ["Three of the four posts are now filled permanently."]
    # 'Post - Name' in a lead's cell: the name after the dash, the post before it.
    assert leads(facts, found[0]) == ["Rosa Quill, Director of Children's Services"]
    assert leads(facts, found[1]) == ["Tom Verity, Head of Service, Leaving Care"]


INVENTED_PIPED_PAGES = """Appendix 1: Action plan

| No.  | Recommendation        | Actions                         | Lead                  | Timescale | RAG   |
|------|-----------------------|---------------------------------|-----------------------|-----------|-------|
| 1.1  | R1 Strategy meetings  | Daily risk huddle at the front  | Rosa Quill, Head of   | Jul 2030  | Green |
|      |                       | door for every red contact      | Service               |           |       |
| 1.2  |                       | Strategy meetings within a day  | Rosa Quill            | Oct 2030  | Amber |

Anytown Council | Scrutiny Panel | 15.10.2030                    Page 7 of 8

| No.  | Recommendation        | Actions                         | Lead                  | Timescale | RAG   |
|------|-----------------------|---------------------------------|-----------------------|-----------|-------|
| 2.1  | R2 Fostering          | Approve 20 new fostering        | Tom Verity            | Mar 2031  | Red   |
|      |                       | households                      |                       |           |       |
"""

INVENTED_PARAGRAPHS = """4. Improvement plan

4.1   The plan holds one lead action for each area for improvement.

4.2   Action: Bring caseloads down to 20 children, by recruiting 60 social workers (area for
      improvement 1). Lead: Rosa Quill, Head of Workforce. By: March 2031. Progress: Complete.
      Caseloads were 18 at 31st May.

4.3   Action: Screen every contact within 24 hours (area for improvement 2). Lead: Tom Verity,
      with the police. By: December 2030. Progress: On track.
"""


def test_a_piped_table_whose_cells_wrap_onto_rows_of_their_own_over_a_page_break():
    found, facts = _invented(INVENTED_PIPED_PAGES)
    assert [(a.recommendation.value, a.text.value, a.rag.value if a.rag else None) for a in found] == [
        (1, "Daily risk huddle at the front door for every red contact", "Green"),
        (1, "Strategy meetings within a day", "Amber"),
        (2, "Approve 20 new fostering households", "Red"),
    ]
    assert leads(facts, found[0]) == ["Rosa Quill, Head of Service"]


def test_a_plan_written_a_paragraph_per_action():
    found, facts = _invented(INVENTED_PARAGRAPHS)
    assert [(a.recommendation.value, timescales(a)) for a in found] == [(1, ["March 2031"]), (2, ["December 2030"])]
    assert found[0].text.value.startswith("Bring caseloads down to 20 children")
    assert leads(facts, found[0]) == ["Rosa Quill, Head of Workforce"]
    assert leads(facts, found[1]) == ["Tom Verity"]  # ('with the police' is no post)


INVENTED_TABBED_PER_RECOMMENDATION = (
    "Appendix 1 - Post-inspection action plan\n\n"
    "Recommendation 1: The stability of the workforce.\n\n"
    "Ref\tAction\tResponsible officer\tDeadline\tStatus\n"
    "1a\tIntroduce a caseload guarantee of 18 children\tRosa Quill\tEnd Jul 2030\tComplete\n\n"
    "Recommendation 2: Placement sufficiency.\n\n"
    "Ref\tAction\tResponsible officer\tDeadline\tStatus\n"
    "2a\tPublish the sufficiency strategy\tTom Verity\tEnd Dec 2030\tIn progress\n"
)

INVENTED_BULLETS = """6. Action plan

Recommendation 2 - The quality of pathway plans (care leavers' element:
pathway plans)

  \u2022 Replace the pathway plan template with a shorter plan written to the young
    person (Lead: Rosa Quill, Service Manager, Next Steps Team; by March 2031)
  \u2022 Monthly audit of ten pathway plans (Lead: Tom Verity, Assistant Director; by
    April 2031)

Recommendation 4 - Care leavers' health

  \u2022 Give every young person a written health history (Lead: Rosa Quill; by September 2031)

7. Financial implications
"""


def test_a_tab_separated_table_per_recommendation():
    found, _ = _invented(INVENTED_TABBED_PER_RECOMMENDATION)
    assert [(a.recommendation.value, a.text.value) for a in found] == [
        (1, "Introduce a caseload guarantee of 18 children"),
        (2, "Publish the sufficiency strategy"),
    ]


def test_a_plan_of_bullets_under_each_recommendation_with_its_lead_in_brackets():
    found, facts = _invented(INVENTED_BULLETS)
    assert [(a.recommendation.value, timescales(a)) for a in found] == [
        (2, ["March 2031"]),
        (2, ["April 2031"]),
        (4, ["September 2031"]),
    ]
    assert found[0].text.value == "Replace the pathway plan template with a shorter plan written to the young person"
    assert leads(facts, found[0]) == ["Rosa Quill, Service Manager, Next Steps Team"]
    assert leads(facts, found[1]) == ["Tom Verity, Assistant Director"]
