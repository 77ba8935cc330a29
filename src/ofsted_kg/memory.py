"""Memory freed by the store given back to the system.

Oxigraph (Rust) allocates with the C library's malloc, which keeps what is freed for later use: after the
build has validated England's graph in an in-memory store (1.3 GB) and let it go, the process still held
1 GB of it, while the bulk loader that writes the persistent store next needs 2 GB of its own. malloc_trim
hands the free memory back (glibc only; elsewhere nothing is done).
"""

from __future__ import annotations

import ctypes
import functools
import gc


@functools.lru_cache(maxsize=1)
def _trim() -> object | None:
    """The C library's malloc_trim, if this process has one (the symbols already loaded: no search)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


def can_give_back() -> bool:
    """Whether give_back() returns memory here (glibc)."""
    return callable(_trim())


def give_back() -> None:
    """Collect Python's cycles, then return the C heap's free memory to the system where the C library can."""
    gc.collect()
    trim = _trim()
    if callable(trim):
        trim(0)
