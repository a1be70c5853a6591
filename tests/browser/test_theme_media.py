"""The theme under other media: print (a profile is one clean page), reduced motion, and
images that keep their place while they load."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["people/max-tegmark/", "zh-hant/people/max-tegmark/"])
def test_a_short_profile_prints_on_one_page_without_navigation(browser, served_site, path):
    page = browser.new_page()
    try:
        page.goto(served_site + path)
        page.emulate_media(media="print")
        for hidden in (".masthead nav", ".colophon", ".rail", ".skip"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("h1").is_visible()
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    finally:
        page.close()


def test_reduced_motion_turns_off_smooth_scrolling(browser, served_site):
    for motion, expected in (("no-preference", "smooth"), ("reduce", "auto")):
        context = browser.new_context(reduced_motion=motion)
        page = context.new_page()
        try:
            page.goto(served_site + "timeline/")
            behaviour = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
            assert behaviour == expected, motion
        finally:
            context.close()


def test_nothing_shifts_while_the_timeline_loads(browser, served_site):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.add_init_script(
            """window.__shift = 0; new PerformanceObserver(list => { for (const e of
            list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
            .observe({type: 'layout-shift', buffered: true});"""
        )
        page.goto(served_site + "timeline/")
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__shift") < 0.01
    finally:
        page.close()


def test_the_timeline_runs_two_sided_on_wide_screens_and_in_one_column_on_phones(
    browser, served_site
):
    for width, columns in ((1280, 3), (390, 2)):
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(served_site + "timeline/")
            template = page.evaluate(
                "getComputedStyle(document.querySelector('.timeline .event')).gridTemplateColumns"
            )
            assert len(template.split()) == columns, (width, template)
        finally:
            page.close()
