"""The references and ids of a rendered page, read from its HTML for `build.py check`
(linkcheck.py): each address with the attribute that holds it and where its value starts
in the page's text, so that a broken one can be traced back to where it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes that hold one address, on any element; srcset and <meta> are read apart.
URL_ATTRIBUTES = ("href", "src", "poster", "action", "data")
META_URLS = ("og:url", "og:image", "og:image:url", "twitter:image")


@dataclass(frozen=True)
class Reference:
    """One address a page refers to."""

    url: str
    attribute: str
    offset: int  # where the attribute's value starts in the page's text


@dataclass
class PageLinks:
    """What a page refers to, and the ids a `#fragment` may lead to in it."""

    references: list[Reference] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _LinkParser(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.links = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        tag_offset = self.starts[line - 1] + col
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.links.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.links.ids.add(values["name"])
        for name in URL_ATTRIBUTES:
            if name in values:
                self._add(values[name], name, tag_offset)
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self._add(candidate.split()[0], "srcset", tag_offset)
        if tag == "meta":
            self._meta(values, tag_offset)

    handle_startendtag = handle_starttag

    def _meta(self, values: dict[str, str], tag_offset: int) -> None:
        if values.get("property", values.get("name")) in META_URLS and "content" in values:
            self._add(values["content"], "content", tag_offset)
        if values.get("http-equiv", "").lower() == "refresh":
            target = re.search(r"url\s*=\s*(.+)$", values.get("content", ""), re.IGNORECASE)
            if target:
                self._add(target.group(1).strip("'\" "), "content", tag_offset)

    def _add(self, url: str, attribute: str, tag_offset: int) -> None:
        found = re.compile(rf"\b{attribute}\s*=\s*[\"']?", re.IGNORECASE).search(
            self.text, tag_offset
        )
        offset = found.end() if found else tag_offset
        self.links.references.append(Reference(url.strip(), attribute, offset))


def parse_page(text: str) -> PageLinks:
    """The page's references and ids."""
    parser = _LinkParser(text)
    parser.feed(text)
    parser.close()
    return parser.links
