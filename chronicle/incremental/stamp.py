"""A file's stamp: what tells that a file changed without reading it.

One type for every place that compares files between builds: the parsed content files, the
output as it was written, and the summary that says a build is up to date.
"""

from __future__ import annotations

import os
from typing import NamedTuple


class Stamp(NamedTuple):
    """Size, modification time and inode: an edit, a save by rename or a replaced file
    changes at least one of them."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, stat: os.stat_result) -> Stamp:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ino)


def stamp_of(path: str) -> Stamp | None:
    """The file's stamp, following a link; None when it cannot be read."""
    try:
        return Stamp.of(os.stat(path))
    except OSError:
        return None
