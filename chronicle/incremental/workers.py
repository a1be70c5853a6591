"""Worker processes for the stages of a cold build that split by file or by page (parsing,
rendering): forked, so that they start with everything this process has loaded."""

from __future__ import annotations

import os
import pickle
import queue
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


class WorkerDiedError(RuntimeError):
    """A worker process ended while it had work (killed, or out of memory)."""


class Crew:
    """This process and forked workers sharing a list of work as they go: this process
    takes items from the front, the workers from the back (TwoEnds). A worker sends what
    it made through a queue, a few items at a time, and this process takes it in between
    items of its own: none waits while work is left, and each end's items (the work they
    share, such as a memo) are done by one side. Make it before any other thread runs:
    the workers are forked here, with everything this process holds, and `shared` is
    what their functions work with (shared()). Use it in a `with`
    block, which ends the workers (or stop() them)."""

    def __init__(self, workers: int, shared: object = None) -> None:
        import multiprocessing

        global _crew
        self.workers = workers
        self.shared = shared  # what the workers' functions work with: see shared()
        self.ends = TwoEnds()
        self.results = fork_queue()
        before = multiprocessing.active_children()
        _crew = self  # in the workers' memory: see _from_back
        try:
            self.pool = fork_pool(workers)
        finally:
            _crew = None
        # The pool's processes, to tell a worker that died from one still at work.
        self._processes = [p for p in multiprocessing.active_children() if p not in before]

    def aside(self, work: Callable[..., R], *args: Any) -> Any:
        """work(*args) in a worker, before it takes items of the next run(): an AsyncResult
        (`work` a function of a module, as the pool sends it by name)."""
        return self.pool.apply_async(work, args)

    def run(
        self,
        items: Sequence[T],
        *,
        here: Callable[[T], object],
        there: Callable[[T], R],
        receive: Callable[[R], object],
        chunk: int,
    ) -> None:
        """here(item) in this process, there(item) in a worker (a function of a module, as
        the pool sends it by name), whose result this process then gives to receive()."""
        self.ends.start(len(items))
        working = [
            self.pool.apply_async(_from_back, (there, items, chunk)) for _ in range(self.workers)
        ]
        ended = 0
        while claim := self.ends.front(chunk):
            for place in claim:
                here(items[place])
            ended += self._received(receive)
        while ended < self.workers:
            ended += self._received(receive, wait=working)
        for work in working:
            work.get()  # raises what the worker raised

    def _received(self, receive: Callable[[Any], object], wait: list[Any] | None = None) -> int:
        """Give what the workers have sent so far to receive(); with `wait` (their tasks),
        wait for a message first. Returns how many workers said they were done."""
        ended = 0
        while wait is not None or not self.results.empty():
            message = self._next(wait) if wait is not None else self.results.get()
            wait = None
            if message is None:
                ended += 1
                continue
            # Pickled by the worker itself (see _from_back), then by the queue.
            for result in pickle.loads(message):
                receive(result)
        return ended

    def _next(self, working: list[Any]) -> Any:
        """The next message, however long it takes while the workers live; an error when
        one of them failed before it could say it was done."""
        while True:
            try:
                return self.results.get(timeout=0.2)
            except queue.Empty:
                pass
            for work in working:
                if work.ready() and not work.successful():
                    work.get()  # raises what failed: the task could not even be sent
            if any(process.exitcode is not None for process in self._processes):
                raise WorkerDiedError("a worker process ended while it had work")

    def stop(self) -> None:
        """End the workers at once: they may still be at work, or waiting to send what
        this process will now never read (waiting for them would be for ever)."""
        self.pool.terminate()
        self.pool.join()

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.stop()
            return
        self.pool.close()  # run() has taken every worker's results: they are done
        self.pool.join()


_crew: Crew | None = None  # the crew a forked worker belongs to


def shared() -> Any:
    """In a worker: what its crew was made to share (a loader, a renderer), as the fork
    left it."""
    assert _crew is not None, "not in a worker"
    return _crew.shared


def _from_back(there: Callable[[Any], Any], items: Sequence[Any], chunk: int) -> None:
    """In a worker: there() for each item it claims from the back, sent a few at a time;
    a last message, None, says it is done, even when it failed. Each message is pickled
    here, so that a result that cannot be pickled fails the task (the queue would pickle it
    in a thread of its own, which drops what it cannot send)."""
    try:
        crew = _crew
        assert crew is not None, "a worker forked before the crew was made"
        while claim := crew.ends.back(chunk):
            message = [there(items[place]) for place in claim]
            crew.results.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        if _crew is not None:
            _crew.results.put(None)
