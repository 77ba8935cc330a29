"""The graph folder keeps a copy of each file it was read from (sources/<sha256>.<ext>), written with the
rest of the folder: a build and `add` put them there, and take away those of documents no longer in it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ofsted_kg import store
from ofsted_kg.build import build
from ofsted_kg.cli import EXIT_OK, main
from ofsted_kg.errors import GraphError

from conftest import NEWS_2017, PRESS_2017, SEEDS


def _sources(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "sources").iterdir())}


def _copy(data: bytes) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.txt"


def test_a_build_keeps_a_copy_of_each_file_it_read_in_the_manifest(tmp_path, capsys):
    out = tmp_path / "graph"
    assert main(["build", str(SEEDS), "--out", str(out)]) == EXIT_OK
    seeds = {p.name: p.read_bytes() for p in SEEDS.iterdir()}
    assert _sources(out) == {_copy(data): data for data in seeds.values()}
    manifest = json.loads((out / "ofsted-kg.manifest.json").read_text())["files"]
    for data in seeds.values():
        assert manifest[f"sources/{_copy(data)}"] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    # The graph says where: the same name.
    turtle = (out / "ofsted-kg.ttl").read_text(encoding="utf-8")
    assert all(f'okg:sourceFile "sources/{_copy(data)}"' in turtle for data in seeds.values())


def test_a_rebuild_keeps_unchanged_copies_and_removes_those_of_documents_gone(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "graph"
    store.write(build([corpus]), out)
    press = (corpus / PRESS_2017).read_bytes()
    kept = out / "sources" / _copy(press)
    inode = kept.stat().st_ino
    (corpus / NEWS_2017).unlink()
    news = (SEEDS / NEWS_2017).read_bytes()
    store.write(build([corpus]), out)
    assert _copy(news) not in _sources(out) and len(_sources(out)) == 4
    assert kept.stat().st_ino == inode  # not copied again
    # A copy that is not what the manifest records is made again.
    kept.write_bytes(b"not the press release")
    store.write(build([corpus]), out)
    assert kept.read_bytes() == press
    # A file of another name in sources/ is not the graph's: left alone.
    (out / "sources" / "notes.md").write_text("mine")
    store.write(build([corpus]), out)
    assert (out / "sources" / "notes.md").read_text() == "mine"


def test_a_file_changed_while_the_graph_was_built_is_refused_and_nothing_written(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    result = build([corpus])
    (corpus / PRESS_2017).write_text("Changed after it was read.\n")
    with pytest.raises(GraphError, match="changed while the graph was built"):
        store.write(result, tmp_path / "graph")
    assert not (tmp_path / "graph" / "ofsted-kg.ttl").exists()


def test_add_keeps_the_new_copy_and_removes_the_replaced_one(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "graph"
    assert main(["build", str(corpus), "--out", str(out)]) == EXIT_OK
    old = (corpus / PRESS_2017).read_bytes()
    replacement = tmp_path / "new" / PRESS_2017
    replacement.parent.mkdir()
    replacement.write_bytes(old.replace(b"Wolverhampton", b"Wolverhampton City", 1))
    assert main(["add", str(replacement), "--graph", str(out)]) == EXIT_OK
    assert f"replaced {replacement}" in capsys.readouterr().out
    sources = _sources(out)
    assert _copy(old) not in sources and sources[_copy(replacement.read_bytes())] == replacement.read_bytes()
    assert len(sources) == 5
    store.load_extractions(out)  # (the folder still matches its manifest)
