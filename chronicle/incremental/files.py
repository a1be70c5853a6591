"""The parsed-file cache: what each content file yielded, kept between runs of a process
(and, pickled, between builds) while the file's stamp is the same.

The loader asks it for a file's parse and for a folder's listing, giving the way to make
each anew; a watched process (the preview) also patches its last content here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chronicle.errors import Problem
from chronicle.incremental.stamp import Stamp
from chronicle.reading.chinese import Converter
from chronicle.reading.content import Content, Entry, Parsed, copy_entry
from chronicle.reading.kinds import KINDS
from chronicle.reading.translations import add_simplified, only_generated

LISTED = (*KINDS, "media")  # the folders whose listings a watched cache keeps
Kept = tuple[Stamp, Parsed]  # a file's parse, with the stamp the file had
Listing = tuple[list[Any], list[Problem]]  # a folder's files, and problems found listing it


@dataclass
class FileCache:
    """Parsed files kept between runs of a long-lived process, each with the stamp it was
    parsed at.

    A process that hears of every change (the preview's watcher) sets `watched` and calls
    changed() for each changed path: then unchanged files are not even looked at, and the
    folder listings are kept until a file appears or goes. Otherwise every file's stamp
    is checked on each run."""

    parsed: dict[str, Kept] = field(default_factory=dict)  # by path
    watched: bool = False
    listings: dict[str, Listing] = field(default_factory=dict)
    # Unwatched: the stamp of each kind's folder when it was listed. A file added,
    # removed or renamed changes it, so an equal stamp lets the listing be kept.
    folders: dict[str, Stamp] = field(default_factory=dict)
    # Unwatched: stamps taken at the start of this run (summary.input_signatures), so that
    # each file is not looked at twice; not kept on disk.
    seen: dict[str, Stamp] = field(default_factory=dict)
    # Watched: the last run's content, and the files changed since with what they held,
    # so that a run after a few saves patches that content (patch_last) instead of going
    # through every file again. Neither is kept on disk.
    last: LastLoad | None = None
    replaced: dict[str, Parsed] = field(default_factory=dict)

    def changed(self, path: Path) -> None:
        known = self.parsed.pop(str(path), None)
        if known is not None:
            self.replaced.setdefault(str(path), known[1])
        if known is None or not path.exists():  # a new or removed file, or a media file
            self.listings.clear()

    def stamp(self, name: str) -> Stamp:
        stamp = self.seen.get(name)
        return stamp if stamp is not None else Stamp.of(os.stat(name))

    def parsed_file(self, name: str, parse: Callable[[], Parsed]) -> Parsed:
        """The file's parse: the one kept, while the file is unchanged, else parse()."""
        cached = self.parsed.get(name)
        if cached is not None and self.watched:
            return cached[1]
        stamp = self.stamp(name)  # before parsing: a file saved meanwhile is parsed again
        if cached is not None and cached[0] == stamp:
            return cached[1]
        parsed = parse()
        self.parsed[name] = (stamp, parsed)
        return parsed

    def listing(
        self, name: str, folder: Stamp | None, make: Callable[[], tuple[Listing, bool]]
    ) -> Listing:
        """A folder's listing, kept while the watcher reports no file created or removed
        or, unwatched, while the folder's stamp is the one it had (`folder`: None for a
        folder whose stamp does not tell). make() lists it anew, and tells whether it
        holds a symbolic link, whose target may change unseen."""
        kept = self.listings.get(name)
        if not self.watched and (folder is None or self.folders.get(name) != folder):
            kept = None
        if kept is None:
            kept, linked = make()
            self.listings[name] = kept
            if folder is not None and not linked:
                self.folders[name] = folder
            else:
                self.folders.pop(name, None)
        return kept

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "seen": {}, "last": None, "replaced": {}}

    def pickled(self) -> bytes:
        """The cache as the state keeps it (see state.State.pickled_files)."""
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class LastLoad:
    """A watched run's content, where each file's entries are in it, and its problems."""

    content: Content
    places: dict[str, tuple[str, str, list[int]]]  # path -> (kind, stem, places in its list)
    problems: list[Problem]


def patch_last(
    cache: FileCache,
    replaced: dict[str, Parsed],
    parse: Callable[[str, str, str], Parsed],
    simplified_from: str | None,
    convert: Converter | None = None,
) -> tuple[Content, list[Problem]] | None:
    """The last run's content with the entries of the changed files parsed again (by
    parse(kind, path, stem)), when nothing else can differ: no file came or went (the listings
    are kept), and each changed file is a plain one (not a translation) with as many
    entries as before, none of which had a translation of an author's. Else None: the
    content is then made again from every file. `simplified_from`: the default language,
    when entries get a Simplified Chinese translation made for them."""
    last = cache.last
    if last is None or not replaced or any(k not in cache.listings for k in LISTED):
        return None
    content = replace(
        last.content,
        people=list(last.content.people),
        organizations=list(last.content.organizations),
        events=list(last.content.events),
        pages=list(last.content.pages),
        based_on=last.content,
        replaced=[],
    )
    gone = {id(problem) for old in replaced.values() for problem in old.problems}
    problems = [problem for problem in last.problems if id(problem) not in gone]
    for name, old in replaced.items():
        if name not in last.places or old.translations:
            return None
        kind, stem, places = last.places[name]
        entries: list[Entry] = getattr(content, kind)
        if any(not only_generated(entries[i]) for i in places):
            return None
        parsed = parse(kind, name, stem)
        if parsed.translations or len(parsed.entries) != len(places):
            return None
        for i, entry in zip(places, parsed.entries, strict=True):
            new = copy_entry(entry, translations={})
            if simplified_from is not None:
                add_simplified(new, simplified_from, convert)
            content.replaced.append((entries[i], new))
            entries[i] = new
        problems.extend(parsed.problems)
    cache.last = LastLoad(content, last.places, problems)
    return content, problems
