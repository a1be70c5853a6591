"""Writing when the file system says no: the exit status tells the truth, the previous
output stays as it was after a failure, no staging folder stays behind, and --force never
replaces a folder the site reads from."""

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.errors import ChronicleError, OutputError
from chronicle.pipeline import BuildOptions, build
from chronicle.writing import output, staging, swap

HAS_CHATTR = shutil.which("chattr") is not None


def leftovers(site):
    return sorted(
        p.name
        for p in site.root.iterdir()
        if p.name.startswith(".output.") and "lock" not in p.name
    )


def build_cli(site, *args):
    return main(["build", "--site", str(site.root), "--quiet", *args])


def failing_removal(monkeypatch):
    """The previous output cannot be removed, as with a read-only or immutable tree (root
    ignores chmod, so the refusal is simulated)."""
    real = shutil.rmtree

    def refuse(path, *args, **kwargs):
        if kwargs.get("ignore_errors"):
            return None
        return real(path, *args, **kwargs)

    monkeypatch.setattr(swap.shutil, "rmtree", refuse)


def test_an_old_output_that_cannot_be_removed_is_a_warning_and_goes_next_time(
    make_site, monkeypatch, capsys
):
    site = make_site()
    site.build()
    (site.out / "old-only.txt").write_text("from the previous build")
    failing_removal(monkeypatch)
    assert build_cli(site) == 0
    err = capsys.readouterr().err
    assert err.count("previous version could not be removed") == 1
    assert "warning" in err
    assert not (site.out / "old-only.txt").exists()  # the new site is in place
    assert (site.out / "index.html").is_file()
    assert len(leftovers(site)) == 1  # the old tree, beside, and nothing else
    monkeypatch.undo()
    site.write("content/people/ada.md", (site.root / "content/people/ada.md").read_text() + "\n")
    assert build_cli(site) == 0
    assert leftovers(site) == []  # cleaned up by the next build


@pytest.mark.skipif(not HAS_CHATTR, reason="needs chattr")
def test_an_immutable_old_output_is_a_warning_and_goes_next_time(make_site, capsys):
    """A file that even root cannot remove (chattr +i) in the previous output."""
    site = make_site()
    site.build()
    stuck = site.out / "stuck.txt"
    stuck.write_text("immutable")
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("the file system has no immutable flag")
    try:
        assert build_cli(site, "--force") == 0
        err = capsys.readouterr().err
        assert err.count("previous version could not be removed") == 1
        assert not stuck.exists() and (site.out / "index.html").is_file()
        assert len(leftovers(site)) == 1
    finally:
        for path in site.root.glob(".output.*/stuck.txt"):
            subprocess.run(["chattr", "-i", str(path)], check=False)
        subprocess.run(["chattr", "-i", str(stuck)], check=False, capture_output=True)
    site.write("content/people/ada.md", (site.root / "content/people/ada.md").read_text() + "\n")
    assert build_cli(site) == 0
    assert leftovers(site) == []


def test_a_build_interrupted_while_writing_leaves_no_staging_folder(make_site, monkeypatch):
    site = make_site()
    site.build()
    before = sorted(p.name for p in site.out.rglob("*"))

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "swap", interrupted)
    with pytest.raises(KeyboardInterrupt):
        site.build()
    assert leftovers(site) == []
    assert sorted(p.name for p in site.out.rglob("*")) == before


def test_a_build_interrupted_while_rendering_leaves_no_staging_folder(make_site, monkeypatch):
    site = make_site()
    site.build()
    import chronicle.pipeline as pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "unchanged_pages", interrupted)
    with pytest.raises(KeyboardInterrupt):
        site.build(stream=True)
    assert leftovers(site) == []


def test_a_read_only_staging_left_by_a_killed_build_is_removed_by_the_next(make_site):
    site = make_site()
    site.build()
    left = site.root / ".output.staging-99999"
    (left / "deep").mkdir(parents=True)
    (left / "deep/page.html").write_text("x")
    (left / "deep").chmod(0o500)
    left.chmod(0o500)
    site.build()
    assert leftovers(site) == []


@pytest.mark.parametrize(
    "out", ["templates", "static", "content/media", ".cache", "..", ".", "static/css/new"]
)
def test_force_never_replaces_a_folder_the_site_reads_from(make_site, out, capsys):
    site = make_site()
    (site.root / "templates").mkdir(exist_ok=True)
    (site.root / "static/css").mkdir(parents=True, exist_ok=True)
    (site.root / ".cache").mkdir(exist_ok=True)
    before = sorted(str(p) for p in site.root.rglob("*"))
    assert build_cli(site, "--out", str(site.root / out), "--force") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: refusing to build into")
    assert "Traceback" not in capsys.readouterr().err
    assert sorted(str(p) for p in site.root.rglob("*")) == before


def test_an_out_inside_a_read_only_folder_is_a_located_error(make_site, monkeypatch, capsys):
    site = make_site()
    real_mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if "locked" in self.parts:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    assert build_cli(site, "--out", str(site.root / "locked/out")) == 2
    err = capsys.readouterr().err
    assert "could not write" in err and "locked" in err and "Permission denied" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_unreadable_content_folder_is_a_located_error(make_site, monkeypatch, capsys):
    site = make_site()
    people = str(site.root / "content/people")
    real_scandir = os.scandir

    def unreadable(path="."):
        if os.fspath(path) == people:
            raise PermissionError(errno.EACCES, "Permission denied", people)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", unreadable)
    code = build_cli(site)
    err = capsys.readouterr().err
    assert code in (1, 2), err
    assert err == "error: could not read content/people: Permission denied\n"


def test_a_slug_over_255_bytes_is_a_located_content_error(make_site, capsys):
    long = "x" * 300
    site = make_site({"content/people/long.md": f"---\nname: Long\nslug: {long}\n---\n"})
    code = build_cli(site)
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "content/people/long.md:3:1: error: slug" in err and "at most 80" in err


def test_an_out_with_a_name_over_255_bytes_is_a_located_error(make_site):
    site = make_site()
    with pytest.raises(ChronicleError, match="too long") as info:
        build(BuildOptions(site_root=site.root, out=site.root / ("x" * 300) / "out"))
    assert info.value.exit_code == 2


def test_a_full_disk_while_writing_the_output_is_one_line_and_exit_2(
    make_site, monkeypatch, capsys
):
    site = make_site()
    site.build()
    before = sorted(p.name for p in site.out.rglob("*"))

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(staging, "write_file", full)
    site.write("content/people/ada.md", (site.root / "content/people/ada.md").read_text() + "\n")
    assert build_cli(site) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the disk is full" in err[0] and "output" in err[0]
    assert sorted(p.name for p in site.out.rglob("*")) == before
    assert leftovers(site) == []


def test_a_full_disk_while_saving_the_state_only_costs_speed(make_site, monkeypatch, capsys):
    site = make_site()
    from chronicle.incremental import signing

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(site.root / ".cache/x"))

    monkeypatch.setattr(signing, "write_signed", full)
    monkeypatch.setattr(signing, "write_replacing", full)
    assert build_cli(site) == 0
    assert (site.out / "index.html").is_file()
    assert "Traceback" not in capsys.readouterr().err


def test_a_full_disk_while_caching_images_is_one_line_and_exit_2(make_site, monkeypatch, capsys):
    site = make_site()
    import chronicle.pipeline as pipeline

    def full(*args, **kwargs):
        raise OSError(
            errno.ENOSPC, "No space left on device", str(site.root / ".cache/images/a.jpg")
        )

    monkeypatch.setattr(pipeline, "process_portraits", full)
    assert build_cli(site) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the disk is full" in err[0] and ".cache/images/a.jpg" in err[0]
    assert not site.out.exists()


def test_an_output_error_says_which_output(tmp_path):
    with pytest.raises(OutputError, match="disk is full"):
        raise OutputError(staging.written_error(tmp_path, OSError(errno.ENOSPC, "full")))


def test_without_an_atomic_exchange_a_failed_move_puts_the_previous_output_back(
    make_site, monkeypatch
):
    site = make_site()
    site.build()
    before = sorted(p.name for p in site.out.rglob("*"))
    real_rename = Path.rename

    def refuse_staging(self, target):
        if ".staging-" in self.name:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    monkeypatch.setattr(Path, "rename", refuse_staging)
    with pytest.raises(OutputError, match="could not write"):
        site.build()
    monkeypatch.undo()
    assert sorted(p.name for p in site.out.rglob("*")) == before
    assert leftovers(site) == []
