"""Read a content file and split its YAML front matter from its Markdown body.

Line numbers are kept: `front_line` is the file line of the first front-matter line, so a
YAML node's 0-based line plus `front_line` is the line an author sees in the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chronicle.errors import Hint

MAX_FILE_BYTES = 1024 * 1024
ENCODING, FRONT_MATTER = Hint("encoding"), Hint("front-matter")
_FENCE = "---"


class SourceError(ValueError):
    """The file cannot be read as a content file; carries a 1-based line and column."""

    def __init__(self, message: str, line: int = 1, col: int = 1, hint: Hint | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.hint = hint


@dataclass(frozen=True)
class Split:
    front: str  # the YAML text between the fences
    front_line: int  # file line (1-based) of the first line of `front`
    body: str
    body_line: int  # file line (1-based) of the first line of `body`


def read_text(path: Path) -> str:
    """Read a content file as UTF-8 text with LF line ends and no BOM, within the size limit."""
    return decode(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}") from None


def decode(data: bytes) -> str:
    """A content file's bytes as read_text() gives them."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(
            f"file is {len(data):,} bytes; content files are limited to 1 MiB "
            f"({MAX_FILE_BYTES:,} bytes): split it or move large data to content/media/",
            hint=Hint("media"),
        )
    if b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        raise SourceError(
            "file is binary (it holds NUL bytes); content files are text", line, col, ENCODING
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise SourceError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line,
            col,
            ENCODING,
        ) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as editors count) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def split(text: str) -> Split:
    """Split `---` fenced front matter from the body; the front matter is required."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise SourceError(
            "missing front matter: the file must start with a line `---`, then YAML fields, "
            "then a line `---`",
            hint=FRONT_MATTER,
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return Split(front=front, front_line=2, body=body, body_line=index + 2)
    raise SourceError(
        "front matter is not closed: add a line `---` after the last field", hint=FRONT_MATTER
    )
