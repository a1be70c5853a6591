"""Markdown bodies: the extensions the contract lists, and HTML sanitizing.

Contract: "CommonMark with tables, strikethrough, footnotes and heading anchors. Raw HTML
is sanitized with an allowlist like GitHub's (`<details>`, `<summary>`, `<kbd>`, `<sup>`,
`<sub>`, `<br>` ... pass; `<script>`, `<style>`, `<iframe>`, event-handler attributes
and unsafe URLs never reach the page). Links starting with `/` are site-relative: they
are rewritten for the sub-path of `base_url`."
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

BODY = """\
---
title: Markdown Showcase
---
## Early Life

| Column A | Column B |
|----------|----------|
| cell-a1  | cell-b1  |

This was ~~struck out~~ later.

A claim with a note.[^1]

[^1]: The footnote text lives here.

<details><summary>Show more</summary>Hidden detail text.</details>

Press <kbd>Ctrl</kbd> and H<sub>2</sub>O and x<sup>2</sup>.

<script>alert("pwned-script")</script>

<style>.pwned-style { display: none }</style>

<iframe src="https://evil.example/pwned-frame"></iframe>

<img src="/media/pixel.png" alt="pixel" onerror="alert('pwned-handler')">

<a href="javascript:alert('pwned-raw')">raw link</a>

[bad link](javascript:alert(1)) and [upper bad](JAVASCRIPT:alert(2))

[good link](https://example.com/fine)
"""


@pytest.fixture(scope="module")
def showcase(site_factory):
    site = site_factory({"content/pages/showcase.md": BODY})
    result = site.build()
    assert result.code == 0, result
    return site.page("/showcase/")


def test_tables_render(showcase):
    assert showcase.elements("table")
    assert "cell-b1" in showcase.text


def test_strikethrough_renders(showcase):
    assert showcase.elements("del") or showcase.elements("s")
    assert "~~" not in showcase.text


def test_footnotes_render(showcase):
    assert "The footnote text lives here." in showcase.text
    assert "[^1]" not in showcase.text
    assert showcase.elements("sup")


def test_headings_get_anchors(showcase):
    assert any(attrs.get("id") for attrs in showcase.elements("h2")), showcase.elements("h2")


def test_details_summary_and_kbd_survive(showcase):
    assert showcase.elements("details")
    assert showcase.elements("summary")
    assert "Show more" in showcase.text
    assert showcase.elements("kbd")
    assert showcase.elements("sub")


def test_a_script_in_the_body_never_reaches_the_page(showcase):
    assert not any("pwned-script" in s for s in showcase.script_texts)
    assert "<script>alert" not in showcase.html


def test_style_and_iframe_never_reach_the_page(showcase):
    assert not any("pwned-style" in s for s in showcase.script_texts)
    assert not any("pwned-frame" in attrs.get("src", "") for attrs in showcase.elements("iframe"))


def test_event_handler_attributes_are_removed(showcase):
    for tag, attrs in showcase.tags:
        for name, value in attrs.items():
            assert not (name.startswith("on") and "pwned" in value), (tag, attrs)


def test_javascript_urls_never_become_an_href(showcase):
    unsafe = [h for h in showcase.hrefs if h.strip().lower().startswith("javascript:")]

    assert unsafe == []
    assert "https://example.com/fine" in showcase.hrefs


def test_a_site_relative_link_is_rewritten_for_the_sub_path(make_site):
    site = make_site(base_url="https://example.org/sub/")

    result = site.build()

    assert result.code == 0, result
    page = site.page("/about/")
    assert page.links_to("https://example.org/sub/people/ada/")
    assert "/people/ada/" not in page.hrefs


def test_a_media_link_is_rewritten_for_the_sub_path(make_site):
    site = make_site(
        {"content/pages/gallery.md": "---\ntitle: Gallery\n---\n![a pixel](/media/pixel.png)\n"},
        base_url="https://example.org/sub/",
    )

    result = site.build()

    assert result.code == 0, result
    page = site.page("/gallery/")
    sources = [urljoin(page.url, a.get("src", "")) for a in page.elements("img")]
    assert "https://example.org/sub/media/pixel.png" in sources
    assert (site.out / "media" / "pixel.png").is_file()
