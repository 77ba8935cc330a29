"""Recommendations that cabinet reports, press releases and news articles state about an inspection:
as read by hand (tests/fixtures/other-documents), when a document's words change, in a press release
of another style, and in the graph beside the report's own numbered recommendations."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ofsted_kg import build, documents, iris
from ofsted_kg.extract import extract, stated_recommendations
from ofsted_kg.facts import RecommendationFact
from ofsted_kg.namespaces import OKG, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "fixtures" / "other-documents"
FIXTURES = sorted(FOLDER.glob("*.json"))
REPORT_2022 = ROOT / "seeds" / "004_2e199a0b395a00af.txt"  # Wolverhampton, ILACS, 28 March to 1 April 2022
# Documents whose extractor reads no inspection to tie the areas they state to (the reader still finds
# them). The focused visit's press release (112), dated by the day the visit began, is now read as a
# visit, and its two areas are tied to it.
NO_INSPECTION: set[str] = set()
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(QUOTES).split()).rstrip(".;").lower()


def recommendations(path: Path) -> list[RecommendationFact]:
    return [f for f in extract(documents.load(path)).facts if isinstance(f, RecommendationFact)]


def key(fact: RecommendationFact) -> tuple:
    return fact.number, fold(fact.text.value), fact.addressee


def assert_evidenced(text: str, fact: RecommendationFact) -> None:
    """The value is the document's own characters at its spans."""
    assert fold(" ".join(s.quote(text) for s in fact.text.spans)) == fold(fact.text.value)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_the_recommendations_read_by_hand(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    source = FOLDER / expected["file"]
    text = documents.load(source).text
    want = [(r["number"], fold(r["text"]), r["addressee"]) for r in expected["recommendations"]]
    if path.stem in NO_INSPECTION:
        assert recommendations(source) == []
        found = [(s.number, fold(s.span.quote(text)), s.addressee) for s in stated_recommendations.read(text)]
        assert found == want
        return
    facts = recommendations(source)
    assert sorted(map(key, facts), key=str) == sorted(want, key=str)  # every one, and nothing else
    for fact in facts:
        assert_evidenced(text, fact)


def test_a_numbered_list_s_words_and_numbers_are_followed(tmp_path):
    """Hackney's three areas for improvement, with the second reworded and swapped with the third."""
    source = FOLDER / "108_eacb5547f17dfa60.txt"
    text = source.read_text(encoding="utf-8")
    old = (
        "2. The consistency of the response that care leavers receive.\n"
        "3. The delivery and oversight of return home interviews when children go missing.\n"
    )
    new = (
        "2. The delivery and oversight of return home interviews when children go missing.\n"
        "3. The speed of the response that young carers receive.\n"
    )
    assert text.count(old) == 1
    copy = tmp_path / source.name
    copy.write_text(text.replace(old, new), encoding="utf-8")
    facts = recommendations(copy)
    assert [(f.number, f.text.value) for f in facts] == [
        (1, "The timely allocation of accommodation for care leavers."),
        (2, "The delivery and oversight of return home interviews when children go missing."),
        (3, "The speed of the response that young carers receive."),
    ]
    mutated = copy.read_text(encoding="utf-8")
    for fact in facts:
        assert_evidenced(mutated, fact)


def test_a_bulleted_list_is_followed_and_a_count_it_does_not_meet_leaves_it_out(tmp_path):
    source = FOLDER / "106_22006510dbea49f8.txt"
    text = source.read_text(encoding="utf-8")
    reworded = text.replace("- the quality and analysis of children's assessments;", "- the timeliness of reviews;")
    copy = tmp_path / source.name
    copy.write_text(reworded, encoding="utf-8")
    texts = [f.text.value for f in recommendations(copy)]
    assert "the timeliness of reviews" in texts and len(texts) == 5
    assert not any("analysis of children" in t for t in texts)
    # 'six areas' but five listed: not plainly the list the sentence speaks of.
    copy.write_text(reworded.replace("five areas still need attention", "six areas still need attention"), "utf-8")
    assert recommendations(copy) == []


def test_a_run_on_list_follows_its_count(tmp_path):
    """St Helens' five areas, run on in a sentence: one dropped and the count made four."""
    source = FOLDER / "102_900a755e19cdd569.txt"
    text = source.read_text(encoding="utf-8")
    changed = text.replace("five areas that still need to improve", "four areas that still need to improve").replace(
        " the stability of social workers for children;", ""
    )
    copy = tmp_path / source.name
    copy.write_text(changed, encoding="utf-8")
    assert [f.text.value for f in recommendations(copy)] == [
        "the response to children living with neglect",
        "how quickly pre-proceedings begin when they are needed",
        "the help given to homeless 16- and 17-year-olds",
        "the safeguarding of disabled children",
    ]


RUTLAND = """\
Press release

Released: Friday 14 March 2025

Oakwell Children's Trust welcomes Ofsted judgement

Oakwell Children's Trust, which delivers children's social care on behalf of Rutland County Council,
has been judged good overall by Ofsted following an inspection from 20 to 31 January 2025.

Inspectors praised the trust's early help offer and the stability of its social work teams.

Areas for improvement

* the timeliness of return home interviews for children who go missing
* the quality of pathway plans for care leavers aged 18 and over
* management oversight of children subject to child in need plans

Priya Halloran, Chief Executive of Oakwell Children's Trust, said: "We will publish our response in
the spring."

ENDS

Notes to editors
The trust was set up in 2019.
Media enquiries: press office, 01572 000000
"""


def test_an_unnumbered_list_under_a_heading_in_a_trust_s_press_release(tmp_path):
    path = tmp_path / "rutland-press-release.txt"
    path.write_text(RUTLAND, encoding="utf-8")
    facts = recommendations(path)
    assert [(f.number, f.addressee, f.text.value) for f in facts] == [
        (None, "council", "the timeliness of return home interviews for children who go missing"),
        (None, "council", "the quality of pathway plans for care leavers aged 18 and over"),
        (None, "council", "management oversight of children subject to child in need plans"),
    ]
    assert {(f.ref.council, f.ref.year) for f in facts} == {("E06000017", 2025)}
    for fact in facts:
        assert_evidenced(RUTLAND, fact)


PARAPHRASE = """\
Press release

Released: 24 May 2022

City of Wolverhampton Council children's services rated good by Ofsted

Children's services in Wolverhampton have been rated good by Ofsted after an inspection from 28 March
to 1 April 2022.

The report says the council should improve:

- how it keeps track of children missing from education
- the careers advice given to children in care

Media enquiries: City of Wolverhampton Council press office.

ENDS
"""


@pytest.fixture(scope="module")
def paraphrased(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paraphrase")
    release = folder / "wolverhampton-press-release.txt"
    release.write_text(PARAPHRASE, encoding="utf-8")
    return build.build([REPORT_2022, release])


def test_a_paraphrase_is_a_recommendation_of_its_own_beside_the_report_s_numbered_ones(paraphrased):
    g = paraphrased.graph
    inspection = iris.inspection("E08000031", 2022)
    mine = {
        r
        for r in set(g.subjects(RDF.type, OKG.Recommendation)) | set(g.subjects(RDF.type, OKG.AreaForImprovement))
        if (r, OKG.inspection, inspection) in g
    }
    numbered = {r for r in mine if g.value(r, OKG.number) is not None}
    stated = mine - numbered
    # The report's five points, each with its one text, and the release's two in their own words.
    assert len(numbered) == 5
    assert all(len(set(g.objects(r, SCHEMA.text))) == 1 for r in numbered)
    texts = {str(g.value(r, SCHEMA.text)): r for r in stated}
    assert set(texts) == {
        "how it keeps track of children missing from education",
        "the careers advice given to children in care",
    }
    for text, r in texts.items():
        assert r == iris.stated_recommendation(inspection, "la", text)
        assert re.search(r"/recommendation/la-stated-[0-9a-f]{12}$", str(r))
        assert len(set(g.objects(r, SCHEMA.text))) == 1 and (r, OKG.number, None) not in g
        assert (r, OKG.addressedTo, iris.council("E08000031")) in g
    assert not any((r, SCHEMA.text, Literal(t)) in g for r in numbered for t in texts)
    assert paraphrased.report.conforms


def test_a_stated_iri_is_its_words_not_its_place():
    inspection = URIRef(iris.inspection("E08000031", 2022))
    one = iris.stated_recommendation(inspection, "la", "The careers advice\n given to children")
    assert one == iris.stated_recommendation(inspection, "la", "the careers advice given to children")
    assert one != iris.stated_recommendation(inspection, "la", "the careers advice given to young people")
    assert str(one).startswith(f"{inspection}/recommendation/la-stated-")
    assert all(one != iris.recommendation(inspection, "la", n) for n in range(1, 30))
