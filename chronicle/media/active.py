"""Active content in media: an SVG or XML file that runs script, and any HTML page.

A file in content/media/ is published at its own address on the site's origin. Shown by
an `<img>`, an SVG runs nothing; opened by itself (a link, a new tab, a crafted URL) it is
a document of the site, and its script runs with the site's cookies and storage. An HTML
page there is a page of the site. So such files are named: a warning, an error under
--strict (content may come from a stranger's pull request; see docs/security.md).

SVG and XML are read with the standard library's expat, never expanding entities: a
document that declares any is not checked, and said so (an entity could hide a script from
any check short of a browser's own parse). What is read is bounded in size.
"""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from xml.parsers import expat

from chronicle.incremental.stamp import Stamp
from chronicle.reading import safefs

XML_SUFFIXES = frozenset({".svg", ".xml", ".xhtml", ".xht"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
MAX_BYTES = 8 * 1024 * 1024  # larger than any sensible SVG; beyond it, not read whole
# Elements that run script or hold a document of their own (HTML inside an SVG).
_ACTIVE_ELEMENTS = {
    "script": "a `<script>` element",
    "foreignobject": "a `<foreignObject>` (HTML inside the SVG)",
    "iframe": "an `<iframe>`",
    "object": "an `<object>`",
    "embed": "an `<embed>`",
}
# Browsers skip ASCII whitespace and controls inside a URL's scheme: `java\tscript:` runs.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
_KEPT = 4096  # checked files remembered by stamp (the preview checks again on each build)


class Finding(NamedTuple):
    """The first active thing found in a file, where it is (1-based line and column)."""

    line: int
    col: int
    what: str
    more: int = 0  # how many others follow it
    unchecked: bool = False  # what keeps the file from being checked, not what it runs


class _RefusedError(Exception):
    """Ends a parse at its first refusal (an entity declared)."""


_checked: dict[str, tuple[Stamp, Finding | None]] = {}


def is_checked(rel: str) -> bool:
    """Whether a media file's name makes it one this module reads (by suffix)."""
    suffix = PurePosixPath(rel).suffix.lower()
    return suffix in XML_SUFFIXES or suffix in HTML_SUFFIXES


def check(path: Path, allowed: tuple[Path, ...]) -> Finding | None:
    """The first active content of the media file `path`, or None (also for a file this
    module does not read, or one that cannot be read: copying it says why)."""
    if not is_checked(path.name):
        return None
    try:
        stamp = Stamp.of(path.stat())
    except OSError:
        return None
    known = _checked.get(str(path))
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        data = safefs.read_bytes(path, allowed, MAX_BYTES)
    except safefs.UnsafeFileError:
        return None
    found = scan(path.name, data)
    if len(_checked) >= _KEPT:
        _checked.clear()
    _checked[str(path)] = (stamp, found)
    return found


def scan(name: str, data: bytes) -> Finding | None:
    """The first active content of a file named `name` holding `data` (at most MAX_BYTES
    of it are read; a larger file is named as not checked)."""
    if len(data) > MAX_BYTES:
        too_large = f"a file over {MAX_BYTES // (1024 * 1024)} MiB, too large to check"
        return Finding(1, 1, too_large, unchecked=True)
    if PurePosixPath(name).suffix.lower() in HTML_SUFFIXES:
        return _scan_html(data)
    return _scan_xml(data)


def message(rel: str, found: Finding) -> str:
    """The warning's words for a finding in the media file `rel`."""
    what = found.what + (f" (and {found.more} more)" if found.more else "")
    if PurePosixPath(rel).suffix.lower() in HTML_SUFFIXES:
        return (
            "an HTML page in content/media/ is published as a page of the site"
            + (f", with {what}" if what else "")
            + "; what it runs, it runs on the site's origin, with its cookies and storage"
        )
    if found.unchecked:
        return (
            f"a media file that cannot be checked for script: {what}; a script in it would "
            "run on the site's origin when the file is opened at its own address"
        )
    return (
        f"active content in a media file: {what}; opened at its own address, it runs on "
        "the site's origin, with its cookies and storage"
    )


def _event(name: str, attributes: list[tuple[str, str | None]]) -> list[str]:
    """What is active about one start tag: the element itself, its handlers, its URLs."""
    local = name.rpartition(":")[2].lower()
    found = [_ACTIVE_ELEMENTS[local]] if local in _ACTIVE_ELEMENTS else []
    for attribute, value in attributes:
        attr = attribute.rpartition(":")[2].lower()
        if attr.startswith("on"):
            found.append(f"an event handler `{attribute}=`")
        elif value and any(s in _IGNORED_IN_URLS.sub("", value).lower() for s in _SCRIPT_SCHEMES):
            found.append(f"a script address in `{attribute}=`")
        elif local == "meta" and attr == "http-equiv" and (value or "").lower() == "refresh":
            found.append("a `<meta http-equiv=refresh>` redirect")
    return found


def _scan_xml(data: bytes) -> Finding | None:
    parser = expat.ParserCreate()
    found: list[Finding] = []

    def add(whats: list[str]) -> None:
        line, col = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        found.extend(Finding(line, col, what) for what in whats)

    def entity(name: str, *_: object) -> None:
        line, col = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        found.append(Finding(line, col, f"it declares an entity (`<!ENTITY {name}`)", 0, True))
        raise _RefusedError

    def start(name: str, attributes: list[str]) -> None:
        pairs: list[tuple[str, str | None]] = list(
            zip(attributes[::2], attributes[1::2], strict=True)
        )
        add(_event(name, pairs))

    def instruction(target: str, text: str) -> None:
        if target == "xml-stylesheet" and "xsl" in text.lower():
            add(["an XSLT stylesheet, which can run script"])

    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    parser.ProcessingInstructionHandler = instruction
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    # A browser renders a malformed document no further than its error either.
    with contextlib.suppress(_RefusedError, expat.ExpatError):
        parser.Parse(data, True)
    return _first(found)


class _HtmlScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self.found.extend(Finding(line, offset + 1, what) for what in _event(tag, attrs))


def _scan_html(data: bytes) -> Finding | None:
    scan = _HtmlScan()
    scan.feed(data.decode("utf-8", errors="replace"))
    scan.close()
    # Every HTML page is named: a page of the site, whatever it holds.
    return _first(scan.found) or Finding(1, 1, "")


def _first(found: list[Finding]) -> Finding | None:
    return found[0]._replace(more=len(found) - 1) if found else None
