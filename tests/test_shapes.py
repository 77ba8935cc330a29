"""Each SHACL shape accepts a conforming graph and rejects a graph broken for it."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SH

from ofsted_kg.validate import shapes, validate

from conftest import FIXTURES
from helpers import shape_fixture_graph

SHAPES_DIR = FIXTURES / "shapes"
OKGSH = Namespace("https://w3id.org/ofsted-kg/shapes#")
NODE_SHAPES = sorted({str(s).rsplit("#", 1)[-1] for s in shapes().subjects(SH.targetClass, None)})


def _fixture_graph(update=None) -> Graph:
    return shape_fixture_graph(SHAPES_DIR, update)


FAILING = sorted(p.stem for p in (SHAPES_DIR / "invalid").glob("*.ru"))


def test_every_shape_has_a_failing_fixture():
    # invalid/<Shape>.ru, and more cases as invalid/<Shape>--<case>.ru
    assert sorted({stem.split("--")[0] for stem in FAILING}) == NODE_SHAPES


def test_the_valid_fixture_conforms_to_every_shape():
    report = validate(_fixture_graph())
    assert report.results == ()


def test_the_valid_fixture_is_a_target_of_every_shape():
    graph = _fixture_graph()
    for shape, cls in shapes().subject_objects(SH.targetClass):
        assert (None, RDF.type, cls) in graph, f"valid.ttl has no target of {shape} ({cls})"


@pytest.mark.parametrize("fixture", FAILING)
def test_each_failing_fixture_breaks_its_shape(fixture):
    shape = fixture.split("--")[0]
    report = validate(_fixture_graph(SHAPES_DIR / "invalid" / f"{fixture}.ru"))
    if (OKGSH[shape], SH.severity, SH.Warning) in shapes():
        # A disagreement between sources: reported, but the graph still conforms.
        assert report.conforms and shape in {r.shape for r in report.warnings}, report.text()
    else:
        assert not report.conforms
        assert shape in {r.shape for r in report.violations}, report.text()


def test_leads_one_document_names_together_do_not_disagree(tmp_path):
    # The failing fixture's other lead, named by the first document too: three co-leads, no warning.
    update = (SHAPES_DIR / "invalid" / "InspectionLeadsAgreeShape.ru").read_text(encoding="utf-8")
    together = tmp_path / "together.ru"
    together.write_text(update.replace("oa:hasSource ex:news-doc", "oa:hasSource ex:doc"), encoding="utf-8")
    assert "ex:doc ." in together.read_text(encoding="utf-8")
    report = validate(_fixture_graph(together))
    assert report.conforms and "InspectionLeadsAgreeShape" not in {r.shape for r in report.warnings}
