"""Social cards: a 1200×630 PNG per person and event in every language, named by og:image,
drawn in a font with CJK glyphs where the text needs them; cached between builds."""

from __future__ import annotations

import re

from PIL import Image

from chronicle.media import cards
from chronicle.media.cards import CardText, draw_card, find_fonts, wrap
from chronicle.model.lint import lint
from tests.conftest import besides_authoring
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


def test_the_cjk_font_has_real_glyphs_for_chinese_text():
    fonts = find_fonts("zh-hant")
    assert fonts.covers_cjk, "fonts-noto-cjk is installed by .ci/run"
    font = fonts.get(False, 40)
    tofu = bytes(font.getmask("\ue000"))  # a private-use character: the missing-glyph box
    for char in "巴布什金愛達":
        assert bytes(font.getmask(char)) != tofu, char


def test_without_a_cjk_font_cards_fall_back_with_a_clear_warning(make_site, monkeypatch):
    monkeypatch.setattr(cards.shutil, "which", lambda name: None)
    monkeypatch.setattr(cards, "NOTO_CJK", cards.Path("/nonexistent"))
    cards.find_fonts.cache_clear()
    try:
        site = make_site({"site.toml": TWO_LANGUAGES, "content/people/ada.zh-hant.md": CHINESE_ADA})
        result = site.build()
    finally:
        cards.find_fonts.cache_clear()
    warnings = besides_authoring(result, site.root)
    assert len(warnings) == 1
    assert re.search(
        r"warning: social cards: no font with CJK glyphs found .*fonts-noto-cjk", warnings[0]
    )
    assert (site.out / "zh-hant/people/ada/card.png").is_file(), "the card is still made"


def test_long_text_wraps_between_words_or_characters_and_is_cut_with_an_ellipsis():
    font = find_fonts("en").get(True, 60)
    lines = wrap("word " * 80, font, 600, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 600 for line in lines)
    chinese = wrap("時" * 60, find_fonts("zh-hant").get(True, 60), 600, 2)
    assert len(chinese) == 2 and len(chinese[0]) == 10


def test_a_card_shows_a_monogram_in_the_person_colour():
    text = CardText("people", "ada", "en", "Ada", "Analyst", "", "Site", 200, None, "A")
    image = draw_card(text, find_fonts("en"))
    assert image.size == (1200, 630)
    assert image.getpixel((260, 200)) == cards.hue_rgb(200), "inside the monogram's circle"
