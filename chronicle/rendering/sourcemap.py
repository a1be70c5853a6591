"""Where a piece of a rendered page was written, so a broken link is reported at its source.

Two kinds of source: a Markdown body (markdown-it's tokens carry the line range of their
block, and soft breaks count the lines inside it), and a template (the page is rendered
again piece by piece, and each piece is traced to the template line that printed it).
"""

from __future__ import annotations

import re
import types
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markdown_it.token import Token

from chronicle.errors import Location, relative
from chronicle.rendering.markdown import _PARSER, LinkContext, site_url

_RAW_URL = re.compile(r"""\b(href|src)\s*=\s*(["']?)([^"'\s>]+)\2""", re.IGNORECASE)


@dataclass(frozen=True)
class SourceLink:
    url: str  # as it appears in the rendered page
    location: Location


# -- Markdown --------------------------------------------------------------------------


def markdown_links(
    text: str, path: str, first_line: int, ctx: LinkContext, file_lines: Sequence[str]
) -> list[SourceLink]:
    """Every link and image of a Markdown body, in order, with the file line it is on.

    `first_line` is the file line of the body's first line; `file_lines` are the file's
    lines, to find the column where the address was written.
    """
    finder = _Finder(file_lines, first_line, len(text.split("\n")))
    links: list[SourceLink] = []
    for token, line, block in _link_tokens(_PARSER.parse(text, {})):
        for written, rendered in _urls(token, ctx):
            links.append(SourceLink(rendered, Location(path, *finder.find(written, line, block))))
    return links


def _link_tokens(tokens: Sequence[Token]) -> Iterator[tuple[Token, int, tuple[int, int]]]:
    """(token, its line in the body, its block's line range) for tokens that hold addresses."""
    block = (0, 1)
    for token in tokens:
        if token.map is not None:
            block = (token.map[0], token.map[1])
        if token.type == "html_block":
            yield token, block[0], block
        elif token.type == "inline":
            line = block[0]
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type in ("link_open", "image", "html_inline"):
                    yield child, line, block


def _urls(token: Token, ctx: LinkContext) -> list[tuple[str, str]]:
    """(as written, as rendered) for the addresses a token holds."""
    if token.type in ("html_block", "html_inline"):
        return [(m.group(3), m.group(3)) for m in _RAW_URL.finditer(token.content)]
    name = "src" if token.type == "image" else "href"
    value = token.attrGet(name)
    if not isinstance(value, str):
        return []
    rendered = value
    # The same rewriting as the Markdown renderer: site-relative links get the sub-path,
    # and links (not images) the page's language.
    if value.startswith("/") and not value.startswith("//"):
        rendered = site_url(value, ctx, localize=token.type != "image")
    return [(value, rendered)]


class _Finder:
    """Finds the line and column where an address was written, nearest the token's line."""

    def __init__(self, file_lines: Sequence[str], first_line: int, body_lines: int) -> None:
        self.lines = file_lines
        self.first = first_line
        self.count = body_lines

    def find(self, written: str, line: int, block: tuple[int, int]) -> tuple[int, int]:
        forms = dict.fromkeys((written, unquote(written)))
        ranges = (range(line, block[1]), range(block[0], block[1]), range(self.count))
        for lines in ranges:
            for index in lines:
                text = self._line(index)
                for form in forms:
                    col = text.find(form)
                    if col >= 0:
                        return self.first + index, col + 1
        return self.first + line, 1

    def _line(self, index: int) -> str:
        number = self.first + index
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


# -- templates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of a rendered page and the template line that printed it."""

    start: int
    end: int
    filename: str
    line: int
    text: str


def trace(template: jinja2.Template, context: dict[str, Any]) -> tuple[str, list[Piece]]:
    """Render `template` again, recording the template line behind every piece of output.

    Jinja renders through generators; while one yields, the innermost generator (blocks
    and parent templates are entered with `yield from`) is suspended on the line that
    printed the piece, and the compiled module's `debug_info` maps that to the template.
    A macro's output comes back as one piece, printed at the line that called it, and an
    included template's output at the `{% include %}` line.
    """
    root = template.root_render_func(template.new_context(context))
    if not isinstance(root, types.GeneratorType):  # an async environment; not ours
        raise TypeError("trace() needs a template rendered by generators")
    pieces: list[Piece] = []
    parts: list[str] = []
    position = 0
    for part in root:
        filename, line = _template_line(root)
        pieces.append(Piece(position, position + len(part), filename, line, part))
        parts.append(part)
        position += len(part)
    return "".join(parts), pieces


def _template_line(generator: types.GeneratorType[Any, Any, Any]) -> tuple[str, int]:
    inner = generator
    while isinstance(inner.gi_yieldfrom, types.GeneratorType):
        inner = inner.gi_yieldfrom
    frame = inner.gi_frame
    if frame is None:
        return "", 1
    return frame.f_code.co_filename, _debug_line(frame.f_globals.get("debug_info", ""), frame)


def _debug_line(debug_info: str, frame: types.FrameType) -> int:
    """The template line for the frame's code line: debug_info is "tpl=code&tpl=code"."""
    pairs = sorted(
        (int(code), int(tpl))
        for tpl, code in (item.split("=") for item in debug_info.split("&") if "=" in item)
    )
    index = bisect_right([code for code, _tpl in pairs], frame.f_lineno) - 1
    return pairs[index][1] if index >= 0 else 1


def piece_at(pieces: Sequence[Piece], offset: int) -> Piece | None:
    index = bisect_right([p.start for p in pieces], offset) - 1
    return pieces[index] if index >= 0 and offset < pieces[index].end else None


def template_location(piece: Piece, offset: int, site_root: Path, attribute: str) -> Location:
    """The template file (relative to the site when it is the site's own), the line that
    printed the page's text at `offset`, and the column of the attribute on that line."""
    path = Path(piece.filename)
    shown = (
        relative(path.resolve(), site_root.resolve())
        if path.resolve().is_relative_to(site_root.resolve())
        else path.as_posix()
    )
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return Location(shown, piece.line)
    at = _written_at(lines, piece)
    if at is not None:
        at_line, at_col = at
        rest = piece.text[: offset - piece.start]
        if "\n" in rest:
            return Location(shown, at_line + rest.count("\n"), len(rest) - rest.rfind("\n"))
        return Location(shown, at_line, at_col + len(rest))
    text = lines[piece.line - 1] if 0 < piece.line <= len(lines) else ""
    found = re.search(rf"\b{re.escape(attribute)}\s*=", text)
    return Location(shown, piece.line, found.start() + 1 if found else 1)


def _written_at(lines: Sequence[str], piece: Piece) -> tuple[int, int] | None:
    """Where a piece's text stands in the template as written, when it does: literal
    template text, or a quoted string printed as it is (`site.url('/about/')`).

    Jinja numbers a piece by the line its node starts on, which may be the line before
    (after a block tag whose newline is trimmed), so that line and the next are searched.
    """
    text = piece.text
    for index in (piece.line - 1, piece.line):
        if not 0 <= index < len(lines):
            continue
        source = "\n".join(lines[index:])
        line_end = len(lines[index])
        start = source.find(text)
        if start < 0 or start > line_end:
            continue
        before, after = source[start - 1 : start], source[start + len(text) :][:1]
        quoted = before in ("'", '"') and after == before
        # A short printed value ("/") could stand anywhere on the line; only trust it quoted.
        if len(text.strip()) >= 8 or quoted:
            return index + 1, start + 1
    return None
