"""Standing query workers (pool.py) and the server's kept answers (web/answers.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import anyio
import pytest

from ofsted_kg import pool as pool_module
from ofsted_kg.bounded import LimitError, Limits, WorkerDied
from ofsted_kg.pool import Pool
from ofsted_kg.queries import SavedQuery
from ofsted_kg.web.answers import Answers


def _handler(request):
    kind, value = request
    if kind == "pid":
        return os.getpid()
    if kind == "echo":
        return value
    if kind == "spin":
        while True:
            pass
    if kind == "sleep":
        time.sleep(value)
        return os.getpid()
    if kind == "exit":
        os._exit(3)
    if kind == "grow":
        return len(bytearray(value << 20))
    if kind == "raise":
        raise ValueError(value)
    if kind == "connect":
        socket.create_connection(("127.0.0.1", value), timeout=2)
        return "connected"
    raise AssertionError(kind)


@pytest.fixture
def pool():
    made = Pool(_handler, Limits(seconds=1.0, memory_mb=400), size=2)
    yield made
    made.close()


def test_a_worker_answers_many_requests_and_is_not_this_process():
    # (limits of seconds and of the default memory, not the fixture's: three megabytes through a pipe, from a
    # worker forked from a test process that may already hold hundreds of megabytes of other tests' graphs)
    pool = Pool(_handler, Limits(seconds=20.0), size=2)
    try:
        first = pool.call(("pid", None))
        assert first != os.getpid()
        assert pool.call(("pid", None)) == first  # the same standing worker, not a fork per request
        big = "x" * (3 << 20)  # more than a pipe holds
        assert pool.call(("echo", big)) == big
    finally:
        pool.close()


def test_an_exception_comes_back_and_the_worker_stays(pool):
    first = pool.call(("pid", None))
    with pytest.raises(ValueError, match="no such council"):
        pool.call(("raise", "no such council"))
    assert pool.call(("pid", None)) == first


def test_a_runaway_request_is_stopped_at_the_time_limit_and_its_worker_replaced(pool):
    first = pool.call(("pid", None))
    started = time.monotonic()
    with pytest.raises(LimitError, match="stopped after 1 s"):
        pool.call(("spin", None))
    assert time.monotonic() - started < 3
    with pytest.raises(ProcessLookupError):  # killed and reaped
        os.kill(first, 0)
    assert pool.call(("pid", None)) not in (first, os.getpid())


def test_a_worker_at_its_memory_limit_is_a_limit_error(pool):
    with pytest.raises(LimitError, match="400 MB"):
        pool.call(("grow", 800))
    assert pool.call(("echo", 1)) == 1


def test_a_worker_that_dies_is_a_server_fault_and_is_replaced(pool):
    with pytest.raises(WorkerDied, match="ended without an answer"):
        pool.call(("exit", None))
    assert pool.call(("echo", 2)) == 2


def test_a_worker_cannot_open_an_internet_socket(pool):
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        with pytest.raises(PermissionError):
            pool.call(("connect", listening.getsockname()[1]))


def test_requests_from_several_threads_run_at_once(pool):
    pool.call(("pid", None))
    got, errors = [], []

    def ask():
        try:
            got.append(pool.call(("pid", None)))
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(got) == 6


def test_a_worker_is_renewed_after_many_requests(pool, monkeypatch):
    monkeypatch.setattr(pool_module, "RECYCLE_AFTER", 3)
    pids = [pool.call(("pid", None)) for _ in range(4)]
    assert pids[0] == pids[1] == pids[2] != pids[3]


def test_a_worker_is_renewed_while_another_pool_has_a_worker_forked_after_it(pool, monkeypatch):
    # The server has three pools (pages, endpoint, warm-up). A worker forked by one must not hold the pipe
    # ends of another's: the page worker renewed after its 500th request then waited for ever to end.
    monkeypatch.setattr(pool_module, "RECYCLE_AFTER", 2)
    other = Pool(_handler, Limits(seconds=1.0, memory_mb=400), size=1)
    try:
        first = pool.call(("pid", None))
        other.call(("pid", None))  # forked after the first pool's worker
        renewed: list[int] = []
        asking = threading.Thread(target=lambda: renewed.extend([pool.call(("pid", None)), pool.call(("pid", None))]))
        asking.start()
        asking.join(timeout=20)
        assert not asking.is_alive(), "the renewed worker was waited for, and never ended"
        assert renewed[0] == first != renewed[1]
    finally:
        other.close()


def test_renew_forks_every_worker_afresh(pool):
    busy: list[int] = []
    asking = threading.Thread(target=lambda: busy.append(pool.call(("sleep", 0.6))))
    asking.start()
    time.sleep(0.2)  # one worker is busy with it; another is forked for this, then idle
    idle = pool.call(("pid", None))
    pool.renew()
    assert _ended_soon(idle), "an idle worker outlived the renewal"
    asking.join(timeout=10)
    assert busy and busy[0] != idle  # a busy worker answers what it was asked...
    assert _ended_soon(busy[0]), "a busy worker was kept after it answered"  # ...then ends
    assert pool.call(("pid", None)) not in (idle, busy[0])


def test_a_workers_memory_limit_is_on_what_it_takes_beyond_what_it_was_forked_with():
    # The server holds its graph in memory (1.5 GB for England's) and forks its workers from itself: each
    # may still take --max-memory for its own work. (A bytearray is reserved, not touched: no real memory.)
    held = bytearray(600 << 20)
    pool = Pool(_handler, Limits(seconds=10.0, memory_mb=400), size=1)
    try:
        assert pool.call(("grow", 200)) == 200 << 20
        with pytest.raises(LimitError, match="400 MB"):
            pool.call(("grow", 800))
    finally:
        pool.close()
        del held


def test_answers_follow_the_store_they_are_told_to_use():
    import pyoxigraph as ox

    def store(value: str) -> ox.Store:
        made = ox.Store()
        made.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal(value)))
        return made

    query = SavedQuery("q", "q", "", (), "SELECT ?o WHERE { ?s ?p ?o }")
    answers = Answers(store("on disk"), Limits(seconds=10), workers=1)
    try:
        assert str(anyio.run(answers.get, query, {}).rows[0][0]) == "on disk"
        answers.kept = type(answers.kept)(answers.kept.limit)  # (else the kept answer is given again)
        answers.use(store("in memory"))
        assert str(anyio.run(answers.get, query, {}).rows[0][0]) == "in memory"
    finally:
        answers.close()


def test_closing_the_pool_while_a_worker_is_busy_ends_it_and_its_caller_hears_why():
    # (the server stopping while its warm-up waits for a worker: its thread then read a pipe closed under it)
    from ofsted_kg.errors import QueryError

    pool = Pool(_handler, Limits(seconds=30.0), size=1)
    heard: list[BaseException] = []

    def ask() -> None:
        try:
            pool.call(("sleep", 20))
        except BaseException as error:  # noqa: BLE001
            heard.append(error)

    asking = threading.Thread(target=ask)
    asking.start()
    deadline = time.monotonic() + 10
    while not pool._all and time.monotonic() < deadline:
        time.sleep(0.02)
    (busy,) = [worker.pid for worker in pool._all.values()]
    time.sleep(0.2)
    pool.close()
    asking.join(timeout=10)
    assert not asking.is_alive() and _ended_soon(busy)
    assert len(heard) == 1 and isinstance(heard[0], QueryError), heard  # a limit or a dead worker, not OSError
    with pytest.raises(WorkerDied, match="stopping"):
        pool.call(("pid", None))


def _ended_soon(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while not _ended(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _ended(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (adopted, not yet reaped) has ended too
        return stat.read().split(") ", 1)[1].startswith("Z")


def test_workers_end_when_the_server_is_killed(tmp_path):
    # Workers of two pools, as the server has: each must see the end of its requests pipe.
    script = textwrap.dedent(
        """
        import os, sys, time
        from ofsted_kg.bounded import Limits
        from ofsted_kg.pool import Pool
        pools = [Pool(lambda request: os.getpid(), Limits(seconds=5)) for _ in range(2)]
        print(*[pool.call(None) for pool in pools], flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if all(_ended(worker) for worker in workers):
            return
        time.sleep(0.05)
    raise AssertionError(f"workers {[w for w in workers if not _ended(w)]} outlived their server")


def test_answers_are_kept_and_asked_once(built):
    from ofsted_kg import store

    answers = Answers(store.open_store(built), Limits(seconds=10), workers=2)
    query = SavedQuery("q", "q", "", (), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    calls = []
    original = answers._pool.call
    answers._pool.call = lambda request: calls.append(1) or original(request)

    async def main():
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(answers.get, query, {})
        return await answers.get(query, {})

    try:
        answer = anyio.run(main)
    finally:
        answers.close()
    assert int(answer.rows[0][0]) > 1000
    assert len(calls) == 1  # five at once waited for one run; the sixth was kept


def test_kept_answers_are_bounded_by_rows(built):
    from ofsted_kg import store

    answers = Answers(store.open_store(built), Limits(seconds=10), workers=1, kept_rows=25)
    try:
        for n in (10, 11, 12):  # 33 rows: the first answer goes
            anyio.run(answers.get, SavedQuery("q", "q", "", (), f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n}"), {})
        assert answers.kept.size == 23 and len(answers.kept) == 2
        big = SavedQuery("q", "q", "", (), "SELECT ?s WHERE { ?s ?p ?o } LIMIT 30")
        anyio.run(answers.get, big, {})
        assert len(answers.kept) == 2  # larger than all it may keep: answered, not kept
    finally:
        answers.close()


def test_workers_run_under_a_hard_cpu_limit_set_outside():
    # (as `ulimit -t` in a shell or a batch system sets it: a worker may not raise it)
    script = textwrap.dedent(
        """
        import os, resource
        resource.setrlimit(resource.RLIMIT_CPU, (100000, 100000))
        from ofsted_kg.bounded import Limits
        from ofsted_kg.pool import Pool
        pool = Pool(lambda request: request * 2, Limits(seconds=5))
        print(pool.call(21), flush=True)
        pool.close()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "42", done.stderr


def _pipes_open() -> set[str]:
    """The pipes this process has open, as /proc names them ('pipe:[inode]')."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("pipe:"):
            found.add(target)
    return found


def _pipe_names(worker) -> set[str]:
    return {f"pipe:[{os.fstat(fd).st_ino}]" for fd in (worker.requests, worker.answers)}


def test_no_child_forked_later_holds_a_standing_workers_pipes(pool):
    # Not another pool's worker, nor a one-shot query worker (bounded.call): else a worker whose requests
    # pipe is closed never reads its end.
    from ofsted_kg import bounded

    pool.call(("pid", None))
    (first,) = pool._all.values()
    other = Pool(lambda request: sorted(_pipes_open()), Limits(seconds=5), size=1)
    try:
        in_other_pool = set(other.call(None))
    finally:
        other.close()
    in_one_shot = set(bounded.call(lambda: sorted(_pipes_open()), Limits(seconds=5)))
    assert in_other_pool and in_one_shot  # (each has its own pipe to the parent: the listing works)
    assert not _pipe_names(first) & in_other_pool
    assert not _pipe_names(first) & in_one_shot
