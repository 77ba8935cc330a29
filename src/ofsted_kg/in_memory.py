"""A graph folder's merged graph read into an in-memory store, for a server: the same graph as the folder's
on-disk store (checked against the store's mark), in which a page's queries take a quarter of the time on
England's graph, since every look-up on disk seeks in the store's tables."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ofsted_kg import memory
from ofsted_kg.errors import GraphError
from ofsted_kg.folder import FileDigest
from ofsted_kg.store import MERGED, STORE, STORE_MARK

if TYPE_CHECKING:
    import pyoxigraph as ox

# Bytes of memory an in-memory store takes for each byte of Turtle it reads (England's graph: 339 MB of
# Turtle, 1.45 GB of store), rounded up.
BYTES_PER_BYTE_READ = 5


def open_merged(location: Path) -> tuple[BinaryIO, FileDigest]:
    """A graph folder's merged graph file, opened now, and the file its store was made from (size and
    SHA-256, from the store's mark): load_merged reads the same graph as the store, whatever replaces the
    folder's files meanwhile, or says it cannot."""
    try:
        mark = json.loads((location / STORE / STORE_MARK).read_text(encoding="utf-8"))
        made_from: FileDigest = {"sha256": str(mark["turtle"]["sha256"]), "size": int(mark["turtle"]["size"])}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GraphError(f"{location / STORE}: cannot tell what its graph was made from ({exc})") from None
    try:
        handle = (location / MERGED).open("rb")
    except OSError as exc:
        raise GraphError(f"{location / MERGED}: cannot be read ({exc.strerror or exc})") from None
    try:
        _check_fits(os.fstat(handle.fileno()))
    except GraphError:
        handle.close()
        raise
    return handle, made_from


def _check_fits(file: os.stat_result) -> None:
    """GraphError unless the file is a regular file whose graph fits in half the memory there is: a graph
    folder may come from anyone, and the server must go on (from the on-disk store) whatever its size."""
    if not stat.S_ISREG(file.st_mode):
        raise GraphError(f"{MERGED} is not a regular file")
    needed, free = file.st_size * BYTES_PER_BYTE_READ, memory.available()
    if free is None or needed > free // 2:
        have = "an unknown amount" if free is None else f"{free / 1e9:.1f} GB"
        raise GraphError(
            f"{MERGED} would take about {needed / 1e9:.1f} GB in memory, more than half of the {have} there is"
        )


def load_merged(handle: BinaryIO, made_from: FileDigest) -> ox.Store:
    """The merged graph from an open file (open_merged) in an in-memory store; GraphError if the file is
    not the one the store was made from."""
    import pyoxigraph as ox

    digest = hashlib.sha256()
    store = ox.Store()
    try:
        store.bulk_load(io.BufferedReader(_Hashing(handle, digest), 1 << 20), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{MERGED}: not a readable RDF graph ({exc})") from None
    except MemoryError:
        raise GraphError(f"{MERGED}: too large for the memory there is") from None
    if digest.hexdigest() != made_from["sha256"]:
        raise GraphError(f"{MERGED} is no longer the file the graph's store was made from (built again?)")
    return store


class _Hashing(io.RawIOBase):
    """A file read through, its bytes hashed on the way."""

    def __init__(self, handle: BinaryIO, digest: hashlib._Hash):
        self._handle, self._digest = handle, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # (io types it as any buffer)
        n = self._handle.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._digest.update(buffer[:n])
        return n or 0
