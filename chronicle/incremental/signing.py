"""Signed files: a state is a pickle, so it is signed with a key kept outside the site, and
a file that someone else put in the site fails the check and is ignored like a missing one.
Files are replaced whole, by rename, never changed in place."""

from __future__ import annotations

import hmac
import mmap
import os
import pickle
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from chronicle.media.images import user_cache_folder


@contextmanager
def mapped(path: Path) -> Iterator[memoryview]:
    """A file's bytes, mapped rather than read: reading a large state into memory new to
    the process takes longer than unpickling it from the page cache. The file is not read twice: the
    signature is checked on the very bytes unpickled. (A writer changing the file in place
    between the two could defeat the check; such a writer can change the site's templates
    too, and state files are only ever replaced whole, by rename.)"""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        view = memoryview(m)
        try:
            yield view
        finally:
            view.release()


def write_signed(path: Path, key: bytes, head: bytes, value: object) -> None:
    """`head` and `value` pickled, after their MAC (sign()): pickled into the file as the
    pickle goes, not into memory first: a state held as bytes, then joined to its head and
    to its MAC, would be two copies more at the build's peak of memory."""
    with replacing(path) as handle:
        handle.write(bytes(32))  # the MAC's place: known at the end
        signing = _Signing(handle, hmac.new(key, digestmod="sha256"))
        signing.write(head)
        pickle.Pickler(signing, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        handle.seek(0)
        handle.write(signing.mac.digest())


class _Signing:
    """A file that the MAC sees every byte written to."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC) -> None:
        self.handle = handle
        self.mac = mac

    def write(self, data: bytes | memoryview) -> int:
        self.mac.update(data)
        return self.handle.write(data)


def write_replacing(path: Path, blob: bytes) -> None:
    with replacing(path) as handle:
        handle.write(blob)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A new file that replaces `path` whole when the block ends, and only if it ends
    without an error."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            yield handle
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def sign(key: bytes, data: bytes | memoryview) -> bytes:
    """A 32-byte MAC: HMAC-SHA256, which OpenSSL computes with the processor's SHA
    instructions where it has them, quicker than keyed BLAKE2b (docs/performance.md)."""
    return hmac.digest(key, data, "sha256")


def signing_key() -> bytes | None:
    """This user's signing key, made on first use; None where it cannot be kept."""
    path = user_cache_folder() / "state.key"
    try:
        return path.read_bytes()
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it just now
        return path.read_bytes()
    except OSError:
        return None
