"""Partial dates: kept at their precision, shown as written, sorted on the timeline.

Contract: "A date is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; its precision is kept and shown
as written (2023 / July 2023 / 12 July 2023) ... anything else (2023-13, 2023-02-30,
"last spring") is an error with file and line. `end` ... may not end before `date`
begins (`end: 2023-07` with `date: 2023-07-10` is fine). The timeline runs oldest
first; within a year, a date of coarser precision sorts before finer ones that it
contains (2023 < 2023-07 < 2023-07-12), then by slug."
"""

from __future__ import annotations

import re

import pytest


def event(title: str, date: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\nAn event.\n"


# Slug order (a, b, x, y, z) and title order are both different from date order.
TIMELINE_FILES = {
    "content/events/z-old.md": event("Zulu Oldest Event", "1999-12-31"),
    "content/events/y-year.md": event("Yankee Year Event", "2023"),
    "content/events/x-month.md": event("Xray Month Event", "2023-07"),
    "content/events/b-day.md": event("Bravo Day Event", "2023-07-12"),
    "content/events/a-day.md": event("Alpha Day Event", "2023-07-12"),
}


@pytest.fixture(scope="module")
def dated_site(site_factory):
    site = site_factory(TIMELINE_FILES)
    result = site.build()
    assert result.code == 0, result
    return site


def test_an_event_page_shows_the_date_as_written_without_inventing_precision(dated_site):
    year = dated_site.page("/events/y-year/").text
    month = dated_site.page("/events/x-month/").text
    day = dated_site.page("/events/a-day/").text

    assert "2023" in year
    assert "January" not in year
    assert "July 2023" in month
    assert not re.search(r"\b1 July 2023", month)
    assert "12 July 2023" in day


def test_the_time_element_keeps_the_precision(dated_site):
    for slug, datetime in [("y-year", "2023"), ("x-month", "2023-07"), ("a-day", "2023-07-12")]:
        page = dated_site.page(f"/events/{slug}/")
        assert datetime in [dt for dt, _ in page.times], (slug, page.times)


def test_the_timeline_shows_dates_as_written(dated_site):
    page = dated_site.page("/timeline/")

    assert "12 July 2023" in page.text
    assert "July 2023" in page.text
    datetimes = [dt for dt, _ in page.times]
    for value in ("2023", "2023-07", "2023-07-12", "1999-12-31"):
        assert value in datetimes, datetimes


def test_the_timeline_runs_oldest_first_coarser_before_finer_then_by_slug(dated_site):
    html = dated_site.text("/timeline/")
    expected = [
        "Zulu Oldest Event",  # 1999-12-31
        "Yankee Year Event",  # 2023
        "Xray Month Event",  # 2023-07
        "Alpha Day Event",  # 2023-07-12, slug a-day
        "Bravo Day Event",  # 2023-07-12, slug b-day
    ]

    positions = [html.find(title) for title in expected]

    assert -1 not in positions, dict(zip(expected, positions))
    assert positions == sorted(positions), dict(zip(expected, positions))


@pytest.mark.parametrize("bad", ["2023-13", "2023-02-30", "last spring"])
def test_an_impossible_or_free_text_date_is_an_error_at_its_line(make_site, bad):
    site = make_site({"content/events/bad-date.md": event("Bad Date", bad)})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/events/bad-date.md", line=3, mentions=["date"])


@pytest.mark.parametrize("end", ["2023-07-09", "2023-06"])
def test_an_end_before_the_date_is_an_error(make_site, end):
    site = make_site(
        {"content/events/backwards.md": event("Backwards", "2023-07-10", f"end: {end}\n")}
    )

    result = site.build()

    assert result.code == 1, result
    diag = result.expect_error("content/events/backwards.md")
    assert diag.line in (3, 4), result


@pytest.mark.parametrize(
    ("date", "end"),
    [("2023-07-10", "2023-07"), ("2023-07", "2023-07-15")],
)
def test_an_end_that_does_not_end_before_the_date_begins_is_fine(make_site, date, end):
    site = make_site({"content/events/span.md": event("Span", date, f"end: {end}\n")})

    result = site.build()

    assert result.code == 0, result


def test_an_invalid_end_is_an_error_at_its_line(make_site):
    site = make_site(
        {"content/events/bad-end.md": event("Bad End", "2023-07-10", "end: 2023-13\n")}
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/events/bad-end.md", line=4, mentions=["end"])


def test_an_invalid_founded_date_of_an_organization_is_an_error(make_site):
    site = make_site(
        {"content/organizations/guild.md": "---\nname: Guild\nfounded: someday\n---\n"}
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/organizations/guild.md", line=3, mentions=["founded"])
