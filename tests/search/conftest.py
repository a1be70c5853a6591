"""A small bilingual site built with --search under a sub-path and served from loopback, and
Chromium (Debian's, as in tests/browser) to run Pagefind's own search against it.

Playwright's sync API allows one instance per thread, and tests/browser keeps its own open
for the whole session; so Chromium runs here on a thread of its own, and each test hands it
a function of a fresh page (`browse(fn)`).
"""

from __future__ import annotations

import functools
import http.server
import textwrap
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chronicle.pipeline import BuildOptions, BuildResult, build
from tests.browser.conftest import CHROMIUM_FLAGS, require_chromium

SITE = {
    "site.toml": """\
        title = "Search Test"
        base_url = "https://example.org/founders/"
        languages = ["en", "zh-hant"]
        """,
    "content/people/igor-babuschkin.md": """\
        ---
        name: Igor Babuschkin
        role: Co-founder, xAI
        summary: Physicist turned AI engineer.
        organizations: [xai]
        ---
        Igor did his PhD research in particle physics before he asked whether quantum
        gravity could be found by a superintelligence.
        """,
    "content/people/igor-babuschkin.zh-hant.md": """\
        ---
        name: 伊戈爾·巴布什金
        role: xAI 共同創辦人
        summary: 從物理學走進人工智慧的工程師。
        ---
        他在歐洲核子研究組織從事粒子物理博士研究，後來思考人工智慧能否找出一套自洽的量子重力理論。
        """,
    "content/people/max-tegmark.md": """\
        ---
        name: Max Tegmark
        summary: Physicist at MIT.
        ---
        Max talked with Igor Babuschkin about the future of AI.
        """,
    "content/people/max-tegmark.zh-hant.md": """\
        ---
        name: 馬克斯·泰格馬克
        summary: 麻省理工學院的物理學家。
        ---
        他曾與伊戈爾·巴布什金談論人工智慧的未來，也問過什麼是好的問題。
        """,
    "content/organizations/xai.md": """\
        ---
        name: xAI
        founded: 2023-03
        founders: [igor-babuschkin]
        summary: An AI company.
        ---
        Builds Grok.
        """,
    "content/events/xai-announced.md": """\
        ---
        title: xAI is announced
        date: 2023-07-12
        people: [igor-babuschkin]
        organizations: [xai]
        summary: The company says what it is for.
        sources:
          - {title: Fortune, url: "https://example.com/fortune"}
        ---
        Igor Babuschkin and the team announce xAI.
        """,
    "content/events/cern-phd.md": """\
        ---
        title: PhD research at CERN
        date: 2014
        end: 2015
        people: [igor-babuschkin]
        summary: Particle physics.
        ---
        """,
    "content/pages/about.md": """\
        ---
        title: About
        summary: About this site.
        ---
        A site about founders.
        """,
}


@dataclass
class Served:
    url: str  # ends with /founders/
    out: Path
    result: BuildResult


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def write_site(root: Path, files: dict[str, str] | None = None) -> Path:
    for rel, text in {**SITE, **(files or {})}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("search")
    site = write_site(base / "site")
    out = base / "www" / "founders"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(base / "www"))
    )
    url = f"http://127.0.0.1:{server.server_address[1]}/founders/"
    result = build(
        BuildOptions(site_root=site, out=out, base_url=url, search=True, fingerprint=True)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(url, out, result)
    server.shutdown()
    server.server_close()


Browse = Callable[..., Any]


@pytest.fixture(scope="session")
def browse() -> Iterator[Browse]:
    """`browse(fn, javascript=True)`: `fn(page)` on a fresh page in Chromium, its result."""
    executable = require_chromium()
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
    state: dict[str, Any] = {}

    def start() -> None:
        from playwright.sync_api import sync_playwright

        state["playwright"] = sync_playwright().start()
        state["browser"] = state["playwright"].chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS
        )

    def stop() -> None:
        state["browser"].close()
        state["playwright"].stop()

    thread.submit(start).result(timeout=60)

    def run(fn: Callable[[Any], Any], *, javascript: bool = True) -> Any:
        def job() -> Any:
            context = state["browser"].new_context(java_script_enabled=javascript)
            try:
                return fn(context.new_page())
            finally:
                context.close()

        return thread.submit(job).result(timeout=120)

    try:
        yield run
    finally:
        thread.submit(stop).result(timeout=60)
        thread.shutdown()


def pagefind_search(page: Any, query: str | None, filters: dict[str, str] | None = None) -> Any:
    """Pagefind's own JavaScript API, in the page already open: result URLs in rank order."""
    return page.evaluate(
        """async ([query, filters]) => {
            const form = document.getElementById("search-form").dataset;
            const pagefind = await import(form.bundle + "pagefind.js");
            await pagefind.options({ baseUrl: form.base });
            const search = await pagefind.search(query, { filters });
            const data = await Promise.all(search.results.map((r) => r.data()));
            return data.map((d) => ({ url: d.url, title: d.meta.title, filters: d.filters }));
        }""",
        [query, filters or {}],
    )
