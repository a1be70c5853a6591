"""The image cache does not grow for ever: a build tidies away the portraits' variants and
social cards that it did not use and that are old, and never those it uses."""

from __future__ import annotations

import os
import time
from pathlib import Path

from chronicle.cli import main
from chronicle.media.images import PRUNE_AFTER_DAYS, prune_cache


def age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_a_build_removes_old_unused_cards_and_keeps_the_rest(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    site = make_site()
    assert main(["build", "-q", "--site", str(site.root)]) == 0
    cards = site.root / ".cache" / "cards"
    used = sorted(cards.glob("*.png"))
    assert used, "the small site has social cards"
    for path in used:
        age(path, PRUNE_AFTER_DAYS + 30)  # old, but in use: kept
    stale = cards / ("0" * 32 + ".png")
    stale.write_bytes(b"a card no page shows any more")
    age(stale, PRUNE_AFTER_DAYS + 1)
    recent = cards / ("1" * 32 + ".png")
    recent.write_bytes(b"a card of another output, made this week")
    age(recent, PRUNE_AFTER_DAYS - 1)
    # a body edit: every card stays as it was, in use
    charles = site.root / "content/people/charles.md"
    charles.write_text(charles.read_text() + "\nAn edit of the biography.\n")
    assert main(["build", "-q", "--site", str(site.root)]) == 0
    assert not stale.exists()
    assert recent.exists()
    assert all(path.exists() for path in used)
    # what the output shows is all there
    assert (site.out / "people" / "ada" / "card.png").is_file()


def test_pruning_leaves_unreadable_and_foreign_entries_alone(tmp_path):
    site = tmp_path / "site"
    folder = site / ".cache" / "images"
    folder.mkdir(parents=True)
    (folder / "sub").mkdir()
    link = folder / "link.png"
    link.symlink_to(tmp_path / "elsewhere.png")
    old = folder / "old.webp"
    old.write_bytes(b"x")
    age(old, PRUNE_AFTER_DAYS + 1)
    assert prune_cache(site, []) == 1
    assert (folder / "sub").is_dir() and link.is_symlink() and not old.exists()
