"""`ofsted-kg add`: one document into a built graph, giving what a build of all of them gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ofsted_kg import preferences
from ofsted_kg.cli import EXIT_OK, EXIT_REJECTED, main

from conftest import CABINET_2017, NEWS_2022, PRESS_2017, REPORT_2022, SEEDS
from helpers import graph_files

GRAPH_FILES = ("ofsted-kg.ttl", "ofsted-kg.trig")


def _files(folder: Path) -> dict[str, bytes]:
    return graph_files(folder)


def _quads(store_dir: Path) -> set[str]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


def _seeds_but(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "others"
    shutil.copytree(SEEDS, folder)
    (folder / name).unlink()
    return folder


@pytest.mark.parametrize(
    ("name", "rewritten", "checked_warnings"),
    [
        # The report dates the 2022 inspection in full: the news article that gave its dates without
        # the year now resolves to it, so the article's graph is written again too; and the report's
        # start date disagrees with the article's, which the checks of the changed inspection find.
        (REPORT_2022, [NEWS_2022], 1),
        # The press release touches nothing the 2022 disagreement is about: it is not checked again.
        (PRESS_2017, [], 0),
        # The article disputes the report's start date and, by its 'two-week inspection', the length the
        # report's dates give: the preferences of that inspection are made again from every document.
        (NEWS_2022, [], 1),
        # The cabinet paper dates the 2011 inspection to the month and lists 2017's recommendations.
        (CABINET_2017, [], 0),
    ],
)
def test_add_gives_what_a_build_of_all_the_documents_gives(tmp_path, capsys, name, rewritten, checked_warnings):
    others = _seeds_but(tmp_path, name)
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    assert main(["build", str(others), "--out", str(incremental)]) == EXIT_OK
    before = _files(incremental)
    capsys.readouterr()

    assert main(["add", str(SEEDS / name), "--graph", str(incremental)]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"added {SEEDS / name}" in out
    assert [line.split()[1] for line in out.splitlines() if line.startswith("rewritten ")] == rewritten

    assert main(["build", str(others), str(SEEDS / name), "--out", str(full)]) == EXIT_OK
    build_out = capsys.readouterr().out
    assert _files(incremental) == _files(full)
    # The store, changed in place, holds what one made from the files holds, and is used as it is.
    assert _quads(incremental / "store") == _quads(full / "store")
    assert main(["query", "judgements", "--graph", str(incremental)]) == EXIT_OK
    assert "making it from" not in capsys.readouterr().err
    # The graph changed where the document says something, and nowhere else.
    assert _files(incremental) != before
    # The disagreements found among what changed are those the build reports.
    warnings = lambda text: {line for line in text.splitlines() if line.startswith("Warning:")}  # noqa: E731
    assert len(warnings(out)) == checked_warnings
    assert warnings(out) <= warnings(build_out)


def test_other_documents_graphs_are_kept_byte_for_byte(tmp_path, capsys):
    others = _seeds_but(tmp_path, PRESS_2017)
    graph = tmp_path / "graph"
    assert main(["build", str(others), "--out", str(graph)]) == EXIT_OK
    blocks = lambda: set((graph / "ofsted-kg.trig").read_text(encoding="utf-8").split("\n}\n"))  # noqa: E731
    before = blocks()
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(graph)]) == EXIT_OK
    after = blocks()
    # One block is new, the press release's graph; every other, the reference graph included (the
    # release names no council the graph lacked), is kept as it was, but the graph of preferences: the
    # services' names (those the release is the first to name, and those it names at greater length).
    preferred = f"<{preferences.PREFERRED_GRAPH}> {{"
    gone, new = before - after, after - before
    assert len(gone) == 1 and next(iter(gone)).lstrip().startswith(preferred)
    assert len(new) == 2 and sum(block.lstrip().startswith(preferred) for block in new) == 1
    was, now = (next(b for b in blocks if b.lstrip().startswith(preferred)).splitlines() for blocks in (gone, new))
    changed = set(was) ^ set(now)
    assert changed and all("skos:prefLabel" in line or "/id/service/" in line for line in changed), changed


def test_adding_a_document_already_there_changes_nothing(tmp_path, capsys):
    graph = tmp_path / "graph"
    assert main(["build", str(SEEDS), "--out", str(graph)]) == EXIT_OK
    before = _files(graph)
    capsys.readouterr()
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(graph)]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"unchanged: {SEEDS / PRESS_2017}: already in the graph" in out
    assert "nothing added" in out
    assert _files(graph) == before


def _replace_in_built_seeds(tmp_path, capsys, seed_copy, name: str, old: str, new: str) -> tuple[Path, str]:
    """Build the seeds, change one document's words (once), `add` it: the graph folder and add's output,
    after checking that the graph is what a build of the seeds in their order, the changed one last, gives."""
    graph, full = tmp_path / "graph", tmp_path / "full"
    assert main(["build", str(SEEDS), "--out", str(graph)]) == EXIT_OK
    changed = seed_copy / name
    text = changed.read_text(encoding="utf-8")
    assert text.count(old) == 1
    changed.write_text(text.replace(old, new), encoding="utf-8")
    capsys.readouterr()
    assert main(["add", str(changed), "--graph", str(graph)]) == EXIT_OK
    out = capsys.readouterr().out
    others = [SEEDS / n for n in sorted(p.name for p in SEEDS.iterdir()) if n != name]
    assert main(["build", *map(str, others), str(changed), "--out", str(full)]) == EXIT_OK
    assert _files(graph) == _files(full)
    capsys.readouterr()
    return graph, out


def test_a_changed_document_of_the_same_name_replaces_the_old(tmp_path, capsys, seed_copy):
    old, new = "Lead inspector: Andy Waugh", "Lead inspector: Anna Walsh"
    graph, out = _replace_in_built_seeds(tmp_path, capsys, seed_copy, REPORT_2022, old, new)
    assert f"replaced {seed_copy / REPORT_2022}" in out
    assert "Anna Walsh" in (graph / "ofsted-kg.ttl").read_text(encoding="utf-8")


def test_a_bad_document_is_rejected_and_the_graph_kept(tmp_path, capsys):
    graph = tmp_path / "graph"
    assert main(["build", str(SEEDS), "--out", str(graph)]) == EXIT_OK
    before = _files(graph)
    page = tmp_path / "report.pdf"
    page.write_text("<!DOCTYPE html><html><body>Not found</body></html>", encoding="utf-8")
    capsys.readouterr()
    assert main(["add", str(page), "--graph", str(graph)]) == EXIT_REJECTED
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"rejected: {page}: is an HTML page, not a document (a failed download saved under this name?)"
    ]
    assert _files(graph) == before


def test_a_document_that_breaks_the_shapes_is_not_added(tmp_path, capsys, monkeypatch):
    others = _seeds_but(tmp_path, REPORT_2022)
    graph = tmp_path / "graph"
    assert main(["build", str(others), "--out", str(graph)]) == EXIT_OK
    before = _files(graph)
    capsys.readouterr()

    from ofsted_kg import graph as graph_module
    from ofsted_kg import iris
    from ofsted_kg.facts import JudgementFact
    from ofsted_kg.namespaces import OKG
    from ofsted_kg.reference import load_reference

    original = graph_module._FACT_WRITERS[JudgementFact]

    def broken(w, fact, key, framework):
        original(w, fact, key, framework)
        j = iris.judgement(iris.inspection(*key), framework.area(fact.area.value).notation)
        w.graph.add((j, OKG.grade, load_reference().framework("slac").grades[2].iri))

    monkeypatch.setitem(graph_module._FACT_WRITERS, JudgementFact, broken)
    assert main(["add", str(SEEDS / REPORT_2022), "--graph", str(graph)]) == EXIT_REJECTED
    captured = capsys.readouterr()
    assert captured.err.startswith(
        f"rejected: {SEEDS / REPORT_2022}: its facts break the shapes, so it is left out: "
        "Violation: <inspection/E08000031-2022> okg:grade: judgement "
    )
    assert "nothing added" in captured.out
    assert _files(graph) == before


def test_add_needs_a_graph_built_with_its_cache(tmp_path, capsys):
    graph = tmp_path / "graph"
    assert main(["build", str(SEEDS), "--out", str(graph)]) == EXIT_OK
    shutil.rmtree(graph / ".cache")
    capsys.readouterr()
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(graph)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "extractions.json.gz: missing, though ofsted-kg.manifest.json names it; build the graph again" in err
    assert "Traceback" not in err
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(tmp_path / "nowhere")]) == EXIT_REJECTED
    assert "no built graph here" in capsys.readouterr().err


def test_a_corrected_article_takes_its_disagreement_away(tmp_path, capsys, seed_copy):
    """The article, corrected to the report's start date, replaces itself: the preference of that date goes,
    the length its 'two-week inspection' disputes stays, and the graph is what a build of all gives."""
    old, new = "between March 21 and April 1", "between March 28 and April 1"
    graph, _ = _replace_in_built_seeds(tmp_path, capsys, seed_copy, NEWS_2022, old, new)
    assert main(["query", "conflicts", "--graph", str(graph), "--format", "csv"]) == EXIT_OK
    properties = {line.split(",")[1] for line in capsys.readouterr().out.splitlines()[1:]}
    assert properties == {"holds", "length of the inspection"}
