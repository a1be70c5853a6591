"""Drawing a card: its fixed parts once per build, its text and avatar per card.

The stripe, the timeline's rule, the footer's rule and the site's title are the same on
every card of a kind (only the hue differs, and that is a palette entry), so they are drawn
once, as a template in palette indices (cardink). A card is a copy of the template with its
text and monogram pasted in, saved as an indexed PNG (cardpng). A card with a portrait, or
whose text runs into the footer (which is drawn over the text, blending into it), is
finished in true colour.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from chronicle.media.cardink import (
    ACCENT,
    HEIGHT,
    HUE_I,
    HUE_ON_PAPER,
    INK,
    LINE,
    LINE_I,
    MASK,
    MUTED,
    PAPER_I,
    WHITE_ON_HUE,
    WIDTH,
    Placed,
    lay_out,
    lut,
    palette,
    reach,
)
from chronicle.media.cardpng import banded_png, plain_png
from chronicle.media.cardwrap import wrap

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

    from chronicle.media.cards import CardText
    from chronicle.media.fonts import Fonts

X0 = 1  # a first column of index 0: each row of the canvas is then a PNG scanline
AVATAR, AVATAR_AT = 300, (110, 165)
LEFT = {"people": 470, "events": 200}  # where the text starts
FOOTER = HEIGHT - 120  # the footer's rule; the site's title is below it
TOP = 120  # the rows above are the template's on every card (the text starts at 130)


@functools.lru_cache(maxsize=64)
def template(kind: str, site_title: str, fonts: Fonts, footer: bool = True) -> PILImage:
    """The parts every card of a kind has, in palette indices."""
    from PIL import Image, ImageDraw

    canvas = Image.new("P", (X0 + WIDTH, HEIGHT), PAPER_I)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((X0, 0, X0 + 24, HEIGHT), fill=HUE_I)
    if kind == "events":  # the site's timeline, in miniature: a rule with a marker at the event
        draw.line((X0 + 130, 0, X0 + 130, HEIGHT), fill=LINE_I, width=6)
        draw.ellipse((X0 + 112, 150, X0 + 148, 186), fill=HUE_I, outline=PAPER_I, width=6)
    if footer:
        left = LEFT[kind]
        draw.line((X0 + left, FOOTER, X0 + WIDTH - 90, FOOTER), fill=LINE_I, width=3)
        title, _y = lay_out(
            site_title, fonts.get(True, 30), ACCENT, (X0 + left, HEIGHT - 98), WIDTH - left - 90, 1
        )
        _paste(canvas, title)
    return canvas


@functools.cache
def _circle(size: int) -> PILImage:
    """A disc's coverage with a smooth edge: drawn at twice the size, then reduced."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size * 2 - 1, size * 2 - 1), fill=255)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=512)
def _monogram(letters: str, fonts: Fonts) -> tuple[PILImage, PILImage]:
    """The avatar in palette indices (its colour is the card's hue) and its paste mask."""
    from PIL import Image, ImageDraw

    size = AVATAR
    font = fonts.get(True, size // 3 if len(letters) > 1 else size * 2 // 5)
    circle = _circle(size)
    face = circle.point(lut(HUE_ON_PAPER))
    text = Image.new("L", (size, size), 0)
    ImageDraw.Draw(text).text((size / 2, size / 2), letters, font=font, fill=255, anchor="mm")
    face.paste(text.point(lut(WHITE_ON_HUE)), (0, 0), text.point(MASK))
    return face, circle.point(MASK)


def _paste(canvas: PILImage, placed: list[Placed]) -> None:
    for indices, mask, x, y in placed:
        canvas.paste(indices, (x, y), mask)


def _text(text: CardText, fonts: Fonts) -> list[Placed]:
    """The card's kicker, heading and detail, laid out from the top."""
    left = X0 + LEFT[text.kind]
    width = WIDTH - LEFT[text.kind] - 90
    y = 130
    placed: list[Placed] = []
    if text.kicker:
        lines, y = lay_out(text.kicker, fonts.get(False, 38), ACCENT, (left, y), width, 1)
        placed, y = lines, y + 18
    size = 68 if text.kind == "people" else 60
    lines, y = lay_out(text.heading, fonts.get(True, size), INK, (left, y), width, 3)
    placed, y = placed + lines, y + 18
    if text.detail:
        placed += lay_out(text.detail, fonts.get(False, 36), MUTED, (left, y), width, 3)[0]
    return placed


def card_png(text: CardText, fonts: Fonts) -> bytes:
    """The card as PNG bytes: only the rows of its band (text and avatar) are drawn on and
    compressed; the others are its template's."""
    placed = _text(text, fonts)
    top, bottom = reach(placed)
    under_footer = bottom > FOOTER - 2  # the rule is 3 px wide, centred on FOOTER
    if text.portrait is not None or under_footer:
        return plain_png(card_image(text, fonts))
    base = template(text.kind, text.site_title, fonts)
    if text.kind == "people":
        bottom = max(bottom, AVATAR_AT[1] + AVATAR)
    top = min(top, TOP)
    bottom = min(max(-(-bottom // 16) * 16, top + 16), HEIGHT)  # few band ends per build
    band = base.crop((0, top, base.width, bottom))
    _draw(band, text, fonts, placed, top)
    return banded_png(band.tobytes(), base, (top, bottom), palette(text.hue)[: 3 * 256])


def _draw(canvas: PILImage, text: CardText, fonts: Fonts, placed: list[Placed], top: int) -> None:
    """The monogram and the text, on a canvas whose first row is the card's row `top`."""
    if text.kind == "people" and text.portrait is None:
        face, mask = _monogram(text.monogram, fonts)
        canvas.paste(face, (X0 + AVATAR_AT[0], AVATAR_AT[1] - top), mask)
    for indices, mask, x, y in placed:
        canvas.paste(indices, (x, y - top), mask)


def card_image(text: CardText, fonts: Fonts) -> PILImage:
    """The card as an image: in palette indices, or in true colour (see the module)."""
    from PIL import Image, ImageDraw

    placed = _text(text, fonts)
    under_footer = reach(placed)[1] > FOOTER - 2
    base = template(text.kind, text.site_title, fonts, footer=not under_footer)
    canvas = base.copy()
    _draw(canvas, text, fonts, placed, 0)
    canvas = canvas.crop((X0, 0, X0 + WIDTH, HEIGHT))
    canvas.putpalette(palette(text.hue))
    if text.portrait is None and not under_footer:
        return canvas
    image = canvas.convert("RGB")
    if text.portrait is not None:
        with Image.open(text.portrait) as opened:
            face = opened.convert("RGB").resize((AVATAR, AVATAR), Image.Resampling.LANCZOS)
        image.paste(face, AVATAR_AT, _circle(AVATAR))
    if under_footer:  # as drawn over the text: the title blends into what it covers
        draw = ImageDraw.Draw(image)
        left = LEFT[text.kind]
        draw.line((left, FOOTER, WIDTH - 90, FOOTER), fill=LINE, width=3)
        font = fonts.get(True, 30)
        for line in wrap(text.site_title, font, WIDTH - left - 90, 1):
            draw.text((left, HEIGHT - 98), line, font=font, fill=ACCENT)
    return image
