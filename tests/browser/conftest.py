"""A real Chromium (Debian's package) driven by Playwright, and the built site on loopback.

Without chromium the tests skip with the reason, unless REQUIRE_BROWSER=1 (set by CI),
which turns the skip into a failure so that CI can never pass by skipping.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from chronicle.pipeline import BuildOptions, build
from tests.conftest import PROJECT, missing_tool

SWITCHES = ("REQUIRE_BROWSER",)  # that turn a missing chromium into a failure

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    return found if found and Path(found).exists() else None


def require_chromium() -> str:
    """Chromium's path; a skip with the reason where it is missing, a failure under CI."""
    executable = chromium_path()
    if executable is None:
        missing_tool("chromium not found (apt-get install chromium, or set CHROMIUM)", *SWITCHES)
    return executable


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site built for a sub-path and served from loopback under that sub-path."""
    root = tmp_path_factory.mktemp("served")
    out = root / "founders"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    port = server.server_address[1]
    build(BuildOptions(site_root=PROJECT, out=out, base_url=f"http://127.0.0.1:{port}/founders/"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/founders/"
    server.shutdown()
    server.server_close()
