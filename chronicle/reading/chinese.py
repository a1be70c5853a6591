"""Simplified Chinese made from Traditional at build time: OpenCC, under a phrase table.

OpenCC's `tw2sp` profile converts phrases, Taiwan vocabulary to mainland vocabulary
(軟體 -> 软件, 資料 -> 数据, 滑鼠 -> 鼠标), not only characters. Where it is wrong or leaves a
Taiwanese word (核心 -> 内核, 透過 -> 透过, 曼菲斯 for 孟菲斯), the phrase table wins:
`zh_phrases.toml` beside this module, under a site's own `[zh_phrases]` in site.toml.
The text is cut at each phrase of the table, which is written as the table says; OpenCC
converts the text between them.

A Markdown body has only its text converted: code, link addresses, reference labels,
HTML tags with their attributes and bare URLs stay as written (`zh_markdown.protected`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chronicle.reading import zh_markdown

if TYPE_CHECKING:
    import opencc

SOURCE = "zh-hant"
TARGET = "zh-hans"
CONFIG = "tw2sp"
PHRASES_FILE = Path(__file__).with_name("zh_phrases.toml")

Span = tuple[int, int]


@functools.cache
def _opencc() -> opencc.OpenCC:
    import opencc  # only for a site in Simplified Chinese too: others need not load it

    return opencc.OpenCC(CONFIG)


@functools.cache
def builtin_phrases() -> dict[str, str]:
    """The project's phrase table: Traditional (Taiwan) phrase -> Simplified phrase."""
    data = tomllib.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.items()}


@dataclass(frozen=True)
class Converter:
    """Traditional to Simplified with a phrase table over OpenCC; `phrases` in the order
    they are laid over each other (the project's, then a site's)."""

    phrases: tuple[tuple[str, str], ...]
    _table: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        table = dict(self.phrases)
        longest_first = sorted(table, key=lambda phrase: (-len(phrase), phrase))
        # Literals only, so that the scan skips at once past characters no phrase starts with.
        alternation = "|".join(map(re.escape, longest_first))
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_pattern", re.compile(alternation) if table else None)

    @functools.cached_property
    def tag(self) -> str:
        """What identifies this conversion, for the versions of the text it makes."""
        digest = hashlib.blake2b(repr((CONFIG, self.phrases)).encode(), digest_size=6)
        return f"opencc-{CONFIG}-{digest.hexdigest()}"

    def text(self, text: str) -> str:
        """Plain text (a title, a summary): all of it but bare URLs."""
        return _converted(self, text, zh_markdown.urls) if text else text

    def markdown(self, text: str) -> str:
        """A Markdown body: its text only, never code, link addresses or tag attributes."""
        return _converted(self, text, zh_markdown.protected) if text else text

    def pieces(self, text: str) -> list[tuple[str, bool]]:
        """`text` cut at the table's phrases: (piece, is a phrase of the table)."""
        if self._pattern is None:
            return [(text, False)]
        out: list[tuple[str, bool]] = []
        at = 0
        for match in self._pattern.finditer(text):
            if match.start() > at:
                out.append((text[at : match.start()], False))
            out.append((match.group(), True))
            at = match.end()
        if at < len(text):
            out.append((text[at:], False))
        return out

    def phrase(self, traditional: str) -> str:
        return self._table[traditional]


def converter(site_phrases: Mapping[str, str] | None = None) -> Converter:
    """The project's phrase table, under the site's entries when it has some."""
    extra = tuple(site_phrases.items()) if site_phrases else ()
    return _converter(extra)


@functools.cache
def _converter(extra: tuple[tuple[str, str], ...]) -> Converter:
    return Converter(phrases=(*builtin_phrases().items(), *extra))


def to_simplified(text: str) -> str:
    """Traditional (Taiwan) text in Simplified characters and mainland vocabulary."""
    return converter().text(text)


@functools.lru_cache(maxsize=4096)
def _converted(convert: Converter, text: str, protect: Callable[[str], list[Span]]) -> str:
    """`text` with everything outside the `protect` spans converted: the table's phrases
    as it says, the rest by OpenCC in one call."""
    pieces: list[tuple[str, bool]] = []  # (text, to be converted by OpenCC)
    at = 0
    for start, end in [*protect(text), (len(text), len(text))]:
        for piece, is_phrase in convert.pieces(text[at:start]) if start > at else []:
            pieces.append((convert.phrase(piece), False) if is_phrase else (piece, True))
        pieces.append((text[start:end], False))
        at = end
    converted = iter(_opencc_all(piece for piece, wanted in pieces if wanted))
    return "".join(next(converted) if wanted else piece for piece, wanted in pieces)


def _opencc_all(texts: Iterable[str]) -> list[str]:
    """Each text through OpenCC, in one call: joined by a private-use character that no
    phrase holds and that OpenCC leaves alone, so that no phrase reaches across two."""
    items = list(texts)
    if not items:
        return []
    joined = "".join(items)
    separator = next((chr(c) for c in range(0xE000, 0xF900) if chr(c) not in joined), None)
    if separator is None:  # every private-use character is in the text: one call each
        return [str(_opencc().convert(item)) for item in items]
    out = str(_opencc().convert(separator.join(items))).split(separator)
    if len(out) != len(items):  # never seen; one call each rather than text out of place
        return [str(_opencc().convert(item)) for item in items]
    return out
