"""The command line: options, exit statuses 0 / 1 / 2, messages on stderr."""

import os
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
