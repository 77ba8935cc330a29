"""The services view as a page of the server (/services): the services, teams, boards and partners of a
council, a region or England, linked to each other by the relations the texts state.

The view is the one `ofsted-kg viz services` draws (viz.network.services_view, drawn by viz.render with
its script and style, so the same filters, search and hover quotes), read from the store for the chosen
councils only; each node's name links to its page on this server. Making it (queries, layout, drawing)
takes from a fraction of a second for a council to seconds for England, in a forked worker stopped at
the server's limits; the graph does not change while it is served, so each view is made once and kept.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from ofsted_kg.errors import QueryError
from ofsted_kg.text import squash

if TYPE_CHECKING:
    import anyio
    from jinja2 import Environment
    from rdflib import Graph
    from starlette.requests import Request
    from starlette.responses import HTMLResponse

    from ofsted_kg.bounded import Limits
    from ofsted_kg.viz.fetch import Store

GSS = re.compile(r"E\d{8}")
KEPT = 16  # views kept in memory (a council's is tens of kB, England's a few MB)


class NotFound(QueryError):
    """No council is of the scope asked for."""


class View(TypedDict):
    """What services.html is given."""

    title: str
    svg: str
    legend: str
    labels: str  # JSON, to be written in a script element
    nodes: int
    links: int
    councils: list[dict[str, str]]  # name, gss
    only_related: bool  # (England's: only the services with a stated relation)
    script: str
    style: str


def scope(council: str, region: str) -> tuple[str, str]:
    """The checked parameters: a GSS code, or a region's name, or neither (England); a 400 otherwise."""
    council, region = council.strip(), squash(region)
    if council and region:
        raise QueryError("ask for a council or a region, not both")
    if council and not GSS.fullmatch(council):
        raise QueryError(f"{council[:40]!r} is not a council's GSS code (such as E08000031)")
    if len(region) > 100 or not re.fullmatch(r"[\w ,'&().-]*", region):
        raise QueryError("a region is named in letters (such as West Midlands)")
    return council, region


def make(store: Store, council: str, region: str, link: Callable[[str], str]) -> View:
    """The view's parts for the page (run in the worker): its title, drawing, legend and labels."""
    import pyoxigraph as ox

    from ofsted_kg.viz import fetch, network, render

    found = list(
        store.query(
            _text("councils"),
            substitutions={
                ox.Variable("param_council"): ox.Literal(council),
                ox.Variable("param_region"): ox.Literal(region),
            },
        )
    )
    if not found:
        raise NotFound(f"no council has {'the GSS code ' + council if council else 'the region ' + region}")
    councils = [str(ox.NamedNode(row["council"].value)) for row in found]  # checked IRIs, written <...>
    if council:
        title = f"Services of {found[0]['name'].value}"
    elif region:
        title = f"Services in {found[0]['region'].value}"
    else:
        title = "Services in England"
    # England's services are thousands: its view has those with a stated relation (and what they relate
    # to); the others are each council's and region's to show.
    england = council == "" and region == ""
    if england:
        part = _construct(store, _text("services-related"))
    else:
        part = _construct(store, _text("services-of") + f"\nVALUES ?council {{ {' '.join(councils)} }}\n")
    drawn = fetch._described(store, part, lambda graph: network.services_view(graph, runs=True))
    return {
        "title": title,
        "svg": render.svg(drawn, title, interactive=True, link=link),
        "legend": render.legend(drawn),
        "labels": json.dumps(sorted(d["label"] for _, d in drawn.nodes(data=True)), ensure_ascii=False).replace(
            "</", "<\\/"
        ),
        "nodes": drawn.number_of_nodes(),
        "links": drawn.number_of_edges(),
        "councils": [{"name": row["name"].value, "gss": row["gss"].value} for row in found],
        "only_related": england,
        "script": render.asset("page.js"),
        "style": render.asset("page.css"),
    }


def _construct(store: Store, text: str) -> Graph:
    from rdflib import Graph

    from ofsted_kg.viz.fetch import construct_into

    graph = Graph()
    construct_into(store, text, graph, "services-of")
    return graph


def _text(name: str) -> str:
    return (Path(__file__).parent / "queries" / f"{name}.rq").read_text(encoding="utf-8")


class Kept:
    """The views made, by scope: the most recently asked for KEPT of them."""

    def __init__(self) -> None:
        self.views: OrderedDict[tuple[str, str], View] = OrderedDict()

    def get(self, key: tuple[str, str]) -> View | None:
        if key in self.views:
            self.views.move_to_end(key)
        return self.views.get(key)

    def put(self, key: tuple[str, str], value: View) -> None:
        self.views[key] = value
        while len(self.views) > KEPT:
            self.views.popitem(last=False)


def handler(
    dataset: Callable[[], Store],
    limits: Limits,
    slots: anyio.CapacityLimiter,
    templates: Environment,
    local: Callable[[str], str],
) -> Callable[[Request], Awaitable[HTMLResponse]]:
    """The /services route: ?council=GSS, ?region=NAME, or neither for England; its views made from the
    store dataset() gives when one is asked for (the graph in memory, once the server has read it)."""
    import functools

    import anyio
    from starlette.responses import HTMLResponse

    from ofsted_kg import bounded
    from ofsted_kg.bounded import LimitError, Limits

    kept = Kept()
    making = anyio.Lock()  # one view made at a time: England's takes a worker for half a minute
    # The server's own work, of a few kinds at most (a council, a region, England), each made once: it
    # may take longer than a query of a client's (England's view took 33 s on 2 cores).
    allowed = Limits(seconds=max(limits.seconds, 180.0), rows=limits.rows, memory_mb=max(limits.memory_mb, 4096))

    def error(status: int, message: str) -> HTMLResponse:
        from html import escape

        body = f"<!doctype html><title>{status}</title><main><h1>{status}</h1><p>{escape(message)}</p></main>"
        return HTMLResponse(body, status_code=status)

    async def services(request: Request) -> HTMLResponse:
        try:
            key = scope(request.query_params.get("council", ""), request.query_params.get("region", ""))
        except QueryError as problem:
            return error(400, str(problem))
        view = kept.get(key)
        if view is None:
            async with making:
                view = kept.get(key)
                if view is None:
                    current = dataset()
                    made = functools.partial(make, current, *key, local)
                    # (a remote store bounds its own queries, and a forked worker may not open a socket)
                    remote = getattr(current, "remote", False)
                    run = made if remote else functools.partial(bounded.call, made, allowed)
                    try:
                        new: View = await anyio.to_thread.run_sync(run, limiter=slots)
                    except NotFound as problem:
                        return error(404, str(problem))
                    except LimitError as problem:
                        return error(503, str(problem))
                    except QueryError as problem:
                        return error(400, str(problem))
                    kept.put(key, new)
                    view = new
        return HTMLResponse(templates.get_template("services.html").render(**view))

    return services
