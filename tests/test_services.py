"""Services, teams and boards named in the seed documents, and the relations their sentences state."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDFS, SKOS

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.extract.services import is_acronym, key
from ofsted_kg.namespaces import GROUP, OKG, PROFESSION, SCHEMA, SERVICE_KIND

from conftest import REPORT_2022, diff
from helpers import of_class


def service(name: str):
    return iris.service("E08000031", key(name))


def labels(g, node) -> set[str]:
    return {str(x) for x in g.objects(node, RDFS.label)}


def test_names_written_differently_are_one_service(seed_build):
    g = seed_build.graph
    mash = service("Multi-Agency Safeguarding Hub")
    # The cabinet report, the press release ('Multi Agency') and the 2022 report ('MASH') name one hub.
    assert labels(g, mash) >= {"Multi-Agency Safeguarding Hub", "Multi Agency Safeguarding Hub", "MASH"}
    assert g.value(mash, OKG.serviceKind) == SERVICE_KIND.hub
    hubs = service("Strengthening Families Hubs")
    assert labels(g, hubs) == {
        "Strengthening Families Hubs",
        "Strengthening Families hubs",
        "strengthening family hubs",
    }
    assert key("Care Leavers\u2019 Forum") == key("care leavers forum")


def test_abbreviations_are_aliases_when_they_are_the_initials(seed_build):
    g = seed_build.graph
    assert Literal("CiCC") in set(g.objects(service("Children in Care Council"), SKOS.altLabel))
    assert Literal("MARAC") in set(g.objects(service("Multi-Agency Risk Assessment Conference"), SKOS.altLabel))
    assert is_acronym("Cafcass", "Children and Family Court Advisory and Support Service")
    assert not is_acronym("MASH24", "multi-agency safeguarding hub")


def test_mash24_is_a_service_of_its_own_that_combines_mash_and_the_emergency_duty_team(seed_build):
    g = seed_build.graph
    mash24 = service("MASH24")
    assert mash24 != service("Multi-Agency Safeguarding Hub")
    assert set(g.objects(mash24, OKG.combines)) == {
        service("Multi-Agency Safeguarding Hub"),
        service("emergency duty team"),
    }
    assert g.value(mash24, OKG.serviceKind) == SERVICE_KIND.hub


def test_brings_together_and_serves(seed_build):
    g = seed_build.graph
    hubs = service("Strengthening Families Hubs")
    assert set(g.objects(hubs, OKG.bringsTogether)) == {
        PROFESSION["early-intervention-worker"], PROFESSION["social-worker"], PROFESSION.midwife, PROFESSION["health-visitor"]
    }  # fmt: skip
    assert GROUP["in-care"] in set(g.objects(service("virtual school"), OKG.serves))


def test_services_that_work_together(seed_build):
    g = seed_build.graph
    collective = service("care leavers independent collective")
    assert service("Children in Care Council") in set(g.objects(collective, OKG.worksWith))


def test_the_board_is_one_node_however_named(seed_build):
    g = seed_build.graph
    board = iris.safeguarding_board("E08000031")
    assert {"Wolverhampton Safeguarding Children Board", "Local Safeguarding Children Board"} <= labels(g, board)
    assert g.value(board, OKG.serviceKind) == SERVICE_KIND.board


def test_findings_that_mention_services(seed_build):
    g = seed_build.graph
    mentioning = {f for f in of_class(g, OKG.Finding) if service("MASH24") in set(g.objects(f, OKG.mentions))}
    assert len(mentioning) >= 3
    assert all("MASH24" in str(g.value(f, SCHEMA.text)) for f in mentioning)


def test_no_council_department_or_person_is_a_service(seed_build):
    g = seed_build.graph
    names = {str(label).lower() for s in of_class(g, OKG.Service) for label in g.objects(s, RDFS.label)}
    folded = {n.replace("\u2019", "'") for n in names}
    assert not {n for n in folded if n.endswith("children's services") or n.endswith("social services")}
    assert not {n for n in folded if "heads of service" in n}
    assert "wolverhampton" not in " ".join(n for n in names if "safeguarding children" not in n)


def test_an_invented_service_sentence_of_the_same_form(seed_copy, seed_build):
    path = seed_copy / REPORT_2022
    text = path.read_text(encoding="utf-8")
    sentence = (
        "The family support panel (FSP24), which is a combined Family Support Panel and Youth Offending Team, "
        "meets weekly. "
    )
    # Into the report's opening summary, which holds no other fact.
    anchor = "While the COVID-19 pandemic has presented"
    path.write_text(text.replace(anchor, sentence + anchor, 1), encoding="utf-8")
    after = build([seed_copy]).graph
    fsp24 = service("FSP24")
    assert set(after.objects(fsp24, OKG.combines)) == {service("Family Support Panel"), service("Youth Offending Team")}
    assert after.value(service("Youth Offending Team"), OKG.serviceKind) == SERVICE_KIND.team
    removed, added = diff(seed_build.graph, after)
    new = {service("FSP24"), service("Family Support Panel"), service("Youth Offending Team")}
    assert all(s in new or o in new for s, p, o in added), added
    assert removed == set()


def test_a_names_kind_is_that_of_the_longest_head_word_that_ends_it():
    # services._kind finds it by the name's endings; the definition, read plainly, is this loop.
    from ofsted_kg.extract import services
    from ofsted_kg.text import squash

    heads = services._patterns().heads  # longest first

    def defined(name):
        folded = squash(name.lower())
        return next((kind for head, kind in heads if folded.endswith(" " + head) or folded == head), None)

    words = ["the", "Local", "Safeguarding", "Children", "Board", "  ", "x", *sorted({h for h, _ in heads})]
    names = [" ".join(words[(i * 7 + j * 3) % len(words)] for j in range(1 + i % 5)) for i in range(3000)]
    names += [head.upper() for head, _ in heads] + ["", " ", "Board", "a board", "boardroom"]
    assert [services._kind(n) for n in names] == [defined(n) for n in names]
    assert sum(defined(n) is not None for n in names) > 500  # (names with a kind, and names without)
