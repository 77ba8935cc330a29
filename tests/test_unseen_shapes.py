"""Shapes of sentence and layout that a review of the readers of unseen documents found read wrongly, each
with what a careful reader takes from it: no grade given to the wrong area or inspection, no council's own
words given to Ofsted or to another body, no action split by a broken line, and no reader that a long or
odd line keeps busy for long."""

from __future__ import annotations

import time

import pytest

from ofsted_kg.extract import action_plan, figures, kinds, people, prose, quotes, stated_recommendations
from ofsted_kg.facts import ActionFact, Context, InspectionRef, PartialDate
from ofsted_kg.reference import load_reference
from ofsted_kg.text import find_date_range

REF = InspectionRef("E09000016", 2024)
FRAMEWORK = load_reference().framework_in(PartialDate(2024, 5, 1))
COUNCIL = Context("E09000016", None, None)


def _grades(sentence: str) -> list[tuple[str, str]]:
    found = prose.sentence_judgements(sentence, lambda s: REF, lambda r: FRAMEWORK)
    return [(j.area.value, j.grade.value) for j in found]


def test_an_area_after_a_list_keeps_the_grade_that_follows_it():
    assert _grades(
        "Ofsted judged the council good for the impact of leaders, and the experiences and progress of "
        "children in care was judged inadequate."
    ) == [("impact of leaders", "good"), ("experiences and progress of children in care", "inadequate")]
    assert _grades(
        "Inspectors rated it good for the impact of leaders, help and protection and children in care, with "
        "the experiences and progress of care leavers judged outstanding."
    ) == [
        ("impact of leaders", "good"),
        ("help and protection", "good"),
        ("children in care", "good"),
        ("experiences and progress of care leavers", "outstanding"),
    ]


def test_work_that_requires_improving_is_no_grade():
    assert (
        _grades("Leaders know the aspects of practice that require improvement, including care leavers' plans.") == []
    )
    assert _grades("Care leavers were found to require improvement to be good.") == [
        ("Care leavers", "require improvement to be good")
    ]


def test_a_spokesperson_speaks_for_the_council_only_where_no_other_body_is_named():
    text = (
        'An Ofsted spokesperson said: "The report speaks for itself in every way."\n\n'
        'A Metropolitan Police spokesman said: "We work closely with the council here."\n\n'
        'A Redbridge Council spokesperson said: "We are proud of our own result too."\n\n'
        'A council spokesperson said: "We accept the findings in full."\n'
    )
    found = [(q.speaker.value, q.speaker_kind, q.organisation) for q in quotes.extract(text, COUNCIL, [])]
    assert found == [
        ("An Ofsted spokesperson", "ofsted", "ofsted"),
        ("A council spokesperson", "council", "E09000016"),
    ]


def test_he_or_she_is_the_one_person_named_in_the_paragraph_before_or_no_one():
    text = (
        'A council spokesperson said: "We are pleased with this report today."\n\n'
        "Councillor Ray Morgon, leader of the council, said the report was a fair one.\n\n"
        'He said: "This is a proud day for all of us here."\n\n'
        "The director Sarah Jones took over in 2022 from Mark Evans.\n\n"
        'She said: "We will keep going with the plan we have."\n'
    )
    found = [(q.text.value[:10], q.speaker.value) for q in quotes.extract(text, COUNCIL, [])]
    # ('She' after two people named: whom it stands for is not known; the spokesperson before is not her)
    assert found == [("We are ple", "A council spokesperson"), ("This is a ", "Ray Morgon")]


@pytest.mark.parametrize(
    "text",
    [
        "Ofsted identified three areas for improvement. Since the inspection, the council has:\n\n"
        "- recruited twenty more social workers;\n- opened a new hub;\n- trained its managers.\n",
        "Recommendations\n\nThe council will address them through its improvement plan, agreed by Cabinet in May; "
        "a new director has been appointed; and caseloads are now falling.\n",
    ],
)
def test_what_the_council_has_done_is_no_recommendation_of_ofsted(text: str):
    assert stated_recommendations.read(text) == []


def test_ofsted_s_list_introduced_by_a_second_sentence_is_read():
    text = (
        "Ofsted's report sets out two areas for improvement. In the report's own words:\n\n"
        "R1  The timeliness of strategy meetings.\nR2  The quality of plans for care leavers.\n"
    )
    assert [stated_recommendations.read(text)[i].number for i in (0, 1)] == [1, 2]


def test_a_cell_broken_over_two_lines_of_a_tab_separated_plan_stays_one_action():
    text = (
        "Appendix A: action plan\n\nRef\tAction\tLead\tBy when\tRAG\n"
        "1.1\tRecruit more staff\tJane Smith, Head of Service\tMay 2024\tG\n"
        "1.2\tAudit all strategy meetings and report\n"
        "the findings to the board\tHead of Safeguarding\tMarch 2024\tA\n"
    )
    plan = action_plan.find(text)
    assert plan is not None
    actions = [f for f in action_plan.extract_any(text, plan, REF) if isinstance(f, ActionFact)]
    assert [(a.text.value, [r.value for r in a.lead_roles], a.rag.value if a.rag else None) for a in actions] == [
        ("Recruit more staff", [], "Green"),
        ("Audit all strategy meetings and report the findings to the board", ["Head of Safeguarding"], "Amber"),
    ]


@pytest.mark.parametrize(
    ("sentence", "measures"),
    [
        ("The number of referrals has fallen; 30% of the children waited too long.", {"30%": "proportion of the children waited too long"}),
        (
            "The proportion of children seen within 10 days was 80% and 5% of staff were agency workers.",
            {"80%": "proportion of children seen within 10 days", "5%": "proportion of staff"},
        ),
        ("Key figures on the rate of staff turnover: see table 3. 40% of children had a plan.", {"40%": "proportion of children"}),
        ("Caseloads were reduced by 15% across the service.", {}),
    ],
)  # fmt: skip
def test_a_measure_stays_in_its_own_clause_and_sentence(sentence: str, measures: dict[str, str]):
    found = figures.extract(sentence, COUNCIL, left_out=[])
    assert {f.figure.value: f.measure for f in found} == measures


def test_a_range_of_dates_that_runs_backwards_is_none():
    assert find_date_range("from 25 to 3 March", yearless=True) is None
    assert find_date_range("between 24/03/2023 and 13/03/2023") is None


@pytest.mark.parametrize(
    "read",
    [
        lambda: kinds.detect_kind("Council report\n" + "-".join(["Ab"] * 400)),
        lambda: figures.extract("The rate " + "now " * 8000 + "x 5%.", COUNCIL, left_out=[]),
        lambda: prose.graded_lines("x" + "." * 40000 + " Good\n", REF, FRAMEWORK, 1.6),
        lambda: people.personal_name("Jane Smith " + "a" * 40000, 0, 10),
    ],
    ids=["byline", "verb-before-a-figure", "leader-dots", "address"],
)
def test_long_odd_lines_are_read_in_bounded_time(read):
    # (each took from 3 to 37 seconds before its reader was bounded; now hundredths of one)
    start = time.process_time()
    read()
    assert time.process_time() - start < 2


def test_dates_written_with_dots():
    found = find_date_range("This was a short inspection, carried out from 25.09.2023 to 29.09.2023.")
    assert found is not None and (found.start.iso(), found.end.iso()) == ("2023-09-25", "2023-09-29")


def test_a_list_with_the_grade_first_and_the_inspection_its_introduction_names():
    """'Outstanding - leadership (...)': each line's grade is its own, not the next line's; a list
    introduced by 'Its report, published on 22.07.2019, gave these grades:' is the 2019 inspection's,
    whatever the lines after it say."""
    text = (
        "The grades in full:\n\n"
        "  Outstanding  \u2013  leadership (the impact of leaders on social work practice)\n"
        "  Good         \u2013  help and protection (the experiences and progress of children who need help and "
        "protection)\n"
        "  Outstanding  \u2013  children in care\n\n"
        "The previous inspection began on 03.06.2019. Its report, published on 22.07.2019, gave these grades:\n"
        "  Good  \u2013  overall effectiveness\n"
        "  Inadequate  \u2013  the experiences and progress of children in care and care leavers\n"
        "  Until January 2023 Ofsted judged these together; they are now graded apart.\n"
    )

    def ref_for(sentence):
        return InspectionRef("E09000016", 2019) if "2019" in sentence.quote(text) else REF

    found = {
        (j.ref.year, j.area.value, j.grade.value)
        for j in prose.sentence_judgements(text, ref_for, lambda r: load_reference().framework_in(PartialDate(r.year)))
    }
    assert {(2024, "leadership", "Outstanding"), (2024, "help and protection", "Good")} <= found
    assert (2024, "help and protection", "Outstanding") not in found
    assert (2019, "experiences and progress of children in care and care leavers", "Inadequate") in found
    assert not {j for j in found if j[0] == 2024 and j[2] == "Inadequate"}


def test_some_of_a_counted_list_after_a_sentence_that_only_opens_it():
    text = (
        "Ofsted listed seven areas for improvement. Among them were:\n\n"
        "  - The timeliness of strategy discussions.\n"
        "  - The response to children aged 16 to 17 who present as homeless.\n\n"
        "The council listed three priorities. Among them were:\n\n"
        "  - More foster carers.\n  - A new hub.\n"
    )
    assert [s.span.quote(text) for s in stated_recommendations.read(text)] == [
        "The timeliness of strategy discussions",
        "The response to children aged 16 to 17 who present as homeless",
    ]


def test_said_before_the_speaker_and_a_statement_signed_below_it():
    text = (
        '"We are a long way from where we were, and staff know it," said Cllr Ada Pennington-Rowe, who leads '
        "the council.\n\n"
        "\u2018We will not stand still, and our plan goes to councillors in January.\u2019\n"
        "\u2013 Dr Ifan Treharne, Director of Children\u2019s Services, Anytown Council\n\n"
        "\u2018Housing for care leavers is now my first priority for the year ahead.\u2019\n"
        "\u2013 Cllr Ada Pennington-Rowe\n"
    )
    found = [(q.text.value, q.speaker.value) for q in quotes.extract(text, COUNCIL, [])]
    assert found == [
        ("We are a long way from where we were, and staff know it", "Ada Pennington-Rowe"),
        ("We will not stand still, and our plan goes to councillors in January.", "Ifan Treharne"),
        ("Housing for care leavers is now my first priority for the year ahead.", "Ada Pennington-Rowe"),
    ]


def test_a_counted_list_after_the_paragraph_that_counts_it_and_none_in_someone_s_words():
    text = (
        "Ofsted set out three areas for improvement. They are below in Ofsted's words.\n\n"
        "  (i)   The consistency of thresholds in the front door.\n\n"
        "  (ii)  The quality of pathway plans.\n\n"
        "  (iii) Support for care leavers over 21.\n\n"
        "\u2018We are delighted. The two areas for improvement are ones we had already identified, and our plan "
        "will go to councillors in January.\u2019\n"
    )
    assert [(s.number, s.span.quote(text)) for s in stated_recommendations.read(text)] == [
        (1, "The consistency of thresholds in the front door"),
        (2, "The quality of pathway plans"),
        (3, "Support for care leavers over 21"),
    ]


def test_grades_of_an_earlier_inspection_stay_with_it_when_the_dates_of_the_one_reported_have_no_year():
    """A news story dates its inspection without a year ('between 13th and 24th March'): only sentences about
    that inspection give it grades. The paragraph on 2019 ('That inspection, carried out between 25th February
    and 8th March 2019, rated ...') recalls the earlier inspection; 'rated inadequate since 2019' is its grade."""
    from pathlib import Path

    from ofsted_kg import documents
    from ofsted_kg.extract import extract

    text = (
        "By Jo Reporter\nLocal Democracy Reporting Service\n\nPublished: 12th May 2023\n\n"
        "Anytown children's services are no longer inadequate, the watchdog said.\n\n"
        "In a report published on Thursday, inspectors judged the West Sussex County Council's children's "
        "services to require improvement to be good overall.\n\n"
        "The council has been rated inadequate for overall effectiveness since 2019.\n\n"
        "Inspectors spent a fortnight with the county's social workers between 13th and 24th March.\n\n"
        "That inspection, carried out between 25th February and 8th March 2019, rated West Sussex inadequate for "
        "overall effectiveness and for the impact of leaders on social work practice.\n\n"
        "A council spokesperson said the council was pleased with the report.\n"
    )
    doc = documents.from_bytes(Path("story.txt"), text.encode())
    found = {
        (f.ref.year, f.grade.value.lower())
        for f in extract(doc).facts
        if type(f).__name__ == "JudgementFact" and "overall" in f.area.value.lower()
    }
    assert (None, "require improvement to be good") in found
    assert (2019, "inadequate") in found
    assert (None, "inadequate") not in found


def test_an_action_s_number_is_no_figure():
    text = "Action 4.1  Train all social workers and managers in writing plans.\n\nWe recruited 12 social workers.\n"
    found = [int(f.value) for f in figures.extract(text, COUNCIL, [], [])]
    assert found == [12]


def test_a_wire_story_s_abbreviated_months_and_a_paragraph_about_another_council():
    found = find_date_range("inspections that ran in parallel from Nov. 21 to Dec. 2 last year.", yearless=True)
    assert found is not None and (found.start.month, found.start.day, found.end.month, found.end.day) == (11, 21, 12, 2)
    from ofsted_kg.extract.common import elsewhere
    from ofsted_kg.text import sentences

    text = (
        "In Bradford, inspectors rated the council inadequate for overall effectiveness.\n\n"
        "In Trafford, inspectors judged overall effectiveness to require improvement to be good. The impact of "
        "leaders received the same grade.\n"
    )
    about_another = elsewhere(text, "E08000032")  # Bradford's
    assert [about_another(s) for s in sentences(text)] == [False, True, True]


def test_ofsted_said_we_should_opens_its_list():
    text = "Ofsted said we should:\n\n1. identify risk for children in a timely way\n2. publish the local offer\n"
    assert [(s.number, s.span.quote(text)) for s in stated_recommendations.read(text)] == [
        (1, "identify risk for children in a timely way"),
        (2, "publish the local offer"),
    ]


def test_required_improvement_in_the_past_tense_is_that_grade_not_good():
    assert _grades(
        "Inspectors judged that the experiences and progress of care leavers required improvement to be good."
    ) == [("experiences and progress of care leavers", "required improvement to be good")]


def test_a_range_of_days_may_name_each_day_s_weekday():
    found = find_date_range("The inspection ran from Monday 16 to Friday 20 October 2023.")
    assert found is not None and (found.start.iso(), found.end.iso()) == ("2023-10-16", "2023-10-20")
    found = find_date_range("Inspectors visited on Wednesday 24 and Thursday 25 July.", yearless=True)
    assert found is not None and (found.start.iso(), found.end.iso()) == ("--07-24", "--07-25")


def _release(tmp_path, after: str):
    from ofsted_kg import documents
    from ofsted_kg.extract import extract

    path = tmp_path / "release.txt"
    path.write_text(
        "Press release\n\nPublished: 2 December 2024\n\n"
        "Ofsted inspectors visited Sheffield City Council's children's services from Monday 4 to "
        f"Friday 8 November 2024. {after}\n\n"
        "At its last full inspection, in 2022, the council was judged good overall.\n",
        encoding="utf-8",
    )
    facts = extract(documents.load(path)).facts
    main = next(f for f in facts if type(f).__name__ == "InspectionFact" and f.ref.year == 2024)
    grades = [(f.ref.year, f.grade.value) for f in facts if type(f).__name__ == "JudgementFact"]
    return main, grades


def test_a_visit_named_after_the_sentence_dating_it_is_a_visit_and_takes_no_recalled_grade(tmp_path):
    main, grades = _release(tmp_path, "This was a focused visit looking at children in need.")
    assert main.inspection_type is not None and main.inspection_type.value == "focused-visit"
    assert (2024, "good") not in grades and (2022, "good") in grades
    # A visit of another year, named after it, is not what the release reports.
    main, _ = _release(tmp_path, "It follows a focused visit in March 2023.")
    assert main.inspection_type is None
