"""The web application's routes (Starlette): the home page, the SPARQL endpoint and the saved queries.

Only the web package (the routes here and in resource.py, evidence.py and services.py) and the cli
package, for `serve`, touch HTTP. Every query, the endpoint's and the saved queries', runs in a standing
forked worker stopped at its limits (answers.py, pool.py), waited for in a thread so that the server goes
on answering other clients meanwhile; a query stopped at a limit is answered 503 before any byte of a
result is sent, since a result is sent only once it is whole.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import html
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

import anyio
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import URIRef
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ofsted_kg import in_memory as graph_in_memory
from ofsted_kg import queries, results, store
from ofsted_kg.bounded import LimitError, Limits, WorkerDied
from ofsted_kg.errors import GraphError, QueryError, RefusedQuery
from ofsted_kg.namespaces import ID
from ofsted_kg.queries import Answer, SavedQuery
from ofsted_kg.text import squash
from ofsted_kg.web import evidence, protocol, search, services
from ofsted_kg.web import pages as special
from ofsted_kg.web.answers import Answers, in_yielding_thread
from ofsted_kg.web.protocol import ProtocolError
from ofsted_kg.web.resource import about, local, pages_for, resource_view

if TYPE_CHECKING:
    from ofsted_kg.queries import QueryStore

CORS = {"Access-Control-Allow-Origin": "*"}
# Two lanes of workers, so that the endpoint's queries (anyone's text, which may run away) never hold up
# the pages: the pages' and saved queries' own workers, and the endpoint's, which yield the CPU to them.
PAGE_WORKERS, ENDPOINT_WORKERS, ENDPOINT_NICENESS = 2, 2, 10
# And a third for the warm-up: one worker that yields the CPU to everyone, and keeps what it makes where the
# pages' lane finds it. On the pages' own lane, the warm-up held one of its two workers and a core for
# minutes on England's graph, and a page asked meanwhile took 1.2 s (p95) where it takes 0.1 s alone.
WARM_NICENESS = 19
PAGE_ROWS = 200  # rows of a saved query's table on one page
PREPARE_SECONDS = 1.5  # at most, before the server takes its first request (prepare): it must start in 3 s


def create_app(
    graph_dir: Path,
    limits: Limits | None = None,
    warm: bool = False,
    source: QueryStore | None = None,
    in_memory: bool = False,
    notify: Callable[[str], object] | None = None,
) -> Starlette:
    """The application over the graph folder's store, opened read-only once, or over `source` (a remote
    store: remote.RemoteStore; the folder then only lends the copies of the sources it keeps, if any);
    `warm`: ask the costliest queries in the background once it has started; `in_memory`: read the graph
    into memory meanwhile, and make the pages from it once it is there (`notify` is told how it went)."""
    limits = limits or Limits(seconds=30.0, rows=100_000, memory_mb=2048)
    dataset: QueryStore = source if source is not None else store.open_store(graph_dir)
    tell = notify or (lambda message: None)
    # The merged graph's file, opened with the store: what is read into memory is the store's graph.
    merged = None
    if in_memory and source is None and graph_dir.is_dir():
        try:
            merged = graph_in_memory.open_merged(graph_dir)
        except GraphError as error:
            tell(f"the pages are made from the on-disk store: {error}")
    saved = {q.name: q for q in queries.saved_queries()}
    templates = _templates()
    # The page workers' own: a worker forked while a thread here held a template cache's lock would wait for
    # it for ever, so the workers render with templates this process never renders with.
    page_templates = _templates()
    own = {name: _own_text(name) for name in ("resource", "incoming", "describe", "pages", "council", "inspection")}

    def make_page(iri: str, ask: Callable[[SavedQuery], Answer]) -> str | None:
        """A resource's page (None: the graph says nothing about it), made in a page worker (Answers.page)."""
        statements = ask(about(own["resource"], iri))
        if not statements.rows:
            return None
        which = special.kind(statements)  # a council's and an inspection's pages have their own views
        if which:
            view = special.page(
                which, iri, statements, ask, lambda name, i: about(own[name], i),
                lambda targets: pages_for(own["pages"], Answer("SELECT", ["target"], [[URIRef(t)] for t in targets])),
                resource_view, local,
            )  # fmt: skip
            return page_templates.get_template(f"{which}.html").render(**view)
        incoming = ask(about(own["incoming"], iri))
        pages = ask(pages_for(own["pages"], statements))
        plain = resource_view(iri, statements, incoming, {str(t): str(p) for t, p in pages.rows})
        return page_templates.get_template("resource.html").render(**plain)

    answers = Answers(dataset, limits, PAGE_WORKERS, pages=make_page)
    endpoint = Answers(dataset, limits, ENDPOINT_WORKERS, nice=ENDPOINT_NICENESS)
    warming = Answers(dataset, limits, 1, nice=WARM_NICENESS, shares=answers, pages=make_page) if warm else None
    lane_asked: contextvars.ContextVar[Answers] = contextvars.ContextVar("lane", default=answers)

    async def written(query: SavedQuery, params: dict[str, str], name: str, lane: Answers = answers) -> str:
        return await lane.write(query, params, (name,), functools.partial(_render, name=name))

    async def answer(query: SavedQuery, params: dict[str, str], lane: Answers | None = None) -> Answer:
        """The answer of a query, on `lane` or by default the lane of the task that asks (the warm-up's)."""
        try:
            return await (lane or lane_asked.get()).get(query, params)
        except WorkerDied as error:  # not the query's fault: 500, not the 400 of a QueryError
            raise _ServerFault(str(error)) from None

    def page(name: str, **context: object) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context))

    held: special.Holds = {}  # what the graph holds, asked once (special.home)

    async def home(request: Request) -> Response:
        try:
            holds = await special.home(answer, held)
        except QueryError as error:  # (LimitError too) the page without the counts
            holds = {"counts": [], "regions": [], "problem": str(error)}
        return page("home.html", queries=sorted(saved.values(), key=lambda q: q.name), graph=graph_dir.name, **holds)

    async def sparql(request: Request) -> Response:
        try:
            params = parse_qs(request.url.query, keep_blank_values=True)
            if request.method == "POST":
                body = await _body(request, protocol.MAX_QUERY_BYTES + 1024)
                asked = protocol.from_post(request.headers.get("content-type", ""), body, params)
            else:
                asked = protocol.from_get(params)
            if asked.update:
                raise ProtocolError(403, "SPARQL Update is refused: the graph can only be read")
            if asked.query is None:
                if "text/html" in request.headers.get("accept", ""):
                    chosen = saved.get(request.query_params.get("example", ""), saved.get("judgements"))
                    return page(
                        "sparql.html",
                        queries=sorted(saved.values(), key=lambda q: q.name),
                        examples={q.name: q.text for q in saved.values()},
                        example_text=chosen.text if chosen else "",
                    )
                endpoint_url = str(request.url.replace(query=""))
                described = protocol.description(
                    endpoint_url, str(request.url.replace(path="/queries/", query="")), saved.values()
                )
                return Response(described, media_type="text/turtle", headers=CORS | {"Vary": "Accept"})
            query = SavedQuery("query", "query", "", (), asked.query)
            result = await answer(query, {}, endpoint)
            name, media = protocol.negotiate(request.headers.get("accept", ""), result.kind, asked.format)
            text = await written(query, {}, name, endpoint)
            return Response(text, media_type=media, headers=CORS | {"Vary": "Accept"})
        except ProtocolError as error:
            return _error(error.status, error.message)
        except LimitError as error:
            return _error(503, str(error))
        except RefusedQuery as error:
            return _error(403, str(error))
        except QueryError as error:
            return _error(400, str(error))

    async def options(request: Request) -> Response:
        headers = CORS | {"Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Allow-Headers": "*"}
        return Response(status_code=204, headers=headers)

    async def query_list(request: Request) -> Response:
        return page("queries.html", queries=sorted(saved.values(), key=lambda q: q.name))

    async def query_page(request: Request) -> Response:
        query = saved.get(request.path_params["name"])
        if query is None:
            return _error(404, f"no saved query named {request.path_params['name']!r}", html_page=True)
        given = {p.name: request.query_params.get(p.name, "").strip() for p in query.parameters}
        fmt = request.query_params.get("format")
        if any(not v for v in given.values()):  # the form, to fill in
            return page("query.html", query=query, given=given, answer=None, links={}, error=None)
        number = request.query_params.get("page", "1")
        if not number.isdigit() or not 0 < int(number) < 10**6:
            return _error(400, f"page must be a whole number from 1, not {number[:20]!r}", html_page=fmt is None)
        try:
            result = await answer(query, given)
            if fmt:
                name, media = protocol.negotiate("", result.kind, fmt)
                return Response(await written(query, given, name), media_type=media, headers=CORS)
        except ProtocolError as error:
            return _error(error.status, error.message)
        except LimitError as error:
            return _error(503, str(error), html_page=fmt is None)
        except QueryError as error:
            return _error(400, str(error), html_page=fmt is None)
        kinds = protocol.GRAPH_TYPES if result.kind == "GRAPH" else protocol.ROW_TYPES
        links = {n: "?" + urlencode({**given, "format": n}) for n in kinds}
        pages = max(1, -(-len(result.rows) // PAGE_ROWS))
        shown = min(int(number), pages)
        first = (shown - 1) * PAGE_ROWS

        def table(result: Answer) -> str:  # one page of the table: the downloads hold every row
            return templates.get_template("query.html").render(
                query=query, given=given, answer=result, links=links, error=None, rows=result.rows[first : first + PAGE_ROWS],
                page=shown, pages=pages, first=first + 1, last=min(first + PAGE_ROWS, len(result.rows)),
                page_link=lambda n: "?" + urlencode({**given, "page": n}),
            )  # fmt: skip

        return HTMLResponse(await answers.write(query, given, ("html", shown), table))

    labels = SavedQuery("labels", "labels", "", (), _own_text("labels"))
    areas = SavedQuery("areas", "areas", "", (), _own_text("areas"))

    indexed: list[tuple[Answer, search.Index]] = []  # the labels' answer, and its index made once

    async def searchable() -> search.Index:
        everything = await answer(labels, {})
        if not indexed or indexed[0][0] is not everything:  # (kept answers may be let go, and asked again)
            indexed[:] = [(everything, await anyio.to_thread.run_sync(search.index, everything))]
        return indexed[0][1]

    async def searching(request: Request) -> Response:
        q = squash(request.query_params.get("q", ""))[:200]
        found: list[dict[str, str]] = []  # link, label, kind
        if q:
            try:
                everything = await searchable()
            except LimitError as error:
                return _error(503, str(error), html_page=True)
            except QueryError as error:
                return _error(400, str(error), html_page=True)
            found = [{"link": local(t), "label": label, "kind": kind} for t, label, kind in search.found(everything, q)]
        return page("search.html", q=q, found=found)

    async def resource(request: Request) -> Response:
        iri = str(ID) + request.path_params["path"]
        accept = request.headers.get("accept", "")
        wanted = request.query_params.get("format")
        html_wanted = not wanted and ("text/html" in accept or not accept.strip())
        alternates = ", ".join(f'<?format={n}>; rel="alternate"; type="{t}"' for n, t in protocol.GRAPH_TYPES.items())
        headers = {"Vary": "Accept", "Link": alternates}
        try:
            if not html_wanted:
                name, media = protocol.negotiate(accept, "GRAPH", wanted)
                describe = about(own["describe"], iri)
                graph = await answer(describe, {})
                if graph.graph is None or not len(graph.graph):  # (a DESCRIBE's answer is a graph)
                    return _error(404, f"the graph says nothing about {iri}")
                return Response(await written(describe, {}, name), media_type=media, headers=CORS | headers)
            made = await resource_html(iri)
        except ProtocolError as error:
            return _error(error.status, error.message)
        except LimitError as error:
            return _error(503, str(error), html_page=True)
        except QueryError as error:  # an address that is no IRI ('/id/a%5Bb')
            return _error(404, f"no resource {iri!r} ({error})", html_page=True)
        if made is None:
            return _error(404, f"the graph says nothing about {iri}", html_page=True)
        return HTMLResponse(made, headers=headers)

    async def resource_html(iri: str) -> str | None:
        """A resource's page (None: the graph says nothing about it), made on the lane of the task that asks
        and kept once made: the graph does not change while it is served."""
        try:
            return await lane_asked.get().page(iri)
        except WorkerDied as error:
            raise _ServerFault(str(error)) from None

    routes = [
        Route("/", home),
        Route("/id/{path:path}", resource),
        Route("/search", searching),
        Route("/services", services.handler(lambda: answers.store, limits, anyio.CapacityLimiter(1), templates, local)),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/sparql", options, methods=["OPTIONS"]),
        Route("/queries", query_list),
        Route("/queries/{name}", query_page),
        *evidence.routes(graph_dir, answer, templates, limits),  # /evidence, /sources/SHA256/page/N.png
        Mount("/static", StaticFiles(packages=[("ofsted_kg.web", "static")]), name="static"),
    ]

    async def into_memory() -> None:
        """Read the graph into memory, in a thread that yields the CPU to everyone (the pages are made
        from the on-disk store meanwhile), then answer from it: the pages, the saved queries, and the
        endpoint's queries but those that name a graph, which only the on-disk store holds."""
        assert merged is not None
        began = time.perf_counter()
        try:
            loaded = await in_yielding_thread(graph_in_memory.load_merged, *merged)
        except GraphError as error:
            tell(f"the pages are made from the on-disk store: {error}")
        else:
            for lane in (answers, warming):
                if lane is not None:
                    lane.use(loaded)
            endpoint.use(loaded, named=dataset)  # (only the on-disk store holds the documents' graphs)
            app.state.in_memory = True
            tell(f"the graph is in memory ({time.perf_counter() - began:.1f} s): the pages are made from it")
        finally:
            merged[0].close()

    async def prepare(done: anyio.Event) -> None:
        """What the first clients' pages need and costs most the first time, asked at once on the pages'
        own lane (two workers at full priority): the home page's counts, the labels the search box scans,
        the saved queries that need no parameter. The server waits for it (up to PREPARE_SECONDS) before it
        takes its first request: clients that asked for these in the server's first seconds waited behind
        each other (a p95 of 380 ms over the first 5 s on England's graph), and they take about a second."""
        await _spared(special.home, answer, held)  # first: the page every client opens (two small queries)
        async with anyio.create_task_group() as group:
            group.start_soon(_spared, searchable)
            for query in (q for _, q in sorted(saved.items()) if not q.parameters):
                group.start_soon(_spared, answer, query, {})
        done.set()

    async def warm_up() -> None:
        """Ask, one at a time, what costs most the first time (the labels the search box scans, the saved
        queries that need no parameter, the pages of councils and inspections, the saved queries of each
        council and area), so that the first clients do not wait for it. What fails is left to be made
        when asked for: a worker that dies on one page (_ServerFault) must not end the server. Its queries
        run on its own lane (this task's context says which)."""
        assert warming is not None
        lane_asked.set(warming)
        with contextlib.suppress(*_SPARED):
            await searchable()
        for query in (q for _, q in sorted(saved.items()) if not q.parameters):
            with contextlib.suppress(*_SPARED):
                await answer(query, {})
        # Then every council's and inspection's page, made ahead of the first client who asks for it (about
        # half a minute of one core on England's graph; a page asked for meanwhile is made at once).
        with contextlib.suppress(*_SPARED):
            things = await answer(labels, {})
            for iri in sorted({str(row[0]) for row in things.rows if str(row[1]) in ("council", "inspection")}):
                with contextlib.suppress(*_SPARED):
                    await resource_html(iri)
            # Then the saved queries of a council or an area, for each council (by the name its page
            # gives) and each area: the parameters their forms are most often filled with.
            values = {
                "council": sorted({str(row[2]) for row in things.rows if str(row[1]) == "council"}),
                "area": sorted({str(row[0]) for row in (await answer(areas, {})).rows}),
            }
            for query in (q for _, q in sorted(saved.items()) if len(q.parameters) == 1):
                for value in values.get(query.parameters[0].name, []):
                    with contextlib.suppress(*_SPARED):
                        await answer(query, {query.parameters[0].name: value})
        app.state.warmed = True

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            if warm and source is None:  # (a remote store's queries are bounded by its own time limits)
                prepared = anyio.Event()
                group.start_soon(prepare, prepared)
                with anyio.move_on_after(PREPARE_SECONDS):  # what is not done by then is done meanwhile
                    await prepared.wait()
            if merged is not None:
                group.start_soon(into_memory)
            if warm:
                group.start_soon(warm_up)
            try:
                yield
            finally:
                group.cancel_scope.cancel()
                answers.close()
                endpoint.close()
                if warming is not None:
                    warming.close()

    async def fault(request: Request, error: Exception) -> Response:
        return _error(500, str(error))

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={_ServerFault: fault})
    app.state.answers = answers  # (what the server keeps, for a test or a debugger to look at)
    app.state.warming = warming
    app.state.endpoint = endpoint
    app.state.warmed = False  # (whether warm_up has asked all it asks)
    app.state.in_memory = False  # (whether the pages are made from the graph in memory)
    return app


class _ServerFault(Exception):
    """Something in the server failed (a worker died): answered 500 with what is known."""


_SPARED = (QueryError, _ServerFault)  # what the warm-up goes on after


async def _spared(function: Callable[..., Awaitable[object]], *args: object) -> None:
    """function(*args), awaited; a query that fails (or a worker that dies) is left to be asked again."""
    with contextlib.suppress(*_SPARED):
        await function(*args)


def _templates() -> Environment:
    templates = Environment(loader=PackageLoader("ofsted_kg.web", "templates"), autoescape=select_autoescape())
    templates.filters["local"] = local  # a resource of the graph -> its page on this server
    return templates


def _own_text(name: str) -> str:
    return (Path(__file__).parent / "queries" / f"{name}.rq").read_text(encoding="utf-8")


async def _body(request: Request, limit: int) -> bytes:
    """A request's body, read no further than `limit` bytes (413 beyond: it is never held whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"the request is longer than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"the request is longer than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _render(answer: Answer, name: str) -> str:
    if name == "xml":
        return results.xml(answer)
    return results.render(answer, name)


def _error(status: int, message: str, html_page: bool = False) -> Response:
    if html_page:
        body = f"<!doctype html><title>{status}</title><main><h1>{status}</h1><p>{html.escape(message)}</p></main>"
        return HTMLResponse(body, status_code=status)
    return PlainTextResponse(message + "\n", status_code=status, headers=CORS)
