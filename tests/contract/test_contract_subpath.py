"""Serving from a sub-path: every link works under https://example.org/sub/.

Contract: "`base_url` (absolute http or https, may hold a sub-path such as
`https://example.org/founders/`)" and "All links work when the site is served from a
sub-path (base URL `https://host/sub/`)."
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

BASE = "https://example.org/sub/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

EXTRA_FILES = {
    "content/pages/gallery.md": (
        "---\ntitle: Gallery\n---\n"
        "![a pixel](/media/pixel.png) and [notes](/media/notes/readme.txt) "
        "and [the society](/organizations/analytical-society/).\n"
    ),
    "content/events/misc.yaml": (
        "- slug: alpha-event\n  title: Alpha Event\n  date: 2020-05\n  people: [ada]\n"
    ),
}
TRANSLATION_FILES = {
    "content/people/ada.zh-hant.md": "---\nname: 愛達·勒芙蕾絲\n---\n她寫了第一個程式。\n",
}


@pytest.fixture(
    scope="module",
    params=["one-language", "two-languages"],
)
def sub_site(request, site_factory):
    if request.param == "one-language":
        site = site_factory(EXTRA_FILES, base_url=BASE)
    else:
        site = site_factory(
            {**EXTRA_FILES, **TRANSLATION_FILES},
            base_url=BASE,
            toml_extra='languages = ["en", "zh-hant"]\n',
        )
    result = site.build()
    assert result.code == 0, result
    return site


def _html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def _page_url(out: Path, file: Path) -> str:
    rel = file.relative_to(out).as_posix()
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return BASE + rel


def _attr_values(file: Path, out: Path, sub_site) -> list[str]:
    from_url = _page_url(out, file)
    page = sub_site.page(from_url[len(BASE) - 1 :])
    return page.attr_values("href", "src")


def _target_exists(out: Path, path: str) -> bool:
    rel = unquote(path[len("/sub/") :])
    if rel == "" or rel.endswith("/"):
        return (out / rel / "index.html").is_file()
    return (out / rel).is_file() or (out / rel / "index.html").is_file()


def test_every_root_relative_href_and_src_starts_with_the_sub_path(sub_site):
    out = sub_site.out
    offending = []

    for file in _html_files(out):
        for value in _attr_values(file, out, sub_site):
            v = value.strip()
            if v.startswith("/") and not v.startswith("//") and not v.startswith("/sub/"):
                offending.append((file.relative_to(out).as_posix(), v))

    assert offending == []


def test_every_internal_link_resolves_to_a_built_file(sub_site):
    out = sub_site.out
    broken = []
    checked = 0

    for file in _html_files(out):
        page_url = _page_url(out, file)
        for value in _attr_values(file, out, sub_site):
            target = urlsplit(urljoin(page_url, value.strip()))
            if target.scheme not in ("http", "https") or target.netloc != "example.org":
                continue
            checked += 1
            if not target.path.startswith("/sub/") or not _target_exists(out, target.path):
                broken.append((file.relative_to(out).as_posix(), value))

    assert checked > 20, "expected many internal links in the built site"
    assert broken == []


def test_the_sitemap_lists_only_urls_under_the_sub_path(sub_site):
    root = ET.fromstring((sub_site.out / "sitemap.xml").read_bytes())
    locs = [(e.text or "").strip() for e in root.iter(SITEMAP + "loc")]

    assert locs
    assert all(loc.startswith(BASE) for loc in locs), locs
    assert BASE + "people/ada/" in locs


def test_the_feed_links_under_the_sub_path(sub_site):
    feed = (sub_site.out / "feed.xml").read_text(encoding="utf-8")

    assert BASE + "events/first-program/" in feed
    assert "https://example.org/events/" not in feed
