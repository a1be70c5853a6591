"""`init DIR`: a new site that builds as it is, written around what the folder holds and
never over it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from chronicle.init import FILES
from tests.conftest import PROJECT


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_a_new_site_builds_and_checks_without_a_warning(tmp_path):
    result = run("init", "mysite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created a site in mysite" in result.stderr
    site = tmp_path / "mysite"
    built = run("build", cwd=site / "content")
    assert built.returncode == 0, built.stderr
    assert built.stderr.startswith("built "), built.stderr  # nothing before: no warning
    assert "warning" not in built.stderr
    for page in ("people/ada-example", "organizations/example-labs", "about"):
        assert (site / "output" / page / "index.html").is_file()
    assert (site / "output/events/example-labs-founded/index.html").is_file()
    checked = run("check", cwd=site)
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stderr


def test_it_holds_what_a_new_site_needs(tmp_path):
    assert run("init", "s", cwd=tmp_path).returncode == 0
    site = tmp_path / "s"
    settings = (site / "site.toml").read_text()
    values = tomllib.loads(settings)
    assert {"title", "base_url"} <= values.keys()
    lines = settings.splitlines()
    for key in values:  # a comment right above each setting
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
        assert lines[at - 1].startswith("#"), key
    assert sorted(p.name for p in (site / "templates").iterdir()) == ["README.md"]
    readme = (site / "templates/README.md").read_text()
    assert '{% extends "theme/person.html" %}' in readme and "static/custom.css" in readme
    ignored = (site / ".gitignore").read_text().splitlines()
    assert "output/" in ignored and ".cache/" in ignored


def test_its_workflow_installs_a_pinned_chronicle_and_keeps_the_cache(tmp_path):
    assert run("init", "s", cwd=tmp_path).returncode == 0
    workflow = yaml.safe_load((tmp_path / "s/.github/workflows/pages.yml").read_text())
    assert "@v" in workflow["env"]["CHRONICLE"]  # a tag, to be replaced by a real one
    steps = workflow["jobs"]["build"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert 'pip install "$CHRONICLE"' in runs and "chronicle build" in runs
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".cache"
    assert "github.run_id" in cache["with"]["key"]
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"].rstrip("-"))


def test_a_fresh_clone_with_a_readme_and_a_licence_is_a_fine_place(tmp_path):
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / "README.md").write_text("# My founders\n")
    (clone / "LICENSE").write_text("MIT\n")
    result = run("init", ".", cwd=clone)
    assert result.returncode == 0, result.stderr
    assert (clone / "README.md").read_text() == "# My founders\n"
    assert (clone / "site.toml").is_file() and (clone / "content/pages/about.md").is_file()


def test_it_never_overwrites_a_file(tmp_path):
    site = tmp_path / "s"
    (site / "content/pages").mkdir(parents=True)
    (site / "content/pages/about.md").write_text("mine\n")
    result = run("init", str(site), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "content/pages/about.md exists" in result.stderr
    assert (site / "content/pages/about.md").read_text() == "mine\n"
    assert not (site / "site.toml").exists()  # all or nothing
    again = run("init", "s", cwd=tmp_path)
    assert again.returncode == 2
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "content/pages/about.md"
    ]


def test_a_file_in_the_way_of_the_folder_is_one_line(tmp_path):
    (tmp_path / "taken").write_text("")
    result = run("init", "taken", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is a file, not a folder" in result.stderr


def test_every_file_it_writes_is_listed_once():
    assert len(FILES) == len({name.lower() for name in FILES})
