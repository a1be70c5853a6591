"""What Chinese conversion must leave as written in a Markdown body: the spans of code,
link addresses (but a link to a heading of the body, `#heading`), reference labels,
footnote labels, HTML tags (their attributes with them), raw code elements, comments and
bare URLs. The text between them is the reader's, and is
converted; the rest is an address, a name or code, which a conversion would break.

Code blocks (fenced and indented) are found by markdown-it's block parser, as the page is
rendered; the inline spans by patterns that follow CommonMark's.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt

Span = tuple[int, int]

# A bare address: up to a space or a mark that no URL ends with in running Chinese text.
_URL = r"https?://[^\s<>()\[\]\"'，。、；：！？「」『』（）《》]+"
_URL_RE = re.compile(_URL)

# Each kind of span starts with one of \\ ` < ] [ h f, which lets the scan skip the rest.
_INLINE = re.compile(
    "|".join(
        (
            r"\\[!-/:-@\[-`{-~]",  # a backslash escape
            r"`(?P<ticks>`*)(?!`)(?:(?!\n[ \t]*\n)[\s\S])*?(?<!`)`(?P=ticks)(?!`)",  # code
            r"<!--[\s\S]*?-->",
            r"<(?P<raw>code|pre|kbd|samp|script|style)\b[^>]*>[\s\S]*?</(?P=raw)\s*>",
            r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>",  # an autolink
            r"<[^\s@<>\\]+@[^\s@<>\\]+>",  # an e-mail autolink
            r"</?[A-Za-z][A-Za-z0-9-]*"  # an HTML tag, its attributes with it
            r"(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>",
            # `](address`, but for `](#heading)`: the heading's id is made from its converted
            # text, so a link to it within the body is converted with it.
            r"\]\(\s*(?!#)(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)",
            r"\]\[(?:[^\]\\\n]|\\.)*\]",  # `][label]` of a full reference link
            r"\[\^[^\]\s]+\]",  # a footnote's label
            _URL,
        )
    )
)
# A reference definition: its label and its address (its title is text).
_DEFINITION = re.compile(
    r"^[ ]{0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*(?:<[^<>\n]*>|\S+)", re.MULTILINE
)
_DEFINED = re.compile(r"^[ ]{0,3}\[(?!\^)((?:[^\]\\\n]|\\.)+)\]:", re.MULTILINE)


@functools.cache
def _blocks() -> MarkdownIt:
    """Blocks only: their inline content is not parsed (the patterns below see to it)."""
    return MarkdownIt("commonmark", {"html": True}).disable("inline")


def urls(text: str) -> list[Span]:
    """Bare URLs in plain text."""
    return [match.span() for match in _URL_RE.finditer(text)]


def protected(text: str) -> list[Span]:
    """The spans of a Markdown body to leave as written, in order, none overlapping."""
    spans: list[Span] = []
    at = 0
    for start, end in _code_blocks(text):
        spans.extend(_inline(text, at, start))
        spans.append((start, end))
        at = end
    spans.extend(_inline(text, at, len(text)))
    return spans


def _code_blocks(text: str) -> list[Span]:
    """Fenced and indented code blocks, whole lines, wherever they are nested."""
    if "```" not in text and "~~~" not in text and "    " not in text and "\t" not in text:
        return []  # no block can be code: skip the parse
    starts = [0]
    starts.extend(match.end() for match in re.finditer("\n", text))
    spans: list[Span] = []
    for token in _blocks().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            end = starts[last] if last < len(starts) else len(text)
            if spans and spans[-1][1] > starts[first]:
                continue  # inside a block already taken
            spans.append((starts[first], end))
    return spans


def _inline(text: str, start: int, end: int) -> list[Span]:
    """The inline spans to keep between `start` and `end`: those of _INLINE, and the
    shortcut and collapsed references (`[label]`, `[label][]`) to a label defined here."""
    found = [m.span() for m in _INLINE.finditer(text, start, end) if m.end() > m.start()]
    if "]:" not in text:
        return _merged(found)
    found.extend(m.span() for m in _DEFINITION.finditer(text, start, end))
    labels = {_normal(label) for label in _DEFINED.findall(text)}
    if labels:
        for match in re.finditer(r"\[((?:[^\]\\\n]|\\.)+)\](?:\[\])?", text[start:end]):
            if _normal(match.group(1)) in labels:
                found.append((start + match.start(), start + match.end()))
    return _merged(found)


def _normal(label: str) -> str:
    """A reference label as CommonMark matches it: case and runs of space ignored."""
    return " ".join(label.split()).casefold()


def _merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
