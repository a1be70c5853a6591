"""Social cards are drawn in palette indices from glyphs rasterised once, and compressed
mostly once per build: the cards look as the true-colour drawing (card_reference.py) does,
within a stated tolerance, wrap their text into the same lines, and are valid PNGs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageStat

from chronicle.media import cardink, cards, cardwrap
from chronicle.media.carddraw import card_image, card_png
from chronicle.media.cards import CardText
from chronicle.media.cardwrap import wrap
from chronicle.media.fonts import fonts_for
from tests.theme import card_reference

# Each blend is held in 32 steps: a coverage is off by at most 1/64, which is 3.5 levels of
# the widest blend (ink over paper); rounding adds one. The mean stays far below one level.
MAX_CHANNEL_DIFFERENCE = 8
MEAN_CHANNEL_DIFFERENCE = 0.1

LONG_ROLE = (
    "Co-founder and chief executive of a company whose description wraps over three lines "
    "and then goes on for a good many more words than fit"
)
LONG_TITLE = (
    "A very long event title that goes on and on over three lines of the card and is then "
    "cut with an ellipsis somewhere near the end of it"
)
CASES = {
    "latin person, two-letter monogram": CardText(
        "people", "ada", "en", "Ada Lovelace", "Analyst", "", "Chronicle", 200, None, "AL"
    ),
    "zh-hant person, CJK monogram": CardText(
        "people", "igor", "zh-hant", "伊戈爾·巴布什金", "共同創辦人", "", "紀事", 120, None, "伊"
    ),
    "zh-hans event": CardText(
        "events",
        "xai",
        "zh-hans",
        "xAI 成立",
        "伊戈尔·巴布什金、埃隆·马斯克",
        "2023年7月12日",
        "纪事",
        33,
    ),
    "3-line heading with ellipsis": CardText(
        "people", "long", "en", LONG_TITLE, "Engineer", "", "Chronicle", 10, None, "AV"
    ),
    "text reaching the footer": CardText(
        "events",
        "e",
        "en",
        LONG_TITLE,
        LONG_ROLE,
        "12 July 2023 – 14 August 2024",
        "Chronicle",
        300,
    ),
}


def photo(folder: Path) -> Path:
    """A portrait with detail in it (a gradient), as the cache keeps them: square."""
    image = Image.linear_gradient("L").resize((600, 600)).convert("RGB")
    ImageDraw.Draw(image).ellipse((150, 100, 450, 400), fill=(200, 120, 60))
    path = folder / "ada-600.jpg"
    image.save(path, "JPEG", quality=90)
    return path


def within_tolerance(text: CardText) -> tuple[int, float]:
    """The largest and the mean difference of any channel between the card, as its PNG
    decodes, and the reference drawing."""
    fonts = fonts_for(text.lang)
    with Image.open(io.BytesIO(card_png(text, fonts))) as decoded:
        new = decoded.convert("RGB")
    diff = ImageChops.difference(card_reference.draw_card(text, fonts), new)
    largest = max(high for _low, high in diff.getextrema())
    return largest, sum(ImageStat.Stat(diff).mean) / 3


@pytest.mark.parametrize("case", CASES)
def test_a_card_differs_from_the_reference_drawing_by_at_most_the_tolerance(case):
    largest, mean = within_tolerance(CASES[case])
    assert largest <= MAX_CHANNEL_DIFFERENCE and mean <= MEAN_CHANNEL_DIFFERENCE, (largest, mean)


def test_a_portrait_card_differs_from_the_reference_by_at_most_the_tolerance(tmp_path):
    text = CardText("people", "ada", "en", "Ada Lovelace", "Analyst", "", "Chronicle", 200)
    text = CardText(**{**text.__dict__, "portrait": photo(tmp_path), "monogram": "AL"})
    largest, mean = within_tolerance(text)
    assert largest <= MAX_CHANNEL_DIFFERENCE and mean <= MEAN_CHANNEL_DIFFERENCE, (largest, mean)
    with Image.open(io.BytesIO(card_png(text, fonts_for("en")))) as decoded:
        assert decoded.mode == "RGB", "a photograph is kept in true colour"
        assert decoded.getpixel((260, 270)) != decoded.getpixel((260, 420)), "the photo's detail"


def test_the_cases_show_what_they_are_named_for():
    font = fonts_for("en").get(True, 60)
    heading = card_reference.wrap(LONG_TITLE, font, 1200 - 200 - 90, 3)
    assert len(heading) == 3 and heading[-1].endswith("…")
    image = card_image(CASES["text reaching the footer"], fonts_for("en"))
    assert image.mode == "RGB", "drawn in true colour: the footer blends over the text"
    assert card_image(CASES["zh-hans event"], fonts_for("zh-hans")).mode == "P"
    detail = card_reference.wrap(LONG_ROLE, fonts_for("en").get(False, 36), 910, 3)
    assert len(detail) == 3, "three lines of detail below three of heading reach the footer"


def test_a_card_is_the_same_image_whether_taken_as_pixels_or_from_its_png():
    for case in CASES.values():
        fonts = fonts_for(case.lang)
        with Image.open(io.BytesIO(card_png(case, fonts))) as decoded:
            decoded.load()
            drawn = card_image(case, fonts)
            assert decoded.mode == drawn.mode
            same = ImageChops.difference(decoded.convert("RGB"), drawn.convert("RGB"))
            assert same.getbbox() is None, case


@pytest.mark.parametrize("lang", ["en", "zh-hant", "zh-hans", "ja"])
def test_a_line_composed_from_cached_glyphs_is_the_line_drawn_whole(lang):
    lines = [
        "Ada Lovelace, Analyst",
        "伊戈爾·巴布什金",
        "联合创始人 xAI",
        "1,000–2,000 … “Wa”",
        "Jyväskylä Łódź ffi",
    ]
    for bold, size in [(True, 68), (True, 60), (False, 38), (False, 36), (True, 30)]:
        font = fonts_for(lang).get(bold, size)
        for line in lines:
            whole = Image.new("L", (1400, 200), 0)
            ImageDraw.Draw(whole).text((10, 10), line, font=font, fill=255)
            tile, dx, dy = cardink.coverage(line, font)
            composed = Image.new("L", (1400, 200), 0)
            composed.paste(tile, (10 + dx, 10 + dy))
            assert ImageChops.difference(whole, composed).getbbox() is None, (line, size)


# Text as authors write it: Latin words, CJK runs, punctuation, and long unbroken words.
WORDS = st.one_of(
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzAVTWLY.,'-–"), min_size=1, max_size=30),
    st.text(
        st.sampled_from("伊戈爾巴布什金共同創辦人联合创始人・、。「」年月日ーカタかなㄅ한국"),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["xAI", "2023", "…", "“quoted”", "Łódź", "naïve", "Jyväskylä"]),
)
SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u3000", ""])
TEXT = st.lists(st.tuples(WORDS, SPACES), max_size=30).map(
    lambda parts: "".join(a + b for a, b in parts)
)
FONT = st.sampled_from(
    [
        (lang, bold, size)
        for lang in ("en", "zh-hans")
        for bold, size in [(True, 68), (True, 60), (False, 38), (False, 36), (True, 30)]
    ]
)


@given(text=TEXT, width=st.integers(1, 1200), max_lines=st.integers(1, 4), face=FONT)
def test_wrap_gives_the_reference_s_lines_for_any_text_and_width(text, width, max_lines, face):
    lang, bold, size = face
    font = fonts_for(lang).get(bold, size)
    assert wrap(text, font, width, max_lines) == card_reference.wrap(text, font, width, max_lines)


@given(
    kind=st.sampled_from(["people", "events"]),
    lang=st.sampled_from(["en", "zh-hant", "zh-hans", "ja"]),
    heading=TEXT,
    detail=TEXT,
    kicker=st.one_of(st.just(""), TEXT),
    title=TEXT,
    hue=st.integers(0, 359),
    monogram=st.sampled_from(["AL", "伊", "?", "W"]),
)
def test_every_card_is_a_valid_1200_by_630_png(
    kind, lang, heading, detail, kicker, title, hue, monogram
):
    text = CardText(kind, "x", lang, heading, detail, kicker, title, hue, None, monogram)
    data = card_png(text, fonts_for(lang))
    with Image.open(io.BytesIO(data)) as checked:
        checked.verify()  # chunk checksums and structure
    with Image.open(io.BytesIO(data)) as decoded:
        decoded.load()  # the zlib stream and its checksum
        assert decoded.format == "PNG" and decoded.size == (1200, 630)
        assert decoded.mode in ("P", "RGB")


def test_cards_cached_under_another_recipe_are_drawn_again(make_site, monkeypatch):
    site = make_site()
    assert site.build().images_made == 6
    assert site.build().images_made == 0, "a second build draws none"
    monkeypatch.setattr(cards, "RECIPE", cards.RECIPE + "-next")
    assert site.build().images_made == 6


def test_a_font_that_kerns_is_wrapped_and_drawn_line_by_line_as_before(monkeypatch):
    # Noto Sans CJK has no kerning table; a font with one is measured and drawn whole.
    monkeypatch.setattr(cardwrap, "kerns", lambda font: True)
    monkeypatch.setattr(cardink, "kerns", lambda font: True)
    font = fonts_for("en").get(True, 60)
    for text in (LONG_TITLE, LONG_ROLE, "伊戈爾·巴布什金" * 6):
        assert wrap(text, font, 600, 3) == card_reference.wrap(text, font, 600, 3)
        line = wrap(text, font, 600, 3)[0]
        whole = Image.new("L", (900, 200), 0)
        ImageDraw.Draw(whole).text((10, 10), line, font=font, fill=255)
        tile, dx, dy = cardink.coverage(line, font)
        drawn = Image.new("L", (900, 200), 0)
        drawn.paste(tile, (10 + dx, 10 + dy))
        assert ImageChops.difference(whole, drawn).getbbox() is None
