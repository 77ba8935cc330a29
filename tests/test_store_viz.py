"""viz reads the graph folder's Oxigraph store, only what a view needs, and draws what the parsed Turtle gave."""

from __future__ import annotations

import json

import pytest

from ofsted_kg import store
from ofsted_kg.cli import EXIT_OK, EXIT_REJECTED, main
from ofsted_kg.viz import fetch, network, render

LEAD_INSPECTORS = """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
CONSTRUCT { ?i okg:leadInspector ?p ; okg:inspectedAuthority ?c . ?p a ?kind } WHERE {
  ?i okg:leadInspector ?p ; okg:inspectedAuthority ?c . ?p a ?kind }
"""


VIEWS = [(view, council, year) for view in ("services", "inspections") for council in (None, "E08000031", "E09999999") for year in (None, 2017, 2022)]  # fmt: skip


@pytest.mark.parametrize(("view", "council", "year"), VIEWS)
def test_views_from_the_store_are_the_views_of_the_whole_graph(built, parsed, view, council, year):
    found = store.open_store(built)
    fast = getattr(fetch, f"{view}_view")(found, council, year)
    slow = getattr(network, f"{view}_view")(parsed, council, year)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert list(fast.edges(data=True)) == list(slow.edges(data=True))
    if council == "E08000031" and year is None:  # the drawing too, once per view
        assert render.svg(fast, view) == render.svg(slow, view) and fast.number_of_nodes() > 10


def test_a_construct_query_drawn_from_the_store(built, parsed):
    from ofsted_kg.queries import parse_saved, run

    query = parse_saved("lead", LEAD_INSPECTORS)
    fast = fetch.construct_view(store.open_store(built), run(store.open_store(built), query).graph)
    slow = network.construct_view(parsed, parsed.query(LEAD_INSPECTORS).graph)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True)) and fast.number_of_nodes() >= 4
    assert list(fast.edges(data=True)) == list(slow.edges(data=True))


def test_viz_does_not_parse_the_turtle(tmp_path, capsys, monkeypatch, built):
    import rdflib

    def refuse(*args, **kwargs):
        raise AssertionError("the Turtle was parsed")

    for cls in (rdflib.Graph, rdflib.ConjunctiveGraph, rdflib.Dataset):
        monkeypatch.setattr(cls, "parse", refuse)
    query = tmp_path / "lead.rq"
    query.write_text(LEAD_INSPECTORS, encoding="utf-8")
    out, graph = str(tmp_path / "pictures"), str(built)
    assert (
        main(["viz", "services", "--graph", graph, "--out", out, "--format", "svg", "--format", "graphml"]) == EXIT_OK
    )
    assert main(["viz", "inspections", "--inspection", "2022", "--graph", graph, "--out", out]) == EXIT_OK
    assert main(["viz", "--query", str(query), "--graph", graph, "--out", out, "--format", "gexf"]) == EXIT_OK
    assert "Traceback" not in capsys.readouterr().err


def test_a_stale_store_is_made_again_with_a_message(tmp_path, capsys, seed_build):
    graph = tmp_path / "graph"
    store.write(seed_build, graph)
    mark = graph / store.STORE / store.STORE_MARK
    mark.write_text(json.dumps({**json.loads(mark.read_text()), "ofsted-kg": "0.0.0"}), encoding="utf-8")
    args = ["viz", "services", "--graph", str(graph), "--out", str(tmp_path / "v"), "--format", "graphml"]
    assert main(args) == EXIT_OK
    assert "another version of ofsted-kg (0.0.0): making it from" in capsys.readouterr().err
    assert main(args) == EXIT_OK
    assert capsys.readouterr().err == ""  # made once


def test_no_graph_is_one_line(tmp_path, capsys):
    assert main(["viz", "--graph", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no built graph here" in err


def test_the_query_guard_applies_to_viz(tmp_path, capsys, built):
    query = tmp_path / "remote.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }")
    assert main(["viz", "--query", str(query), "--graph", str(built), "--out", str(tmp_path)]) != EXIT_OK
    assert "SERVICE is refused" in capsys.readouterr().err
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p")
    assert main(["viz", "--query", str(query), "--graph", str(built), "--out", str(tmp_path)]) != EXIT_OK
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "malformed SPARQL" in err
