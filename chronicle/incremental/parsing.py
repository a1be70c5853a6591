"""Parsing content files in forked worker processes, on a cold build of a large site.

Each file is parsed on its own and comes back whole (its entries, its problems), into the
parsed-file cache; the loader then finds every file there, as on a warm build.
"""

from __future__ import annotations

from collections.abc import Callable

from chronicle.incremental.files import FileCache, Kept
from chronicle.incremental.workers import Crew, shared, spare_cores
from chronicle.reading.content import Parsed

PARALLEL_FROM = 400  # files to parse before it pays to start a worker process
CHUNK = 32  # files a process claims at a time: one file is too quick to be worth a claim

File = tuple[str, str, str, str | None]  # kind, path, stem, language of a translation
Parse = Callable[[str, str, str, str | None], Parsed]  # parses one file into the cache


def parse_ahead(files: list[File], parse: Parse, cache: FileCache) -> None:
    """Parse `files` into `cache`, worker processes taking a share, when there are enough
    of them to pay for the workers; else leave them to be parsed one by one."""
    workers = spare_cores() if len(files) >= PARALLEL_FROM else 0
    if not workers:
        return
    crew = Crew(workers, shared=(parse, cache))
    with crew:
        crew.run(
            files,
            here=lambda item: parse(*item),
            there=_parse_for_parent,
            receive=lambda done: cache.parsed.__setitem__(*done),
            chunk=CHUNK,
        )


def _parse_for_parent(item: File) -> tuple[str, Kept]:
    """In a worker: parse one file, and send back its cache entry."""
    parse, cache = shared()
    parse(*item)
    return item[1], cache.parsed[item[1]]
