"""The evidence in its source: from a piece of evidence, its PDF page rendered with the quote's characters
boxed, or its text with the quote marked; in process (Starlette's test client) and in headless Chromium
against a real server, with the network cut off."""

from __future__ import annotations

import functools
import html
import re
import shutil
import struct
import zlib

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from ofsted_kg import store
from ofsted_kg.build import build
from ofsted_kg.web.app import create_app
from test_pdf import PDF_2022, needs_corpus
from test_web import _Server

from conftest import NEWS_2022, SEEDS
from helpers import inspect

ID = "https://w3id.org/ofsted-kg/id/"
TARGETS = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
SELECT ?target ?exact ?page ?start WHERE {
  ?target oa:hasSelector ?q, ?p . ?q a oa:TextQuoteSelector ; oa:exact ?exact . ?p oa:start ?start .
  OPTIONAL { ?target oa:hasSelector ?f . ?f rdf:value ?page }
} ORDER BY ?target"""


def _targets(folder, start: bool = False, source: str | None = None) -> list[tuple]:
    """(target, exact, page[, start]) of every piece of evidence, or of those in the document of a file name."""
    dataset = store.open_store(folder)
    query = TARGETS
    if source is not None:  # (the file name written as an RDF literal, escaped)
        query = TARGETS.replace("WHERE {", f"WHERE {{ ?target oa:hasSource/okg:fileName {ox.Literal(source)} .", 1)
    rows = [
        (r["target"].value, r["exact"].value, int(r["page"].value[5:]) if r["page"] else None)
        + ((int(r["start"].value),) if start else ())
        for r in dataset.query(query)
    ]
    del dataset
    return rows


def _boxes(page: str) -> list[tuple[float, ...]]:
    found = re.findall(
        r'class="highlight" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%; height: ([\d.]+)%"', page
    )
    return [tuple(float(v) for v in box) for box in found]


@pytest.fixture(scope="module")
def seeds(built):
    return TestClient(create_app(built))


@pytest.fixture(scope="module")
def pdf_graph(tmp_path_factory):
    if not PDF_2022.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    out = tmp_path_factory.mktemp("pdf-graph")
    store.write(build([PDF_2022, SEEDS / NEWS_2022]), out)
    return out


@pytest.fixture(scope="module")
def pdf_client(pdf_graph):
    return TestClient(create_app(pdf_graph))


def test_each_piece_of_evidence_on_a_resource_page_links_to_it_in_its_source(seeds):
    page = seeds.get("/id/inspection/E08000031-2022", headers={"Accept": "text/html"}).text
    links = [html.unescape(link) for link in re.findall(r'<a class="in-source" href="([^"]+)"', page)]
    quotes = re.findall(r"<q>([^<]*)</q>", page)
    assert len(links) == len(quotes) > 5
    for link, quote in zip(links, quotes, strict=True):
        shown = seeds.get(link)
        assert shown.status_code == 200
        assert f'<q class="evidence-quote">{quote}</q>' in shown.text


def test_a_text_document_is_shown_whole_with_the_quote_marked_at_its_offsets(seeds, built):
    rows = [(t, e) for t, e, _ in _targets(built, source=NEWS_2022) if t.endswith("#target-0")]
    news = (SEEDS / NEWS_2022).read_text(encoding="utf-8")
    checked = 0
    for target, exact in rows:
        shown = seeds.get("/evidence", params={"target": target}).text
        assert NEWS_2022 in shown.split("<h1>")[1][:80]
        text = html.unescape(re.search(r'<pre class="source-text">(.*?)</pre>', shown, re.S).group(1))
        marked = html.unescape(re.search(r'<mark id="quote">(.*?)</mark>', shown, re.S).group(1))
        before = html.unescape(re.search(r'<pre class="source-text">(.*?)<mark', shown, re.S).group(1))
        assert marked == exact and re.sub("<[^>]+>", "", text) == news
        start = int(target.split("/")[-1].split("-")[0])  # (the evidence's IRI names its first span's offsets)
        assert len(before) == start
        checked += 1
    assert checked > 5


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/evidence", 404),
        ("/evidence?target=http://example.org/x", 404),
        ("/evidence?target=" + ID + "evidence/nothing%23target-0", 404),
        ("/evidence?target=" + ID + "a%3E%20%7D%20CONSTRUCT%20%7B", 400),  # no IRI: nothing breaks out of it
        ("/evidence?target=" + ID + "x%3E%20.%20%3Fa%20%3Fb%20%3Fc%20%7D%20%23", 400),
        ("/evidence?target=" + ID + "council/E08000031", 404),  # a resource, not a piece of evidence
        ("/sources/abc/page/1.png", 404),
        ("/sources/" + "0" * 64 + "/page/1.png", 404),  # no such copy
        ("/sources/..%2F..%2F..%2Fetc%2Fpasswd/page/1.png", 404),
        ("/sources/" + "0" * 64 + "/page/-1.png", 404),
    ],
)
def test_hostile_or_unknown_addresses_get_a_404_or_a_400_never_an_error(seeds, path, status):
    assert seeds.get(path).status_code == status


def test_a_kept_copy_that_is_not_the_documents_file_is_not_shown(built, tmp_path):
    folder = tmp_path / "graph"
    shutil.copytree(built, folder)
    news = (SEEDS / NEWS_2022).read_bytes()
    copy = next(p for p in (folder / "sources").iterdir() if p.read_bytes() == news)
    copy.write_bytes(news.replace(b"March", b"Marsh"))  # the same size: the folder still opens
    client = TestClient(create_app(folder))
    target = next(t for t, e, _ in _targets(folder) if e == "March 21 and April 1")
    shown = client.get("/evidence", params={"target": target})
    assert shown.status_code == 200
    assert "keeps no copy of the document" in shown.text and "<mark" not in shown.text
    # The text document has no pages.
    assert client.get(f"/sources/{copy.name[:64]}/page/1.png").status_code == 404


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB rows of the PNGs the server writes (8-bit RGB, unfiltered)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (8, 2)
    data, at = b"", 8
    while at < len(png):
        size = struct.unpack(">I", png[at : at + 4])[0]
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + size]
        at += 12 + size
    raw = zlib.decompress(data)
    rows = [raw[y * (width * 3 + 1) : (y + 1) * (width * 3 + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return width, height, b"".join(row[1:] for row in rows)


def _rendered(number: int, scale: float) -> bytes:
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(PDF_2022))
    bitmap = pdf[number - 1].render(scale=scale, rev_byteorder=True, may_draw_forms=False)
    rows = np.frombuffer(bitmap.buffer, dtype=np.uint8).reshape(bitmap.height, bitmap.stride)
    pixels = rows[:, : bitmap.width * 3].tobytes()
    pdf.close()
    return pixels


@needs_corpus
def test_a_pdf_page_is_served_as_a_png_of_that_page(pdf_client, pdf_graph):
    from ofsted_kg.web.sources import SCALE

    target, _, number = next(row for row in _targets(pdf_graph) if (row[2] or 0) >= 3)
    shown = pdf_client.get("/evidence", params={"target": target})
    source = re.search(r'<img id="page" src="([^"]+)" width="(\d+)" height="(\d+)"', shown.text)
    assert source.group(1).endswith(f"/page/{number}.png")
    png = pdf_client.get(source.group(1))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert "immutable" in png.headers["cache-control"]
    width, height, pixels = _png_pixels(png.content)
    assert (width, height) == (int(source.group(2)), int(source.group(3))) == (893, 1263)
    assert pixels == _rendered(number, SCALE) != _rendered(number + 1, SCALE)
    # No page beyond the PDF's, and the same page again comes from the cache, the same.
    sha = source.group(1).split("/")[2]
    assert pdf_client.get(f"/sources/{sha}/page/99.png").status_code == 404
    assert pdf_client.get(f"/sources/{sha}/page/0.png").status_code == 404
    assert pdf_client.get(source.group(1)).content == png.content


def _first_characters(number: int, exact: str, start: int | None = None) -> list[tuple[float, float]]:
    """Where PDFium's own search finds the quote's first words on the page: the centre of each of their
    characters, in percent of the page (left, top). Where they are on the page more than once, the place
    that is the quote's: as many times before it on the page as in the kept text before its offset."""
    import pypdfium2 as pdfium

    head = " ".join(exact.split()[:3])
    before = 0
    if start is not None:
        pages = _pdf_text()
        before = " ".join(pages.text[pages.pages[number - 1] : start].split()).count(head)
    pdf = pdfium.PdfDocument(str(PDF_2022))
    page = pdf[number - 1]
    width, height = page.get_size()
    text = page.get_textpage()
    search = text.search(head, match_case=True)
    found = search.get_next()
    for _ in range(before):
        found = search.get_next() if found is not None else None
    centres = []
    if found is not None:
        for i in range(found[0], found[0] + found[1]):
            x0, y0, x1, y1 = text.get_charbox(i)
            if x1 > x0 and not text.get_text_range(i, 1).isspace():  # (a line's end has a box of its own)
                centres.append((100 * (x0 + x1) / 2 / width, 100 * (height - (y0 + y1) / 2) / height))
    pdf.close()
    return centres


@functools.cache
def _pdf_text():
    from ofsted_kg.documents import load

    return load(PDF_2022)


@needs_corpus
def test_the_highlight_boxes_lie_over_the_quotes_characters(pdf_client, pdf_graph):
    rows = [row for row in _targets(pdf_graph, start=True) if row[2] is not None]
    sample = rows[:: max(1, len(rows) // 40)]
    checked = 0
    for target, exact, number, start in sample:
        centres = _first_characters(number, exact, start)
        if not centres:  # (words PDFium's search does not find as written: a quote across a line's hyphen)
            continue
        boxes = _boxes(pdf_client.get("/evidence", params={"target": target}).text)
        assert boxes, exact
        inside = [any(x <= cx <= x + w and y <= cy <= y + h for x, y, w, h in boxes) for cx, cy in centres]
        assert all(inside), (exact, number, boxes, centres)
        # And the boxes are the quote's: no larger than its lines.
        assert sum(w * h for *_, w, h in boxes) < 100 * 100 / 4
        checked += 1
    assert checked >= 20


@needs_corpus
def test_in_a_browser_the_highlight_is_drawn_over_the_quote_and_nothing_leaves_the_machine(pdf_graph, tmp_path):
    server = _Server(pdf_graph)
    try:
        server.get("/")
        target, exact, number, start = next(
            row for row in _targets(pdf_graph, start=True) if (row[2] or 0) >= 2 and len(row[1].split()) >= 6
        )
        centres = _first_characters(number, exact, start)
        assert centres
        url = server.url + "/evidence?target=" + target.replace("#", "%23")
        measured = inspect(
            url,
            tmp_path / "profile",
            """(() => {
                const img = document.getElementById('page'), box = img.getBoundingClientRect();
                const marks = [...document.querySelectorAll('.highlight')].map(e => e.getBoundingClientRect())
                    .map(b => [b.left, b.top, b.width, b.height]);
                return {loaded: img.complete && img.naturalWidth > 0, img: [box.left, box.top, box.width, box.height], marks};
            })()""",
        )
    finally:
        server.stop()
    assert measured["errors"] == []
    assert measured["requested"] and all(u.startswith(server.url + "/") for u in measured["requested"])
    value = measured["value"]
    assert value["loaded"] and value["marks"]
    left, top, width, height = value["img"]
    for cx, cy in centres:  # each of the quote's first characters, where the browser drew the page
        x, y = left + width * cx / 100, top + height * cy / 100
        assert any(mx <= x <= mx + mw and my <= y <= my + mh for mx, my, mw, mh in value["marks"]), (x, y, value)
