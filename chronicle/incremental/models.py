"""The site model kept by a long-lived process (the preview) between builds.

When only Markdown bodies changed (every entry's fields, the media and the settings are as
they were), a rebuild takes the kept model and puts the new bodies into its entries, instead
of resolving every reference again.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from chronicle.errors import Location, Problem, Report
from chronicle.model.site import Site, build_site, entry_fields
from chronicle.reading.content import Content, Entry
from chronicle.reading.settings import Settings


@dataclass
class ModelCache:
    """The previous build's model, kept by a long-lived process (the preview).

    When only Markdown bodies changed (every entry's fields, the media and the settings
    are as they were), a rebuild takes the kept model and puts the new bodies into its
    entries, instead of resolving every reference again."""

    shape: tuple[Hashable, ...] = ()
    site: Site | None = None
    problems: list[Problem] = field(default_factory=list)
    content: Content | None = None  # the content the kept model is up to date with
    # The kept model's entries by (kind, slug, place), to give them new bodies.
    _entries: dict[tuple[str, str, Location], Entry] = field(default_factory=dict)

    def build(
        self, content: Content, settings: Settings, *, drafts: bool = False
    ) -> tuple[Site, Report]:
        if self._only_bodies_replaced(content, settings, drafts):
            changed = set()
            for old, new in content.replaced:
                entry = self._entries[(old.kind, old.slug, old.location)]
                if _body_changed(entry, new):
                    changed.add((entry.kind, entry.slug))
                _take_body(entry, new)
            return self._kept(content, changed)
        # Compared in memory, not hashed: cheaper on every save of the preview.
        entries = content.entries()
        # The files that could not be read decide the model's problems too.
        unread = (tuple(sorted(content.unread)), tuple(sorted(content.unread_kinds)))
        names = content.tag_names
        shape = (settings, drafts, tuple(content.media), unread, names, *map(entry_fields, entries))
        versioned = all(e.version for e in entries)  # entries made in memory: never kept
        if self.site is not None and versioned and shape == self.shape:
            return self._kept(content, _take_bodies(self.site, content))
        site, report = build_site(content, settings, drafts=drafts)
        self.shape, self.site, self.problems = shape, site, list(report.problems)
        self.content = content if versioned else None
        self._entries = {(e.kind, e.slug, e.location): e for e in _model_entries(site)}
        return site, report

    def _only_bodies_replaced(self, content: Content, settings: Settings, drafts: bool) -> bool:
        """The content is the one the kept model is up to date with, patched
        (incremental.files.patch_last), and every entry replaced has the fields it had: then
        only those entries' bodies can differ."""
        return (
            self.site is not None
            and content.based_on is not None
            and content.based_on is self.content
            and self.shape[:2] == (settings, drafts)
            and self.shape[4] == content.tag_names
            and all(
                new.version and entry_fields(old) == entry_fields(new)
                for old, new in content.replaced
            )
        )

    def _kept(self, content: Content, changed: set[tuple[str, str]]) -> tuple[Site, Report]:
        assert self.site is not None
        if self.site.changed_bodies is None:
            self.site.changed_bodies = set()
        # Added to, not replaced: a build that failed before rendering leaves its own.
        self.site.changed_bodies |= changed
        self.content = content
        report = Report()
        report.problems.extend(self.problems)
        return self.site, report


def _model_entries(site: Site) -> list[Entry]:
    return [
        *site.people.values(),
        *site.organizations.values(),
        *site.events,
        *site.pages.values(),
        *(e for entries in site.drafts.values() for e in entries.values()),
    ]


def _take_bodies(site: Site, content: Content) -> set[tuple[str, str]]:
    """Put the new bodies into the kept model's entries; returns the entries whose body,
    or a translation's, is not the one it was."""
    changed: set[tuple[str, str]] = set()
    fresh = {(e.kind, e.slug, e.location): e for e in content.entries()}
    for entry in _model_entries(site):
        new = fresh[(entry.kind, entry.slug, entry.location)]
        if _body_changed(entry, new):
            changed.add((entry.kind, entry.slug))
        _take_body(entry, new)
    return changed


def _body_changed(entry: Entry, new: Entry) -> bool:
    return entry.body_version != new.body_version or _body_versions(entry) != _body_versions(new)


def _take_body(entry: Entry, new: Entry) -> None:
    entry.body, entry.body_line = new.body, new.body_line
    entry.body_version = new.body_version
    entry.translations = new.translations  # their fields are equal, their bodies new


def _body_versions(entry: Entry) -> list[tuple[str, str]]:
    return [(lang, t.body_version) for lang, t in entry.translations.items()]
