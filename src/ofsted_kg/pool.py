"""Standing workers for a server's queries: forked once, each stopped at its limits like bounded.call's
one-shot worker, and replaced when it is stopped.

Forking a worker per query costs the server about 17 ms a query, so the server keeps a few forked workers
alive and hands each a request as data (a query and its parameters, or the address of a page to make),
never code. A worker carries the limits of bounded.py: a memory cap, no Internet socket, an end with its
parent, and a CPU-time limit set afresh before each request; a query over its wall-clock limit gets its
worker killed (Oxigraph cannot be interrupted), and the next request forks a new one.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import pickle
import resource
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ofsted_kg import bounded, forking
from ofsted_kg.bounded import LimitError, Limits, WorkerDied

_LENGTH = struct.Struct("!Q")
RECYCLE_AFTER = 500  # requests; a worker's heap grows with what it has answered, so it is renewed now and then


@dataclass
class _Worker:
    pid: int
    requests: int  # write end, parent -> worker
    answers: int  # read end, worker -> parent
    generation: int  # the pool's generation it was forked in (renew)
    served: int = 0


@dataclass
class Pool:
    """Up to `size` standing workers, each answering `handler(request)` in a forked process under
    `limits`. call() blocks the calling thread, so call it from as many threads as there are workers."""

    handler: Callable[[object], object]
    limits: Limits
    size: int = 4
    nice: int = 0  # added to the workers' scheduling niceness: a lane of queries that may yield the CPU
    _idle: list[_Worker] = field(default_factory=list)
    _all: dict[int, _Worker] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _generation: int = 0
    _closed: bool = False

    def call(self, request: object) -> object:
        """handler(request)'s value from a worker, or the exception it raised; LimitError at a limit."""
        worker = self._take()
        try:
            _send(worker.requests, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
            data = _receive(worker.answers, time.monotonic() + self.limits.seconds, self.limits)
        except _Ended:  # at its memory or CPU limit, or killed: its exit status says which
            raise self._discard(worker, kill=False) from None
        except BaseException:  # the time limit, Ctrl-C, a request that cannot be pickled: it may be mid-way
            self._discard(worker, kill=True)
            raise
        worker.served += 1
        self._give_back(worker)
        outcome, value = pickle.loads(data)  # from our own worker, never from outside
        if outcome == "error":
            raise value
        return value

    def renew(self) -> None:
        """Fork every worker afresh, from the process as it is now (a server that has read its graph into
        memory): the idle ones are stopped now, the busy ones once they have answered."""
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for worker in idle:
            self._discard(worker, kill=True)

    def close(self) -> None:
        """Stop every worker (the server's shutdown). A busy one is killed, and the thread that waits for it
        reaps it as it sees it end: its pipes are that thread's until then (closed here, their numbers
        could be given to another file while it reads them)."""
        with self._lock:
            self._closed = True
            idle = self._idle
            busy = [worker for worker in self._all.values() if worker not in idle]
            self._all, self._idle = {}, []
        for worker in idle:
            _stop(worker, True, self.limits)
        for worker in busy:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerDied("the server is stopping")
            if self._idle:
                return self._idle.pop()
        # Forked under bounded's lock: a worker forked while another thread forks would keep that one's
        # pipe ends open, and its death would then go unseen. It closes the pipe ends of every worker of
        # every pool (forking.kept), and its own are kept from every child forked after it.
        with bounded._FORKING:
            worker = _fork(self.handler, self.limits, forking.kept(), self.nice, self._generation)
            forking.keep(worker.requests, worker.answers)
            with self._lock:
                self._all[worker.pid] = worker
        return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            # (not if renewed, done with, or the pool closed meanwhile)
            kept = worker.served < RECYCLE_AFTER and worker.generation == self._generation and worker.pid in self._all
            if kept:
                self._idle.append(worker)
        if not kept:  # idle, holding nothing: killed, rather than waited for until it reads the end of its requests
            self._discard(worker, kill=True)

    def _discard(self, worker: _Worker, kill: bool) -> Exception:
        with self._lock:
            self._all.pop(worker.pid, None)
        return _stop(worker, kill, self.limits)


class _Ended(Exception):
    """The worker ended by itself (at its memory or CPU limit, or abnormally)."""


def _fork(
    handler: Callable[[object], object], limits: Limits, others: list[int], nice: int, generation: int
) -> _Worker:
    to_worker_r, to_worker_w = os.pipe()
    from_worker_r, from_worker_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            forking.close_in_child((*others, to_worker_w, from_worker_r))  # no other worker's pipe ends stay open here
            if nice:
                os.nice(nice)
            _serve(handler, limits, to_worker_r, from_worker_w)
        finally:
            os._exit(0)  # never back into the parent's code
    os.close(to_worker_r)
    os.close(from_worker_w)
    return _Worker(pid, to_worker_w, from_worker_r, generation)


def _serve(handler: Callable[[object], object], limits: Limits, requests: int, answers: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches the whole group
    bounded.cap_memory(limits.memory_mb)
    # Not prctl's death signal, as the one-shot worker has: it follows the thread that forked, and the
    # server's threads come and go. A worker whose parent dies reads the end of its request pipe (no other
    # process holds it open) and returns; one busy with a query meets its CPU-time limit.
    bounded.deny_network()
    seconds = math.ceil(limits.seconds) + 1
    while True:
        try:
            request = pickle.loads(_read_message(requests))  # from the parent, never from outside
        except EOFError:
            return
        # The CPU-time limit counts from now, for this request: the kernel ends the worker even if the
        # parent cannot (it is stopped itself, say).
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = math.ceil(usage.ru_utime + usage.ru_stime)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)  # (a hard limit set outside may not be raised)
        soft = used + seconds if hard == resource.RLIM_INFINITY else min(used + seconds, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        _send(answers, bounded.outcome(functools.partial(handler, request), limits))


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_message(fd: int) -> bytes:
    head = _read_exactly(fd, _LENGTH.size)
    return _read_exactly(fd, _LENGTH.unpack(head)[0])


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float, limits: Limits) -> bytes:
    """One whole answer from a worker, or LimitError at the deadline (or _Ended if the worker died)."""
    waiting = select.poll()  # (not select.select, which fails on descriptors above 1023)
    waiting.register(fd, select.POLLIN | select.POLLHUP)
    buffer = bytearray()
    needed = None
    while needed is None or len(buffer) < needed:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LimitError(f"the query was stopped after {limits.seconds:g} s, its time limit (--timeout SECONDS)")
        if not waiting.poll(max(1, math.ceil(left * 1000))):
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise _Ended
        buffer += chunk
        if needed is None and len(buffer) >= _LENGTH.size:
            needed = _LENGTH.size + _LENGTH.unpack_from(buffer)[0]
    return bytes(buffer[_LENGTH.size :])


def _stop(worker: _Worker, kill: bool, limits: Limits) -> Exception:
    """End a worker and reap it; the error its end means, if it ended by itself."""
    # Under the forking lock: a fork on another thread takes the list of kept descriptors and makes its new
    # pipe; were these closed in between, the new pipe could take their numbers, and the child close its own.
    with bounded._FORKING:
        forking.let_go(worker.requests, worker.answers)
        for fd in (worker.requests, worker.answers):
            try:
                os.close(fd)
            except OSError:
                pass
    if kill:
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(worker.pid, 0)  # without kill the closed pipe ends it (EOFError)
    return bounded._ended(status, limits)
