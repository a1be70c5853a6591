"""A progress bar for long builds, on a terminal only: pages rendered of the total.

The renderer counts the pages it has rendered; a thread reads that count a few times a
second and redraws one line, which it clears when rendering ends. So rendering itself
does no terminal output, and a short build (under `delay`) shows nothing at all.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator, Sized
from contextlib import contextmanager
from typing import Protocol, TextIO

CLEAR = "\r\x1b[K"


class Counting(Protocol):
    """What the bar reads: the renderer's count of rendered pages and its list of jobs."""

    @property
    def rendered(self) -> int: ...

    @property
    def jobs(self) -> Sized: ...


class Progress:
    def __init__(
        self, stream: TextIO, *, enabled: bool, delay: float = 0.3, interval: float = 0.1
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.delay = delay
        self.interval = interval

    @contextmanager
    def rendering(self, renderer: Counting) -> Iterator[None]:
        """A bar of `renderer.rendered` out of `len(renderer.jobs)` while the block runs."""
        total = len(getattr(renderer, "jobs", []))
        with self._drawing(lambda: _bar(getattr(renderer, "rendered", 0), total, self._width())):
            yield

    @contextmanager
    def status(self, text: str) -> Iterator[None]:
        """One line of text (`indexing for search…`) while a slow step runs."""
        with self._drawing(lambda: text[: self._width()]):
            yield

    @contextmanager
    def _drawing(self, line: Callable[[], str]) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        stop = threading.Event()
        drawn = threading.Event()

        def draw() -> None:
            if stop.wait(self.delay):
                return
            while True:
                self.stream.write(CLEAR + line())
                self.stream.flush()
                drawn.set()
                if stop.wait(self.interval):
                    return

        thread = threading.Thread(target=draw, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            if drawn.is_set():
                self.stream.write(CLEAR)
                self.stream.flush()

    def _width(self) -> int:
        return max(20, shutil.get_terminal_size((80, 24)).columns - 1)


def _bar(done: int, total: int, width: int) -> str:
    """`rendering [=====     ] 1234/2000 pages`, fitted to the terminal's width."""
    done = min(done, total)
    label = f" {done}/{total} pages"
    room = max(10, width - len("rendering [] ") - len(label))
    filled = room * done // total if total else room
    return f"rendering [{'=' * filled}{' ' * (room - filled)}]{label}"[:width]
