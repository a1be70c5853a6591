"""Writing: a failed build leaves the previous output as it was; a good one replaces it."""

import errno
import hashlib

import pytest

from chronicle.errors import OutputError
from chronicle.writing import staging
from chronicle.writing.lock import recover
from chronicle.writing.plan import MARKER
from tests.conftest import build_killed


def tree_hash(root):
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_a_failed_build_leaves_the_previous_output_untouched(make_site):
    site = make_site()
    site.build()
    (site.out / "sentinel.txt").write_text("keep me")
    before = tree_hash(site.out)
    site.write("content/people/ada.md", "---\nname: [broken\n---\n")
    site.errors()
    assert tree_hash(site.out) == before


def test_a_template_error_also_leaves_the_output_untouched(make_site):
    site = make_site()
    site.build()
    before = tree_hash(site.out)
    site.write("templates/timeline.html", "{{ nope }}")
    site.errors()
    assert tree_hash(site.out) == before


def test_a_good_build_replaces_the_output_as_a_whole(make_site):
    site = make_site()
    site.build()
    (site.out / "stale.html").write_text("old")
    site.remove("content/people/charles.md")
    site.write("content/organizations/engine-co.md", "---\nname: Engine Company\n---\n")
    site.write("content/events/list.yaml", "[]\n")
    site.write("content/events/meeting.md", "---\ntitle: M\ndate: 1833\npeople: [ada]\n---\n")
    site.build()
    assert not (site.out / "stale.html").exists()
    assert not (site.out / "people/charles").exists()  # a deleted person leaves no page
    assert (site.out / MARKER).is_file()
    assert not list(site.out.parent.glob(".output.*staging*"))


def test_the_same_input_gives_byte_identical_output(make_site, tmp_path):
    site = make_site()
    site.build()
    first = tree_hash(site.out)
    site.build()
    assert tree_hash(site.out) == first


def test_a_folder_that_is_not_a_previous_build_is_never_replaced(make_site):
    site = make_site()
    site.out.mkdir()
    (site.out / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="not empty and was not made by a previous build"):
        site.build()
    assert (site.out / "thesis.tex").read_text() == "precious"
    site.build(force=True)
    assert not (site.out / "thesis.tex").exists()


def test_the_site_itself_is_never_an_output(make_site):
    site = make_site()
    with pytest.raises(OutputError, match="holds the whole site"):
        from chronicle.pipeline import BuildOptions, build

        build(BuildOptions(site_root=site.root, out=site.root, force=True))


def test_recover_brings_back_an_output_moved_aside_by_a_killed_build(tmp_path):
    out = tmp_path / "output"
    aside = tmp_path / ".output.old-123"
    aside.mkdir()
    (aside / "index.html").write_text("previous")
    (tmp_path / ".output.staging-456").mkdir()
    recover(out)
    assert (out / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_full_disk_gives_an_error_and_keeps_the_previous_site(make_site, monkeypatch):
    site = make_site()
    site.build()
    before = tree_hash(site.out)
    calls = 0
    real_write = staging.write_file

    def write_until_full(path, data):
        nonlocal calls
        calls += 1
        if calls > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(staging, "write_file", write_until_full)
    with pytest.raises(OutputError, match=r"the disk is full: could not write"):
        site.build()
    monkeypatch.undo()
    assert tree_hash(site.out) == before
    assert not list(site.out.parent.glob(".output.staging-*"))


def test_a_build_killed_midway_leaves_the_previous_output(make_site):
    """SIGKILL the build process as soon as its staging folder appears, several times."""
    site = make_site()
    site.build()
    before = tree_hash(site.out)
    build_killed(
        """
        real = o._stage_all
        def dying(*args):
            real(*args)
            os.kill(os.getpid(), signal.SIGKILL)
        o._stage_all = dying
        """,
        "--site",
        str(site.root),
    )
    assert tree_hash(site.out) == before
    site.build()  # the next build cleans what the killed one left
    assert not [
        p for p in site.root.iterdir() if p.name.startswith(".output.") and "lock" not in p.name
    ]
