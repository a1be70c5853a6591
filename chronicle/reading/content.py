"""Content loading: read every file under content/ into typed entries, validating as we go.

This stage knows files and fields; it does not know whether a slug named in a reference
exists (that is the site model's job), so each reference keeps its location for later.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple, TypeVar

from chronicle.errors import Location, Problem, Report, relative
from chronicle.incremental.workers import Crew, shared, spare_cores
from chronicle.reading import chinese
from chronicle.reading.aliases import Alias, read_aliases
from chronicle.reading.dates import PartialDate, range_is_ordered
from chronicle.reading.fields import Affiliation, Fields, Ref, Source, check_slug, suggest_slug
from chronicle.reading.frontmatter import SourceError, decode, read_bytes, split
from chronicle.reading.settings import Settings
from chronicle.reading.yamltree import Map, Node, Scalar, Seq, YamlError, parse
from chronicle.rendering.markdown import html_depth_problem

KINDS = ("people", "organizations", "events", "pages")
LISTED = (*KINDS, "media")  # the folders whose listings a watched cache keeps
COMMON = ("slug", "tags", "extra", "draft", "aliases")
# Text a translation may override, per kind; everything else comes from the original.
TRANSLATABLE = {
    "people": ("name", "role", "summary"),
    "organizations": ("name", "summary"),
    "events": ("title", "location", "summary", "sources"),
    "pages": ("title", "summary"),
}


@dataclass(kw_only=True)
class Translation:
    location: Location
    text: dict[str, str]
    body: str | None
    source_titles: list[str]
    sources_location: Location | None = None
    item_slug: str | None = None  # for an item of a translated YAML list
    body_line: int = 1  # file line of the body's first line, for link errors
    version: str = ""  # changes whenever the file's bytes do (see Entry.version)
    body_version: str = ""  # changes whenever the body does (see Entry.body_version)
    generated_from: str | None = None  # the language it was converted from, if generated


class Parsed(NamedTuple):
    """What one file yields on its own; cached while the file is unchanged (a tuple: the
    state holds one per file)."""

    entries: tuple[Entry, ...] = ()
    translations: tuple[Translation, ...] = ()
    problems: tuple[Problem, ...] = ()


Signature = tuple[int, int, int]
L = TypeVar("L")
Listing = tuple[list[Any], list[Problem]]  # a folder's files, and problems found listing it


@dataclass
class FileCache:
    """Parsed files kept between runs of a long-lived process, each with the signature
    (mtime, size, inode) it was parsed at.

    A process that hears of every change (the preview's watcher) sets `watched` and calls
    changed() for each changed path: then unchanged files are not even looked at, and the
    folder listings are kept until a file appears or goes. Otherwise every file's signature
    is checked on each run."""

    parsed: dict[str, tuple[Signature, Parsed]] = field(default_factory=dict)  # by path
    watched: bool = False
    listings: dict[str, Listing] = field(default_factory=dict)
    # Unwatched: the signature of each kind's folder when it was listed. A file added,
    # removed or renamed changes it, so an equal signature lets the listing be kept.
    folders: dict[str, Signature] = field(default_factory=dict)
    # Unwatched: signatures taken at the start of this run (summary.input_signatures), so
    # that each file is not looked at twice; not kept on disk.
    seen: dict[str, Signature] = field(default_factory=dict)
    # Watched: the last run's content, and the files changed since with what they held,
    # so that a run after a few saves patches that content (Loader._patched) instead of
    # going through every file again. Neither is kept on disk.
    last: LastLoad | None = None
    replaced: dict[str, Parsed] = field(default_factory=dict)

    def changed(self, path: Path) -> None:
        known = self.parsed.pop(str(path), None)
        if known is not None:
            self.replaced.setdefault(str(path), known[1])
        if known is None or not path.exists():  # a new or removed file, or a media file
            self.listings.clear()

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


@dataclass(kw_only=True)
class Entry:
    kind: str
    slug: str
    location: Location  # the file, or the item in a YAML list
    draft: bool = False
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    translations: dict[str, Translation] = field(default_factory=dict)
    aliases: list[Alias] = field(default_factory=list)  # old addresses that redirect here
    lang: str = ""  # the language the text is in; set when the model localizes an entry
    slug_at: Location | None = field(default=None, compare=False)  # where the slug was set
    # A hash of the entry's file without its Markdown body, and the entry's place in the
    # file: equal versions, equal fields. The body has its own hash, so that editing a
    # biography re-renders the pages that show it, not every list that names the person.
    version: str = field(default="", compare=False)
    body_version: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        raise NotImplementedError


@dataclass(kw_only=True)
class Person(Entry):
    name: str
    role: str | None = None
    summary: str | None = None
    photo: str | None = None
    photo_at: Location | None = field(default=None, compare=False)
    organizations: list[Affiliation] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    featured: bool = False

    @property
    def label(self) -> str:
        return self.name


@dataclass(kw_only=True)
class Organization(Entry):
    name: str
    founded: PartialDate | None = None
    founders: list[Ref] = field(default_factory=list)
    url: str | None = None
    summary: str | None = None

    @property
    def label(self) -> str:
        return self.name


@dataclass(kw_only=True)
class Event(Entry):
    title: str
    date: PartialDate
    end: PartialDate | None = None
    people: list[Ref] = field(default_factory=list)
    organizations: list[Ref] = field(default_factory=list)
    location_text: str | None = None
    summary: str | None = None
    sources: list[Source] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.title

    @property
    def sort_key(self) -> tuple[tuple[int, int, int], str]:
        return (self.date.sort_key, self.slug)


@dataclass(kw_only=True)
class Page(Entry):
    title: str
    summary: str | None = None

    @property
    def label(self) -> str:
        return self.title


@dataclass
class Content:
    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # paths relative to content/media/
    # Made by patching the previous run's content (Loader._patched): that content, and
    # each entry replaced, as (old, new). The model then looks at those alone.
    based_on: Content | None = field(default=None, compare=False, repr=False)
    replaced: list[tuple[Entry, Entry]] = field(default_factory=list, compare=False, repr=False)

    def entries(self) -> list[Entry]:
        return [*self.people, *self.organizations, *self.events, *self.pages]


# -- reading one mapping per kind ------------------------------------------------------


def read_person(f: Fields, base: dict[str, Any]) -> Person:
    f.reject_unknown(
        (*COMMON, "name", "role", "summary", "photo", "organizations", "links", "featured")
    )
    name = f.text("name", required=True, one_line=True)
    person = Person(
        **base,
        name=name or "",
        role=f.text("role", one_line=True),
        summary=f.text("summary"),
        photo=f.text("photo"),
        photo_at=f.value_location("photo"),
        organizations=_affiliations(f),
        links=f.links("links"),
        featured=f.boolean("featured"),
    )
    return person


def read_organization(f: Fields, base: dict[str, Any]) -> Organization:
    f.reject_unknown((*COMMON, "name", "founded", "founders", "url", "summary"))
    name = f.text("name", required=True, one_line=True)
    org = Organization(
        **base,
        name=name or "",
        founded=f.date("founded"),
        founders=f.refs("founders"),
        url=f.url("url"),
        summary=f.text("summary"),
    )
    return org


def read_event(f: Fields, base: dict[str, Any]) -> Event:
    f.reject_unknown(
        (
            *COMMON,
            "title",
            "date",
            "end",
            "people",
            "organizations",
            "location",
            "summary",
            "sources",
            "body",
        )
    )
    title = f.text("title", required=True, one_line=True)
    date = f.date("date", required=True)
    end = f.date("end")
    if date is not None and end is not None and not range_is_ordered(date, end):
        f.report.error(f.key_location("end"), f"`end` ({end}) is before `date` ({date})")
        end = None
    # An event with errors still takes its slug, so references to it do not cascade.
    return Event(
        **base,
        title=title or "",
        date=date or PartialDate(1),
        end=end,
        people=f.refs("people"),
        organizations=f.refs("organizations"),
        location_text=f.text("location", one_line=True),
        summary=f.text("summary"),
        sources=_sources(f),
    )


def read_page(f: Fields, base: dict[str, Any]) -> Page:
    f.reject_unknown((*COMMON, "title", "summary"))
    title = f.text("title", required=True, one_line=True)
    page = Page(**base, title=title or "", summary=f.text("summary"))
    return page


Reader = Callable[[Fields, dict[str, Any]], Entry | None]
READERS: dict[str, Reader] = {
    "people": read_person,
    "organizations": read_organization,
    "events": read_event,
    "pages": read_page,
}


def _affiliations(f: Fields) -> list[Affiliation]:
    result = []
    for item in f.seq("organizations"):
        if isinstance(item, Scalar):
            ref = f.ref_of("organizations", item)
            if ref:
                result.append(Affiliation(ref, None, None, None))
            continue
        sub = f.sub(item, "organizations")
        if sub is None:
            continue
        sub.reject_unknown(("org", "role", "from", "to"))
        org_node = sub.require("org")
        ref = sub.ref_of("org", org_node) if org_node is not None else None
        start, end = sub.date("from"), sub.date("to")
        if start and end and not range_is_ordered(start, end):
            f.report.error(sub.key_location("to"), f"`to` ({end}) is before `from` ({start})")
        if ref:
            result.append(Affiliation(ref, sub.text("role", one_line=True), start, end))
    return result


def _sources(f: Fields) -> list[Source]:
    result = []
    for item in f.seq("sources"):
        sub = f.sub(item, "sources")
        if sub is None:
            continue
        sub.reject_unknown(("title", "url"))
        title = sub.text("title", required=True, one_line=True)
        url = sub.url("url")
        if title:
            result.append(Source(title, url))
    return result


# -- files -----------------------------------------------------------------------------


@dataclass
class Loader:
    site_root: Path
    settings: Settings
    report: Report = field(default_factory=Report)
    cache: FileCache = field(default_factory=FileCache)
    _linked: bool = False  # the folder being listed holds a symbolic link
    _last_read: tuple[Path, bytes] | None = None  # see _read()

    @property
    def content_dir(self) -> Path:
        return self.site_root / "content"

    def rel(self, path: Path) -> str:
        # A path under the root is the root's text and a slash, then the rest: cut it, as
        # Path.relative_to would, without its parsing (a tenth of reading 6,000 files).
        text = str(path)
        root = self._root_prefix
        if os.sep == "/" and text.startswith(root) and len(text) > len(root):
            return text[len(root) :]
        return relative(path, self.site_root)

    @functools.cached_property
    def _root_prefix(self) -> str:
        return str(self.site_root).rstrip("/") + "/"

    def load(self) -> Content:
        replaced, self.cache.replaced = self.cache.replaced, {}
        patched = self._patched(replaced) if self.cache.watched else None
        if patched is not None:
            return patched
        self.cache.last = None
        content = Content()
        places: dict[str, tuple[str, str, list[int]]] = {}
        pending: list[tuple[str, str, str, Translation]] = []
        listed = {kind: self._listed(kind, functools.partial(self._files, kind)) for kind in KINDS}
        # Files never parsed (all of them, in a cold build) may go to worker processes; a
        # file whose signature changed since is parsed below, with the others.
        known = self.cache.parsed
        self._parse_in_parallel(
            [(kind, *item) for kind in KINDS for item in listed[kind] if item[0] not in known]
        )
        for kind in KINDS:
            entries = getattr(content, kind)
            for path, stem, lang in listed[kind]:
                parsed = self._parsed(kind, path, stem, lang)
                self.report.problems.extend(parsed.problems)
                places[path] = (kind, stem, [len(entries) + i for i in range(len(parsed.entries))])
                for entry in parsed.entries:
                    # A fresh copy each run: translations are attached to it below.
                    entries.append(copy_entry(entry, translations={}))
                pending.extend((kind, path, lang or "", tr) for tr in parsed.translations)
        for kind, path, lang, translation in pending:
            self._attach_translation(content, kind, Path(path), lang, translation)
        if chinese.TARGET in self.settings.languages[1:]:
            for entry in content.entries():
                _add_simplified(entry, self.settings.default_language)
        content.media = self._listed("media", self._media)
        if self.cache.watched:
            self.cache.last = LastLoad(content, places, list(self.report.problems))
        return content

    def _patched(self, replaced: dict[str, Parsed]) -> Content | None:
        """The last run's content with the entries of the changed files parsed again, when
        nothing else can differ: no file came or went (the listings are kept), and each
        changed file is a plain one (not a translation) with as many entries as before,
        none of which had a translation of an author's. Else None: the content is then
        made again from every file."""
        last = self.cache.last
        if last is None or not replaced or any(k not in self.cache.listings for k in LISTED):
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
        simplified = chinese.TARGET in self.settings.languages[1:]
        for name, old in replaced.items():
            if name not in last.places or old.translations:
                return None
            kind, stem, places = last.places[name]
            entries: list[Entry] = getattr(content, kind)
            if any(not _only_generated(entries[i]) for i in places):
                return None
            parsed = self._parsed(kind, name, stem, None)
            if parsed.translations or len(parsed.entries) != len(places):
                return None
            for i, entry in zip(places, parsed.entries, strict=True):
                new = copy_entry(entry, translations={})
                if simplified:
                    _add_simplified(new, self.settings.default_language)
                content.replaced.append((entries[i], new))
                entries[i] = new
            problems.extend(parsed.problems)
        self.report.problems.extend(problems)
        self.cache.last = LastLoad(content, last.places, problems)
        return content

    def _parse_in_parallel(self, files: list[tuple[str, str, str, str | None]]) -> None:
        """Parse `files` (kind, path, stem, language) into the cache, worker processes taking
        a share, when there are enough of them to pay for the workers (a cold build): each
        file is parsed on its own, and comes back whole (its entries, its problems)."""
        workers = spare_cores() if len(files) >= PARALLEL_FROM else 0
        if not workers:
            return
        crew = Crew(workers, shared=self)
        with crew:
            crew.run(
                files,
                here=lambda item: self._parsed(*item),
                there=_parse_for_parent,
                receive=lambda done: self.cache.parsed.__setitem__(*done),
                chunk=CHUNK,
            )

    def _signature(self, name: str) -> Signature:
        signature = self.cache.seen.get(name)
        if signature is None:
            stat = os.stat(name)  # noqa: PTH116 (the listing's paths are text: see _files)
            signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return signature

    def _parsed(self, kind: str, name: str, stem: str, lang: str | None) -> Parsed:
        """Parse one file on its own, or take the result cached for its current signature."""
        cached = self.cache.parsed.get(name)
        if cached is not None and self.cache.watched:
            return cached[1]
        signature = self._signature(name)
        if cached is not None and cached[0] == signature:
            return cached[1]
        path = Path(name)
        outer, self.report = self.report, Report()
        try:
            if lang is not None:
                parsed = Parsed(translations=tuple(self._parse_translation(kind, path)))
            elif path.suffix == ".md":
                entry = self._load_markdown(kind, path, stem)
                parsed = Parsed(entries=(entry,) if entry else ())
            else:
                parsed = Parsed(entries=tuple(self._load_yaml_list(path)))
            read = self._last_read
            data = read[1] if read is not None and read[0] == path else None
            parsed = _versioned(parsed, path, tuple(self.report.problems), data)
        finally:
            self.report = outer
        self.cache.parsed[name] = (signature, parsed)
        return parsed

    def _listed(self, name: str, make: Callable[[], list[L]]) -> list[L]:
        """A folder's listing, kept while the watcher reports no file created or removed
        or, unwatched, while the folder's signature is the one it had (kinds' folders
        without symbolic links only: media has subfolders, a link may point elsewhere);
        the problems found while listing are reported again each run."""
        folder = self._folder_signature(name)
        kept = self.cache.listings.get(name)
        if not self.cache.watched and (folder is None or self.cache.folders.get(name) != folder):
            kept = None
        if kept is None:
            outer, self.report = self.report, Report()
            self._linked = False
            try:
                kept = (make(), list(self.report.problems))
            finally:
                self.report = outer
            self.cache.listings[name] = kept
            if folder is not None and not self._linked:
                self.cache.folders[name] = folder
            else:
                self.cache.folders.pop(name, None)
        self.report.problems.extend(kept[1])
        return kept[0]

    def _folder_signature(self, name: str) -> Signature | None:
        if name not in KINDS:
            return None
        try:
            stat = (self.content_dir / name).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def _files(self, kind: str) -> list[tuple[str, str, str | None]]:
        """Content files of a kind, sorted, as (path, stem, translation language or None);
        paths as text, as a large site's listing is kept (state.py) and Path objects cost."""
        folder = self.content_dir / kind
        if not folder.is_dir():
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
                self.report.error(Location(f"content/{kind}/{name}"), link_problem)
                continue
            base, dot, suffix = name.rpartition(".")
            if not dot or f".{suffix}" not in allowed or item.is_dir():
                self.report.warning(
                    Location(f"content/{kind}/{name}"),
                    f"ignored: {kind}/ holds only {' and '.join(allowed)} files",
                )
                continue
            stem, _dot, lang = base.partition(".")
            found.append((str(path), stem, lang or None))
        return found

    def _link_problem(self, path: Path) -> str | None:
        """What is wrong with a symbolic link, if anything (resolving is slow: call it for
        links only, since the folders above them are inside the site)."""
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return "is a symbolic link in a loop"
        except OSError:
            return "is a symbolic link to a file that does not exist"
        if not target.is_relative_to(self.site_root.resolve()):
            return "is a symbolic link that leads outside the site"
        return None

    def _read(self, path: Path) -> bytes:
        """A file's bytes, kept until the next file is read: its versions are hashes of the
        same bytes (_versioned), read once."""
        self._last_read = None
        data = read_bytes(path)
        self._last_read = (path, data)
        return data

    def _parse(
        self, path: Path, yaml_text_of: Callable[[str], tuple[str, int]]
    ) -> tuple[bool, Node | None]:
        """Read a file and compose its YAML, reporting what stops us.

        Returns (read, node): `read` is False when the file could not be read as YAML at all;
        `node` is None for an empty document.
        """
        rel = self.rel(path)
        try:
            text = decode(self._read(path))
            yaml_text, first_line = yaml_text_of(text)
            node, problems = parse(yaml_text, first_line)
        except SourceError as exc:
            self.report.error(Location(rel, exc.line, exc.col), exc.message)
            return False, None
        except YamlError as exc:
            self.report.error(Location(rel, exc.problem.line, exc.problem.col), exc.problem.message)
            return False, None
        for problem in problems:
            self.report.error(Location(rel, problem.line, problem.col), problem.message)
        return True, node

    def _front_matter(self, path: Path) -> tuple[Map, str, int] | None:
        bodies: list[tuple[str, int]] = []

        def yaml_of(text: str) -> tuple[str, int]:
            parts = split(text)
            bodies.append((parts.body, parts.body_line))
            return parts.front, parts.front_line

        read, node = self._parse(path, yaml_of)
        if not read:
            return None
        if node is None:
            self.report.error(Location(self.rel(path), 2), "front matter is empty")
            return None
        if not isinstance(node, Map):
            self.report.error(
                Location(self.rel(path), node.line, node.col),
                "front matter must be a mapping of `field: value` lines",
            )
            return None
        body, body_line = bodies[0]
        return node, body, body_line

    def _load_markdown(self, kind: str, path: Path, stem: str) -> Entry | None:
        parsed = self._front_matter(path)
        if parsed is None:
            return None
        node, body, body_line = parsed
        fields = Fields(node, self.rel(path), self.report)
        if kind == "events" and "body" in node.entries:
            fields.error(
                node.entries["body"][0],
                "`body` is only for events in a YAML list: a .md event's text is what follows "
                "the front matter",
            )
        slug = self._slug(fields, stem, path)
        base = self._base(fields, kind, slug or "", Location(self.rel(path)), body, body_line)
        return READERS[kind](fields, base) if slug else None

    def _load_yaml_list(self, path: Path) -> list[Entry]:
        _was_read, root = self._parse(path, lambda text: (text, 1))
        rel = self.rel(path)
        if root is None:
            return []
        if not isinstance(root, Seq):
            self.report.error(
                Location(rel, root.line, root.col),
                "an events .yaml file must be a list of events, each item starting with `- `",
            )
            return []
        entries: list[Entry] = []
        for item in root.items:
            fields = self._item_fields(item, rel)
            if fields is None:
                continue
            slug = self._item_slug(fields)
            body_node = fields.get("body")
            body = fields.text("body") or ""
            body_line = body_node.line + (0 if _is_inline(body_node) else 1) if body_node else 1
            base = self._base(fields, "events", slug or "", fields.location(item), body, body_line)
            entry = read_event(fields, base)
            if entry is not None and slug:
                entries.append(entry)
        return entries

    def _item_fields(self, item: Node, rel: str) -> Fields | None:
        if not isinstance(item, Map):
            self.report.error(Location(rel, item.line, item.col), "each event must be a mapping")
            return None
        return Fields(item, rel, self.report)

    def _item_slug(self, fields: Fields) -> str | None:
        slug = fields.text("slug", required=True)
        if slug is None:
            return None
        problem = check_slug(slug)
        if problem:
            fields.report.error(fields.key_location("slug"), problem)
            return None
        return slug

    def _slug(self, fields: Fields, stem: str, path: Path) -> str | None:
        if fields.get("slug") is not None:
            return self._item_slug(fields)
        problem = check_slug(stem)
        if problem:
            suggested = f"{suggest_slug(stem)}{path.suffix}"
            other = self.rel(path.parent / suggested)
            advice = (
                f"and {other} already exists (both would be /{path.parent.name}/"
                f"{suggest_slug(stem)}/): keep one of the two files"
                if (path.parent / suggested).exists()
                else f"rename it to `{suggested}` or set `slug:` in the front matter"
            )
            self.report.error(
                Location(self.rel(path)),
                f"file name `{path.name}` does not make a valid slug: {advice}",
            )
            return None
        return stem

    def _base(
        self, fields: Fields, kind: str, slug: str, location: Location, body: str, body_line: int
    ) -> dict[str, Any]:
        too_deep = html_depth_problem(body)
        if too_deep is not None:
            line, col, message = too_deep
            self.report.error(Location(fields.path, body_line + line, col), message)
        return {
            "kind": kind,
            "slug": slug,
            "location": location,
            "slug_at": fields.key_location("slug") if "slug" in fields.node.entries else location,
            "draft": fields.boolean("draft"),
            "tags": fields.tags(),
            "extra": fields.extra(),
            "aliases": read_aliases(fields),
            "body": body,
            "body_line": body_line,
        }

    # -- translations ------------------------------------------------------------------

    def _parse_translation(self, kind: str, path: Path) -> list[Translation]:
        if path.suffix == ".md":
            parsed = self._front_matter(path)
            if parsed is None:
                return []
            node, body, body_line = parsed
            fields = Fields(node, self.rel(path), self.report)
            translation = self._translation(fields, kind, body.strip() or None)
            # The body is stripped: count the blank lines dropped so link errors keep their line.
            translation.body_line = body_line + body[: len(body) - len(body.lstrip())].count("\n")
            return [translation]
        _was_read, root = self._parse(path, lambda text: (text, 1))
        if root is None:
            return []
        if not isinstance(root, Seq):
            self.report.error(
                Location(self.rel(path), root.line, root.col),
                "a translation of a list must be a list",
            )
            return []
        found = []
        for item in root.items:
            item_fields = self._item_fields(item, self.rel(path))
            slug = self._item_slug(item_fields) if item_fields else None
            if item_fields is not None and slug is not None:
                item_body = item_fields.text("body")
                translation = self._translation(item_fields, kind, item_body, item_slug=slug)
                body_node = item_fields.get("body")
                if body_node is not None:
                    translation.body_line = body_node.line + (0 if _is_inline(body_node) else 1)
                found.append(translation)
        return found

    def _translation(
        self, fields: Fields, kind: str, body: str | None, item_slug: str | None = None
    ) -> Translation:
        allowed = TRANSLATABLE[kind]
        known = (*allowed, "slug", "body") if item_slug else allowed

        def why(name: str) -> str | None:
            if name in COMMON or name in _all_fields(kind):
                return (
                    f"a translation overrides only text ({', '.join(allowed)}); "
                    f"`{name}` comes from the original"
                )
            return None

        fields.reject_unknown(known, why)
        text = {
            name: value
            for name in allowed
            if name != "sources"
            and (value := fields.text(name, one_line=name in ("name", "role", "title", "location")))
        }
        titles = []
        for item in fields.seq("sources") if "sources" in allowed else []:
            sub = fields.sub(item, "sources")
            if sub is None:
                continue
            sub.reject_unknown(
                ("title",),
                lambda n: f"a translated source gives only `title`; `{n}` comes from the original",
            )
            titles.append(sub.text("title", required=True, one_line=True) or "")
        return Translation(
            location=fields.location(fields.node),
            text=text,
            body=body,
            source_titles=titles,
            sources_location=fields.key_location("sources") if titles else None,
            item_slug=item_slug,
        )

    def _attach_translation(
        self, content: Content, kind: str, path: Path, lang: str, translation: Translation
    ) -> None:
        """Give a translation to its original, checking what only the whole site can tell."""
        rel = self.rel(path)
        if lang not in self.settings.languages[1:]:
            listed = ", ".join(self.settings.languages)
            why = (
                "is the default language"
                if lang == self.settings.default_language
                else f"is not in `languages` of site.toml ({listed})"
            )
            self.report.error(Location(rel), f"translation into `{lang}`, which {why}")
            return
        original_rel = original_path(rel, lang)
        if not (self.site_root / original_rel).exists():
            self.report.error(
                Location(rel),
                f"translation without an original: `{original_rel}` does not exist "
                "(translations sit beside their original, named after it)",
            )
            return
        originals = [e for e in getattr(content, kind) if e.location.path == original_rel]
        if translation.item_slug is not None:
            originals = [e for e in originals if e.slug == translation.item_slug]
            if not originals:
                self.report.error(
                    translation.location,
                    f"no event with slug `{translation.item_slug}` in {original_rel}",
                )
                return
        if not originals:
            return  # the original has errors of its own, already reported
        original = originals[0]
        count = len(original.sources) if isinstance(original, Event) else 0
        if translation.sources_location and len(translation.source_titles) > count:
            self.report.error(
                translation.sources_location,
                f"translation lists {len(translation.source_titles)} sources; the original "
                f"has {count} (sources are matched by position)",
            )
        original.translations[lang] = translation

    # -- media -------------------------------------------------------------------------

    def _media(self) -> list[str]:
        folder = self.content_dir / "media"
        if not folder.is_dir():
            return []
        files = []
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or any(
                part.startswith(".") for part in path.relative_to(folder).parts
            ):
                continue
            link_problem = self._link_problem(path) if path.is_symlink() else None
            if link_problem:
                self.report.error(Location(self.rel(path)), link_problem)
                continue
            files.append(path.relative_to(folder).as_posix())
        return files


EntryT = TypeVar("EntryT", bound="Entry | Translation")


def copy_entry(entry: EntryT, **changes: Any) -> EntryT:
    """A shallow copy with some fields changed. Much faster than dataclasses.replace, which
    runs __init__: a build copies every entry once per language."""
    new = object.__new__(type(entry))
    new.__dict__.update(entry.__dict__)
    new.__dict__.update(changes)
    return new


def _versioned(
    parsed: Parsed, path: Path, problems: tuple[Problem, ...], data: bytes | None = None
) -> Parsed:
    """`parsed` with each entry's versions: hashes of the file's bytes (`data`, when they
    were read already)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:  # unreadable: already reported, and nothing will be rendered
            data = b"unreadable"

    def versions(i: int, body: str | None, body_line: int) -> tuple[str, str]:
        """(fields' version, body's version)."""
        if path.suffix != ".md":  # a YAML list: one hash of the whole file for both
            return (f"{_digest(data)}.{i}",) * 2
        head = b"".join(data.splitlines(keepends=True)[: body_line - 1])
        return f"{_digest(head)}.{i}", _digest((body or "").encode("utf-8"))

    entries, translations = [], []
    for i, entry in enumerate(parsed.entries):
        version, body_version = versions(i, entry.body, entry.body_line)
        entries.append(copy_entry(entry, version=version, body_version=body_version))
    for i, tr in enumerate(parsed.translations):
        version, body_version = versions(i, tr.body, tr.body_line)
        translations.append(copy_entry(tr, version=version, body_version=body_version))
    return Parsed(entries=tuple(entries), translations=tuple(translations), problems=problems)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _only_generated(entry: Entry) -> bool:
    """The entry's translations were all made by chronicle (_add_simplified), none by an
    author from a file of its own."""
    return all(t.generated_from is not None for t in entry.translations.values())


def _add_simplified(entry: Entry, default_language: str) -> None:
    """Give an entry a Simplified Chinese translation made from its Traditional text, unless
    an author wrote one."""
    if chinese.TARGET in entry.translations:
        return
    source = entry.translations.get(chinese.SOURCE)
    if source is None and default_language == chinese.SOURCE:
        source = _as_translation(entry)
    if source is None:
        return
    convert = chinese.to_simplified
    entry.translations[chinese.TARGET] = Translation(
        location=source.location,
        text={name: convert(value) for name, value in source.text.items()},
        body=convert(source.body) if source.body is not None else None,
        source_titles=[convert(title) for title in source.source_titles],
        sources_location=source.sources_location,
        item_slug=source.item_slug,
        body_line=source.body_line,
        version=f"opencc:{source.version}",
        body_version=f"opencc:{source.body_version}",
        generated_from=chinese.SOURCE,
    )


def _as_translation(entry: Entry) -> Translation:
    """An original's own text, in the shape of a translation."""
    names = [n for n in TRANSLATABLE[entry.kind] if n != "sources"]
    attribute = {"location": "location_text"}
    text = {n: v for n in names if isinstance(v := getattr(entry, attribute.get(n, n), None), str)}
    titles = [s.title for s in entry.sources] if isinstance(entry, Event) else []
    return Translation(
        location=entry.location,
        text=text,
        body=entry.body,
        source_titles=titles,
        body_line=entry.body_line,
        version=entry.version,
        body_version=entry.body_version,
    )


def original_path(rel: str, lang: str) -> str:
    return rel.replace(f".{lang}.", ".", 1)


def _all_fields(kind: str) -> set[str]:
    return {
        "people": {"name", "role", "summary", "photo", "organizations", "links", "featured"},
        "organizations": {"name", "founded", "founders", "url", "summary"},
        "events": {
            "title",
            "date",
            "end",
            "people",
            "organizations",
            "location",
            "summary",
            "sources",
            "body",
        },
        "pages": {"title", "summary"},
    }[kind]


def _is_inline(node: Node) -> bool:
    return not (isinstance(node, Scalar) and getattr(node.raw, "style", None) in ("|", ">"))


def media_problem(photo: str, media: set[str]) -> str | None:
    """Why a media path cannot be used, or None."""
    path = PurePosixPath(photo)
    if path.is_absolute() or ".." in path.parts or "\\" in photo:
        return f"`{photo}` must be a path inside content/media/, such as `portraits/ada.jpg`"
    if path.as_posix() not in media:
        return f"`{photo}` not found in content/media/"
    return None


PARALLEL_FROM = 400  # files to parse before it pays to start a worker process
CHUNK = 32  # files a process claims at a time (a file takes about a tenth of a millisecond)


def _parse_for_parent(
    item: tuple[str, str, str, str | None],
) -> tuple[str, tuple[Signature, Parsed]]:
    """In a worker: parse one file, and send back its cache entry."""
    loader: Loader = shared()
    loader._parsed(*item)
    return item[1], loader.cache.parsed[item[1]]


def load_content(
    site_root: Path, settings: Settings, cache: FileCache | None = None
) -> tuple[Content, Report]:
    """Read and validate every content file; every problem found is in the report.

    With a `cache` (kept by the caller between runs), unchanged files are not read again.
    """
    loader = Loader(site_root, settings, cache=cache if cache is not None else FileCache())
    content = loader.load()
    return content, loader.report
