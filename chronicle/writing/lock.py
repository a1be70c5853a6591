"""One build at a time per output folder, and recovery from a build that was killed: the
next build, under the lock, undoes whatever the killed one left half done.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from chronicle.errors import OutputError
from chronicle.incremental import inplace
from chronicle.writing.staging import written_error
from chronicle.writing.swap import remove_tree

# The lock files this process holds (process state, not a cache): a build takes the lock
# again to publish what it prepared under it, and must not wait for itself.
_held: set[Path] = set()


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder: a second waits rather than interleaving.
    Taken again by the process that holds it, it is simply held on."""
    lock_path = out.parent / f".{out.name}.lock"
    if lock_path.resolve() in _held:
        yield
        return
    try:  # the first thing a build writes: a read-only or missing place is said here
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("a")
    except OSError as exc:
        raise OutputError(written_error(out, exc)) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _held.add(lock_path.resolve())
        try:
            recover(out)
            yield
        finally:
            _held.discard(lock_path.resolve())
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(out: Path) -> None:
    """Undo what a killed build left behind: bring back an output moved aside (swap.py),
    undo a commit that did not finish (inplace.py), drop staging."""
    parent = out.parent
    moved = sorted(parent.glob(f".{out.name}.old-*"))
    if not out.exists() and moved:
        moved[-1].rename(out)
        moved = moved[:-1]
    inplace.recover(out)
    for stale in [*moved, *parent.glob(f".{out.name}.staging-*")]:
        remove_tree(stale)  # a previous output left read-only, too (swap)
