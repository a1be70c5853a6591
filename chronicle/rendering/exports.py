"""Data exports for reuse elsewhere: the timeline in TimelineJS3's JSON format, the events as
an iCalendar file, and the public fields of people and events as plain JSON.

Each export is bytes added to the build's rendered files, once per language: the default
language's at the site root (`/timeline.json`), the others under their folder
(`/zh-hant/timeline.json`). Nothing here reads the clock: two builds of the same content
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from chronicle.model import i18n
from chronicle.model.localize import LocalSite, route
from chronicle.reading.content import Event, Person
from chronicle.reading.dates import PartialDate

# The files each language gets; model.RESERVED holds these names too.
EXPORTS = ("timeline.json", "events.ics", "people.json", "events.json")


class Made(NamedTuple):
    """The exports made for one state of the content: kept by a build's memory
    (incremental.memory), so that a rebuild in which no entry and no setting changed takes
    them as they are."""

    key: str  # content_key()
    files: dict[str, bytes]  # by output path


def export_files(locals_: Mapping[str, LocalSite], kept: Made | None = None) -> Made:
    """Every export of every language, by output path; `kept` itself when it was made for
    the same content."""
    key = content_key(locals_)
    if kept is not None and kept.key == key:
        return kept
    return Made(key, _export_all(locals_))


def content_key(locals_: Mapping[str, LocalSite]) -> str:
    """Every entry's fields and the settings (exports show no Markdown body): equal keys,
    equal exports."""
    return next(iter(locals_.values())).site_shape()


def _export_all(locals_: Mapping[str, LocalSite]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for lang, local in locals_.items():
        prefix = "" if lang == local.default_lang else f"{lang}/"
        files[prefix + "timeline.json"] = _json(timeline(local))
        files[prefix + "events.ics"] = calendar(local)
        files[prefix + "people.json"] = _json({"language": lang, "people": people(local)})
        files[prefix + "events.json"] = _json({"language": lang, "events": events(local)})
    return files


def _json(data: Any) -> bytes:
    # Compact: indenting would switch json to its much slower pure-Python encoder.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


# -- TimelineJS3 ---------------------------------------------------------------------


def timeline(local: LocalSite) -> dict[str, Any]:
    """The timeline as TimelineJS3 reads it: a title slide, then one slide per event.

    TimelineJS shows `headline` and `text` as HTML, so every text from content is escaped.
    """
    settings = local.settings
    title: dict[str, Any] = {"text": {"headline": html.escape(settings.title)}}
    if settings.description:
        title["text"]["text"] = f"<p>{html.escape(settings.description)}</p>"
    return {
        "title": title,
        "events": [_slide(local, event) for event in local.events.raw()],
        "scale": "human",
    }


def _slide(local: LocalSite, event: Event) -> dict[str, Any]:
    url = local.absolute(route(event))
    slide: dict[str, Any] = {
        "start_date": _timeline_date(event.date, local),
        "text": {
            "headline": f'<a href="{html.escape(url)}">{html.escape(event.title)}</a>',
            "text": f"<p>{html.escape(event.summary)}</p>" if event.summary else "",
        },
        "display_date": local.dates.format_range(event.date, event.end, local.lang),
        "unique_id": event.slug,
    }
    if event.end is not None:
        slide["end_date"] = _timeline_date(event.end, local)
    group = _group(local, event)
    if group:
        slide["group"] = group
    return slide


def _timeline_date(date: PartialDate, local: LocalSite) -> dict[str, Any]:
    """A TimelineJS date object at the precision written: no month for a year, no day for a
    month, so TimelineJS shows and places it as coarsely as the author meant."""
    value: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        value["month"] = date.month
    if date.day is not None:
        value["day"] = date.day
    value["display_date"] = local.dates.format_date(date, local.lang)
    return value


def _group(local: LocalSite, event: Event) -> str | None:
    """The row an event sits in on TimelineJS: its first organization, in this language."""
    for ref in event.organizations:
        link = local.ref("organizations", ref.slug)
        if link.url is not None:
            return link.label
    return None


# -- iCalendar -----------------------------------------------------------------------


def calendar(local: LocalSite) -> bytes:
    """Every event as an all-day iCalendar event (RFC 5545) spanning its precision: a year
    event the whole year, a month event the whole month."""
    settings = local.settings
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Chronicle//Chronicle static site generator//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _ics_text(settings.title),
    ]
    if settings.description:
        lines.append("X-WR-CALDESC:" + _ics_text(settings.description))
    for event in local.events.raw():
        lines.extend(_vevent(local, event))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _day(date: dt.date) -> str:
    """iCalendar's YYYYMMDD; strftime's %Y does not pad years before 1000 on every system."""
    return f"{date.year:04d}{date.month:02d}{date.day:02d}"


def _end(first: dt.date, last: dt.date) -> str:
    """DTEND is exclusive: the day after the last day covered. The day after 9999-12-31
    cannot be written (nor made: OverflowError), so the event says its length instead."""
    if last < dt.date.max:
        return f"DTEND;VALUE=DATE:{_day(last + dt.timedelta(days=1))}"
    return f"DURATION:P{(last - first).days + 1}D"


def _vevent(local: LocalSite, event: Event) -> list[str]:
    last = (event.end or event.date).last_day()
    language = i18n.html_lang(event.lang or local.lang)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.slug}@{_uid_domain(local.settings.base_url)}",
        # When the information was last true by the content itself, never the build's
        # clock, so that an unchanged event stays byte for byte the same.
        f"DTSTAMP:{_day(last)}T000000Z",
        f"DTSTART;VALUE=DATE:{_day(event.date.first_day())}",
        _end(event.date.first_day(), last),
        f"SUMMARY;LANGUAGE={language}:{_ics_text(event.title)}",
    ]
    if event.summary:
        lines.append(f"DESCRIPTION;LANGUAGE={language}:{_ics_text(event.summary)}")
    if event.location_text:
        lines.append(f"LOCATION;LANGUAGE={language}:{_ics_text(event.location_text)}")
    lines.append("URL;VALUE=URI:" + local.absolute(route(event)))
    tags = [tag.label for tag in local.tags_of(event)]  # by their names in this language
    if tags:
        lines.append("CATEGORIES:" + ",".join(_ics_text(tag) for tag in tags))
    lines.append("END:VEVENT")
    return lines


def _uid_domain(base_url: str) -> str:
    """`example.org/founders`: the same event keeps its UID across builds and languages."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path).rstrip("/")


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _ics_text(text: str) -> str:
    """TEXT escaping of RFC 5545 (3.3.11); control characters, which it forbids, dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", text)


def _fold(line: str, limit: int = 75) -> str:
    """Lines of at most 75 octets, continued on lines starting with a space (RFC 5545 3.1),
    never splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    parts: list[bytes] = []
    start, room = 0, limit
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        # Continuation lines start with a space, which counts towards their 75 octets.
        start, room = end, limit - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


# -- plain JSON ----------------------------------------------------------------------


def people(local: LocalSite) -> list[dict[str, Any]]:
    """The public fields of every person (not `extra`, which is the author's own)."""
    return [_person(local, person) for person in local.people.raw().values()]


def _person(local: LocalSite, person: Person) -> dict[str, Any]:
    ties = local.memberships_of("people", person.slug)  # with roles in this language
    return {
        "slug": person.slug,
        "url": local.absolute(route(person)),
        "name": person.name,
        "role": person.role,
        "summary": person.summary,
        "photo": local.absolute(f"/media/{person.photo}") if person.photo else None,
        "organizations": [
            {
                "org": tie.org,
                "role": tie.role,
                "from": _iso(tie.start),
                "to": _iso(tie.end),
                "founder": tie.founder,
            }
            for tie in ties
        ],
        "links": dict(person.links),
        "tags": [tag.label for tag in local.tags_of(person)],
        "featured": person.featured,
    }


def events(local: LocalSite) -> list[dict[str, Any]]:
    """The public fields of every event, in timeline order."""
    return [_event(local, event) for event in local.events.raw()]


def _event(local: LocalSite, event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "url": local.absolute(route(event)),
        "title": event.title,
        "date": event.date.iso(),
        "end": _iso(event.end),
        "precision": event.date.precision.name.lower(),
        # Published entries only: a draft's slug is not public yet.
        "people": _slugs(r.slug for r in event.people if r.slug in local.people.raw()),
        "organizations": _slugs(
            r.slug for r in event.organizations if r.slug in local.organizations.raw()
        ),
        "location": event.location_text,
        "summary": event.summary,
        "tags": [tag.label for tag in local.tags_of(event)],
        "sources": [{"title": s.title, "url": s.url} for s in event.sources],
    }


def _iso(date: PartialDate | None) -> str | None:
    return date.iso() if date is not None else None


def _slugs(slugs: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(slugs))
