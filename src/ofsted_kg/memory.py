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


def available() -> int | None:
    """Bytes of memory this process could still take: Linux's MemAvailable, or less where a control group
    caps the process (a container); None if neither can be read."""
    found: list[int] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) << 10)  # (in kB)
    except (OSError, ValueError, IndexError):
        pass
    try:
        with (
            open("/sys/fs/cgroup/memory.max", encoding="ascii") as cap,
            open("/sys/fs/cgroup/memory.current", encoding="ascii") as used,
        ):
            limit = cap.read().strip()
            if limit.isdigit():
                found.append(max(0, int(limit) - int(used.read().strip())))
    except (OSError, ValueError):
        pass
    return min(found) if found else None
