"""Work done in a forked child process, so that the memory it takes goes back to the system when it ends.

Building a national graph makes millions of small Python objects (rdflib terms and triples) that are
needed only until the graph is written as text; Python keeps the memory of freed small objects for
itself, so a build that made them in its own process would hold gigabytes it no longer uses while it
validates and writes. A child process makes them and sends back only the text.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
U = TypeVar("U")

# Pipe ends this process keeps open to its standing workers (pool.py), of every pool: no child forked here
# may hold them, or a worker whose requests pipe is closed (to end it, or when this process dies) would
# never read its end, and would wait for ever.
_KEPT: set[int] = set()
_KEPT_LOCK = threading.Lock()


def keep(*descriptors: int) -> None:
    """Say that these descriptors stay open here, and that no child forked from now on holds them."""
    with _KEPT_LOCK:
        _KEPT.update(descriptors)


def let_go(*descriptors: int) -> None:
    """The descriptors are about to be closed here (keep's undoing)."""
    with _KEPT_LOCK:
        _KEPT.difference_update(descriptors)


def kept() -> list[int]:
    """The descriptors a forked child closes first (keep's)."""
    with _KEPT_LOCK:
        return sorted(_KEPT)


def close_in_child(descriptors: Iterable[int]) -> None:
    """In a child just forked: close descriptors it must not hold, and forget those kept(), which it no
    longer has (a child that forks in turn must not close them again, or whatever took their numbers)."""
    global _KEPT_LOCK
    for descriptor in descriptors:
        os.close(descriptor)
    # A fresh lock, not the one copied: another thread of the parent may have held that one at the fork.
    _KEPT_LOCK = threading.Lock()
    _KEPT.clear()


def in_child(function: Callable[[], T]) -> T:
    """function() run in a forked copy of this process (where the platform can fork; here otherwise):
    its value, or the exception it raised."""
    return alongside(function, lambda: None)[0]


def alongside(there: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """there() run in a forked child while here() runs in this process (one after the other where the
    platform cannot fork): both values, or the exception either raised."""
    (value,), mine = together([there], here)
    return value, mine


def together(theres: Sequence[Callable[[], T]], here: Callable[[], U]) -> tuple[list[T], U]:
    """Each of theres run in a forked child of its own, all at once, while here() runs in this process (one
    after the other where the platform cannot fork): their values in order and here's. An exception is
    raised again here: here()'s, else the first child's in order."""
    if not hasattr(os, "fork"):
        return [there() for there in theres], here()
    children: list[tuple[int, int]] = []
    try:
        for there in theres:
            # The child runs, sends the pickled outcome and leaves without cleanup; its siblings' pipes are
            # not its to hold open.
            children.append(spawn(functools.partial(_child, there), [read_end for _, read_end in children]))
        mine = here()
    finally:  # every child is always read and waited for, whatever happened here or to another child
        outcomes = [_outcome(pid, read_end) for pid, read_end in children]
    for status, value in outcomes:
        if status == "error":
            raise value
    return [value for _, value in outcomes], mine


def spawn(child: Callable[[int], NoReturn], held: Iterable[int] = ()) -> tuple[int, int]:
    """A forked child that runs child(write end of a new pipe) and never comes back: its process id and the
    pipe's read end. The child first closes `held`, descriptors of this process it must not keep open, and
    those kept()."""
    read_end, write_end = os.pipe()
    closed = [*held, *kept()]
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:
        try:
            os.close(read_end)
            close_in_child(closed)
        except BaseException:  # noqa: BLE001 - never back into the parent's code from a child
            os._exit(70)
        child(write_end)
    os.close(write_end)
    return pid, read_end


def _outcome(pid: int, read_end: int) -> tuple[str, Any]:
    """What a child sent (its pickled outcome), once it has ended; an error if it sent nothing readable."""
    outcome: tuple[str, Any] | None = None
    problem = ""
    try:
        with os.fdopen(read_end, "rb") as pipe:
            outcome = pickle.load(pipe)  # from our own child, never from outside
    except Exception as error:  # noqa: BLE001 - cut short, or an exception that cannot be made again here
        problem = "" if isinstance(error, EOFError) else f" ({type(error).__name__}: {error})"
    finally:
        _, status = os.waitpid(pid, 0)
    if outcome is None:
        if os.WIFSIGNALED(status):  # (killed: by the system when memory ran out, most often)
            problem += f" (killed by signal {os.WTERMSIG(status)})"
        return "error", RuntimeError(f"a worker process ended without an answer{problem}")
    return outcome


def _child(function: Callable[[], object], write_end: int) -> NoReturn:
    # The child lives only as long as the function: the cyclic garbage collector, which would walk
    # its millions of objects again and again (about 40% of the time of building a national
    # graph), is not needed, and not walking the parent's objects keeps their pages shared.
    gc.freeze()
    gc.disable()
    try:
        outcome = ("ok", function())
    except BaseException as error:  # noqa: BLE001 - sent to the parent, which raises it
        outcome = ("error", error)
    # Streamed into the pipe, not made into one string first: a national graph's text is half a gigabyte.
    try:
        with os.fdopen(write_end, "wb") as pipe:
            try:
                pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its description
                pickle.dump(("error", RuntimeError(repr(outcome[1]))), pipe)
    finally:
        os._exit(0)  # never back into the parent's code
