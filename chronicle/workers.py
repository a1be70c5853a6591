"""Worker processes for the stages of a cold build that split by file or by page (parsing,
rendering): forked, so that they start with everything this process has loaded."""

from __future__ import annotations

import os
import threading
from typing import Any


def can_fork() -> bool:
    """Whether this process may fork: not where it is impossible, nor where another thread
    runs (it could hold a lock that the child would then wait on for ever)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def spare_cores() -> int:
    """How many workers to fork besides this process: one per other core (at most seven),
    and none where a fork is not safe."""
    return min(os.cpu_count() or 1, 8) - 1 if can_fork() else 0


def fork_pool(processes: int) -> Any:
    """A multiprocessing pool of `processes` forked workers."""
    import multiprocessing  # only for a cold build: it takes a while to import

    return multiprocessing.get_context("fork").Pool(processes)


def shares(items: list[Any], workers: int) -> tuple[list[Any], list[list[Any]]]:
    """This process's share and each worker's: every (workers + 1)-th item, so that runs of
    heavy items (a timeline's pages, a folder of long files) are spread out."""
    return items[:: workers + 1], [items[i :: workers + 1] for i in range(1, workers + 1)]


class TwoEnds:
    """A list of work taken a few items at a time from both ends until none is left: by
    this process from the front, by its forked workers from the back. Each process is busy
    until the end (none waits for a slower one), and the items at each end are done by
    one side only, so that work which items near each other share (a memo) is done once.
    Make it before the fork; then start() with the list's length."""

    def __init__(self) -> None:
        import multiprocessing  # only for a cold build: it takes a while to import

        context = multiprocessing.get_context("fork")
        self._ends = context.RawArray("q", 2)  # the next at the front, one past the last
        self._lock = context.Lock()

    def start(self, count: int) -> None:
        self._ends[0], self._ends[1] = 0, count

    def front(self, most: int) -> range:
        """The next items from the front (an empty range when none is left)."""
        with self._lock:
            start = self._ends[0]
            end = min(start + most, self._ends[1])
            self._ends[0] = max(end, start)
        return range(start, end)

    def back(self, most: int) -> range:
        """The next items from the back, last first (empty when none is left)."""
        with self._lock:
            end = self._ends[1]
            start = max(end - most, self._ends[0])
            self._ends[1] = min(start, end)
        return range(end - 1, start - 1, -1)


def fork_queue() -> Any:
    """A queue from forked workers to this process (make it before the fork). A worker's
    put() does not wait for this process to read."""
    import multiprocessing

    return multiprocessing.get_context("fork").Queue()
