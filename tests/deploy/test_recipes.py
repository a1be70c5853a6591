"""The README's other deploy recipes: each file is the one the README names, and what it
runs builds the site for the right address. (nginx is served for real in test_nginx.py.)"""

from __future__ import annotations

import fnmatch
import itertools
import json
import os
import re
import subprocess
import sys
import tomllib

import yaml

from tests.conftest import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "pages.yml"


def make_dry_run(command: str, env: dict[str, str]) -> str:
    """What `make` would run for a recipe's build command (make -n: nothing is run)."""
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=PROJECT,
        env={**os.environ, **env, "MAKEFLAGS": "n"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]["steps"] + workflow["jobs"]["deploy"]["steps"]


def test_github_pages_workflow_builds_checks_and_publishes_output():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    used = [step["uses"].split("@")[0] for step in steps() if "uses" in step]
    assert used == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    upload = next(s for s in steps() if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "output"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_github_pages_build_uses_the_address_pages_gives():
    build = next(s for s in steps() if "make build" in s.get("run", ""))
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    # configure-pages gives https://<user>.github.io/<repository>, without the final slash.
    planned = make_dry_run(build["run"], {"BASE_URL": "https://octo.github.io/founders"})
    assert "build.py build --search --base-url https://octo.github.io/founders/ --minify" in planned


def test_github_pages_check_step_passes_on_this_site():
    check = next(s for s in steps() if "build.py check" in s.get("run", ""))
    result = subprocess.run(
        ["bash", "-c", check["run"].replace(".venv/bin/python", sys.executable)],
        cwd=PROJECT,
        env={**os.environ, "BASE_URL": "https://octo.github.io/founders"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "all resolve" in result.stderr


def test_netlify_builds_for_its_own_address_and_publishes_output():
    config = tomllib.loads((PROJECT / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "output"
    planned = make_dry_run(config["build"]["command"], {"URL": "https://founders.netlify.app"})
    assert "build.py build --search --base-url https://founders.netlify.app/ --minify" in planned
    preview = config["context"]["deploy-preview"]["command"]
    planned = make_dry_run(preview, {"DEPLOY_PRIME_URL": "https://deploy-preview-7--f.netlify.app"})
    assert "--base-url https://deploy-preview-7--f.netlify.app/" in planned


def _aws_selects(path: str, args: list[str]) -> bool:
    """awscli's rule for --exclude/--include: the last filter that matches decides."""
    chosen = True
    for flag, pattern in itertools.pairwise(args):
        if flag in ("--exclude", "--include") and fnmatch.fnmatch(path, pattern):
            chosen = flag == "--include"
    return chosen


def test_s3_recipe_uploads_fingerprinted_files_first_for_a_year_then_the_rest(make_site, tmp_path):
    site = make_site()
    site.build(fingerprint=True)
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "aws.log"
    # A stand-in for the AWS CLI that records its arguments, one JSON list per call.
    (fake / "aws").write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    (fake / "aws").chmod(0o755)
    subprocess.run(
        [str(PROJECT / "deploy" / "s3-sync.sh"), "s3://bucket/founders/"],
        env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "OUT": str(site.out)},
        check=True,
        timeout=30,
    )
    first, second = (json.loads(line) for line in log.read_text().splitlines())
    assert first[:4] == ["s3", "sync", f"{site.out}/", "s3://bucket/founders/"]
    assert "--delete" not in first  # old fingerprinted files stay for cached pages
    assert first[first.index("--cache-control") + 1] == "public, max-age=31536000, immutable"
    assert "--delete" in second
    assert second[second.index("--cache-control") + 1] == "no-cache"
    files = [p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()]
    in_first = {f for f in files if _aws_selects(f, first)}
    in_second = {f for f in files if _aws_selects(f, second)}
    fingerprinted = {f for f in files if re.search(r"\.[0-9a-f]{10}\.\w+$", f)}
    assert in_first == fingerprinted and len(fingerprinted) == 2
    assert in_second == set(files) - fingerprinted - {".chronicle-build"}


def test_nginx_sample_caches_fingerprinted_files_and_serves_the_404_page():
    text = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r'add_header Cache-Control "public, max-age=31536000, immutable";', text)
    assert re.search(r"^\s*error_page 404 /404\.html;", text, re.MULTILINE)
    assert "try_files $uri $uri/ =404;" in text
