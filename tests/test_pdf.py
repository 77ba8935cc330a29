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
        """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX okg: <https://w3id.org/ofsted-kg/def#>
        SELECT ?exact ?start ?end ?page WHERE {
          ?t oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end ; okg:page ?page }"""
    )
    rows = [(str(e), int(s), int(n), int(p)) for e, s, n, p in rows]
    assert len(rows) > 100
    assert all(doc.text[s:n] == e for e, s, n, _ in rows)
    pages = {e[:40]: p for e, _, _, p in rows}
    assert pages["Outstanding"] == 1  # the judgement table is on the first page
    assert any(p >= 8 for p in pages.values())


@needs_corpus
def test_an_html_page_saved_as_pdf_and_a_report_no_template_fits(capsys, tmp_path):
    html = CORPUS / "birmingham_2012-10-19.pdf"
    sif = CORPUS / "wolverhampton_2017-03-31.pdf"
    assert main(["build", str(html), str(sif), str(PDF_2022), "--out", str(tmp_path)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert f"rejected: {html}: is an HTML page" in err
    assert f"rejected: {sif}: looks like an Ofsted report, but no template fits" in err
    assert (tmp_path / "ofsted-kg.ttl").exists()


@needs_corpus
def test_a_truncated_pdf(tmp_path):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(PDF_2022.read_bytes()[:4000])
    with pytest.raises(DocumentError) as info:
        load(truncated)
    assert "is not a readable PDF" in str(info.value) or "no text" in str(info.value)
    assert Path(str(truncated)).name in str(info.value)
