"""sitemap.xml and robots.txt: valid by sitemaps.org's rules, every page listed at its
absolute address, and `lastmod` taken from the content's dates, never the build's clock."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import chronicle.rendering.sitemap

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# W3C Datetime (https://www.w3.org/TR/NOTE-datetime): a date, or a date and time with zone.
W3C_DATE = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$"
)


def assert_valid_sitemap(data: bytes, base_url: str) -> dict[str, str | None]:
    """sitemaps.org's rules; returns each address with its lastmod."""
    root = ET.fromstring(data)
    assert root.tag == NS + "urlset"
    urls: dict[str, str | None] = {}
    for url in root:
        assert url.tag == NS + "url"
        loc = url.findtext(NS + "loc")
        assert loc is not None and loc == loc.strip()
        assert loc.isascii(), f"{loc} is not percent-encoded"
        assert loc.startswith(base_url), f"{loc} is not under {base_url}"
        assert len(loc) < 2048
        assert loc not in urls, f"{loc} listed twice"
        lastmod = url.findtext(NS + "lastmod")
        assert lastmod is None or W3C_DATE.match(lastmod), lastmod
        urls[loc] = lastmod
    assert 0 < len(urls) <= 50_000
    assert len(data) <= 50 * 1024 * 1024
    return urls


@pytest.fixture
def built(make_site):
    site = make_site()
    site.build()
    return site


def test_the_sitemap_is_valid_and_lists_every_page_once(built):
    urls = assert_valid_sitemap((built.out / "sitemap.xml").read_bytes(), "https://example.org/")
    pages = {
        "https://example.org/" + p.relative_to(built.out).as_posix().removesuffix("index.html")
        for p in built.out.rglob("index.html")
    }
    assert set(urls) == pages
    assert "https://example.org/404.html" not in urls


def test_lastmod_is_the_latest_date_a_page_shows(built):
    urls = assert_valid_sitemap((built.out / "sitemap.xml").read_bytes(), "https://example.org/")
    base = "https://example.org/"
    # An event: its date, or its end when it has one; a partial date counts from its first day.
    assert urls[base + "events/notes/"] == "1843-09-01"
    assert urls[base + "events/meeting/"] == "1833-06-05"
    assert urls[base + "events/engine-designed/"] == "1838-02-01"
    # A person or an organization: the latest of its own dates and its events' dates.
    assert urls[base + "people/ada/"] == "1843-09-01"
    assert urls[base + "people/charles/"] == "1838-02-01"
    assert urls[base + "organizations/engine-co/"] == "1843-09-01"
    assert urls[base + "organizations/society/"] == "1660-01-01"
    # Pages that show the timeline change with its latest event; tags with what they list.
    assert urls[base] == urls[base + "timeline/"] == "1843-09-01"
    assert urls[base + "tags/computing/"] == "1843-09-01"
    # No date in the content, no lastmod.
    assert urls[base + "about/"] is None
    assert urls[base + "people/"] is None


def test_addresses_with_other_scripts_are_percent_encoded(make_site):
    site = make_site(
        {"content/events/meeting.md": "---\ntitle: M\ndate: 1833\ntags: [深度學習]\n---\n"}
    )
    site.build()
    urls = assert_valid_sitemap((site.out / "sitemap.xml").read_bytes(), "https://example.org/")
    assert "https://example.org/tags/%E6%B7%B1%E5%BA%A6%E5%AD%B8%E7%BF%92/" in urls
    assert (site.out / "tags/深度學習/index.html").is_file()


def test_lastmod_does_not_follow_file_times(make_site):
    site = make_site()
    first = site.build().plan.rendered["sitemap.xml"]
    (site.root / "content/people/charles.md").touch()
    assert site.build().plan.rendered["sitemap.xml"] == first


def test_under_a_sub_path_every_address_is_under_it(built):
    built.build(base_url="https://example.org/founders/")
    data = (built.out / "sitemap.xml").read_bytes()
    urls = assert_valid_sitemap(data, "https://example.org/founders/")
    assert "https://example.org/founders/people/ada/" in urls


def test_more_addresses_than_a_sitemap_holds_make_a_sitemap_index(built, monkeypatch):
    monkeypatch.setattr(chronicle.rendering.sitemap, "MAX_URLS", 10)
    built.build()
    index = ET.fromstring((built.out / "sitemap.xml").read_bytes())
    assert index.tag == NS + "sitemapindex"
    parts = [s.findtext(NS + "loc") for s in index]
    assert parts == [f"https://example.org/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    listed: dict[str, str | None] = {}
    for part in parts:
        urls = assert_valid_sitemap(
            (built.out / part.rsplit("/", 1)[1]).read_bytes(), "https://example.org/"
        )
        assert len(urls) <= 10
        listed.update(urls)
    assert len(listed) == len(list(built.out.rglob("index.html"))) > 10
    robots = (built.out / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def test_robots_txt_allows_all_and_names_the_sitemap(built):
    built.build(base_url="https://example.org/founders/")
    robots = (built.out / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in robots
    assert "Sitemap: https://example.org/founders/sitemap.xml" in robots
