"""Documents read and their facts extracted: each in a worker process of its own, in parallel.

A pool of local processes by default (as many as the machine has cores); a
Dask cluster for a corpus that outgrows one machine. Either way each document
is read from its bytes (sent by this process, so that the workers need not see
its file system), one failure is that document's rejection and never stops
the others, and the results come back in the order of the documents, so the
graph is the same whatever ran them.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ofsted_kg import documents, limits
from ofsted_kg.cache import Entry, extractor_version
from ofsted_kg.errors import DocumentError, OfstedKGError

# Told how far reading has got: (what is being done, how many done, out of how many).
Progress = Callable[[str, int, int], None]
# One document read: what came of it, and the CPU seconds of making its text and of extracting its facts.
Outcome = tuple[Entry | DocumentError, float, float]


@dataclass
class Reading:
    entries: list[Entry]  # the documents read, in the order given
    rejected: list[DocumentError]
    reused: int = 0  # taken from the cache, unchanged and read by these extractors
    stale: list[Path] = field(default_factory=list)  # in the cache, but read by other extractors: read again
    # CPU seconds, summed over the workers: making text of the files, and extracting facts from it.
    seconds: dict[str, float] = field(default_factory=lambda: {"text": 0.0, "extraction": 0.0})


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def read_all(
    paths: list[Path],
    known: dict[str, Entry] | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Reading:
    """Read and extract every document; a document already in `known` (by content) and read by these
    extractors is taken from there."""
    known = known or {}
    version = extractor_version()
    outcomes: dict[int, Entry | DocumentError] = {}
    todo: list[tuple[int, Path, bytes]] = []
    reading = Reading([], [])
    for i, path in enumerate(paths):
        try:
            data = documents.read_bytes(path)
        except DocumentError as error:
            outcomes[i] = error
            continue
        cached = known.get(hashlib.sha256(data).hexdigest())
        if cached is not None and cached.extractor == version:
            outcomes[i] = cached.at(path)
            reading.reused += 1
            continue
        if cached is not None:
            reading.stale.append(path)
        todo.append((i, path, data))
    done = len(outcomes)
    for i, (outcome, text, extraction) in _run(todo, workers, scheduler):
        outcomes[i] = outcome
        reading.seconds["text"] += text
        reading.seconds["extraction"] += extraction
        done += 1
        if progress:
            progress(f"reading {paths[i].name}", done, len(paths))
    for i in sorted(outcomes):
        outcome = outcomes[i]
        if isinstance(outcome, DocumentError):
            reading.rejected.append(outcome)
        else:
            reading.entries.append(outcome)
    return reading


def read_one(path: str, data: bytes) -> Entry | DocumentError:
    """Read one document from its bytes. Runs in a worker: every failure comes back as a value."""
    return _timed_read(path, data)[0]


def _timed_read(path: str, data: bytes) -> Outcome:
    """read_one, with the CPU seconds spent making the text and extracting the facts."""
    from ofsted_kg.extract import extract

    started = time.process_time()
    text = 0.0
    try:
        with limits.deadline(limits.DOCUMENT_SECONDS):
            doc = documents.from_bytes(Path(path), data)
            text = time.process_time() - started
            extraction = extract(doc)
        return Entry(doc, extraction, extractor_version()), text, time.process_time() - started - text
    except limits.TooSlow:
        seconds = f"{limits.DOCUMENT_SECONDS:g} s"
        error = DocumentError(path, f"took more than {seconds} to read, the most a document may take")
        return error, text, time.process_time() - started - text
    except DocumentError as error:
        return error, text, time.process_time() - started - text
    except BaseException as exc:  # noqa: BLE001 - see _failure
        return _failure(path, exc), text, time.process_time() - started - text


def _failure(path: str, exc: BaseException) -> DocumentError:
    try:
        raise exc
    except DocumentError as error:
        return error
    except RecursionError:
        return DocumentError(path, "is nested too deeply to read")
    except MemoryError:
        return DocumentError(path, f"needs more memory to read than it may take ({limits.size(limits.READING_BYTES)})")
    except Exception as exc:  # noqa: BLE001 - an extractor's bug must cost one document, not the build
        return DocumentError(path, f"could not be read: the extractor failed ({type(exc).__name__}: {exc})")
    except BaseException:  # KeyboardInterrupt, SystemExit: not the document's fault
        raise


def _run(
    todo: list[tuple[int, Path, bytes]], workers: int | None, scheduler: str | None
) -> Iterator[tuple[int, Outcome]]:
    if not todo:
        return
    if scheduler is not None:
        yield from _on_dask(todo, scheduler)
        return
    workers = min(workers or default_workers(), len(todo))
    if workers <= 1:
        for i, path, data in todo:
            yield i, _timed_read(str(path), data)
        return
    yield from _in_pool(todo, workers)


def _in_pool(todo: list[tuple[int, Path, bytes]], workers: int) -> Iterator[tuple[int, Outcome]]:
    import multiprocessing
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    pending = {i: (path, data) for i, path, data in todo}
    # Fork where there is one: the workers start at once, with the modules already imported.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(method), initializer=_bounded_worker
    ) as pool:
        # Largest first: a long PDF started last would leave the other cores idle at the end.
        order = sorted(todo, key=lambda item: -len(item[2]))
        futures = {pool.submit(_timed_read, str(path), data): i for i, path, data in order}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                continue  # read again below
            yield futures[future], result
            del pending[futures[future]]
    # A worker died (killed, or at its memory limit) and took the pool with it: the documents not read
    # are read again, each in a process of its own, so that only one that kills its process is rejected.
    for i, (path, data) in sorted(pending.items()):
        yield i, _alone(path, data)


def _bounded_worker() -> None:
    """A reading process may take so much more memory than it was forked with, and no more (the operating
    system refuses it more)."""
    import resource

    inherited = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    most = inherited + limits.READING_BYTES
    resource.setrlimit(resource.RLIMIT_DATA, (most, most))


def _alone(path: Path, data: bytes) -> Outcome:
    from ofsted_kg import forking

    def read() -> Outcome:
        _bounded_worker()
        return _timed_read(str(path), data)

    try:
        return forking.in_child(read)
    except RuntimeError:  # the process ended without an answer
        died = f"could not be read: the process reading it died (at its memory limit of {limits.size(limits.READING_BYTES)}?)"
        return DocumentError(path, died), 0.0, 0.0


SCHEDULER_TIMEOUT = "10s"  # how long to keep trying to reach a Dask scheduler before saying it cannot be


def _on_dask(todo: list[tuple[int, Path, bytes]], scheduler: str) -> Iterator[tuple[int, Outcome]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise OfstedKGError("--scheduler needs Dask: pip install 'ofsted-kg[dask]'") from None
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise OfstedKGError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    try:
        futures = {
            client.submit(_timed_read, str(path), data, pure=False, key=f"read-{i}-{path.name}"): (i, path)
            for i, path, data in todo
        }
        for future in as_completed(futures):
            i, path = futures[future]
            try:
                yield i, future.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost with its task
                yield i, (DocumentError(path, f"could not be read on the cluster ({exc})"), 0.0, 0.0)
    finally:
        client.close()
