"""Every page of the real site passes axe-core in Chromium with zero violations, in light and
dark mode; and the theme works from the keyboard alone.

axe-core is vendored (tests/browser/vendor/, MPL-2.0) so the test needs no network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def site_pages(browser, served_site: str) -> list[str]:
    """Every page of the site: each address in the sitemap, and the 404 page."""
    context = browser.new_context()
    try:
        sitemap = context.request.get(served_site + "sitemap.xml").text()
    finally:
        context.close()
    return [*re.findall(r"<loc>([^<]+)</loc>", sitemap), served_site + "404.html"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return json.loads(result)


def describe(url: str, violations: list[dict]) -> list[str]:
    return [
        f"{url}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_axe_violations(browser, served_site, scheme):
    assert AXE.is_file(), "tests/browser/vendor/axe.min.js is missing (see its README)"
    urls = site_pages(browser, served_site)
    assert len(urls) > 90
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    try:
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.ok, url
            problems += describe(url, axe_violations(page))
    finally:
        context.close()
    assert problems == []


def test_a_phone_in_dark_mode_has_no_axe_violations_on_the_main_pages(browser, served_site):
    context = browser.new_context(viewport={"width": 320, "height": 700}, color_scheme="dark")
    page = context.new_page()
    problems: list[str] = []
    try:
        for path in ["", "timeline/", "people/igor-babuschkin/", "zh-hant/timeline/"]:
            page.goto(served_site + path)
            problems += describe(path, axe_violations(page))
    finally:
        context.close()
    assert problems == []


def test_the_skip_link_is_the_first_stop_and_leads_to_the_main_content(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_site + "timeline/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == "#main"
        assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    finally:
        context.close()


def test_every_link_can_be_reached_by_tab_and_shows_a_visible_focus(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_site + "timeline/")
        links = page.evaluate("document.querySelectorAll('a[href]').length")
        reached = set()
        for _ in range(links + 5):
            page.keyboard.press("Tab")
            info = page.evaluate(
                """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return [e.tagName, e.getAttribute('href'), s.outlineStyle, s.outlineWidth]; }"""
            )
            if info[0] == "A":
                assert info[2] == "solid" and info[3] != "0px", info
                reached.add(info[1])
        hrefs = page.locator("a[href]").evaluate_all("all => all.map(a => a.getAttribute('href'))")
        assert set(hrefs) <= reached
    finally:
        context.close()


def test_a_screen_reader_gets_the_timeline_as_an_ordered_list_of_dated_events(browser, served_site):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(served_site + "timeline/")
        snapshot = page.locator("ol.timeline").aria_snapshot()
        # years are list items with a heading; each event is a list item that starts with its date
        assert "- list:" in snapshot and '- heading "2023" [level=2]' in snapshot
        first_lines = page.locator("ol.timeline ol.events > li > article").evaluate_all(
            "items => items.map(a => a.innerText.split('\\n')[0])"
        )
        assert len(first_lines) == 10  # every event of the site, each once
        assert first_lines[0] == "1954" and "12 July 2023" in first_lines
        hidden = page.locator("ol.timeline .rail").first.get_attribute("aria-hidden")
        assert hidden == "true", "the drawn line is decoration, hidden from screen readers"
    finally:
        context.close()
