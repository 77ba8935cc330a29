"""Documents read in parallel (a process pool, or a Dask cluster), the cache of what was read, and the
on-disk store that queries open: none of them changes a byte of the graph."""

from __future__ import annotations

import gzip
import json
import os
import pickle

from ofsted_kg.cli import EXIT_OK, EXIT_REJECTED, main

from conftest import PRESS_2017, SEEDS
from helpers import graph_files


def _build(capsys, out, *args) -> tuple[int, str, str]:
    code = main(["build", str(SEEDS), *map(str, args), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_parallel_build_is_the_serial_build_byte_for_byte(tmp_path, capsys):
    assert _build(capsys, tmp_path / "serial", "--workers", "1")[0] == EXIT_OK
    assert _build(capsys, tmp_path / "parallel", "--workers", "3")[0] == EXIT_OK
    assert graph_files(tmp_path / "serial") == graph_files(tmp_path / "parallel")


def test_a_dask_cluster_builds_what_one_machine_builds(tmp_path, capsys):
    from distributed import LocalCluster

    assert _build(capsys, tmp_path / "local", "--workers", "1")[0] == EXIT_OK
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        code, out, err = _build(capsys, tmp_path / "dask", "--scheduler", cluster.scheduler_address)
    assert code == EXIT_OK, err
    assert out.startswith("read 5 documents, rejected 0\n")
    assert graph_files(tmp_path / "local") == graph_files(tmp_path / "dask")


def test_an_unreachable_scheduler_is_a_message(tmp_path, capsys, monkeypatch):
    from ofsted_kg import reading

    monkeypatch.setattr(reading, "SCHEDULER_TIMEOUT", "2s")  # (Dask tries again until then)
    code, _, err = _build(capsys, tmp_path / "g", "--scheduler", "tcp://127.0.0.1:9")
    assert code == EXIT_REJECTED
    assert err.startswith("ofsted-kg: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in err and not (tmp_path / "g").exists()


def test_an_extractor_that_fails_costs_one_document_not_the_pool(tmp_path, capsys, monkeypatch):
    from ofsted_kg import extract as extract_package

    original = extract_package.extract

    def fragile(doc):
        if doc.name == PRESS_2017:
            raise RuntimeError("an extractor's bug")
        return original(doc)

    monkeypatch.setattr(extract_package, "extract", fragile)  # the forked workers inherit it
    code, out, err = _build(capsys, tmp_path / "g", "--workers", "2")
    assert code == EXIT_REJECTED
    assert err.splitlines()[0] == (
        f"rejected: {SEEDS / PRESS_2017}: could not be read: the extractor failed (RuntimeError: an extractor's bug)"
    )
    assert out.startswith("read 4 documents, rejected 1\n")


def _cache(folder):
    return folder / ".cache" / "extractions.json.gz"


def _read_cache(folder) -> tuple[dict, list[dict], list[dict]]:
    """The cache's header, and each document's description and body (its text and extraction)."""
    lines = [json.loads(line) for line in gzip.decompress(_cache(folder).read_bytes()).splitlines()]
    return lines[0], lines[1::2], lines[2::2]


def _write_cache(folder, header: dict, metas: list[dict], bodies: list[dict]) -> None:
    lines = [header] + [line for pair in zip(metas, bodies, strict=True) for line in pair]
    _plant(folder, gzip.compress("".join(json.dumps(line) + "\n" for line in lines).encode()))


def _plant(folder, data: bytes, name: str = ".cache/extractions.json.gz") -> None:
    """Write a file of a graph folder, and record it in the folder's manifest, as whoever hands over a
    hostile folder can: the readers' own defences are what is tested, not the manifest's."""
    from ofsted_kg import folder as folders

    (folder / name).write_bytes(data)
    manifest = json.loads((folder / folders.MANIFEST).read_text())
    manifest["files"][name] = folders.digest_of(folder / name)
    (folder / folders.MANIFEST).write_text(json.dumps(manifest))


def test_the_next_build_reads_only_what_changed(tmp_path, capsys):
    assert _build(capsys, tmp_path / "g")[0] == EXIT_OK
    first = graph_files(tmp_path / "g")
    header, metas, bodies = _read_cache(tmp_path / "g")
    # An upgrade of the extractors: every document was read by other extractors than these.
    for meta in metas[:2]:
        meta["extractor"] = "0000000000000000"
    _write_cache(tmp_path / "g", header, metas, bodies)
    code, _, err = _build(capsys, tmp_path / "g")
    assert code == EXIT_OK
    assert err.splitlines() == ["read again 2 documents that other extractors had read"]
    assert graph_files(tmp_path / "g") == first


def test_add_reads_again_what_other_extractors_read(tmp_path, capsys, seed_copy):
    (seed_copy / PRESS_2017).rename(tmp_path / PRESS_2017)
    assert main(["build", str(seed_copy), "--out", str(tmp_path / "g")]) == EXIT_OK
    header, metas, bodies = _read_cache(tmp_path / "g")
    metas[0]["extractor"] = "0000000000000000"
    name = metas[0]["path"].rsplit("/", 1)[-1]
    _write_cache(tmp_path / "g", header, metas, bodies)
    capsys.readouterr()
    assert main(["add", str(tmp_path / PRESS_2017), "--graph", str(tmp_path / "g")]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"rewritten {name} (read again: other extractors had read it)" in out
    assert main(["build", str(seed_copy), str(tmp_path / PRESS_2017), "--out", str(tmp_path / "full")]) == EXIT_OK
    assert graph_files(tmp_path / "g") == graph_files(tmp_path / "full")


def test_a_damaged_cache_is_refused_with_a_message(tmp_path, capsys):
    assert _build(capsys, tmp_path / "g")[0] == EXIT_OK
    first = graph_files(tmp_path / "g")
    _plant(tmp_path / "g", b"not gzip at all")
    code, _, err = _build(capsys, tmp_path / "g")
    assert code == EXIT_OK
    assert err.splitlines() == [
        f"ofsted-kg: {_cache(tmp_path / 'g')}: not a cache of ofsted-kg (Not a gzipped file (b'no')); "
        "every document is read again"
    ]
    assert graph_files(tmp_path / "g") == first
    _plant(tmp_path / "g", b"not gzip at all")
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(tmp_path / "g")]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.startswith(f"ofsted-kg: {_cache(tmp_path / 'g')}: not a cache of ofsted-kg") and "Traceback" not in err


def test_a_cache_naming_other_types_is_refused_and_runs_nothing(tmp_path, capsys):
    assert _build(capsys, tmp_path / "g")[0] == EXIT_OK
    header, metas, bodies = _read_cache(tmp_path / "g")
    planted = {"$": "system", "command": "touch pwned"}
    _write_cache(tmp_path / "g", header, [{**metas[0], "links": planted}, *metas[1:]], bodies)
    # A pickle planted where an older version kept its cache is never opened.
    marker = tmp_path / "pwned"

    class Planted:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    (tmp_path / "g" / ".cache" / "extractions.pickle").write_bytes(pickle.dumps(Planted()))
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(tmp_path / "g")]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert f"{_cache(tmp_path / 'g')}: a damaged cache (unknown type 'system')" in err
    assert not marker.exists()

    # In a document's extraction, which `add` decodes only if it needs it: the build that decodes it refuses
    # the cache and reads every document again.
    _write_cache(tmp_path / "g", header, metas, [{**bodies[0], "extraction": planted}, *bodies[1:]])
    code, _, err = _build(capsys, tmp_path / "g")
    assert code == EXIT_OK
    assert err.splitlines() == [
        f"ofsted-kg: {_cache(tmp_path / 'g')}: a damaged cache (unknown type 'system'); every document is read again"
    ]
    assert not marker.exists()


def test_queries_open_the_store_and_a_store_not_the_graphs_is_made_again(tmp_path, capsys):
    graph = tmp_path / "g"
    assert _build(capsys, graph)[0] == EXIT_OK
    assert (graph / "store" / "ofsted-kg-store.json").exists()
    assert main(["query", "judgements", "--graph", str(graph), "--format", "csv"]) == EXIT_OK
    captured = capsys.readouterr()
    expected = captured.out
    assert captured.err == "" and expected.count("\n") == 14  # the header and 13 judgements

    mark = graph / "store" / "ofsted-kg-store.json"
    written = json.loads(mark.read_text())
    mark.write_text(json.dumps({**written, "ofsted-kg": "0.0.1"}))
    assert main(["query", "judgements", "--graph", str(graph), "--format", "csv"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == expected
    assert captured.err == (
        f"ofsted-kg: {graph} has a store written by another version of ofsted-kg (0.0.1): "
        "making it from ofsted-kg.ttl and ofsted-kg.trig\n"
    )
    # Made again, it is used as it is.
    assert main(["query", "judgements", "--graph", str(graph), "--format", "csv"]) == EXIT_OK
    assert capsys.readouterr().err == ""

    # A TriG that is not the one the store was made from (another build copied over it, say): refused, as
    # its manifest says; a folder whose manifest agrees with it has its store made again.
    trig = graph / "ofsted-kg.trig"
    trig.write_text(trig.read_text() + "\n")
    assert main(["query", "judgements", "--graph", str(graph), "--format", "csv"]) == EXIT_REJECTED
    assert "the folder does not hold one graph" in capsys.readouterr().err
    _plant(graph, trig.read_bytes(), "ofsted-kg.trig")
    assert main(["query", "judgements", "--graph", str(graph), "--format", "csv"]) == EXIT_OK
    assert "has a store that was not made from its ofsted-kg.trig" in capsys.readouterr().err

    import shutil

    shutil.rmtree(graph / "store")
    assert main(["query", "judgements", "--graph", str(graph), "--format", "csv"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == expected and f"ofsted-kg: {graph} has no store: making it" in captured.err


def test_a_cache_that_inflates_too_far_or_nests_too_deep_is_refused(tmp_path, capsys, monkeypatch):
    from ofsted_kg import cache

    assert _build(capsys, tmp_path / "g")[0] == EXIT_OK
    # A small file that inflates past the limit (the limit lowered here, not the file made huge).
    monkeypatch.setattr(cache, "MAX_BYTES", 1000)
    _plant(tmp_path / "g", gzip.compress(b" " * 100_000))
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(tmp_path / "g")]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "a cache that inflates to more than 0 MB is not read" in err and "Traceback" not in err
    monkeypatch.undo()
    _plant(tmp_path / "g", gzip.compress(b"[" * 200_000))
    assert main(["add", str(SEEDS / PRESS_2017), "--graph", str(tmp_path / "g")]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "not a cache of ofsted-kg (nested too deeply)" in err and "Traceback" not in err
