"""Work done in a forked child: its value comes back, and so do its failures."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from ofsted_kg import forking


def test_the_childs_value_comes_back_whole():
    big = "x" * (3 << 20)  # more than a pipe holds: streamed, not written at once
    assert forking.in_child(lambda: {"text": big + "y", "n": 2}) == {"text": big + "y", "n": 2}


def test_the_child_does_its_work_in_another_process():
    assert forking.in_child(os.getpid) != os.getpid()


def test_an_exception_in_the_child_is_raised_in_the_parent():
    def fails():
        raise ValueError("no such council")

    with pytest.raises(ValueError, match="no such council"):
        forking.in_child(fails)


def test_an_exception_that_cannot_be_pickled_is_described():
    class Unpicklable(Exception):
        def __init__(self):
            super().__init__("held a lock")
            self.lock = threading.Lock()

    def fails():
        raise Unpicklable()

    with pytest.raises(RuntimeError, match="held a lock"):
        forking.in_child(fails)


def test_a_child_that_dies_without_an_answer_is_an_error():
    with pytest.raises(RuntimeError, match="ended without an answer"):
        forking.in_child(lambda: os._exit(3))


def test_work_alongside_the_child_runs_here_and_both_values_come_back():
    there, here = forking.alongside(os.getpid, os.getpid)
    assert here == os.getpid() and there != here


def test_the_child_is_waited_for_when_the_work_here_fails(tmp_path):
    def there():
        (tmp_path / "pid").write_text(str(os.getpid()))
        return "there"

    def fails():
        raise KeyError("here")

    with pytest.raises(KeyError):
        forking.alongside(there, fails)
    with pytest.raises(ChildProcessError):  # reaped: not left behind as a zombie
        os.waitpid(int((tmp_path / "pid").read_text()), os.WNOHANG)


def test_children_run_together_and_their_values_come_back_in_order():
    values, mine = forking.together([lambda n=n: (n, os.getpid()) for n in range(3)], lambda: "here")
    assert [n for n, _ in values] == [0, 1, 2] and mine == "here"
    pids = {pid for _, pid in values}
    assert len(pids) == 3 and os.getpid() not in pids


def test_the_first_childs_exception_is_raised_and_every_child_is_waited_for(tmp_path):
    def fails(n):
        (tmp_path / str(os.getpid())).touch()
        raise ValueError(f"worker {n}")

    with pytest.raises(ValueError, match="worker 1"):
        forking.together([lambda: 0, lambda: fails(1), lambda: fails(2)], lambda: None)
    pids = [int(path.name) for path in tmp_path.iterdir()]
    assert len(pids) == 2
    for pid in pids:  # reaped: none is left behind
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


class _Odd(Exception):
    """An exception that pickles but cannot be made again from its pickle (its __init__ wants two values)."""

    def __init__(self, a, b):
        super().__init__(f"{a} {b}")


def test_an_answer_that_cannot_be_read_is_an_error_and_no_child_is_left_behind(tmp_path):
    def odd():
        (tmp_path / str(os.getpid())).touch()
        raise _Odd(1, 2)

    def slow():
        (tmp_path / str(os.getpid())).touch()
        return "done"

    with pytest.raises(RuntimeError, match="without an answer .*TypeError"):
        forking.together([odd, slow, slow], lambda: None)
    pids = [int(path.name) for path in tmp_path.iterdir()]
    assert len(pids) == 3
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_child_killed_is_said_to_be():
    with pytest.raises(RuntimeError, match="killed by signal 9"):
        forking.in_child(lambda: os.kill(os.getpid(), 9))


def _held_after_a_store_is_freed() -> tuple[int, int]:
    """MB resident above the start once an in-memory store is freed, then once memory.give_back() has run."""
    import pyoxigraph as ox

    from ofsted_kg import memory

    def resident_mb() -> int:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

    start = resident_mb()
    store = ox.Store()
    lines = (f'<urn:s{i}> <urn:p> "a literal long enough to be stored apart, number {i}" .\n' for i in range(300_000))
    store.load("".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    del store
    freed = resident_mb() - start
    memory.give_back()
    return freed, resident_mb() - start


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="measured from /proc")
def test_memory_freed_by_the_store_is_given_back_to_the_system():
    from ofsted_kg import memory

    if not memory.can_give_back():
        pytest.skip("this C library has no malloc_trim: give_back() does nothing, by design")
    # What Oxigraph frees stays in the C library's heap (a gigabyte after validating England's graph) until
    # memory.give_back() returns it to the system: the bulk loader that follows needs it. Measured in a
    # fresh child, whose heap holds nothing else.
    freed, given_back = forking.in_child(_held_after_a_store_is_freed)
    assert freed >= 50, f"the freed store's memory was returned already ({freed} MB): nothing to test"
    assert given_back < freed / 2, (freed, given_back)


def test_a_child_that_forks_in_turn_closes_no_descriptor_twice():
    # A pool's pipe ends (kept) are closed in every child forked; that child's own children must not close
    # them again (Bad file descriptor), nor a descriptor that has since taken the same number.
    read_end, write_end = os.pipe()
    forking.keep(read_end, write_end)
    try:

        def grandchild() -> int:
            again_read, again_write = os.pipe()  # (may take the numbers the kept ends had)
            try:
                return forking.in_child(lambda: os.fstat(again_read) and 7)
            finally:
                os.close(again_read)
                os.close(again_write)

        assert forking.in_child(grandchild) == 7
    finally:
        forking.let_go(read_end, write_end)
        os.close(read_end)
        os.close(write_end)


def test_a_child_that_cannot_close_what_it_must_ends_and_never_runs_the_parents_code(monkeypatch):
    def cannot(descriptors):
        raise OSError(9, "Bad file descriptor")

    monkeypatch.setattr(forking, "close_in_child", cannot)
    me = os.getpid()
    with pytest.raises(RuntimeError, match="ended without an answer"):
        forking.in_child(lambda: 1)
    assert os.getpid() == me  # (a child that came back here would go on running the tests)
