"""The SHACL engine on Oxigraph (ofsted_kg.shacl) reports what pySHACL reports.

pySHACL is the reference: on a graph with a fault of every constraint kind the engine compiles, and on
the project's shape fixtures (valid.ttl and each invalid/*.ru), both give the same results: focus node,
path, value, constraint component, shape and severity, and the same message wherever the shape gives
one (where it does not, each engine words its own).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ofsted_kg import shacl
from ofsted_kg.errors import ShapesError
from ofsted_kg.validate import run_shacl, shapes

from conftest import FIXTURES
from helpers import shape_fixture_graph

ENGINES = FIXTURES / "shacl-engines"
SHAPES = FIXTURES / "shapes"


def _key(raw) -> tuple:
    value = raw.value.n3() if raw.value is not None else None
    return (raw.severity, str(raw.focus), str(raw.path), value, raw.component, raw.shape, raw.inverse)


def _store(graph: Graph, named: bool = False) -> ox.Store:
    store = ox.Store()
    fmt = ox.RdfFormat.N_QUADS if named else ox.RdfFormat.N_TRIPLES
    text = graph.serialize(format="nt")
    if named:  # each triple in a graph of its own, twice over: the union must count each value once
        lines = [line for line in text.splitlines() if line.strip()]
        text = "".join(f"{line[:-1]} <http://example.org/g{i % 3}> .\n" for i, line in enumerate(lines * 2))
    store.load(text.encode("utf-8"), format=fmt)
    return store


def _oxigraph(store: ox.Store, shapes_graph: Graph, union: bool = False) -> list:
    return shacl.validate(store, union=union, compiled=shacl.compile_shapes(shapes_graph))


@pytest.fixture(scope="module")
def every_kind():
    shapes_graph = Graph().parse(ENGINES / "shapes.ttl")
    data = Graph().parse(ENGINES / "data.ttl")
    return shapes_graph, data


def test_a_fault_of_every_constraint_kind_is_reported_alike(every_kind):
    shapes_graph, data = every_kind
    reference = {_key(r) for r in run_shacl(data, shapes_graph)}
    ours = {_key(r) for r in _oxigraph(_store(data), shapes_graph)}
    assert ours == reference
    # The fixture breaks every kind of constraint the engine compiles, so that the comparison covers it.
    compiled = {c.component for c in shacl.compile_shapes(shapes_graph)}
    assert compiled == {k[4] for k in reference}
    assert len(compiled) >= 16


def test_the_union_of_named_graphs_is_checked_as_one_graph(every_kind):
    shapes_graph, data = every_kind
    plain = sorted(map(_key, _oxigraph(_store(data), shapes_graph)))
    assert sorted(map(_key, _oxigraph(_store(data, named=True), shapes_graph, union=True))) == plain


def test_the_fault_free_nodes_conform(every_kind):
    shapes_graph, data = every_kind
    focused = {str(r.focus) for r in _oxigraph(_store(data), shapes_graph)}
    assert "http://example.org/good" not in focused and "http://example.org/bad" in focused


def _fixture_graph(update=None) -> Graph:
    return shape_fixture_graph(SHAPES, update)


@pytest.mark.parametrize("fixture", ["valid"] + sorted(p.stem for p in (SHAPES / "invalid").glob("*.ru")))
def test_the_project_shapes_give_the_same_results(fixture):
    graph = _fixture_graph(None if fixture == "valid" else SHAPES / "invalid" / f"{fixture}.ru")
    reference = run_shacl(graph, shapes())
    ours = shacl.validate(_store(graph))
    assert {_key(r) for r in ours} == {_key(r) for r in reference}
    defaults = {c.message for c in shacl.checks() if not c.given}
    messages = {_key(r): r.message for r in reference}
    for raw in ours:
        if raw.message not in defaults:  # the shape's own message
            assert raw.message == messages[_key(raw)]
    if fixture != "valid":
        assert ours, "an invalid fixture that breaks nothing compares nothing"


def test_a_constraint_the_engine_does_not_know_is_refused():
    shapes_graph = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:hasValue ex:v ] .""",
        format="turtle",
    )
    with pytest.raises(ShapesError, match="hasValue"):
        shacl.compile_shapes(shapes_graph)
