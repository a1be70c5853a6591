"""The social cards' font: Noto Sans CJK 2.004, the variable-weight collection that the pinned
package manimgx-fonts-cjk ships (SIL Open Font License 1.1).

The font comes with the project's dependencies rather than from the system, so that a card
is the same pixels on every machine (a fresh clone, CI, GitHub Pages, Netlify) and needs no
system package: no font is ever looked up on the machine. One file holds every region's
face (Japanese, Korean, Simplified and Traditional Chinese, Hong Kong), each with a weight
axis from which regular (400) and bold (700) are taken.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chronicle.errors import ChronicleError

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: cached cards need none of it
    from PIL.ImageFont import FreeTypeFont

PACKAGE = "manimgx_fonts_cjk"  # import name of the distribution manimgx-fonts-cjk
DISTRIBUTION = "manimgx-fonts-cjk"
FILE = "NotoSansCJK-VF.otf.ttc"
FAMILY = "Noto Sans CJK"
VERSION = "2.004"  # the font's own version (its name table), fixed by the package's pin
REGULAR, BOLD = 400, 700  # on the collection's `wght` axis (100 to 900)

# The collection's faces, by region; a language picks the region whose glyph shapes its
# readers expect (the same character is drawn differently in Japan, China and Taiwan).
REGION_INDEX = {"JP": 0, "KR": 1, "SC": 2, "TC": 3, "HK": 4}
_LANGUAGE_REGION = {
    "ja": "JP",
    "ko": "KR",
    "zh-hans": "SC",
    "zh-cn": "SC",
    "zh-sg": "SC",
    "zh-hant": "TC",
    "zh-tw": "TC",
    "zh-hk": "HK",
    "zh-mo": "HK",
}
_DEFAULT_REGION = "TC"  # Latin text looks the same in every face


@dataclass(frozen=True)
class FontFace:
    """One face of the collection at one weight."""

    index: int  # the region's face in the collection
    weight: int  # on the `wght` axis


@dataclass(frozen=True)
class Fonts:
    """A card's faces. Cards are cached by this (cards._key): it describes the font by its
    name and versions, never by where it is installed, so that a cached card holds on any
    machine with the same pinned package."""

    regular: FontFace
    bold: FontFace
    name: str  # e.g. "Noto Sans CJK TC", for messages
    source: tuple[str, str, str] = ("noto-sans-cjk-vf", VERSION, "")  # and the package's version

    def get(self, bold: bool, size: int) -> FreeTypeFont:
        return load(self.bold if bold else self.regular, size)


@functools.lru_cache(maxsize=1)
def font_path() -> Path:
    """The font file inside the installed package; a one-line error when it is missing."""
    try:
        path = Path(str(importlib.resources.files(PACKAGE) / FILE))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ChronicleError(
            f"the social cards' font ({FAMILY}) is missing: the package {DISTRIBUTION} is "
            "not installed; run `make build` (or `pip install -e .`) to install the "
            "dependencies, or set `social_cards = false` in site.toml"
        )
    return path


@functools.lru_cache(maxsize=1)
def _package_version() -> str:
    import importlib.metadata  # only when a card is drawn: slow to import, for a warm build

    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=16)
def fonts_for(lang: str) -> Fonts:
    """The faces a card in `lang` is drawn in: its region's, regular and bold."""
    region = _LANGUAGE_REGION.get(lang.lower(), _DEFAULT_REGION)
    index = REGION_INDEX[region]
    source = ("noto-sans-cjk-vf", VERSION, _package_version())
    return Fonts(FontFace(index, REGULAR), FontFace(index, BOLD), f"{FAMILY} {region}", source)


@functools.lru_cache(maxsize=64)
def load(face: FontFace, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.truetype(
        str(font_path()), size, index=face.index, layout_engine=ImageFont.Layout.BASIC
    )
    # By the axis, not by the instance's name: set_variation_by_name("Bold") changes the
    # outlines but leaves the advance widths at the default instance's (Thin), so text would
    # be drawn bold and spaced thin.
    font.set_variation_by_axes([face.weight])
    return font


# Characters the font is known to draw (tests/theme/test_cards.py checks it): only the others
# are asked of the font, so that a site in English, Chinese, Japanese or Korean needs neither
# Pillow nor the font for cards that are cached already.
COVERED = (
    "\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f"
    "\u3041-\u3096\u30a0-\u30ff\u4e00-\u9fef\uac00-\ud7a3\uff01-\uff5e"
)
_DOUBTFUL = rf"[^\s{COVERED}]"  # compiled on first use, by re's own cache


def missing_glyphs(text: str, fonts: Fonts) -> str:
    """The characters of `text` that the font has no glyph for (drawn as boxes), in order."""
    doubtful = dict.fromkeys(re.findall(_DOUBTFUL, text))
    return "".join(c for c in doubtful if not _has_glyph(c, fonts))


@functools.lru_cache(maxsize=65536)
def _has_glyph(char: str, fonts: Fonts) -> bool:
    # Pillow does not tell whether a font maps a character; FreeType draws an unmapped one as
    # glyph 0, the same box for every such character: a character whose bitmap differs from
    # that of a private-use character (which no font maps) has a glyph of its own.
    font = fonts.get(False, 24)
    return bytes(font.getmask(char)) != _notdef(fonts)


@functools.lru_cache(maxsize=8)
def _notdef(fonts: Fonts) -> bytes:
    return bytes(fonts.get(False, 24).getmask("\ue000"))
