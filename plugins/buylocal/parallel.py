"""Work split across processes: reading merchant files and rendering pages use every core.

Workers are forked, so they inherit the function and everything it reads (settings, index,
templates) without pickling; only the items and the results cross between processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# Below this many items per process, starting processes costs more than it saves.
MIN_ITEMS_PER_PROCESS = 250
_task = None  # the function the forked workers run; set just before forking


def process_count(setting: int | None) -> int:
    return max(1, setting if setting else (os.cpu_count() or 1))


def _run(chunk: list) -> list:
    # The parent may have paused the cycle collector (generator.collector_paused): a worker
    # renders thousands of pages, and collects as usual, but not among what it inherited.
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
    return [_task(item) for item in chunk]


def map_items(function, items: list, processes: int) -> list:
    """[function(item) for item in items], in order, on up to `processes` processes."""
    global _task
    processes = min(processes, len(items) // MIN_ITEMS_PER_PROCESS)
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    # Several chunks per process even out the load; contiguous chunks keep the order.
    size = -(-len(items) // (processes * 4))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    _task = function
    context = multiprocessing.get_context("fork")
    try:
        # Unlike Pool.map, the executor raises BrokenProcessPool if a worker dies.
        with ProcessPoolExecutor(processes, mp_context=context) as executor:
            results = list(executor.map(_run, chunks))
    finally:
        _task = None
    return [result for chunk in results for result in chunk]
