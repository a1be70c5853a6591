"""A build remembers what it did (chronicle/incremental/) so that the next one, in a new
process, redoes only what changed; and what it produces is still, byte for byte, what a
build from nothing produces."""

from __future__ import annotations

import hashlib
import json
import random
import threading
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.incremental import delta, signing, state, summary
from chronicle.model import forms
from tests.conftest import SiteDir
from tests.site.test_incremental import EDITS, break_and_fix


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The signing key in a folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def fresh_build(site: SiteDir, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`build.py build` as a new process would run it: nothing kept but the saved state."""
    capsys.readouterr()
    code = main(["build", "--site", str(site.root), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    return err.splitlines()[-1]


def cold_build(site: SiteDir, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A build that remembers nothing: its state and summary are removed first."""
    path = state.state_path(site.root, out)
    path.unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)
    return fresh_build(site, out, capsys)


def tree(folder: Path) -> dict[str, str]:
    """Every file with a hash of its bytes, and every folder (an empty one left behind is
    a difference too)."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        )
        for p in sorted(folder.rglob("*"))
    }


def test_a_second_build_with_nothing_changed_stops_at_once(make_site, capsys):
    site = make_site()
    first = fresh_build(site, site.out, capsys)
    before = tree(site.out)
    inodes = {p: p.stat().st_ino for p in site.out.rglob("*") if p.is_file()}
    second = fresh_build(site, site.out, capsys)
    total = int(first.split()[1])
    assert second.startswith(f"up to date: nothing changed since the last build of {total} pages")
    assert tree(site.out) == before
    assert {p: p.stat().st_ino for p in site.out.rglob("*") if p.is_file()} == inodes


def test_the_second_build_repeats_the_warnings_of_the_first(make_site, capsys):
    site = make_site({"content/people/nobody.md": "---\nname: Nobody\n---\n"})
    main(["build", "--site", str(site.root), "--out", str(site.out)])
    first = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    main(["build", "--site", str(site.root), "--out", str(site.out)])
    second = capsys.readouterr().err
    assert first and all(line in second for line in first)
    assert "up to date" in second
    # --strict turns them into errors, from the summary as from a build
    assert main(["build", "--site", str(site.root), "--out", str(site.out), "--strict"]) == 1
    assert "output left as it was" in capsys.readouterr().err


def test_an_edit_writes_only_the_pages_that_show_it(make_site, capsys):
    site = make_site()
    fresh_build(site, site.out, capsys)
    before = {p: p.stat().st_ino for p in site.out.rglob("*.html")}
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nHe also built a difference engine.\n")
    line = fresh_build(site, site.out, capsys)
    assert "(1 written," in line, line
    after = {p: p.stat().st_ino for p in site.out.rglob("*.html")}
    changed = sorted(p.relative_to(site.out).as_posix() for p in after if after[p] != before[p])
    assert changed == ["people/charles/index.html"]
    assert "difference engine" in site.page("people/charles/index.html")


def test_a_page_changed_by_hand_in_the_output_is_written_again(make_site, capsys):
    site = make_site()
    fresh_build(site, site.out, capsys)
    good = site.page("people/ada/index.html")
    (site.out / "people/ada/index.html").write_text("defaced")
    line = fresh_build(site, site.out, capsys)
    assert not line.startswith("up to date")
    assert site.page("people/ada/index.html") == good
    (site.out / "people/ada/index.html").unlink()
    fresh_build(site, site.out, capsys)
    assert site.page("people/ada/index.html") == good


def test_a_file_added_to_the_output_is_removed_as_a_full_build_would(make_site, capsys):
    site = make_site()
    fresh_build(site, site.out, capsys)
    (site.out / "people" / "stray.html").write_text("left here by hand")
    assert not fresh_build(site, site.out, capsys).startswith("up to date")
    assert not (site.out / "people" / "stray.html").exists()


def hand_edits(out: Path) -> set[str]:
    """Change the output as a person might: a page defaced, one deleted, a file added.
    Returns what changed, as OutputCheck names it (a folder with a slash)."""
    (out / "people/ada/index.html").write_text("defaced")
    (out / "people/charles/index.html").unlink()
    (out / "people/stray.html").write_text("left here by hand")
    return {"people/ada/index.html", "people/charles/index.html", "people/charles/", "people/"}


def test_the_output_checked_in_a_forked_process_is_the_output_checked_here(make_site, capsys):
    """The output's 14,000 stats (at a thousand people) run in a child while the state loads."""
    site = make_site()
    fresh_build(site, site.out, capsys)
    changed = hand_edits(site.out)
    stamp = state.state_path(site.root, site.out).read_bytes()[32:64].decode()
    kept = state.load(site.root, site.out, stamp)
    assert kept is not None
    found = summary.OutputCheck(site.root, site.out).result()
    assert found == (kept.output.token, changed)
    here, aside = kept.output.intact(site.out), kept.output.intact(site.out, found[1])
    assert (here.files, here.whole) == (aside.files, aside.whole)
    assert "people/ada/index.html" not in aside.files and not aside.whole


def test_a_process_with_threads_is_never_forked(make_site, capsys):
    """A fork copies a lock another thread holds, held for ever: the output is then
    checked in this process (the preview, a test run), as before."""
    site = make_site()
    fresh_build(site, site.out, capsys)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert summary.check_output_aside(site.root, site.out) is None
    finally:
        stop.set()
        thread.join()


def test_a_summary_of_another_output_is_not_taken_for_this_one(make_site, capsys, monkeypatch):
    """The child reads the summary; a summary left by another build (its write failed, say)
    names another output, and the output is then checked here."""
    monkeypatch.setattr(summary, "check_output_aside", summary.OutputCheck)  # even if threaded
    site = make_site()
    fresh_build(site, site.out, capsys)
    good = site.page("people/ada/index.html")
    hand_edits(site.out)
    saved = summary._summary_path(site.root, site.out)
    head, body = saved.read_text().split("\n", 1)
    fields = json.loads(body)
    # A summary that says nothing changed: every file as it is now, another output's token.
    fields["outputs"] = {
        rel: summary._stat_signature(f"{site.out}/{rel}") for rel in fields["outputs"]
    }
    fields["token"] = "another output"
    saved.write_text(head + "\n" + json.dumps(fields))
    site.write("content/people/nobody.md", "---\nname: Nobody\n---\n")
    fresh_build(site, site.out, capsys)
    assert site.page("people/ada/index.html") == good
    assert "Charles" in site.page("people/charles/index.html")
    assert not (site.out / "people/stray.html").exists()


def test_a_remembered_build_takes_the_dates_it_formatted_before(make_site, capsys, monkeypatch):
    """Babel and its locale data are loaded only for a date, range or list no build formatted
    yet."""
    site = make_site()
    fresh_build(site, site.out, capsys)

    def unseen(*form: object) -> str:
        raise AssertionError(f"{form} formatted again")

    for name in ("format_date", "range_parts", "open_parts", "list_glue"):
        monkeypatch.setattr(forms, name, unseen)
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nHe also built a difference engine.\n")
    fresh_build(site, site.out, capsys)
    assert "difference engine" in site.page("people/charles/index.html")


def test_a_state_signed_with_another_key_is_ignored(make_site, capsys, tmp_path, monkeypatch):
    """A state file that came with the site (a clone, an archive) is never unpickled."""
    site = make_site()
    fresh_build(site, site.out, capsys)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert state.load(site.root, site.out, state.stamp()) is None
    path = state.state_path(site.root, site.out)
    path.write_bytes(b"\0" * 32 + b"not a pickle at all")
    site.write("content/people/charles.md", "---\nname: Charles Babbage\n---\nNew text.\n")
    fresh_build(site, site.out, capsys)
    assert "New text." in site.page("people/charles/index.html")
    assert "Ada Lovelace" in site.page("people/ada/index.html")
    blob, key = path.read_bytes(), signing.signing_key()  # replaced by a state signed with our key
    assert key is not None and signing.sign(key, blob[32:]) == blob[:32]


@pytest.mark.parametrize(
    ("seed", "delta_up_to"),
    [(5, delta.DELTA_UP_TO), (6, float("inf"))],
    ids=["saved-whole-now-and-then", "saved-as-changes-only"],
)
def test_remembered_builds_match_builds_from_nothing_after_every_edit(
    make_site, capsys, monkeypatch, seed, delta_up_to
):
    monkeypatch.setattr(delta, "DELTA_UP_TO", delta_up_to)
    site = make_site()
    cold_out = site.root.parent / "cold"
    rng = random.Random(seed)
    kept = in_place = 0
    for step in range(24):
        edit = rng.choice(EDITS)
        edit(site, rng)
        inodes = {p.stat().st_ino for p in site.out.rglob("*.html")} if site.out.exists() else set()
        folder = site.out.stat().st_ino if site.out.exists() else None
        try:
            fresh_build(site, site.out, capsys)
        except AssertionError:  # the edit broke the site: a build from nothing fails too
            with pytest.raises(AssertionError):
                cold_build(site, cold_out, capsys)
            break_and_fix(site, rng)  # and mended for the next edit
            continue
        cold_build(site, cold_out, capsys)
        assert tree(site.out) == tree(cold_out), f"step {step}: {edit.__name__}"
        # pages taken from the previous output keep their file (hard-linked)
        kept += any(p.stat().st_ino in inodes for p in site.out.rglob("*.html"))
        in_place += site.out.stat().st_ino == folder  # updated in place, not swapped
    assert kept >= 5, f"the state was hardly used ({kept} times): the comparison proved little"
    assert in_place >= 5, f"the output was hardly updated in place ({in_place} times)"


def test_an_edit_saves_its_changes_beside_the_whole_state(make_site, capsys):
    site = make_site()
    fresh_build(site, site.out, capsys)
    base = state.state_path(site.root, site.out)
    delta = base.with_suffix(".delta")
    whole = base.read_bytes()
    assert not delta.exists()
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nHe also built a difference engine.\n")
    fresh_build(site, site.out, capsys)
    assert base.read_bytes() == whole  # not written again
    assert 0 < delta.stat().st_size < len(whole) / 4
    loaded = state.load(site.root, site.out, whole[32:64].decode())
    assert loaded is not None
    assert any(
        "difference engine" in e.body for _, p in loaded.files.parsed.values() for e in p.entries
    )


def test_changes_to_another_whole_state_are_ignored(make_site, capsys):
    site = make_site()
    fresh_build(site, site.out, capsys)
    base = state.state_path(site.root, site.out)
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nFirst edit.\n")
    fresh_build(site, site.out, capsys)
    delta = base.with_suffix(".delta").read_bytes()
    base.unlink()  # the next build saves a whole state anew
    page.write_text(page.read_text() + "\nSecond edit.\n")
    fresh_build(site, site.out, capsys)
    base.with_suffix(".delta").write_bytes(delta)  # changes made to the first whole state
    expected = base.read_bytes()[32:64].decode()
    loaded = state.load(site.root, site.out, expected)
    assert loaded is not None and loaded.origin is not None
    assert loaded.origin.changes.size() == 0


def test_a_build_run_from_another_folder_takes_the_state_of_one_run_with_a_relative_site(
    make_site, capsys, monkeypatch, tmp_path
):
    """`--site .` in the site's folder, then `--site ~/site` from elsewhere: one state."""
    site = make_site()
    monkeypatch.chdir(site.root)
    assert main(["build", "--site", "."]) == 0
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nHe also built a difference engine.\n")
    monkeypatch.chdir(tmp_path)
    line = fresh_build(site, site.out, capsys)
    assert "(1 written," in line, line
    assert "difference engine" in site.page("people/charles/index.html")
