"""Peak memory of a build as the sum over all of its processes (bench/compare.py).

`ru_maxrss` gives the largest single process, so a build that spreads over workers looks
smaller than it is. Two ways to sum them, the first that this machine allows:

- cgroup: the build runs in a child cgroup of its own (cgroup v2, with the memory controller
  delegated to where this script runs); the kernel's `memory.peak` is then exact. It counts
  the page cache the build charged too: on tmpfs, the files it wrote.
- pss: the process tree is walked every SAMPLE seconds and the proportional set sizes
  (`/proc/PID/smaps_rollup`, shared pages split between their sharers) are summed; the
  largest sum is the peak. A peak shorter than the interval can be missed.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

SAMPLE = 0.02  # seconds between two walks of the process tree
MIB = 1024 * 1024


def cgroup_parent() -> Path | None:
    """A cgroup v2 folder where a child with the memory controller can be made, or None."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    mount = next((line.split()[4] for line in mounts if " - cgroup2 " in line), None)
    path = next((line[3:] for line in own if line.startswith("0::")), None)
    if mount is None or path is None:
        return None
    folder = Path(mount) / path.lstrip("/")
    try:
        delegated = (folder / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    return folder if "memory" in delegated and os.access(folder, os.W_OK) else None


def method(wanted: str) -> str:
    """'cgroup' or 'pss': `wanted` is one of them or 'auto' (cgroup where it can be made)."""
    if wanted == "auto":
        return "cgroup" if cgroup_parent() is not None else "pss"
    if wanted == "cgroup" and cgroup_parent() is None:
        raise SystemExit("--memory cgroup: no writable cgroup v2 with the memory controller here")
    return wanted


class Peak:
    """The peak of one child's whole tree, while the caller waits for it."""

    def __init__(self, how: str) -> None:
        self.how = how
        self.bytes = 0
        self._group: Path | None = None
        self._root = 0
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def before_spawn(self) -> None:
        if self.how == "cgroup":
            parent = cgroup_parent()
            assert parent is not None
            self._group = parent / f"chronicle-bench-{os.getpid()}"
            self._group.mkdir(exist_ok=True)

    def enter_group(self) -> None:
        """Run in the child before exec (preexec_fn): it and all it spawns are counted."""
        if self._group is not None:
            (self._group / "cgroup.procs").write_text("0")

    def started(self, child: subprocess.Popen[bytes]) -> None:
        if self.how == "pss":
            self._root = child.pid
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()

    def finished(self) -> float:
        """The peak in MiB, once the child has been reaped."""
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self._group is not None:
            self.bytes = int((self._group / "memory.peak").read_text())
            self._group.rmdir()  # empty now: its one process has exited
        return self.bytes / MIB

    def _sample(self) -> None:
        while not self._done.is_set():
            self.bytes = max(self.bytes, sum(pss(pid) for pid in tree(self._root)))
            self._done.wait(SAMPLE)


def tree(root: int) -> list[int]:
    """root and its descendants, from the kernel's children lists of each thread."""
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        try:
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue  # exited meanwhile
        for task in tasks:
            try:
                frontier += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def pss(pid: int) -> int:
    """The process's proportional set size in bytes; 0 once it has gone."""
    try:
        with Path(f"/proc/{pid}/smaps_rollup").open() as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
