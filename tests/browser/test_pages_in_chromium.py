"""The built pages in a real browser: readable without JavaScript, on a phone and a desktop."""

import pytest

pytestmark = pytest.mark.browser


def open_page(browser, url, *, width=1280, javascript=False):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.status == 200
    return context, page


def test_timeline_reads_in_order_without_javascript(browser, served_site):
    context, page = open_page(browser, served_site + "timeline/")
    try:
        years = page.locator(".year > h2").all_inner_texts()
        assert years == sorted(years) and "2023" in years
        titles = page.locator(".timeline .event-title").all_inner_texts()
        assert titles.index("X.AI Corp is incorporated in Nevada") < titles.index(
            "xAI is announced publicly"
        )
        assert page.locator("time[datetime='2023-07-12']").first.inner_text() == "12 July 2023"
        stylesheet = page.evaluate(
            "getComputedStyle(document.querySelector('.event article')).borderRadius"
        )
        assert stylesheet == "10px", "the stylesheet loads under the sub-path"
    finally:
        context.close()


def test_a_deep_link_lands_on_the_event(browser, served_site):
    context, page = open_page(
        browser, served_site + "timeline/#memphis-supercluster-starts-training"
    )
    try:
        target = page.locator(":target")
        assert target.get_attribute("id") == "memphis-supercluster-starts-training"
        assert target.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "timeline/", "people/igor-babuschkin/", "zh-hant/timeline/"])
def test_pages_fit_a_320px_phone_without_sideways_scrolling(browser, served_site, path):
    context, page = open_page(browser, served_site + path, width=320)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_following_links_from_a_profile_reaches_the_organization(browser, served_site):
    context, page = open_page(browser, served_site + "people/igor-babuschkin/")
    try:
        page.locator(".ties a", has_text="xAI").first.click()
        page.wait_for_load_state()
        assert page.url == served_site + "organizations/xai/"
        assert page.locator("h1").inner_text() == "xAI"
    finally:
        context.close()


def test_a_chinese_name_breaks_only_between_its_parts(browser, served_site):
    """Squeezed below its width, 伊戈爾·巴布什金 wraps at the dot, never inside a part."""
    context, page = open_page(browser, served_site + "zh-hant/people/igor-babuschkin/", width=320)
    try:
        second_line = page.evaluate(
            """() => {
                const h1 = document.querySelector('h1');
                const text = h1.firstChild;
                const whole = document.createRange();
                whole.selectNodeContents(text);
                h1.style.width = (whole.getBoundingClientRect().width * 0.8) + 'px';
                const tops = [];
                for (let i = 0; i < text.length; i++) {
                    const range = document.createRange();
                    range.setStart(text, i);
                    range.setEnd(text, i + 1);
                    tops.push(Math.round(range.getBoundingClientRect().top));
                }
                const first = tops[0];
                return [...text.data].filter((_, i) => tops[i] !== first).join('');
            }"""
        )
        assert second_line == "巴布什金"
    finally:
        context.close()
