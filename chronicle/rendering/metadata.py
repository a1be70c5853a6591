"""Metadata for machines: schema.org JSON-LD, Open Graph locales, and the content dates that
say when a page last changed (for the sitemap and the feeds).

The JSON-LD builders return plain dicts; templates write them with Jinja's `tojson`, which
escapes `<`, `>`, `&` and `'`, so no text from content can close the script element.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from chronicle.model.i18n import html_lang
from chronicle.model.site import Site
from chronicle.reading.content import Entry, Event, Organization, Page, Person
from chronicle.reading.dates import PartialDate

if TYPE_CHECKING:  # localize imports this module's callers; only the type is needed here
    from chronicle.model.localize import Link, LocalSite

SCHEMA = "https://schema.org"
# Open Graph wants language_TERRITORY; a bare language tag is given as it is.
_OG_LOCALES = {"en": "en_US", "zh-hant": "zh_TW", "zh-hans": "zh_CN"}


def og_locale(lang: str) -> str:
    if lang in _OG_LOCALES:
        return _OG_LOCALES[lang]
    language, _sep, region = lang.partition("-")
    return f"{language}_{region.upper()}" if len(region) == 2 else language


# -- JSON-LD ---------------------------------------------------------------------------


def json_ld(site: LocalSite, entry: Entry | None = None) -> dict[str, Any]:
    """The schema.org description of a page: its entry, or the website for other pages."""
    if isinstance(entry, Person):
        return person_ld(site, entry)
    if isinstance(entry, Organization):
        return organization_ld(site, entry)
    if isinstance(entry, Event):
        return event_ld(site, entry)
    if isinstance(entry, Page):
        return _drop_empty(
            {
                "@context": SCHEMA,
                "@type": "WebPage",
                "name": entry.title,
                "description": entry.summary,
                "url": site.absolute(site.path_of(entry)),
                "inLanguage": html_lang(site.lang),
            }
        )
    return _drop_empty(
        {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": site.settings.title,
            "description": site.settings.description,
            "url": site.absolute("/"),
            "inLanguage": html_lang(site.lang),
        }
    )


def person_ld(site: LocalSite, person: Person) -> dict[str, Any]:
    """A Person: a tie with an end date is a past one (alumniOf), one with only a start is
    current (worksFor); a tie without dates says nothing of time (affiliation)."""
    works, alumni, affiliated = [], [], []
    for tie in site.ties_of_person(person):
        org = _org_ref(site, tie.org)
        if tie.membership.end is not None:
            alumni.append(org)
        elif tie.membership.start is not None:
            works.append(org)
        else:
            affiliated.append(org)
    web = [url for url in person.links.values() if url.startswith(("http://", "https://"))]
    return _drop_empty(
        {
            "@context": SCHEMA,
            "@type": "Person",
            "@id": site.absolute(site.path_of(person)) + "#person",
            "name": person.name,
            "url": site.absolute(site.path_of(person)),
            "description": person.summary,
            "jobTitle": person.role,
            "image": site.absolute("/media/" + person.photo) if person.photo else None,
            "worksFor": works,
            "alumniOf": alumni,
            "affiliation": affiliated,
            "sameAs": web,
        }
    )


def organization_ld(site: LocalSite, org: Organization) -> dict[str, Any]:
    page = site.absolute(site.path_of(org))
    return _drop_empty(
        {
            "@context": SCHEMA,
            "@type": "Organization",
            "@id": page + "#organization",
            "name": org.name,
            "url": org.url or page,
            "mainEntityOfPage": page,
            "description": org.summary,
            # At the precision written: "2023", "2023-03" and "2023-03-09" are all ISO 8601.
            "foundingDate": org.founded.iso() if org.founded else None,
            "founder": [_person_ref(site, link) for link in site.founders(org)],
        }
    )


def event_ld(site: LocalSite, event: Event) -> dict[str, Any]:
    return _drop_empty(
        {
            "@context": SCHEMA,
            "@type": "Event",
            "name": event.title,
            "url": site.absolute(site.path_of(event)),
            "description": event.summary,
            "startDate": event.date.iso(),
            "endDate": event.end.iso() if event.end else None,
            "location": (
                {"@type": "Place", "name": event.location_text} if event.location_text else None
            ),
            "performer": [_person_ref(site, link) for link in site.people_links(event)],
            "organizer": [_org_link_ref(site, link) for link in site.org_links(event)],
        }
    )


def _org_ref(site: LocalSite, org: Organization) -> dict[str, Any]:
    return {"@type": "Organization", "name": org.name, "url": site.absolute(site.path_of(org))}


def _person_ref(site: LocalSite, link: Link) -> dict[str, Any]:
    return _link_ref(site, "Person", link)


def _org_link_ref(site: LocalSite, link: Link) -> dict[str, Any]:
    return _link_ref(site, "Organization", link)


def _link_ref(site: LocalSite, kind: str, link: Link) -> dict[str, Any]:
    """A reference by name, with its page's address unless it is a draft (not published)."""
    ref: dict[str, Any] = {"@type": kind, "name": link.label}
    if link.url is not None:
        base_path = site.settings.base_path
        ref["url"] = site.settings.base_url + link.url.removeprefix(base_path)
    return ref


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


# -- content dates ---------------------------------------------------------------------


def dates_of(site: Site, entry: Entry) -> list[PartialDate]:
    """Every date a page about `entry` shows: its own, its ties', and its events'."""
    dates: list[PartialDate] = []
    events: list[Event] = []
    if isinstance(entry, Event):
        events = [entry]
    elif isinstance(entry, Person):
        dates += _membership_dates(site.memberships_of_person(entry.slug))
        events = site.events_of_person.get(entry.slug, [])
    elif isinstance(entry, Organization):
        dates += [entry.founded] if entry.founded else []
        dates += _membership_dates(site.memberships_of_org(entry.slug))
        events = site.events_of_org.get(entry.slug, [])
    for event in events:
        dates += event_dates(event)
    return dates


def event_dates(event: Event) -> list[PartialDate]:
    return [event.date, *([event.end] if event.end else [])]


def _membership_dates(memberships: Iterable[Any]) -> list[PartialDate]:
    return [d for m in memberships for d in (m.start, m.end) if d is not None]


def lastmod(dates: Iterable[PartialDate]) -> str | None:
    """The latest date as a full W3C date (YYYY-MM-DD), or None when there is none.

    A partial date counts from its first day: "2023" is known to have begun on
    2023-01-01, not to have ended, so the page is never claimed newer than it can be.
    """
    # The latest by sort key has the latest first day (ties have equal first days).
    latest = max(dates, key=lambda d: (d.year, d.month or 0, d.day or 0), default=None)
    return latest.first_day().isoformat() if latest is not None else None
