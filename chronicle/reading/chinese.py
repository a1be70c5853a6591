"""Simplified Chinese made from Traditional at build time, with OpenCC.

Phrase-level conversion with Taiwan vocabulary mapped to mainland vocabulary (OpenCC's
`tw2sp` profile: 軟體 -> 软件, 資料 -> 数据, 滑鼠 -> 鼠标), not only characters.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

SOURCE = "zh-hant"
TARGET = "zh-hans"


@cache
def _converter() -> opencc.OpenCC:
    import opencc  # only for a site in Simplified Chinese too: others need not load it

    return opencc.OpenCC("tw2sp")


@cache
def to_simplified(text: str) -> str:
    """Traditional (Taiwan) text in Simplified characters and mainland vocabulary."""
    return str(_converter().convert(text)) if text else text
