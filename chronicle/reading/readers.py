"""Per-kind readers: one YAML mapping, its fields checked, into a Person, an
Organization, an Event or a Page.

Which fields each kind accepts comes from the table in kinds.py; the readers decide what
each field means and report every value that cannot be used, where it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from chronicle.errors import Hint
from chronicle.reading.content import Entry, Event, Organization, Page, Person
from chronicle.reading.dates import PartialDate, range_is_ordered
from chronicle.reading.fields import Affiliation, Fields, Source
from chronicle.reading.kinds import accepted

ORDER = Hint("order")  # a range that ends before it starts


def read_person(f: Fields, base: dict[str, Any]) -> Person:
    f.reject_unknown(accepted("people"))
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
    f.reject_unknown(accepted("organizations"))
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
    f.reject_unknown(accepted("events"))
    title = f.text("title", required=True, one_line=True)
    date = f.date("date", required=True)
    end = f.date("end")
    if date is not None and end is not None and not range_is_ordered(date, end):
        f.report.error(f.key_location("end"), f"`end` ({end}) is before `date` ({date})", ORDER)
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
    f.reject_unknown(accepted("pages"))
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
    for ref, sub in f.organization_items():
        if sub is None:
            if ref:
                result.append(Affiliation(ref, None, None, None))
            continue
        start, end = sub.date("from"), sub.date("to")
        if start and end and not range_is_ordered(start, end):
            f.report.error(
                sub.key_location("to"), f"`to` ({end}) is before `from` ({start})", ORDER
            )
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


def media_problem(photo: str, media: set[str]) -> str | None:
    """Why a media path cannot be used, or None."""
    path = PurePosixPath(photo)
    if path.is_absolute() or ".." in path.parts or "\\" in photo:
        return f"`{photo}` must be a path inside content/media/, such as `portraits/ada.jpg`"
    if path.as_posix() not in media:
        return f"`{photo}` not found in content/media/"
    return None
