"""Robustness suite: hostile and broken input, run through `build.py` as an author would.

Each folder under `cases/` is one small site with one defect, named for it. It holds
`site.toml`, `content/...` (and `templates/...` when the defect is in a template) and
`expected.txt`, the exact diagnostics the build must print, one per line:

    content/people/ada.md:3:7: error: `date`: `2023-13` has month 13; ...

A line starting with `~ ` is a pattern for a message whose exact words are not ours to
fix: `...` stands for any text, everything else must match as written. Lines starting
with `#` are comments. The error lines printed must be exactly the expected ones (no more,
no fewer, in any order); an expected `warning:` line must be printed too.

An optional `case.json` says what cannot be kept as plain files in a repository:

    {"exit": 2,                                        # default 1
     "files": {"content/people/Ada.md": "text"},       # names that clash on some disks
     "generate": {"content/x.md": {"head": "", "repeat": "[", "times": 5000, "tail": ""}},
     "symlink": {"content/people/host.md": "/etc/hostname"},
     "crlf_bom": ["content/people/ada.md"]}            # rewritten with a BOM and CRLF
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

try:  # Hypothesis keeps caches in ./.hypothesis: keep them out of the project.
    from hypothesis.configuration import set_hypothesis_home_dir
except ImportError:  # pragma: no cover - only the property tests need it
    pass
else:
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "chronicle-robustness-hypothesis")

ROOT = Path(__file__).resolve().parents[2]
BUILD_PY = ROOT / "build.py"
CASES_DIR = Path(__file__).resolve().parent / "cases"
CASE_META_FILES = ("expected.txt", "case.json")

DIAGNOSTIC = re.compile(r"^(?P<where>\S.*?:\d+:\d+): (?P<kind>error|warning): (?P<message>.*)$")

SITE_TOML = 'title = "Robustness"\nbase_url = "https://example.org/"\n'

# A small valid site: the previous build that a failed build must leave alone, and the
# base of the sites that must build.
VALID_SITE: dict[str, str] = {
    "site.toml": SITE_TOML,
    "content/people/ada.md": (
        "---\n"
        "name: Ada Lovelace\n"
        "role: Analyst\n"
        "summary: Wrote the first program.\n"
        "organizations:\n"
        "  - {org: engine-co, role: Programmer, from: 1842, to: 1843-09}\n"
        "links:\n"
        "  Wikipedia: https://en.wikipedia.org/wiki/Ada_Lovelace\n"
        "tags: [Computing]\n"
        "featured: true\n"
        "---\n"
        "Ada's **biography**. See [the engine](/organizations/engine-co/).\n"
    ),
    "content/people/charles.md": "---\nname: Charles Babbage\nrole: Inventor\n---\nEngines.\n",
    "content/organizations/engine-co.md": (
        "---\nname: Engine Company\nfounded: 1834-06\nfounders: [charles]\n"
        "url: https://example.com/engine\n---\nBuilds engines.\n"
    ),
    "content/events/notes.md": (
        "---\n"
        "title: The Notes are published\n"
        "date: 1843-09\n"
        "people: [ada]\n"
        "organizations: [engine-co]\n"
        "sources:\n"
        "  - {title: Scientific Memoirs, url: 'https://example.com/memoirs'}\n"
        "---\n"
        "The notes include *the first program*.\n"
    ),
    "content/events/list.yaml": (
        "- slug: engine-designed\n"
        "  title: The engine is designed\n"
        "  date: 1837\n"
        "  end: 1838-02\n"
        "  people: [charles]\n"
        "- slug: meeting\n"
        "  title: Ada meets Charles\n"
        "  date: 1833-06-05\n"
        "  people: [ada, charles]\n"
    ),
    "content/pages/about.md": "---\ntitle: About\n---\nAbout this site.\n",
}


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    """One run of build.py."""

    code: int
    stdout: str
    stderr: str

    def __repr__(self) -> str:  # what pytest shows when an assertion fails
        return f"<build.py exit={self.code}>\n--- stderr ---\n{self.stderr[-6000:]}"

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if _kind(line) == "error"]

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if _kind(line) == "warning"]


def _kind(line: str) -> str | None:
    match = DIAGNOSTIC.match(line)
    return match["kind"] if match else None


def run_build(
    site: Path,
    out: Path,
    *extra: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Run:
    """`build.py build --site SITE --out OUT` in a subprocess, as the issue asks."""
    proc = subprocess.run(
        [sys.executable, str(BUILD_PY), "build", "--site", str(site), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(cwd or site.parent),
        env=env,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def write_files(root: Path, files: dict[str, str] | dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8"))
    (root / "content").mkdir(parents=True, exist_ok=True)
    return root


def tree_hashes(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file, a marker for every folder and symlink."""
    result: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[rel] = f"<symlink {path.readlink()}>"
        elif path.is_dir():
            result[rel + "/"] = "<dir>"
        else:
            result[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    folder: Path
    expected: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return int(self.meta.get("exit", 1))

    def materialize(self, dest: Path) -> Path:
        """Copy the case's site to `dest`, then make what case.json describes."""
        shutil.copytree(
            self.folder, dest, symlinks=True, ignore=shutil.ignore_patterns(*CASE_META_FILES)
        )
        (dest / "content").mkdir(exist_ok=True)
        for rel, text in self.meta.get("files", {}).items():
            write_files(dest, {rel: text})
        for rel, spec in self.meta.get("generate", {}).items():
            text = spec.get("head", "") + spec["repeat"] * spec["times"] + spec.get("tail", "")
            write_files(dest, {rel: text})
        for rel, target in self.meta.get("symlink", {}).items():
            link = dest / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target)
        for rel in self.meta.get("crlf_bom", []):
            path = dest / rel
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
        return dest


def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in CASES_DIR.iterdir() if p.is_dir()):
        expected_file = folder / "expected.txt"
        expected = (
            [
                line
                for line in expected_file.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")
            ]
            if expected_file.is_file()
            else []
        )
        meta_file = folder / "case.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
        cases.append(Case(folder.name, folder, expected, meta))
    return cases


def line_matches(expected: str, actual: str) -> bool:
    """An exact line, or a `~ ` pattern in which `...` stands for any text."""
    if not expected.startswith("~ "):
        return expected == actual
    parts = expected[2:].split("...")
    return re.fullmatch(".*".join(re.escape(part) for part in parts), actual, re.S) is not None


def unmatched(expected: list[str], actual: list[str]) -> tuple[list[str], list[str]]:
    """(expected lines not printed, printed lines not expected): each line used once."""
    left = list(actual)
    missing = []
    # Exact lines first, so that a pattern does not take a line an exact one needs.
    for line in sorted(expected, key=lambda e: e.startswith("~ ")):
        found = next((a for a in left if line_matches(line, a)), None)
        if found is None:
            missing.append(line)
        else:
            left.remove(found)
    return missing, left


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder made by a successful build of VALID_SITE (built once)."""
    base = tmp_path_factory.mktemp("previous")
    site = write_files(base / "site", VALID_SITE)
    out = base / "output"
    result = run_build(site, out)
    assert result.code == 0, result
    assert (out / "index.html").is_file(), "the valid site built no home page"
    return out


@dataclass
class PriorOutput:
    """A copy of a previous build with a sentinel file, and its fingerprint."""

    path: Path
    sentinel: Path
    sentinel_text: str
    hashes: dict[str, str]

    def assert_untouched(self) -> None:
        assert self.sentinel.is_file(), "the sentinel in the previous output is gone"
        assert self.sentinel.read_text(encoding="utf-8") == self.sentinel_text
        assert tree_hashes(self.path) == self.hashes, "the previous output was changed"
        leftovers = sorted(
            p.name
            for p in self.path.parent.iterdir()
            if p.name.startswith(f".{self.path.name}.") and not p.name.endswith(".lock")
        )
        assert not leftovers, f"staging folders left beside the output: {leftovers}"


@pytest.fixture
def prior_output(tmp_path: Path, previous_build: Path) -> PriorOutput:
    out = tmp_path / "output"
    shutil.copytree(previous_build, out, symlinks=True)
    sentinel = out / "sentinel-from-previous-build.txt"
    text = f"previous build, kept by every failed build ({tmp_path.name})\n"
    sentinel.write_text(text, encoding="utf-8")
    return PriorOutput(out, sentinel, text, tree_hashes(out))


# --------------------------------------------------------------------------- HTML


class HtmlAudit(HTMLParser):
    """Every element, attribute, script body and text node of one HTML file."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []  # (attributes, text)
        self.texts: list[str] = []
        self._script: tuple[dict[str, str], list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        self.elements.append((tag.lower(), attributes))
        if tag.lower() == "script":
            self._script = (attributes, [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag.lower(), {name.lower(): value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        else:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "background")


def _scheme_view(url: str) -> str:
    """The URL as a browser reads its scheme: no controls, blanks or tabs, lower case."""
    return "".join(ch for ch in url if ord(ch) > 0x20 and ch != "\x7f").lower()


def injection_problems(html: str, where: str) -> list[str]:
    """Anything in the page that could run script: the checks of the hostile-text tests."""
    audit = HtmlAudit(html)
    problems = []
    for attributes, text in audit.scripts:
        if attributes.get("type", "").strip().lower() != "application/ld+json":
            problems.append(f"{where}: a <script> that is not JSON-LD: {attributes} {text[:80]!r}")
        elif "</script" in text.lower():
            problems.append(f"{where}: JSON-LD holding `</script`: {text[:200]!r}")
    for tag, attributes in audit.elements:
        for name, value in attributes.items():
            if name.startswith("on"):
                problems.append(f"{where}: <{tag}> has an event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and _scheme_view(value).startswith(UNSAFE_SCHEMES):
                problems.append(f"{where}: <{tag} {name}={value!r}> has an unsafe scheme")
            if name == "srcset" and any(
                _scheme_view(part).startswith(UNSAFE_SCHEMES) for part in value.split(",")
            ):
                problems.append(f"{where}: <{tag} srcset={value!r}> has an unsafe scheme")
        refresh = attributes.get("http-equiv", "").lower() == "refresh"
        target = attributes.get("content", "").partition("url=")[2] if refresh else ""
        if _scheme_view(target.strip("'\"")).startswith(UNSAFE_SCHEMES):
            problems.append(f"{where}: a refresh to an unsafe scheme: {attributes}")
        if tag in ("iframe", "object", "embed", "frame", "applet", "base"):
            problems.append(f"{where}: a <{tag}> element")
    return problems
