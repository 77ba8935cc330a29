"""Inputs as an attacker or a careless user makes them: every bad row a message, every document bounded
(issue 11)."""

from __future__ import annotations

import io
import resource
import time
import zipfile

import pytest

from ofsted_kg import documents, limits
from ofsted_kg.build import build
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import outcomes
from test_outcomes import TABLE, ods

HEADER, DUDLEY_2018, DUDLEY_2022 = TABLE.read_text(encoding="utf-8").splitlines()[:3]
WOLVERHAMPTON = TABLE.read_text(encoding="utf-8").splitlines()[3]


def notes_of(path) -> tuple[list, list[str]]:
    """The inspections read from an outcomes table, and its notes."""
    extraction = outcomes.extract(documents.load(path))
    starts = sorted(
        f.start.value.to_date().isoformat() for f in extraction.facts if type(f).__name__ == "InspectionFact"
    )
    return starts, extraction.notes


def test_every_bad_row_of_a_csv_is_a_message_and_the_others_are_read(tmp_path):
    bad_date = DUDLEY_2022.replace("31/10/2022", "31/02/2020")
    bad_code = DUDLEY_2022.replace("E08000027", "E99999999").replace(",Dudley,", ",Nowhere,")
    short = ",".join(DUDLEY_2022.split(",")[:3])
    rows = [HEADER, DUDLEY_2018, bad_date, "", ",,,", short, bad_code, DUDLEY_2022.replace("13/01/2023", "13/13/2023"),
            WOLVERHAMPTON]  # fmt: skip
    table = tmp_path / "outcomes.csv"
    table.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    starts, notes = notes_of(table)
    # The first and last rows are read: an empty row does not end the table, a bad one is left out.
    assert starts == ["2018-10-29", "2022-03-28"]
    assert notes == [
        "row 3: inspection date '31/02/2020' is not a date of the calendar; the row is left out",
        "row 6: 3 cells, fewer than the 6 the header names up to 'Inspection date'; the row is left out",
        "row 7: no English local authority of code 'E99999999'; the row is left out",
        "row 8: publication date '13/13/2023' is not a date of the calendar; the row is left out",
    ]


def test_the_build_goes_on_and_says_which_rows_it_left_out(tmp_path, capsys):
    from ofsted_kg.cli import EXIT_OK, main

    table = tmp_path / "docs" / "outcomes.csv"
    table.parent.mkdir()
    table.write_text(f"{HEADER}\r\n{DUDLEY_2022.replace('31/10/2022', '31/02/2020')}\r\n{DUDLEY_2018}\r\n", "utf-8")
    assert main(["build", str(table), "--out", str(tmp_path / "graph")]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"skipped: {table}: row 2: inspection date '31/02/2020' is not a date of the calendar" in err
    assert "Traceback" not in err


def sheet(tmp_path, content_rows: str, name: str = "outcomes.ods"):
    """An .ods whose rows after the header row are given as XML."""
    rows = [HEADER.split(","), DUDLEY_2018.split(",")]
    data = ods(rows)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        content = package.read("content.xml").decode("utf-8")
    content = content.replace("<table:table-row table:number-rows-repeated", content_rows + "<table:table-row table:number-rows-repeated", 1)  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        package.writestr("content.xml", content)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


CELL = "<table:table-cell><text:p>{}</text:p></table:table-cell>"


def test_an_ods_row_with_a_bad_repeat_count_is_a_message(tmp_path):
    bad = '<table:table-row><table:table-cell table:number-columns-repeated="lots"><text:p>x</text:p></table:table-cell></table:table-row>'  # fmt: skip
    good = "<table:table-row>" + "".join(CELL.format(c) for c in DUDLEY_2022.split(",")) + "</table:table-row>"
    starts, notes = notes_of(sheet(tmp_path, bad + good))
    assert starts == ["2018-10-29", "2022-10-31"]
    assert notes == [
        "sheet 'ILACS_inspection_history', row 5: number-columns-repeated 'lots' is not a whole number; "
        "the row is left out"
    ]


def test_a_huge_run_of_spaces_costs_nothing(tmp_path):
    """899 bytes that once took 4.3 GB and left 1.5 GB files: now one row left out, in little memory."""
    bomb = '<table:table-row><table:table-cell><text:p>a<text:s text:c="1500000000"/>b</text:p></table:table-cell></table:table-row>'  # fmt: skip
    path = sheet(tmp_path, bomb)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    starts, notes = notes_of(path)
    assert time.process_time() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB
    assert starts == ["2018-10-29"]
    assert notes == [
        "sheet 'ILACS_inspection_history', row 5: a run of 1,500,000,000 spaces, more than a cell may hold; "
        "the row is left out"
    ]


def test_a_deflate_bomb_is_rejected_without_being_unpacked(tmp_path):
    padding = "<!--" + " " * (limits.SPREADSHEET_XML_BYTES + 1000) + "-->"
    path = sheet(tmp_path, padding, "bomb.ods")
    assert path.stat().st_size < 1_000_000
    started = time.process_time()
    with pytest.raises(DocumentError, match="unpacks to more than 64 MB, the most a spreadsheet may hold"):
        documents.load(path)
    assert time.process_time() - started < 5


def test_a_rejected_spreadsheet_leaves_the_others_to_build(tmp_path):
    padding = "<!--" + " " * (limits.SPREADSHEET_XML_BYTES + 1000) + "-->"
    bomb = sheet(tmp_path, padding, "bomb.ods")
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\r\n{DUDLEY_2018}\r\n", encoding="utf-8")
    result = build([bomb, good])
    assert [e.path for e in result.rejected] == [str(bomb)]
    assert [d.name for d in result.documents] == ["good.csv"]


def test_text_over_its_limit_is_rejected_with_the_limit_named(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "TEXT_CHARACTERS", 1000)
    path = tmp_path / "long.txt"
    path.write_text("Ofsted " * 200, encoding="utf-8")
    with pytest.raises(DocumentError, match="gives more than 1,000 characters of text, the most a document may give"):
        documents.load(path)


def test_a_file_over_its_limit_is_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "FILE_BYTES", 1 << 20)
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (3 << 20))
    with pytest.raises(DocumentError, match=r"big.txt: is larger than 1 MB, the most a document may be"):
        documents.load(path)


def test_a_pdf_over_its_page_limit_is_rejected(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(3):
        pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    path = tmp_path / "pages.pdf"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setattr(limits, "PDF_PAGES", 2)
    with pytest.raises(DocumentError, match="pages.pdf: has 3 pages, more than the 2 a document may have"):
        documents.load(path)


def test_a_document_that_takes_too_long_is_rejected_and_the_others_read(tmp_path, monkeypatch):
    from ofsted_kg import reading
    from ofsted_kg.extract import outcomes as table

    monkeypatch.setattr(limits, "DOCUMENT_SECONDS", 0.5)
    real = table.extract

    def slow(doc):
        if doc.path.name == "slow.csv":
            while True:  # an extractor caught in a loop
                time.sleep(0.01)
        return real(doc)

    monkeypatch.setattr(table, "extract", slow)
    for name in ("slow.csv", "quick.csv"):
        (tmp_path / name).write_text(f"{HEADER}\r\n{DUDLEY_2018}\r\n", encoding="utf-8")
    started = time.monotonic()
    read = reading.read_all([tmp_path / "slow.csv", tmp_path / "quick.csv"], workers=1)
    assert time.monotonic() - started < 5
    assert [str(e) for e in read.rejected] == [
        f"{tmp_path / 'slow.csv'}: took more than 0.5 s to read, the most a document may take"
    ]
    assert [e.document.path.name for e in read.entries] == ["quick.csv"]


def test_a_document_that_kills_its_process_costs_only_itself(tmp_path, monkeypatch):
    import os
    import signal

    from ofsted_kg import reading
    from ofsted_kg.extract import outcomes as table

    real = table.extract

    def fatal(doc):
        if doc.path.name == "fatal.csv":
            os.kill(os.getpid(), signal.SIGKILL)  # as the operating system ends a process out of memory
        return real(doc)

    monkeypatch.setattr(table, "extract", fatal)
    names = ["a.csv", "fatal.csv", "b.csv", "c.csv", "d.csv"]
    for name in names:
        (tmp_path / name).write_text(f"{HEADER}\r\n{DUDLEY_2018}\r\n", encoding="utf-8")
    read = reading.read_all([tmp_path / name for name in names], workers=2)
    assert [str(e) for e in read.rejected] == [
        f"{tmp_path / 'fatal.csv'}: could not be read: the process reading it died (at its memory limit of 4 GB?)"
    ]
    assert [e.document.path.name for e in read.entries] == ["a.csv", "b.csv", "c.csv", "d.csv"]


def test_a_reading_process_has_a_memory_limit(tmp_path, monkeypatch):
    from ofsted_kg import reading
    from ofsted_kg.extract import outcomes as table

    monkeypatch.setattr(limits, "READING_BYTES", 256 << 20)

    def greedy(doc):
        return len(bytearray(1 << 30))

    monkeypatch.setattr(table, "extract", greedy)
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(f"{HEADER}\r\n{DUDLEY_2018}\r\n", encoding="utf-8")
    read = reading.read_all([tmp_path / "a.csv", tmp_path / "b.csv"], workers=2)
    assert [str(e).split(": ", 1)[1] for e in read.rejected] == [
        "needs more memory to read than it may take (256 MB)"
    ] * 2
