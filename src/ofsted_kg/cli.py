"""The ofsted-kg command. The only module that reads argv, prints, and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ofsted_kg import __version__
from ofsted_kg.errors import OfstedKGError

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
        description="Read documents (files or folders), extract their facts with provenance, "
        "validate the graph with SHACL and write it as Turtle and TriG.",
    )
    build.add_argument(
        "documents", nargs="*", type=Path, metavar="DOCS", help="files or folders of documents (default: seeds)"
    )
    build.add_argument(
        "--out", type=Path, default=Path("graph"), metavar="DIR", help="folder to write the graph to (default: graph)"
    )

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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "validate":
            return _validate(args)
    except OfstedKGError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print("ofsted-kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); what was to be written is written.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USAGE


def _build(args) -> int:
    from ofsted_kg import store
    from ofsted_kg.build import build

    sources = args.documents or [Path("seeds")]
    missing = [p for p in sources if not p.exists()]
    for path in missing:
        print(f"ofsted-kg: {path}: no such file or folder", file=sys.stderr)
    result = build([p for p in sources if p.exists()])
    for error in result.rejected:
        print(f"rejected: {error}", file=sys.stderr)
    for doc, note in result.notes:
        print(f"skipped: {doc.path}: {note}", file=sys.stderr)
    if not result.documents:
        print("ofsted-kg: no document could be read; nothing was written", file=sys.stderr)
        return EXIT_REJECTED
    if not result.report.conforms:
        print(
            f"ofsted-kg: the graph does not conform to the shapes; nothing was written to {args.out}", file=sys.stderr
        )
        print(result.report.text(REPORT_LIMIT), file=sys.stderr)
        return EXIT_INVALID
    written = store.write(result, args.out)
    counts = ", ".join(f"{n} {name}" for name, n in result.counts().items())
    print(f"read {_n(len(result.documents), 'document')}, rejected {len(result.rejected) + len(missing)}")
    print(f"{len(result.graph)} triples: {counts}")
    if result.report.warnings:
        print(f"{_n(len(result.report.warnings), 'warning')} (sources that disagree; see 'ofsted-kg validate'):")
        print(result.report.text(REPORT_LIMIT))
    for path in written:
        print(f"wrote {path}")
    return EXIT_REJECTED if result.rejected or missing else EXIT_OK


def _validate(args) -> int:
    from ofsted_kg import store
    from ofsted_kg.validate import validate

    graph = store.load(args.graph)
    report = validate(graph)
    if report.results:
        print(report.text(None if args.all else REPORT_LIMIT))
    verdict = "conforms" if report.conforms else "does not conform"
    print(
        f"{store.graph_file(args.graph)}: {verdict} "
        f"({_n(len(report.violations), 'violation')}, {_n(len(report.warnings), 'warning')})"
    )
    return EXIT_OK if report.conforms else EXIT_INVALID
