"""Where a site begins: finding the site a command works on, and `init DIR`, which writes
a new one that builds as it is.

The new site's files are written here, inline: a handful of short texts that are read
side by side with the content model (docs/content-model.md) when either changes.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from chronicle import __version__
from chronicle.errors import ExitCode

SETTINGS_FILE = "site.toml"


def find_site(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds site.toml, or None (as hugo and
    zola find theirs: a command run anywhere inside a site works on that site)."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None


def site_here() -> Path | str:
    """The site of the current folder (find_site), else the one line that says what to do."""
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed under the shell
        return "the current folder no longer exists; name the site with --site DIR"
    found = find_site(here)
    if found is None:
        return (
            f"no {SETTINGS_FILE} in {here} or any folder above it; start a site with "
            f"`{program()} init DIR`, or name one with --site DIR"
        )
    return found


def program() -> str:
    """`build.py` or `chronicle` (the installed command): the name help and hints use."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "chronicle" if name == "chronicle" else "build.py"


def invocation() -> str:
    """How to run this program again, for hints: `chronicle`, or python and build.py's path."""
    if program() == "chronicle":
        return "chronicle"
    python = "python" if shutil.which("python") else "python3"  # Debian has python3 only
    return f"{python} {Path(sys.argv[0]).absolute()}" if sys.argv[0] else f"{python} build.py"


SITE_TOML = """\
# Site settings. Only title and base_url are required; the others show their defaults.
# Every setting is described in Chronicle's docs/content-model.md, "Settings".

# The site's name: in the header, in each page's title and in the feeds.
title = "Founders"

# Where the site is published. Links, feeds and social cards are made from it; a sub-path
# works too ("https://example.org/founders/"). `build --base-url URL` overrides it.
base_url = "https://example.org/"

# The home page's lede and the default description search engines and link previews show.
description = "Profiles of founders and the story they tell, on a timeline."

# The languages, the default first: ["en", "zh-hant"] adds pages in Traditional Chinese
# wherever an entry has a translation (content/people/ada.zh-hant.md).
languages = ["en"]

# Named as the author in the Atom feed (default: the title).
author = "Founders"

# How many of the latest events the home page shows.
home_events = 6

# How many events each feed (feed.xml, feed.json) carries.
feed_events = 50

# A preview image (og:image) for each person and event, in every language.
social_cards = true
"""

PERSON = """\
---
name: "Ada Example"
role: "Founder and chief executive"
summary: "Founded Example Labs after ten years of building search engines."
organizations:
  - {org: example-labs, role: "Founder", from: 2024}
featured: true
tags: [founding]
---
Ada's biography, in Markdown. Link other pages from the site root:
[Example Labs](/organizations/example-labs/), or [the timeline](/timeline/).

Start your own with `new person "Full Name"`; every field is listed in the new file.
"""

ORGANIZATION = """\
---
name: "Example Labs"
founded: 2024-03
founders: [ada-example]
url: "https://example.com"
summary: "A small company that makes tools for writing history."
tags: [founding]
---
What Example Labs is and does, in Markdown.
"""

EVENT = """\
---
title: "Example Labs is founded"
date: 2024-03-01
people: [ada-example]
organizations: [example-labs]
summary: "Ada Example starts Example Labs in her kitchen."
tags: [founding]
sources:
  - {title: "The founding announcement", url: "https://example.com/news/founded"}
---
What happened, in Markdown. Every event cites where it is known from: `sources` lists
them, each with a title and, when there is one, an address.
"""

ABOUT = """\
---
title: "About"
summary: "What this site is and how to read it."
---
This site tells the story of a few founders and their companies on
[a timeline](/timeline/). Each event cites its sources.

Edit this page in `content/pages/about.md`; add pages beside it.
"""

TEMPLATES_README = """\
# Your own templates

This folder starts empty: the site uses Chronicle's default theme as it is. To change
one page type, put a template of the same name here; see Chronicle's docs/theme.md.

- **Override**: `templates/person.html` replaces the theme's `person.html` for every
  person's page (`base.html` changes the layout of every page).
- **Extend**: start the override with `{% extends "theme/person.html" %}` and fill only
  the blocks you change; `{{ super() }}` keeps the theme's own content of a block.
- **Style**: `static/custom.css` (at the site's top, beside `content/`) is linked after
  the theme's stylesheet, so its rules win.

A template here that replaces nothing and that nothing uses is reported as a warning.
"""

GITIGNORE = """\
# What a build writes: the site, the cache of resized images and social cards, and the
# lock and scratch files beside output/ while a build writes it.
output/
.cache/
/.output.*
"""

# GitHub Pages: Chronicle installed from its repository at a fixed version, so that a
# deploy today and one next year build the same pages.
WORKFLOW = """\
# Build the site for its GitHub Pages address and publish it on every push to main.
# In the repository's settings, Pages > Source must be "GitHub Actions".
name: Deploy to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # Chronicle, with its default theme, at a pinned version. Replace OWNER/REPO with the
  # repository Chronicle is published in, and the ref with a release tag or a commit.
  CHRONICLE: "chronicle @ git+https://github.com/OWNER/REPO@v{version}"

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install Chronicle
        run: pip install "$CHRONICLE"
      # Resized images and social cards from earlier runs. The newest cache made with the
      # same Chronicle (this file pins it) and the same theme is restored; a new key each
      # run saves the cards this run drew. A build prunes what it has not used for a while.
      - id: cache-key
        env:
          PINNED: ${{ hashFiles('.github/workflows/pages.yml') }}
          THEME: ${{ hashFiles('templates/**', 'static/**') }}
        run: echo "key=chronicle-$PINNED-$THEME" >> "$GITHUB_OUTPUT"
      - uses: actions/cache@v4
        with:
          path: .cache
          key: ${{ steps.cache-key.outputs.key }}-${{ github.run_id }}
          restore-keys: ${{ steps.cache-key.outputs.key }}-
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build for the Pages address
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: chronicle build --search --base-url "$BASE_URL/" --minify
      - name: Check every internal link
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: chronicle check --base-url "$BASE_URL/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

# Relative path -> text. Folders are made as needed; templates/ holds only its README.
FILES: dict[str, str] = {
    SETTINGS_FILE: SITE_TOML,
    "content/people/ada-example.md": PERSON,
    "content/organizations/example-labs.md": ORGANIZATION,
    "content/events/example-labs-founded.md": EVENT,
    "content/pages/about.md": ABOUT,
    "templates/README.md": TEMPLATES_README,
    ".gitignore": GITIGNORE,
    ".github/workflows/pages.yml": WORKFLOW.replace("{version}", __version__),
}


def init_site(folder: Path, program: str = "build.py") -> int:
    """Write a new site into `folder` (made if missing); the exit status. Nothing is
    written when any of its files exists already: a clone holding a README, a LICENSE
    and .git is fine, a folder that is already a site is not."""
    if folder.exists() and not folder.is_dir():
        return _refuse(f"{folder} is a file, not a folder; name a new or existing folder")
    taken = [name for name in FILES if (folder / name).exists() or (folder / name).is_symlink()]
    if taken:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        return _refuse(
            f"{folder / taken[0]} exists{more}; init never replaces a file: move it away, "
            "or start the site in another folder"
        )
    try:
        for name, text in FILES.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as file:
                file.write(text)
    except OSError as exc:
        return _refuse(f"cannot write the new site in {folder}: {exc.strerror or exc}")
    where = "" if folder.absolute() == Path.cwd() else f"cd {folder} && "
    print(f"created a site in {folder}: {len(FILES)} files", file=sys.stderr)
    print(f"next: {where}{program} serve   (a preview that reloads as you edit)", file=sys.stderr)
    return ExitCode.OK


def _refuse(line: str) -> int:
    print(f"error: {line}", file=sys.stderr)
    return ExitCode.USAGE
