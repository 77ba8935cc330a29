"""Work done in a forked child process, so that the memory it takes goes back to the system when it ends.

Building a national graph makes millions of small Python objects (rdflib terms and triples) that are
needed only until the graph is written as text; Python keeps the memory of freed small objects for
itself, so a build that made them in its own process would hold gigabytes it no longer uses while it
validates and writes. A child process makes them and sends back only the text.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from typing import NoReturn, TypeVar

T = TypeVar("T")
U = TypeVar("U")


def in_child(function: Callable[[], T]) -> T:
    """function() run in a forked copy of this process (where the platform can fork; here otherwise):
    its value, or the exception it raised."""
    return alongside(function, lambda: None)[0]


def alongside(there: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """there() run in a forked child while here() runs in this process (one after the other where the
    platform cannot fork): both values, or the exception either raised."""
    if not hasattr(os, "fork"):
        return there(), here()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the pickled outcome, leave without cleanup
        os.close(read_end)
        _child(there, write_end)
    os.close(write_end)
    try:
        mine = here()
    finally:  # the child is always waited for, whatever happened here
        with os.fdopen(read_end, "rb") as pipe:
            try:
                status, value = pickle.load(pipe)  # from our own child, never from outside
            except (EOFError, pickle.UnpicklingError):
                status, value = "error", RuntimeError("a worker process ended without an answer")
        os.waitpid(pid, 0)
    if status == "error":
        raise value
    return value, mine


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
