"""graph/ output: deterministic bytes, one named graph per document, atomic writes, a readable summary."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ofsted_kg import store
from ofsted_kg.cli import EXIT_INVALID, EXIT_OK, main
from ofsted_kg.graph import REFERENCE_GRAPH

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
    assert sorted(first) == [".cache/extractions.pickle", "ofsted-kg.trig", "ofsted-kg.ttl"]
    assert first == second


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
    assert names == {str(d.iri) for d in seed_build.documents} | {str(REFERENCE_GRAPH)}
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, merged)


def test_a_document_graph_holds_only_that_documents_facts(seed_build):
    report = next(d for d in seed_build.documents if d.name.startswith("004"))
    graph = seed_build.named_graph(report.iri)
    files = {str(o) for o in graph.objects(None, None) if str(o).endswith(".txt")}
    assert files == {report.name}


def test_a_graph_that_breaks_the_shapes_is_not_written(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["build", str(SEEDS), "--out", str(out)]) == EXIT_OK
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()

    from ofsted_kg import graph as graph_module

    original = graph_module._write_judgement

    def broken(w, fact, key, framework):
        original(w, fact, key, framework)
        from ofsted_kg import iris
        from ofsted_kg.namespaces import OKG

        # A judgement whose grade is from another framework's scale.
        j = iris.judgement(iris.inspection(*key), framework.area(fact.area.value).notation)
        w.graph.add((j, OKG.grade, graph_module.load_reference().framework("slac").grades[2].iri))

    monkeypatch.setattr(graph_module, "_write_judgement", broken)
    monkeypatch.setitem(graph_module._FACT_WRITERS, graph_module.JudgementFact, broken)
    assert main(["build", str(SEEDS), "--out", str(out)]) == EXIT_INVALID
    captured = capsys.readouterr()
    assert "nothing was written" in captured.err
    assert (
        "Violation: <inspection/E08000031-2022> okg:grade: judgement "
        "https://w3id.org/ofsted-kg/id/inspection/E08000031-2022/judgement/ilacs-overall has a grade not on the grade scale"
    ) in captured.err
    assert "004_2e199a0b395a00af.txt" in captured.err
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_crash_while_writing_leaves_the_last_good_graph(tmp_path, monkeypatch, seed_build):
    store.write(seed_build, tmp_path)
    before = {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store.export, "trig", explode)
    with pytest.raises(OSError):
        store.write(seed_build, tmp_path)
    assert {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_build_summary(tmp_path, capsys):
    assert main(["build", str(SEEDS), "--out", str(tmp_path)]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "read 5 documents, rejected 0"
    assert out[1].endswith(
        "3 inspections, 13 judgements, 16 recommendations, 5 areas for improvement, 133 findings, 11 actions, "
        "12 people, 7 posts, 21 quotations, 41 services, 43 figures, 4 meetings, 2 claims about other councils"
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
    assert seen == [(f"reading {n}", i, 5) for i, n in enumerate(names)] + [
        ("building the graph", 5, 5),
        ("validating", 5, 5),
    ]


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
    assert b"] 0/5 reading 000_" in drawn and b"[" + b"#" * 30 + b"] 5/5 validating" in drawn
    assert drawn.endswith(b"\r\x1b[K") and proc.stdout.startswith(b"read 5 documents")
