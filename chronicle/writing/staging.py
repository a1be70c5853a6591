"""The staging folder: a build writes its output beside the output folder first, so that a
build that fails or is killed leaves the previous output as it was (see swap.py and
incremental/inplace.py for how the staged files then reach the output).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from chronicle.errors import OutputError
from chronicle.reading import safefs
from chronicle.writing.plan import safe
from chronicle.writing.swap import remove_tree


class Staging:
    """The folder a build writes into, beside the output, before it takes the output's
    place (write_site). Pages can be put in as they are rendered, so that a large site's
    pages need not all be held in memory."""

    def __init__(self, out: Path, transform: Callable[[str, bytes], bytes] | None = None) -> None:
        self.out = out
        self.path = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.transform = transform  # applied to each page put in (--minify)
        self.unchanged = 0  # pages put in whose bytes equal the previous output's
        self.same: set[str] = set()  # those of them put in by this process
        self._made = {""}
        remove_tree(self.path)
        try:
            self.path.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(written_error(out, exc)) from exc

    def put(self, rel: str, data: bytes) -> None:
        if self.transform is not None:
            data = self.transform(rel, data)
        try:
            self.folder_for(rel)
            write_file(f"{self.path}/{rel}", data)
        except OSError as exc:
            raise OutputError(written_error(self.out, exc)) from exc
        if same_bytes(f"{self.out}/{rel}", data):
            self.unchanged += 1
            self.same.add(rel)

    def put_as_is(self, rel: str, data: bytes) -> None:
        """A file made apart from the pages (a feed, an export): not minified, not compared."""
        self.folder_for(rel)
        write_file(f"{self.path}/{rel}", data)

    def copy_in(self, rel: str, source: Path, allowed: tuple[Path, ...]) -> None:
        """Copy `source` (a file of the site, or of the image cache) as safefs.copy_file
        does: from the file opened and checked, links leading only inside `allowed`."""
        self.folder_for(rel)
        safefs.copy_file(source, f"{self.path}/{rel}", allowed)

    def folder_for(self, rel: str) -> None:
        """Make the folder that the file `rel` goes in (once), refusing paths outside."""
        parent = safe(rel).rpartition("/")[0]
        if parent not in self._made:
            try:  # most pages are the only file of a folder whose parent was made already
                os.mkdir(f"{self.path}/{parent}")
            except OSError:
                os.makedirs(f"{self.path}/{parent}", exist_ok=True)
            self._made.add(parent)

    def discard(self) -> None:
        remove_tree(self.path)


def same_bytes(path: str, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (False when it cannot be read)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def write_file(path: str, data: bytes) -> None:
    # The file's descriptor itself, without Python's buffered file object over it: a cold
    # build writes thousands of pages, each in one write.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:  # write() may write less than asked (a signal, a full pipe)
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def link(source: str, target: str) -> bool:
    """A second name for an unchanged file (no bytes written); False where the file system
    has no hard links (the caller copies then)."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def written_error(out: Path, exc: OSError) -> str:
    """One line for a failed write: which file, and why (a full disk said as such)."""
    where = exc.filename or out
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: could not write {where}; free some space and build again"
    if exc.errno == errno.ENAMETOOLONG:
        return f"could not write {where}: a file or folder name is too long (over 255 bytes)"
    return f"could not write {where}: {exc.strerror or exc}"
