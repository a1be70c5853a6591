"""The social card as drawn before it was drawn in palette indices: in true colour, each
line of text rasterised and measured whole. The tests compare the cards drawn now with these
(test_card_drawing.py), and the wrapping with this `wrap`.
"""

from __future__ import annotations

import re

from PIL import Image, ImageDraw
from PIL.Image import Image as PILImage
from PIL.ImageDraw import ImageDraw as PILDraw
from PIL.ImageFont import FreeTypeFont

from chronicle.media.cards import CardText
from chronicle.media.fonts import Fonts
from chronicle.media.images import hue_rgb

WIDTH, HEIGHT = 1200, 630
PAPER = (251, 250, 247)
INK = (29, 35, 43)
MUTED = (84, 93, 105)
ACCENT = (31, 79, 138)
LINE = (217, 212, 202)
CJK = r"[\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"


def draw_card(text: CardText, fonts: Fonts) -> PILImage:

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    colour = hue_rgb(text.hue)
    draw.rectangle((0, 0, 24, HEIGHT), fill=colour)
    left = 110
    if text.kind == "people":
        _avatar(image, text, fonts, (left, 165), 300)
        left = 470
    else:
        # The site's timeline, in miniature: a rule with a marker at the event.
        draw.line((130, 0, 130, HEIGHT), fill=LINE, width=6)
        draw.ellipse((112, 150, 148, 186), fill=colour, outline=PAPER, width=6)
        left = 200
    width = WIDTH - left - 90
    y = 130
    if text.kicker:
        y = _paragraph(draw, text.kicker, fonts.get(False, 38), ACCENT, left, y, width, 1) + 18
    size = 68 if text.kind == "people" else 60
    y = _paragraph(draw, text.heading, fonts.get(True, size), INK, left, y, width, 3) + 18
    if text.detail:
        _paragraph(draw, text.detail, fonts.get(False, 36), MUTED, left, y, width, 3)
    draw.line((left, HEIGHT - 120, WIDTH - 90, HEIGHT - 120), fill=LINE, width=3)
    _paragraph(draw, text.site_title, fonts.get(True, 30), ACCENT, left, HEIGHT - 98, width, 1)
    return image


def _avatar(image: PILImage, text: CardText, fonts: Fonts, at: tuple[int, int], size: int) -> None:

    mask = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size * 2 - 1, size * 2 - 1), fill=255)
    mask = mask.resize((size, size), Image.Resampling.LANCZOS)  # smooth edge
    if text.portrait is not None:
        with Image.open(text.portrait) as opened:
            face = opened.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
    else:
        face = Image.new("RGB", (size, size), hue_rgb(text.hue))
        draw = ImageDraw.Draw(face)
        font = fonts.get(True, size // 3 if len(text.monogram) > 1 else size * 2 // 5)
        draw.text((size / 2, size / 2), text.monogram, font=font, fill="white", anchor="mm")
    image.paste(face, at, mask)


def _paragraph(
    draw: PILDraw,
    text: str,
    font: FreeTypeFont,
    fill: tuple[int, int, int],
    x: int,
    y: int,
    width: int,
    max_lines: int,
) -> int:
    """Draws wrapped text; returns the y below it."""
    line_height = round(font.size * 1.25)
    for line in wrap(text, font, width, max_lines):
        draw.text((x, y), line, font=font, fill=fill)
        y += line_height
    return y


_TOKENS = rf"{CJK}|[^\s\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af]+|\s+"


def wrap(text: str, font: FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Lines that fit `width`: Latin text breaks between words, CJK between characters;
    text beyond `max_lines` is cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    for token in re.findall(_TOKENS, " ".join(text.split())):
        candidate = current + token
        if current and font.getlength(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines
