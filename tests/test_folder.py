"""One graph per folder, always: the files of a graph are replaced together, checked against their
manifest, and written by one writer at a time (issue 11)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time

import pytest

from ofsted_kg import folder, store
from ofsted_kg.build import build
from ofsted_kg.cli import EXIT_INVALID, EXIT_OK, EXIT_REJECTED, main

from conftest import REPORT_2022, SEEDS

FILES = (store.MERGED, store.NAMED, store.EXTRACTIONS, folder.MANIFEST)


@pytest.fixture(scope="module")
def one_report():
    return build([SEEDS / REPORT_2022])


def contents(out) -> dict:
    return {name: (out / name).read_bytes() for name in FILES}


def judgements(capsys, out) -> str:
    assert main(["query", "judgements", "--graph", str(out), "--format", "csv"]) == EXIT_OK
    return capsys.readouterr().out


def _holding(out) -> subprocess.Popen:
    """Another process, holding the folder's lock (as a build or an add writing it) until killed."""
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom ofsted_kg import folder\n"
        "with folder.writing(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    return holder


class Crash(BaseException):
    """A writer killed at this point."""


def crash_after(monkeypatch, count: int) -> None:
    """The writer dies after `count` of the renames that put a new graph in place."""
    done = []
    real = folder._replace

    def replace(source, target):
        if len(done) == count:
            raise Crash
        done.append(target)
        real(source, target)

    monkeypatch.setattr(folder, "_replace", replace)


def test_a_writer_killed_between_two_replacements_leaves_one_graph(capsys, tmp_path, seed_build, one_report,
                                                                   monkeypatch):  # fmt: skip
    new, old = tmp_path / "new", tmp_path / "old"
    store.write(one_report, new)
    expected, expected_rows = contents(new), judgements(capsys, new)
    store.write(seed_build, old)
    crash_after(monkeypatch, 1)  # the Turtle is the new graph's, the TriG and the rest still the old one's
    with pytest.raises(Crash):
        store.write(one_report, old)
    monkeypatch.undo()
    assert (old / folder.JOURNAL).exists()
    assert (old / store.MERGED).read_bytes() == expected[store.MERGED]
    assert (old / store.NAMED).read_bytes() != expected[store.NAMED]
    # The next reader finishes the write the journal decided: the folder is the new graph, whole.
    assert judgements(capsys, old) == expected_rows
    assert contents(old) == expected and not (old / folder.JOURNAL).exists()
    assert main(["validate", str(old)]) == EXIT_OK
    assert sorted(p.name for p in old.iterdir() if p.name.startswith(".") and p.name != ".cache") == [folder.LOCK]


KILLED_BEFORE_JOURNAL = """
import os, signal, sys
from pathlib import Path
from ofsted_kg import folder, store
from ofsted_kg.build import build

real = folder._write_atomic


def killed(path, text):
    if path.name == folder.JOURNAL:
        os.kill(os.getpid(), signal.SIGKILL)  # killed as the journal was about to be written
    real(path, text)


folder._write_atomic = killed
# (its work folder beside the graph, in the test's folder, as the command's: killed, it cannot remove it)
store.write(build([Path(sys.argv[1])], workdir=Path(sys.argv[2]).parent), Path(sys.argv[2]))
"""


def test_a_writer_killed_before_its_journal_leaves_the_old_graph(capsys, tmp_path, seed_build):
    out = tmp_path / "graph"
    store.write(seed_build, out)
    before, rows = contents(out), judgements(capsys, out)
    done = subprocess.run([sys.executable, "-c", KILLED_BEFORE_JOURNAL, str(SEEDS / REPORT_2022), str(out)])
    assert done.returncode == -9
    assert contents(out) == before and judgements(capsys, out) == rows
    assert any(p.name.endswith(".tmp") for p in out.iterdir())  # its new files, never put in place
    with folder.writing(out):  # the next writer clears them away
        pass
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())


def test_a_write_that_fails_before_its_journal_leaves_nothing_behind(tmp_path, seed_build, one_report, monkeypatch):
    out = tmp_path / "graph"
    store.write(seed_build, out)
    before = sorted(p.name for p in out.iterdir())
    real = folder._write_atomic

    def full(path, text):
        if path.name == folder.JOURNAL:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(folder, "_write_atomic", full)
    with pytest.raises(OSError):
        store.write(one_report, out)
    assert sorted(p.name for p in out.iterdir()) == before


def test_a_truncated_file_is_refused_by_query_add_and_validate(capsys, tmp_path, seed_build):
    out = tmp_path / "graph"
    store.write(seed_build, out)
    turtle = out / store.MERGED
    size = turtle.stat().st_size
    data = turtle.read_bytes()
    turtle.unlink()  # (a new file: the written one is linked to the build's, which other tests read)
    turtle.write_bytes(data[: size // 2])
    expected = (
        f"{turtle}: {size // 2:,} bytes, where {folder.MANIFEST} says {size:,}: the folder does not hold one graph"
    )
    for command in (
        ["query", "judgements", "--graph", str(out)],
        ["add", str(SEEDS / REPORT_2022), "--graph", str(out)],
        ["validate", str(out)],
    ):
        assert main(command) == EXIT_REJECTED, command
        err = capsys.readouterr().err
        assert err.startswith(f"ofsted-kg: {expected}") and err.count("\n") == 1, command
    assert turtle.stat().st_size == size // 2  # add wrote nothing


def test_validate_finds_a_changed_byte_that_keeps_the_size(capsys, tmp_path, seed_build):
    out = tmp_path / "graph"
    store.write(seed_build, out)
    trig = out / store.NAMED
    data = bytearray(trig.read_bytes())
    data[-3] = ord("X") if data[-3] != ord("X") else ord("Y")
    trig.unlink()
    trig.write_bytes(bytes(data))
    assert main(["validate", str(out)]) == EXIT_REJECTED
    assert "its content is not the one ofsted-kg.manifest.json records (SHA-256)" in capsys.readouterr().err


def test_a_second_writer_is_refused_with_a_message(capsys, tmp_path, seed_build):
    out = tmp_path / "graph"
    store.write(seed_build, out)
    before = contents(out)
    holder = _holding(out)
    try:
        for command in (
            ["build", str(SEEDS / REPORT_2022), "--out", str(out)],
            ["add", str(SEEDS), "--graph", str(out)],
        ):
            started = time.monotonic()
            assert main(command) == EXIT_REJECTED
            assert time.monotonic() - started < 5  # refused at once, before reading anything
            assert capsys.readouterr().err == (
                f"ofsted-kg: {out}: another ofsted-kg is writing this graph now (a build or an add); "
                "run this again when it has finished\n"
            )
    finally:
        holder.kill()
        holder.wait()
    assert contents(out) == before
    assert main(["build", str(SEEDS / REPORT_2022), "--out", str(out)]) == EXIT_OK  # the lock went with it


def test_a_folder_without_a_manifest_is_read_as_before(capsys, tmp_path, seed_build):
    """A graph written by an earlier version (or checked out from git) has no manifest: it is used as it is."""
    out = tmp_path / "graph"
    store.write(seed_build, out)
    rows = judgements(capsys, out)
    (out / folder.MANIFEST).unlink()
    assert judgements(capsys, out) == rows
    assert main(["validate", str(out)]) in (EXIT_OK, EXIT_INVALID)


def test_a_build_removes_the_texts_of_documents_it_no_longer_holds(tmp_path):
    import csv
    import io

    from test_outcomes import TABLE, ods

    sheet = tmp_path / "docs" / "outcomes.ods"
    sheet.parent.mkdir()
    sheet.write_bytes(ods(list(csv.reader(io.StringIO(TABLE.read_text(encoding="utf-8"))))))
    out = tmp_path / "graph"
    store.write(build([sheet]), out)
    assert len(list((out / "texts").glob("*.txt"))) == 1
    store.write(build([SEEDS / REPORT_2022]), out)
    assert list((out / "texts").glob("*.txt")) == []
    assert "texts/" not in (out / folder.MANIFEST).read_text(encoding="utf-8")
    # The spreadsheet's kept copy went with it.
    report = hashlib.sha256((SEEDS / REPORT_2022).read_bytes()).hexdigest()
    assert [p.name for p in (out / "sources").iterdir()] == [f"{report}.txt"]


def test_add_refuses_a_cache_that_is_not_the_graphs(capsys, tmp_path, seed_build):
    """Of the same size but other content (another graph's cache copied in, say): add builds on nothing."""
    out = tmp_path / "graph"
    store.write(seed_build, out)
    cache_file = out / store.EXTRACTIONS
    data = bytearray(cache_file.read_bytes())
    data[-20] ^= 0xFF  # one byte of the gzip trailer's area: same size, other content
    cache_file.unlink()
    cache_file.write_bytes(bytes(data))
    before = contents(out)
    assert main(["add", str(SEEDS / REPORT_2022), "--graph", str(out)]) == EXIT_REJECTED
    assert capsys.readouterr().err == (
        f"ofsted-kg: {cache_file}: not the cache {folder.MANIFEST} records (SHA-256); build the graph again\n"
    )
    assert contents(out) == before


def test_a_reader_during_a_write_is_told_to_wait_then_reads_the_new_graph(capsys, tmp_path, seed_build):
    import json

    out = tmp_path / "graph"
    store.write(seed_build, out)
    rows = judgements(capsys, out)
    manifest = json.loads((out / folder.MANIFEST).read_text(encoding="utf-8"))
    holder = _holding(out)
    try:
        # The writer has decided its graph (its journal is written) and is making the replacements.
        journal = {"format": 1, "moves": [], "removed": [], "manifest": manifest}
        (out / folder.JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
        assert main(["query", "judgements", "--graph", str(out)]) == EXIT_REJECTED
        assert "another ofsted-kg is writing this graph now" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert judgements(capsys, out) == rows and not (out / folder.JOURNAL).exists()


@pytest.mark.parametrize(
    "journal",
    [
        {"moves": [[".x.0123456789abcdef.tmp", "../outside.txt"]], "removed": []},  # a file outside
        {"moves": [], "removed": ["../victim.txt"]},  # a file outside, removed
        {"moves": [["../victim.txt", "ofsted-kg.ttl"]], "removed": []},  # not a temporary name
        {"moves": [], "removed": ["/etc/hostname"]},
        {"moves": [], "removed": ["texts/x.txt"]},  # through texts/, a link to elsewhere
    ],
)
def test_a_hostile_journal_touches_nothing(capsys, tmp_path, seed_build, journal):
    """A folder from someone else whose journal names files outside it: refused, nothing moved or removed."""
    import json

    out = tmp_path / "graph"
    store.write(seed_build, out)
    victim, elsewhere = tmp_path / "victim.txt", tmp_path / "elsewhere"
    victim.write_text("mine\n", encoding="utf-8")
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_text("mine too\n", encoding="utf-8")
    (out / "texts").symlink_to(elsewhere)
    (out / ".x.0123456789abcdef.tmp").write_text("planted\n", encoding="utf-8")
    manifest = json.loads((out / folder.MANIFEST).read_text(encoding="utf-8"))
    (out / folder.JOURNAL).write_text(json.dumps({"format": 1, **journal, "manifest": manifest}), encoding="utf-8")
    assert main(["query", "judgements", "--graph", str(out)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "not a journal this project writes" in err and err.count("\n") == 1
    assert victim.read_text(encoding="utf-8") == "mine\n" and not (tmp_path / "outside.txt").exists()
    assert (elsewhere / "x.txt").read_text(encoding="utf-8") == "mine too\n"


def test_a_manifest_naming_a_device_is_refused_not_read(capsys, tmp_path, seed_build):
    """validate reads every file the manifest names: /dev/zero there would be read for ever."""
    import json

    out = tmp_path / "graph"
    store.write(seed_build, out)
    manifest = json.loads((out / folder.MANIFEST).read_text(encoding="utf-8"))
    for name in ("/dev/zero", "../../dev/zero"):
        manifest["files"][name] = {"size": 0, "sha256": "0"}
        (out / folder.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        assert main(["validate", str(out)]) == EXIT_REJECTED
        assert "not a manifest this project writes" in capsys.readouterr().err
        del manifest["files"][name]
    (out / "zero").symlink_to("/dev/zero")
    manifest["files"]["zero"] = {"size": 0, "sha256": "0"}
    (out / folder.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["validate", str(out)]) == EXIT_REJECTED
    assert "not a regular file" in capsys.readouterr().err
