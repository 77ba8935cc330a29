"""People, their posts, and quotations, as the seed documents state them."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import ORG, RDF, RDFS

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.rdf.evidence import OFSTED

from conftest import NEWS_2017, NEWS_2022, PRESS_2017, SEEDS, diff
from helpers import of_class

PEOPLE = {
    "Alison Hinds", "Andy Waugh", "Beverley Momenabadi", "Darren Martindale", "Emma Bennett", "Helena Kucharczyk",
    "Julian Cunningham", "Linda Sanders", "Louise Haughton", "Nigel Parkes", "Rachel Warrender", "Val Gibson",
}  # fmt: skip


def _titles(g, name):
    return {str(t) for t in g.objects(iris.person(name), SCHEMA.jobTitle)}


def test_every_named_person_once_and_no_groups(seed_build):
    g = seed_build.graph
    assert {str(g.value(p, SCHEMA.name)) for p in of_class(g, SCHEMA.Person)} == PEOPLE
    assert len(of_class(g, SCHEMA.Person)) == len(PEOPLE)


def test_posts_and_organisations(seed_build):
    g = seed_build.graph
    council = iris.council("E08000031")
    cabinet_member = iris.post("E08000031", "Cabinet Member for Children and Young People")
    assert (iris.person("Val Gibson"), ORG.holds, cabinet_member) in g
    assert (iris.person("Beverley Momenabadi"), ORG.holds, cabinet_member) in g
    assert g.value(cabinet_member, ORG.postIn) == council
    # 'Strategic Director - People' (press release) and 'Strategic Director, People' (cabinet report): one post.
    director = iris.post("E08000031", "Strategic Director, People")
    assert set(g.objects(iris.person("Linda Sanders"), ORG.holds)) == {director}
    assert {str(x) for x in g.objects(director, RDFS.label)} == {
        "Strategic Director - People",
        "Strategic Director, People",
    }
    assert _titles(g, "Emma Bennett") == {"Service Director, Children and Young People"}
    assert _titles(g, "Alison Hinds") == {"deputy director of child welfare"}
    # Sources disagree on the 2022 lead inspector's title; both are kept.
    assert _titles(g, "Andy Waugh") == {"Her Majesty's Inspector", "Chief Inspector"}
    assert g.value(iris.post("ofsted", "Lead Inspector"), ORG.postIn) == OFSTED


def test_councillor_honorific_party_and_ward(seed_build):
    g = seed_build.graph
    p = iris.person("Beverley Momenabadi")
    assert g.value(p, SCHEMA.honorificPrefix) == Literal("Councilor")
    assert g.value(p, OKG.party) == Literal("Labour")
    assert g.value(p, OKG.ward) == Literal("Ettingshall")
    assert g.value(iris.person("Val Gibson"), SCHEMA.honorificPrefix) == Literal("Councillor")


def _quotes(g):
    out = {}
    for q in of_class(g, OKG.Quotation):
        creator = g.value(q, SCHEMA.creator)
        who = str(g.value(creator, SCHEMA.name) or g.value(creator, RDFS.label) or creator)
        out.setdefault(who, []).append(str(g.value(q, SCHEMA.text)))
    return out


def test_quotations_across_paragraphs_are_one():
    g = build([SEEDS / PRESS_2017]).graph
    quotes = _quotes(g)
    assert sorted(quotes) == ["Linda Sanders", "Nigel Parkes", "Val Gibson"]
    (gibson,) = quotes["Val Gibson"]
    assert gibson.startswith("This is a very positive report which not only recognises")
    assert "Strengthening Families Hubs." in gibson
    assert gibson.endswith("where we are not yet operating at as high a level as we could be.")
    (q,) = of_class(g, OKG.Quotation) & {
        q for q in of_class(g, OKG.Quotation) if "positive report" in str(g.value(q, SCHEMA.text))
    }
    assert str(g.value(g.value(q, OKG.speakerPost), RDFS.label)) == "Cabinet Member for Children and Young People"


def test_a_quotation_interrupted_by_a_link_goes_on():
    g = build([SEEDS / NEWS_2022]).graph
    quotes = _quotes(g)
    (momenabadi,) = quotes["Beverley Momenabadi"]
    assert momenabadi.startswith("This is another very positive assessment")
    assert momenabadi.endswith("the best possible start in life")
    assert "READ MORE" not in momenabadi
    (hinds,) = quotes["Alison Hinds"]
    assert hinds.endswith("one of only two boards that got \u2018good\u2019 in the WMCA.")


def test_quotations_of_the_report_and_of_the_council():
    g = build([SEEDS / NEWS_2017]).graph
    quotes = _quotes(g)
    assert sorted(quotes["https://w3id.org/ofsted-kg/id/org/ofsted"]) == [
        "Services have been reconfigured in such a way as to bring together... family workers with health visitors, "
        "midwives and social workers Parents told inspectors that it is making a difference to them and their families "
        "and that, increasingly, they are able to get the right help in the right way.",
        "The quality of analysis, assessments and plans... is variable Some children are not getting the help and "
        "support that they need quickly enough.",
    ]
    assert quotes["https://w3id.org/ofsted-kg/id/council/E08000031"] == ["identifying areas where can do better"]
    assert len(quotes["Val Gibson"]) == 1


def test_a_swapped_speaker_moves_the_quotation(seed_copy, seed_build):
    path = seed_copy / PRESS_2017
    path.write_text(
        path.read_text(encoding="utf-8").replace("Linda Sanders, the City", "Emma Bennett, the City"), encoding="utf-8"
    )
    after = build([seed_copy]).graph
    quotes = _quotes(after)
    assert quotes["Emma Bennett"][0].startswith("The areas where we need to improve")
    assert "Linda Sanders" not in quotes
    removed, added = diff(seed_build.graph, after)
    sanders, bennett = iris.person("Linda Sanders"), iris.person("Emma Bennett")
    assert {t for t in removed if t[1] == SCHEMA.creator} == {
        (t[0], SCHEMA.creator, sanders) for t in removed if t[1] == SCHEMA.creator
    }
    assert {o for _, p, o in added if p == SCHEMA.creator} == {bennett}


def test_people_who_share_a_surname_stay_two(seed_copy):
    path = seed_copy / PRESS_2017
    path.write_text(path.read_text(encoding="utf-8").replace("Linda Sanders", "Linda Gibson"), encoding="utf-8")
    g = build([seed_copy]).graph
    assert iris.person("Linda Gibson") != iris.person("Val Gibson")
    assert (iris.person("Linda Gibson"), RDF.type, SCHEMA.Person) in g
    assert "Strategic Director - People" in _titles(g, "Linda Gibson")
    assert "Strategic Director - People" not in _titles(g, "Val Gibson")


def test_words_quoted_in_a_list_the_speaker_introduces():
    g = build([SEEDS / PRESS_2017]).graph
    parkes = _quotes(g)["Nigel Parkes"]
    assert len(parkes) == 13
    assert "systematically driving improvements in services for children and families" in parkes
    assert "takes its responsibilities as a corporate parent very seriously" in parkes
    for q in of_class(g, OKG.Quotation):
        if str(g.value(q, SCHEMA.text)) in parkes:
            assert str(g.value(g.value(q, OKG.speakerPost), RDFS.label)) == "Lead Inspector"


def test_her_and_his_majestys_inspector_are_one_post():
    """The 2022 seed report's 'Her Majesty's Inspector' and Dudley 2023's 'His Majesty’s Inspector'
    (the title changed in September 2022, and the apostrophe differs) are one post of Ofsted's."""
    from conftest import FIXTURES, REPORT_2022

    g = build([SEEDS / REPORT_2022, FIXTURES / "reports" / "dudley_2023-01-13.txt"]).graph
    hmi = iris.post("ofsted", "hmi")
    assert {str(label) for label in g.objects(hmi, RDFS.label)} == {
        "Her Majesty's Inspector",
        "His Majesty\u2019s Inspector",
    }
    holders = {str(g.value(p, SCHEMA.name)) for p in g.subjects(ORG.holds, hmi)}
    assert holders == {"Andy Waugh", "John Roughton"}
    assert not [p for p in of_class(g, ORG.Post) if "majesty" in str(p)]


def test_the_people_of_a_committee_report_s_cover_sheet():
    """'Lead Member: Councillor …, Portfolio Holder for' + the post's next line; 'Report from: Name, Post';
    a label on its own line above the person: each cover sheet's roles give people and their posts."""
    from ofsted_kg import documents
    from ofsted_kg.extract import extract

    from conftest import FIXTURES

    def people(name):
        doc = documents.load(FIXTURES / "other-documents" / name)
        return {(f.name.value, f.post.value) for f in extract(doc).facts if type(f).__name__ == "PersonFact" and f.post}

    wakefield = people("110_8c6a9ff797cbb84c.txt")
    assert ("Margaret Isherwood-Blake", "Portfolio Holder for Children and Young People") in wakefield
    assert ("Alastair Quennell", "Interim Corporate Director, Children and Young People") in wakefield
    medway = people("114_1ee5cde192eca09e.txt")
    assert ("Rosamund Petrakis", "Director of Children and Adults Services") in medway
    assert ("Oliver Tamblyn", "Deputy Director, Children's Social Care") in medway
    hackney = people("108_eacb5547f17dfa60.txt")
    assert ("Anjali Threlfall-Osei", "Cabinet Member for Children's Social Care") in hackney
    assert ("Leonie Marchbank", "Group Director, Children and Education") in hackney


def test_he_after_a_named_speaker_and_a_council_spokesperson():
    """'He said: "..."' is the person the paragraph before names (no quotation of theirs before it); 'A
    Havering Council spokesperson said:' is the council speaking. Not 'he' where no one was named."""
    from ofsted_kg.extract import quotes
    from ofsted_kg.facts import Context

    text = (
        "The council met on Tuesday.\n\n"
        'She said: "These words have no speaker named before them at all."\n\n'
        "Councillor Dominic Ashworth-Pryce, leader of the opposition group, said the report made grim reading.\n\n"
        'He said: "This is a betrayal of the borough\'s children and nobody can tell me otherwise."\n\n'
        'A Havering Council spokesperson said: "We accept the findings of this report in full."\n'
    )
    found = {
        q.text.value: (q.speaker.value, q.speaker_kind)
        for q in quotes.extract(text, Context("E09000016", None, None), [])
    }
    assert found == {
        "This is a betrayal of the borough's children and nobody can tell me otherwise.": (
            "Dominic Ashworth-Pryce",
            "person",
        ),
        "We accept the findings of this report in full.": ("A Havering Council spokesperson", "council"),
    }


def test_a_name_also_written_in_an_email_address_and_cover_sheet_labels_name_people():
    """A name whose words the text writes in lower case only in an address ('tamsin.okafor-reeve@...') is
    still a name; 'Responsible Officer:', 'Contact Officer: Name:', 'Lawyer Consulted:' label people."""
    from ofsted_kg.extract import people, people_lines
    from ofsted_kg.facts import Context

    text = (
        "Responsible Officer:       Marcus Everleigh-Stone, Corporate Director, People\n"
        "Contact Officer:     Name: Alasdair Brinkworth     Tel: 01273 000000\n"
        "Lawyer Consulted: Hannah Trevithick                    Date: 30/06/15\n\n"
        "By Tamsin Okafor-Reeve\n"
        "tamsin.okafor-reeve@example.co.uk\n\n"
        "The report was considered by the committee.\n"
    )
    context = Context("E06000043", None, None)
    found = people.extract(text, context)
    found += people_lines.extract(text, context, found)
    names = {p.name.value: (p.post.value if p.post else None) for p in found}
    assert names == {
        "Marcus Everleigh-Stone": "Corporate Director, People",
        "Alasdair Brinkworth": None,
        "Hannah Trevithick": None,
        "Tamsin Okafor-Reeve": None,
    }


def test_reporters_ways_of_attributing_a_quotation():
    """How news stories attribute words, each read for the person it names: '"...," she said.' in a
    paragraph of its own after the one naming her; a surname alone ('Okonedo-Price said'), for the one
    person the story gave it; 'she' after her surname earlier in the paragraph; reported speech quoting
    words ('wrote that children "..."'); words in plain single marks after 'said:', where an apostrophe
    ("parents' views") does not end them. A post between commas names a person whatever verb follows."""
    from ofsted_kg.extract import people, quotes
    from ofsted_kg.facts import Context

    text = (
        "When I met Tamsin Okonedo-Price, the council's director of children's services, she was candid.\n\n"
        '"We lost two good years to agency churn, and families noticed it," she said.\n\n'
        "The front door was rebuilt in 2022.\n\n"
        '"Now a call gets one social worker from start to finish," Okonedo-Price said.\n\n'
        'Okonedo-Price does not hide from that. "We were told to do better, and we have," she said.\n\n'
        'Lead inspector Harriet Quennell wrote that children "are seen quickly by workers who know them".\n\n'
        "Councillor Idris Fairbairn-Lowe, cabinet member for children, said: 'Parents' views shaped this "
        "plan from the first day, and they will judge it.'\n"
    )
    context = Context("E09000016", None, None)
    persons = people.extract(text, context)
    assert ("Tamsin Okonedo-Price", "director of children's services") in {
        (p.name.value, p.post.value if p.post else None) for p in persons
    }
    found = {q.text.value: q.speaker.value for q in quotes.extract(text, context, persons)}
    for quotation in found:
        assert " ".join(quotation.split()) in " ".join(text.split())
    assert found == {
        "We lost two good years to agency churn, and families noticed it": "Tamsin Okonedo-Price",
        "Now a call gets one social worker from start to finish": "Tamsin Okonedo-Price",
        "We were told to do better, and we have": "Tamsin Okonedo-Price",
        "are seen quickly by workers who know them": "Harriet Quennell",
        "Parents' views shaped this plan from the first day, and they will judge it.": "Idris Fairbairn-Lowe",
    }


def test_an_attendance_list_and_words_that_are_no_names():
    """'Craig Moorhouse (CM) - Assistant Director, Help and Protection': the initials say where the name
    starts (not at 'Detective Superintendent'); the post may go on over an indented line; '(for item 4)' is
    no part of it. 'Chief Officers' is a post's word in the plural, not a person. Words plain-quoted after a
    colon in an Ofsted report ('parents who spoke to inspectors said: ...') are the parents', not Ofsted's."""
    from ofsted_kg.extract import people, people_lines, quotes, quotes_reported
    from ofsted_kg.facts import Context

    text = (
        "Board members present\n"
        "Professor Gilda Marwick (GM) - Independent Chair\n"
        "Detective Superintendent Marcus Rowell (MR) - Head of Public Protection, Anyshire\n"
        "    Constabulary\n"
        "Bettina Shawcross (BS) - Head of Service, Care Leavers (for item 4)\n\n"
        "90. Collaboration between Chief Officers, the Leader of the Council, the chair and others is strong.\n\n"
        "Parents who spoke to inspectors said of the service: 'our lives have turned around\u2019, 'it stopped "
        "things getting out of control'.\n"
    )
    context = Context("E06000006", None, None)
    found = people.extract(text, context)
    found += people_lines.extract(text, context, found)
    posts = {p.name.value: p.post.value for p in found if p.post}
    assert posts == {
        "Gilda Marwick": "Independent Chair",
        "Marcus Rowell": "Head of Public Protection, Anyshire Constabulary",
        "Bettina Shawcross": "Head of Service, Care Leavers",
    }
    said = quotes.extract(text, context, found)
    assert [q.speaker.value for q in said + quotes_reported.extract(text, context, found, said)] == []


def test_a_speaker_named_with_a_post_after_the_words_and_a_clause_that_is_no_post():
    """'"...," Councillor Jo Smith, the council's lead member, told the agency.'; a fully quoted paragraph with
    its own 'he said' is not the quotation before it going on; 'Jo Smith, who leads the opposition group, said'
    names a person with no post."""
    from ofsted_kg.extract import people, quotes
    from ofsted_kg.facts import Context

    text = (
        '"We are not going to dress this up, and we never will," Councillor Nasrin Akhtar-Wilde, the '
        "council's executive member for children, told the agency.\n\n"
        'The local MP, Owen Tattersfield, said he was "angry but not surprised".\n\n'
        '"Families have told me this for two years and more," he said. "Ofsted has now confirmed it."\n\n'
        "Lorna Haigh-Bradfield, who leads the opposition group, said the council had failed.\n"
    )
    context = Context("E08000032", None, None)
    persons = people.extract(text, context)
    assert {(p.name.value, p.post.value if p.post else None) for p in persons} >= {
        ("Nasrin Akhtar-Wilde", "executive member for children"),
        ("Lorna Haigh-Bradfield", None),
    }
    assert not [p for p in persons if p.post and p.post.value.startswith("who")]
    found = [(q.text.value, q.speaker.value) for q in quotes.extract(text, context, persons)]
    assert found[0] == ("We are not going to dress this up, and we never will", "Nasrin Akhtar-Wilde")
    assert ("angry but not surprised", "Owen Tattersfield") in found
    assert [s for t, s in found if t.startswith("Families")] == ["Owen Tattersfield"]
