"""The timeline as the theme draws it: events grouped by year, with spans (a person's dated
tie to an organization, or an event with an end) drawn as coloured lanes beside the line.

Everything here reads the site through `LocalSite`, whose reads are recorded, so a page
built from these views is rendered again exactly when what it shows changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chronicle.model.site import Membership
from chronicle.reading.content import Event
from chronicle.reading.dates import PartialDate
from chronicle.reading.fields import tag_key

if TYPE_CHECKING:
    from chronicle.model.localize import Link, LocalSite

# The filters a timeline can be narrowed by, as path segments: /timeline/<kind>/<key>/.
FILTER_KINDS = ("people", "organizations", "tags")


def hue(key: str) -> int:
    """A hue fixed by a slug, so that an organization keeps its colour on every page."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:4], 16) % 360


@dataclass
class Band:
    """A span of time drawn beside the line: who was where, or how long an event lasted."""

    label: str  # "xAI · Igor Babuschkin, Co-founder", or the event's title
    link: Link | None
    start: PartialDate
    end: PartialDate | None
    hue: int
    event: str = ""  # the event's slug, for an event's own span
    first: int = -1  # rows (in the flattened timeline) where the band is drawn
    last: int = -1
    lane: int = 0


@dataclass
class Cell:
    """One lane in one row: which band runs through it, and where it starts or stops."""

    hue: int
    state: str  # "start", "mid", "end", "only"


@dataclass
class Row:
    event: Event
    side: str  # "left" or "right" on wide screens
    lanes: list[Cell | None]
    starts: list[Band] = field(default_factory=list)  # bands whose label shows here


@dataclass
class Year:
    year: int
    lanes: list[Cell | None]  # lanes passing the year's marker
    rows: list[Row]


@dataclass
class Timeline:
    years: list[Year]
    bands: list[Band]  # in lane order, for the legend
    lanes: int


def build_timeline(
    events: Sequence[Event], bands: Iterable[Band] = (), *, first_side: str = "left"
) -> Timeline:
    """Events (oldest first) grouped by year, with every band placed in a lane."""
    flat: list[int | Event] = []  # a year's marker, then its events
    for event in events:
        if not flat or _year_of(flat) != event.date.year:
            flat.append(event.date.year)
        flat.append(event)
    placed = _place(list(bands), flat)
    _spread_hues(placed)
    lanes = max((b.lane + 1 for b in placed), default=0)
    years: list[Year] = []
    index = 0
    for position, item in enumerate(flat):
        cells = [_cell(placed, lane, position) for lane in range(lanes)]
        if isinstance(item, int):
            years.append(Year(item, cells, []))
            continue
        side = first_side if index % 2 == 0 else ("right" if first_side == "left" else "left")
        starts = [b for b in placed if b.first == position and not b.event]
        years[-1].rows.append(Row(item, side, cells, starts))
        index += 1
    return Timeline(years, sorted(placed, key=lambda b: (b.first, b.lane)), lanes)


def _spread_hues(bands: list[Band]) -> None:
    """Bands of one timeline get hues at least 40° apart (by the golden angle), so that two
    lanes side by side never look like one."""
    taken: list[int] = []
    for band in sorted(bands, key=lambda b: (b.first, b.lane)):
        for _ in range(12):
            if all(min(abs(band.hue - h), 360 - abs(band.hue - h)) >= 40 for h in taken):
                break
            band.hue = round(band.hue + 137.5) % 360
        taken.append(band.hue)


def _year_of(flat: list[int | Event]) -> int:
    for item in reversed(flat):
        if isinstance(item, int):
            return item
    return -1


def _place(bands: list[Band], flat: list[int | Event]) -> list[Band]:
    """Rows of each band (the events within its dates), then lanes: a lane is reused once
    the band before it in that lane has ended."""
    placed = []
    for band in bands:
        rows = [i for i, item in enumerate(flat) if isinstance(item, Event) and _within(item, band)]
        if rows:
            band.first, band.last = rows[0], rows[-1]
            placed.append(band)
    ends: list[int] = []  # last row of each lane
    for band in sorted(placed, key=lambda b: (b.first, -b.last)):
        free = [lane for lane, end in enumerate(ends) if end < band.first]
        band.lane = free[0] if free else len(ends)
        if free:
            ends[band.lane] = band.last
        else:
            ends.append(band.last)
    return placed


def _within(event: Event, band: Band) -> bool:
    """An event belongs to a band from the band's start (for an event's own span: from
    that event) to the band's end; a band without an end runs to the last event."""
    if band.event:
        if event.sort_key < (band.start.sort_key, band.event):
            return False
    elif event.date.sort_key < band.start.sort_key:
        return False
    return band.end is None or event.date.first_day() <= band.end.last_day()


def _cell(bands: list[Band], lane: int, position: int) -> Cell | None:
    for band in bands:
        if band.lane == lane and band.first <= position <= band.last:
            if band.first == band.last:
                state = "only"
            elif position == band.first:
                state = "start"
            elif position == band.last:
                state = "end"
            else:
                state = "mid"
            return Cell(band.hue, state)
    return None


# -- bands from the site -------------------------------------------------------------


def membership_bands(
    site: LocalSite, memberships: Iterable[Membership], *, show: str = "both"
) -> list[Band]:
    """A band per dated tie. `show` names what the label gives: on a person's own timeline
    the organization is enough, on an organization's the person."""
    bands = []
    for m in memberships:
        if m.start is None:
            continue
        person = site.ref("people", m.person)
        org = site.ref("organizations", m.org)
        who = {"org": org.label, "person": person.label}.get(show, f"{org.label} · {person.label}")
        label = site.t["span_role"].format(name=who, role=m.role) if m.role else who
        bands.append(Band(label, org, m.start, m.end, hue(m.org)))
    return bands


def event_bands(events: Iterable[Event]) -> list[Band]:
    """An event with an end is drawn as a span from itself to the last event it covers."""
    return [
        Band(e.title, None, e.date, e.end, hue(e.slug), event=e.slug)
        for e in events
        if e.end is not None and e.end != e.date
    ]


def site_timeline(
    site: LocalSite, events: Sequence[Event], memberships: Iterable[Membership] = (), **kw: str
) -> Timeline:
    """The view the theme's timeline macro draws: events, memberships' and events' spans."""
    show = kw.pop("show", "both")
    bands = membership_bands(site, memberships, show=show) + event_bands(events)
    return build_timeline(events, bands, **kw)


# -- filters -------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    kind: str  # "people", "organizations" or "tags"
    key: str  # slug or tag key
    label: str
    path: str  # /timeline/<kind>/<key>/
    count: int


@dataclass
class Filters:
    people: list[Choice]
    organizations: list[Choice]
    tags: list[Choice]

    def shown(self, group: str, kind: str | None, key: str | None, limit: int) -> list[Choice]:
        """The `limit` most frequent choices of a group, and the one in use if it is not
        among them: a filter page lists a few, not all of a thousand (in O(limit))."""
        choices: list[Choice] = getattr(self, group)
        shown = choices[:limit]
        if kind == group and key is not None and all(c.key != key for c in shown):
            shown = [*shown, *(c for c in choices[limit:] if c.key == key)][: limit + 1]
        return shown


def timeline_filters(site: LocalSite) -> Filters:
    """What the timeline can be narrowed to: everyone, every organization and every tag that
    has at least one event, each with its count, taken from the events themselves.

    Computed once per build and language: every filter page shows the same choices."""
    return site.memo("timeline_filters", lambda: _timeline_filters(site))


def _timeline_filters(site: LocalSite) -> Filters:
    counts: dict[tuple[str, str], int] = {}
    tag_labels: dict[str, str] = {}
    for event in site.events:
        for ref in dict.fromkeys(r.slug for r in event.people):
            counts[("people", ref)] = counts.get(("people", ref), 0) + 1
        for ref in dict.fromkeys(r.slug for r in event.organizations):
            counts[("organizations", ref)] = counts.get(("organizations", ref), 0) + 1
        for tag in dict.fromkeys(event.tags):
            key = tag_key(tag)
            tag_labels.setdefault(key, tag)
            counts[("tags", key)] = counts.get(("tags", key), 0) + 1
    found: dict[str, list[Choice]] = {kind: [] for kind in FILTER_KINDS}
    for (kind, key), count in counts.items():
        if kind == "tags":
            label = site.tag_label(tag_labels[key])  # its name in this language
        else:
            link = site.ref(kind, key)
            if link.url is None:
                continue  # a draft: it has no filter page
            label = link.label
        found[kind].append(Choice(kind, key, label, f"/timeline/{kind}/{key}/", count))
    for choices in found.values():
        choices.sort(key=lambda c: (-c.count, c.label.casefold()))
    return Filters(found["people"], found["organizations"], found["tags"])


def filtered_events(site: LocalSite, kind: str, key: str) -> list[Event]:
    """The timeline's events with a person, an organization or a tag, in timeline order
    (from the model's indexes: a thousand filter pages must not each scan every event)."""
    if kind == "people":
        return site.events_of_person(site.people[key])
    if kind == "organizations":
        return site.events_of_org(site.organizations[key])
    tag = next(t for t in site.tags if t.key == key)
    return sorted((e for e in site.tagged(tag) if isinstance(e, Event)), key=lambda e: e.sort_key)
