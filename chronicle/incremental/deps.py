"""Which pages show what: the reads a page makes while it renders are recorded as keys, so
that a rebuild renders again only the pages whose keys now have other values.

A key names one thing a template can read: an entry (`("entry", kind, slug)`), a whole
collection (`("all", kind)`), the label and link of a reference, a list of backlinks. The
site view (`localize.LocalSite`) records keys as templates read through it and tells the
current value of any key; a page is reused when every key it recorded still has the value
it had, and the templates, settings and options are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, overload

import jinja2

Key = tuple[str, ...]
V = TypeVar("V")

_recorder: ContextVar[set[Key] | None] = ContextVar("recorder", default=None)


def record(*key: str) -> None:
    """Note that the page being rendered read `key` (no-op outside `recording()`)."""
    keys = _recorder.get()
    if keys is not None:
        keys.add(key)


def record_all(keys: Iterable[Key]) -> None:
    """record() for each key, at once (a memo's reads, replayed on every page that asks)."""
    reads = _recorder.get()
    if reads is not None:
        reads.update(keys)


@contextmanager
def recording() -> Iterator[set[Key]]:
    keys: set[Key] = set()
    token = _recorder.set(keys)
    try:
        yield keys
    finally:
        _recorder.reset(token)


class RecordingMapping(Mapping[str, V]):
    """Entries by slug: looking one up records it; going through all records the collection."""

    def __init__(self, kind: str, data: dict[str, V]) -> None:
        self.kind = kind
        self._data = data

    def __getitem__(self, slug: str) -> V:
        record("entry", self.kind, slug)
        return self._data[slug]

    def __contains__(self, slug: object) -> bool:
        record("entry", self.kind, str(slug))
        return slug in self._data

    def __iter__(self) -> Iterator[str]:
        record("all", self.kind)
        return iter(self._data)

    def __len__(self) -> int:
        record("all", self.kind)
        return len(self._data)

    def raw(self) -> dict[str, V]:
        """The entries without recording, for the site view's own bookkeeping."""
        return self._data


class RecordingList(Sequence[V]):
    """An ordered collection (the timeline's events): any read records the whole of it."""

    def __init__(self, kind: str, items: list[V]) -> None:
        self.kind = kind
        self._items = items

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[V]: ...
    def __getitem__(self, index: int | slice) -> V | Sequence[V]:
        record("all", self.kind)
        return self._items[index]

    def __len__(self) -> int:
        record("all", self.kind)
        return len(self._items)

    def __iter__(self) -> Iterator[V]:
        record("all", self.kind)
        return iter(self._items)

    def raw(self) -> list[V]:
        return self._items


LangKey = tuple[str, Key]  # (language, key): each language's view has its own values

# Keys whose values follow from the entries' fields (front matter, YAML lists) and the
# site's shape alone, never from a Markdown body: while no entry's fields changed, they
# keep their values and a rebuild need not compute them again (see RenderCache.stale).
FIELD_KEYS = frozenset(
    {
        "entry",
        "all",
        "label",
        "events_of_person",
        "events_of_org",
        "ties_of_person",
        "ties_of_org",
        "tagged",
        "face",
        "memberships",
    }
)


class RenderedPage(NamedTuple):  # a tuple: the state holds one per page
    job: bytes  # a digest of the job as it was: template, path, context (render_cache._job_key)
    keys: tuple[LangKey, ...]  # what the page read while it rendered
    data: bytes | None  # None: in the previous output, as it was written (see state.py)


def _is_body(key: LangKey) -> bool:
    return key[1][0] == "body"  # ("body", kind, slug): an entry's Markdown body


@dataclass
class RenderCache:
    """Rendered pages and Markdown kept between builds of one long-lived process.

    For each key ever read it keeps the value it had and the pages that read it, so that a
    rebuild compares each key once (not once per page that read it) to find the pages to
    render again.
    """

    fingerprint: str = ""  # templates, settings and options the pages were rendered with
    pages: dict[str, RenderedPage] = field(default_factory=dict)
    markdown: dict[tuple[str, ...], str] = field(default_factory=dict)
    values: dict[LangKey, Hashable] = field(default_factory=dict)
    # The pages that read each key: an index for a process that rebuilds often. None in a
    # cache read from disk (state.py), which a build uses once: then stale() looks through
    # the pages' own keys instead of building the index first.
    readers: dict[LangKey, set[str]] | None = field(default_factory=dict)
    # The pages to render, kept while the site's shape (every entry's fields) is the same:
    # (shape, jobs, each job's key, problems found while listing them).
    jobs: tuple[Hashable, list[Any], list[bytes], list[Any]] | None = None
    shape: str = ""  # the site's shape (model.Site.shape) at the last build
    # The pages that read each Markdown body, kept on disk too (small: most bodies are read
    # by one page): after an edit of bodies alone, stale() looks here rather than through
    # every page's keys. Sets are replaced, never changed in place (state.py saves changes).
    body_readers: dict[LangKey, frozenset[str]] = field(default_factory=dict)
    _keys: dict[LangKey, LangKey] = field(default_factory=dict, repr=False)  # interned
    # Keys read that follow neither the fields nor a body ("everything"): compared on every
    # build, even when the caller knows which bodies changed (see stale()).
    _volatile: set[LangKey] = field(default_factory=set, repr=False)
    # One Jinja environment for the process: it keeps compiled templates, and reloads a
    # template whose file changed.
    _environments: dict[Path, jinja2.Environment] = field(default_factory=dict, repr=False)

    def environment(
        self, site_root: Path, make: Callable[[Path], jinja2.Environment]
    ) -> jinja2.Environment:
        if site_root not in self._environments:
            self._environments[site_root] = make(site_root)
        return self._environments[site_root]

    def start(self, fingerprint: str) -> None:
        """Begin a build: anything rendered with other templates or settings is dropped."""
        if fingerprint != self.fingerprint:
            self.pages.clear()
            self.values.clear()
            self._keys.clear()
            self._volatile.clear()
            self.readers = {} if self.readers is not None else None
            self._environments.clear()
            self.jobs = None
            self.shape = ""
            self.body_readers = {}
            self.fingerprint = fingerprint

    def stale(
        self,
        current: Callable[[LangKey], Hashable],
        *,
        bodies_only: bool = False,
        bodies: Iterable[LangKey] | None = None,
    ) -> set[str]:
        """The pages that read something whose value is no longer what it was.

        `bodies_only`: no entry's fields changed since the last build (only Markdown bodies
        may have), so the keys in FIELD_KEYS are known to be unchanged. `bodies`, with it:
        the body keys that may have changed (the preview's model knows them), so that the
        others need not be looked at either."""
        changed: set[LangKey] = set()
        if bodies_only and bodies is not None:
            values = self.values
            candidates = [k for k in bodies if k in values] + list(self._volatile)
            keys: Iterable[tuple[LangKey, Hashable]] = [(k, values[k]) for k in candidates]
        else:
            keys = self.values.items()  # a value replaced in the loop: no key comes or goes
        for key, old in keys:
            if bodies_only and key[1][0] in FIELD_KEYS:
                continue
            new = current(key)
            if new != old:
                changed.add(key)
                self.values[key] = new
        if self.readers is not None:
            return {page for key in changed for page in self.readers.get(key, ())}
        if not changed:
            return set()
        if all(_is_body(key) for key in changed):
            return {page for key in changed for page in self.body_readers.get(key, ())}
        return {out for out, page in self.pages.items() if not changed.isdisjoint(page.keys)}

    def store(
        self,
        output: str,
        job: bytes,
        reads: Iterable[LangKey],
        data: bytes | None,
        current: Callable[[LangKey], Hashable],
    ) -> None:
        """Keep a page rendered in this build, with what it read. A key read before has its
        current value already (stale() brought every kept value up to date); `current`
        gives the value of a key read for the first time."""
        previous = self.pages.get(output)
        readers = self.readers
        if readers is not None:
            for key in previous.keys if previous else ():
                readers.get(key, set()).discard(output)
        self._unread_bodies(output, previous)
        # One object per key, however many pages read it: less memory, and a pickle that
        # writes each key once (state.py). A page reads some two hundred keys: the loops
        # over them are map()'s and comprehensions, which run in C.
        reads = list(reads)
        keys = tuple(map(self._keys.setdefault, reads, reads))
        for key in [key for key, read in zip(keys, reads, strict=True) if key is read]:  # new
            if key not in self.values:
                self.values[key] = current(key)
                if key[1][0] not in FIELD_KEYS and not _is_body(key):
                    self._volatile.add(key)
        if readers is not None:
            for key in keys:
                readers.setdefault(key, set()).add(output)
        for key in [key for key in keys if key[1][0] == "body"]:  # see _is_body
            self.body_readers[key] = self.body_readers.get(key, frozenset()) | {output}
        self.pages[output] = RenderedPage(job, keys, data)

    def keep_only(self, outputs: set[str]) -> None:
        """Forget pages that no build produces any more."""
        for output in set(self.pages) - outputs:
            self.forget(output)

    def forget(self, output: str) -> None:
        page = self.pages.pop(output, None)
        if self.readers is not None:
            for key in page.keys if page else ():
                self.readers.get(key, set()).discard(output)
        self._unread_bodies(output, page)

    def _unread_bodies(self, output: str, page: RenderedPage | None) -> None:
        for key in page.keys if page else ():
            if _is_body(key) and key in self.body_readers:
                left = self.body_readers[key] - {output}
                if left:
                    self.body_readers[key] = left
                else:
                    del self.body_readers[key]

    def without_bytes(self) -> RenderCache:
        """A copy to keep on disk: pages without their bytes (the output holds them), and
        nothing that belongs to this process (the readers index, the Jinja environment).
        A page without bytes is kept as the same object (state.py saves the pages that are
        not). The page jobs name their entries (render_cache._naming): they are small."""
        pages = {
            out: p if p.data is None else RenderedPage(p.job, p.keys, None)
            for out, p in self.pages.items()
        }
        kept = RenderCache(self.fingerprint, pages, self.markdown, self.values, None, self.jobs)
        kept.shape = self.shape
        kept.body_readers = self.body_readers
        return kept
