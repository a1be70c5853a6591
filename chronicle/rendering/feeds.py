"""The feeds of events, newest first: what `/feed.xml` (Atom) and `/feed.json` (JSON Feed
1.1) carry. Both are read by programs far from the site, so every address in them is
absolute, bodies included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chronicle.model.i18n import html_lang
from chronicle.reading.content import Event
from chronicle.rendering.metadata import event_dates, lastmod

if TYPE_CHECKING:
    from chronicle.model.localize import LocalSite

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_EPOCH = "1970-01-01"


@dataclass(frozen=True)
class FeedItem:
    event: Event
    url: str  # absolute; also the item's id
    published: str  # RFC 3339: the first day of the event's date
    updated: str  # RFC 3339: the first day of the latest date the event shows


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def feed_items(site: LocalSite) -> list[FeedItem]:
    """The latest `feed_events` events, newest first."""
    events = list(reversed(site.events))[: site.settings.feed_events]
    items = []
    for event in events:
        updated = lastmod(event_dates(event)) or event.date.first_day().isoformat()
        items.append(
            FeedItem(
                event=event,
                url=site.absolute(site.path_of(event)),
                published=_timestamp(event.date.first_day().isoformat()),
                updated=_timestamp(updated),
            )
        )
    return items


def feed_updated(items: list[FeedItem]) -> str:
    """When the feed last changed, from its content: the latest item's date, never the clock."""
    return max((item.updated for item in items), default=_timestamp(_EPOCH))


def json_feed(site: LocalSite) -> dict[str, Any]:
    settings = site.settings
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": settings.title,
        "home_page_url": site.absolute("/"),
        "feed_url": site.feed("feed.json", absolute=True),
        "language": html_lang(site.lang),
        "authors": [{"name": settings.author or settings.title}],
        "items": [_json_item(site, item) for item in feed_items(site)],
    }
    if settings.description:
        feed["description"] = settings.description
    return feed


def _json_item(site: LocalSite, item: FeedItem) -> dict[str, Any]:
    event = item.event
    data: dict[str, Any] = {
        "id": item.url,
        "url": item.url,
        "title": event.title,
        "date_published": item.published,
        "date_modified": item.updated,
    }
    html = site.body_html_absolute(event)
    # An item needs content_html or content_text; an event without a body has its summary.
    if html:
        data["content_html"] = html
    else:
        data["content_text"] = event.summary or event.title
    if event.summary:
        data["summary"] = event.summary
    tags = [tag.label for tag in site.tags_of(event)]
    if tags:
        data["tags"] = tags
    return data
