"""The evidence in its source: from a piece of evidence (a target of an annotation), the document it is in,
the quote, and the quote in the source itself: for a PDF its page rendered (by PDFium), with the boxes of
the quote's characters drawn over it; for a text, the text with the quote marked.

    /evidence?target=IRI              the evidence page
    /sources/SHA256/page/N.png        page N of the kept PDF of that content, as a PNG

The routes are made by routes(), which app.py adds to its own. Kept files are found by the document's
SHA-256 in the graph folder's sources/ (web/sources.py), never by a path the graph gives.
"""

from __future__ import annotations

import functools
import html
import re
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ofsted_kg import bounded
from ofsted_kg.bounded import LimitError, Limits
from ofsted_kg.errors import QueryError
from ofsted_kg.namespaces import ID
from ofsted_kg.queries import Answer, SavedQuery
from ofsted_kg.web import sources
from ofsted_kg.web.sources import NotKept

if TYPE_CHECKING:
    from jinja2 import Environment

    from ofsted_kg.web.answers import Ask

PAGE = re.compile(r"page=([1-9][0-9]{0,5})")
RENDER_SECONDS = 15.0  # a page that takes longer to render is given up (503)
RENDERS = 2  # pages rendered at once; more requests wait their turn
CACHED_PAGES = 32  # the last pages rendered, kept as PNGs (a few hundred KB each)
WHOLE_TEXT = 200_000  # a longer text is shown around the quote only
AROUND = 20_000  # characters shown either side of the quote in a longer text
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}  # (a page of a file named by its content)


class Support(TypedDict):
    """A statement the evidence supports: its subject's label and page, its property."""

    label: str
    property: str
    link: str


class Shown(TypedDict):
    """The PDF's page: its image, its size, the boxes of the quote's characters on it."""

    src: str
    pixels: tuple[int, int]
    ratio: str  # its CSS aspect-ratio
    boxes: tuple[sources.Box, ...]
    pages: int  # (of the PDF)


class Marked(TypedDict):
    """A text around the quote, split at it."""

    before: str
    quote: str
    after: str
    note: str | None


class View(TypedDict):
    """What evidence.html is given."""

    target: str
    document: str
    file: str | None
    sha: str
    kind: str
    title: str | None
    date: str | None
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    page: int | None
    supports: list[Support]
    pdf: Shown | None
    text: Marked | None
    missing: str | None  # why the source is not shown


def routes(graph_dir: Path, answer: Ask, templates: Environment, limits: Limits) -> list[Route]:
    """The evidence routes over a graph folder: `answer` runs one of the server's queries (app.create_app's),
    `templates` is its Jinja environment."""
    # PDFium and numpy loaded here, once: each worker forked to render a page has them (loading them would
    # cost each worker 200 ms).
    import numpy  # noqa: F401
    import pypdfium2  # noqa: F401

    query_text = (Path(__file__).parent / "queries" / "evidence.rq").read_text(encoding="utf-8")
    worker = Limits(seconds=min(limits.seconds, RENDER_SECONDS), rows=1, memory_mb=limits.memory_mb)
    slots = anyio.CapacityLimiter(RENDERS)
    rendered: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    async def pdf_page(sha: str, number: int, quote: tuple[str, str, str] | None) -> sources.Page:
        path = sources.kept(graph_dir, sha, "pdf")
        if path is None:
            raise NotKept("this graph folder keeps no copy of the PDF")
        render = (sha, number) not in rendered
        call = functools.partial(sources.page, str(path), sha, number, quote, render)
        found = await anyio.to_thread.run_sync(bounded.call, call, worker, limiter=slots)
        if found.png is not None:
            rendered[(sha, number)] = found.png
            while len(rendered) > CACHED_PAGES:
                rendered.popitem(last=False)
        return found

    async def evidence(request: Request) -> Response:
        target = request.query_params.get("target", "")
        if not target.startswith(str(ID)) or len(target) > 2000:
            return _error(404, "no evidence of this graph is named by that address")
        try:
            result = await answer(_about(query_text, target), {})
        except LimitError as error:
            return _error(503, str(error))
        except QueryError as error:  # not an IRI
            return _error(400, f"not the address of a piece of evidence ({error})")
        view = _view(target, result)
        if view is None:
            return _error(404, f"the graph has no evidence {target}")
        sha, number = view["sha"], view["page"]
        if number is not None:
            try:
                found = await pdf_page(sha, number, (view["exact"], view["prefix"], view["suffix"]))
            except NotKept as error:
                view["missing"] = str(error)
            except (LimitError, QueryError) as error:
                view["missing"] = f"the page could not be rendered ({error})"
            else:
                view["pdf"] = {
                    "src": f"/sources/{sha}/page/{number}.png",
                    "pixels": found.pixels,
                    "ratio": f"{found.width:.2f} / {found.height:.2f}",
                    "boxes": found.boxes,
                    "pages": found.pages,
                }
        else:
            text = await anyio.to_thread.run_sync(sources.text_of, graph_dir, sha)
            if text is None:
                view["missing"] = "this graph folder keeps no copy of the document's text"
            else:
                view["text"] = _marked(text, view)
        return HTMLResponse(templates.get_template("evidence.html").render(**view))

    async def page_png(request: Request) -> Response:
        sha, number = request.path_params["sha"], request.path_params["number"]
        if not sources.SHA256.fullmatch(sha) or not 1 <= number <= 100_000:
            return _error(404, "no such page", html_page=False)
        png = rendered.get((sha, number))
        if png is None:
            try:
                png = (await pdf_page(sha, number, None)).png
            except NotKept as error:
                return _error(404, str(error), html_page=False)
            except (LimitError, QueryError) as error:
                return _error(503, f"the page could not be rendered ({error})", html_page=False)
        headers = IMMUTABLE | {"ETag": f'"{sha[:16]}-{number}-{sources.SCALE:g}"'}
        return Response(png, media_type="image/png", headers=headers)

    return [
        Route("/evidence", evidence),
        Route("/sources/{sha}/page/{number:int}.png", page_png),
    ]


def _about(text: str, iri: str) -> SavedQuery:
    """The query with the target's IRI written in for ?param_this, as N-Triples writes an IRI (pyoxigraph
    checks it), so that nothing can break out of it into the query."""
    import pyoxigraph as ox

    try:
        node = str(ox.NamedNode(iri))
    except ValueError:
        raise QueryError(f"{iri!r} is not an IRI") from None
    return SavedQuery("evidence", "evidence", "", (), text.replace("?param_this", node))


def _view(target: str, result: Answer) -> View | None:
    """What the evidence page shows, from the rows of evidence.rq (part, node, property, value); None if
    the target is no piece of evidence (no quote and position, or no document with its SHA-256)."""
    from ofsted_kg.namespaces import OA, OKG

    index = {v: i for i, v in enumerate(result.variables)}
    parts: dict[str, dict[str, dict[str, list[str]]]] = {}  # part -> node -> property ("" for a label) -> sorted values
    for row in result.rows:
        part, node, prop, value = (row[index[v]] for v in ("part", "node", "p", "o"))
        values = (
            parts.setdefault(str(part), {}).setdefault(str(node), {}).setdefault("" if prop is None else str(prop), [])
        )
        values.append(str(value))
    for nodes in parts.values():
        for properties in nodes.values():
            for values in properties.values():
                values.sort()

    def one(properties: dict[str, list[str]], prop: str) -> str | None:
        values = properties.get(str(prop))
        return values[0] if values else None

    kinds = {str(v): n for n, props in parts.get("selector", {}).items() for v in props.get(str(RDF_TYPE), [])}
    quote = parts.get("selector", {}).get(kinds.get(str(OA.TextQuoteSelector), ""), {})
    position = parts.get("selector", {}).get(kinds.get(str(OA.TextPositionSelector), ""), {})
    fragment = parts.get("selector", {}).get(kinds.get(str(OA.FragmentSelector), ""), {})
    documents = parts.get("document", {})
    if not quote or not position or len(documents) != 1:
        return None
    doc_iri, doc = next(iter(documents.items()))
    start, end = one(position, OA.start) or "", one(position, OA.end) or ""
    sha = one(doc, OKG.sha256)
    if not start.isdigit() or not end.isdigit() or sha is None:
        return None
    page = PAGE.fullmatch(one(fragment, RDF_VALUE) or "")
    labels = parts.get("label", {})
    supports = sorted(
        {
            (one(labels.get(subject, {}), "") or subject, _short(one(body, RDF_PREDICATE) or ""), subject)
            for body in parts.get("statement", {}).values()
            if (subject := one(body, RDF_SUBJECT)) is not None
        }
    )
    kind: dict[str, list[str]] = next(iter(parts.get("kind", {}).values()), {})
    return {
        "target": target,
        "document": _local(doc_iri),
        "file": one(doc, OKG.fileName),
        "sha": sha,
        "kind": one(kind, "") or "",
        "title": one(doc, DCTERMS_TITLE),
        "date": one(doc, DCTERMS_DATE),
        "exact": one(quote, OA.exact) or "",
        "prefix": one(quote, OA.prefix) or "",
        "suffix": one(quote, OA.suffix) or "",
        "start": int(start),
        "end": int(end),
        "page": int(page.group(1)) if page else None,
        "supports": [{"label": label, "property": prop, "link": _local(subject)} for label, prop, subject in supports],
        "pdf": None,
        "text": None,
        "missing": None,
    }


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
RDF_PREDICATE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
DCTERMS_DATE = "http://purl.org/dc/terms/date"


def _marked(text: str, view: View) -> Marked:
    """The text around the quote, split at it: at its offsets where the text there is the quote, else where
    the quote is found (with the words either side); a note if it is nowhere."""
    start, end = view["start"], view["end"]
    if not (0 <= start < end <= len(text) and text[start:end] == view["exact"]):
        found = sources.locate(text, view["exact"], view["prefix"], view["suffix"])
        if found is None:
            return {"before": text[:WHOLE_TEXT], "quote": "", "after": "", "note": "the quote is not in this text"}
        start, end = found
    low, high = (0, len(text)) if len(text) <= WHOLE_TEXT else (max(0, start - AROUND), min(len(text), end + AROUND))
    return {
        "before": ("…" if low else "") + text[low:start],
        "quote": text[start:end],
        "after": text[end:high] + ("…" if high < len(text) else ""),
        "note": None,
    }


def _local(iri: str) -> str:
    return "/id/" + iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _error(status: int, message: str, html_page: bool = True) -> Response:
    if html_page:
        body = f"<!doctype html><title>{status}</title><main><h1>{status}</h1><p>{html.escape(message)}</p></main>"
        return HTMLResponse(body, status_code=status)
    return Response(message + "\n", status_code=status, media_type="text/plain")
