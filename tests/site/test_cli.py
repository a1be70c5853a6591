"""The command line: options, exit statuses 0 / 1 / 2, messages on stderr."""

import os
import shutil
import subprocess
import sys

from tests.conftest import PROJECT


def run(*args, cwd=PROJECT):
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


def test_help_explains_each_option():
    result = run("build", "--help")
    assert result.returncode == 0
    for option in ("--site", "--out", "--base-url", "--drafts", "--force"):
        assert option in result.stdout
    assert "serve" in run("--help").stdout


def test_build_is_the_default_command_and_exits_0(make_site, tmp_path):
    site = make_site()
    result = run("--site", str(site.root), "--out", str(tmp_path / "public"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public/timeline/index.html").is_file()
    assert "built" in result.stderr


def test_content_errors_exit_1_with_every_problem(make_site):
    site = make_site(
        {
            "content/people/charles.md": "---\nname: C\nfeatured: yes\n---\n",
            "content/events/x.md": "---\ntitle: X\ndate: 2023-13\n---\n",
        }
    )
    result = run("build", "--site", str(site.root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "content/events/x.md:3:7: error: `date`: `2023-13` has month 13; months run from 01 to 12"
        in lines
    )
    assert (
        "content/people/charles.md:3:11: error: `featured` must be `true` or `false`, not `yes`"
        in lines
    )
    assert lines[-1] == "build failed: 2 errors; output left as it was"
    assert "Traceback" not in result.stderr


def test_bad_settings_and_usage_exit_2(make_site, tmp_path):
    site = make_site({"site.toml": 'title = "T"\nbase_url = "/relative/"\n'})
    result = run("build", "--site", str(site.root))
    assert result.returncode == 2
    assert result.stderr.startswith("site.toml:2:1: error: `base_url` must be an absolute")
    assert run("build", "--site", str(tmp_path)).returncode == 2  # no site.toml
    assert run("build", "--no-such-option").returncode == 2


def test_a_site_without_content_exits_2(tmp_path):
    (tmp_path / "site.toml").write_text('title = "T"\nbase_url = "https://e.org/"\n')
    result = run("build", "--site", str(tmp_path))
    assert result.returncode == 2
    assert "no content/ folder" in result.stderr


def test_check_writes_nothing(make_site):
    site = make_site()
    result = run("check", "--site", str(site.root))
    assert result.returncode == 0, result.stderr
    assert not site.out.exists()


def test_base_url_option_overrides_the_settings(make_site):
    site = make_site()
    assert run("build", "--site", str(site.root), "--base-url", "https://x.org/sub").returncode == 0
    assert 'href="/sub/people/"' in site.page("index.html")


def test_what_a_build_prints_reaches_a_pipe_whole(make_site):
    """After a build or a check the process leaves without freeing its memory (cli.run):
    what it printed must still be flushed, block-buffered as it is on a pipe."""
    site = make_site()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "check",
            "--site",
            str(site.root),
            "--list-external",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "https://example.com/memoirs\t1" in result.stdout.splitlines()
    assert "external links not fetched" in result.stderr


def test_version_prints_the_version():
    from chronicle import __version__

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"chronicle {__version__}"


def test_the_site_is_the_nearest_folder_at_or_above_holding_site_toml(make_site):
    site = make_site()
    inside = site.root / "content" / "people"
    result = run("build", "-q", cwd=inside)
    assert result.returncode == 0, result.stderr
    assert (site.root / "output/timeline/index.html").is_file()
    assert not (inside / "output").exists()
    assert run("check", cwd=inside).returncode == 0
    result = run("new", "person", "Grace Hopper", cwd=inside)
    assert result.returncode == 0, result.stderr
    assert (site.root / "content/people/grace-hopper.md").is_file()


def test_site_option_wins_over_the_current_folder(make_site, tmp_path):
    here = make_site()
    there = tmp_path / "there"
    shutil.copytree(here.root, there)
    assert run("build", "-q", "--site", str(there), cwd=here.root).returncode == 0
    assert (there / "output/index.html").is_file() and not here.out.exists()


def test_outside_any_site_one_line_suggests_init_or_site(tmp_path):
    for command in (["build"], ["check"], ["serve", "--port", "0"], ["new", "person", "A B"]):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1, result.stderr
        assert "no site.toml in" in result.stderr
        assert "init DIR" in result.stderr and "--site DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_says_where_the_site_is_found():
    result = run("check", "--help")
    assert result.returncode == 0
    assert "nearest folder" in result.stdout


def test_build_py_without_the_dependencies_says_to_run_make_build(tmp_path):
    """build.py run by a Python that lacks the dependencies, with no .venv to run in: one
    line, exit 2, never a traceback."""
    copy = tmp_path / "project"
    copy.mkdir()
    (copy / "build.py").write_text((PROJECT / "build.py").read_text())
    (copy / "chronicle").mkdir()
    (copy / "chronicle/__init__.py").write_text("")
    (copy / "chronicle/cli.py").write_text("import no_such_dependency_here\n")
    result = subprocess.run(
        [sys.executable, str(copy / "build.py"), "build"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "no module 'no_such_dependency_here'" in result.stderr
    assert "make build" in result.stderr


def test_build_py_runs_again_in_the_projects_venv(tmp_path):
    """With .venv/bin/python present, build.py re-runs itself there."""
    copy = tmp_path / "project"
    (copy / ".venv" / "bin").mkdir(parents=True)
    (copy / "build.py").write_text((PROJECT / "build.py").read_text())
    (copy / "chronicle").mkdir()
    (copy / "chronicle/__init__.py").write_text("")
    (copy / "chronicle/cli.py").write_text("import sys\nimport no_such_dependency_here\n")
    # A stand-in for the venv's Python: it says it ran, with the arguments it was given.
    fake = copy / ".venv" / "bin" / "python"
    fake.write_text('#!/bin/sh\necho "venv python $*"\n')
    fake.chmod(0o755)
    result = subprocess.run(
        [sys.executable, str(copy / "build.py"), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"venv python {copy / 'build.py'} serve --port 0\n"
