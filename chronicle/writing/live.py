"""The preview's folder: kept equal to each new plan by rewriting only the files whose
bytes changed, each replaced whole, so that the server never hands out a half-written page.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import NamedTuple

from chronicle.incremental.stamp import Stamp
from chronicle.reading import safefs
from chronicle.writing.plan import Plan, safe


class _Source(NamedTuple):
    stamp: Stamp  # the copied file's source when it was last read
    digest: str  # and the digest of its bytes then


class LiveFolder:
    """A folder kept equal to successive plans, for the preview server.

    Only files whose bytes changed are rewritten, each through a temporary file and an
    atomic rename, so a request never sees a half-written or empty file.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._digests: dict[str, str] = {}
        self._written: dict[str, bytes] = {}  # rendered bytes by path, to skip re-hashing
        # Copied files are re-read only when their source's stamp changes.
        self._sources: dict[str, _Source] = {}

    def apply(self, plan: Plan, keep: Collection[str] = ()) -> list[str]:
        """Bring the folder to `plan`, leaving the files in `keep` as they are (put() looks
        after them); returns the paths that were written or removed."""
        _check_root(self.root)
        changed: list[str] = []
        digests: dict[str, str] = {rel: self._digests[rel] for rel in keep if rel in self._digests}
        # Files no longer made go first: a file that became a folder of the same name (or
        # the other way round) then finds its place free.
        made = {*plan.paths(), *digests}
        for rel in sorted(set(self._digests) - made):
            _remove(self.root, rel)
            del self._digests[rel]
            changed.append(rel)
        # The folder is the preview's own (a private temporary folder): a file whose digest
        # is unchanged is trusted to be in place, without a stat per file.
        for rel in plan.paths():
            digest, data = self._digest(rel, plan)
            digests[rel] = digest
            if self._digests.get(rel) != digest:
                _replace(
                    self.root,
                    self.root / safe(rel),
                    data if data is not None else self._read(rel, plan),
                )
                self._digests[rel] = digest  # written: a failure after it is not undone
                changed.append(rel)
        self._digests = digests
        self._written = {rel: data for rel, data in self._written.items() if rel in digests}
        return changed

    def put(self, files: Mapping[str, bytes], previous: Collection[str] = ()) -> list[str]:
        """Files made apart from a plan: write those whose bytes changed, and remove those
        of `previous` that are no longer made; returns the paths written or removed."""
        _check_root(self.root)
        changed: list[str] = []
        for rel, data in files.items():
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if self._digests.get(rel) != digest:
                _replace(self.root, self.root / safe(rel), data)
                self._digests[rel] = digest
                changed.append(rel)
        for rel in sorted(set(previous) - set(files)):
            _remove(self.root, rel)
            self._digests.pop(rel, None)
            changed.append(rel)
        return changed

    def _digest(self, rel: str, plan: Plan) -> tuple[str, bytes | None]:
        if rel in plan.rendered:
            data = plan.rendered[rel]
            if self._written.get(rel) is data:  # the very bytes written before (a cached page)
                return self._digests[rel], data
            self._written[rel] = data
            return hashlib.blake2b(data, digest_size=16).hexdigest(), data
        source = plan.copied[rel]
        if rel in plan.named_by_content:
            return f"named:{source}", None
        stamp = Stamp.of(source.stat())
        known = self._sources.get(rel)
        if known is not None and known.stamp == stamp:
            return known.digest, None
        data = safefs.read_bytes(source, plan.allowed)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        self._sources[rel] = _Source(stamp, digest)
        return digest, data

    @staticmethod
    def _read(rel: str, plan: Plan) -> bytes:
        return safefs.read_bytes(plan.copied[rel], plan.allowed)


def _check_root(root: Path) -> None:
    """The folder must still be there: files whose bytes did not change are not written
    again, so a folder removed from under the preview would otherwise go unnoticed."""
    if not root.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the preview folder is gone", str(root))


def _replace(root: Path, target: Path, data: bytes) -> None:
    # Folders are made below the root only: once the preview has stopped and removed its
    # folder, a build still finishing must not make it again.
    _check_root(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def _remove(root: Path, rel: str) -> None:
    path = root / safe(rel)
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
