"""Work split across processes: reading merchant files and rendering pages use every core,
and the files written beside the pages are written meanwhile.

Workers are forked, so they inherit the function, the items and everything it reads
(settings, index, templates) without pickling; only chunk numbers and the results cross
between processes. The main process works beside them rather than wait for them.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import traceback
from concurrent.futures import ProcessPoolExecutor
from functools import partial

# Below this many items per process, starting processes costs more than it saves.
MIN_ITEMS_PER_PROCESS = 250
# At most this many items to a chunk (a fifth of a second of pages or merchant files): when
# the last chunk is left, one process works alone until it is done. A chunk costs a round
# trip, well under a millisecond.
MAX_ITEMS_PER_CHUNK = 250
# Held for a microsecond at a time; longer only if a worker was killed holding it.
_LOCK_TIMEOUT = 5
_task = None  # (function, chunks, claims) the forked workers run; set just before forking
_background = None  # the function a Background process runs; set just before forking
_running: list = []  # the Backgrounds not waited for yet


def process_count(setting: int | None) -> int:
    return max(1, setting if setting else (os.cpu_count() or 1))


def _collect_as_usual() -> bool:
    """Whether it turned the cycle collector back on. The parent may have paused it
    (generator.collector_paused): a worker renders thousands of pages, and collects as
    usual, but not among what it inherited.
    """
    if gc.isenabled():
        return False
    gc.freeze()
    gc.enable()
    return True


def _run(index: int) -> list | None:
    """A worker's chunk: its results, or None if this process took it first."""
    function, chunks, claims = _task
    if not _claim(claims, index):
        return None
    _collect_as_usual()
    return [function(item) for item in chunks[index]]


def _claim(claims, index: int, timeout: float | None = None) -> bool | None:
    """Whether the chunk is now the caller's: each chunk is offered both to this process (first
    to last) and to the workers (last to first), and the first to claim it runs it. None if
    the lock stayed taken `timeout` seconds: a worker died holding it, the pool is broken.
    """
    if not claims.get_lock().acquire(True, timeout):  # None: as long as it takes
        return None
    try:
        if claims[index]:
            return False
        claims[index] = 1
        return True
    finally:
        claims.get_lock().release()


@contextlib.contextmanager
def _collecting_new_objects():
    """Python's cycle collector on for what this process makes while it works like a worker,
    not among what it had (generator.collector_paused): rendering pages makes cycles.
    """
    # Undone after, so not if something else was frozen: unfreeze would let it go too.
    if gc.get_freeze_count() or not _collect_as_usual():
        yield
        return
    try:
        yield
    finally:
        gc.disable()
        gc.unfreeze()


def _run_background(results) -> None:
    _collect_as_usual()
    try:
        _background()
        outcome = None
    except BaseException as error:  # noqa: BLE001 - raised again in the parent
        where = "".join(traceback.format_exception(error)).rstrip()
        error.add_note(where)
        outcome = error
    try:
        # What pickles may still not unpickle (an __init__ with other arguments than args).
        pickle.loads(pickle.dumps(outcome))
    except Exception:  # noqa: BLE001 - then its text, which always crosses
        outcome = RuntimeError(f"{type(outcome).__name__}: {outcome}\n{where}")
    results.send(outcome)


def _can_fork(processes: int) -> bool:
    return processes > 1 and "fork" in multiprocessing.get_all_start_methods()


def _c_library_trim():
    """The C library's malloc_trim (glibc), or None (another C library; on Windows, which
    cannot open the running program by name, CDLL(None) raises TypeError).
    """
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):
        return None


_malloc_trim = _c_library_trim()


def release_free_memory() -> bool:
    """Hand the free pages inside the C heap back to the system; whether any went.

    Before forking workers (map_items): what the build freed so far (the merchant files as
    read and as received from the workers, the open data files) otherwise stays in the heap
    for reuse, counted in this process for the rest of the build, and each worker's first
    use of it is a copy of inherited memory (11 µs a page here) rather than a new page
    (4 µs). At 50,000 merchants, the main process went from 983 to 766 MB before rendering,
    in 13 ms. Not before a Background: this process goes on allocating, and would then
    fetch back from the system what it just gave (0.1 s more for a rebuild at 10,000).
    """
    return bool(_malloc_trim and _malloc_trim(0))


class Background:
    """`function()` run from now on in a forked process, while this one goes on; `wait()`
    waits for it and raises what it raised.

    For work this process does not need back (files written beside the pages). On one
    process, or for a small site (`items` merchants), it simply runs here, at once. A plain
    process and a pipe, not an executor: an executor's thread would make every later fork
    (the rendering workers) a fork of a threaded process. The process is a daemon, so
    `function` cannot start processes of its own (map_items).
    """

    def __init__(self, function, processes: int, items: int):
        global _background
        self._process = self._results = None
        if items < MIN_ITEMS_PER_PROCESS or not _can_fork(processes):
            function()
            return
        context = multiprocessing.get_context("fork")
        self._results, sender = context.Pipe(duplex=False)
        _background = function
        try:
            self._process = context.Process(target=_run_background, args=(sender,), daemon=True)
            self._process.start()
            _running.append(self)
        finally:
            _background = None
            sender.close()

    def wait(self) -> None:
        """Once the process is done; then its error, if any, is raised once."""
        process, self._process = self._process, None
        if process is None:
            return
        _running.remove(self)
        try:
            outcome = self._results.recv()
        except EOFError:  # it died before saying how it went
            outcome = None
        finally:
            process.join()
            self._results.close()
        if outcome is None and process.exitcode:
            outcome = RuntimeError(f"background process ended with code {process.exitcode}")
        if outcome is not None:
            raise outcome

    def wait_quietly(self) -> None:
        """After a failure here: nothing may write into a build folder once it is gone, and
        the failure here is the one to report.
        """
        with contextlib.suppress(Exception):
            self.wait()


def wait_quietly_for_all() -> None:
    """Before a failed build's folder goes (build.py): whatever failed, in this plugin or
    between its steps (another plugin, Pelican, Ctrl-C), no process may write into it later.
    """
    for background in list(_running):
        background.wait_quietly()


def split(items: list, processes: int) -> list[list]:
    """Contiguous chunks (they keep the order), several per process and none large, so that
    the processes finish together: with four large chunks each, one process rendered alone
    for the last 2 of 12 seconds.
    """
    size = max(1, min(-(-len(items) // (processes * 4)), MAX_ITEMS_PER_CHUNK))
    return [items[start : start + size] for start in range(0, len(items), size)]


def map_items(
    function,
    items: list,
    processes: int,
    per_process: int | None = None,
    *,
    work_here: bool = True,
) -> list:
    """[function(item) for item in items], in order, on up to `processes` processes (this one
    and forked workers; only workers with `work_here=False`), each given at least
    `per_process` items (MIN_ITEMS_PER_PROCESS unless told; fewer for costly items: a share
    card is 10 ms).

    This process works too, rather than wait: one process fewer for the same cores, and the
    memory a worker copies from this one (every object it reads, as Python writes its
    reference count) copied once fewer: at 50,000 merchants each worker held about 570 MB
    of its own. Not with `work_here=False`, for large results (merchants read): taking them
    in is then this process's work, and doing both, it held the workers up (at 50,000
    merchants, reading took 20.4 s instead of 14.6).
    """
    global _task
    processes = min(processes, len(items) // (per_process or MIN_ITEMS_PER_PROCESS))
    if not _can_fork(processes):
        return [function(item) for item in items]
    chunks = split(items, processes)
    context = multiprocessing.get_context("fork")
    claims = context.Array("b", len(chunks))  # shared: 1 once someone took the chunk
    _task = (function, chunks, claims)
    release_free_memory()
    try:
        # Unlike Pool.map, the executor raises BrokenProcessPool if a worker dies.
        workers = processes - 1 if work_here else processes
        with ProcessPoolExecutor(workers, mp_context=context) as executor:
            # Workers are offered the chunks last first, this process first first: pages are
            # planned merchants first and the longest to render (lists of the whole site)
            # last, so both end on short ones. Chunks go by number: the workers inherited them.
            futures = [executor.submit(_run, index) for index in reversed(range(len(chunks)))]
            futures.reverse()
            failed: list = []  # chunks a worker failed, or all of them once the pool broke
            for index, future in enumerate(futures):
                future.add_done_callback(partial(_note_failure, failed, index))
            try:
                done_here = _run_here(function, chunks, claims, failed) if work_here else {}
                # In the items' order: a failure is the first failing item's, whatever the
                # number of processes and whoever ran its chunk.
                results = []
                for index, future in enumerate(futures):
                    if index in done_here:
                        outcome = done_here[index]
                        if isinstance(outcome, BaseException):
                            raise outcome
                        results.extend(outcome)
                    else:
                        results.extend(future.result())
            except BaseException:
                _claim_all(claims)  # the chunks not started yet end at once
                for future in futures:
                    future.cancel()
                raise
    finally:
        _task = None
    return results


def _note_failure(failed: list, index: int, future) -> None:
    """A worker's chunk is done (run on the executor's thread): note it if it failed."""
    if not future.cancelled() and future.exception() is not None:
        failed.append(index)


def _run_here(function, chunks: list, claims, failed: list) -> dict:
    """The chunks this process claimed: index -> results, or the exception that stopped it.

    The error raised is the first failing item's, so every chunk before a failing one runs
    anyway; none after it does here: once a worker's chunk failed (or the pool broke, which
    fails them all), this process claims no chunk past it, and once one of its own failed,
    it marks every chunk claimed so that the workers start no other.
    """
    done: dict = {}
    with _collecting_new_objects():
        for index, chunk in enumerate(chunks):
            if failed and index > min(failed):
                break
            claimed = _claim(claims, index, timeout=_LOCK_TIMEOUT)
            if claimed is None:
                break  # a worker died holding the lock (the pool is broken): left to them
            if not claimed:
                continue
            try:
                done[index] = [function(item) for item in chunk]
            except Exception as error:  # noqa: BLE001 - raised in order by map_items
                done[index] = error
                _claim_all(claims)
                break
    return done


def _claim_all(claims) -> None:
    """Every chunk marked taken, so that workers start no other; nothing if the lock cannot
    be had (a worker died holding it: the pool is broken, its chunks fail anyway).
    """
    if claims.get_lock().acquire(timeout=_LOCK_TIMEOUT):
        claims[:] = [1] * len(claims)
        claims.get_lock().release()
