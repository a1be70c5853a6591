"""Nothing from outside the site is read or published: links are contained, special files
are never opened. Every link and FIFO is made here, as an attacker's pull request would."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.robustness.conftest import VALID_SITE, run_build, write_files

SECRET = "SECRET-0123456789"


def site_with_secret(tmp_path: Path) -> tuple[Path, Path]:
    """A valid site, and a file beside it (outside it) holding a secret."""
    site = write_files(tmp_path / "site", VALID_SITE)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "key.md").write_text(f"---\nname: {SECRET}\n---\n{SECRET}\n")
    (tmp_path / "secrets" / "key.png").write_text(SECRET)
    return site, secret


def published(out: Path) -> str:
    """Every byte of the output, as text (nothing when the build wrote nothing)."""
    if not out.exists():
        return ""
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("content/people/leak.md", "secrets/key.md"),
        ("content/people/more", "secrets"),
        ("content/media/leak.png", "secrets/key.png"),
        ("content/media/photos", "secrets"),
        ("static/env.txt", "secret.txt"),
        ("static/deep/er/env.txt", "secret.txt"),
        ("static/folder", "secrets"),
        ("templates/partials", "secrets"),
        ("templates/base.html", "secret.txt"),
    ],
)
def test_a_link_leading_out_of_the_site_is_a_located_error_and_nothing_is_published(
    tmp_path: Path, link: str, target: str
) -> None:
    site, _ = site_with_secret(tmp_path)
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(tmp_path / target)
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(
        line.startswith(f"{link}:1:1: error: is a symbolic link that leads outside")
        and str(tmp_path / target) in line
        for line in run.errors
    ), run
    assert SECRET not in published(tmp_path / "out")
    assert SECRET not in run.stderr


@pytest.mark.parametrize(
    "link",
    ["content/people/git.md", "static/key.txt", "content/media/env.png", "static/cache.txt"],
)
def test_a_link_to_a_hidden_file_of_the_site_is_an_error(tmp_path: Path, link: str) -> None:
    site, _ = site_with_secret(tmp_path)
    for hidden in (".git/config", ".env", ".cache/key"):
        write_files(site, {hidden: SECRET})
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    hidden = {"git": ".git/config", "cache": ".cache/key"}.get(link[-7:-4], ".env")
    (site / link).symlink_to(site / hidden)
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(line.startswith(f"{link}:1:1: error: is a symbolic link") for line in run.errors)
    assert SECRET not in published(tmp_path / "out")


def test_a_content_folder_that_is_a_link_out_is_an_error(tmp_path: Path) -> None:
    site, _ = site_with_secret(tmp_path)
    shutil.rmtree(site / "content" / "events")
    (site / "content" / "events").symlink_to(tmp_path / "secrets")
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(
        line.startswith("content/events:1:1: error: is a symbolic link") for line in run.errors
    )
    assert SECRET not in published(tmp_path / "out")


def test_links_that_stay_inside_the_site_are_followed(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {**VALID_SITE, "static/css/x.css": "a{}"})
    (site / "static" / "styles").symlink_to(site / "static" / "css")
    (site / "static" / "y.css").symlink_to(site / "static" / "css" / "x.css")
    run = run_build(site, tmp_path / "out")
    assert run.code == 0, run
    assert (tmp_path / "out" / "styles" / "x.css").read_text() == "a{}"
    assert (tmp_path / "out" / "y.css").read_text() == "a{}"


@pytest.mark.parametrize(
    "fifo", ["content/people/pipe.md", "content/media/pipe.png", "static/pipe.txt"]
)
def test_a_fifo_is_an_error_and_never_opened(tmp_path: Path, fifo: str) -> None:
    site = write_files(tmp_path / "site", VALID_SITE)
    (site / fifo).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(site / fifo)
    run = run_build(site, tmp_path / "out", timeout=60)  # a hang fails as TimeoutExpired
    assert run.code == 1, run
    assert (
        f"{fifo}:1:1: error: is a named pipe (FIFO), not a file: only regular files are read"
        in run.errors
    )


def test_a_file_where_a_content_folder_should_be_is_named(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {**VALID_SITE, "content/media": "not a folder"})
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(
        line.startswith("content/media:1:1: error: should be a folder") for line in run.errors
    )


@pytest.mark.parametrize("rel", ["static/env.txt", "content/media/logo.png"])
@pytest.mark.parametrize("remember", [False, True], ids=["swapped-whole", "in-place"])
def test_a_file_swapped_for_a_link_after_it_was_checked_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str, remember: bool
) -> None:
    """The race a checked name invites: the file is listed and checked, then replaced by a
    link to a secret before it is copied. The copy reads the file it opens and checks
    (O_NOFOLLOW, fstat), never the name again: the link is refused, the secret stays out."""
    from chronicle import pipeline
    from chronicle.errors import FileAccessError

    site, secret = site_with_secret(tmp_path)
    write_files(site, {rel: "harmless\n"})
    out = tmp_path / "out"
    options = pipeline.BuildOptions(site_root=site, out=out, remember=remember)
    if remember:  # a previous output, updated in place by the next build
        pipeline.build(options)
        write_files(site, {rel: "harmless, edited\n"})
    listed = pipeline._copied_files

    def swapped_after_the_check(root: Path, built: object) -> dict[str, Path]:
        copied = listed(root, built)  # type: ignore[arg-type]
        (site / rel).unlink()
        (site / rel).symlink_to(secret)
        return copied

    monkeypatch.setattr(pipeline, "_copied_files", swapped_after_the_check)
    with pytest.raises(FileAccessError) as error:
        pipeline.build(options)
    assert str(error.value).startswith(
        f"could not read {rel}: is a symbolic link that leads outside the site's content/"
    )
    assert SECRET not in published(out)
    assert not list(tmp_path.glob(".out.staging-*"))


def test_templates_are_hashed_from_the_file_opened_never_a_fifo_or_a_link_out(
    tmp_path: Path,
) -> None:
    """What decides whether cached pages stand reads each template as safefs does: a FIFO
    swapped in is not waited on, and what a link out of the site leads to is not read."""
    import signal
    from types import SimpleNamespace

    from chronicle.incremental import render_cache

    site, secret = site_with_secret(tmp_path)
    (site / "templates").mkdir()
    os.mkfifo(site / "templates" / "base.html")
    (site / "templates" / "page.html").symlink_to(secret)
    built = SimpleNamespace(settings="settings")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("waited on the FIFO"))
    signal.alarm(10)
    try:
        before = render_cache._fingerprint(site, built, None)  # type: ignore[arg-type]
        secret.write_text("ANOTHER SECRET\n")
        assert render_cache._fingerprint(site, built, None) == before  # type: ignore[arg-type]
    finally:
        signal.alarm(0)


def test_a_link_to_the_processs_environment_is_an_error_and_nothing_is_published(
    tmp_path: Path,
) -> None:
    site = write_files(tmp_path / "site", VALID_SITE)
    (site / "static").mkdir()
    (site / "static" / "env.txt").symlink_to("/proc/self/environ")
    env = {**os.environ, "DEPLOY_TOKEN": SECRET}
    run = run_build(site, tmp_path / "out", env=env)
    assert run.code == 1, run
    assert any(
        line.startswith("static/env.txt:1:1: error: is a symbolic link that leads outside")
        for line in run.errors
    ), run
    assert SECRET not in published(tmp_path / "out")


def test_a_relative_link_to_the_signing_key_is_an_error(tmp_path: Path) -> None:
    """The key that signs the remembered state lives outside the site (the user's cache);
    a relative link from static/ to it is refused like any other link out."""
    site = write_files(tmp_path / "site", VALID_SITE)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert run_build(site, tmp_path / "out", env=env).code == 0  # makes the key
    key = tmp_path / "xdg" / "chronicle" / "state.key"
    assert key.is_file()
    (site / "static").mkdir()
    (site / "static" / "key.txt").symlink_to(os.path.relpath(key, site / "static"))
    run = run_build(site, tmp_path / "out", env=env)
    assert run.code == 1, run
    assert any(
        line.startswith("static/key.txt:1:1: error: is a symbolic link") for line in run.errors
    )
    assert not (tmp_path / "out" / "key.txt").exists()


@pytest.mark.parametrize("folder", ["people", "media", "static"])
def test_a_kind_folder_or_static_that_is_a_link_out_is_an_error(
    tmp_path: Path, folder: str
) -> None:
    site, _ = site_with_secret(tmp_path)
    link = site / ("static" if folder == "static" else f"content/{folder}")
    shutil.rmtree(link, ignore_errors=True)
    link.symlink_to(tmp_path / "secrets")
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    rel = link.relative_to(site).as_posix()
    assert len(run.errors) == 1, run  # one mistake, one error: no "unknown person" besides
    assert run.errors[0].startswith(f"{rel}:1:1: error: is a symbolic link"), run
    assert SECRET not in published(tmp_path / "out")


def test_a_file_where_the_people_folder_should_be_is_named(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", VALID_SITE)
    shutil.rmtree(site / "content" / "people")
    write_files(site, {"content/people": "not a folder"})
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    # One mistake, one error: references to people are not each "unknown" besides.
    assert run.errors == [
        "content/people:1:1: error: should be a folder, but is a file: move it and make a folder"
    ], run


def test_an_unreadable_media_file_is_said_to_be_unreadable_not_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Tests run as root, for whom a mode of 000 changes nothing: the refusal is simulated
    where the file is opened.)"""
    from chronicle import pipeline
    from chronicle.errors import FileAccessError
    from chronicle.reading import safefs

    site = write_files(tmp_path / "site", {**VALID_SITE, "content/media/logo.png": "png"})
    real_open = os.open

    def refused(path: object, flags: int, *args: object) -> int:
        if str(path).endswith("logo.png") and not flags & os.O_WRONLY:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(safefs.os, "open", refused)
    with pytest.raises(FileAccessError) as error:
        pipeline.build(pipeline.BuildOptions(site_root=site, out=tmp_path / "out"))
    assert str(error.value) == "could not read content/media/logo.png: Permission denied"
    assert not (tmp_path / "out").exists()
