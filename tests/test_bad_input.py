"""Bad input gets one clear line naming the file and the reason; the rest still builds."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ofsted_kg.cli import EXIT_REJECTED, main
from ofsted_kg.documents import load
from ofsted_kg.errors import DocumentError

from conftest import REPORT_2022, SEEDS

REPORT_TEXT = (SEEDS / REPORT_2022).read_text(encoding="utf-8")

BAD = {
    "empty.txt": (b"", "is empty"),
    "blank.txt": (b"  \n\n ", "is empty"),
    "binary.txt": (bytes(range(256)) * 4, "is a binary file"),
    "latin1.txt": (
        "Inspection of Wolverhampton \u2013 caf\u00e9".encode("latin-1", "replace") + b"\xe9\xff",
        "is not UTF-8 text",
    ),
    "page.pdf": (
        b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Not found</body></html>",
        "is an HTML page",
    ),
    "broken.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "is not a readable PDF"),
    "minutes.txt": (
        b"Minutes of the allotment society.\n\nTea was served and the meeting closed at nine.",
        "is of no known kind",
    ),
    "truncated.txt": (REPORT_TEXT[: REPORT_TEXT.index("Lead inspector")].encode(), "no template fits"),
    "no-dates.txt": (
        REPORT_TEXT[:60].encode() + b"\n\nLead inspector: A Person\n\nJudgement\tGrade\n",
        "no 'Inspection dates:' line",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_is_rejected_with_its_reason(tmp_path, name):
    content, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        from ofsted_kg.extract import extract

        extract(load(path))
    assert str(path) in str(info.value)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_build_rejects_bad_files_and_builds_the_rest(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, (content, _) in BAD.items():
        (docs / name).write_bytes(content)
    (docs / REPORT_2022).write_text(REPORT_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    status = main(["build", str(docs), "--out", str(out)])
    captured = capsys.readouterr()
    assert status == EXIT_REJECTED
    rejected = [line for line in captured.err.splitlines() if line.startswith("rejected: ")]
    assert len(rejected) == len(BAD)
    for name, (_, reason) in BAD.items():
        assert any(str(docs / name) in line and reason in line for line in rejected), name
    assert "Traceback" not in captured.err
    assert "read 1 document, rejected 9" in captured.out
    assert (out / "ofsted-kg.ttl").exists() and (out / "ofsted-kg.trig").exists()


def test_missing_path_and_nothing_readable(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["build", str(tmp_path / "nowhere"), "--out", str(out)])
    captured = capsys.readouterr()
    assert status == EXIT_REJECTED
    assert f"{tmp_path / 'nowhere'}: no such file or folder" in captured.err
    assert "nothing was written" in captured.err
    assert not out.exists()


def test_command_line_gives_no_traceback(tmp_path):
    bad = tmp_path / "page.pdf"
    bad.write_bytes(BAD["page.pdf"][0])
    proc = subprocess.run(
        [sys.executable, "-m", "ofsted_kg", "build", str(bad), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == EXIT_REJECTED
    assert (
        proc.stderr.splitlines()[0]
        == f"rejected: {bad}: is an HTML page, not a document (a failed download saved under this name?)"
    )
    assert "Traceback" not in proc.stderr


def test_unreadable_graph_for_validate(tmp_path, capsys):
    broken = tmp_path / "ofsted-kg.ttl"
    broken.write_text("@prefix x: <urn:x#> .\nx:a x:b ", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert str(broken) in err and "not a readable RDF graph" in err and "Traceback" not in err
