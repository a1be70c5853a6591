"""The reading stage: list the content files, parse each, attach the translations.

A file is parsed on its own (sourcefile.py) into entries; the parsed-file cache keeps what
each file yielded while it is unchanged, and parses many at once in worker processes on a
cold build (chronicle.incremental). Every problem found goes to the report.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from chronicle.errors import Hint, Location, Report
from chronicle.incremental.files import FileCache, LastLoad, Listing, patch_last
from chronicle.incremental.parsing import parse_ahead
from chronicle.incremental.stamp import Stamp
from chronicle.media import active
from chronicle.reading import chinese, safefs
from chronicle.reading.content import Content, Parsed, Translation, copy_entry
from chronicle.reading.kinds import KINDS
from chronicle.reading.settings import Settings
from chronicle.reading.sourcefile import FileReader
from chronicle.reading.tagnames import read_tag_names
from chronicle.reading.translations import add_simplified, attach_translation

L = TypeVar("L")
File = tuple[str, str, str | None]  # a listed file: path, stem, language of a translation
Pending = tuple[str, str, str, Translation]  # kind, path, language, translation
Places = dict[str, tuple[str, str, list[int]]]  # path -> (kind, stem, places in its list)
SYMLINK = Hint("symlink")  # the advice for a link that cannot be followed


@dataclass
class Loader:
    site_root: Path
    settings: Settings
    report: Report = field(default_factory=Report)
    cache: FileCache = field(default_factory=FileCache)
    _linked: bool = False  # the folder being listed holds a symbolic link

    @property
    def content_dir(self) -> Path:
        return self.site_root / "content"

    @functools.cached_property
    def reader(self) -> FileReader:
        return FileReader(self.site_root)

    def rel(self, path: Path) -> str:
        return self.reader.rel(path)

    def load(self) -> Content:
        """Every entry of the site, each with its translations."""
        replaced, self.cache.replaced = self.cache.replaced, {}
        if self.cache.watched:
            patched = patch_last(
                self.cache, replaced, self._parsed_plain, self._simplified_from, self._convert
            )
            if patched is not None:
                self.report.problems.extend(patched[1])
                patched[0].tag_names = read_tag_names(self.site_root, self.settings, self.report)
                return patched[0]
        self.cache.last = None
        listed = {kind: self._listed(kind, functools.partial(self._files, kind)) for kind in KINDS}
        # Files never parsed (all of them, in a cold build) may go to worker processes; a
        # file whose stamp changed since is parsed with the others, in _entries.
        known = self.cache.parsed
        unparsed = [
            (kind, *item) for kind in KINDS for item in listed[kind] if item[0] not in known
        ]
        parse_ahead(unparsed, self._parsed, self.cache)
        content, places, pending = self._entries(listed)
        self._attach(content, pending)
        content.media = self._listed("media", self._media)
        content.unread_kinds = {kind for kind in KINDS if self._unusable(self.content_dir / kind)}
        if self.cache.watched:
            self.cache.last = LastLoad(content, places, list(self.report.problems))
        # After the last load is kept: read anew on every load, its problems are not kept.
        content.tag_names = read_tag_names(self.site_root, self.settings, self.report)
        return content

    def _entries(self, listed: dict[str, list[File]]) -> tuple[Content, Places, list[Pending]]:
        """Each listed file's entries, where they are in the content, and its translations,
        still to be attached."""
        content = Content()
        places: Places = {}
        pending: list[Pending] = []
        for kind in KINDS:
            entries = getattr(content, kind)
            for path, stem, lang in listed[kind]:
                parsed = self._parsed(kind, path, stem, lang)
                self.report.problems.extend(parsed.problems)
                failed = any(p.severity == "error" for p in parsed.problems)
                if failed and not parsed.entries and not lang and path.endswith(".md"):
                    content.unread.add((kind, stem))
                places[path] = (kind, stem, [len(entries) + i for i in range(len(parsed.entries))])
                for entry in parsed.entries:
                    # A fresh copy each run: translations are attached to it below.
                    entries.append(copy_entry(entry, translations={}))
                pending.extend((kind, path, lang or "", tr) for tr in parsed.translations)
        return content, places, pending

    def _attach(self, content: Content, pending: list[Pending]) -> None:
        for kind, path, lang, translation in pending:
            attach_translation(
                content,
                kind,
                self.rel(Path(path)),
                lang,
                translation,
                settings=self.settings,
                site_root=self.site_root,
                report=self.report,
            )
        if self._simplified_from is not None:
            for entry in content.entries():
                add_simplified(entry, self._simplified_from, self._convert)

    @property
    def _simplified_from(self) -> str | None:
        """The default language, when entries get a Simplified Chinese translation made."""
        simplified = chinese.TARGET in self.settings.languages[1:]
        return self.settings.default_language if simplified else None

    @property
    def _convert(self) -> chinese.Converter:
        """Traditional to Simplified with the site's own phrases too."""
        return chinese.converter(self.settings.zh_phrases)

    def _parsed(self, kind: str, name: str, stem: str, lang: str | None) -> Parsed:
        """One file's parse: the cache's, while the file is unchanged."""
        return self.cache.parsed_file(name, lambda: self.reader.parse(kind, name, stem, lang))

    def _parsed_plain(self, kind: str, name: str, stem: str) -> Parsed:
        return self._parsed(kind, name, stem, None)

    # -- listing -----------------------------------------------------------------------

    def _listed(self, name: str, make: Callable[[], list[L]]) -> list[L]:
        """A folder's listing (kept by the cache while no file came or went); the problems
        found while listing are reported again each run."""
        files, problems = self.cache.listing(
            name, self._folder_stamp(name), lambda: self._list(make)
        )
        self.report.problems.extend(problems)
        return files

    def _list(self, make: Callable[[], list[L]]) -> tuple[Listing, bool]:
        outer, self.report = self.report, Report()
        self._linked = False
        try:
            return (make(), list(self.report.problems)), self._linked
        finally:
            self.report = outer

    def _folder_stamp(self, name: str) -> Stamp | None:
        """A kind's folder's stamp (media has subfolders, whose changes it does not tell)."""
        if name not in KINDS:
            return None
        try:
            return Stamp.of((self.content_dir / name).stat())
        except OSError:
            return None

    def _files(self, kind: str) -> list[File]:
        """Content files of a kind, sorted, as (path, stem, translation language or None);
        paths as text, as a large site's listing is kept (state.py) and Path objects cost."""
        folder = self.content_dir / kind
        if self._folder_problem(folder) or not folder.is_dir():
            return []
        allowed = (".md", ".yaml", ".yml") if kind == "events" else (".md",)
        found = []
        with os.scandir(folder) as scan:
            items = sorted(scan, key=lambda item: item.name)
        for item in items:
            name = item.name
            if name.startswith((".", "#")) or name.endswith("~"):
                continue  # hidden and editor temporary files
            path = folder / name
            if item.is_symlink():
                self._linked = True
            link_problem = self._link_problem(path) if item.is_symlink() else None
            if link_problem:
                self.report.error(Location(f"content/{kind}/{name}"), link_problem, SYMLINK)
                continue
            try:  # a FIFO must not be opened: it would wait for a writer for ever
                kind_of = safefs.special(item.stat().st_mode)
            except OSError:
                kind_of = None  # gone since listed: reading it says so
            if kind_of and kind_of != "a folder":
                self.report.error(
                    Location(f"content/{kind}/{name}"),
                    f"is {kind_of}, not a file: only regular files are read",
                )
                continue
            base, dot, suffix = name.rpartition(".")
            if not dot or f".{suffix}" not in allowed or item.is_dir():
                self.report.warning(
                    Location(f"content/{kind}/{name}"),
                    f"ignored: {kind}/ holds only {' and '.join(allowed)} files",
                    Hint("ignored"),
                )
                continue
            stem, _dot, lang = base.partition(".")
            found.append((str(path), stem, lang or None))
        return found

    def _link_problem(self, path: Path) -> str | None:
        """What is wrong with a symbolic link, if anything (resolving is slow: call it for
        links only, since the folders above them are checked by _folder_problem)."""
        return safefs.link_problem(path, self.reader.allowed)

    def _folder_problem(self, folder: Path) -> bool:
        """Whether `folder` (or content/ above it) is a link that may not be followed, or a
        file where a folder should be; reported."""
        for checked in (self.content_dir, folder):
            problem = self._unusable(checked)
            if problem:
                if not any(p.location.path == self.rel(checked) for p in self.report.problems):
                    self.report.error(Location(self.rel(checked)), problem, SYMLINK)
                return True
        return False

    def _unusable(self, folder: Path) -> str | None:
        """Why `folder` cannot be read as one (a link that may not be followed, a file), if so."""
        problem = self._link_problem(folder) if folder.is_symlink() else None
        if problem is None and folder.exists() and not folder.is_dir():
            problem = "should be a folder, but is a file: move it and make a folder"
        return problem

    def _media(self) -> list[str]:
        folder = self.content_dir / "media"
        if self._folder_problem(folder):
            return []
        files = []
        for path, problem in safefs.walk(folder, self.reader.allowed):
            if problem:
                self.report.error(Location(self.rel(path)), problem, SYMLINK)
                continue
            files.append(path.relative_to(folder).as_posix())
            found = active.check(path, self.reader.allowed)  # script in an SVG, an HTML page
            if found:
                where = Location(self.rel(path), found.line, found.col)
                self.report.warning(where, active.message(files[-1], found), Hint("active"))
        return files


def load_content(
    site_root: Path, settings: Settings, cache: FileCache | None = None
) -> tuple[Content, Report]:
    """Read and validate every content file; every problem found is in the report.

    With a `cache` (kept by the caller between runs), unchanged files are not read again.
    """
    loader = Loader(site_root, settings, cache=cache if cache is not None else FileCache())
    content = loader.load()
    return content, loader.report
