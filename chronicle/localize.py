"""One language's view of the site: entries with their translated text, links for that
language, and the cross-references templates ask for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import jinja2

from . import i18n
from .content import Entry, Event, Organization, Page, Person
from .markdown import LinkContext, render_markdown, site_url
from .model import Membership, Site, Tag
from .schema import Source

E = TypeVar("E", bound=Entry)


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


def localize(entry: E, lang: str, default: str) -> E:
    """The entry with its text in `lang` where a translation gives it, else the default's."""
    translation = entry.translations.get(lang)
    if lang == default or translation is None:
        return replace(entry, lang=default)
    changes: dict[str, Any] = {
        ("location_text" if name == "location" else name): value
        for name, value in translation.text.items()
    }
    if translation.body is not None:
        changes["body"] = translation.body
    if isinstance(entry, Event) and translation.source_titles:
        changes["sources"] = [
            Source(
                translation.source_titles[i] if i < len(translation.source_titles) else s.title,
                s.url,
            )
            for i, s in enumerate(entry.sources)
        ]
    return replace(entry, lang=lang, **changes)


class LocalSite:
    """What the templates of one language see, as `site`."""

    def __init__(self, site: Site, lang: str, assets: Mapping[str, str] | None = None) -> None:
        self.model = site
        self.assets = assets  # static path -> fingerprinted path; None: not fingerprinted
        self.settings = site.settings
        self.lang = lang
        self.default_lang = site.settings.default_language
        self.links = LinkContext(
            base_path=site.settings.base_path,
            lang_prefix="" if lang == self.default_lang else f"{lang}/",
        )
        self.people = {s: localize(p, lang, self.default_lang) for s, p in site.people.items()}
        self.organizations = {
            s: localize(o, lang, self.default_lang) for s, o in site.organizations.items()
        }
        self.events = [localize(e, lang, self.default_lang) for e in site.events]
        self.events_by_slug = {e.slug: e for e in self.events}
        self.pages = {s: localize(p, lang, self.default_lang) for s, p in site.pages.items()}
        self.tags: list[Tag] = list(site.tags.values())
        self._html: dict[tuple[str, str, bool], str] = {}

    # -- addresses ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        """A site path (`/people/`) as a link in this language under the base path."""
        return site_url(path, self.links)

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

    def path_of(self, entry: Entry) -> str:
        return route(entry)

    def url_of(self, entry: Entry) -> str:
        return self.url(route(entry))

    # -- text --------------------------------------------------------------------------

    @property
    def t(self) -> dict[str, str]:
        return i18n.strings(self.lang)

    def body_html(self, entry: Entry) -> str:
        key = (entry.kind, entry.slug, False)
        if key not in self._html:
            self._html[key] = render_markdown(entry.body, self.links)
        return self._html[key]

    def body_html_absolute(self, entry: Entry) -> str:
        """The body with absolute links, for feeds that are read far from the site."""
        key = (entry.kind, entry.slug, True)
        if key not in self._html:
            links = replace(self.links, base_path=self.settings.base_url)
            self._html[key] = render_markdown(entry.body, links)
        return self._html[key]

    def is_translated(self, entry: Entry) -> bool:
        return entry.lang == self.lang

    # -- references --------------------------------------------------------------------

    def ref(self, kind: str, slug: str) -> Link:
        """A link to a referenced entry; drafts come back without a URL."""
        tables: dict[str, Mapping[str, Entry]] = {
            "people": self.people,
            "organizations": self.organizations,
            "events": self.events_by_slug,
        }
        entry = tables[kind].get(slug)
        if entry is not None:
            return Link(entry.label, self.url_of(entry), entry.lang)
        draft = self.model.drafts.get(kind, {}).get(slug)
        label = localize(draft, self.lang, self.default_lang).label if draft else slug
        return Link(label, None)

    def people_links(self, event: Event) -> list[Link]:
        return [self.ref("people", r.slug) for r in dict.fromkeys(event.people)]

    def org_links(self, event: Event) -> list[Link]:
        return [self.ref("organizations", r.slug) for r in dict.fromkeys(event.organizations)]

    def founders(self, org: Organization) -> list[Link]:
        return [self.ref("people", r.slug) for r in org.founders]

    def events_of_person(self, person: Person) -> list[Event]:
        return [
            self.events_by_slug[e.slug] for e in self.model.events_of_person.get(person.slug, [])
        ]

    def events_of_org(self, org: Organization) -> list[Event]:
        return [self.events_by_slug[e.slug] for e in self.model.events_of_org.get(org.slug, [])]

    def ties_of_person(self, person: Person) -> list[Tie]:
        return [
            Tie(person, self.organizations[m.org], m)
            for m in self.model.memberships_of_person(person.slug)
        ]

    def ties_of_org(self, org: Organization) -> list[Tie]:
        return [Tie(self.people[m.person], org, m) for m in self.model.memberships_of_org(org.slug)]

    def tagged(self, tag: Tag) -> list[Entry]:
        found: list[Entry] = []
        for entry in self.model.tagged.get(tag.key, []):
            local = self._local(entry)
            if local is not None:
                found.append(local)
        return found

    def tags_of(self, entry: Entry) -> list[Tag]:
        from .schema import tag_key

        keys = dict.fromkeys(tag_key(t) for t in entry.tags)
        return [self.model.tags[k] for k in keys if k in self.model.tags]

    def _local(self, entry: Entry) -> Entry | None:
        if isinstance(entry, Person):
            return self.people.get(entry.slug)
        if isinstance(entry, Organization):
            return self.organizations.get(entry.slug)
        if isinstance(entry, Event):
            return self.events_by_slug.get(entry.slug)
        if isinstance(entry, Page):
            return self.pages.get(entry.slug)
        return None

    # -- dates -------------------------------------------------------------------------

    def years(self) -> list[tuple[int, list[Event]]]:
        """The timeline grouped by year, oldest first."""
        groups: dict[int, list[Event]] = {}
        for event in self.events:
            groups.setdefault(event.date.year, []).append(event)
        return list(groups.items())


def route(entry: Entry) -> str:
    """The site path of an entry's page, before sub-path and language."""
    if isinstance(entry, Page):
        return f"/{entry.slug}/"
    return f"/{entry.kind}/{entry.slug}/"
