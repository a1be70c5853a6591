"""A card's colours as palette indices, and its text drawn straight into them.

Every colour a card has is known: the paper, the rule, three inks, the entry's hue and
white. Text and the circle's smooth edge are its only anti-aliased parts, and each blends
one colour over one other, so the palette holds each blend in LEVELS steps. A card is then
composed in 8-bit indices (a third of the bytes of RGB, and far quicker to compress), and
its text from glyphs rasterised once per build: Pillow draws a line (basic layout) as its
glyphs at whole-pixel pen positions, added together, so the glyphs pasted one by one give
the same coverage as drawing the line whole (tests/theme/test_cards.py compares them).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from chronicle.media.cardwrap import kerns, wrap
from chronicle.media.images import hue_rgb

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from PIL.ImageFont import FreeTypeFont

RGB = tuple[int, int, int]

WIDTH, HEIGHT = 1200, 630
PAPER: RGB = (251, 250, 247)
INK: RGB = (29, 35, 43)
MUTED: RGB = (84, 93, 105)
ACCENT: RGB = (31, 79, 138)
LINE: RGB = (217, 212, 202)
WHITE: RGB = (255, 255, 255)

LEVELS = 32  # steps of each blend: coverage is off by at most 1/64, a few levels of a channel
PAPER_I, LINE_I, HUE_I = 0, 1, 2
INKS = {INK: 3, MUTED: 3 + LEVELS, ACCENT: 3 + 2 * LEVELS}  # each over the paper
WHITE_ON_HUE = 3 + 3 * LEVELS  # a monogram's letters
HUE_ON_PAPER = 3 + 4 * LEVELS  # the edge of a monogram's circle
USED = 3 + 5 * LEVELS  # palette entries


def _blend(under: RGB, over: RGB, level: int) -> list[int]:
    return [round(u + (o - u) * level / LEVELS) for u, o in zip(under, over, strict=True)]


def _ramp(under: RGB, over: RGB) -> list[int]:
    return [c for level in range(1, LEVELS + 1) for c in _blend(under, over, level)]


@functools.cache
def _fixed_palette() -> tuple[int, ...]:
    flat = [*PAPER, *LINE, 0, 0, 0]  # the hue's entry is filled in per card
    for ink in INKS:
        flat += _ramp(PAPER, ink)
    return tuple(flat)


@functools.lru_cache(maxsize=360)
def palette(hue: int) -> list[int]:
    """The palette of a card in this hue (monogram_hue gives 360)."""
    colour = hue_rgb(hue)
    flat = list(_fixed_palette())
    flat[3 * HUE_I : 3 * HUE_I + 3] = colour
    return flat + _ramp(colour, WHITE) + _ramp(PAPER, colour)


def level(coverage: int) -> int:
    """The step of a blend nearest to a coverage of 0..255."""
    return round(coverage * LEVELS / 255)


@functools.cache
def lut(base: int) -> list[int]:
    """Coverage 0..255 -> palette index of the blend that starts at `base`; no coverage is
    what lies under it (the paper, or the hue under a monogram's letters)."""
    under = HUE_I if base == WHITE_ON_HUE else PAPER_I
    return [base + level(v) - 1 if level(v) else under for v in range(256)]


# Coverage -> a paste mask: a pixel too faint to reach the first step is left as it was.
MASK = [255 if level(v) else 0 for v in range(256)]


def _box(font: FreeTypeFont, text: str) -> tuple[int, int, int, int]:
    """The ink's box, in whole pixels (as the basic layout gives it without an anchor)."""
    left, top, right, bottom = font.getbbox(text)
    return int(left), int(top), int(right), int(bottom)


@functools.lru_cache(maxsize=16384)
def _glyph(font: FreeTypeFont, char: str) -> tuple[PILImage | None, int, int, float]:
    """A character's coverage as ImageDraw.text draws it, its offset and its advance."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = _box(font, char)
    width = font.getlength(char)
    if right <= left or bottom <= top:
        return None, left, top, width
    tile = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(tile).text((-left, -top), char, font=font, fill=255)
    return tile, left, top, width


def coverage(text: str, font: FreeTypeFont) -> tuple[PILImage, int, int]:
    """The line's coverage as ImageDraw.text draws it at (0, 0), and where the tile's
    corner lies from there: composed from cached glyphs, or drawn whole if the font kerns."""
    from PIL import Image, ImageDraw

    if kerns(font):
        left, _top, right, bottom = _box(font, text)
        shift = min(left, 0)
        tile = Image.new("L", (max(right - shift, 1), max(bottom, 1)), 0)
        ImageDraw.Draw(tile).text((-shift, 0), text, font=font, fill=255)
        return tile, shift, 0
    placed: list[tuple[PILImage, int, int]] = []
    pen = 0.0
    for char in text:
        glyph, left, top, width = _glyph(font, char)
        if glyph is not None:
            placed.append((glyph, int(pen) + left, top))
        pen += width
    if not placed:
        return Image.new("L", (1, 1), 0), 0, 0
    x0 = min(x for _glyph_, x, _top in placed)
    y0 = min(top for _glyph_, _x, top in placed)
    x1 = max(x + glyph.width for glyph, x, _top in placed)
    y1 = max(top + glyph.height for glyph, _x, top in placed)
    tile = Image.new("L", (x1 - x0, y1 - y0), 0)
    for glyph, x, top in placed:
        tile.paste(255, (x - x0, top - y0), glyph)
    return tile, x0, y0


@functools.lru_cache(maxsize=512)  # lines that repeat across cards: dates, roles, the title
def _line(text: str, font: FreeTypeFont, base: int) -> tuple[PILImage, PILImage, int, int]:
    tile, dx, dy = coverage(text, font)
    return tile.point(lut(base)), tile.point(MASK), dx, dy


Placed = tuple["PILImage", "PILImage", int, int]  # indices, mask, x, y of a line's tile


def lay_out(
    text: str, font: FreeTypeFont, ink: RGB, at: tuple[int, int], width: int, max_lines: int
) -> tuple[list[Placed], int]:
    """The tiles of wrapped text and where they go, and the y below it."""
    x, y = at
    line_height = round(font.size * 1.25)
    placed: list[Placed] = []
    for line in wrap(text, font, width, max_lines):
        indices, mask, dx, dy = _line(line, font, INKS[ink])
        placed.append((indices, mask, x + dx, y + dy))
        y += line_height
    return placed, y


def reach(placed: list[Placed]) -> tuple[int, int]:
    """The rows from the first ink of these tiles to below the last."""
    if not placed:
        return HEIGHT, 0
    return min(y for *_tiles, _x, y in placed), max(y + tile.height for tile, _m, _x, y in placed)
