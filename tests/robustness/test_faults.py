"""A killed build, two builds at once, a bad clock: the previous site is never lost."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from chronicle.writing.lock import recover
from tests.conftest import PROJECT

BUILD = [sys.executable, str(PROJECT / "build.py"), "build"]


def tree(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def copy_of_the_real_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(PROJECT / "content", site / "content")
    shutil.copy(PROJECT / "site.toml", site / "site.toml")
    return site


def build(site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BUILD, "--site", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


def test_builds_killed_at_random_moments_never_lose_the_site(tmp_path):
    """SIGKILL at random moments of a build that changes the site: the output is one whole
    build, the old or the new, once the next build has undone what the killed one left
    (recover(), its first step: an edit's few files are moved in one by one), and the next
    build is clean."""
    site = copy_of_the_real_site(tmp_path)
    assert build(site).returncode == 0
    old = tree(site / "output")
    person = site / "content/people/igor-babuschkin.md"
    text_old = person.read_text()
    text_new = text_old + "\nAdded in this build.\n"
    person.write_text(text_new)
    started = time.perf_counter()
    assert build(site).returncode == 0
    duration = time.perf_counter() - started
    new = tree(site / "output")
    person.write_text(text_old)
    assert build(site).returncode == 0 and tree(site / "output") == old

    rng = random.Random(20261130)
    interrupted = 0  # rounds whose kill came before the new output was swapped in
    for round_ in range(25):
        before = tree(site / "output")
        person.write_text(text_new if before == old else text_old)  # toward the other state
        process = subprocess.Popen([*BUILD, "--site", str(site)], stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        process.kill()
        process.wait()
        recover(site / "output")
        state = tree(site / "output")
        assert state in (old, new), f"round {round_}: the output is neither build"
        interrupted += state == before
    assert build(site).returncode == 0
    assert not [
        p.name for p in site.iterdir() if p.name.startswith(".output.") and "lock" not in p.name
    ]


def test_two_builds_at_once_do_not_interleave(tmp_path):
    site = copy_of_the_real_site(tmp_path)
    assert build(site).returncode == 0
    expected = tree(site / "output")
    processes = [
        subprocess.Popen([*BUILD, "--site", str(site)], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert tree(site / "output") == expected


def test_source_date_epoch_must_be_a_number(tmp_path):
    site = copy_of_the_real_site(tmp_path)
    result = build(site, SOURCE_DATE_EPOCH="yesterday")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "$SOURCE_DATE_EPOCH:1:1: error: SOURCE_DATE_EPOCH must be a whole number of seconds"
    )
    assert not (site / "output").exists()


def test_source_date_epoch_does_not_change_a_site_without_times(tmp_path):
    site = copy_of_the_real_site(tmp_path)
    assert build(site).returncode == 0
    plain = tree(site / "output")
    assert build(site, SOURCE_DATE_EPOCH="1700000000").returncode == 0
    assert tree(site / "output") == plain
