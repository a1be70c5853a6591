"""One language's view of the site: entries with their translated text, links for that
language, and the cross-references templates ask for."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, TypeVar, cast

import jinja2
from markupsafe import Markup

from chronicle.incremental.deps import (
    Key,
    RecordingList,
    RecordingMapping,
    record,
    record_all,
    recording,
)
from chronicle.model import i18n
from chronicle.model.site import Membership, Site, Tag
from chronicle.reading.content import (
    Entry,
    Event,
    Organization,
    Page,
    Person,
    Translation,
    copy_entry,
)
from chronicle.reading.fields import Affiliation, Source, tag_key
from chronicle.rendering.markdown import LinkContext, render_markdown, site_url

E = TypeVar("E", bound=Entry)
V = TypeVar("V")


class Named(NamedTuple):
    """An entry as a kept page job names it, by kind and slug: each build looks it up in its
    own model (LocalSite.current), so that a list of jobs can be kept without the entries.
    (A tuple: the state holds thousands, and tuples are the quickest to read back.)"""

    kind: str
    slug: str


@dataclass(frozen=True)
class Link:
    label: str
    url: str | None  # None for a draft: shown as text
    lang: str = ""


@dataclass(frozen=True)
class Tie:
    """A membership seen from one side, with the entry on the other side."""

    person: Person
    org: Organization
    membership: Membership


@dataclass(frozen=True)
class Face:
    """What an avatar shows of a person: name, link and photo (not the biography)."""

    slug: str
    name: str
    url: str | None  # None for a draft
    photo: str | None


def localize(entry: E, lang: str, default: str) -> E:
    """The entry with its text in `lang` where a translation gives it, else the default's."""
    translation = entry.translations.get(lang)
    if lang == default or translation is None:
        return entry if entry.lang == default else copy_entry(entry, lang=default)
    changes: dict[str, Any] = {
        ("location_text" if name == "location" else name): value
        for name, value in translation.text.items()
    }
    if translation.body is not None:
        changes["body"] = translation.body
    if isinstance(entry, Event) and translation.source_titles:
        changes["sources"] = _sources(entry.sources, translation)
    if isinstance(entry, Person) and translation.roles:
        changes["organizations"] = _roles(entry.organizations, translation)
    if isinstance(entry, Person) and translation.links:
        labels = {link.url: link.label for link in translation.links}
        changes["links"] = {labels.get(url, label): url for label, url in entry.links.items()}
    return copy_entry(entry, lang=lang, **changes)


def _sources(sources: list[Source], translation: Translation) -> list[Source]:
    """The sources with the translation's titles, and its own URLs where it gives them (a
    source in its language), matched by position."""
    titles, urls = translation.source_titles, translation.source_urls
    return [
        Source(
            titles[i] if i < len(titles) else s.title,
            (urls[i] or s.url) if i < len(urls) else s.url,
        )
        for i, s in enumerate(sources)
    ]


def _roles(ties: list[Affiliation], translation: Translation) -> list[Affiliation]:
    """The affiliations with the translation's roles, matched by position (an item for
    another organization, an error already reported, changes nothing)."""
    roles = translation.roles
    return [
        replace(tie, role=roles[i].role)
        if i < len(roles) and roles[i].role and roles[i].org == tie.org.slug
        else tie
        for i, tie in enumerate(ties)
    ]


class LocalSite:
    """What the templates of one language see, as `site`.

    Templates read through it, and it records what each page reads (see deps.py): its
    collections record on access, and its methods record the finer facts they return.
    """

    def __init__(
        self,
        site: Site,
        lang: str,
        assets: Mapping[str, str] | None = None,
        markdown_cache: dict[tuple[str, ...], str] | None = None,
        dates: i18n.Dates | None = None,
    ) -> None:
        self._model = site
        self.dates = dates or i18n.Dates()  # dates as this language writes them
        self.assets = assets  # static path -> fingerprinted path; None: not fingerprinted
        self.settings = site.settings.in_language(lang)
        self.lang = lang
        self.default_lang = site.settings.default_language
        self.links = LinkContext(
            base_path=site.settings.base_path,
            lang_prefix="" if lang == self.default_lang else f"{lang}/",
        )
        self._urls: dict[str, str] = {}  # see url()
        default = self.default_lang
        self.people = RecordingMapping(
            "people", {s: localize(p, lang, default) for s, p in site.people.items()}
        )
        self.organizations = RecordingMapping(
            "organizations", {s: localize(o, lang, default) for s, o in site.organizations.items()}
        )
        events = [localize(e, lang, default) for e in site.events]
        self.events = RecordingList("events", events)
        self.events_by_slug = RecordingMapping("events", {e.slug: e for e in events})
        self.pages = RecordingMapping(
            "pages", {s: localize(p, lang, default) for s, p in site.pages.items()}
        )
        # Each tag with its name in this language (key and address are the same in all).
        self._tags = {k: Tag(k, site.tag_label(k, lang)) for k in site.tags}
        self.tags = RecordingList("tags", list(self._tags.values()))
        self._ties: dict[tuple[str, str], tuple[Membership, ...]] = {}
        self._html = markdown_cache if markdown_cache is not None else {}
        self._values: dict[Key, Hashable] = {}
        self._memo: dict[Hashable, tuple[object, frozenset[Key]]] = {}

    def site_shape(self) -> str:
        """The site's shape (see Site.shape), for caches outside the templates: no record."""
        return self._model.shape()

    @property
    def model(self) -> Site:
        """The whole site model: a page that reads it is rendered again on every build."""
        record("everything")
        return self._model

    # -- addresses ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        """A site path (`/people/`) as a link in this language under the base path."""
        # Remembered: the pages of a large site ask for the same few links again and again.
        link = self._urls.get(path)
        if link is None:
            link = self._urls[path] = site_url(path, self.links)
        return link

    def absolute(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + self.url(path).removeprefix(
            self.settings.base_path.rstrip("/")
        )

    def asset(self, path: str) -> str:
        """A static file's link by its fingerprinted name (`/style.css` -> `/style.<hash>.css`),
        which hosts may cache for good; an unknown file is a template error, not a dead link."""
        if self.assets is None:
            return self.url(path)
        name = self.assets.get(path.lstrip("/"))
        if name is None:
            known = ", ".join("/" + rel for rel in sorted(self.assets)) or "none"
            raise jinja2.TemplateRuntimeError(
                f"site.asset('{path}'): no such file in static/ (fingerprinted files: {known})"
            )
        return self.url("/" + name)

    def feed(self, name: str, *, absolute: bool = False) -> str:
        """A file of this language's own (its feeds: `/zh-hant/feed.xml`), which plain
        `url()` would send to the shared copy at the root."""
        path = self.links.base_path + self.links.lang_prefix + name.lstrip("/")
        if not absolute:
            return path
        return self.settings.base_url.rstrip("/") + path.removeprefix(
            self.settings.base_path.rstrip("/")
        )

    def path_of(self, entry: Entry) -> str:
        return route(entry)

    def url_of(self, entry: Entry) -> str:
        return self.url(route(entry))

    # -- text --------------------------------------------------------------------------

    @functools.cached_property
    def t(self) -> dict[str, str]:
        return i18n.site_strings(self.lang, self._model.settings)

    def body_html(self, entry: Entry) -> str:
        return self._markdown(entry, self.links)

    def body_html_absolute(self, entry: Entry) -> str:
        """The body with absolute links, for feeds that are read far from the site."""
        return self._markdown(entry, replace(self.links, base_path=self.settings.base_url))

    def _markdown(self, entry: Entry, links: LinkContext) -> str:
        record("body", entry.kind, entry.slug)
        # Keyed by the body's version, so the cache may outlive one build (serve).
        key = (*body_token(entry), links.base_path, links.lang_prefix)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = render_markdown(entry.body, links)
        return html

    def is_translated(self, entry: Entry) -> bool:
        return entry.lang == self.lang

    def generated_from(self, entry: Entry) -> str | None:
        """The language a translation was converted from (Simplified from Traditional
        Chinese), or None for text an author wrote."""
        translation = entry.translations.get(self.lang) if entry.lang == self.lang else None
        return translation.generated_from if translation else None

    # -- references --------------------------------------------------------------------

    def ref(self, kind: str, slug: str) -> Link:
        """A link to a referenced entry; drafts come back without a URL."""
        record("label", kind, slug)
        return self._link(kind, slug)

    def _link(self, kind: str, slug: str) -> Link:
        entry = self._table(kind).get(slug)
        if entry is not None:
            return Link(entry.label, self.url_of(entry), entry.lang)
        draft = self._model.drafts.get(kind, {}).get(slug)
        label = localize(draft, self.lang, self.default_lang).label if draft else slug
        return Link(label, None)

    def current(self, value: V) -> V:
        """This build's copy of an entry a kept page job names (anything else as it is)."""
        if isinstance(value, Entry | Named):
            return cast(V, self._table(value.kind).get(value.slug, value))
        return value

    def _table(self, kind: str) -> Mapping[str, Entry]:
        tables: dict[str, RecordingMapping[Any]] = {
            "people": self.people,
            "organizations": self.organizations,
            "events": self.events_by_slug,
            "pages": self.pages,
        }
        return tables[kind].raw()

    def people_links(self, event: Event) -> list[Link]:
        return [self.ref("people", r.slug) for r in dict.fromkeys(event.people)]

    def org_links(self, event: Event) -> list[Link]:
        return [self.ref("organizations", r.slug) for r in dict.fromkeys(event.organizations)]

    def founders(self, org: Organization) -> list[Link]:
        return [self.ref("people", r.slug) for r in org.founders]

    def events_of_person(self, person: Person) -> list[Event]:
        record("events_of_person", person.slug)
        return [self.events_by_slug[slug] for slug in self._events_of("people", person.slug)]

    def events_of_org(self, org: Organization) -> list[Event]:
        record("events_of_org", org.slug)
        return [self.events_by_slug[slug] for slug in self._events_of("organizations", org.slug)]

    def _events_of(self, kind: str, slug: str) -> tuple[str, ...]:
        index = self._model.events_of_person if kind == "people" else self._model.events_of_org
        return tuple(e.slug for e in index.get(slug, []))

    def ties_of_person(self, person: Person) -> list[Tie]:
        record("ties_of_person", person.slug)
        return [
            Tie(person, self.organizations[m.org], m)
            for m in self._local_ties("people", person.slug)
        ]

    def ties_of_org(self, org: Organization) -> list[Tie]:
        record("ties_of_org", org.slug)
        return [
            Tie(self.people[m.person], org, m) for m in self._local_ties("organizations", org.slug)
        ]

    def _local_ties(self, kind: str, slug: str) -> tuple[Membership, ...]:
        """One person's or organization's ties, with roles in this language (the person's
        translation gives them, matched by position)."""
        found = self._ties.get((kind, slug))
        if found is None:
            model = self._model
            ties = model.memberships_of_person(slug) if kind == "people" else None
            if ties is None:
                ties = model.memberships_of_org(slug)
            found = self._ties[(kind, slug)] = tuple(self._local_tie(m) for m in ties)
        return found

    def _local_tie(self, m: Membership) -> Membership:
        person = self.people.raw().get(m.person) or self._model.drafts.get("people", {}).get(
            m.person
        )
        if not isinstance(person, Person) or self.lang == self.default_lang:
            return m
        if person.lang != self.lang:
            person = localize(person, self.lang, self.default_lang)
        role = next((a.role for a in person.organizations if a.org.slug == m.org), m.role)
        return m if role == m.role else replace(m, role=role)

    def tag_label(self, key: str) -> str:
        """A tag's displayed name in this language, by its key or as written."""
        record("all", "tags")
        tag = self._tags.get(tag_key(key))
        return tag.label if tag is not None else key

    def tagged(self, tag: Tag) -> list[Entry]:
        record("tagged", tag.key)
        found = []
        for kind, slug in self._tagged(tag.key):
            record("entry", kind, slug)
            found.append(self._table(kind)[slug])
        return found

    def _tagged(self, key: str) -> tuple[tuple[str, str], ...]:
        return tuple((e.kind, e.slug) for e in self._model.tagged.get(key, []))

    def tags_of(self, entry: Entry) -> list[Tag]:
        record("all", "tags")
        keys = dict.fromkeys(tag_key(t) for t in entry.tags)
        return [self._tags[k] for k in keys if k in self._tags]

    def face(self, slug: str) -> Face:
        """A person for an avatar: a page showing it changes with the name and photo only."""
        record("face", slug)
        return self._face(slug)

    def _face(self, slug: str) -> Face:
        person = self._table("people").get(slug)
        if not isinstance(person, Person):
            return Face(slug, self._link("people", slug).label, None, None)
        return Face(slug, person.name, self.url_of(person), person.photo)

    def memberships(self) -> tuple[Membership, ...]:
        """Every person's tie to an organization, for the spans drawn on the timeline."""
        record("memberships")
        return self._all_ties()

    def _all_ties(self) -> tuple[Membership, ...]:
        found = self._ties.get(("all", ""))
        if found is None:
            found = self._ties[("all", "")] = tuple(
                self._local_tie(m) for m in self._model.memberships
            )
        return found

    def memberships_of(self, kind: str, slug: str) -> list[Membership]:
        """One person's or one organization's ties, for a filtered timeline's spans (from
        the model's indexes: a thousand filter pages must not each scan every tie)."""
        record("ties_of_person" if kind == "people" else "ties_of_org", slug)
        return list(self._local_ties(kind, slug))

    def fragment(self, *key: Hashable, caller: Callable[[], Markup]) -> Markup:
        """The body of a `{% call site.fragment(...) %}` block, rendered once per build and
        language for each key: an event's card is the same on its person's page, its
        organization's, every timeline it is on and the search page. Everything the block
        shows besides what it reads from `site` must be in the key."""
        return self.memo(("fragment", *key), caller)

    def memo(self, name: Hashable, compute: Callable[[], V]) -> V:
        """`compute()` once per build and language, for what many pages show alike (the
        timeline's filters). The reads it made are recorded again for every page that asks,
        so that incremental rebuilds still see them."""
        hit = self._memo.get(name)
        if hit is None:
            with recording() as reads:
                value = compute()
            hit = self._memo[name] = (value, frozenset(reads))
        record_all(hit[1])
        return cast(V, hit[0])

    # -- what a page read, now ---------------------------------------------------------

    def value(self, key: Key) -> Hashable:
        """The current value of something a page read (see deps.py), for comparing builds."""
        known = self._values.get(key, _MISSING)
        if known is _MISSING:
            known = self._values[key] = self._compute(key)
        return known

    def _compute(self, key: Key) -> Hashable:
        what, *rest = key
        if what == "entry":
            entry = self._table(rest[0]).get(rest[1])
            return token(entry) if entry is not None else None
        if what == "body":
            entry = self._table(rest[0]).get(rest[1])
            return body_token(entry) if entry is not None else None
        if what == "all":
            if rest[0] == "tags":
                return tuple(self.tags.raw())
            if rest[0] == "events":
                return tuple(token(e) for e in self.events.raw())
            return tuple(token(e) for e in self._table(rest[0]).values())
        if what == "label":
            return self._link(rest[0], rest[1])
        if what == "events_of_person":
            return self._events_of("people", rest[0])
        if what == "events_of_org":
            return self._events_of("organizations", rest[0])
        if what == "ties_of_person":
            return self._local_ties("people", rest[0])
        if what == "ties_of_org":
            return self._local_ties("organizations", rest[0])
        if what == "tagged":
            return self._tagged(rest[0])
        if what == "face":
            return self._face(rest[0])
        if what == "memberships":
            return self._all_ties()
        return object()  # "everything", or a key this version does not know: never equal

    # -- dates -------------------------------------------------------------------------

    def years(self) -> list[tuple[int, list[Event]]]:
        """The timeline grouped by year, oldest first."""
        groups: dict[int, list[Event]] = {}
        for event in self.events:  # records the whole timeline
            groups.setdefault(event.date.year, []).append(event)
        return list(groups.items())


_MISSING = object()


def token(entry: Entry) -> tuple[str, str, str]:
    """What identifies an entry's content in one language: equal tokens, equal text."""
    translation = entry.translations.get(entry.lang)
    return (entry.kind, entry.version, translation.version if translation else "")


def body_token(entry: Entry) -> tuple[str, str, str]:
    """What identifies an entry's Markdown body in one language."""
    translation = entry.translations.get(entry.lang)
    return (entry.kind, entry.body_version, translation.body_version if translation else "")


def route(entry: Entry) -> str:
    """The site path of an entry's page, before sub-path and language."""
    if isinstance(entry, Page):
        return f"/{entry.slug}/"
    return f"/{entry.kind}/{entry.slug}/"
