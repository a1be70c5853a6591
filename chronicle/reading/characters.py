"""Characters no output may hold, wherever they come from (raw, or a YAML or TOML escape).

XML 1.0 forbids most C0 controls (all but tab, line feed and carriage return) and the
surrogates; C1 controls and Unicode's noncharacters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF, and
the last two of every plane) are refused too: they have no place in text a reader sees, and
feeds, sitemaps and the calendar must stay well formed. The raw-byte reader of libyaml
refuses some of them; an escape (`"\\x01"`, `"\\uFFFE"`) would slip through without this.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def forbidden(text: str) -> int | None:
    """The index of the first character that no output may hold, or None."""
    match = _FORBIDDEN.search(text)
    return match.start() if match else None


def describe(text: str, index: int) -> str:
    """`U+0001 (a control character)`: a forbidden character, as messages name it."""
    code = ord(text[index])
    if code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    else:
        kind = "a Unicode noncharacter"
    return f"U+{code:04X} ({kind})"
