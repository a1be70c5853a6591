"""Translations: `<file>.<lang>.md` beside the original, text only.

Contract: "A translation sits beside its original, named after the original's file:
`<file>.<lang>.md` (or `<name>.<lang>.yaml`, items matched by slug; it may cover only
some items). It overrides only text ... Slugs, dates and references always come from the
original; a translation that sets them is an error, and so is a translation without an
original or in a language that `site.toml` does not list. An untranslated item still has
its page in every language, showing the default language's text." "other languages
under `/<lang>/…`" "on a page in another language they lead to that language's version
of the target."
"""

from __future__ import annotations

import pytest

LANGS = 'languages = ["en", "zh-hant"]\n'

TRANSLATED = {
    "content/people/ada.zh-hant.md": (
        "---\nname: 愛達·勒芙蕾絲\nrole: 數學家\n---\n她寫了第一個程式。\n"
    ),
    "content/events/first-program.zh-hant.md": "---\ntitle: 第一個程式發表\n---\n筆記發表了。\n",
    "content/pages/about.zh-hant.md": "---\ntitle: 關於本站\n---\n見 [愛達](/people/ada/)。\n",
    "content/events/misc.yaml": (
        "- slug: alpha-event\n  title: Alpha Event\n  date: 2020\n"
        "- slug: beta-event\n  title: Beta Event\n  date: 2021\n"
    ),
    "content/events/misc.zh-hant.yaml": "- slug: alpha-event\n  title: 阿爾法事件\n",
}


@pytest.fixture(scope="module")
def bilingual(site_factory):
    site = site_factory(TRANSLATED, toml_extra=LANGS)
    result = site.build()
    assert result.code == 0, result
    return site


def test_a_translation_overrides_the_name_on_the_language_page(bilingual):
    page = bilingual.page("/zh-hant/people/ada/")

    assert "愛達·勒芙蕾絲" in page.text
    assert "她寫了第一個程式。" in page.text


def test_the_default_language_page_keeps_the_original_text(bilingual):
    page = bilingual.page("/people/ada/")

    assert "Ada Lovelace" in page.text
    assert "愛達·勒芙蕾絲" not in page.text


def test_an_untranslated_item_still_has_a_page_in_the_other_language(bilingual):
    page = bilingual.page("/zh-hant/people/charles/")

    assert "Charles Babbage" in page.text


def test_every_listing_exists_in_the_other_language(bilingual):
    urls = [
        "/zh-hant/",
        "/zh-hant/people/",
        "/zh-hant/organizations/",
        "/zh-hant/organizations/analytical-society/",
        "/zh-hant/events/first-program/",
        "/zh-hant/timeline/",
        "/zh-hant/tags/mathematics/",
        "/zh-hant/about/",
    ]

    missing = [u for u in urls if not bilingual.file(u).is_file()]

    assert missing == []


def test_a_translated_event_keeps_the_originals_date_and_references(bilingual):
    page = bilingual.page("/zh-hant/events/first-program/")

    assert "第一個程式發表" in page.text
    assert "1843-09" in [dt for dt, _ in page.times]
    assert page.links_to("https://example.org/zh-hant/people/ada/")


def test_a_site_relative_markdown_link_leads_to_the_same_language(bilingual):
    page = bilingual.page("/zh-hant/about/")

    assert page.links_to("https://example.org/zh-hant/people/ada/")


def test_a_yaml_translation_may_cover_only_some_items(bilingual):
    assert "阿爾法事件" in bilingual.page("/zh-hant/events/alpha-event/").text
    assert "Beta Event" in bilingual.page("/zh-hant/events/beta-event/").text
    assert "Alpha Event" in bilingual.page("/events/alpha-event/").text


@pytest.mark.parametrize(
    ("path", "text", "line", "field"),
    [
        (
            "content/people/ada.zh-hant.md",
            "---\nname: 愛達\nslug: ada-zh\n---\n",
            3,
            "slug",
        ),
        (
            "content/events/first-program.zh-hant.md",
            "---\ntitle: 第一個程式\ndate: 1850\n---\n",
            3,
            "date",
        ),
        (
            "content/events/first-program.zh-hant.md",
            "---\ntitle: 第一個程式\npeople: [ada]\n---\n",
            3,
            "people",
        ),
    ],
    ids=["slug", "date", "references"],
)
def test_a_translation_that_sets_slug_date_or_references_is_an_error(
    make_site, path, text, line, field
):
    site = make_site({path: text}, toml_extra=LANGS)

    result = site.build()

    assert result.code == 1, result
    result.expect_error(path, line=line, mentions=[field])


def test_a_translation_in_a_language_not_listed_is_an_error(make_site):
    site = make_site(
        {"content/people/ada.fr.md": "---\nname: Ada en français\n---\n"}, toml_extra=LANGS
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/ada.fr.md")


def test_a_translation_without_an_original_is_an_error(make_site):
    site = make_site(
        {"content/people/nobody.zh-hant.md": "---\nname: 無名氏\n---\n"}, toml_extra=LANGS
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/nobody.zh-hant.md")


def test_a_page_slug_equal_to_a_language_tag_is_an_error(make_site):
    site = make_site(
        {"content/pages/zh-hant.md": "---\ntitle: Chinese\n---\nText.\n"}, toml_extra=LANGS
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/pages/zh-hant.md")
