"""export reads the graph folder's Oxigraph store, not the Turtle, and gives what parsing the Turtle gave."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, Literal

from ofsted_kg import export, store
from ofsted_kg.cli import EXIT_OK, EXIT_REJECTED, main
from ofsted_kg.namespaces import OKG

from conftest import REPORT_2022

REPORT_IRI = "https://w3id.org/ofsted-kg/id/document/ab015ece3fcd907c"


def _parsed_named(path) -> dict:
    """The named graphs as export read them before: the TriG, parsed by rdflib."""
    dataset = Dataset()
    dataset.parse(path, format="trig")
    return {
        g.identifier: set(g) for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier
    }


def _union(graphs) -> Graph:
    union = Graph()
    for triples in graphs:
        for triple in triples:
            union.add(triple)
    return union


WRITERS = {"turtle": export.turtle, "nt": export.ntriples, "jsonld": export.jsonld}


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig"])
def test_export_gives_what_the_parsed_turtle_gave(capsys, built, parsed, fmt):
    named = _parsed_named(built / store.NAMED)
    expected = export.trig(named) if fmt == "trig" else WRITERS[fmt](parsed)
    assert main(["export", "--format", fmt, "--graph", str(built)]) == EXIT_OK
    assert capsys.readouterr().out == expected
    one = {name: g for name, g in named.items() if (name, OKG.fileName, Literal(REPORT_2022)) in g}
    assert len(one) == 1
    expected = export.trig(one) if fmt == "trig" else WRITERS[fmt](_union(one.values()))
    for document in (REPORT_2022, REPORT_IRI):
        assert main(["export", "--format", fmt, "--document", document, "--graph", str(built)]) == EXIT_OK
        assert capsys.readouterr().out == expected


def test_export_of_a_file_reads_it_whole(capsys, built):
    """A .trig file is the merged graph of its named graphs; a .ttl file has no named graphs."""
    assert main(["export", "--format", "nt", "--graph", str(built)]) == EXIT_OK
    whole = capsys.readouterr().out
    for name in (store.NAMED, store.MERGED):
        assert main(["export", "--format", "nt", "--graph", str(built / name)]) == EXIT_OK
        assert capsys.readouterr().out == whole
    assert main(["export", "--format", "trig", "--graph", str(built / store.MERGED)]) == EXIT_OK
    assert capsys.readouterr().out == export.trig({})
    assert main(["export", "--document", REPORT_2022, "--graph", str(built / store.MERGED)]) == EXIT_REJECTED
    assert "no document" in capsys.readouterr().err


def test_n_triples_with_control_characters(tmp_path, capsys):
    """Oxigraph writes \\u0001 where export.ntriples writes the character itself: the command gives the latter."""
    from rdflib import URIRef

    triples = {
        (URIRef("https://example.org/a"), URIRef("https://example.org/says"), Literal("bell\x07 and \\u0041")),
        (URIRef("https://example.org/a"), URIRef("https://example.org/says"), Literal("tab\tand\x7f")),
    }
    (tmp_path / store.MERGED).write_text(export.turtle(triples), encoding="utf-8")
    (tmp_path / store.NAMED).write_text(export.trig({URIRef("https://example.org/g"): triples}), encoding="utf-8")
    store.write_store(tmp_path)
    assert main(["export", "--format", "nt", "--graph", str(tmp_path)]) == EXIT_OK
    assert capsys.readouterr().out == export.ntriples(triples)


def test_export_does_not_parse_the_turtle(capsys, monkeypatch, built):
    import rdflib

    def refuse(*args, **kwargs):
        raise AssertionError("the Turtle was parsed")

    for cls in (rdflib.Graph, rdflib.ConjunctiveGraph, rdflib.Dataset):
        monkeypatch.setattr(cls, "parse", refuse)
    for fmt in ("turtle", "nt", "jsonld", "trig"):
        assert main(["export", "--format", fmt, "--graph", str(built)]) == EXIT_OK
        assert main(["export", "--format", fmt, "--document", REPORT_2022, "--graph", str(built)]) == EXIT_OK
    assert "Traceback" not in capsys.readouterr().err


def test_a_stale_store_is_made_again_with_a_message(tmp_path, capsys, seed_build, built):
    graph = tmp_path / "graph"
    store.write(seed_build, graph)
    mark = graph / store.STORE / store.STORE_MARK
    mark.write_text(json.dumps({**json.loads(mark.read_text()), "ofsted-kg": "0.0.0"}), encoding="utf-8")
    assert main(["export", "--format", "nt", "--graph", str(graph)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "another version of ofsted-kg (0.0.0): making it from" in captured.err
    assert main(["export", "--format", "nt", "--graph", str(built)]) == EXIT_OK
    assert capsys.readouterr().out == captured.out


def test_no_graph_is_one_line(tmp_path, capsys):
    assert main(["export", "--graph", str(tmp_path / "nowhere")]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no built graph here" in err


def test_a_folder_whose_store_cannot_be_written(tmp_path, capsys, monkeypatch, seed_build, built):
    """Its files are read in memory, the named graphs too: the export is the same."""
    graph = tmp_path / "graph"
    store.write(seed_build, graph)
    (graph / store.STORE / store.STORE_MARK).unlink()

    def refuse(out_dir):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store, "write_store", refuse)
    for args in (["--format", "trig"], ["--format", "nt", "--document", REPORT_2022]):
        assert main(["export", *args, "--graph", str(built)]) == EXIT_OK
        expected = capsys.readouterr().out
        assert main(["export", *args, "--graph", str(graph)]) == EXIT_OK
        captured = capsys.readouterr()
        assert captured.out == expected
        assert "cannot write the store (Permission denied); reading ofsted-kg.ttl and ofsted-kg.trig" in captured.err
