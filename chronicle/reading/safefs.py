"""Reading a site's files safely: nothing outside the site is read, nothing special is opened.

A site may come from a stranger (a pull request built as a deploy preview), and a symbolic
link slips through review easily. So a link, or a folder reached through one, is followed
only when where it really leads stays inside the site's `content/`, `static/` or
`templates/` (never `.git/`, `.env`, `.cache/`, the output or anything hidden). A file is
opened first and checked on the open descriptor (`O_NOFOLLOW`, `fstat`), never checked by
name and then opened, which a swap between the two would defeat. A FIFO, socket or device
is never read: `O_NONBLOCK` keeps the open from waiting on a FIFO, and `fstat` refuses it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from chronicle.errors import Hint

FOLDERS = ("content", "static", "templates")  # where a site's links may lead
SYMLINK = Hint("symlink")
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


class UnsafeFileError(OSError):
    """A file that is not read: a link leading out, a special file, an unreadable one."""

    def __init__(self, message: str, hint: Hint | None = SYMLINK, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.filename = None if path is None else str(path)  # as OSError names its file
        # The reason alone, for messages that name the file and what failed themselves.
        self.strerror = message.removeprefix("cannot read the file: ")

    def __str__(self) -> str:
        return self.message


def roots(site_root: Path, extra: Iterable[Path] = ()) -> tuple[Path, ...]:
    """The real folders a site's links may lead into (plus `extra`: the theme's own)."""
    # The site root resolved, not the folders: a `content` that is itself a link out of
    # the site must not widen what is allowed.
    real = site_root.resolve()
    found = [real / name for name in FOLDERS]
    return (*found, *(path.resolve() for path in extra))


def special(mode: int) -> str | None:
    """What a file of this mode is when it is not a regular file ('a socket'), else None."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def link_problem(path: Path, allowed: tuple[Path, ...]) -> str | None:
    """Why `path` (a link, or a path through linked folders) may not be followed, or None.

    Resolving is slow: call it for links only (a listing knows which entries are links)."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "is a symbolic link in a loop"
    except OSError:
        return "is a symbolic link to a file that does not exist"
    for root in allowed:
        if target == root or target.is_relative_to(root):
            hidden = [p for p in target.relative_to(root).parts if p.startswith(".")]
            if not hidden:
                return None
            return f"is a symbolic link that leads to a hidden file or folder ({target})"
    return (
        f"is a symbolic link that leads outside the site's content/, static/ and templates/ "
        f"(to {target})"
    )


def open_file(path: Path, allowed: tuple[Path, ...]) -> int:
    """A descriptor of `path`, a regular file whose real place is inside `allowed`; or
    UnsafeFileError naming what it is. The caller closes it."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if not path.is_symlink():
            message = f"cannot read the file: {exc.strerror or exc}"
            raise UnsafeFileError(message, None, path) from None
        problem = link_problem(path, allowed)
        if problem:
            raise UnsafeFileError(problem, SYMLINK, path) from None
        try:  # the link's real target, itself opened without following a link
            fd = os.open(path.resolve(strict=True), _FLAGS)
        except OSError as again:
            message = f"cannot read the file: {again.strerror or again}"
            raise UnsafeFileError(message, None, path) from None
    kind = special(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        message = f"is {kind}, not a file: only regular files are read"
        raise UnsafeFileError(message, None, path)
    return fd


def read_bytes(path: Path, allowed: tuple[Path, ...], limit: int | None = None) -> bytes:
    """The bytes of a file opened as open_file() does; at most `limit` + 1 of them, so a
    caller can tell that the file is over its limit without reading all of it."""
    fd = open_file(path, allowed)
    try:
        os.set_blocking(fd, True)
        chunks = []
        left = -1 if limit is None else limit + 1
        while left != 0:
            chunk = os.read(fd, 1 << 20 if left < 0 else min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left = left - len(chunk) if left > 0 else left
        return b"".join(chunks)
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise UnsafeFileError(message, None, path) from None
    finally:
        os.close(fd)


def copy_file(path: Path, target: str, allowed: tuple[Path, ...]) -> None:
    """Copy `path` to `target` from the descriptor open_file() checked, never from the
    name again: a file swapped for a link after the build listed it is refused, not
    published. A failure to read is an UnsafeFileError naming `path`; one to write, the
    OSError naming `target`."""
    fd = open_file(path, allowed)
    try:
        os.set_blocking(fd, True)
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            while True:
                try:
                    chunk = os.read(fd, 1 << 20)
                except OSError as exc:
                    message = f"cannot read the file: {exc.strerror or exc}"
                    raise UnsafeFileError(message, None, path) from None
                if not chunk:
                    break
                view = memoryview(chunk)
                while view:  # write() may write less than asked
                    view = view[os.write(out, view) :]
        finally:
            os.close(out)
    finally:
        os.close(fd)


def walk(
    folder: Path, allowed: tuple[Path, ...], *, hidden_folders: bool = False
) -> Iterator[tuple[Path, str | None]]:
    """Every file under `folder`, at any depth, sorted, hidden names skipped (but for
    hidden folders' files, with `hidden_folders`: `static/.well-known/`), as (path,
    problem): a problem (a link leading out, a special file) means the path is not to be
    read. A linked folder inside `allowed` is walked, but not inside itself (a link to a
    folder above it ends there)."""

    def visit(
        current: Path, above: frozenset[tuple[int, int]]
    ) -> Iterator[tuple[Path, str | None]]:
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in above:
                return
            above = above | {(info.st_dev, info.st_ino)}
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            yield current, f"cannot read the folder: {exc.strerror or exc}"
            return
        for entry in entries:
            if entry.name.startswith(".") and not (hidden_folders and entry.is_dir()):
                continue
            path = current / entry.name
            try:
                linked = entry.is_symlink()
                problem = link_problem(path, allowed) if linked else None
                if problem:
                    yield path, problem
                    continue
                mode = path.stat().st_mode if linked else entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                yield path, f"cannot read: {exc.strerror or exc}"
                continue
            if stat.S_ISDIR(mode):
                yield from visit(path, above)
            else:
                kind = special(mode)
                yield path, f"is {kind}, not a file: only regular files are read" if kind else None

    if folder.is_symlink():
        problem = link_problem(folder, allowed)
        if problem:
            yield folder, problem
            return
    if folder.is_dir():
        yield from visit(folder, frozenset())


def size(path: Path, allowed: tuple[Path, ...]) -> int:
    """The size of a file opened as open_file() does (so a huge file is refused unread)."""
    fd = open_file(path, allowed)
    try:
        return os.fstat(fd).st_size
    finally:
        os.close(fd)
