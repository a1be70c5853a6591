"""After a remembered build, the output is brought up to date in place: only the files whose
bytes changed are moved in, the files no longer made are moved out, and this happens as one
commit that a failure, or a kill and the next build, undoes (chronicle/incremental/inplace.py)."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from chronicle.incremental import inplace
from chronicle.incremental.inplace import Output, Source
from chronicle.incremental.stamp import Stamp
from chronicle.writing.lock import recover
from chronicle.writing.output import write_site
from chronicle.writing.plan import MARKER, Plan
from tests.conftest import SiteDir, build_killed
from tests.site.test_remembered_builds import fresh_build, own_key  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def any_share_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small site has few files, so that any edit is a large share of them: here every
    change is made in place, unless a test says otherwise."""
    monkeypatch.setattr(inplace, "IN_PLACE_UP_TO", 1.0)


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file with its bytes' hash, inode and mtime, and every folder: what a reader of
    the folder could tell apart."""
    found: dict[str, tuple[str, int, int]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            found[rel + "/"] = ("", 0, 0)
        else:
            stat = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[rel] = (digest, stat.st_ino, stat.st_mtime_ns)
    return found


def leftovers(out: Path) -> list[str]:
    prefix = f".{out.name}."
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith(prefix) and "lock" not in p.name
    )


def remove_charles(site: SiteDir) -> None:
    """Delete a person, and the references to him."""
    site.remove("content/people/charles.md")
    site.write("content/organizations/engine-co.md", "---\nname: Engine Company\n---\n")
    site.write("content/events/list.yaml", "[]\n")
    site.write("content/events/meeting.md", "---\ntitle: M\ndate: 1833\npeople: [ada]\n---\n")


def write(plan: dict[str, bytes], out: Path, before: Output | None = None) -> Output:
    previous = before.intact(out) if before is not None else None
    return write_site(Plan(rendered=plan, copied={}), out, previous)


# -- through the command line -------------------------------------------------------------


def test_an_edit_moves_in_its_page_and_leaves_every_other_file_alone(make_site, capsys):
    site: SiteDir = make_site()
    fresh_build(site, site.out, capsys)
    before = snapshot(site.out)
    out_inode = site.out.stat().st_ino
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nHe also built a difference engine.\n")
    fresh_build(site, site.out, capsys)
    after = snapshot(site.out)
    assert site.out.stat().st_ino == out_inode  # updated in place, not swapped
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert changed == ["people/charles/index.html"]
    assert set(after) == set(before)
    assert leftovers(site.out) == []


def test_a_deleted_person_takes_its_folder_with_it(make_site, capsys):
    site: SiteDir = make_site()
    fresh_build(site, site.out, capsys)
    assert (site.out / "people/charles/index.html").is_file()
    out_inode = site.out.stat().st_ino
    remove_charles(site)
    fresh_build(site, site.out, capsys)
    assert site.out.stat().st_ino == out_inode
    assert not (site.out / "people/charles").exists()  # no empty folder left behind
    assert (site.out / MARKER).is_file()
    assert leftovers(site.out) == []


def test_a_commit_that_fails_midway_is_undone(make_site, capsys, monkeypatch):
    site: SiteDir = make_site()
    fresh_build(site, site.out, capsys)
    before = snapshot(site.out)
    remove_charles(site)
    site.write("content/people/grace.md", "---\nname: Grace Hopper\n---\nShe wrote compilers.\n")
    calls = 0
    real_replace, real_commit = os.replace, inplace._commit

    def fail_on_removing(source, target):
        nonlocal calls
        calls += 1
        if ".undo-" in str(target):  # moving out the first file removed: all else is in
            raise OSError(errno.EACCES, "Permission denied")
        return real_replace(source, target)

    def commit(*args):
        monkeypatch.setattr(inplace.os, "replace", fail_on_removing)
        return real_commit(*args)

    monkeypatch.setattr(inplace, "_commit", commit)
    with pytest.raises(AssertionError, match=r"could not write .*Permission denied"):
        fresh_build(site, site.out, capsys)
    monkeypatch.undo()
    assert calls > 3  # pages were moved in, then undone
    assert snapshot(site.out) == before
    assert leftovers(site.out) == []
    fresh_build(site, site.out, capsys)  # and the next build goes through
    assert "Grace Hopper" in site.page("people/grace/index.html")


def test_a_build_killed_during_its_commit_is_undone_by_the_next(make_site, capsys):
    site: SiteDir = make_site()
    fresh_build(site, site.out, capsys)
    before = snapshot(site.out)
    remove_charles(site)
    site.write("content/people/grace.md", "---\nname: Grace Hopper\n---\nShe wrote compilers.\n")
    build_killed(
        """
        import chronicle.incremental.inplace as ip
        real, real_commit = os.replace, ip._commit
        def dying(a, b):  # at the first file moved out: every new file is in
            if '.undo-' in b:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(a, b)
        def commit(*args):
            os.replace = dying
            return real_commit(*args)
        ip._commit = commit
        ip.IN_PLACE_UP_TO = 1.0
        """,
        *("--site", str(site.root), "--out", str(site.out)),
    )
    assert any(name.startswith(".output.undo-") for name in leftovers(site.out))
    assert snapshot(site.out) != before  # the kill came halfway through
    recover(site.out)  # what the next build does first, under the lock
    assert snapshot(site.out) == before
    assert leftovers(site.out) == []
    fresh_build(site, site.out, capsys)
    assert "Grace Hopper" in site.page("people/grace/index.html")


# -- write_site on its own ----------------------------------------------------------------


def test_only_changed_bytes_are_written(tmp_path):
    out = tmp_path / "out"
    first = write({"a/index.html": b"a", "b/index.html": b"b", "feed.xml": b"f"}, out)
    before, inode = snapshot(out), out.stat().st_ino
    write({"a/index.html": b"a", "b/index.html": b"B", "feed.xml": b"f"}, out, first)
    after = snapshot(out)
    assert out.stat().st_ino == inode
    assert [rel for rel in after if after[rel] != before[rel]] == ["b/index.html"]
    assert (out / "b/index.html").read_bytes() == b"B"


def test_a_change_to_many_files_swaps_the_whole_output(tmp_path, monkeypatch):
    monkeypatch.setattr(inplace, "IN_PLACE_UP_TO", 0.1)
    out = tmp_path / "out"
    pages = {f"p{i}/index.html": b"old" for i in range(20)}
    first = write(pages, out)
    inode = out.stat().st_ino
    second = write({**pages, "p0/index.html": b"new", "p1/index.html": b"new"}, out, first)
    assert out.stat().st_ino == inode  # 2 of 20: in place
    write(
        {**pages, **dict.fromkeys(["p0/index.html", "p1/index.html", "p2/index.html"], b"x")},
        out,
        second,
    )
    assert out.stat().st_ino != inode  # 3 of 20: swapped whole
    assert (out / "p2/index.html").read_bytes() == b"x"
    assert (out / "p3/index.html").read_bytes() == b"old"
    assert leftovers(out) == []


def test_a_file_that_becomes_a_folder_swaps_the_whole_output(tmp_path):
    out = tmp_path / "out"
    first = write({"notes": b"a file", "keep.txt": b"k"}, out)
    second = write({"notes/index.html": b"now a page", "keep.txt": b"k"}, out, first)
    assert (out / "notes/index.html").read_bytes() == b"now a page"
    third = write({"notes": b"a file again"}, out, second)
    assert (out / "notes").read_bytes() == b"a file again"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "notes"]
    assert set(third.files) == {"notes"}
    assert leftovers(out) == []


def test_a_copied_file_is_recorded_with_its_source_and_linked_while_unchanged(
    tmp_path, monkeypatch
):
    """A whole swap hard-links the copies whose source is as it was; a changed source is
    copied anew, and recorded with its new stamp."""
    monkeypatch.setattr(inplace, "IN_PLACE_UP_TO", 0.0)  # always swapped whole
    out, source, other = tmp_path / "out", tmp_path / "a.css", tmp_path / "b.css"
    source.write_text("a")
    other.write_text("b")

    def copy(before: Output | None = None) -> Output:
        previous = before.intact(out) if before is not None else None
        plan = Plan(rendered={"p.html": b"p"}, copied={"a.css": source, "b.css": other})
        return write_site(plan, out, previous)

    first = copy()
    assert first.files["a.css"].source == Source(str(source), Stamp.of(source.stat()))
    inode = (out / "a.css").stat().st_ino
    other.write_text("B")
    second = copy(first)
    assert (out / "a.css").stat().st_ino == inode  # a second name of the same file
    assert second.files["a.css"] == first.files["a.css"]
    assert (out / "b.css").read_text() == "B"
    assert second.files["b.css"].source == Source(str(other), Stamp.of(other.stat()))
    assert second.files["b.css"].stamp == Stamp.of((out / "b.css").stat())


def test_what_was_written_matches_the_folder(tmp_path):
    """The stamps returned are those a later build checks the folder against."""
    out = tmp_path / "out"
    first = write({"a/b/c.html": b"1", "d.html": b"2"}, out)
    second = write({"a/b/c.html": b"1", "e/f.html": b"3"}, out, first)
    previous = second.intact(out)
    assert previous.whole
    assert set(previous.files) == {"a/b/c.html", "e/f.html"}
    assert set(second.folders) == {"", "a", "a/b", "e"}
    (out / "stray.txt").write_text("by hand")
    assert not second.intact(out).whole


def test_an_output_that_is_a_link_is_built_where_it_leads(make_site, capsys):
    """`output -> /var/www/site`: the link stays, the folder it leads to holds the site, and
    the staging and undo folders go beside that folder."""
    site: SiteDir = make_site()
    elsewhere = site.root.parent / "www" / "site"
    elsewhere.parent.mkdir()
    site.out.symlink_to(elsewhere, target_is_directory=True)
    fresh_build(site, site.out, capsys)
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text() + "\nHe also built a difference engine.\n")
    fresh_build(site, site.out, capsys)
    assert site.out.is_symlink()
    assert "difference engine" in (elsewhere / "people/charles/index.html").read_text()
    assert leftovers(elsewhere) == []
    assert leftovers(site.out) == []


def test_an_undo_folder_without_a_journal_is_only_removed(tmp_path):
    """Killed before its journal was in place, a commit had changed nothing yet."""
    out = tmp_path / "out"
    write({"a/index.html": b"a"}, out)
    before = snapshot(out)
    undo = tmp_path / ".out.undo-123"
    (undo / "files/a").mkdir(parents=True)
    (undo / "journal.tmp").write_text('{"added": ["a/ind')  # cut short
    recover(out)
    assert snapshot(out) == before
    assert leftovers(out) == []
