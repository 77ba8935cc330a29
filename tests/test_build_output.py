"""graph/ output: deterministic bytes, one named graph per document, atomic writes, a readable summary."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ofsted_kg import store
from ofsted_kg.cli import EXIT_INVALID, EXIT_OK, EXIT_REJECTED, main
from ofsted_kg.graph import REFERENCE_GRAPH
from ofsted_kg.preferences import PREFERRED_GRAPH

from conftest import ROOT, SEEDS


def _build_in_process(out, seed):
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    proc = subprocess.run(
        [sys.executable, "-m", "ofsted_kg", "build", str(SEEDS), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_inputs_give_byte_identical_files(tmp_path):
    first = _build_in_process(tmp_path / "a", 1)
    second = _build_in_process(tmp_path / "b", 2)
    # The graph, and the cache of what was read that `add` uses: the same bytes whatever the hash seed.
    assert sorted(k for k in first if not k.startswith("store/")) == [
        ".cache/extractions.json.gz",
        ".ofsted-kg.lock",
        "ofsted-kg.manifest.json",
        "ofsted-kg.trig",
        "ofsted-kg.ttl",
        # a copy of each file read, named by its content
        *sorted(f"sources/{hashlib.sha256(p.read_bytes()).hexdigest()}.txt" for p in SEEDS.iterdir()),
    ]
    assert {k: v for k, v in first.items() if not k.startswith("store/")} == {
        k: v for k, v in second.items() if not k.startswith("store/")
    }


def test_committed_graph_is_the_build_of_the_committed_seeds(tmp_path, seed_build):
    """graph/ in the repository is what `ofsted-kg build` makes of seeds/ today."""
    store.write(seed_build, tmp_path)
    for name in ("ofsted-kg.ttl", "ofsted-kg.trig"):
        assert (ROOT / "graph" / name).read_bytes() == (tmp_path / name).read_bytes(), (
            f"graph/{name} is stale: run ofsted-kg build"
        )


def test_turtle_and_trig_parse_back_to_the_same_graph(tmp_path, seed_build):
    store.write(seed_build, tmp_path)
    merged = Graph().parse(tmp_path / "ofsted-kg.ttl", format="turtle")
    assert isomorphic(merged, seed_build.graph)
    dataset = Dataset()
    dataset.parse(tmp_path / "ofsted-kg.trig", format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {str(d.iri) for d in seed_build.documents} | {str(REFERENCE_GRAPH), str(PREFERRED_GRAPH)}
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, merged)


def test_a_document_graph_holds_only_that_documents_facts(seed_build):
    report = next(d for d in seed_build.documents if d.name.startswith("004"))
    graph = seed_build.named_graph(report.iri)
    files = {str(o) for o in graph.objects(None, None) if str(o).endswith(".txt")}
    assert files == {report.name, f"sources/{report.sha256}.txt"}  # its name, and the copy of it kept


def _break_judgements_of(monkeypatch, prefix: str) -> None:
    """Make the judgements one document gives (its file name starts with prefix) break a shape."""
    from ofsted_kg import graph as graph_module
    from ofsted_kg import iris
    from ofsted_kg.facts import JudgementFact
    from ofsted_kg.namespaces import OKG
    from ofsted_kg.reference import load_reference

    original = graph_module._FACT_WRITERS[JudgementFact]

    def broken(w, fact, key, framework):
        note = original(w, fact, key, framework)
        if w.doc.name.startswith(prefix):
            # A judgement whose grade is from another framework's scale.
            j = iris.judgement(iris.inspection(*key), framework.area(fact.area.value).notation)
            w.graph.add((j, OKG.grade, load_reference().framework("slac").grades[2].iri))
        return note

    monkeypatch.setitem(graph_module._FACT_WRITERS, JudgementFact, broken)


def test_a_document_that_breaks_the_shapes_is_rejected_and_the_rest_written(tmp_path, monkeypatch, capsys):
    others = tmp_path / "others"
    others.mkdir()
    for doc in SEEDS.iterdir():
        if not doc.name.startswith("004"):
            shutil.copy(doc, others / doc.name)
    without = tmp_path / "without"
    assert main(["build", str(others), "--out", str(without)]) == EXIT_OK
    capsys.readouterr()

    _break_judgements_of(monkeypatch, "004")
    out = tmp_path / "out"
    assert main(["build", str(SEEDS), "--out", str(out)]) == EXIT_REJECTED
    captured = capsys.readouterr()
    rejected = [line for line in captured.err.splitlines() if line.startswith("rejected:")]
    assert len(rejected) == 1
    assert rejected[0].startswith(
        f"rejected: {SEEDS / '004_2e199a0b395a00af.txt'}: its facts break the shapes, so it is left out: "
        "Violation: <inspection/E08000031-2022> okg:grade: judgement "
        "https://w3id.org/ofsted-kg/id/inspection/E08000031-2022/judgement/"
    )
    assert (
        "has a grade not on the grade scale of the inspection's framework (value grade:pre2013-adequate)" in rejected[0]
    )
    assert "read 4 documents, rejected 1" in captured.out
    # What is written is the graph of the other documents, byte for byte.
    for name in ("ofsted-kg.ttl", "ofsted-kg.trig"):
        assert (out / name).read_bytes() == (without / name).read_bytes()


def test_a_violation_no_single_document_causes_stops_the_build(tmp_path, monkeypatch, capsys):
    from rdflib import Literal
    from rdflib.namespace import RDFS

    from ofsted_kg import graph as graph_module
    from ofsted_kg import iris
    from ofsted_kg.facts import InspectionFact

    out = tmp_path / "out"
    assert main(["build", str(SEEDS), "--out", str(out)]) == EXIT_OK
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}
    capsys.readouterr()
    original = graph_module._FACT_WRITERS[InspectionFact]

    def labelled_by_each(w, fact, key, framework):
        note = original(w, fact, key, framework)
        if key[1] == 2022:  # each document labels the inspection its own way: one label each, several in all
            inspection = iris.inspection(*key)
            for label in [t for t in w.graph if t[0] == inspection and t[1] == RDFS.label]:
                w.graph.discard(label)
            w.graph.add((inspection, RDFS.label, Literal(f"the inspection {w.doc.name} tells of")))
        return note

    monkeypatch.setitem(graph_module._FACT_WRITERS, InspectionFact, labelled_by_each)
    assert main(["build", str(SEEDS), "--out", str(out)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "no single document causes it; nothing was written" in err
    line = next(x for x in err.splitlines() if "rdfs:label" in x)
    assert line.startswith(
        "Violation: <inspection/E08000031-2022> rdfs:label: has more than 1 value (no single document causes this)"
    )
    assert "(no single document causes this)" in line
    assert "001_07b306a44f2bbefb.txt" in line and "004_2e199a0b395a00af.txt" in line
    assert {
        str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts
    } == before


def test_a_crash_while_writing_leaves_the_last_good_graph(tmp_path, monkeypatch, seed_build):
    graph = tmp_path / "g"
    store.write(seed_build, graph)
    before = {str(p.relative_to(graph)): p.read_bytes() for p in graph.rglob("*") if p.is_file()}
    other = _changed(seed_build.text, tmp_path / "other")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    # The disk fills as the first file is put in place: it and every other file are as they were, and
    # no temporary file is left behind.
    monkeypatch.setattr(store.os, "replace", explode)
    with pytest.raises(OSError):
        store.write(dataclasses.replace(seed_build, text=other), graph)
    assert {str(p.relative_to(graph)): p.read_bytes() for p in graph.rglob("*") if p.is_file()} == before


def _changed(text, folder):
    """The files of a written graph, copied into folder, the Turtle with one more newline."""
    folder.mkdir()
    trig, turtle = folder / "graph.trig", folder / "graph.ttl"
    trig.write_bytes(text.trig.read_bytes())
    turtle.write_bytes(text.turtle.read_bytes() + b"\n")
    return type(text)(trig, turtle)


def test_build_summary(tmp_path, capsys):
    assert main(["build", str(SEEDS), "--out", str(tmp_path)]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "read 5 documents, rejected 0"
    assert out[1].endswith(
        # 16 numbered recommendations, and the five the 2022 news article states in its own words
        "3 inspections, 13 judgements, 21 recommendations, 5 areas for improvement, 133 findings, 11 actions, "
        "12 people, 7 posts, 21 quotations, 42 services, 43 figures, 4 meetings, 2 claims about other councils"
    )
    assert f"wrote {tmp_path / 'ofsted-kg.ttl'}" in out


def test_validate_command(tmp_path, capsys):
    main(["build", str(SEEDS), "--out", str(tmp_path)])
    capsys.readouterr()
    assert main(["validate", str(tmp_path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"{tmp_path / 'ofsted-kg.ttl'}: conforms (0 violations, 1 warning)" in out
    assert (
        "Warning: <inspection/E08000031-2022> schema:startDate: sources give different dates "
        '(value "2022-03-28"^^xsd:date) [001_07b306a44f2bbefb.txt, 004_2e199a0b395a00af.txt]' in out
    )


def test_progress_is_told_each_document_then_the_stages(seed_copy):
    from ofsted_kg.build import build

    seen = []
    build([seed_copy], progress=lambda doing, done, total: seen.append((doing, done, total)))
    names = sorted(p.name for p in seed_copy.iterdir())
    # Documents are read in parallel: each is told once as it is done, in the order they finish.
    assert sorted(doing.removeprefix("reading ") for doing, _, _ in seen[:5]) == names
    assert [(done, total) for _, done, total in seen[:5]] == [(i, 5) for i in range(1, 6)]
    assert seen[5:] == [("building and validating the graph", 5, 5)]


def test_a_progress_bar_on_a_terminal_and_none_off_it(tmp_path, seed_copy):
    script = "import sys; from ofsted_kg.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [sys.executable, "-c", script, "build", str(seed_copy)]
    # Off a terminal (a pipe): no bar, only the summary.
    piped = subprocess.run([*args, "--out", str(tmp_path / "a")], capture_output=True, text=True, check=True)
    assert "\r" not in piped.stderr and "[#" not in piped.stderr
    # On a terminal: the bar is drawn, then wiped before the summary.
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.run([*args, "--out", str(tmp_path / "b")], stderr=follower, stdout=subprocess.PIPE, check=True)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert b"] 1/5 reading 00" in drawn and b"[" + b"#" * 30 + b"] 5/5 building and validating the graph" in drawn
    assert drawn.endswith(b"\r\x1b[K") and proc.stdout.startswith(b"read 5 documents")


def test_where_the_graph_files_cannot_be_linked_into_place_they_are_copied(tmp_path, monkeypatch, seed_build):
    def no_links(*args, **kwargs):
        raise OSError("cross-device link")

    monkeypatch.setattr(store.os, "link", no_links)
    store.write(seed_build, tmp_path)
    assert (tmp_path / "ofsted-kg.ttl").read_bytes() == seed_build.text.turtle.read_bytes()
    assert (tmp_path / "ofsted-kg.trig").read_bytes() == seed_build.text.trig.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))
