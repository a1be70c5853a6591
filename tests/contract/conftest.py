"""Fixtures for the content-model contract tests.

These tests treat the generator as a black box: they write a small site into a
temporary folder, run ``build.py`` through its command line, and look only at the
exit status, the diagnostics on stderr and the files written. They check the
contract in /work/shared/CONTENT-MODEL.md and nothing about the internals.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_PY = ROOT / "build.py"

DEFAULT_BASE_URL = "https://example.org/"

# `path:line:col: error: message` (or `warning`), path relative to the site root.
_DIAG_RE = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<kind>error|warning): (?P<message>.*)$"
)
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- results


@dataclass
class Diagnostic:
    path: str
    line: int
    col: int
    kind: str
    message: str
    detail: str = ""  # indented continuation lines printed right after, if any

    def mentions(self, word: str) -> bool:
        """Case-insensitive: does the one-line message contain ``word``?"""
        return word.lower() in self.message.lower()


@dataclass
class Result:
    """What one run of build.py produced."""

    code: int
    stdout: str
    stderr: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        current: Diagnostic | None = None
        for raw in self.stderr.splitlines():
            line = _ANSI_RE.sub("", raw).rstrip("\r")
            m = _DIAG_RE.match(line)
            if m:
                current = Diagnostic(
                    path=m["path"],
                    line=int(m["line"]),
                    col=int(m["col"]),
                    kind=m["kind"],
                    message=m["message"],
                )
                self.diagnostics.append(current)
            elif current is not None and line[:1].isspace() and line.strip():
                current.detail += line.strip() + "\n"
            else:
                current = None

    def __repr__(self) -> str:  # shown by pytest when an assertion fails
        return (
            f"<build.py exit={self.code}>\n--- stderr ---\n{self.stderr[-4000:]}"
            f"\n--- stdout ---\n{self.stdout[-1500:]}"
        )

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind == "warning"]

    def find(
        self,
        kind: str,
        path: str,
        line: int | None = None,
        mentions: tuple[str, ...] | list[str] = (),
    ) -> list[Diagnostic]:
        return [
            d
            for d in self.diagnostics
            if d.kind == kind
            and d.path == path
            and (line is None or d.line == line)
            and all(d.mentions(w) for w in mentions)
        ]

    def expect_error(
        self,
        path: str,
        line: int | None = None,
        mentions: tuple[str, ...] | list[str] = (),
    ) -> Diagnostic:
        """Assert that an error was reported at ``path[:line]`` whose message
        mentions every word in ``mentions`` (case-insensitive)."""
        found = self.find("error", path, line, mentions)
        where = f"{path}:{line if line is not None else '<any line>'}"
        assert found, f"expected an error at {where} mentioning {list(mentions)}; got {self!r}"
        return found[0]

    def expect_warning(
        self,
        path: str,
        line: int | None = None,
        mentions: tuple[str, ...] | list[str] = (),
    ) -> Diagnostic:
        found = self.find("warning", path, line, mentions)
        where = f"{path}:{line if line is not None else '<any line>'}"
        assert found, f"expected a warning at {where} mentioning {list(mentions)}; got {self!r}"
        return found[0]


# --------------------------------------------------------------------------- HTML


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.script_texts: list[str] = []
        self.times: list[tuple[str | None, str]] = []
        self._raw_depth = 0
        self._time_stack: list[tuple[str | None, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = {k.lower(): (v or "") for k, v in attrs}
        self.tags.append((tag, d))
        if tag in ("script", "style"):
            self._raw_depth += 1
        if tag == "time":
            self._time_stack.append((d.get("datetime"), []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k.lower(): (v or "") for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._raw_depth:
            self._raw_depth -= 1
        if tag == "time" and self._time_stack:
            dt, parts = self._time_stack.pop()
            self.times.append((dt, " ".join("".join(parts).split())))

    def handle_data(self, data: str) -> None:
        if self._raw_depth:
            self.script_texts.append(data)
            return
        self.text_parts.append(data)
        for _, parts in self._time_stack:
            parts.append(data)


class Page:
    """A built HTML file, parsed with the standard library's html.parser."""

    def __init__(self, html: str, url: str) -> None:
        self.html = html
        self.url = url  # absolute URL the page is served at
        c = _Collector()
        c.feed(html)
        c.close()
        self.tags = c.tags
        self.text = " ".join("".join(c.text_parts).split())
        self.script_texts = c.script_texts
        self.times = c.times

    def elements(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.tags if t == tag]

    def attr_values(self, *names: str) -> list[str]:
        return [attrs[n] for _, attrs in self.tags for n in names if n in attrs]

    @property
    def hrefs(self) -> list[str]:
        return self.attr_values("href")

    @property
    def links(self) -> list[str]:
        """Every href, resolved against the page's own URL."""
        return [urljoin(self.url, h.strip()) for h in self.hrefs]

    def links_to(self, absolute_url: str) -> bool:
        return absolute_url in self.links


# --------------------------------------------------------------------------- sites


def tree_hashes(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file (and a marker for every folder)."""
    result: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_dir():
            result[rel + "/"] = "<dir>"
        else:
            result[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return result


class Site:
    """A site folder on disk plus helpers to build it and read what was built."""

    def __init__(self, root: Path, out: Path, base_url: str) -> None:
        self.root = root
        self.out = out
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"

    # -- writing the site
    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    # -- running the generator
    def run(self, *args: str) -> Result:
        assert BUILD_PY.exists(), f"{BUILD_PY} does not exist (yet)"
        proc = subprocess.run(
            [sys.executable, str(BUILD_PY), *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=str(self.root.parent),
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def build(self, *extra: str, out: Path | None = None) -> Result:
        target = self.out if out is None else out
        return self.run("build", "--site", str(self.root), "--out", str(target), *extra)

    def check(self, *extra: str) -> Result:
        return self.run("check", "--site", str(self.root), *extra)

    # -- reading the output
    def file(self, url: str, out: Path | None = None) -> Path:
        """Map a site URL (without the base path) to the built file:
        ``/people/ada/`` -> ``out/people/ada/index.html``; ``/feed.xml`` -> ``out/feed.xml``."""
        base = self.out if out is None else out
        rel = unquote(url.lstrip("/"))
        if rel == "" or rel.endswith("/"):
            return base / rel / "index.html"
        return base / rel

    def has(self, url: str) -> bool:
        return self.file(url).is_file()

    def page(self, url: str) -> Page:
        path = self.file(url)
        assert path.is_file(), f"{url} was not built (no {path})"
        return Page(path.read_text(encoding="utf-8"), urljoin(self.base_url, url.lstrip("/")))

    def text(self, url: str) -> str:
        path = self.file(url)
        assert path.is_file(), f"{url} was not built (no {path})"
        return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the base site

SITE_TOML = 'title = "Contract Test Site"\nbase_url = "{base_url}"\n'

BASE_FILES: dict[str, str | bytes] = {
    "content/people/ada.md": """\
---
name: Ada Lovelace
role: Mathematician
summary: Wrote the first published program.
featured: true
organizations: [analytical-society]
tags: [Mathematics, Deep Learning]
links:
  Wikipedia: https://en.wikipedia.org/wiki/Ada_Lovelace
---
Ada wrote notes on the **Analytical Engine**.
""",
    "content/people/charles.md": """\
---
name: Charles Babbage
role: Inventor
tags: [deep-learning]
---
Charles designed engines.
""",
    "content/organizations/analytical-society.md": """\
---
name: Analytical Society
founded: 1812
founders: [charles]
url: https://example.com/society
---
A society of mathematicians.
""",
    "content/events/first-program.md": """\
---
title: First Program Published
date: 1843-09
people: [ada, charles]
organizations: [analytical-society]
tags: [Mathematics]
sources:
  - {title: Sketch of the Analytical Engine, url: "https://example.com/sketch"}
---
The notes were published.
""",
    "content/pages/about.md": """\
---
title: About This Site
---
See [Ada](/people/ada/) and the [timeline](/timeline/).
""",
    "content/media/notes/readme.txt": "a media file\n",
    "content/media/pixel.png": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
        b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f"
        b"\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    ),
    "static/contract-extra.css": "/* contract test static file */\nbody { margin: 0; }\n",
}


def _make(
    parent: Path,
    files: dict[str, str | bytes | None] | None,
    *,
    base: bool,
    base_url: str,
    toml_extra: str,
    name: str,
) -> Site:
    root = parent / name
    root.mkdir(parents=True)
    site = Site(root, parent / f"{name}-out", base_url)
    merged: dict[str, str | bytes | None] = {}
    merged["site.toml"] = SITE_TOML.format(base_url=base_url) + toml_extra
    if base:
        merged.update(BASE_FILES)
    merged.update(files or {})
    for rel, content in merged.items():
        if content is not None:
            site.write(rel, content)
    (root / "content").mkdir(exist_ok=True)
    return site


@pytest.fixture
def make_site(tmp_path: Path):
    """Factory: ``make_site({"content/people/x.md": "..."})`` -> Site.

    The base site (two people, one organization, one event, one page, media and a
    static file) is included unless ``base=False``; a value of ``None`` removes a base
    file. ``toml_extra`` is appended to site.toml (e.g. a ``languages`` line).
    """
    counter = iter(range(1000))

    def factory(
        files: dict[str, str | bytes | None] | None = None,
        *,
        base: bool = True,
        base_url: str = DEFAULT_BASE_URL,
        toml_extra: str = "",
        name: str | None = None,
    ) -> Site:
        return _make(
            tmp_path,
            files,
            base=base,
            base_url=base_url,
            toml_extra=toml_extra,
            name=name or f"site{next(counter)}",
        )

    return factory


@pytest.fixture(scope="session")
def site_factory(tmp_path_factory):
    """Like ``make_site`` but usable from module- or session-scoped fixtures."""

    def factory(
        files: dict[str, str | bytes | None] | None = None,
        *,
        base: bool = True,
        base_url: str = DEFAULT_BASE_URL,
        toml_extra: str = "",
    ) -> Site:
        return _make(
            tmp_path_factory.mktemp("shared"),
            files,
            base=base,
            base_url=base_url,
            toml_extra=toml_extra,
            name="site",
        )

    return factory


@pytest.fixture(scope="session")
def built_base(tmp_path_factory) -> Site:
    """The base site, built once with base_url https://example.org/."""
    site = _make(
        tmp_path_factory.mktemp("base"),
        None,
        base=True,
        base_url=DEFAULT_BASE_URL,
        toml_extra="",
        name="site",
    )
    result = site.build()
    assert result.code == 0, result
    return site


@pytest.fixture
def tree():
    """``tree(folder)`` -> {relative path: sha256} for byte-for-byte comparisons."""
    return tree_hashes
