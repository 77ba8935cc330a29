"""`queries`, `query`, `export` and `viz`: what a built graph holds, asked, written out or drawn."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ofsted_kg.cli.output import EXIT_OK, check_output, emit, say
from ofsted_kg.cli.stores import limits, opened
from ofsted_kg.errors import OfstedKGError, OutputError, QueryError

if TYPE_CHECKING:
    from rdflib.term import Node


def list_queries() -> int:
    from ofsted_kg.queries import saved_queries

    saved = saved_queries()
    width = max(len(q.name) for q in saved)
    for q in saved:
        params = f"  [--param {' --param '.join(p.name + '=...' for p in q.parameters)}]" if q.parameters else ""
        print(f"{q.name.ljust(width)}  {q.title}{params}")
    return EXIT_OK


def run_query(args: argparse.Namespace) -> int:
    from ofsted_kg import queries, results

    if bool(args.query) == bool(args.sparql):
        raise QueryError("give a saved query's name, a .rq file, or --sparql TEXT (one of them)")
    query = queries.parse_saved("inline", args.sparql) if args.sparql else queries.load(args.query)
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--param takes NAME=VALUE, not '{item}'")
        params[name.strip()] = value
    queries.check(query.text, "inline query" if args.sparql else f"query {query.name}")  # refuse before loading
    check_output(args.output)
    answer = queries.run_bounded(opened(args), query, params, limits(args))
    fmt = args.format or ("table" if sys.stdout.isatty() and args.output is None else "csv")
    if answer.kind == "GRAPH" and args.format is None:
        fmt = "turtle"
    emit(results.render(answer, fmt), args.output)
    return EXIT_OK


def export_graph(args: argparse.Namespace) -> int:
    from ofsted_kg import export, store, stored

    check_output(args.output)
    found = store.open_store(args.graph, notify=say)
    if args.document or args.format == "trig":
        graphs = stored.named_graphs(found, args.document)
        if args.document and not graphs:
            raise OfstedKGError(f"{args.graph}: no document '{args.document}' in this graph")
        if args.format == "trig":
            text = export.trig(graphs)
        else:
            text = _one(args.format, set().union(*graphs.values()))
    elif args.format == "nt":
        text = stored.ntriples(found)
    else:
        text = _one(args.format, stored.merged(found))
    emit(text, args.output)
    return EXIT_OK


def _one(fmt: str, triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """One graph in one format (the writers of Turtle and N-Triples take triples; JSON-LD, a graph)."""
    from ofsted_kg import export

    if fmt == "jsonld":
        from rdflib import Graph

        graph = Graph()
        for triple in triples:
            graph.add(triple)
        return export.jsonld(graph)
    return export.turtle(triples) if fmt == "turtle" else export.ntriples(triples)


def draw(args: argparse.Namespace) -> int:
    from ofsted_kg import queries
    from ofsted_kg.folder import write_atomic
    from ofsted_kg.outputs import check_file, check_folder
    from ofsted_kg.viz import fetch, render

    check_folder(args.out)
    formats = args.format or ["html", "svg"]
    for fmt in formats if args.out.is_dir() else ():  # (a new folder is made, with parents, when written)
        check_file(args.out / f"{args.query.stem if args.query else args.view}.{fmt}")
    found = opened(args)
    if args.query:
        answer = queries.run_bounded(found, queries.load(str(args.query)), limits=limits(args))
        if answer.kind != "GRAPH" or answer.graph is None:
            raise QueryError(f"{args.query}: viz draws the graph a CONSTRUCT query gives, not rows")
        view, name = fetch.construct_view(found, answer.graph), args.query.stem
    elif args.view == "inspections":
        view, name = fetch.inspections_view(found, args.council, args.inspection), "inspections"
    else:
        view, name = fetch.services_view(found, args.council, args.inspection), "services"
    title = {"services": "Services, teams and boards, and how they relate", "inspections": "Inspections"}.get(
        name, name
    )
    if args.council or args.inspection:
        title += " — " + " ".join(x for x in (args.council, str(args.inspection) if args.inspection else None) if x)
    writers = {
        "html": lambda: render.page(view, title),
        "svg": lambda: render.svg(view, title),
        "graphml": lambda: render.graphml(view),
        "gexf": lambda: render.gexf(view),
    }
    for fmt in formats:
        path = args.out / f"{name}.{fmt}"
        content = render.png(view, title) if fmt == "png" else writers[fmt]()
        try:
            write_atomic(path, content)
        except OSError as error:
            raise OutputError(f"{path}: cannot be written ({error.strerror or error})") from None
        print(f"wrote {path} ({view.number_of_nodes()} nodes, {view.number_of_edges()} links)")
    return EXIT_OK
