"""Shared test helpers: a small site written into a temp folder, built in-process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from chronicle.errors import BuildError, Report
from chronicle.model.lint import lint
from chronicle.pipeline import BuildOptions, BuildResult, build

PROJECT = Path(__file__).resolve().parent.parent

# Property tests (hypothesis) run the same examples on every run and machine by default, so
# that `make test` passes or fails the same way everywhere; `HYPOTHESIS_PROFILE=random`
# searches afresh, ten times longer (docs/contributing.md). A failure found at random is
# kept as an `@example(...)` of its test.
try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover - a dev dependency; only the property tests need it
    pass
else:
    _hypothesis_settings.register_profile("default", derandomize=True, print_blob=True)
    _hypothesis_settings.register_profile(
        "random", derandomize=False, max_examples=1000, print_blob=True
    )
    _hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SITE_TOML = 'title = "Test Site"\nbase_url = "https://example.org/"\n'

# A small valid site: two people, two organizations, events at every precision, a page.
SMALL_SITE = {
    "site.toml": SITE_TOML,
    "content/people/ada.md": """\
        ---
        name: Ada Lovelace
        role: Analyst
        summary: Wrote the first program.
        organizations:
          - {org: engine-co, role: Programmer, from: 1842, to: 1843-09}
        featured: true
        tags: [Computing, deep learning]
        ---
        Ada's **biography**. See [the engine](/organizations/engine-co/).
        """,
    "content/people/charles.md": """\
        ---
        name: Charles Babbage
        role: Inventor
        ---
        Charles designed engines.
        """,
    "content/organizations/engine-co.md": """\
        ---
        name: Engine Company
        founded: 1834-06
        founders: [charles]
        url: https://example.com/engine
        ---
        Builds engines.
        """,
    "content/organizations/society.md": """\
        ---
        name: Royal Society
        founded: 1660
        ---
        """,
    "content/events/notes.md": """\
        ---
        title: The Notes are published
        date: 1843-09
        people: [ada]
        organizations: [engine-co]
        tags: [Deep Learning]
        sources:
          - {title: Taylor's Scientific Memoirs, url: "https://example.com/memoirs"}
          - {title: A letter}
        ---
        The notes include *the first program*.
        """,
    "content/events/meeting.md": """\
        ---
        title: Ada meets Charles
        date: 1833-06-05
        people: [ada, charles]
        location: London
        ---
        """,
    "content/events/list.yaml": """\
        - slug: engine-designed
          title: The engine is designed
          date: 1837
          end: 1838-02
          people: [charles]
          organizations: [engine-co]
        - slug: year-of-notes
          title: A year of notes
          date: 1843
        """,
    "content/pages/about.md": """\
        ---
        title: About
        ---
        About this site. Go to [Ada](/people/ada/).
        """,
}


@dataclass
class SiteDir:
    root: Path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    @property
    def out(self) -> Path:
        return self.root / "output"

    def build(self, **options: object) -> BuildResult:
        """Build into output/; raises BuildError on content errors."""
        return build(BuildOptions(site_root=self.root, out=self.out, **options))  # type: ignore[arg-type]

    def errors(self, **options: object) -> Report:
        """Build a site expected to fail; returns the report."""
        with pytest.raises(BuildError) as info:
            self.build(**options)
        return info.value.report

    def page(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., SiteDir]:
    def make(files: dict[str, str | None] | None = None) -> SiteDir:
        """The small site with `files` added or replaced; a value of None removes a file."""
        site = SiteDir(tmp_path / "site")
        merged: dict[str, str | None] = {**SMALL_SITE, **(files or {})}
        for rel, text in merged.items():
            if text is not None:
                site.write(rel, text)
        return site

    return make


def missing_tool(reason: str, *switches: str) -> NoReturn:
    """A test needs a tool this machine lacks: skip with the reason, or fail when one of the
    `REQUIRE_*` switches (set by CI, docs/contributing.md) says the tool must be there."""
    required = [name for name in switches if os.environ.get(name) == "1"]
    if required:
        pytest.fail(f"{required[0]}=1 but {reason}")
    pytest.skip(reason)


def messages(report: Report) -> list[str]:
    return [str(p) for p in report.sorted()]


def besides_authoring(result: BuildResult, root: Path) -> list[str]:
    """The problems a build found other than its authoring warnings (model.lint), which
    every build adds to its report."""
    authoring = {str(p) for p in lint(result.site, root).problems}
    return [str(p) for p in result.report.sorted() if str(p) not in authoring]


def build_killed(patch: str, *args: str) -> None:
    """`build.py build ARGS` in a new process, with `patch` run first: Python code in which
    `o` is chronicle.writing.output, `os` and `signal` are imported, and that has the build SIGKILL
    itself at the moment a test wants."""
    code = (
        "import os, signal, chronicle.writing.output as o\n"
        + textwrap.dedent(patch)
        + f"from chronicle.cli import main\nmain({['build', *args]!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, timeout=60, check=False)
    assert result.returncode == -9, "the build was not killed"
