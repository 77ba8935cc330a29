"""Publishing a built graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the graph folder (one per document, the reference graph, the graph of preferences)
is written with PUT, which replaces that graph in the store: pushing twice leaves the store as pushing
once. So is the default graph, which holds the union of the named graphs, as in the folder's own store:
a store told to answer with the union of its graphs (Oxigraph's --union-default-graph) would give a
triple once for each graph that holds it, and queries that count or list would then differ from the
embedded store's.

What was pushed where is recorded in the graph folder (`.pushed/`, a JSON file per store: each graph's
digest), so that a push after `add` sends only the graphs that changed and deletes those of removed
documents, and a push that failed half-way is finished by pushing again.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_kg.errors import OfstedKGError
from ofsted_kg.remote import Endpoint, connection
from ofsted_kg.text import squash

if TYPE_CHECKING:
    import http.client

RECORD = ".pushed"
ATTEMPTS = 4  # tries of one graph before it is given up: a store restarting, a connection reset
BACKOFF = 0.5  # seconds before the second try, doubled before each next one
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


class PushError(OfstedKGError):
    """Some graphs could not be written to the store; the message names them and those that were."""


@dataclass
class Pushed:
    """What a push did."""

    store: str
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    size: int = 0  # bytes of Turtle sent
    seconds: float = 0.0
    failed: dict[str, str] = field(default_factory=dict)  # graph: why


def push(
    graph_dir: Path,
    where: Endpoint,
    connections: int = 4,
    everything: bool = False,
    timeout: float = 120.0,
    progress: Callable[[int, int], None] | None = None,
) -> Pushed:
    """Write the folder's named graphs that the store lacks or holds otherwise (every one with
    `everything`) with PUT, `connections` at a time; delete those it holds of documents no longer in the
    folder. PushError names the graphs not written (and says how many were)."""
    graphs = _serialised(graph_dir)
    record_path = graph_dir / RECORD / (hashlib.sha256(where.url.encode()).hexdigest()[:16] + ".json")
    record = {} if everything else _read_record(record_path, where)
    wanted = {iri: (body, digest, n) for iri, (body, digest, n) in graphs.items() if record.get(iri) != digest}
    gone = sorted(set(record) - set(graphs))
    result = Pushed(str(where), unchanged=len(graphs) - len(wanted))
    started = time.perf_counter()
    lock = threading.Lock()
    local = threading.local()
    total = len(wanted) + len(gone)

    def send(iri: str, body: bytes | None) -> None:
        if not hasattr(local, "conn"):
            local.conn = connection(where.url, timeout)
        local.conn = _request(local.conn, where, iri, body, timeout)

    def one(iri: str) -> None:
        body, digest, n = wanted.get(iri, (None, "", 0))  # (no body: a graph to delete)
        try:
            send(iri, body)
        except _Failed as failure:
            with lock:
                result.failed[iri] = str(failure)
            return
        with lock:
            if body is None:
                record.pop(iri, None)
                result.deleted.append(iri)
            else:
                record[iri] = digest
                result.written.append(iri)
                result.size += n
            if progress:
                progress(len(result.written) + len(result.deleted) + len(result.failed), total)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, connections)) as pool:
            # The largest first: they take longest, and the pool ends sooner if they are not last.
            order = sorted(wanted, key=lambda iri: (-wanted[iri][2], iri)) + gone
            list(pool.map(one, order))
    finally:
        result.seconds = time.perf_counter() - started
        _write_record(record_path, where, record)
    if result.failed:
        names = ", ".join(sorted(result.failed)[:5]) + (" and others" if len(result.failed) > 5 else "")
        first = result.failed[sorted(result.failed)[0]]
        raise PushError(
            f"{where}: {len(result.failed)} of {total} graphs were not written ({names}: {first}); "
            f"{len(result.written)} were written and {len(result.deleted)} deleted. Push again to finish."
        )
    return result


DEFAULT = "default"  # the default graph, in the record and the messages (no named graph's IRI is so)


def _serialised(graph_dir: Path) -> dict[str, tuple[bytes, str, int]]:
    """Each graph as Turtle, with its digest and size: the default graph is the folder's Turtle file (the
    merged graph), each named graph its part of the TriG file with the prefix lines before it. Read from
    the files, the interchange format, and not from the store: the store gives its triples back at about
    55,000 a second (each term's text is looked up), the files are already written."""
    from ofsted_kg import export, folder
    from ofsted_kg.store import MERGED, NAMED

    folder.ready(graph_dir)
    try:
        merged = (graph_dir / MERGED).read_bytes()
        named = (graph_dir / NAMED).read_bytes()
        parts = export.trig_parts(named)
    except (OSError, ValueError) as error:
        raise OfstedKGError(f"{graph_dir}: its graph files cannot be read ({error})") from None
    header = export.trig_header()
    out = {DEFAULT: (merged, hashlib.sha256(merged).hexdigest(), len(merged))}
    for name, (start, end) in sorted(parts.items()):
        body = header + named[named.index(b"\n", start) + 1 : min(end, len(named))].rstrip(b"\n").removesuffix(b"}")
        out[name] = (body, hashlib.sha256(body).hexdigest(), len(body))
    return out


class _Failed(Exception):
    pass


def _request(
    conn: http.client.HTTPConnection, where: Endpoint, iri: str, body: bytes | None, timeout: float
) -> http.client.HTTPConnection:
    """PUT (or DELETE, when body is None) one graph, tried again after a transient failure; the
    connection to go on with."""
    parts = urllib.parse.urlsplit(where.url)
    which = "default" if iri == DEFAULT else urllib.parse.urlencode({"graph": iri})
    query = "&".join(x for x in (parts.query, which) if x)
    target = f"{parts.path or '/'}?{query}"
    headers = dict(where.headers)
    if body is not None:
        headers["Content-Type"] = "text/turtle; charset=utf-8"
    why = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(BACKOFF * 2 ** (attempt - 1))
        try:
            conn.request("DELETE" if body is None else "PUT", target, body=body, headers=headers)
            response = conn.getresponse()
            said = response.read()
        except OSError as error:  # refused, reset, timed out: a new connection next time
            conn.close()
            conn = connection(where.url, timeout)
            why = f"cannot reach the store ({error.strerror or error})"
            continue
        if response.status in (200, 201, 204) or (body is None and response.status == 404):
            return conn
        why = f"{response.status} {response.reason}: {squash(said.decode('utf-8', 'replace'))[:200]}"
        if response.status not in TRANSIENT:
            break
    raise _Failed(why)


RECORD_BYTES = 16 << 20  # a record names each graph once: far less, even for every Ofsted remit


def _read_record(path: Path, where: Endpoint) -> dict[str, str]:
    """What was pushed to this store; nothing (so everything is pushed) if the record is missing, too
    large, a link, or not one (a graph folder may come from anyone)."""
    try:
        if path.parent.is_symlink() or path.is_symlink() or path.stat().st_size > RECORD_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("store") != where.url or not isinstance(data.get("graphs"), dict):
        return {}
    return {str(k): str(v) for k, v in data["graphs"].items()}


def _write_record(path: Path, where: Endpoint, record: dict[str, str]) -> None:
    """The record, replaced atomically (a folder we may not write keeps none: the next push sends all)."""
    text = json.dumps({"store": where.url, "graphs": dict(sorted(record.items()))}, indent=1) + "\n"
    try:
        path.parent.mkdir(exist_ok=True)
        if path.parent.is_symlink() or not path.parent.is_dir():  # never written through a link to elsewhere
            return
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        pass
