"""`serve` and `push`: the graph on the web, and in a triple store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_kg.cli.output import EXIT_OK, plural
from ofsted_kg.cli.stores import limits, opened, where
from ofsted_kg.errors import GraphError

if TYPE_CHECKING:
    from ofsted_kg.remote import Endpoint


def push_graph(args: argparse.Namespace) -> int:
    from ofsted_kg import store

    if not store.graph_file(args.graph).exists():
        raise GraphError(f"{store.graph_file(args.graph)}: no built graph here (run 'ofsted-kg build' first)")
    return pushed(args.graph, where(args, args.store), args.connections, args.all, args.timeout)


def pushed(graph: Path, to: Endpoint, connections: int = 4, everything: bool = False, timeout: float = 120.0) -> int:
    """Push the graph folder's changed graphs to the store, with a bar on a terminal, and say what was sent."""
    from ofsted_kg import push

    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            filled = 30 * done // max(total, 1)
            print(f"\rpushing [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} graphs", end="", file=sys.stderr)

    try:
        result = push.push(graph, to, connections, everything, timeout, progress=progress)
    finally:
        if show:
            print(file=sys.stderr)
    rate = result.size / result.seconds / 1e6 if result.seconds else 0
    print(
        f"pushed to {result.store}: {plural(len(result.written), 'graph')} written ({result.size / 1e6:,.1f} MB of "
        f"Turtle in {result.seconds:.1f} s, {rate:,.1f} MB/s), {len(result.deleted)} deleted, "
        f"{result.unchanged} unchanged"
    )
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ofsted_kg.web.app import create_app

    source = opened(args) if args.endpoint else None
    app = create_app(
        args.graph, limits(args), warm=True, source=source, in_memory=not args.on_disk,
        notify=lambda message: print(message, file=sys.stderr, flush=True),
    )  # fmt: skip
    print(f"serving {source or args.graph} at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK
