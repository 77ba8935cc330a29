"""Work done in a forked child process, so that the memory it takes goes back to the system when it ends.

Building a national graph makes millions of small Python objects (rdflib terms and triples) that are
needed only until the graph is written as text; Python keeps the memory of freed small objects for
itself, so a build that made them in its own process would hold gigabytes it no longer uses while it
validates and writes. A child process makes them and sends back only the text.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_child(function: Callable[[], T]) -> T:
    """function() run in a forked copy of this process (where the platform can fork; here otherwise):
    its value, or the exception it raised."""
    if not hasattr(os, "fork"):
        return function()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the pickled outcome, leave without cleanup
        os.close(read_end)
        try:
            payload = pickle.dumps(("ok", function()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # noqa: BLE001 - sent to the parent, which raises it
            try:
                payload = pickle.dumps(("error", error))
            except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its description
                payload = pickle.dumps(("error", RuntimeError(repr(error))))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError("the process building the graph ended without an answer")
    status, value = pickle.loads(payload)  # from our own child, never from outside
    if status == "error":
        raise value
    return value
