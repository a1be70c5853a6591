"""Take screenshots of the built site in Debian's Chromium, for the README.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Builds the project's site into a temp folder, serves it on loopback and captures the main
pages on a desktop and a phone, light and dark. Each PNG is reduced to a 128-colour palette
with Pillow, which keeps it around a tenth of its size with no visible change.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.chromium import FLAGS  # noqa: E402
from chronicle.pipeline import BuildOptions, build  # noqa: E402

# (file name, page, viewport, colour scheme)
SHOTS = [
    ("timeline-desktop-light", "timeline/#year-2023", (1280, 900), "light"),
    ("timeline-phone-dark", "timeline/", (390, 844), "dark"),
    ("person-desktop-light", "people/igor-babuschkin/", (1280, 900), "light"),
    ("home-desktop-dark", "", (1280, 900), "dark"),
    ("timeline-zh-hant-phone-light", "zh-hant/timeline/", (390, 844), "light"),
    ("person-phone-dark", "people/igor-babuschkin/", (390, 844), "dark"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def shrink(path: Path) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        handler = functools.partial(_Quiet, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        build(BuildOptions(site_root=PROJECT, out=Path(tmp) / "site", base_url=base + "site/"))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            for name, path, (width, height), scheme in SHOTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,
                    reduced_motion="reduce",  # a deep link lands at once, not mid-scroll
                )
                page = context.new_page()
                page.goto(base + "site/" + path)
                target = args.out / f"{name}.png"
                page.screenshot(path=str(target))
                shrink(target)
                print(target.relative_to(PROJECT) if target.is_relative_to(PROJECT) else target)
                context.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
