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
