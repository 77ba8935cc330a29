"""The server's answers: each query run by a standing worker (pool.py), and kept while the server runs.

The server opens its store read-only and never writes it, so the same query with the same parameters
gives the same answer for the server's whole life: an answer is kept (the most recently used first, up
to a number of rows in all) and asked again costs nothing. Several clients asking the same thing at once
wait for one run. Errors are not kept: a query stopped at its time limit on a busy machine may finish
on a quiet one.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar, cast

import anyio
import anyio.from_thread
import anyio.lowlevel

from ofsted_kg import guard, queries
from ofsted_kg.bounded import Limits
from ofsted_kg.pool import Pool
from ofsted_kg.queries import Answer, SavedQuery

if TYPE_CHECKING:
    from ofsted_kg.queries import QueryStore

LOWEST_PRIORITY = 19  # a thread's niceness
T = TypeVar("T")
KEPT_ROWS = 400_000  # rows (or triples) of answers kept in all: about 200 MB at most
KEPT_BYTES = 128 << 20  # of answers written out (a page, a CSV file)
V = TypeVar("V")
Key = tuple[Hashable, ...]
Ask = Callable[[SavedQuery, dict[str, str]], Awaitable[Answer]]  # a query's answer, asked of a worker (app.py's)
# A resource's page made in a worker (None: the graph says nothing about it), from its IRI and a way to ask
# the worker's store a query there and then.
PageMaker = Callable[[str, Callable[[SavedQuery], Answer]], "str | None"]


@dataclass(frozen=True)
class _Page:
    """A request for a resource's page (the pool's requests are data)."""

    iri: str


@dataclass
class Kept(Generic[V]):
    """The most recently used values, up to a total size."""

    limit: int
    _values: OrderedDict[Key, tuple[V, int]] = field(default_factory=OrderedDict)
    size: int = 0

    def get(self, key: Key) -> V | None:
        found = self._values.get(key)
        if found is None:
            return None
        self._values.move_to_end(key)
        return found[0]

    def put(self, key: Key, value: V, size: int) -> None:
        if size > self.limit or key in self._values:
            return
        self._values[key] = (value, size)
        self.size += size
        while self.size > self.limit:
            _, (_, dropped) = self._values.popitem(last=False)
            self.size -= dropped

    def __len__(self) -> int:
        return len(self._values)


@dataclass
class Answers:
    """Queries over one read-only store, run in standing workers, their answers (and what is written
    from them) kept."""

    store: QueryStore
    limits: Limits
    workers: int = 4
    nice: int = 0
    kept_rows: int = KEPT_ROWS
    kept_bytes: int = KEPT_BYTES
    # Another lane whose kept answers this one shares. Not its runs under way: a client's lane never waits
    # for the warm-up's, whose one worker yields the CPU to everyone (a client asking for a saved query the
    # warm-up was making waited seconds for it on a busy machine); the answer is then made twice, once.
    shares: Answers | None = None
    pages: PageMaker | None = None  # how page() makes a page
    named: QueryStore | None = None  # where a query that names a graph is answered, if not from `store` (use)
    _running: dict[Key, anyio.Lock] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._pool = Pool(self._run, self.limits, self.workers, self.nice)
        self._slots = anyio.CapacityLimiter(self.workers)
        self.kept: Kept[Answer]
        self.written: Kept[str]
        if self.shares is not None:
            self.kept, self.written = self.shares.kept, self.shares.written
        else:
            self.kept, self.written = Kept(self.kept_rows), Kept(self.kept_bytes)

    async def get(self, query: SavedQuery, params: dict[str, str]) -> Answer:
        key = _key(query, params)
        if (kept := self.kept.get(key)) is not None:
            return kept
        lock = self._running.setdefault(key, anyio.Lock())
        async with lock:
            if (kept := self.kept.get(key)) is not None:  # answered while this one waited
                return kept
            # A remote store (remote.RemoteStore) bounds its own queries in time, and a forked worker may not
            # open a socket: its queries are asked from a thread here.
            call = self._run if getattr(self.store, "remote", False) else self._pool.call
            try:
                # (the pool passes its answers untyped)
                answer = cast(Answer, await anyio.to_thread.run_sync(call, (query, params), limiter=self._slots))
            finally:
                self._running.pop(key, None)
            self.kept.put(key, answer, len(answer.graph) if answer.graph is not None else len(answer.rows))
            return answer

    async def page(self, iri: str) -> str | None:
        """A resource's page, made whole by one worker (its queries and its template) and kept: a page of
        three queries asked one by one waited three times in the queue for a worker, and was put together
        on the server's one thread; None if the graph says nothing about the resource (kept too, as "").
        The page's queries share one request's limits."""
        key = ("page", iri)
        if (kept := self.written.get(key)) is not None:
            return kept or None
        lock = self._running.setdefault(key, anyio.Lock())
        async with lock:
            if (kept := self.written.get(key)) is not None:
                return kept or None
            call = self._run if getattr(self.store, "remote", False) else self._pool.call
            try:
                made = cast("str | None", await anyio.to_thread.run_sync(call, _Page(iri), limiter=self._slots))
            finally:
                self._running.pop(key, None)
            self.written.put(key, made or "", max(1, len(made or "")))
            return made

    async def write(self, query: SavedQuery, params: dict[str, str], how: Key, writer: Callable[[Answer], str]) -> str:
        """writer(answer) for the query's answer, made in a thread (a large answer takes seconds, which the
        other clients need not wait) and kept under `how` (the format, the page)."""
        answer = await self.get(query, params)
        key = (*_key(query, params), how)
        if (kept := self.written.get(key)) is not None:
            return kept
        text = await anyio.to_thread.run_sync(writer, answer)
        self.written.put(key, text, len(text))
        return text

    def use(self, store: QueryStore, named: QueryStore | None = None) -> None:
        """Answer from `store` from now on: the same graph, held otherwise (in memory); a query that names
        a graph (GRAPH), from `named`, if given: the store that also holds each document's graph. The
        workers are forked again, since each answers from the stores it was forked with."""
        self.store, self.named = store, named
        self._pool.renew()

    def close(self) -> None:
        self._pool.close()

    def _run(self, request: object) -> Answer | str | None:  # in a worker (or a thread); requests come untyped
        if isinstance(request, _Page):
            assert self.pages is not None, "this lane makes no pages"
            return self.pages(request.iri, lambda query: queries.run(self.store, query, {}, max_rows=self.limits.rows))
        query, params = cast("tuple[SavedQuery, dict[str, str]]", request)
        store = self.named if self.named is not None and "GRAPH" in guard.words(query.text) else self.store
        return queries.run(store, query, params, max_rows=self.limits.rows)


def _key(query: SavedQuery, params: dict[str, str]) -> Key:
    return (query.text, tuple(sorted(params.items())))


async def in_yielding_thread(function: Callable[..., T], *args: object) -> T:
    """function(*args) in a thread of its own that yields the CPU to every other (Linux's niceness is a
    thread's: one of anyio's threads, used again for other work, would keep it)."""
    done = anyio.Event()
    outcome: list[object] = []
    token = anyio.lowlevel.current_token()

    def run() -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
        try:
            outcome.append(function(*args))
        except BaseException as error:  # noqa: BLE001 - raised again in the task that waits
            outcome.append(error)
        with contextlib.suppress(RuntimeError):  # (the server stopped meanwhile)
            anyio.from_thread.run_sync(done.set, token=token)

    threading.Thread(target=run, name="ofsted-kg-load", daemon=True).start()
    await done.wait()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return cast(T, outcome[0])
