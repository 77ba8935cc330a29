"""The stores a command reads or pushes to, and the limits its queries run within, from its options."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from ofsted_kg.bounded import Limits
from ofsted_kg.cli.output import say

if TYPE_CHECKING:
    import pyoxigraph

    from ofsted_kg.remote import Endpoint, RemoteStore


def where(args: argparse.Namespace, url: str) -> Endpoint:
    """The store at `url`, with the headers given (--header, OFSTED_KG_STORE_HEADER) or from ~/.netrc."""
    from ofsted_kg import remote

    headers = list(args.header)
    if os.environ.get("OFSTED_KG_STORE_HEADER"):
        headers.append(os.environ["OFSTED_KG_STORE_HEADER"])
    return remote.endpoint(url, headers)


def opened(args: argparse.Namespace) -> RemoteStore | pyoxigraph.Store:
    """The store a command reads: the endpoint given, or the graph folder's own."""
    from ofsted_kg import remote, store

    if getattr(args, "endpoint", None):
        # Its answer is held whole before it is parsed: at most a quarter of --max-memory.
        return remote.RemoteStore(where(args, args.endpoint), args.timeout, (args.max_memory << 20) // 4)
    found: pyoxigraph.Store = store.open_store(args.graph, notify=say)
    return found


def limits(args: argparse.Namespace) -> Limits:
    return Limits(seconds=args.timeout, rows=args.max_rows, memory_mb=args.max_memory)
