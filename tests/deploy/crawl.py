"""A small crawler for the tests: follows every link under a base URL over HTTP, as a
visitor's browser would, and reports what does not answer 200 or lacks its #anchor.

Written apart from chronicle/linkcheck.py on purpose: it judges the served site by what
the server answers, not by what the build thinks it wrote.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

MAX_REQUESTS = 5000  # bounded: the real site has a few hundred addresses
TIME_LIMIT = 120.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if name in values:
                self.links.append(values[name])
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.links.append(candidate.split()[0])
        if tag == "meta" and values.get("property") in ("og:url", "og:image"):
            self.links.append(values.get("content", ""))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url=(.+)$", values.get("content", ""), re.IGNORECASE)
            if match:
                self.links.append(match.group(1))

    handle_startendtag = handle_starttag


def html_links(text: str) -> list[str]:
    """Every address an HTML page refers to, as written."""
    parser = _Html()
    parser.feed(text)
    return parser.links


def fetch(url: str) -> Response:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return Response(answer.status, headers, answer.read())
    except urllib.error.HTTPError as error:
        headers = {k.lower(): v for k, v in error.headers.items()}
        return Response(error.code, headers, error.read())


@dataclass
class Crawl:
    base: str
    responses: dict[str, Response] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    references: list[tuple[str, str]] = field(default_factory=list)  # (page, absolute link)
    seconds: float = 0.0

    @property
    def pages(self) -> list[str]:
        return [u for u, r in self.responses.items() if r.content_type == "text/html"]

    def broken(self) -> list[tuple[str, str, str]]:
        """(page, link, why) for every internal link that fails or misses its anchor."""
        found = []
        for page, link in self.references:
            target, _sep, fragment = link.partition("#")
            answer = self.responses.get(target)
            if answer is None or answer.status != 200:
                status = answer.status if answer else "not fetched"
                found.append((page, link, f"HTTP {status}"))
            elif fragment and unquote(fragment) not in self.ids.get(target, set()):
                found.append((page, link, f"no element with id {fragment!r}"))
        return found


def crawl(base: str, seeds: list[str]) -> Crawl:
    """Fetch `base`, the seeds and everything they link under `base`, each address once."""
    result = Crawl(base)
    queue = deque([base, *seeds])
    start = time.monotonic()
    while queue:
        url = queue.popleft()
        if url in result.responses:
            continue
        assert len(result.responses) < MAX_REQUESTS, "crawl stopped: too many addresses"
        assert time.monotonic() - start < TIME_LIMIT, "crawl stopped: took too long"
        answer = fetch(url)
        result.responses[url] = answer
        for link in _links(url, answer, result):
            absolute = urljoin(url, link.strip())
            if not absolute.startswith(base):
                continue
            result.references.append((url, absolute))
            queue.append(_without_fragment(absolute))
    result.seconds = time.monotonic() - start
    return result


def _links(url: str, answer: Response, result: Crawl) -> list[str]:
    if answer.status != 200:
        return []
    text = answer.body.decode("utf-8", errors="replace")
    if answer.content_type == "text/html":
        parser = _Html()
        parser.feed(text)
        result.ids[url] = parser.ids
        return parser.links
    if url.endswith("sitemap.xml"):
        return re.findall(r"<loc>([^<]+)</loc>", text)
    if url.endswith("feed.xml"):
        return re.findall(r'<link[^>]* href="([^"]+)"', text)
    if url.endswith("feed.json"):
        feed = json.loads(text)
        return [feed["home_page_url"], *(item["url"] for item in feed["items"])]
    return []


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
