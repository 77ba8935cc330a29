"""The command line's grammar: each command, its arguments and options, and their help."""

from __future__ import annotations

import argparse
from pathlib import Path

from ofsted_kg import __version__
from ofsted_kg.bounded import Limits


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ofsted-kg",
        description="Build, validate and query a knowledge graph of Ofsted inspections of councils' children's services.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build = commands.add_parser(
        "build",
        help="build the graph from documents",
        description="Read documents (files or folders) in parallel, extract their facts with provenance, "
        "validate the graph with SHACL (a document whose facts break a shape is rejected, the rest built) and "
        "write the graph as Turtle, TriG and an Oxigraph store.",
    )
    build.add_argument(
        "documents", nargs="*", type=Path, metavar="DOCS", help="files or folders of documents (default: seeds)"
    )
    build.add_argument(
        "--out", type=Path, default=Path("graph"), metavar="DIR", help="folder to write the graph to (default: graph)"
    )
    _parallel_options(build)

    adder = commands.add_parser(
        "add",
        help="add documents to a built graph without building the rest again",
        description="Read new documents and add their facts to a built graph. Only what they change is written "
        "anew and checked; the result is what a build of the graph's documents and these would give. "
        "A document of the same file name as one in the graph replaces it.",
    )
    adder.add_argument("documents", nargs="+", type=Path, metavar="DOCS", help="files or folders of documents")
    adder.add_argument(
        "--graph", type=Path, default=Path("graph"), metavar="DIR", help="the built graph (default: graph)"
    )
    _parallel_options(adder)
    adder.add_argument(
        "--push",
        metavar="URL",
        help="then push the graphs that changed to this store (its Graph Store Protocol URL), as push does",
    )
    _store_options(adder)

    pusher = commands.add_parser(
        "push",
        help="publish the graph to a triple store (SPARQL 1.1 Graph Store Protocol)",
        description="Write each named graph of the built graph (one per document, the reference graph, the "
        "preferences) to a triple store with the Graph Store Protocol: PUT, which replaces that graph. Only "
        "the graphs that changed since the last push to that store are sent, and those of removed documents "
        "deleted; pushing again finishes a push that failed half-way.",
    )
    pusher.add_argument("--store", required=True, metavar="URL", help="the store's Graph Store Protocol URL")
    pusher.add_argument(
        "--graph", type=Path, default=Path("graph"), metavar="DIR", help="the built graph (default: graph)"
    )
    pusher.add_argument(
        "--connections", type=_positive, default=4, metavar="N", help="graphs sent at once (default: 4)"
    )
    pusher.add_argument("--all", action="store_true", help="send every graph, changed or not")
    pusher.add_argument(
        "--timeout", type=_seconds, default=120.0, metavar="SECONDS",
        help="how long the store may take to take one graph (default: 120; a store that parses the whole "
        "default graph before it answers may need more)",
    )  # fmt: skip
    _store_options(pusher)

    check = commands.add_parser(
        "validate",
        help="check a built graph against the SHACL shapes",
        description="Validate a built graph against ontology/shapes.ttl and print the report.",
    )
    check.add_argument(
        "graph",
        nargs="?",
        type=Path,
        default=Path("graph"),
        metavar="GRAPH",
        help="a graph folder or file (default: graph)",
    )
    check.add_argument("--all", action="store_true", help="print every result, not only the first 50")

    commands.add_parser(
        "queries", help="list the saved queries", description="List the saved queries with their titles."
    )

    query = commands.add_parser(
        "query",
        help="run a saved query, a query file, or SPARQL",
        description="Run a saved query (by name), a query file (.rq), or --sparql TEXT against a built graph. "
        "Results print as a table on a terminal, as CSV otherwise.",
    )
    query.add_argument("query", nargs="?", metavar="NAME|FILE", help="a saved query's name, or a .rq file")
    query.add_argument("--sparql", metavar="TEXT", help="a query given inline")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter of the query")
    query.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json", "turtle", "jsonld", "nt"),
        help="table, csv, tsv or json for rows; turtle, jsonld or nt for CONSTRUCT and DESCRIBE",
    )
    query.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (a regular file, replaced atomically) instead of standard output (-)",
    )
    query.add_argument(
        "--graph", type=Path, default=Path("graph"), metavar="DIR", help="the built graph (default: graph)"
    )
    _endpoint_options(query)
    _limit_options(query, Limits())

    viz = commands.add_parser(
        "viz",
        help="draw a view of the graph (HTML page, SVG, PNG, GraphML, GEXF)",
        description="Draw how services relate (services), or a council's inspections with their judgements, "
        "recommendations, actions and lead officers (inspections), or the result of a CONSTRUCT query (--query). "
        "Writes VIEW.html and VIEW.svg by default.",
    )
    viz.add_argument("view", nargs="?", choices=("services", "inspections"), default="services")
    viz.add_argument("--council", metavar="GSS", help="only this council (its ONS GSS code, e.g. E08000031)")
    viz.add_argument("--inspection", type=int, metavar="YEAR", help="only what concerns the inspection of this year")
    viz.add_argument("--query", type=Path, metavar="FILE", help="draw the result of this CONSTRUCT query instead")
    viz.add_argument(
        "--format",
        action="append",
        choices=("html", "svg", "png", "graphml", "gexf"),
        help="what to write (repeatable; default: html and svg)",
    )
    viz.add_argument(
        "--out", type=Path, default=Path("graph"), metavar="DIR", help="folder to write to (default: graph)"
    )
    viz.add_argument(
        "--graph", type=Path, default=Path("graph"), metavar="DIR", help="the built graph (default: graph)"
    )
    _endpoint_options(viz)
    _limit_options(viz, Limits())

    exporter = commands.add_parser(
        "export",
        help="write the graph in a standard RDF format",
        description="Write the whole graph, or one source document's named graph, as Turtle, N-Triples, JSON-LD or TriG.",
    )
    exporter.add_argument("--format", choices=("turtle", "nt", "jsonld", "trig"), default="turtle")
    exporter.add_argument("--document", metavar="DOC", help="only this document's named graph (its file name or IRI)")
    exporter.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (a regular file, replaced atomically) instead of standard output (-)",
    )
    exporter.add_argument(
        "--graph", type=Path, default=Path("graph"), metavar="DIR", help="the built graph (default: graph)"
    )
    server = commands.add_parser(
        "serve",
        help="serve the graph on the web: SPARQL endpoint, saved queries, pages",
        description="Serve the built graph, read-only: a SPARQL 1.1 Protocol endpoint at /sparql and the saved "
        "queries as pages at /queries. Every query runs within --timeout and --max-rows.",
    )
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    server.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    server.add_argument(
        "--graph", type=Path, default=Path("graph"), metavar="DIR", help="the built graph (default: graph)"
    )
    server.add_argument(
        "--on-disk",
        action="store_true",
        help="make the pages from the on-disk store only; by default the graph is also read into memory once "
        "the server has started (about 1.5 GB for England's), where pages take a quarter of the time",
    )
    _endpoint_options(server)
    _limit_options(server, Limits(seconds=30.0, rows=100_000, memory_mb=2048))
    return parser


def _endpoint_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="ask this SPARQL 1.1 Protocol endpoint instead of the graph folder's store (its default graph "
        "must hold the whole graph, as push writes it)",
    )
    _store_options(parser)


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="send this header to the store (e.g. authentication; also OFSTED_KG_STORE_HEADER, or ~/.netrc); "
        "never printed",
    )


def _parallel_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="read documents in N processes at once (default: one per core)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read documents on a Dask cluster instead (its scheduler, e.g. tcp://10.0.0.5:8786)",
    )


def _limit_options(parser: argparse.ArgumentParser, default: Limits) -> None:
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=default.seconds,
        metavar="SECONDS",
        help=f"stop a query that runs longer (default: {default.seconds:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=_positive,
        default=default.rows,
        metavar="N",
        help=f"stop a query that gives more rows or triples (default: {default.rows})",
    )
    parser.add_argument(
        "--max-memory",
        type=_positive,
        default=default.memory_mb,
        metavar="MB",
        help=f"stop a query that needs more memory (default: {default.memory_mb})",
    )


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("must be a port number, 1 to 65535")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < value < 10**7:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
