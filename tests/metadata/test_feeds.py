"""The feeds of events: /feed.xml (Atom) parses with feedparser without complaint, and
/feed.json follows JSON Feed 1.1; both newest first, absolute addresses, content dates."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest

from chronicle.pipeline import BuildOptions, build
from tests.conftest import PROJECT

LINKED_EVENT = """\
    ---
    title: "The Notes are <published> & read"
    date: 1843-09
    people: [ada]
    tags: [Deep Learning]
    summary: Ada's notes appear.
    ---
    By [Ada](/people/ada/), with a ![diagram](/media/diagram.png).
    """


@pytest.fixture
def built(make_site):
    site = make_site({"content/events/notes.md": LINKED_EVENT, "content/media/diagram.png": "png"})
    site.build(base_url="https://example.org/sub/")
    return site


def parse_atom(site):
    feed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_atom_feed_is_well_formed_and_lists_events_newest_first(built):
    feed = parse_atom(built)
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "The Notes are <published> & read",
        "A year of notes",
        "The engine is designed",
        "Ada meets Charles",
    ]
    notes = feed.entries[0]
    assert notes.link == "https://example.org/sub/events/notes/"
    assert notes.id == notes.link
    assert notes.summary == "Ada's notes appear."
    assert [t.term for t in notes.tags] == ["deep-learning"]
    assert feed.feed.link == "https://example.org/sub/timeline/"
    assert feed.feed.author == "Test Site"


def test_atom_content_links_are_absolute(built):
    content = parse_atom(built).entries[0].content[0].value
    assert 'href="https://example.org/sub/people/ada/"' in content
    assert 'src="https://example.org/sub/media/diagram.png"' in content


def test_feed_dates_come_from_the_content(built):
    feed = parse_atom(built)
    notes, year, designed = feed.entries[:3]
    assert notes.published == "1843-09-01T00:00:00Z"
    assert designed.published == "1837-01-01T00:00:00Z"
    assert designed.updated == "1838-02-01T00:00:00Z"  # its end
    assert feed.feed.updated == "1843-09-01T00:00:00Z"
    assert year.updated == "1843-01-01T00:00:00Z"


def test_the_feeds_hold_at_most_feed_events_events(make_site):
    site = make_site({"site.toml": 'title = "T"\nbase_url = "https://e.org/"\nfeed_events = 2\n'})
    site.build()
    assert len(parse_atom(site).entries) == 2
    assert len(json.loads(site.page("feed.json"))["items"]) == 2


def test_a_site_without_events_has_valid_empty_feeds(make_site):
    site = make_site(
        {
            "content/events/notes.md": None,
            "content/events/meeting.md": None,
            "content/events/list.yaml": None,
        }
    )
    site.build()
    assert parse_atom(site).entries == []
    assert json.loads(site.page("feed.json"))["items"] == []


def rfc3339(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"{text} has no zone"
    return value


def assert_json_feed_1_1(feed: dict, feed_url: str) -> None:
    """The MUSTs of https://www.jsonfeed.org/version/1.1/ and the fields we promise."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert feed["feed_url"] == feed_url
    assert feed["home_page_url"].startswith(("https://", "http://"))
    assert all(isinstance(author["name"], str) for author in feed["authors"])
    assert isinstance(feed["items"], list)
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids)) and all(isinstance(i, str) for i in ids)
    for item in feed["items"]:
        assert "content_html" in item or "content_text" in item
        assert item["url"].startswith(("https://", "http://"))
        rfc3339(item["date_published"])
        assert rfc3339(item["date_modified"]) >= rfc3339(item["date_published"])
        assert isinstance(item.get("tags", []), list)


def test_the_json_feed_follows_json_feed_1_1(built):
    feed = json.loads(built.page("feed.json"))
    assert_json_feed_1_1(feed, "https://example.org/sub/feed.json")
    assert feed["home_page_url"] == "https://example.org/sub/"
    assert feed["language"] == "en"
    first = feed["items"][0]
    assert first["title"] == "The Notes are <published> & read"
    assert first["url"] == first["id"] == "https://example.org/sub/events/notes/"
    assert 'href="https://example.org/sub/people/ada/"' in first["content_html"]
    assert first["tags"] == ["Deep Learning"]
    # An event without a body still has content: its summary or its title.
    meeting = next(i for i in feed["items"] if i["title"] == "Ada meets Charles")
    assert meeting["content_text"] == "Ada meets Charles"


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/founders/"])
def test_the_projects_own_feeds_are_valid(base_url, tmp_path):
    result = build(BuildOptions(site_root=PROJECT, out=tmp_path / "out", base_url=base_url))
    atom = feedparser.parse(result.plan.rendered["feed.xml"])
    assert atom.bozo == 0, atom.get("bozo_exception")
    assert len(atom.entries) == len(result.site.events)
    feed = json.loads(result.plan.rendered["feed.json"])
    assert_json_feed_1_1(feed, base_url + "feed.json")
    assert len(feed["items"]) == len(result.site.events)
