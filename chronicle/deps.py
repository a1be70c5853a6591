"""Which pages show what: the reads a page makes while it renders are recorded as keys, so
that a rebuild renders again only the pages whose keys now have other values.

A key names one thing a template can read: an entry (`("entry", kind, slug)`), a whole
collection (`("all", kind)`), the label and link of a reference, a list of backlinks. The
site view (`localize.LocalSite`) records keys as templates read through it and tells the
current value of any key; a page is reused when every key it recorded still has the value
it had, and the templates, settings and options are the same.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar, overload

Key = tuple[str, ...]
V = TypeVar("V")

_recorder: ContextVar[set[Key] | None] = ContextVar("recorder", default=None)


def record(*key: str) -> None:
    """Note that the page being rendered read `key` (no-op outside `recording()`)."""
    keys = _recorder.get()
    if keys is not None:
        keys.add(key)


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


@dataclass
class RenderedPage:
    job: str  # the job as it was: template, path, context
    reads: dict[Key, Hashable]  # each key read, with its value when the page was rendered
    data: bytes


@dataclass
class RenderCache:
    """Rendered pages and Markdown kept between builds of one long-lived process."""

    fingerprint: str = ""  # templates, settings and options the pages were rendered with
    pages: dict[str, RenderedPage] = field(default_factory=dict)
    markdown: dict[tuple[str, ...], str] = field(default_factory=dict)

    def start(self, fingerprint: str) -> None:
        """Begin a build: anything rendered with other templates or settings is dropped."""
        if fingerprint != self.fingerprint:
            self.pages.clear()
            self.fingerprint = fingerprint
