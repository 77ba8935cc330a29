"""The ofsted-kg command. The only module that reads argv, prints, and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from ofsted_kg import __version__
from ofsted_kg.errors import GraphError, OfstedKGError, OutputError
from ofsted_kg.queries import QueryError

EXIT_OK = 0
EXIT_REJECTED = 1  # some input was rejected; the rest was built
EXIT_USAGE = 2
EXIT_INVALID = 3  # the graph broke the SHACL shapes; nothing was written

REPORT_LIMIT = 50


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _parser() -> argparse.ArgumentParser:
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
    _limit_options(query)

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
    _limit_options(viz)

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
    _endpoint_options(server)
    _limit_options(server, seconds=30.0, rows=100_000, memory_mb=2048)
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


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("must be a port number, 1 to 65535")
    return value


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


def _limit_options(parser: argparse.ArgumentParser, **defaults) -> None:
    from ofsted_kg.bounded import Limits

    default = Limits(**defaults)
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


def _limits(args):
    from ofsted_kg.bounded import Limits

    return Limits(seconds=args.timeout, rows=args.max_rows, memory_mb=args.max_memory)


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


class _StandardOutput:
    """sys.stdout, whose failures to write (a full disk, /dev/full) are a message, not a traceback."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write to standard output ({error.strerror or error})") from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write to standard output ({error.strerror or error})") from None

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stdout = sys.stdout
    sys.stdout = _StandardOutput(stdout)
    try:
        return _run(args)
    finally:
        sys.stdout = stdout


def _run(args) -> int:
    try:
        code = _command(args)
        sys.stdout.flush()  # a write that fails at the end fails here, where it is reported
        return code
    except QueryError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        _drop_stdout()
        return EXIT_REJECTED
    except OfstedKGError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print("ofsted-kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); what was to be written is written.
        _drop_stdout()
        return EXIT_OK


def _drop_stdout() -> None:
    """What is left to write to standard output goes nowhere (Python writes it at exit, and would fail
    again)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file behind it (a test's capture)
        pass


def _command(args) -> int:
    if args.command == "build":
        return _build(args)
    if args.command == "add":
        return _add(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "queries":
        return _queries()
    if args.command == "query":
        return _query(args)
    if args.command == "export":
        return _export(args)
    if args.command == "viz":
        return _viz(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "push":
        return _push(args)
    return EXIT_USAGE


def _where(args, url: str):
    """The store at `url`, with the headers given (--header, OFSTED_KG_STORE_HEADER) or from ~/.netrc."""
    from ofsted_kg import remote

    headers = list(args.header)
    if os.environ.get("OFSTED_KG_STORE_HEADER"):
        headers.append(os.environ["OFSTED_KG_STORE_HEADER"])
    return remote.endpoint(url, headers)


def _opened(args):
    """The store a command reads: the endpoint given, or the graph folder's own."""
    from ofsted_kg import remote, store

    if getattr(args, "endpoint", None):
        # Its answer is held whole before it is parsed: at most a quarter of --max-memory.
        return remote.RemoteStore(_where(args, args.endpoint), args.timeout, (args.max_memory << 20) // 4)
    return store.open_store(args.graph, notify=_say)


def _push(args) -> int:
    from ofsted_kg import store

    if not store.graph_file(args.graph).exists():
        raise GraphError(f"{store.graph_file(args.graph)}: no built graph here (run 'ofsted-kg build' first)")
    return _pushed(args.graph, _where(args, args.store), args.connections, args.all)


def _pushed(graph: Path, where, connections: int = 4, everything: bool = False) -> int:
    from ofsted_kg import push

    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            filled = 30 * done // max(total, 1)
            print(f"\rpushing [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} graphs", end="", file=sys.stderr)

    try:
        result = push.push(graph, where, connections, everything, progress=progress)
    finally:
        if show:
            print(file=sys.stderr)
    rate = result.size / result.seconds / 1e6 if result.seconds else 0
    print(
        f"pushed to {result.store}: {_n(len(result.written), 'graph')} written ({result.size / 1e6:,.1f} MB of "
        f"Turtle in {result.seconds:.1f} s, {rate:,.1f} MB/s), {len(result.deleted)} deleted, "
        f"{result.unchanged} unchanged"
    )
    return EXIT_OK


def _serve(args) -> int:
    import uvicorn

    from ofsted_kg.web.app import create_app

    source = _opened(args) if args.endpoint else None
    app = create_app(args.graph, _limits(args), warm=True, source=source)
    print(f"serving {source or args.graph} at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _build(args) -> int:
    from ofsted_kg import folder
    from ofsted_kg.outputs import check_folder

    check_folder(args.out)
    with folder.writing(args.out):  # a second build or add into the folder meanwhile is refused
        return _build_locked(args)


def _build_locked(args) -> int:
    from ofsted_kg import store
    from ofsted_kg.build import build

    sources = args.documents or [Path("seeds")]
    missing = [p for p in sources if not p.exists()]
    for path in missing:
        print(f"ofsted-kg: {path}: no such file or folder", file=sys.stderr)
    known, why_not = store.known_extractions(args.out)
    if why_not:
        print(f"ofsted-kg: {why_not}", file=sys.stderr)
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = build(
            [p for p in sources if p.exists()],
            progress=bar,
            known=known,
            workers=args.workers,
            scheduler=args.scheduler,
            workdir=store.work_near(args.out),
        )
    finally:
        if bar:
            bar.clear()
    for error in result.rejected:
        print(f"rejected: {error}", file=sys.stderr)
    for doc, note in result.notes:
        print(f"skipped: {doc.path}: {note}", file=sys.stderr)
    if result.stale:
        print(f"read again {_n(len(result.stale), 'document')} that other extractors had read", file=sys.stderr)
    if not result.documents:
        print("ofsted-kg: no document could be read; nothing was written", file=sys.stderr)
        return EXIT_REJECTED
    if not result.report.conforms:
        print(
            f"ofsted-kg: the graph does not conform to the shapes, and no single document causes it; "
            f"nothing was written to {args.out}",
            file=sys.stderr,
        )
        print(result.report.text(REPORT_LIMIT), file=sys.stderr)
        return EXIT_INVALID
    written = store.write(result, args.out)
    counts = ", ".join(f"{n} {name}" for name, n in result.counts().items())
    print(f"read {_n(len(result.documents), 'document')}, rejected {len(result.rejected) + len(missing)}")
    print(f"{result.triples()} triples: {counts}")
    frameworks = ", ".join(f"{n} {name}" for name, n in result.frameworks().items())
    print(f"inspections by framework: {frameworks or 'none'}; {_n(result.councils(), 'council')} covered")
    if result.report.warnings:
        print(f"{_n(len(result.report.warnings), 'warning')} (sources that disagree; see 'ofsted-kg validate'):")
        print(result.report.text(REPORT_LIMIT))
    for path in written:
        print(f"wrote {path}")
    return EXIT_REJECTED if result.rejected or missing else EXIT_OK


def _add(args) -> int:
    from ofsted_kg import folder, store

    if not store.graph_file(args.graph).exists():
        raise GraphError(f"{store.graph_file(args.graph)}: no built graph here (run 'ofsted-kg build' first)")
    where = _where(args, args.push) if args.push else None  # (a bad URL is said before any work)
    with folder.writing(args.graph):  # from reading the graph to writing it: no other writer between
        code = _add_locked(args)
    if where is not None and code != EXIT_INVALID:  # what changed, and what an earlier push left undone
        _pushed(args.graph, where)
    return code


def _add_locked(args) -> int:
    from ofsted_kg import store
    from ofsted_kg.incremental import add

    missing = [p for p in args.documents if not p.exists()]
    for path in missing:
        print(f"ofsted-kg: {path}: no such file or folder", file=sys.stderr)
    result = add([p for p in args.documents if p.exists()], args.graph, workers=args.workers, scheduler=args.scheduler)
    for error in result.rejected:
        print(f"rejected: {error}", file=sys.stderr)
    for path in result.unchanged:
        print(f"unchanged: {path}: already in the graph")
    for doc, note in result.notes:
        print(f"skipped: {doc.path}: {note}", file=sys.stderr)
    failed = result.rejected or missing
    if not result.changed:
        print(f"nothing added; {store.graph_file(args.graph)} is as it was")
        return EXIT_REJECTED if failed else EXIT_OK
    if not result.report.conforms:
        print(
            f"ofsted-kg: the graph would not conform to the shapes, and no new document alone causes it; "
            f"nothing was written to {args.graph}",
            file=sys.stderr,
        )
        print(result.report.text(REPORT_LIMIT), file=sys.stderr)
        return EXIT_INVALID
    written = store.write_update(result, args.graph)
    for doc in result.added:
        replaced = next((old for old in result.replaced if old.name == doc.name), None)
        print(f"{'replaced' if replaced else 'added'} {doc.path}")
    again = {doc.sha256 for doc in result.reread}
    for doc in result.rewritten:
        why = "read again: other extractors had read it" if doc.sha256 in again else "its facts now resolve differently"
        print(f"rewritten {doc.name} ({why})")
    print(f"{_n(result.changed_subjects, 'subject')} changed and checked")
    if result.report.warnings:
        print(f"{_n(len(result.report.warnings), 'warning')} (sources that disagree; see 'ofsted-kg validate'):")
        print(result.report.text(REPORT_LIMIT))
    for path in written:
        print(f"wrote {path}")
    return EXIT_REJECTED if failed else EXIT_OK


def _say(message: str) -> None:
    print(f"ofsted-kg: {message}", file=sys.stderr)


class _ProgressBar:
    """One line on a terminal, redrawn in place: a bar, the count and what is being done."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, doing: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // total if total else self.WIDTH
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {doing}"
        columns = shutil.get_terminal_size().columns
        self.stream.write("\r\033[K" + line[: max(columns - 1, 10)])
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


def _validate(args) -> int:
    from ofsted_kg import store

    if (args.graph / store.NAMED).is_file():  # a graph folder: charged to documents, as a build checks it
        from ofsted_kg import folder
        from ofsted_kg.graph import REFERENCE_GRAPH
        from ofsted_kg.quarantine import check
        from ofsted_kg.validate import Report

        folder.ready(args.graph, thorough=True)  # every file is the one the graph's manifest records
        dataset = store.open_store(args.graph, notify=_say)
        found = check(dataset, REFERENCE_GRAPH, store.file_names(dataset)).results()
        report = Report(tuple(sorted(set(found), key=lambda r: (r.severity, r.focus, r.path, r.message, r.value))))
    else:
        from ofsted_kg.validate import validate

        report = validate(store.load(args.graph))
    if report.results:
        print(report.text(None if args.all else REPORT_LIMIT))
    verdict = "conforms" if report.conforms else "does not conform"
    print(
        f"{store.graph_file(args.graph)}: {verdict} "
        f"({_n(len(report.violations), 'violation')}, {_n(len(report.warnings), 'warning')})"
    )
    return EXIT_OK if report.conforms else EXIT_INVALID


def _queries() -> int:
    from ofsted_kg.queries import saved_queries

    saved = saved_queries()
    width = max(len(q.name) for q in saved)
    for q in saved:
        params = f"  [--param {' --param '.join(p.name + '=...' for p in q.parameters)}]" if q.parameters else ""
        print(f"{q.name.ljust(width)}  {q.title}{params}")
    return EXIT_OK


def _check_output(output: Path | None) -> None:
    """Refuse, before any work, an --output that is not a file to write (see outputs)."""
    if output is not None and str(output) != "-":
        from ofsted_kg.outputs import check_file

        check_file(output)


def _emit(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from ofsted_kg.store import write_atomic

    try:
        write_atomic(output, text)
    except OSError as error:
        raise OutputError(f"{output}: cannot be written ({error.strerror or error})") from None

    print(f"wrote {output}", file=sys.stderr)


def _query(args) -> int:
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
    _check_output(args.output)
    answer = queries.run_bounded(_opened(args), query, params, _limits(args))
    fmt = args.format or ("table" if sys.stdout.isatty() and args.output is None else "csv")
    if answer.kind == "GRAPH" and args.format is None:
        fmt = "turtle"
    _emit(results.render(answer, fmt), args.output)
    return EXIT_OK


def _export(args) -> int:
    from ofsted_kg import export, store, stored

    _check_output(args.output)
    found = store.open_store(args.graph, notify=_say)
    if args.document or args.format == "trig":
        graphs = stored.named_graphs(found, args.document)
        if args.document and not graphs:
            raise OfstedKGError(f"{args.graph}: no document '{args.document}' in this graph")
        if args.format == "trig":
            text = export.trig(graphs)
        else:
            text = _one(export, args.format, set().union(*graphs.values()))
    elif args.format == "nt":
        text = stored.ntriples(found)
    else:
        text = _one(export, args.format, stored.merged(found))
    _emit(text, args.output)
    return EXIT_OK


def _one(export, fmt: str, triples) -> str:
    """One graph in one format (the writers of Turtle and N-Triples take triples; JSON-LD, a graph)."""
    if fmt == "jsonld":
        from rdflib import Graph

        graph = Graph()
        for triple in triples:
            graph.add(triple)
        return export.jsonld(graph)
    return {"turtle": export.turtle, "nt": export.ntriples}[fmt](triples)


def _viz(args) -> int:
    from ofsted_kg import queries
    from ofsted_kg.outputs import check_file, check_folder
    from ofsted_kg.store import write_atomic
    from ofsted_kg.viz import fetch, render

    check_folder(args.out)
    formats = args.format or ["html", "svg"]
    for fmt in formats if args.out.is_dir() else ():  # (a new folder is made, with parents, when written)
        check_file(args.out / f"{args.query.stem if args.query else args.view}.{fmt}")
    found = _opened(args)
    if args.query:
        answer = queries.run_bounded(found, queries.load(str(args.query)), limits=_limits(args))
        if answer.kind != "GRAPH":
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
