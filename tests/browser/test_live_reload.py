"""`build.py serve` in a real browser: what an author saves is what the page shows."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.conftest import PROJECT, SiteDir

pytestmark = pytest.mark.browser

STYLE = "body { background: rgb(255, 255, 255); }\n"


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    site: SiteDir
    lines: list[str] = field(default_factory=list)

    def rebuilds(self) -> int:
        return sum(1 for line in self.lines if line.startswith("rebuilt:"))

    def wait_for_rebuilds(self, count: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while self.rebuilds() < count:
            assert time.monotonic() < deadline, self.lines
            time.sleep(0.02)


@pytest.fixture
def server(make_site) -> Iterator[Server]:
    site = make_site(
        {
            "site.toml": 'title = "Test Site"\nbase_url = "https://example.org/founders/"\n',
            "static/style.css": STYLE,
        }
    )
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--site",
            str(site.root),
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT,
    )
    assert process.stderr is not None
    lines: list[str] = []
    url = ""
    for line in process.stderr:
        lines.append(line.rstrip())
        found = re.search(r" at (http://\S+) ", line)
        if found:
            url = found.group(1)
            break
    assert url.endswith("/founders/"), lines
    server = Server(process, url, site, lines)
    reader = threading.Thread(
        target=lambda: [lines.append(x.rstrip()) for x in process.stderr or []], daemon=True
    )
    reader.start()
    yield server
    process.terminate()
    process.wait(timeout=10)
    reader.join(timeout=5)
    process.stderr.close()


def open_page(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        "() => window.LiveReload && window.LiveReload.connector && "
        "window.LiveReload.connector._connectionDesired",
        timeout=5000,
    )
    # The reload client says hello once the socket is open; give it that moment.
    page.wait_for_timeout(200)
    return context, page


def test_an_edit_appears_without_a_manual_reload(browser, server):
    context, page = open_page(browser, server.url + "people/ada/")
    try:
        assert "biography" in page.inner_text("main")
        server.site.write(
            "content/people/ada.md", "---\nname: Ada Lovelace\n---\nFreshly edited text.\n"
        )
        page.wait_for_selector("text=Freshly edited text.", timeout=10000)
    finally:
        context.close()


def test_a_css_change_applies_without_reloading_the_page(browser, server):
    context, page = open_page(browser, server.url + "people/ada/")
    try:
        page.evaluate("window.__stillHere = true")
        server.site.write("static/style.css", "body { background: rgb(1, 2, 3); }\n")
        page.wait_for_function(
            "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10000
        )
        assert page.evaluate("window.__stillHere === true"), "the page was reloaded"
    finally:
        context.close()


def test_a_broken_file_shows_the_overlay_and_fixing_it_removes_it(browser, server):
    context, page = open_page(browser, server.url + "people/ada/")
    try:
        good = (server.site.root / "content/people/ada.md").read_text()
        server.site.write("content/people/ada.md", "---\nname: [Ada\n---\n")
        overlay = page.wait_for_selector("#chronicle-overlay", timeout=10000)
        assert overlay is not None
        assert "content/people/ada.md:2:" in overlay.inner_text()
        assert page.locator("h1").inner_text() == "Ada Lovelace"  # the last good page stays
        server.site.write("content/people/ada.md", good.replace("biography", "story"))
        page.wait_for_selector("#chronicle-overlay", state="detached", timeout=10000)
        page.wait_for_selector("text=story", timeout=10000)
    finally:
        context.close()


def test_a_burst_of_saves_gives_one_rebuild_and_one_reload(browser, server):
    context, page = open_page(browser, server.url + "timeline/")
    try:
        loads: list[str] = []
        page.on("load", lambda _page: loads.append("load"))
        before = server.rebuilds()
        for index in range(5):
            server.site.write(
                f"content/events/burst-{index}.md", f"---\ntitle: Burst {index}\ndate: 2001\n---\n"
            )
        page.wait_for_selector("text=Burst 4", timeout=10000)
        page.wait_for_timeout(700)  # room for any extra rebuild or reload to show up
        assert server.rebuilds() == before + 1, server.lines
        assert loads == ["load"]
    finally:
        context.close()


def test_the_browser_ends_on_the_latest_save(browser, server):
    context, page = open_page(browser, server.url + "people/charles/")
    try:
        for word in ("first", "second", "third"):
            server.site.write(
                "content/people/charles.md", f"---\nname: Charles\n---\nThe {word} version.\n"
            )
            time.sleep(0.15)  # separate saves, each within a second of the last
        page.wait_for_selector("text=The third version.", timeout=10000)
        page.wait_for_timeout(500)
        assert "The third version." in page.inner_text("main")
    finally:
        context.close()
