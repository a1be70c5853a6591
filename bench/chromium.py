"""How the tools start Debian's Chromium (bench/serve_latency.py, scripts/screenshots.py):
headless, and quiet (no update checks, no sync, no first-run pages skewing a timing)."""

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
