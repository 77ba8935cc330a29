"""The build's files, made by several workers: the bytes export.trig and export.turtle give for the same
graphs, whatever the number of workers, and subjects that several graphs describe merged line by line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ofsted_kg import export, graph_text
from ofsted_kg.build import build
from ofsted_kg.graph import build_dataset

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def read():
    result = build([SEEDS])
    return [(e.document, e.extraction) for e in result.entries]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_the_files_are_what_the_writers_give_for_the_whole_graph(read, tmp_path, workers):
    graphs = build_dataset(read).graphs
    union = {t for triples in graphs.values() for t in triples}
    trig, turtle = tmp_path / "g.trig", tmp_path / "g.ttl"
    summary, notes = graph_text.write(read, trig, turtle, workers)
    assert trig.read_text(encoding="utf-8") == export.trig(graphs)
    assert turtle.read_text(encoding="utf-8") == export.turtle(union)
    assert summary.triples == len(union)
    assert notes == [(doc.iri, note) for doc, note in build_dataset(read).notes]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.trig", "g.ttl"]  # the workers' files are gone


def test_a_subject_of_several_graphs_is_merged_from_its_written_lines(tmp_path):
    ex = "https://w3id.org/ofsted-kg/id/council/X"
    s, p = URIRef(ex), URIRef("http://example.org/p,q")
    odd = [
        Literal('a "quoted", listed value, with\nbreaks \\ and a tab\t'),
        Literal("Town, County", lang="en-GB"),
        Literal("2024-01-02", datatype=XSD.date),
        Literal(3),
        Literal(True),
        URIRef("http://example.org/a,b"),
        Literal(", "),
    ]
    graphs = {
        "https://w3id.org/ofsted-kg/id/document/1": {(s, RDF.type, URIRef("http://example.org/C"))}
        | {(s, p, o) for o in odd[:4]},
        "https://w3id.org/ofsted-kg/id/document/2": {(s, p, o) for o in odd[3:]} | {(s, RDFS.label, Literal("X"))},
    }
    parts, sources = [], []
    for name, triples in graphs.items():
        out = io.BytesIO()
        parts.append(graph_text._write_part([(name, triples)], out))
        sources.append(out.getvalue())
    count = graph_text._write_turtle(parts, sources, tmp_path / "g.ttl")
    union = set().union(*graphs.values())
    assert (tmp_path / "g.ttl").read_text(encoding="utf-8") == export.turtle(union)
    assert count == len(union) == 9


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_two_files_of_the_same_content_are_one_graph_as_before(tmp_path, workers):
    import shutil

    first = sorted(p for p in SEEDS.iterdir() if p.is_file())[0]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(first, tmp_path / folder / f"{folder}-{first.name}")
    result = build([tmp_path / "a", tmp_path / "b"], workers=1)
    read = [(e.document, e.extraction) for e in result.entries]
    assert len(read) == 2 and read[0][0].iri == read[1][0].iri
    graphs = build_dataset(read).graphs  # the last file's graph, as the pipeline always made it
    union = {t for triples in graphs.values() for t in triples}
    out = tmp_path / "out"
    out.mkdir()
    summary, _ = graph_text.write(read, out / "g.trig", out / "g.ttl", workers)
    assert (out / "g.trig").read_text(encoding="utf-8") == export.trig(graphs)
    assert (out / "g.ttl").read_text(encoding="utf-8") == export.turtle(union)
    assert summary.triples == len(union)
