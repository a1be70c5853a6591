"""Wrapping a card's text into lines that fit its width.

Latin text breaks between words, CJK text between characters, and text beyond the last
line is cut with an ellipsis. A line is measured as the sum of its tokens' widths, each
measured once per build: Pillow's basic layout adds up the advances of a line's glyphs, so
the sum equals the whole line's width exactly (widths are in 1/64 px) unless the font has a
kerning table. Noto Sans CJK has none; a font that kerns is measured line by line instead.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

# Compiled when a card first needs it (by re's own cache): these ranges take 2 ms each to
# compile, which every build (most of them drawing no card) would pay on import.
CJK = r"[\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
TOKENS = rf"{CJK}|[^\s\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af]+|\s+"
ELLIPSIS = "…"

# Pairs that a kerning table moves in any Latin font: if one of them is not the sum of its
# two letters, the font kerns.
_PAIRS = ("AV", "To", "Ta", "Wa", "LT", "Yo", "P.", "y.", "r,", "Te", "Av", "VA", "LY", "ff")


@functools.lru_cache(maxsize=65536)
def advance(font: FreeTypeFont, token: str) -> float:
    """A token's width: names, roles and words repeat across a site's cards."""
    return font.getlength(token)


@functools.lru_cache(maxsize=64)
def kerns(font: FreeTypeFont) -> bool:
    """Whether Pillow's basic layout moves a pair of letters of this font closer or apart:
    then a line is not the sum of its glyphs."""
    return any(
        font.getlength(pair) != font.getlength(pair[0]) + font.getlength(pair[1]) for pair in _PAIRS
    )


def wrap(text: str, font: FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Lines that fit `width`; text beyond `max_lines` is cut with an ellipsis."""
    tokens = re.findall(TOKENS, " ".join(text.split()))
    lines = _measured(tokens, font, width) if kerns(font) else _summed(tokens, font, width)
    return _cut(lines, font, width, max_lines)


def _summed(tokens: list[str], font: FreeTypeFont, width: int) -> list[str]:
    """Greedy lines, each the width of its tokens added up. A token that would take the
    line past `width` starts the next one; trailing space is not counted (rstrip), so a
    space never starts a line unless the line is already too wide (one long word)."""
    lines: list[str] = []
    current, length = "", 0.0
    for token in tokens:
        if current and length + advance(font, token.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
            length = advance(font, current) if current else 0.0
        else:
            current += token
            length += advance(font, token)
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _measured(tokens: list[str], font: FreeTypeFont, width: int) -> list[str]:
    """The same greedy lines, each candidate line measured whole (a font that kerns)."""
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = current + token
        if current and font.getlength(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _cut(lines: list[str], font: FreeTypeFont, width: int, max_lines: int) -> list[str]:
    if len(lines) <= max_lines:
        return lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and font.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + ELLIPSIS
    return lines
