"""Running a query where it can be stopped: a forked worker process, with a wall-clock limit, a cap on
memory and no way to open a network socket.

The query engine (Oxigraph, in Rust) cannot be interrupted while it evaluates, and ignores Ctrl-C: a
query that runs away is stopped by killing the process it runs in. The worker also gets a memory cap
(the operating system refuses it more, which ends it) and a seccomp filter that makes every attempt
to open an Internet socket fail, so that no query, whatever got past the guard, can send a request.
"""

from __future__ import annotations

import ctypes
import functools
import math
import os
import pickle
import platform
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, TypeVar, cast

from ofsted_kg import forking
from ofsted_kg.errors import QueryError

T = TypeVar("T")
_FORKING = threading.Lock()


@dataclass(frozen=True)
class Limits:
    """How long a query may run, how many rows (or triples) it may give, how much memory it may take."""

    seconds: float = 60.0
    rows: int = 1_000_000
    memory_mb: int = 4096


class LimitError(QueryError):
    """A query stopped at one of its limits."""


class WorkerDied(QueryError):
    """A query's worker ended without an answer and not at a limit: the server's fault, not the query's."""


def call(function: Callable[[], T], limits: Limits) -> T:
    """function() run in a forked worker under `limits`: its value, or the exception it raised.

    Over the time limit the worker is killed and LimitError is raised; Ctrl-C kills it at once."""
    if not hasattr(os, "fork"):  # no way to stop it: run here, within the row limit only
        return function()
    # One fork at a time (the web server calls this from several threads): a worker forked while another
    # thread holds a pipe's write end open would keep that end, and its query would wait for this one.
    with _FORKING:
        pid, read_end = forking.spawn(functools.partial(_worker, function, limits))
    chunks: list[bytes] = []
    try:
        deadline = time.monotonic() + limits.seconds
        waiting = select.poll()  # (not select.select, which fails on descriptors above 1023)
        waiting.register(read_end, select.POLLIN | select.POLLHUP)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LimitError(
                    f"the query was stopped after {limits.seconds:g} s, its time limit (--timeout SECONDS)"
                )
            if waiting.poll(max(1, math.ceil(left * 1000))):
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:  # the limit, Ctrl-C or anything else: the worker goes
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    if not chunks:
        raise _ended(status, limits)
    outcome, value = pickle.loads(b"".join(chunks))  # from our own worker, never from outside
    if outcome == "error":
        raise value
    return cast(T, value)


def _ended(status: int, limits: Limits) -> Exception:
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:  # the kernel's CPU time limit
        return LimitError(f"the query was stopped after {limits.seconds:g} s, its time limit (--timeout SECONDS)")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL):
        return LimitError(
            f"the query's worker ended abnormally (signal {os.WTERMSIG(status)}), most likely at its memory "
            f"limit of {limits.memory_mb} MB (--max-memory MB)"
        )
    return WorkerDied("the query's worker ended without an answer")


def _worker(function: Callable[[], object], limits: Limits, write_end: int) -> NoReturn:
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it too; the parent reports it
        cap_memory(limits.memory_mb)
        # Should the parent itself be killed (it then cannot stop the worker), the worker still ends: with
        # its parent (Linux), and at the time limit in CPU seconds, by the kernel.
        seconds = math.ceil(limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        _die_with_parent()
        deny_network()
        data = outcome(function, limits)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)  # never back into the parent's code


def cap_memory(megabytes: int) -> None:
    """Refuse this process more data than it holds now plus `megabytes`: a forked worker starts with its
    parent's (a server's graph held in memory among it, shared until written), and its limit is on what
    its own work takes."""
    limit = _data_held() + (megabytes << 20)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _data_held() -> int:
    """The bytes of data this process holds (Linux's VmData, what RLIMIT_DATA counts); 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) << 10  # (in kB)
    except (OSError, ValueError, IndexError):
        pass
    return 0


def outcome(function: Callable[[], object], limits: Limits) -> bytes:
    """function()'s value or the exception it raised, pickled for the parent (in a worker).

    Made whole before it is sent (an answer is small beside a build's text), so that one that cannot be
    pickled is replaced by its description, not sent in part."""
    try:
        made = ("ok", function())
    except MemoryError:
        made = ("error", LimitError(f"the query needed more than {limits.memory_mb} MB, its memory limit "
                                    "(--max-memory MB)"))  # fmt: skip
    except BaseException as error:  # noqa: BLE001 - sent to the parent, which raises it
        made = ("error", error)
    try:
        return pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a value or an exception that cannot be pickled
        return pickle.dumps(("error", QueryError(f"the query's answer could not be sent: {made[1]!r}")))


def _die_with_parent() -> None:
    if platform.system() == "Linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the request was made
            os._exit(1)


# seccomp: a classic BPF program run by the kernel on each system call of this process (and of the
# threads it starts). It answers EACCES to socket() for AF_INET and AF_INET6 (and to io_uring, which
# can open sockets without socket()), and lets everything else through.
_ARCHES = {  # machine: (AUDIT_ARCH, socket, io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_AF_INET, _AF_INET6, _EACCES = 2, 10, 13
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, _PR_SET_PDEATHSIG = 38, 22, 2, 1


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def deny_network() -> bool:
    """Make this process unable to open an Internet socket from now on; False where the platform has
    no such filter (then the guard on the query's text is the only defence)."""
    arch = _ARCHES.get(platform.machine())
    if arch is None or platform.system() != "Linux":
        return False
    audit, socket_nr, io_uring_nr = arch
    deny = _ERRNO | _EACCES
    program = [
        (_LD_W_ABS, 0, 0, 4),  # the architecture of the call
        (_JEQ_K, 1, 0, audit),
        (_RET_K, 0, 0, deny),  # another ABI's call: refused
        (_LD_W_ABS, 0, 0, 0),  # the call's number
        (_JGE_K, 6, 0, 0x40000000),  # x32 numbers: refused
        (_JEQ_K, 5, 0, io_uring_nr),
        (_JEQ_K, 0, 3, socket_nr),
        (_LD_W_ABS, 0, 0, 16),  # socket()'s first argument, the address family
        (_JEQ_K, 2, 0, _AF_INET),
        (_JEQ_K, 1, 0, _AF_INET6),
        (_RET_K, 0, 0, _ALLOW),
        (_RET_K, 0, 0, deny),
    ]
    filters = (_Filter * len(program))(*(_Filter(*f) for f in program))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    fprog = _Program(len(program), filters)
    return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0)
