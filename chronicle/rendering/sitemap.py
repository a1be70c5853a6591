"""The sitemap: every page's absolute address and, where its content has a date, `lastmod`.

sitemaps.org allows 50,000 addresses per file; a larger site gets `sitemap.xml` as a
sitemap index that lists `sitemap-1.xml`, `sitemap-2.xml` and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

MAX_URLS = 50_000
# Characters RFC 3986 lets stand in a URL; the rest (a CJK tag's name) is percent-encoded,
# as sitemaps.org asks, while pages may link the same address as it reads.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_NOTHING_TO_QUOTE = re.compile(r"[A-Za-z0-9" + re.escape(_URL_SAFE) + "]*")


class SitemapEntry(NamedTuple):  # a tuple: the page jobs in the state hold one per page
    loc: str  # absolute URL
    lastmod: str | None = None  # YYYY-MM-DD, from the content; None for an undated page


@dataclass(frozen=True)
class SitemapFile:
    output: str  # "sitemap.xml" or "sitemap-2.xml"
    entries: tuple[SitemapEntry, ...] = ()
    parts: tuple[SitemapEntry, ...] = ()  # for an index: the sitemaps it lists


def uri(url: str) -> str:
    if _NOTHING_TO_QUOTE.fullmatch(url):  # most addresses: skip quote()'s slow path
        return url
    return quote(url, safe=_URL_SAFE)


def sitemap_files(
    entries: list[SitemapEntry], base_url: str, limit: int | None = None
) -> list[SitemapFile]:
    """One sitemap when the addresses fit in one file, else an index and numbered parts."""
    limit = limit or MAX_URLS
    if len(entries) <= limit:
        return [SitemapFile("sitemap.xml", tuple(entries))]
    chunks = [tuple(entries[i : i + limit]) for i in range(0, len(entries), limit)]
    parts = [SitemapFile(f"sitemap-{n}.xml", chunk) for n, chunk in enumerate(chunks, start=1)]
    index = tuple(SitemapEntry(base_url + part.output, _latest(part.entries)) for part in parts)
    return [SitemapFile("sitemap.xml", parts=index), *parts]


def _latest(entries: tuple[SitemapEntry, ...]) -> str | None:
    return max((e.lastmod for e in entries if e.lastmod), default=None)
