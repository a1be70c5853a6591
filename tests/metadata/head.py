"""Reads what a page's <head> tells machines: title, meta tags, links, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Head:
    title: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)  # name or property -> contents
    links: list[dict[str, str]] = field(default_factory=list)
    json_ld: list[Any] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # raw text of every <script>

    def one(self, name: str) -> str:
        values = self.meta.get(name, [])
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def link(self, rel: str, **attrs: str) -> list[str]:
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and all(link.get(k) == v for k, v in attrs.items())
        ]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self._in: str | None = None
        self._text: list[str] = []
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in values:
            key = values.get("property") or values.get("name") or values.get("http-equiv", "")
            self.head.meta.setdefault(key, []).append(values["content"])
        elif tag == "link":
            self.head.links.append(values)
        elif tag in ("title", "script"):
            self._in, self._text = tag, []
            self._script_type = values.get("type", "")

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._in:
            return
        text = "".join(self._text)
        if tag == "title":
            self.head.title = text
        else:
            self.head.scripts.append(text)
            if self._script_type == "application/ld+json":
                self.head.json_ld.append(json.loads(text))
        self._in = None


def read_head(html: str) -> Head:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.head
