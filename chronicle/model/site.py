"""The site model: published entries, references resolved both ways, tags, the timeline
and every route, checked for collisions before anything is rendered."""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from chronicle.errors import Hint, Report, closest, nearest
from chronicle.reading import chinese
from chronicle.reading.content import Content, Entry, Event, Organization, Page, Person
from chronicle.reading.dates import PartialDate
from chronicle.reading.fields import Ref
from chronicle.reading.fields import (
    tag_key as tag_key,  # re-exported: part of the model's vocabulary
)
from chronicle.reading.readers import media_problem
from chronicle.reading.settings import Settings

E = TypeVar("E", bound=Entry)

# Top-level names the generator owns; a page slug or a static file may not take them.
RESERVED = (
    "index.html",
    "people",
    "organizations",
    "events",
    "timeline",
    "tags",
    "media",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "feed.xml",
    "search",  # the search page (build --search)
    "pagefind",  # the search index, written by Pagefind
    "timeline.json",  # data exports (chronicle/exports.py)
    "events.ics",
    "people.json",
    "events.json",
)


@dataclass(frozen=True)
class Tag:
    key: str  # the URL key: NFKC, case-folded, spaces as hyphens
    label: str  # as first written


@dataclass(frozen=True)
class Membership:
    """A person's tie to an organization, from either side of the reference."""

    person: str
    org: str
    role: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    founder: bool = False


@dataclass
class Site:
    settings: Settings
    people: dict[str, Person]
    organizations: dict[str, Organization]
    events: list[Event]  # timeline order
    pages: dict[str, Page]
    media: list[str]
    drafts: dict[str, dict[str, Entry]]  # kind -> slug -> unpublished entry
    tags: dict[str, Tag] = field(default_factory=dict)
    tagged: dict[str, list[Entry]] = field(default_factory=dict)
    # Tag key -> language -> displayed name, from content/tags.yaml (see tag_label).
    tag_names: dict[str, dict[str, str]] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    events_of_person: dict[str, list[Event]] = field(default_factory=dict)
    events_of_org: dict[str, list[Event]] = field(default_factory=dict)

    _by_person: dict[str, list[Membership]] = field(default_factory=dict, repr=False)
    _by_org: dict[str, list[Membership]] = field(default_factory=dict, repr=False)
    _shape: str = field(default="", repr=False)
    # Kept by a long-lived process (ModelCache): the entries, as (kind, slug), whose
    # Markdown bodies changed since pages were last rendered from this model (the renderer
    # takes them: see Renderer._stale). None: not known, as for a model built anew.
    changed_bodies: set[tuple[str, str]] | None = field(default=None, repr=False)

    def shape(self) -> str:
        """Every entry's fields (its file without the Markdown body), where it comes from,
        and the settings: while this is equal between two builds, so is everything but the
        bodies (the pages to make and their titles, dates and links; exports; cards).
        A digest, so that it can be kept on disk (state.py); a unique one (never equal)
        when entries were made in memory, without versions."""
        if not self._shape:
            every = (
                *self.people.values(),
                *self.organizations.values(),
                *self.events,
                *self.pages.values(),
                *(e for kind in sorted(self.drafts) for e in self.drafts[kind].values()),
            )
            head = (
                repr(self.settings),
                sorted((k, sorted(v.items())) for k, v in self.tag_names.items()),
            )
            self._shape = _shape(head, every)
        return self._shape

    def tag_label(self, key: str, lang: str) -> str:
        """A tag's displayed name in `lang`: the one content/tags.yaml gives, else (for
        Simplified Chinese) the Traditional one converted, else the tag as first written."""
        names = self.tag_names.get(key, {})
        name = names.get(lang)
        if name is not None:
            return name
        label = self.tags[key].label if key in self.tags else key
        if lang == chinese.TARGET:
            source = names.get(chinese.SOURCE)
            if source is None and self.settings.default_language == chinese.SOURCE:
                source = label
            if source is not None:
                return chinese.converter(self.settings.zh_phrases).text(source)
        return label

    def memberships_of_person(self, slug: str) -> list[Membership]:
        return self._by_person.get(slug, [])

    def memberships_of_org(self, slug: str) -> list[Membership]:
        return self._by_org.get(slug, [])

    def index_memberships(self, memberships: list[Membership]) -> None:
        self.memberships = memberships
        self._by_person, self._by_org = {}, {}
        for m in memberships:
            self._by_person.setdefault(m.person, []).append(m)
            self._by_org.setdefault(m.org, []).append(m)


def entry_fields(entry: Entry) -> Hashable:
    """What identifies an entry's fields: its versions and place (see Entry.version)."""
    translations = tuple((lang, t.version) for lang, t in entry.translations.items())
    return (entry.kind, entry.slug, entry.version, entry.location, translations)


def _shape(head: Hashable, entries: Iterable[Entry]) -> str:
    digest = hashlib.blake2b(repr(head).encode(), digest_size=16)
    for entry in entries:
        if not entry.version:
            return f"unversioned-{os.urandom(16).hex()}"  # entries made in memory: never equal
        translations = [(lang, t.version) for lang, t in entry.translations.items()]
        location = entry.location
        item = (entry.kind, entry.slug, entry.version, location.path, location.line, translations)
        digest.update(repr(item).encode())
    return digest.hexdigest()


def build_site(
    content: Content, settings: Settings, *, drafts: bool = False
) -> tuple[Site, Report]:
    """Resolve the content into a site; every problem found is in the report."""
    report = Report()
    kinds: dict[str, list[Entry]] = {
        "people": [*content.people],
        "organizations": [*content.organizations],
        "events": [*content.events],
        "pages": [*content.pages],
    }
    # The text of a model's entry is in the default language: so marked, an entry stands
    # for itself wherever it has no translation (localize() copies only translations).
    # The loader's entries are this run's own copies, never the parsed files' cache.
    for entries in kinds.values():
        for entry in entries:
            entry.lang = settings.default_language
    published: dict[str, dict[str, Entry]] = {}
    unpublished: dict[str, dict[str, Entry]] = {}
    for kind, entries in kinds.items():
        unique = _unique(entries, report)
        published[kind] = {s: e for s, e in unique.items() if drafts or not e.draft}
        unpublished[kind] = {s: e for s, e in unique.items() if s not in published[kind]}

    site = Site(
        settings=settings,
        people=_typed(published["people"], Person),
        organizations=_typed(published["organizations"], Organization),
        events=sorted(_typed(published["events"], Event).values(), key=lambda e: e.sort_key),
        pages=_typed(published["pages"], Page),
        media=content.media,
        drafts=unpublished,
    )
    unread = content.unread | {(kind, "*") for kind in content.unread_kinds}
    _check_references(site, kinds, published, unpublished, unread, report)
    _check_media(site, report)
    _link_both_ways(site)
    _collect_tags(site, report)
    _name_tags(site, content, unpublished, report)
    check_routes(site, report)
    return site, report


def _typed(entries: dict[str, Entry], kind: type[E]) -> dict[str, E]:
    return {slug: entry for slug, entry in entries.items() if isinstance(entry, kind)}


def _unique(entries: list[Entry], report: Report) -> dict[str, Entry]:
    by_slug: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.location):
        first = by_slug.get(entry.slug)
        if first is not None:
            claimed = first.slug_at or first.location
            report.error(
                entry.slug_at or entry.location,
                f"slug `{entry.slug}` is already used by {claimed.path}:{claimed.line}; "
                f"slugs are unique within {entry.kind}",
                Hint("slug-taken"),
            )
            continue
        by_slug[entry.slug] = entry
    return by_slug


def _references(entry: Entry) -> list[tuple[str, Ref]]:
    """(kind referred to, reference) for every slug an entry names."""
    refs: list[tuple[str, Ref]] = []
    if isinstance(entry, Person):
        refs += [("organizations", a.org) for a in entry.organizations]
    elif isinstance(entry, Organization):
        refs += [("people", r) for r in entry.founders]
    elif isinstance(entry, Event):
        refs += [("people", r) for r in entry.people]
        refs += [("organizations", r) for r in entry.organizations]
    return refs


_NOUN = {"people": "person", "organizations": "organization"}


def _check_references(
    site: Site,
    kinds: dict[str, list[Entry]],
    published: dict[str, dict[str, Entry]],
    unpublished: dict[str, dict[str, Entry]],
    unread: set[tuple[str, str]],
    report: Report,
) -> None:
    for entries in kinds.values():
        for entry in entries:
            if entry.draft and entry.slug not in published[entry.kind]:
                continue  # an unpublished draft's links are checked when drafts are built
            for kind, ref in _references(entry):
                if ref.slug in published[kind] or (kind, "*") in unread:
                    continue  # found, or its whole folder unread: that folder's error says why
                if ref.slug in unpublished[kind]:
                    report.warning(
                        ref.location,
                        f"{_NOUN[kind]} `{ref.slug}` is a draft: its name is shown without a link",
                        Hint("draft"),
                    )
                    continue
                if (kind, ref.slug) in unread:  # its own error says why: no "unknown" here
                    report.warning(
                        ref.location,
                        f"{_NOUN[kind]} `{ref.slug}`: content/{kind}/{ref.slug}.md could not be "
                        "read (its error is given with it), so this reference is not resolved",
                        Hint("unread-ref"),
                    )
                    continue
                hint = nearest(ref.slug, [*published[kind], *unpublished[kind]])
                suggestion = f"; did you mean `{hint}`?" if hint else f"; there are no {kind} yet"
                report.error(
                    ref.location,
                    f"unknown {_NOUN[kind]} `{ref.slug}`: no file content/{kind}/{ref.slug}.md"
                    + suggestion,
                    Hint("unknown-ref", (_NOUN[kind], ref.slug, hint or "")),
                )


def _check_media(site: Site, report: Report) -> None:
    media = set(site.media)
    for person in site.people.values():
        if person.photo:
            problem = media_problem(person.photo, media)
            if problem:
                report.error(
                    person.photo_at or person.location, f"`photo`: {problem}", Hint("media")
                )
                person.photo = None


def _link_both_ways(site: Site) -> None:
    members: dict[tuple[str, str], Membership] = {}
    for person in site.people.values():
        for aff in person.organizations:
            if aff.org.slug in site.organizations:
                key = (person.slug, aff.org.slug)
                members.setdefault(
                    key, Membership(person.slug, aff.org.slug, aff.role, aff.start, aff.end)
                )
    for org in site.organizations.values():
        for ref in org.founders:
            if ref.slug in site.people:
                key = (ref.slug, org.slug)
                old = members.get(key)
                members[key] = (
                    Membership(ref.slug, org.slug, old.role, old.start, old.end, founder=True)
                    if old
                    else Membership(ref.slug, org.slug, founder=True)
                )
    site.index_memberships(sorted(members.values(), key=lambda m: (m.person, m.org)))
    by_person: dict[str, list[Event]] = defaultdict(list)
    by_org: dict[str, list[Event]] = defaultdict(list)
    for event in site.events:
        for slug in dict.fromkeys(r.slug for r in event.people):
            if slug in site.people:
                by_person[slug].append(event)
        for slug in dict.fromkeys(r.slug for r in event.organizations):
            if slug in site.organizations:
                by_org[slug].append(event)
    site.events_of_person = dict(by_person)
    site.events_of_org = dict(by_org)


def _collect_tags(site: Site, report: Report) -> None:
    entries: list[Entry] = [
        *site.people.values(),
        *site.organizations.values(),
        *site.events,
        *site.pages.values(),
    ]
    tagged: dict[str, list[Entry]] = defaultdict(list)
    order = sorted(entries, key=lambda e: (e.location, e.slug))
    for entry in order:
        for text in dict.fromkeys(entry.tags):
            key = tag_key(text)
            site.tags.setdefault(key, Tag(key, text))
            if not tagged[key] or tagged[key][-1] is not entry:  # "AI" and "ai" on one entry
                tagged[key].append(entry)
    site.tagged = {key: tagged[key] for key in sorted(tagged)}
    site.tags = {key: site.tags[key] for key in sorted(site.tags)}


def _name_tags(
    site: Site, content: Content, unpublished: dict[str, dict[str, Entry]], report: Report
) -> None:
    """The names content/tags.yaml gives, for the tags in use; a tag no entry has is a
    warning (a draft's tags count: its names are ready when it is published)."""
    given = content.tag_names
    if given is None:
        return
    drafted = {
        tag_key(t) for entries in unpublished.values() for e in entries.values() for t in e.tags
    }
    used = {*site.tags, *drafted}
    for key, (text, at) in given.written.items():
        if key in used:
            site.tag_names[key] = given.names[key]
            continue
        labels = {site.tags[k].label if k in site.tags else k for k in used}
        close = closest(text, labels)
        suggestion = f"; did you mean `{close}`?" if close else ""
        report.warning(
            at,
            f"tag `{text}` is on no entry: its names are not shown{suggestion}",
            Hint("tag-names"),
        )


def check_routes(site: Site, report: Report) -> None:
    """Pages and languages may not take a route the generator owns."""
    languages = set(site.settings.languages[1:])
    for page in site.pages.values():
        if page.slug in RESERVED or page.slug in {r.removesuffix(".html") for r in RESERVED}:
            report.error(
                page.location,
                f"page slug `{page.slug}` collides with the built-in route /{page.slug}/: "
                "rename the file or set `slug:`",
                Hint("slug-taken"),
            )
        elif page.slug in languages:
            report.error(
                page.location,
                f"page slug `{page.slug}` collides with the language folder /{page.slug}/",
                Hint("slug-taken"),
            )
