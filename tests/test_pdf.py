"""Reading Ofsted's report PDFs: the same facts as the report's text, evidence into the repaired text, pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.build import build
from ofsted_kg.cli import EXIT_REJECTED, main
from ofsted_kg.documents import load
from ofsted_kg.errors import DocumentError
from ofsted_kg.namespaces import OKG
from ofsted_kg.pdftext import repair

from conftest import REPORT_2022, ROOT, SEEDS
from helpers import judgements, texts

CORPUS = ROOT.parent / "shared" / "corpus" / "ofsted-reports"
PDF_2022 = CORPUS / "wolverhampton_2022-05-18.pdf"
needs_corpus = pytest.mark.skipif(not PDF_2022.exists(), reason="../shared/corpus is not beside the checkout")


def fold(text: str) -> str:
    """Quotation marks as the seed's text has them."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def test_repair_removes_running_headers_page_numbers_and_footnote_marks():
    pages = [
        "Inspection of Testshire local authority\r\nchildren\u2019s services \r\nInspection dates: 1 to 5 May 2023\r\n",
        "Inspection of Testshire local authority children\u2019s services\r\n1 to 5 May 2023 2\r\nWhat needs to improve?1\r\n"
        "\u25fc The quality of plans.\r\n",
        "Inspection of Testshire local authority children\u2019s services\r\n1 to 5 May 2023 3\r\n1. Children self\ufffeidentify.\r\n7\r\n",
    ]
    text, starts = repair(pages)
    assert text == (
        "Inspection of Testshire local authority\nchildren\u2019s services\nInspection dates: 1 to 5 May 2023\n"
        "What needs to improve?\n\u25fc The quality of plans.\n1. Children self-identify."
    )
    assert starts == (0, text.index("What needs"), text.index("1. Children"))


def test_repair_removes_a_running_header_that_ends_with_its_page_number():
    """Some reports (2021-22) put title, dates and page number on one line: it goes, whatever the number."""
    header = "Inspection of Testshire local authority children\u2019s services (25 October to 5 November 2021) "
    pages = [
        "Inspection of Testshire local authority\r\nchildren\u2019s services \r\nInspection dates: 1 to 5 May 2023\r\n",
        header + "2\r\n1. Children are seen.\r\n",
        header + "3\r\n2. Plans are clear.\r\n",
        header + "14\r\n3. Leaders know.\r\n",
    ]
    text, _ = repair(pages)
    assert "(25 October" not in text
    assert text.endswith(
        "services\nInspection dates: 1 to 5 May 2023\n1. Children are seen.\n2. Plans are clear.\n3. Leaders know."
    )
    # Only the header's own words go: a line that merely ends with a number stays.
    pages[3] = "3. Leaders know the 14\r\n" + pages[3]
    assert "3. Leaders know the 14\n" in repair(pages)[0]


@pytest.mark.parametrize(
    "dates",
    [
        "3 to 14 March 2025\r\n{n}",
        "{n}\r\n",
        "8 June to 19 June 26 {n}",
        "15 to 19 May 2023. {n}",
        "20 September 2021 to 1 October 2021\r\n{n}",
    ],
)
def test_repair_removes_the_dates_and_page_number_under_a_running_header_however_written(dates):
    header = "Inspection of Testshire local authority children\u2019s services\r\n"
    pages = ["Inspection of Testshire local authority\r\nchildren\u2019s services\r\n"] + [
        header + dates.format(n=n) + f"\r\n{n}. Finding.\r\n" for n in (2, 3, 4)
    ]
    assert (
        repair(pages)[0]
        == "Inspection of Testshire local authority\nchildren\u2019s services\n2. Finding.\n3. Finding.\n4. Finding."
    )


@needs_corpus
def test_the_pdf_and_the_seed_text_give_the_same_facts():
    from_text = build([SEEDS / REPORT_2022]).graph
    from_pdf = build([PDF_2022])
    assert from_pdf.rejected == [] and from_pdf.report.conforms
    assert judgements(from_pdf.graph) == judgements(from_text)

    def folded(graph, cls):
        return {k: {fold(t) for t in v} for k, v in texts(graph, cls).items()}

    for cls in (OKG.AreaForImprovement, OKG.Finding):
        assert folded(from_pdf.graph, cls) == folded(from_text, cls), cls
    assert len(texts(from_pdf.graph, OKG.Finding)) == 49


@needs_corpus
def test_pdf_evidence_points_into_the_kept_text_and_names_its_page(tmp_path, capsys):
    out = tmp_path / "graph"
    assert main(["build", str(PDF_2022), "--out", str(out)]) == 0
    doc = load(PDF_2022)
    kept = out / "texts" / f"{doc.sha256[:16]}.txt"
    assert kept.read_text(encoding="utf-8") == doc.text
    from rdflib import Graph

    g = Graph().parse(out / "ofsted-kg.ttl")
    rows = g.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?exact ?start ?end ?page WHERE {
          ?t oa:hasSelector ?q, ?p, ?f . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
          ?f rdf:value ?page ; oa:refinedBy ?q }"""
    )
    rows = [(str(e), int(s), int(n), int(p.removeprefix("page="))) for e, s, n, p in rows]
    assert len(rows) > 100
    assert all(doc.text[s:n] == e for e, s, n, _ in rows)
    pages = {e[:40]: p for e, _, _, p in rows}
    assert pages["Outstanding"] == 1  # the judgement table is on the first page
    assert any(p >= 8 for p in pages.values())
    # The page is the one the quote's words start on, in the PDF itself (its text as PDFium reads it).
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(PDF_2022))
    on_page = [" ".join(pdf[i].get_textpage().get_text_range().replace("\ufffe", "-").split()) for i in range(len(pdf))]
    pdf.close()
    starts = {e: " ".join(e.split())[:24] for e, *_ in rows}
    assert all(starts[e] in on_page[p - 1] for e, _, _, p in rows)
    assert sum(starts[e] in on_page[p] for e, _, _, p in rows if p < len(on_page)) < len(rows) / 4  # not any page
    # Its neighbouring words are those of the kept text.
    contexts = g.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?start ?end ?prefix ?suffix WHERE {
          ?t oa:hasSelector ?q, ?p . ?q oa:prefix ?prefix ; oa:suffix ?suffix . ?p oa:start ?start ; oa:end ?end }"""
    )
    assert all(
        doc.text[max(0, int(s) - 32) : int(s)] == str(b) and doc.text[int(n) : int(n) + 32] == str(a)
        for s, n, b, a in contexts
    )


@needs_corpus
def test_an_html_page_saved_as_pdf_is_rejected_and_the_rest_builds(capsys, tmp_path):
    html = CORPUS / "birmingham_2012-10-19.pdf"
    assert main(["build", str(html), str(PDF_2022), "--out", str(tmp_path)]) == EXIT_REJECTED
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"rejected: {html}: is an HTML page, not a document (a failed download saved under this name?)"
    ]
    assert "read 1 document, rejected 1" in captured.out
    assert (tmp_path / "ofsted-kg.ttl").exists()


@needs_corpus
def test_a_truncated_pdf(tmp_path):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(PDF_2022.read_bytes()[:4000])
    with pytest.raises(DocumentError) as info:
        load(truncated)
    assert "is not a readable PDF" in str(info.value) or "no text" in str(info.value)
    assert Path(str(truncated)).name in str(info.value)


SIF_2017 = CORPUS / "wolverhampton_2017-03-31.pdf"


@needs_corpus
def test_the_single_inspection_report_meets_the_cabinet_report_in_one_inspection():
    from ofsted_kg import iris

    from conftest import CABINET_2017

    both = build([SEEDS / CABINET_2017, SIF_2017])
    report_only = build([SIF_2017])
    assert both.rejected == [] and both.report.conforms
    assert len(list(both.graph.subjects(None, OKG.Inspection))) == 2  # 2011 (recalled) and 2017
    i2017 = "inspection/E08000031-2017"
    assert {j for j in judgements(report_only.graph)} == {
        (i2017, "sif-overall", "good"),
        (i2017, "sif-help-and-protection", "requires-improvement"),
        (i2017, "sif-looked-after", "good"),
        (i2017, "sif-adoption", "good"),
        (i2017, "sif-care-leavers", "good"),
        (i2017, "sif-leadership", "good"),
        (i2017, "sif-lscb", "requires-improvement"),
    }
    assert {j for j in judgements(both.graph) if j[0] == i2017} == judgements(report_only.graph)
    inspection = iris.inspection("E08000031", 2017)
    from rdflib import Literal
    from rdflib.namespace import XSD

    from ofsted_kg.namespaces import SCHEMA

    g = report_only.graph
    assert str(g.value(g.value(inspection, OKG.leadInspector), SCHEMA.name)) == "Nigel Parkes"
    assert g.value(inspection, OKG.publicationDate) == Literal("2017-03-31", datatype=XSD.date)
    recs = texts(g, OKG.Recommendation)
    assert sorted(recs) == list(range(1, 12))
    board = [r for r in g.subjects(None, OKG.Recommendation) if str(r).endswith(("lscb-1", "lscb-5"))]
    assert len(board) == 2
    # The council's recommendations as the report words them, and as the cabinet report repeats them.
    assert fold(next(iter(recs[11]))) == (
        "Ensure that once children are placed with adoptive families there is no unnecessary delay "
        "in applying for an adoption order."
    )


def _minimal_pdf(objects: list[str], trailer: str = "") -> bytes:
    """A PDF of the given objects, with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_an_encrypted_pdf_is_rejected_with_its_reason(capsys, tmp_path):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(
        _minimal_pdf(
            [
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                f"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <{'11' * 32}> /U <{'22' * 32}> >>",
            ],
            trailer=f"/Encrypt 4 0 R /ID [<{'33' * 16}> <{'33' * 16}>] ",
        )
    )
    assert main(["build", str(locked), str(SEEDS), "--out", str(tmp_path / "out")]) == EXIT_REJECTED
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"rejected: {locked}: is an encrypted PDF; give an unencrypted copy"]
    assert "read 5 documents, rejected 1" in captured.out
