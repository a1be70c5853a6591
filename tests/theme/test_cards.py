"""Social cards: a 1200×630 PNG per person and event in every language, named by og:image,
drawn in the font the project ships (Noto Sans CJK, with no system font looked up), so that
Chinese text has real glyphs on every machine; cached between builds."""

from __future__ import annotations

import errno
import os
import re
import shutil

import pytest
from PIL import Image, ImageChops

from chronicle.errors import ChronicleError
from chronicle.media import fonts
from chronicle.media.carddraw import card_image
from chronicle.media.cards import CardText, card_texts
from chronicle.media.cardwrap import wrap
from chronicle.media.fonts import fonts_for
from chronicle.media.images import Gallery, hue_rgb
from chronicle.model.lint import lint
from tests.conftest import SiteDir, besides_authoring
from tests.metadata.head import read_head

TWO_LANGUAGES = (
    'title = "Test Site"\nbase_url = "https://example.org/"\nlanguages = ["en", "zh-hant"]\n'
)
CHINESE_ADA = "---\nname: 愛達·勒芙蕾絲\nrole: 分析師\n---\n"


def test_every_person_and_event_has_a_card_in_every_language(make_site):
    site = make_site({"site.toml": TWO_LANGUAGES, "content/people/ada.zh-hant.md": CHINESE_ADA})
    result = site.build()
    assert result.report.problems == lint(result.site, site.root).problems  # no card's
    for prefix in ("", "zh-hant/"):
        for page in ("people/ada/", "people/charles/", "events/notes/", "events/engine-designed/"):
            head = read_head(site.page(prefix + page + "index.html"))
            assert head.one("og:image") == f"https://example.org/{prefix}{page}card.png"
            assert head.one("og:image:width") == "1200"
            assert head.one("og:image:height") == "630"
            assert head.one("og:image:alt") == head.title
            assert head.one("twitter:card") == "summary_large_image"
            with Image.open(site.out / prefix / page / "card.png") as card:
                assert card.size == (1200, 630) and card.format == "PNG"
    # Pages without a card keep the small summary card.
    assert read_head(site.page("timeline/index.html")).one("twitter:card") == "summary"
    english = (site.out / "people/ada/card.png").read_bytes()
    assert english != (site.out / "zh-hant/people/ada/card.png").read_bytes()


def test_cards_are_drawn_once_and_then_taken_from_the_cache(make_site):
    site = make_site()
    assert site.build().images_made == 6  # two people, four events
    assert site.build().images_made == 0
    site.write("content/people/charles.md", "---\nname: Charles Babbage\nrole: Engineer\n---\n")
    assert site.build().images_made == 1, "only the changed card is drawn again"


@pytest.mark.parametrize(
    ("lang", "name", "role", "region"),
    [
        ("zh-hant", "伊戈爾·巴布什金", "共同創辦人", "Noto Sans CJK TC"),
        ("zh-hans", "伊戈尔·巴布什金", "联合创始人", "Noto Sans CJK SC"),
    ],
)
def test_chinese_cards_draw_real_glyphs_in_their_region_s_face(lang, name, role, region):
    found = fonts_for(lang)
    assert found.name == region
    font = found.get(False, 40)
    tofu = bytes(font.getmask("\ue000"))  # a private-use character: the missing-glyph box
    for char in name + role:
        assert bytes(font.getmask(char)) != tofu, char
    assert fonts.missing_glyphs(name + role, found) == ""
    # The card itself: its text drawn differs from boxes of the same count (tofu would be
    # the same box in every place).
    card = card_image(CardText("people", "x", lang, name, role, "", "紀事", 200), found)
    boxes = card_image(
        CardText(
            "people", "x", lang, "\ue000" * len(name), "\ue000" * len(role), "", "\ue000" * 2, 200
        ),
        found,
    )
    assert ImageChops.difference(card, boxes).getbbox() is not None


def test_bold_and_regular_are_the_font_s_own_weights():
    face = fonts_for("zh-hant")
    regular, bold = face.get(False, 60), face.get(True, 60)
    # Set by the weight axis, the widths are the weight's own (by the instance's name,
    # Pillow would keep the Thin widths): bold Latin text is wider than regular.
    assert bold.getlength("Igor Babuschkin") > regular.getlength("Igor Babuschkin")
    assert sum(bold.getmask("巴").getbbox() or ()) and bytes(bold.getmask("巴")) != bytes(
        regular.getmask("巴")
    )


def test_the_font_comes_from_the_pinned_package_and_never_from_the_system(monkeypatch):
    path = fonts.font_path()
    assert path.name == "NotoSansCJK-VF.otf.ttc" and "manimgx_fonts_cjk" in path.parts
    monkeypatch.setattr(shutil, "which", lambda name: pytest.fail(f"looked up {name}"))
    fonts.fonts_for.cache_clear()
    try:
        found = fonts_for("ja")
    finally:
        fonts.fonts_for.cache_clear()
    assert found.name == "Noto Sans CJK JP" and found.regular.index == 0
    # The cache key describes the font, never where this machine keeps it.
    assert str(path) not in repr(found)
    assert found.source[:2] == ("noto-sans-cjk-vf", "2.004")


def test_the_characters_taken_as_covered_without_asking_the_font_are_in_it():
    found = fonts_for("en")
    ranges = re.findall(r"(.)(?:-(.))?", fonts.COVERED)
    chars = []
    for first, last in ranges:
        span = range(ord(first), ord(last or first) + 1)
        step = 1 if len(span) < 300 else 97  # the large blocks by a sample, and their ends
        chars += [chr(c) for c in span[::step]] + [chr(span[-1])]
    assert len(chars) > 800
    assert [c for c in chars if not fonts._has_glyph(c, found)] == []


def test_cards_cached_on_one_machine_are_used_on_another(make_site, tmp_path):
    site = make_site({"site.toml": TWO_LANGUAGES, "content/people/ada.zh-hant.md": CHINESE_ADA})
    assert site.build().images_made == 12
    moved = tmp_path / "elsewhere"
    shutil.copytree(site.root, moved)
    shutil.rmtree(moved / "output")
    assert SiteDir(moved).build().images_made == 0, "the cache names hold no path"


def test_text_the_font_cannot_draw_is_one_warning_that_names_no_content_file(make_site):
    thai = "---\nname: สมชาย\nrole: Engineer\n---\n"
    site = make_site({"site.toml": TWO_LANGUAGES, "content/people/somchai.md": thai})
    result = site.build()
    warnings = besides_authoring(result, site.root)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("site.toml:1:1: warning: social cards: 2 card(s) hold ")
    assert "`ส` (U+0E2A)" in warnings[0] and "content/" not in warnings[0]
    assert (site.out / "people/somchai/card.png").is_file(), "the card is still made"


def test_chinese_text_needs_no_warning(make_site):
    site = make_site({"site.toml": TWO_LANGUAGES, "content/people/ada.zh-hant.md": CHINESE_ADA})
    assert besides_authoring(site.build(), site.root) == []


def test_long_text_wraps_between_words_or_characters_and_is_cut_with_an_ellipsis():
    font = fonts_for("en").get(True, 60)
    lines = wrap("word " * 80, font, 600, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 600 for line in lines)
    chinese = wrap("時" * 60, fonts_for("zh-hant").get(True, 60), 600, 2)
    assert len(chinese) == 2 and len(chinese[0]) == 10


def test_a_card_shows_a_monogram_in_the_person_colour():
    text = CardText("people", "ada", "en", "Ada", "Analyst", "", "Site", 200, None, "A")
    image = card_image(text, fonts_for("en")).convert("RGB")
    assert image.size == (1200, 630)
    assert image.getpixel((260, 200)) == hue_rgb(200), "inside the monogram's circle"


def test_a_missing_font_package_is_one_line_that_says_how_to_install_it(make_site, monkeypatch):
    monkeypatch.setattr(fonts, "PACKAGE", "no_such_font_package")
    fonts.font_path.cache_clear()
    fonts.load.cache_clear()
    try:
        with pytest.raises(ChronicleError) as info:
            make_site().build()
    finally:
        fonts.font_path.cache_clear()
        fonts.load.cache_clear()
    message = str(info.value)
    assert "\n" not in message and info.value.exit_code == 2
    assert "manimgx-fonts-cjk is not installed; run `make build`" in message


def test_the_output_s_cards_are_read_only_links_to_the_cached_ones(make_site):
    site = make_site()
    site.build()
    card = site.out / "people/ada/card.png"
    cached = [p for p in (site.root / ".cache/cards").iterdir() if p.samefile(card)]
    assert len(cached) == 1, "a second name of the cached card, not a copy"
    assert not card.stat().st_mode & 0o222, "read-only: an edit cannot reach the cache"


def test_cards_are_copied_where_the_output_cannot_link_to_the_cache(make_site, monkeypatch):
    def other_file_system(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    site = make_site()
    monkeypatch.setattr(os, "link", other_file_system)
    site.build()
    card = site.out / "people/ada/card.png"
    assert card.stat().st_nlink == 1
    with Image.open(card) as image:
        assert image.size == (1200, 630)


def test_an_event_card_lists_its_people_and_dates_as_the_page_does(make_site):
    site = make_site(
        {
            "site.toml": TWO_LANGUAGES,
            "content/people/ada.zh-hant.md": CHINESE_ADA,
            "content/people/charles.zh-hant.md": "---\nname: 查爾斯·巴貝奇\n---\n",
        }
    )
    result = site.build()
    texts = {
        (entry.slug, lang): make().detail
        for entry, lang, _drawn, make in card_texts(result.site, Gallery())
        if entry.slug == "meeting"
    }
    assert texts["meeting", "en"] == "Ada Lovelace and Charles Babbage"
    assert texts["meeting", "zh-hant"] == "愛達·勒芙蕾絲和查爾斯·巴貝奇"
