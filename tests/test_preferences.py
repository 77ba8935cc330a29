"""Which claim the graph stands by, where documents disagree: the rule of source authority held in the
reference data, the okg:Preference that marks its choice, and the saved queries that show it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ofsted_kg import iris, preferences, reference
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import CABINET_2017, NEWS_2022, REPORT_2022, SEEDS

RULE = URIRef("https://w3id.org/ofsted-kg/def/rule/source-authority")
I2022 = iris.inspection("E08000031", 2022)


def day(y: int, m: int, d: int) -> Literal:
    return Literal(dt.date(y, m, d), datatype=XSD.date)


def preference(graph, subject, predicate):
    """The preferred value of a subject's property, with the documents and the reason given for it."""
    found = [
        p
        for p in graph.subjects(RDF.type, OKG.Preference)
        if graph.value(p, RDF.subject) == subject and graph.value(p, RDF.predicate) == predicate
    ]
    assert len(found) <= 1
    if not found:
        return None
    p = found[0]
    assert graph.value(p, OKG.rule) == RULE
    return graph.value(p, RDF.object), set(graph.objects(p, PROV.wasDerivedFrom)), str(graph.value(p, OKG.reason))


def test_the_report_s_start_date_is_preferred_over_the_article_s(seed_build):
    g = seed_build.graph
    assert set(g.objects(I2022, SCHEMA.startDate)) == {day(2022, 3, 21), day(2022, 3, 28)}  # both kept
    value, sources, reason = preference(g, I2022, SCHEMA.startDate)
    assert value == day(2022, 3, 28)
    report = next(d for d in seed_build.documents if d.name == REPORT_2022)
    assert sources == {report.iri}
    assert reason.startswith("2022-03-28 is given by Ofsted inspection report (rank 1)")
    assert "2022-03-21 by News article (rank 5)" in reason
    # One value only, or values that only differ in precision, are no disagreement to choose in ...
    assert preference(g, I2022, SCHEMA.endDate) is None
    # ... but of '2011' (the BBC) and 'June 2011' (the cabinet report) the more precise is the one stood by.
    value, _, reason = preference(g, iris.inspection("E08000031", 2011), SCHEMA.startDate)
    assert str(value) == "2011-06" and "these agree" in reason


def test_the_rule_lives_in_the_reference_data(monkeypatch):
    """Believe the press over Ofsted (ranks swapped in the reference data, not in code): the choice follows."""
    real = reference.load_reference()
    ranks = dict(real.authority)
    ranks["news-article"], ranks["ofsted-report"] = real.authority["ofsted-report"], real.authority["news-article"]
    monkeypatch.setattr(preferences, "load_reference", lambda: dataclasses.replace(real, authority=ranks))
    g = build([SEEDS / NEWS_2022, SEEDS / REPORT_2022]).graph
    assert preference(g, I2022, SCHEMA.startDate)[0] == day(2022, 3, 21)


def test_the_order_documents_are_read_in_does_not_choose():
    one = build([SEEDS / NEWS_2022, SEEDS / REPORT_2022]).graph
    other = build([SEEDS / REPORT_2022, SEEDS / NEWS_2022]).graph
    assert preference(one, I2022, SCHEMA.startDate) == preference(other, I2022, SCHEMA.startDate)


def test_a_grade_two_papers_disagree_on_goes_to_the_council_s_own_paper_over_its_press_release(tmp_path):
    """A mutated pair: the same sentence of grades in a cabinet report and in a press release, one grade changed."""
    cabinet, press = tmp_path / "cabinet.txt", tmp_path / "press.txt"
    common = "Overall effectiveness: {grade}\n"
    cabinet.write_text(
        "Report to Cabinet\nReport title: Ofsted inspection of children's services\n"
        "Cabinet is asked to note the outcome of the inspection.\n\n"
        "The Ofsted inspection of Wolverhampton's children's services took place from 28 March to 1 April 2022.\n\n"
        + common.format(grade="good"),
        encoding="utf-8",
    )
    press.write_text(
        "Press release\nReleased: 20 May 2022\n\nWolverhampton City Council's children's services, inspected "
        "by Ofsted from 28 March to 1 April 2022, have been rated.\n\n"
        + common.format(grade="outstanding")
        + "\nENDS\n",
        encoding="utf-8",
    )
    g = build([tmp_path]).graph
    judgement = iris.judgement(I2022, "ilacs-overall")
    assert {str(x).rsplit("/", 1)[-1] for x in g.objects(judgement, OKG.grade)} == {"ilacs-good", "ilacs-outstanding"}
    value, _, reason = preference(g, judgement, OKG.grade)
    assert str(value).endswith("/ilacs-good") and "Council cabinet report (rank 3)" in reason
    # Swap which paper says which: the cabinet report is still believed.
    cabinet.write_text(cabinet.read_text(encoding="utf-8").replace(": good", ": outstanding"), encoding="utf-8")
    press.write_text(press.read_text(encoding="utf-8").replace(": outstanding", ": good"), encoding="utf-8")
    value, _, _ = preference(build([tmp_path]).graph, judgement, OKG.grade)
    assert str(value).endswith("/ilacs-outstanding")


def test_a_year_less_claim_the_report_no_longer_dates_is_kept_as_a_disagreement(tmp_path):
    """The report moves the inspection a week later: the article's 'March 21 to April 1' is no longer on
    the report's dates, yet it can only be that inspection. Its dates stay, as its claim, not preferred."""
    for name in (NEWS_2022, REPORT_2022):
        shutil.copy(SEEDS / name, tmp_path / name)
    report = tmp_path / REPORT_2022
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("Inspection dates: 28 March to 1 April 2022", "Inspection dates: 4 to 8 April 2022"))
    result = build([tmp_path])
    g = result.graph
    assert set(g.objects(I2022, SCHEMA.startDate)) == {day(2022, 3, 21), day(2022, 4, 4)}
    assert set(g.objects(I2022, SCHEMA.endDate)) == {day(2022, 4, 1), day(2022, 4, 8)}
    assert preference(g, I2022, SCHEMA.startDate)[0] == day(2022, 4, 4)
    assert preference(g, I2022, SCHEMA.endDate)[0] == day(2022, 4, 8)
    assert not [note for _, note in result.notes if "no inspection" in note]


def _conflicts(graph) -> list[tuple[str, ...]]:
    from ofsted_kg.resources import queries_dir

    from helpers import select

    rows = select(graph, (queries_dir() / "conflicts.rq").read_text(encoding="utf-8"))
    return [tuple(str(x) if x is not None else "" for x in row) for row in rows]


def test_a_length_the_dates_contradict_is_listed_and_the_report_s_dates_are_believed(seed_build):
    """The article's 'two-week inspection' against the report's 28 March to 1 April: one week on site."""
    rows = [r for r in _conflicts(seed_build.graph) if r[1] == "length of the inspection"]
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("1", f"{REPORT_2022} (derived: 5 working days from 2022-03-28 to 2022-04-01: 1 week(s))", "yes"),
        ("2", NEWS_2022, "no"),
    ]
    assert rows[0][5] == "1 is derived from Ofsted inspection report (rank 1); also claimed: 2 by News article (rank 5)"


def test_a_count_the_list_contradicts_is_listed(seed_copy):
    """The cabinet paper says 12 recommendations and lists 11 to the council (and 5 to the board)."""
    paper = seed_copy / CABINET_2017
    text = paper.read_text(encoding="utf-8")
    assert text.count("There were 11 recommendations") == 1
    paper.write_text(text.replace("There were 11 recommendations", "There were 12 recommendations"), encoding="utf-8")
    rows = [r[2:4] for r in _conflicts(build([seed_copy]).graph) if r[1] == "recommendations"]
    assert rows == [
        ("11", f"{CABINET_2017} (derived: 11 listed (11 to the council; 5 to the safeguarding board; 16 in all))"),
        ("12", CABINET_2017),
    ]
    # As the paper first said, 11: no disagreement.
    paper.write_text(text, encoding="utf-8")
    assert [r for r in _conflicts(build([seed_copy]).graph) if r[1] == "recommendations"] == []


def test_working_days():
    from ofsted_kg.derived import working_days

    assert working_days(dt.date(2022, 3, 28), dt.date(2022, 4, 1)) == 5
    assert working_days(dt.date(2017, 1, 16), dt.date(2017, 2, 9)) == 19  # a SIF inspection: four weeks
    assert working_days(dt.date(2024, 6, 1), dt.date(2024, 6, 2)) == 0  # a weekend


def test_agreeing_values_are_one_claim_as_good_as_their_best_source():
    """Ofsted's report says June 2011, a news article 16 June 2011, a cabinet paper 4 July 2011: the
    article's day agrees with the report, the paper's contradicts it; the day that agrees is stood by."""
    doc = URIRef("urn:x:doc")
    topic = ("urn:x:inspection", str(SCHEMA.startDate))

    def claim(value, kind):
        return preferences.Claim(topic, URIRef(topic[0]), SCHEMA.startDate, value, URIRef(f"urn:x:{kind}"), kind)

    month = Literal("2011-06", datatype=XSD.gYearMonth)
    chosen = preferences.choose(
        topic,
        [
            claim(month, "ofsted-report"),
            claim(day(2011, 6, 16), "news-article"),
            claim(day(2011, 7, 4), "cabinet-report"),
        ],
    )
    assert chosen.value == day(2011, 6, 16)
    assert doc not in {c.document for c in chosen.chosen}


def test_co_leads_one_document_names_are_no_disagreement_and_are_stood_by_together():
    """A report names two lead inspectors; an article names a third: the report's two are stood by."""
    topic = ("urn:x:inspection", str(OKG.leadInspector))
    quested, reed, other = (URIRef(f"urn:x:person/{n}") for n in ("quested", "reed", "other"))

    def claim(value, kind):
        return preferences.Claim(topic, URIRef(topic[0]), OKG.leadInspector, value, URIRef(f"urn:x:{kind}"), kind)

    report = [claim(quested, "ofsted-report"), claim(reed, "ofsted-report")]
    assert preferences.choose(topic, report) is None
    # An article that names one of the two co-leads does not disagree with the report either.
    assert preferences.choose(topic, [*report, claim(reed, "news-article")]) is None
    chosen = preferences.choose(topic, [*report, claim(other, "news-article")])
    assert chosen.value == quested and [v for v, _ in chosen.also] == [reed]
    assert chosen.reason.startswith("quested and reed are given by Ofsted inspection report (rank 1)")
    assert "also claimed: other by News article (rank 5)" in chosen.reason
    # An article that names the report's second co-lead too: each preference names the documents of its value.
    both = [*report, claim(other, "news-article"), claim(reed, "cabinet-report")]
    triples = preferences.preferred(both)
    stood = {o: n for n, p, o in triples if p == RDF.object}
    assert set(stood) == {quested, reed}
    sources = {v: {o for n, p, o in triples if n == node and p == PROV.wasDerivedFrom} for v, node in stood.items()}
    assert sources == {
        quested: {URIRef("urn:x:ofsted-report")},
        reed: {URIRef("urn:x:ofsted-report"), URIRef("urn:x:cabinet-report")},
    }
    # A grade is one value: one document's two grades for one judgement still disagree.
    grade = ("urn:x:judgement", str(OKG.grade))
    good, ri = URIRef("urn:x:grade/good"), URIRef("urn:x:grade/ri")
    two = [
        preferences.Claim(grade, URIRef(grade[0]), OKG.grade, g, URIRef("urn:x:doc"), "ofsted-report")
        for g in (good, ri)
    ]
    assert preferences.choose(grade, two) is not None


def _claim(service: URIRef, label: str, document: str) -> preferences.Claim:
    return preferences.Claim(
        (str(service), preferences.NAME), service, RDFS.label, Literal(label), URIRef(document), "cabinet-report"
    )


def test_a_service_s_preferred_name_is_its_longest_whatever_the_order_of_the_documents():
    hub = URIRef("https://w3id.org/ofsted-kg/id/service/E09999999/hub")
    names = ["MASH", "multi-agency safeguarding hub", "Multi-Agency Safeguarding Hub", "Safeguarding Hub"]
    claims = [_claim(hub, name, f"urn:doc:{n}") for n, name in enumerate(names)]
    chosen = {(hub, SKOS.prefLabel, Literal("Multi-Agency Safeguarding Hub"))}  # of equal length, capitals first
    assert preferences.preferred(claims) == chosen
    assert preferences.preferred(claims[::-1]) == chosen
    # One name is the preferred name too; and no okg:Preference is made for names.
    assert preferences.preferred(claims[:1]) == {(hub, SKOS.prefLabel, Literal("MASH"))}


def test_every_service_of_the_graph_has_one_preferred_name_its_longest(seed_build):
    g = seed_build.graph
    services = set(g.subjects(RDF.type, OKG.Service))
    several = 0
    for service in services:
        labels = [str(label) for label in g.objects(service, RDFS.label)]
        several += len(set(labels)) > 1
        assert list(g.objects(service, SKOS.prefLabel)) == [Literal(min(labels, key=lambda n: (-len(n), n)))]
    assert several >= 5  # (documents that name one service differently: the test can fail)
    # In the graph of preferences, not in a document's graph.
    named = seed_build.named_graph(preferences.PREFERRED_GRAPH)
    assert len(list(named.triples((None, SKOS.prefLabel, None)))) == len(services)
