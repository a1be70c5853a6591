"""The timeline the theme draws: spans placed in lanes beside the line, filter pages for
each person, organization and tag, all in the sitemap and every link resolving."""

from __future__ import annotations

import re

from chronicle.errors import Location
from chronicle.model.timeline import Band, build_timeline
from chronicle.reading.content import Event
from chronicle.reading.dates import PartialDate


def event(slug: str, date: str, end: str | None = None) -> Event:
    parse = lambda text: PartialDate(*map(int, text.split("-")))  # noqa: E731
    return Event(
        kind="events",
        slug=slug,
        location=Location("x"),
        title=slug,
        date=parse(date),
        end=parse(end) if end else None,
    )


def states(timeline, lane: int) -> list[str]:
    """A lane from top to bottom: each year marker and event row, '-' where it is empty."""
    found = []
    for year in timeline.years:
        for cells in [year.lanes, *(row.lanes for row in year.rows)]:
            cell = cells[lane] if lane < len(cells) else None
            found.append(cell.state if cell else "-")
    return found


EVENTS = [
    event("a", "2019-01-24"),
    event("b", "2023"),
    event("c", "2023-03"),
    event("d", "2024-07-22"),
    event("e", "2025-08-13"),
]


def test_a_dated_tie_is_a_lane_from_its_first_to_its_last_event():
    band = Band("xAI", None, PartialDate(2023, 3), PartialDate(2025, 8, 13), 10)
    timeline = build_timeline(EVENTS, [band])
    assert timeline.lanes == 1
    # rows: 2019, a, 2023, b, c, 2024, d, 2025, e
    assert states(timeline, 0) == ["-", "-", "-", "-", "start", "mid", "mid", "mid", "end"]
    starts = [row.event.slug for y in timeline.years for row in y.rows if row.starts]
    assert starts == ["c"], "its label shows where it starts"


def test_an_open_tie_runs_to_the_end_and_overlapping_spans_take_their_own_lanes():
    open_band = Band("FLI", None, PartialDate(2014), None, 10)
    later = Band("xAI", None, PartialDate(2023, 3), None, 10)
    timeline = build_timeline(EVENTS, [open_band, later])
    assert timeline.lanes == 2
    assert states(timeline, 0) == ["-", "start", "mid", "mid", "mid", "mid", "mid", "mid", "end"]
    assert states(timeline, 1)[4] == "start"
    hues = [b.hue for b in timeline.bands]
    assert abs(hues[0] - hues[1]) >= 40, "two lanes side by side never share a colour"


def test_a_lane_is_reused_once_the_span_before_it_ended():
    first = Band("one", None, PartialDate(2019), PartialDate(2019, 12), 10)
    second = Band("two", None, PartialDate(2024), None, 200)
    assert build_timeline(EVENTS, [first, second]).lanes == 1


def test_an_event_with_an_end_is_drawn_as_a_span_over_the_events_it_covers():
    from chronicle.model.timeline import event_bands

    ranged = event("b", "2023", "2024-12")
    events = [EVENTS[0], ranged, *EVENTS[2:]]
    timeline = build_timeline(events, event_bands(events))
    assert states(timeline, 0) == ["-", "-", "-", "start", "mid", "mid", "end", "-", "-"]


def test_events_alternate_sides_for_the_two_sided_layout():
    sides = [row.side for y in build_timeline(EVENTS).years for row in y.rows]
    assert sides == ["left", "right", "left", "right", "left"]


def test_filter_pages_narrow_the_timeline_and_are_in_the_sitemap(make_site):
    site = make_site()
    site.build()
    sitemap = site.page("sitemap.xml")
    for path in (
        "timeline/people/ada/",
        "timeline/people/charles/",
        "timeline/organizations/engine-co/",
        "timeline/tags/deep-learning/",
    ):
        assert (site.out / path / "index.html").is_file(), path
        assert f"<loc>https://example.org/{path}</loc>" in sitemap, path
    ada = site.page("timeline/people/ada/index.html")
    titles = re.findall(r'class="event-title"><a href="[^"]+">([^<]+)</a>', ada)
    assert titles == ["Ada meets Charles", "The Notes are published"]
    assert "<h1>Events with Ada Lovelace</h1>" in ada
    assert '<a href="/timeline/people/ada/" aria-current="page">' in ada
    assert '<a href="/timeline/" aria-current="page">' not in ada
    whole = site.page("timeline/index.html")
    assert '<a href="/timeline/" aria-current="page">' in whole
    assert (
        '<a href="/timeline/organizations/engine-co/">Engine Company <span class="count">2' in whole
    )
    # An organization without events has no filter page to lead to.
    assert not (site.out / "timeline/organizations/society").exists()


def test_the_span_legend_names_who_was_where_and_when(make_site):
    site = make_site()
    site.build()
    page = site.page("timeline/index.html")
    legend = re.search(r'<div class="spans">.*?</div>', page, re.S).group(0)
    assert "Engine Company · Ada Lovelace, Programmer: " in legend
    assert '<time datetime="1842">1842</time>\u2009–\u2009<time datetime="1843-09">' in legend
    assert 'class="band-start" aria-hidden="true"' in page, "the label on the line is visual only"


def test_every_image_on_every_page_has_its_size_and_every_picture_a_text_alternative(make_site):
    site = make_site()
    site.build()
    for path in site.out.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        for img in re.findall(r"<img\b[^>]*>", page):
            assert "width=" in img and "height=" in img and "alt=" in img, (path, img)
        for svg in re.findall(r"<svg\b[^>]*>", page):
            assert "width=" in svg and 'aria-hidden="true"' in svg, (path, svg)
