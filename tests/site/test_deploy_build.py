"""A deploy build: a fresh checkout of the site with its `.cache/` restored and no output
folder, on a machine whose user cache is empty (a CI runner). The cards of the last build
are taken from `.cache/cards/`, none is drawn again, and the output is what a build from
nothing makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chronicle.pipeline import BuildOptions, BuildResult, build
from tests.conftest import SiteDir
from tests.site.test_remembered_builds import tree


def build_as_ci(root: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch) -> BuildResult:
    """`build.py build` into `root/output`, with the options the command line gives, and
    `user_cache` as the user's cache ($XDG_CACHE_HOME: the state's signing key and the
    compiled templates)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache))
    out = root / "output"
    options = BuildOptions(
        site_root=root.absolute(), out=out, fingerprint=True, remember=True, stream=True
    )
    result = build(options)
    assert isinstance(result, BuildResult), "a build without an output folder built nothing"
    return result


def checkout(site: Path, to: Path, *, cache: bool) -> Path:
    """The site as `git clone` leaves it (every file new, output/ not in the repository),
    with `.cache/` restored when `cache`."""
    skip = ["output", *([] if cache else [".cache"])]
    # shutil.copy, not copy2: a checkout gives every file a new mtime.
    shutil.copytree(site, to, ignore=shutil.ignore_patterns(*skip), copy_function=shutil.copy)
    return to


def cards(root: Path) -> dict[str, int]:
    """The cached cards with their mtimes: a card drawn again is a new file or a new mtime."""
    folder = root / ".cache" / "cards"
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.png")}


def test_a_deploy_with_the_cache_restored_draws_no_card_and_builds_what_nothing_builds(
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site: SiteDir = make_site()
    first = build_as_ci(site.root, tmp_path / "author-cache", monkeypatch)
    assert first.site.settings.social_cards
    assert first.images_made > 0, "the first build drew no card: nothing to take from the cache"

    deployed = checkout(site.root, tmp_path / "runner" / "site", cache=True)
    kept = cards(deployed)
    assert len(kept) == first.images_made
    result = build_as_ci(deployed, tmp_path / "runner" / "empty-cache", monkeypatch)

    assert result.images_made == 0
    assert cards(deployed) == kept
    from_nothing = checkout(site.root, tmp_path / "nothing" / "site", cache=False)
    fresh = build_as_ci(from_nothing, tmp_path / "nothing" / "empty-cache", monkeypatch)
    assert fresh.images_made == first.images_made
    assert tree(deployed / "output") == tree(from_nothing / "output")


def test_a_deploy_after_an_edit_draws_only_the_card_that_changed(
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site: SiteDir = make_site()
    first = build_as_ci(site.root, tmp_path / "author-cache", monkeypatch)
    deployed = checkout(site.root, tmp_path / "runner" / "site", cache=True)
    SiteDir(deployed).write(
        "content/people/charles.md", "---\nname: Charles Babbage\nrole: Engineer\n---\nEngines.\n"
    )
    result = build_as_ci(deployed, tmp_path / "runner" / "empty-cache", monkeypatch)

    # The person's card shows the role; the cards of the entries that did not change stay.
    assert 0 < result.images_made < first.images_made
    from_nothing = checkout(deployed, tmp_path / "nothing" / "site", cache=False)
    build_as_ci(from_nothing, tmp_path / "nothing" / "empty-cache", monkeypatch)
    assert tree(deployed / "output") == tree(from_nothing / "output")
