"""parallel: workers forked for reading and rendering, and the Background process that
writes the feeds and the search index meanwhile."""

import gc
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from buylocal import parallel
from buylocal.problems import ContentError, Problem

LARGE = parallel.MIN_ITEMS_PER_PROCESS  # merchants: enough for a second process


def _write_pid(path):
    def write():
        time.sleep(0.2)  # still running when the block is done
        path.write_text(str(os.getpid()))

    return write


def test_background_runs_in_another_process_and_is_waited_for(tmp_path):
    done = tmp_path / "done"
    parallel.Background(_write_pid(done), processes=2, items=LARGE).wait()
    assert done.read_text() != str(os.getpid())


def test_background_error_is_raised_by_wait(tmp_path):
    def fail():
        raise ValueError("disque plein")

    background = parallel.Background(fail, processes=2, items=LARGE)
    with pytest.raises(ValueError, match="disque plein"):
        background.wait()
    background.wait()  # raised once


def test_an_error_that_cannot_be_pickled_still_says_what_it_was():
    class Local(Exception):  # defined in a function: pickle cannot find it again
        pass

    def fail():
        raise Local("gabarit cassé")

    with pytest.raises(RuntimeError, match="Local: gabarit cassé"):
        parallel.Background(fail, processes=2, items=LARGE).wait()


class TwoArgs(Exception):  # pickles, but cannot be unpickled: __init__ wants other arguments
    def __init__(self, path, detail):
        super().__init__(f"{path}: {detail}")


def test_an_error_that_cannot_be_unpickled_still_says_what_and_where():
    def fail():
        raise TwoArgs("feeds/rimouski.xml", "disque plein")

    with pytest.raises(RuntimeError, match="disque plein") as raised:
        parallel.Background(fail, processes=2, items=LARGE).wait()
    assert "in fail" in str(raised.value)  # the background process's traceback


def test_a_content_error_crosses_whole():
    def fail():
        params = {"value": "x.jpg", "detail": "fichier abîmé"}
        raise ContentError([Problem("a.md", 1, "image", "bad_image", params)])

    with pytest.raises(ContentError) as raised:
        parallel.Background(fail, processes=2, items=LARGE).wait()
    assert [p.path for p in raised.value.problems] == ["a.md"]


def test_waiting_quietly_waits_and_keeps_quiet(tmp_path):
    """After a failure here: the build folder is removed, nothing may write into it later."""
    done = tmp_path / "done"

    def fail():
        _write_pid(done)()
        raise ValueError("second failure")

    parallel.Background(fail, processes=2, items=LARGE).wait_quietly()
    assert done.exists()


def test_a_killed_background_process_fails_the_block():
    with pytest.raises(RuntimeError, match="ended with code 3"):
        parallel.Background(lambda: os._exit(3), processes=2, items=LARGE).wait()


def test_waiting_for_all_leaves_none_running(tmp_path):
    done = tmp_path / "done"
    parallel.Background(_write_pid(done), processes=2, items=LARGE)
    parallel.wait_quietly_for_all()
    assert done.exists()
    assert parallel._running == []


@pytest.mark.parametrize(("processes", "items"), [(1, LARGE), (2, LARGE - 1)])
def test_one_process_or_a_small_site_runs_it_first_here(tmp_path, processes, items):
    done = tmp_path / "done"
    background = parallel.Background(_write_pid(done), processes, items)
    assert done.read_text() == str(os.getpid())
    background.wait()


@pytest.mark.parametrize(("count", "per_process", "elsewhere"), [(40, 20, True), (39, 20, False)])
def test_costly_items_go_to_other_processes_sooner(count, per_process, elsewhere, tmp_path):
    """Share cards (10 ms each) are worth another process from a few dozen on; merchants
    (a few ms each) only from MIN_ITEMS_PER_PROCESS on.
    """
    pid = _pid_once_workers_started(tmp_path, workers=1 if elsewhere else 0)
    pids = parallel.map_items(pid, list(range(count)), 2, per_process)
    assert (set(pids) != {os.getpid()}) is elsewhere
    assert len(pids) == count
    pid = _pid_once_workers_started(tmp_path / "default", workers=0)
    assert set(parallel.map_items(pid, list(range(count)), 2)) == {os.getpid()}


@pytest.mark.parametrize("count", [1, 7, 40, 999, 28_620])
def test_work_is_split_in_order_into_several_small_chunks_per_process(count):
    """With a few large chunks, the last one kept one process working alone for seconds."""
    items = list(range(count))
    chunks = parallel.split(items, 2)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(0 < len(chunk) <= 250 for chunk in chunks)  # a fifth of a second of pages
    assert len(chunks) >= min(count, 2 * 4)


def _wait_until(condition, seconds=30) -> None:
    """Polls `condition()`; gives up after `seconds` (the test's assertion then fails)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)


def _pid_once_workers_started(folder, workers: int):
    """os.getpid(), for each item; each process gives its first only once `workers` workers
    have started, else one could take every chunk before another starts (a busy machine
    starts processes slowly).
    """
    waited = []  # per process: each worker starts with its own copy
    folder.mkdir(exist_ok=True)

    def pid(_item):
        if not waited:
            (folder / f"started-{os.getpid()}").touch()
            # Every worker, and this process (its own mark counted too)
            _wait_until(lambda: len(list(folder.glob("started-*"))) >= workers + 1)
            waited.append(True)
        return os.getpid()

    return pid


@pytest.mark.parametrize("processes", [2, 3])
def test_this_process_works_beside_one_worker_fewer(processes, tmp_path):
    """Each item runs once, in this process or in one of processes - 1 workers, and the
    results come back in order.
    """
    count = 600 * processes
    runs = tmp_path / "runs"
    pid = _pid_once_workers_started(tmp_path, workers=processes - 1)

    def run(item):
        with runs.open("a") as log:
            log.write(f"{item}\n")
        return pid(item), item

    pids_and_items = parallel.map_items(run, list(range(count)), processes)
    assert [item for _, item in pids_and_items] == list(range(count))
    assert sorted(map(int, runs.read_text().split())) == list(range(count))
    pids = [pid for pid, _ in pids_and_items]
    assert os.getpid() in pids
    assert len(set(pids)) == processes


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_a_failure_is_the_first_failing_items_whatever_the_processes(processes):
    """Chunks are handed out last first; the error raised is still the first item's."""

    def fail_at(item):
        if item in (130, 900):
            raise ValueError(f"item {item}")
        return item

    with pytest.raises(ValueError, match="item 130"):
        parallel.map_items(fail_at, list(range(1_000)), processes)


def test_large_results_leave_this_process_taking_them_in(tmp_path):
    """Reading merchants: the workers send back large objects, and this process, taking
    them in, would hold them up if it read files too.
    """
    pid = _pid_once_workers_started(tmp_path, workers=1)  # two marks: both workers'
    pids = parallel.map_items(pid, list(range(4 * LARGE)), 2, work_here=False)
    assert os.getpid() not in pids
    assert len(set(pids)) == 2
    assert len(pids) == 4 * LARGE


def test_this_process_collects_cycles_while_it_works_as_a_worker(tmp_path):
    """The build pauses the cycle collector (generator.collector_paused); rendering pages in
    this process makes cycles, collected as in the workers, and the pause is back after.
    """
    pid = _pid_once_workers_started(tmp_path, workers=1)
    gc.disable()
    try:
        enabled = parallel.map_items(lambda item: (pid(item), gc.isenabled()), [0] * 600, 2)
        assert gc.get_freeze_count() == 0 and not gc.isenabled()
    finally:
        gc.enable()
    assert (os.getpid(), True) in enabled
    assert {on for _, on in enabled} == {True}


def test_a_worker_waits_for_the_lock_to_claim_a_chunk():
    """The main process holds the claims' lock for a microsecond at a time; a worker that
    meets it held must wait, not give the chunk up (then nobody would run it).
    """
    claims = multiprocessing.get_context("fork").Array("b", 2)
    held, release = threading.Event(), threading.Event()

    def hold():
        with claims.get_lock():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    threading.Timer(0.2, release.set).start()
    try:
        assert parallel._claim(claims, 1) is True
        assert list(claims) == [0, 1]
        assert parallel._claim(claims, 1) is False
    finally:
        release.set()
        holder.join()


def test_a_failure_here_ends_the_workers_next_chunks(tmp_path):
    """Once an item fails in this process, the chunks the workers had not started are
    given up: only the one a worker was on runs to its end.
    """
    here, started, failed = os.getpid(), tmp_path / "started", tmp_path / "failed"
    worker_runs = tmp_path / "worker-runs"

    def run(item):
        if os.getpid() == here:
            if item == 300:
                _wait_until(started.exists)  # the worker is on its first chunk, the last one
                failed.touch()
                raise ValueError("item 300")
            return item
        started.touch()
        _wait_until(failed.exists)
        if item == 1_999:  # the end of its chunk: the rest was given up by now
            _wait_until(lambda: all(parallel._task[2]))
        with worker_runs.open("a") as log:
            log.write(f"{item}\n")
        return item

    with pytest.raises(ValueError, match="item 300"):
        parallel.map_items(run, list(range(2_000)), 2)
    assert failed.exists()
    assert sorted(map(int, worker_runs.read_text().split())) == list(range(1_750, 2_000))


def test_a_broken_pool_stops_this_process_claiming_chunks():
    """A worker that dies breaks the pool, and every chunk fails with it: this process stops
    after the chunk it is on rather than render the rest of the site for nothing.
    """
    here, runs_here = os.getpid(), []

    def run(item):
        if os.getpid() != here:
            os._exit(1)
        time.sleep(0.002)
        runs_here.append(item)
        return item

    with pytest.raises(BrokenProcessPool):
        parallel.map_items(run, list(range(2_000)), 2)
    assert len(runs_here) <= 2 * 250  # it would go on to 1,750 items, 3.5 s


FREEING = """
import os, sys
from pathlib import Path
from buylocal import parallel

def resident():
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

# 64 MB in blocks that the C heap keeps for reuse once freed (larger than Python's own
# small blocks, smaller than those given their own mapping), each followed by one kept.
freed, kept = [], []
for number in range(2000):
    freed.append(b"%04d" % number * 8000)
    kept.append(b"%04d" % number * 150)
del freed
before = resident()
released = parallel.release_free_memory()
print(released, before - resident(), len(kept))
"""


@pytest.mark.skipif(parallel._malloc_trim is None, reason="glibc's malloc_trim only")
def test_free_memory_goes_back_to_the_system():
    # In a process of its own: in this one, what earlier tests left in the heap varies.
    done = subprocess.run(
        [sys.executable, "-c", FREEING],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(parallel.__file__).parents[1])},
    )
    released, gone, kept = done.stdout.split()
    assert released == "True" and int(gone) > 32 * 2**20 and kept == "2000"


def test_memory_is_released_before_forking_workers(monkeypatch, tmp_path):
    released = []
    monkeypatch.setattr(parallel, "release_free_memory", lambda: released.append(1))
    assert parallel.map_items(abs, list(range(-2 * LARGE, 0)), 2) == list(range(2 * LARGE, 0, -1))
    assert len(released) == 1
    parallel.Background(_write_pid(tmp_path / "pid"), 2, LARGE).wait()  # this one goes on
    assert parallel.map_items(abs, [-1, -2], 2) == [1, 2]  # on this process: nothing forked
    assert len(released) == 1


@pytest.mark.parametrize("error", [AttributeError, OSError, TypeError])
def test_without_malloc_trim_nothing_is_released(monkeypatch, error):
    """Another C library has no malloc_trim (AttributeError); Windows cannot open the running
    program (TypeError): the plugin must still import, and release nothing."""

    def refused(name):
        raise error("no C library here")

    monkeypatch.setattr(parallel.ctypes, "CDLL", refused)
    assert parallel._c_library_trim() is None
    monkeypatch.setattr(parallel, "_malloc_trim", None)
    assert parallel.release_free_memory() is False
