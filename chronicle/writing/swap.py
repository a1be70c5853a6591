"""Swapping a staging folder in for the output whole: with one atomic exchange where Linux
offers renameat2, else by moving the output aside first (a kill between the two renames is
undone by lock.recover).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def swap(staging: Path, out: Path) -> Path | None:
    """Put the folder `staging` in the place of `out`, and remove the previous output.

    Once the new output is in place the build has succeeded: a previous output that cannot
    be removed (read-only, immutable) is returned, for a warning, rather than raised; the
    next build removes it (lock.recover)."""
    if not out.exists():
        staging.rename(out)
        return None
    if _exchange(staging, out):
        old = staging  # now holds the previous output
    else:
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)  # a kill between these two renames is undone by recover()
        try:
            staging.rename(out)
        except OSError:
            old.rename(out)  # the previous output back in its place: the build failed
            raise
    return None if remove_tree(old) else old


def remove_tree(path: Path) -> bool:
    """Remove a folder whole, read-only folders inside it included (a build made them, or a
    user made them read-only: either way the folder is ours to remove). False when some of
    it stays, as under `chattr +i`."""
    if not os.path.lexists(path):
        return True
    shutil.rmtree(path, ignore_errors=True)
    if os.path.lexists(path) and not os.path.islink(path):
        # A file in a read-only folder cannot be unlinked: open every folder up (each
        # before it is listed), then once more.
        with contextlib.suppress(OSError):
            _writable(str(path))
            for folder, folders, _ in os.walk(path):
                for name in folders:
                    _writable(os.path.join(folder, name))
        shutil.rmtree(path, ignore_errors=True)
    return not os.path.lexists(path)


def _writable(folder: str) -> None:
    with contextlib.suppress(OSError):
        mode = os.lstat(folder).st_mode
        if stat.S_ISDIR(mode):  # never a link: chmod would follow it out of the tree
            os.chmod(folder, stat.S_IMODE(mode) | stat.S_IRWXU)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders with Linux renameat2; False where it is not available."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
