"""The ofsted-kg command. The only package that reads argv, prints, and chooses exit codes.

parser      the commands, their arguments and help
output      exit codes, standard output, the progress line, a result written to stdout or a file
stores      the store a command reads or pushes to, and its queries' limits
building    build, add
validating  validate
querying    queries, query, export, viz
publishing  serve, push
"""

from __future__ import annotations

import argparse
import sys

from ofsted_kg.cli import building, publishing, querying, validating
from ofsted_kg.cli.output import EXIT_INVALID, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, StandardOutput, drop_stdout
from ofsted_kg.cli.parser import build_parser
from ofsted_kg.errors import OfstedKGError, OutputError, QueryError

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "main"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdout = sys.stdout
    sys.stdout = StandardOutput(stdout)  # write and flush checked, the rest stdout's
    try:
        return _run(args)
    finally:
        sys.stdout = stdout


def _run(args: argparse.Namespace) -> int:
    try:
        code = _command(args)
        sys.stdout.flush()  # a write that fails at the end fails here, where it is reported
        return code
    except QueryError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        drop_stdout()
        return EXIT_REJECTED
    except OfstedKGError as error:
        print(f"ofsted-kg: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print("ofsted-kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); what was to be written is written.
        drop_stdout()
        return EXIT_OK


def _command(args: argparse.Namespace) -> int:
    if args.command == "build":
        return building.build_graph(args)
    if args.command == "add":
        return building.add_documents(args)
    if args.command == "validate":
        return validating.validate_graph(args)
    if args.command == "queries":
        return querying.list_queries()
    if args.command == "query":
        return querying.run_query(args)
    if args.command == "export":
        return querying.export_graph(args)
    if args.command == "viz":
        return querying.draw(args)
    if args.command == "serve":
        return publishing.serve(args)
    if args.command == "push":
        return publishing.push_graph(args)
    return EXIT_USAGE
