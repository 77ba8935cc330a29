"""One resource per person: one name is one person, unless the texts give people of that name to two
organisations; the same inspector with and without 'HMI' is one."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF

from ofsted_kg import iris
from ofsted_kg.build import build
from ofsted_kg.namespaces import OKG, SCHEMA

from conftest import REPORT_2022


def test_an_inspector_and_a_council_officer_of_one_name_are_two_people(seed_copy):
    """The 2022 report's lead inspector renamed to the council's Strategic Director of the press release:
    an Ofsted inspector and the council's officer, two people of one name."""
    report = seed_copy / REPORT_2022
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("Lead inspector: Andy Waugh", "Lead inspector: Linda Sanders"), encoding="utf-8")
    g = build([seed_copy]).graph
    inspector, officer = iris.person("Linda Sanders", "ofsted"), iris.person("Linda Sanders", "E08000031")
    assert g.value(iris.inspection("E08000031", 2022), OKG.leadInspector) == inspector
    assert (inspector, RDF.type, SCHEMA.Person) in g and (officer, RDF.type, SCHEMA.Person) in g
    assert "Strategic Director - People" in {str(t) for t in g.objects(officer, SCHEMA.jobTitle)}
    assert not any("Strategic" in str(t) for t in g.objects(inspector, SCHEMA.jobTitle))
    assert (iris.person("Linda Sanders"), RDF.type, SCHEMA.Person) not in g


def test_one_name_with_one_organisation_is_one_person(seed_build):
    """Val Gibson: the council's cabinet member in the press release, the news article and the cabinet paper
    (which gives no organisation for one mention): one person, under the name alone."""
    g = seed_build.graph
    gibson = iris.person("Val Gibson")
    assert (gibson, RDF.type, SCHEMA.Person) in g
    assert not [s for s in g.subjects(RDF.type, SCHEMA.Person) if str(s).startswith(str(gibson) + "--")]


def test_the_same_inspector_with_and_without_hmi_is_one_person(seed_copy):
    report = seed_copy / REPORT_2022
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("Lead inspector: Andy Waugh,", "Lead inspector: Andy Waugh HMI,"), encoding="utf-8")
    g = build([seed_copy]).graph
    waugh = iris.person("Andy Waugh")
    assert g.value(iris.inspection("E08000031", 2022), OKG.leadInspector) == waugh
    assert set(g.objects(waugh, SCHEMA.name)) == {Literal("Andy Waugh")}
