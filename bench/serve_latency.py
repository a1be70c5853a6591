"""Save-to-reloaded latency of `build.py serve`, measured in Debian's Chromium.

    .venv/bin/python bench/serve_latency.py                 # the project's own site
    .venv/bin/python bench/serve_latency.py --people 1000   # a generated site (5,000 events)

Each round rewrites one person's Markdown with a new sentence and times, from just before
the write, until the reloaded page that holds that sentence has painted its first frame (the
page notes the time, by the same wall clock, in the first animation frame after its
DOMContentLoaded). Prints each round and the median. The time at which Playwright noticed
the sentence is printed too: it adds Playwright's own polling of the new document
(about 70 ms), which is not part of the preview's latency.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.chromium import FLAGS  # noqa: E402
from bench.generate import generate  # noqa: E402


def start_server(site: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--site", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines: list[str] = []
    for line in process.stderr:
        lines.append(line.rstrip())
        found = re.search(r" at (http://\S+) ", line)
        if found:
            threading.Thread(
                target=lambda: [lines.append(x.rstrip()) for x in process.stderr or []],
                daemon=True,
            ).start()
            return process, found.group(1), lines
    raise SystemExit("the server did not start:\n" + "\n".join(lines))


def measure(site: Path, person: str, rounds: int) -> list[float]:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    source = site / "content" / "people" / f"{person}.md"
    original = source.read_text(encoding="utf-8")
    process, url, lines = start_server(site)
    timings = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page()
            page.add_init_script(
                "addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => {"
                " window.__paintedAt = Date.now(); }));"
            )
            page.goto(f"{url}people/{person}/")
            page.wait_for_function("() => window.LiveReload && window.LiveReload.connector")
            page.wait_for_timeout(500)
            for index in range(rounds):
                token = f"Edit number {index} of the benchmark."
                start = time.time()
                source.write_text(original + f"\n{token}\n", encoding="utf-8")
                page.wait_for_selector(f"text={token}", timeout=60000)
                noticed = time.time() - start
                painted = page.evaluate("() => window.__paintedAt") / 1000 - start
                timings.append(painted)
                rebuilt = [line for line in lines if line.startswith("rebuilt:")]
                print(
                    f"round {index + 1}: {painted * 1000:.0f} ms to the painted page "
                    f"(Playwright noticed at {noticed * 1000:.0f} ms; {rebuilt[-1]})",
                    flush=True,
                )
                page.wait_for_timeout(300)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        source.write_text(original, encoding="utf-8")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=0, help="generate a site of N people")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if args.people:
            generate(site, args.people, seed=1, cards=True)  # the theme as authors get it
            person, label = "person-1", f"generated site, {args.people} people"
        else:
            shutil.copytree(
                PROJECT,
                site,
                ignore=shutil.ignore_patterns(
                    ".git", ".venv", "output", "tests", "bench", "*.egg-info", "__pycache__"
                ),
            )
            person, label = "igor-babuschkin", "the project's site"
        timings = measure(site, person, args.rounds)
    median = statistics.median(timings) * 1000
    print(
        f"{label}: median save-to-reloaded {median:.0f} ms over {len(timings)} rounds "
        f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})"
    )


if __name__ == "__main__":
    main()
