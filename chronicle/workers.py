"""Worker processes for the stages of a cold build that split by file or by page (parsing,
rendering): forked, so that they start with everything this process has loaded."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


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


class Crew:
    """This process and forked workers sharing a list of work as they go: this process
    takes items from the front, the workers from the back (TwoEnds). A worker sends what
    it made through a queue, a few items at a time, and this process takes it in between
    items of its own: none waits while work is left, and each end's items (the work they
    share, such as a memo) are done by one side. Make it before any other thread runs:
    the workers are forked here, with everything this process holds. Use it in a `with`
    block, which ends the workers."""

    def __init__(self, workers: int) -> None:
        global _crew
        self.workers = workers
        self.ends = TwoEnds()
        self.results = fork_queue()
        _crew = self  # in the workers' memory: see _from_back
        try:
            self.pool = fork_pool(workers)
        finally:
            _crew = None

    def run(
        self,
        items: Sequence[T],
        here: Callable[[T], object],
        there: Callable[[T], R],
        take: Callable[[R], object],
        chunk: int,
    ) -> None:
        """here(item) in this process, there(item) in a worker (a function of a module, as
        the pool sends it by name), whose result this process then gives to take()."""
        self.ends.start(len(items))
        working = [
            self.pool.apply_async(_from_back, (there, items, chunk)) for _ in range(self.workers)
        ]
        ended = 0
        while claim := self.ends.front(chunk):
            for place in claim:
                here(items[place])
            ended += self._take(take, wait=False)
        while ended < self.workers:
            ended += self._take(take, wait=True)
        for work in working:
            work.get()  # raises what the worker raised

    def _take(self, take: Callable[[Any], object], *, wait: bool) -> int:
        """Give what the workers have sent so far to take(); with `wait`, wait for a message
        first. Returns how many workers said they were done."""
        ended = 0
        while wait or not self.results.empty():
            wait = False
            made = self.results.get()
            if made is None:
                ended += 1
                continue
            for result in made:
                take(result)
        return ended

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.pool.close()  # run() has taken every worker's results: they are done
        else:
            # Workers may still be at work, or waiting to send what this process will now
            # never read: they are stopped, not waited for (that would be for ever).
            self.pool.terminate()
        self.pool.join()


_crew: Crew | None = None  # the crew a forked worker belongs to


def _from_back(there: Callable[[Any], Any], items: Sequence[Any], chunk: int) -> None:
    """In a worker: there() for each item it claims from the back, sent a few at a time;
    a last message, None, says it is done, even when it failed."""
    crew = _crew
    assert crew is not None
    try:
        while claim := crew.ends.back(chunk):
            crew.results.put([there(items[place]) for place in claim])
    finally:
        crew.results.put(None)
