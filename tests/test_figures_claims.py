"""Figures, meetings, claims about other councils, and the conflicts between sources."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import RDFS, XSD

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.rdf.reference_graph import ENGLAND
from ofsted_kg.resources import queries_dir

from conftest import CABINET_2017, PRESS_2017, SEEDS
from helpers import of_class, select


def figures(g) -> dict[tuple, set]:
    """(subject, measure) -> {(value, previous, out_of, unit)}"""
    out: dict[tuple, set] = {}
    for f in of_class(g, OKG.Figure):
        subject = str(g.value(f, SCHEMA.observationAbout)).rsplit("/", 1)[-1]
        row = tuple(g.value(f, p) for p in (SCHEMA.value, OKG.previousValue, OKG.outOf, SCHEMA.unitText))
        out.setdefault((subject, str(g.value(f, OKG.measure))), set()).add(
            tuple(x.toPython() if x is not None else None for x in row)
        )
    return out


def test_the_national_table_of_ratings(seed_build):
    got = figures(seed_build.graph)
    assert got[(ENGLAND, "Number of Councils: Outstanding")] == {(2, None, None, "councils")}
    assert got[(ENGLAND, "Number of Councils: Requires Improvement")] == {(58, None, None, "councils")}
    assert got[(ENGLAND, "% of those inpsected: Good")] == {(Decimal("25.8"), None, None, "per cent")}
    assert got[(ENGLAND, "% of all councils: Not Inspected")] == {(Decimal("15.1"), None, None, "per cent")}
    assert (ENGLAND, "% of those inpsected: Not Inspected") not in got  # 'N/A' is no figure


def test_a_change_over_a_period_a_rank_and_counts(seed_build):
    g = seed_build.graph
    got = figures(g)
    assert got[("E08000031", "number of looked after children")] == {(626, 780, None, None)}
    change = next(f for f in of_class(g, OKG.Figure) if g.value(f, OKG.previousValue) == Literal(780))
    assert g.value(change, SCHEMA.observationPeriod) == Literal("18 months")
    assert got[("E08000031", "rank among areas")] == {(23, None, 129, "rank")}
    assert got[("E08000031", "case files")] == {(26, None, None, "case files")}
    assert got[(ENGLAND, "councils")] >= {(129, None, 152, "councils")}
    assert got[("E08000031-2017", "length of the inspection")] == {(4, None, None, "weeks")}
    assert got[("E08000031-2022", "length of the inspection")] == {(2, None, None, "weeks")}


def test_meetings(seed_build):
    g = seed_build.graph
    meetings = {
        (str(g.value(m, SCHEMA.name)), g.value(m, SCHEMA.startDate).toPython().isoformat())
        for m in of_class(g, OKG.Meeting)
    }
    assert meetings == {
        ("Cabinet meeting", "2017-04-26"),
        ("Strategic Executive Board meeting", "2017-03-28"),
        ("Executive Team meeting", "2017-04-03"),
        ("Wolverhampton Safeguarding Children Board meeting", "2017-06-21"),
    }


def test_other_councils_and_the_claims_about_them(seed_build):
    g = seed_build.graph
    wolverhampton = iris.council("E08000031")
    staffordshire, telford = iris.council("E10000028"), iris.council("E06000020")
    assert set(g.subjects(OKG.rankedAbove, wolverhampton)) == {staffordshire, telford}
    claims = {str(g.value(c, SCHEMA.about)).rsplit("/", 1)[-1] for c in of_class(g, SCHEMA.Claim)}
    assert claims == {"E10000028", "E06000020"}  # not Birmingham of 'See more stories from across Birmingham'
    assert str(g.value(telford, OKG.gssCode)) == "E06000020"  # a council resource with its identifiers


def _conflicts(g):
    """Each claim of the conflicts query: subject, property, value, document (not whether it is preferred)."""
    rows = select(g, (queries_dir() / "conflicts.rq").read_text(encoding="utf-8"))
    return [tuple(str(x) if x is not None else "" for x in row[:4]) for row in rows]


def test_conflicts_query_lists_each_disagreement_with_its_sources(seed_build):
    assert _conflicts(seed_build.graph) == [
        ("Andy Waugh", "holds", "Chief Inspector", "001_07b306a44f2bbefb.txt"),
        ("Andy Waugh", "holds", "Her Majesty's Inspector", "004_2e199a0b395a00af.txt"),
        # The article's 'two-week inspection' against the report's dates: derived, one week on site.
        (
            "Wolverhampton inspection 2022",
            "length of the inspection",
            "1",
            "004_2e199a0b395a00af.txt (derived: 5 working days from 2022-03-28 to 2022-04-01: 1 week(s))",
        ),
        ("Wolverhampton inspection 2022", "length of the inspection", "2", "001_07b306a44f2bbefb.txt"),
        ("Wolverhampton inspection 2022", "startDate", "2022-03-21", "001_07b306a44f2bbefb.txt"),
        ("Wolverhampton inspection 2022", "startDate", "2022-03-28", "004_2e199a0b395a00af.txt"),
    ]


def test_a_changed_figure_changes_and_a_new_disagreement_is_listed(seed_copy):
    press = seed_copy / PRESS_2017
    press.write_text(press.read_text(encoding="utf-8").replace("from 780 to 626", "from 780 to 600"), encoding="utf-8")
    cabinet = seed_copy / CABINET_2017
    cabinet.write_text(
        cabinet.read_text(encoding="utf-8").replace("a period of four weeks", "a period of three weeks"),
        encoding="utf-8",
    )
    g = build([seed_copy]).graph
    got = figures(g)
    assert got[("E08000031", "number of looked after children")] == {(600, 780, None, None)}
    conflicts = _conflicts(g)
    assert ("Wolverhampton inspection 2017", "length of the inspection", "3", CABINET_2017) in conflicts
    assert ("Wolverhampton inspection 2017", "length of the inspection", "4", PRESS_2017) in conflicts
    assert Literal(600) in set(g.objects(None, SCHEMA.value))
    assert XSD.integer == Literal(600).datatype and RDFS.label


def test_every_saved_query_has_a_header_and_runs(seed_build):
    for path in sorted(queries_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# title: "), path
        assert "\n# description: " in text, path
        select(seed_build.graph, text)
    assert SEEDS.exists()


def test_a_region_named_in_a_sentence_is_the_figure_s_region():
    """A Leeds article that speaks of another region gives that region its figure; 'the region' is the
    council's own. The regions are the council lookup's, not a list of one area's names."""
    from ofsted_kg.extract import figures
    from ofsted_kg.facts import Context

    leeds = Context(council="E08000035", date=None, inspection=None)
    text = (
        "In the West Midlands, 9 councils are now rated good. "
        "Across the region, 12 councils have been inspected since 2018."
    )
    found = {(f.subject, f.region, str(f.value)) for f in figures.extract(text, leeds)}
    assert found == {("region", "E12000005", "9"), ("region", None, "12")}
    from ofsted_kg.rdf.council_facts import figure_subject

    named, own = sorted((f for f in figures.extract(text, leeds)), key=lambda f: f.value)
    assert figure_subject(named, None, "E08000035") == iris.area("E12000005")  # West Midlands
    assert figure_subject(own, None, "E08000035") == iris.area("E12000003")  # Yorkshire and The Humber


def test_a_table_of_contents_gives_no_figures():
    """'Information about this local authority area 5 / Recommendations 7': page numbers, not five
    recommendations (a SIF report's contents page read as counts before)."""
    from ofsted_kg.extract import figures
    from ofsted_kg.facts import Context

    text = (
        "Contents\nExecutive summary 2\nThe local authority 5\nInformation about this local authority area 5\n"
        "Recommendations 7\nSummary for children and young people 9\n\nThe local authority\n\n"
        "Inspectors made 12 recommendations.\n"
    )
    found = figures.extract(text, Context("E08000031", None, None))
    assert [(f.measure, int(f.value)) for f in found] == [("recommendations", 12)]


# A sentence is searched for figures only if MAY_HOLD_A_FIGURE finds a digit or a number word in it: that
# must be true of every sentence any figure pattern matches, whatever a pattern is changed to.
_FIGURE_WORDS = ["From", "from", "to", "of", "the", "out", "in", "week", "inspection", "weeks", "days", "average",
                 "national", "per", "cent", "%", "£", "m", "million", "a", "year", "councils", "children", "joint",
                 "top", "highest", "rose", "fallen", "England", "region", "-", ",", ".", "about", "over", "and",
                 "One", "TWO", "first", "Tenth", "fifteen", "twelve", "someone", "often", "12", "3.5", "1,200", "4th",
                 "2nd", "Twenty-one"]  # fmt: skip


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_FIGURE_WORDS), max_size=14), st.sampled_from([" ", "  ", "\n", "-"]))
def test_a_sentence_a_figure_pattern_matches_is_never_passed_over(words, joint):
    from ofsted_kg.extract import figures as f

    sentence = joint.join(words)
    matched = any(
        p.search(sentence)
        for p in (f.CHANGE, f.LENGTH, f.RANK, f.RATIO, f.PERCENT, f.MONEY, f.AVERAGE_DAYS, f.COUNT, f.REACHED)
    )
    if matched:
        assert f.MAY_HOLD_A_FIGURE.search(sentence), sentence


def test_a_figure_given_in_words_is_read():
    # Each kind of word MAY_HOLD_A_FIGURE lets through, where no digit is: an ordinal, a number word.
    from ofsted_kg.extract import figures as f

    for sentence, pattern in (
        ("The council was ranked first in the North West, just behind its neighbour.", f.RANK),
        ("Inspectors looked at twelve case files.", f.COUNT),
        ("It was a two-week inspection.", f.LENGTH),
    ):
        assert pattern.search(sentence), sentence
        assert f.MAY_HOLD_A_FIGURE.search(sentence), sentence
