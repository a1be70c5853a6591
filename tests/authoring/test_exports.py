"""Data exports: timeline.json (TimelineJS3), events.ics (iCalendar), people.json and
events.json, in every language, the same bytes on every build."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest

from chronicle.pipeline import BuildOptions, BuildResult, build
from tests.conftest import PROJECT

# TimelineJS3's JSON format (timeline.knightlab.com/docs/json-format.html): the names it reads.
TIMELINE_KEYS = {"events", "title", "eras", "scale"}
SLIDE_KEYS = {
    "start_date", "end_date", "text", "media", "group", "display_date", "background",
    "autolink", "unique_id",
}  # fmt: skip
DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date",
             "format"}  # fmt: skip
TEXT_KEYS = {"headline", "text"}

EXTRA = {
    "site.toml": 'title = "Test Site"\nbase_url = "https://example.org/sub/"\n'
    'description = "A; test, site"\nlanguages = ["en", "zh-hant"]\n',
    "content/events/long.md": """\
        ---
        title: "A very long title, with commas; semicolons \\\\ and a backslash, that goes on \
and on so that the iCalendar line must be folded 長長的標題"
        date: 2020-02
        end: 2021
        location: "Paris, France"
        summary: "Line one.\\nLine two."
        tags: [a, "b, c"]
        people: [ada]
        sources:
          - {title: X}
        ---
        """,
    "content/events/notes.zh-hant.md": """\
        ---
        title: 筆記出版
        summary: 第一個程式。
        ---
        """,
    "content/people/secret.md": "---\nname: Secret\ndraft: true\n---\n",
    "content/events/meeting.md": """\
        ---
        title: Ada meets Charles
        date: 1833-06-05
        people: [ada, charles, secret]
        location: London
        ---
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    from tests.conftest import SMALL_SITE, SiteDir

    site = SiteDir(tmp_path_factory.mktemp("exports") / "site")
    for rel, text in {**SMALL_SITE, **EXTRA}.items():
        site.write(rel, text)
    result = site.build()
    return result, site.out


def load(out: Path, rel: str) -> Any:
    return json.loads((out / rel).read_text(encoding="utf-8"))


def test_timeline_json_uses_only_timelinejs_names(built: tuple[BuildResult, Path]) -> None:
    result, out = built
    data = load(out, "timeline.json")
    assert set(data) <= TIMELINE_KEYS and data["events"]
    assert set(data["title"]["text"]) <= TEXT_KEYS
    for slide in data["events"]:
        assert set(slide) <= SLIDE_KEYS
        assert set(slide["text"]) <= TEXT_KEYS
        for key in ("start_date", "end_date"):
            if key in slide:
                assert set(slide[key]) <= DATE_KEYS
                assert isinstance(slide[key]["year"], int)
    assert [s["unique_id"] for s in data["events"]] == [e.slug for e in result.site.events]


def test_timeline_dates_keep_their_precision(built: tuple[BuildResult, Path]) -> None:
    _result, out = built
    slides = {s["unique_id"]: s for s in load(out, "timeline.json")["events"]}
    assert slides["year-of-notes"]["start_date"] == {"year": 1843, "display_date": "1843"}
    assert slides["notes"]["start_date"] == {
        "year": 1843,
        "month": 9,
        "display_date": "September 1843",
    }
    assert slides["meeting"]["start_date"]["day"] == 5
    assert slides["engine-designed"]["end_date"] == {
        "year": 1838, "month": 2, "display_date": "February 1838"
    }  # fmt: skip
    assert slides["notes"]["group"] == "Engine Company"
    assert "group" not in slides["meeting"]
    headline = slides["long"]["text"]["headline"]
    assert headline.startswith('<a href="https://example.org/sub/events/long/">A very long')


def test_timeline_text_is_escaped_html(tmp_path: Path) -> None:
    from tests.conftest import SMALL_SITE, SiteDir

    site = SiteDir(tmp_path / "site")
    for rel, text in SMALL_SITE.items():
        site.write(rel, text)
    site.write(
        "content/events/x.md",
        '---\ntitle: "<script>alert(1)</script>"\ndate: 2020\nsummary: "<b>&"\n---\n',
    )
    site.build()
    slide = next(s for s in load(site.out, "timeline.json")["events"] if s["unique_id"] == "x")
    assert "<script>" not in json.dumps(slide)
    assert "&lt;script&gt;" in slide["text"]["headline"]
    assert slide["text"]["text"] == "<p>&lt;b&gt;&amp;</p>"


def _calendar(out: Path, rel: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((out / rel).read_bytes())


def test_events_ics_is_valid_icalendar_with_all_day_spans(built: tuple[BuildResult, Path]) -> None:
    result, out = built
    raw = (out / "events.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = _calendar(out, "events.ics")
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {e.slug for e in result.site.events}
    assert len({str(e["UID"]) for e in events.values()}) == len(events)

    def span(slug: str) -> tuple[dt.date, dt.date]:
        event = events[slug]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and type(end) is dt.date, "all-day: dates, not times"
        return start, end

    assert span("year-of-notes") == (dt.date(1843, 1, 1), dt.date(1844, 1, 1))  # the year
    assert span("notes") == (dt.date(1843, 9, 1), dt.date(1843, 10, 1))  # the month
    assert span("meeting") == (dt.date(1833, 6, 5), dt.date(1833, 6, 6))  # the day
    assert span("engine-designed") == (dt.date(1837, 1, 1), dt.date(1838, 3, 1))  # 1837–1838-02
    assert span("long") == (dt.date(2020, 2, 1), dt.date(2022, 1, 1))


def test_ics_text_survives_escaping_and_folding(built: tuple[BuildResult, Path]) -> None:
    _result, out = built
    events = {str(e["UID"]).split("@")[0]: e for e in _calendar(out, "events.ics").walk("VEVENT")}
    long = events["long"]
    assert str(long["SUMMARY"]).endswith("that goes on and on so that the iCalendar line must be "
                                         "folded 長長的標題")  # fmt: skip
    assert "commas; semicolons \\ and a backslash" in str(long["SUMMARY"])
    assert str(long["LOCATION"]) == "Paris, France"
    assert str(long["DESCRIPTION"]) == "Line one.\nLine two."
    assert str(long["URL"]) == "https://example.org/sub/events/long/"
    assert [str(c) for c in long["CATEGORIES"].cats] == ["a", "b, c"]


def test_dtstamp_comes_from_the_content_not_the_clock(
    built: tuple[BuildResult, Path], tmp_path: Path
) -> None:
    _result, out = built
    events = {str(e["UID"]).split("@")[0]: e for e in _calendar(out, "events.ics").walk("VEVENT")}
    assert events["meeting"]["DTSTAMP"].dt == dt.datetime(1833, 6, 5, tzinfo=dt.UTC)
    assert events["long"]["DTSTAMP"].dt == dt.datetime(2021, 12, 31, tzinfo=dt.UTC)


def test_every_language_has_its_exports(built: tuple[BuildResult, Path]) -> None:
    _result, out = built
    for rel in ("timeline.json", "events.ics", "people.json", "events.json"):
        assert (out / rel).is_file() and (out / "zh-hant" / rel).is_file()
    slides = {s["unique_id"]: s for s in load(out, "zh-hant/timeline.json")["events"]}
    assert "筆記出版" in slides["notes"]["text"]["headline"]
    assert slides["notes"]["start_date"]["display_date"] == "1843年9月"
    assert "/sub/zh-hant/events/notes/" in slides["notes"]["text"]["headline"]
    zh = {str(e["UID"]): e for e in _calendar(out, "zh-hant/events.ics").walk("VEVENT")}
    assert str(zh["notes@example.org/sub"]["SUMMARY"]) == "筆記出版"
    assert zh["notes@example.org/sub"]["SUMMARY"].params["LANGUAGE"] == "zh-Hant"


def test_people_and_events_json_hold_the_public_fields(built: tuple[BuildResult, Path]) -> None:
    _result, out = built
    people = load(out, "people.json")
    assert people["language"] == "en"
    ada = next(p for p in people["people"] if p["slug"] == "ada")
    assert ada == {
        "slug": "ada",
        "url": "https://example.org/sub/people/ada/",
        "name": "Ada Lovelace",
        "role": "Analyst",
        "summary": "Wrote the first program.",
        "photo": None,
        "organizations": [
            {"org": "engine-co", "role": "Programmer", "from": "1842", "to": "1843-09",
             "founder": False}
        ],
        "links": {},
        "tags": ["Computing", "Deep Learning"],  # as the pages name them: as first written
        "featured": True,
    }  # fmt: skip
    assert "secret" not in {p["slug"] for p in people["people"]}, "drafts are not public"
    charles = next(p for p in people["people"] if p["slug"] == "charles")
    assert charles["organizations"][0]["founder"] is True  # from the organization's side
    events = {e["slug"]: e for e in load(out, "events.json")["events"]}
    assert events["meeting"]["people"] == ["ada", "charles"], "a draft's slug is not public"
    assert events["notes"]["sources"][0] == {
        "title": "Taylor's Scientific Memoirs", "url": "https://example.com/memoirs"
    }  # fmt: skip
    assert events["long"]["end"] == "2021" and events["long"]["precision"] == "month"
    assert all("extra" not in e for e in events.values())


def test_exports_are_the_same_bytes_on_every_build(tmp_path: Path) -> None:
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        build(BuildOptions(site_root=PROJECT, out=out))
        outs.append(out)
    for rel in ("timeline.json", "events.ics", "people.json", "events.json"):
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel
        assert (outs[0] / "zh-hant" / rel).read_bytes() == (outs[1] / "zh-hant" / rel).read_bytes()
    calendar = _calendar(outs[0], "events.ics")
    assert len(calendar.walk("VEVENT")) >= 10


def test_a_static_file_may_not_take_an_export_name(make_site: Any) -> None:
    site = make_site({"static/timeline.json": "{}"})
    messages = [str(p) for p in site.errors().problems]
    assert any("static/timeline.json" in m and "generated route" in m for m in messages)


def test_a_page_may_not_take_the_search_route(make_site: Any) -> None:
    site = make_site({"content/pages/search.md": "---\ntitle: S\n---\n"})
    messages = [str(p) for p in site.errors().problems]
    assert any("page slug `search` collides" in m for m in messages)
