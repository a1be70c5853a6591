"""Lighthouse scores of the built site's main pages, in Debian's Chromium.

    .venv/bin/python bench/lighthouse.py [--preset mobile|desktop] [--runs N] [--keep DIR]

Builds the project's site as `make build` does (fingerprinted assets), serves it on
loopback the way deploy/nginx.conf does (gzip for text, a year of cache for fingerprinted
files, revalidation for pages), and runs Lighthouse 12.2.3 on the home, a person's and
the timeline page. Lighthouse comes from npm into .cache/lighthouse/ (installed on first
use; 13.x needs a newer Node than Debian's). Prints each page's scores and exits 1 when a
page scores under 100 for accessibility, best practices or SEO, or under 95 for
performance (the median of --runs runs, as scores vary between runs).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from chronicle.pipeline import BuildOptions, build  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
NPM_FOLDER = PROJECT / ".cache" / "lighthouse"
PAGES = {"home": "", "person": "people/igor-babuschkin/", "timeline": "timeline/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.\w+$")
COMPRESSED = ("text/", "application/json", "application/xml", "image/svg+xml")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with nginx.conf's headers: gzip for text, caching as deployed."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        immutable = FINGERPRINTED.search(self.path.split("?")[0])
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        self.send_header("Cache-Control", cache)
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        kind = self.guess_type(str(path))
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and kind.startswith(COMPRESSED)):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if "text" in kind else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return _Bytes(data)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, _size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def lighthouse_binary() -> Path:
    binary = NPM_FOLDER / "node_modules" / ".bin" / "lighthouse"
    version_file = NPM_FOLDER / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(version_file.read_text())["version"] if version_file.is_file() else None
    if installed != LIGHTHOUSE_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm not found: Lighthouse is installed with npm (apt-get install npm)")
        NPM_FOLDER.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(NPM_FOLDER),
                "--no-audit",
                "--no-fund",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return binary


def run_lighthouse(binary: Path, url: str, preset: str, report: Path) -> dict[str, int]:
    chromium = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium})
    result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median counts")
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args()
    binary = lighthouse_binary()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        handler = functools.partial(Handler, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        build(
            BuildOptions(
                site_root=PROJECT, out=Path(tmp) / "site", base_url=base + "site/", fingerprint=True
            )
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        reports = args.keep or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        print(f"Lighthouse {LIGHTHOUSE_VERSION}, {args.preset}, median of {args.runs} run(s)")
        print(f"{'page':10}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for name, path in PAGES.items():
            runs = [
                run_lighthouse(
                    binary,
                    base + "site/" + path,
                    args.preset,
                    reports / f"{name}-{args.preset}-{i}.json",
                )
                for i in range(args.runs)
            ]
            scores = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
            low = [c for c in CATEGORIES if scores[c] < MINIMUM[c]]
            failed = failed or bool(low)
            print(
                f"{name:10}"
                + "".join(f"{scores[c]:>16}" for c in CATEGORIES)
                + (f"   below target: {', '.join(low)}" if low else "")
            )
        server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
