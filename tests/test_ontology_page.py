"""docs/ontology.html is made from the ontology and shapes by docs/make_ontology_page.py, and cannot drift
from them: the committed page is what the script writes now."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from ofsted_kg.namespaces import OKG

from conftest import ROOT

SCRIPT = ROOT / "docs" / "make_ontology_page.py"
PAGE = ROOT / "docs" / "ontology.html"


@pytest.fixture(scope="module")
def maker():
    spec = importlib.util.spec_from_file_location("make_ontology_page", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ROOT / "ontology" / "ofsted-kg.ttl", format="turtle")
    graph.parse(ROOT / "ontology" / "schemes.ttl", format="turtle")
    return graph


def test_the_committed_page_is_the_one_the_script_writes(maker, tmp_path):
    out = tmp_path / "ontology.html"
    assert maker.main([str(out)]) == 0
    assert out.read_bytes() == PAGE.read_bytes(), "run: python docs/make_ontology_page.py"


def test_the_page_is_the_same_whatever_the_hash_seed(tmp_path):
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"page-{seed}.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True, env=env)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_every_class_property_and_scheme_has_a_section(ontology):
    page = PAGE.read_text(encoding="utf-8")
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    properties = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ontology.subjects(RDF.type, kind)}
    assert OKG.Judgement in classes and len(classes) > 20 and len(properties) > 60
    missing = [
        c for c in sorted(classes) if f'<section id="class-{c.removeprefix(str(OKG))}" class="term">' not in page
    ]
    missing += [
        p for p in sorted(properties) if f'<section id="property-{p.removeprefix(str(OKG))}" class="term">' not in page
    ]
    assert missing == []
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        assert f"<code>{scheme}</code>" in page


def test_a_class_section_has_its_definition_properties_and_shape_constraints():
    page = PAGE.read_text(encoding="utf-8")
    section = page[page.index('<section id="class-Judgement"') :]
    section = section[: section.index("</section>")]
    assert "A graded judgement of one area of an inspection" in section  # definition
    assert '<code title="http://www.w3.org/ns/prov#Entity">prov:Entity</code>' in section  # superclass
    assert '<a href="#property-grade"><code>okg:grade</code></a>' in section  # domain of
    assert "okgsh:JudgementShape" in section
    # okg:area: exactly one, a judgement area, with the shape's message
    assert (
        '<tr><td><code>okg:area</code></td><td>1</td><td>1</td><td>class <a href="#class-JudgementArea">'
        "<code>okg:JudgementArea</code></a></td><td></td><td>Violation</td><td>must judge exactly one judgement area</td></tr>"
    ) in section
