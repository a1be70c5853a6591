"""The preview survives what a build does not: a failure anywhere, the preview folder's
writing included, is shown and the next save is built again; the preview folder goes on
every exit; the watcher does not follow links out of the site."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from tornado import ioloop

from chronicle.pipeline import BuildOptions
from chronicle.preview import serve as serving
from chronicle.preview.serve import Builder
from chronicle.preview.watch import Change, ChangeKind, Watcher
from chronicle.writing.live import LiveFolder
from tests.conftest import PROJECT, SiteDir

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def preview(site: SiteDir, tmp_path: Path) -> tuple[Builder, Path]:
    folder = tmp_path / "preview"
    folder.mkdir()
    options = BuildOptions(site_root=site.root, exports_later=True)
    return Builder(options, "127.0.0.1", 8000, LiveFolder(folder)), folder


def with_logo(site: SiteDir) -> Path:
    logo = site.root / "content" / "media" / "logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_bytes(PNG)
    return logo


def as_folder(path: Path) -> None:
    """A file replaced by a folder of the same name holding one file."""
    path.unlink()
    path.mkdir()
    (path / "inner.png").write_bytes(PNG)


def test_a_media_file_that_becomes_a_folder_is_built_both_ways(make_site, tmp_path):
    site = make_site()
    logo = with_logo(site)
    builder, folder = preview(site, tmp_path)
    assert isinstance(builder.run([]), tuple)
    assert (folder / "media/logo.png").read_bytes() == PNG

    as_folder(logo)
    outcome = builder.run([Change(logo, ChangeKind.CONTENT)])
    assert isinstance(outcome, tuple), outcome
    assert (folder / "media/logo.png/inner.png").read_bytes() == PNG

    shutil.rmtree(logo)
    logo.write_bytes(PNG)
    assert isinstance(builder.run([Change(logo, ChangeKind.CONTENT)]), tuple)
    assert (folder / "media/logo.png").read_bytes() == PNG


def test_a_media_file_that_becomes_a_folder_while_it_is_copied_is_a_located_error(
    make_site, tmp_path, monkeypatch
):
    """Listed as a file, a folder by the time the preview copies it: one line naming it,
    and the builder goes on; the next save builds again."""
    site = make_site()
    logo = with_logo(site)
    builder, folder = preview(site, tmp_path)
    assert isinstance(builder.run([]), tuple)
    logo.write_bytes(PNG + b"changed")  # a new stamp: the preview reads it again
    real_prepare = serving.prepare

    def swapped_after_listing(*args, **kwargs):
        result = real_prepare(*args, **kwargs)
        as_folder(logo)
        return result

    monkeypatch.setattr(serving, "prepare", swapped_after_listing)
    outcome = builder.run([Change(logo, ChangeKind.CONTENT)])
    assert outcome == [
        "content/media/logo.png:1:1: error: is a folder, not a file: only regular files are read"
    ]
    monkeypatch.setattr(serving, "prepare", real_prepare)
    outcome = builder.run([Change(logo, ChangeKind.CONTENT)])
    assert isinstance(outcome, tuple), outcome
    assert (folder / "media/logo.png/inner.png").read_bytes() == PNG


def test_a_preview_folder_that_cannot_be_written_is_shown_and_built_again(make_site, tmp_path):
    site = make_site()
    builder, folder = preview(site, tmp_path)
    assert isinstance(builder.run([]), tuple)
    shutil.rmtree(folder)  # a cleaner of temporary files took it
    path = site.write("content/pages/about.md", "---\ntitle: About us\n---\nText.\n")
    outcome = builder.run([Change(path, ChangeKind.CONTENT)])
    assert isinstance(outcome, list) and len(outcome) == 1
    assert outcome[0].startswith("error: could not write ") and str(folder) in outcome[0]
    folder.mkdir()
    assert isinstance(builder.run([Change(path, ChangeKind.CONTENT)]), tuple)
    assert "About us" in (folder / "about/index.html").read_text(encoding="utf-8")


def test_the_builder_shows_a_failure_to_write_as_the_overlay(make_site, tmp_path):
    """From the builder thread to the page: the failure reaches Preview.failed (the overlay),
    and the thread goes on to the next burst."""
    site = make_site()
    builder, folder = preview(site, tmp_path)
    assert isinstance(builder.run([]), tuple)
    shutil.rmtree(folder)
    change = [Change(site.root / "content/pages/about.md", ChangeKind.CONTENT)]

    class Twice:
        def __init__(self) -> None:
            self.batches = [change, change]

        def next_batch(self) -> list[Change] | None:
            return self.batches.pop(0) if self.batches else None

        def has_pending(self) -> bool:
            return False

    class Loop:
        def __init__(self) -> None:
            self.told: list[object] = []

        def add_callback(self, report: object, outcome: object, where: object) -> None:
            self.told.append(outcome)

    loop = Loop()
    serving._rebuild_forever(Twice(), builder, None, loop)  # type: ignore[arg-type]
    assert len(loop.told) == 2  # both bursts built: the thread did not stop at the first
    assert all(isinstance(outcome, list) for outcome in loop.told)
    assert "could not write" in loop.told[0][0]  # type: ignore[index]


# -- the preview folder goes on every exit ---------------------------------------------


@pytest.fixture
def in_process(monkeypatch, tmp_path):
    """serve() in this process, its temporary folder in tmp_path/temp, its signal handlers
    left as they were."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(serving.signal, "signal", lambda *args: None)
    monkeypatch.setattr(serving.gc, "freeze", lambda: None)
    return temp


def serve_in_own_loop(root: Path) -> int:
    """serve() on a thread of its own with an event loop of its own, as `build.py serve`
    runs it: never on a loop that another test's fixture (Playwright's) holds running."""
    outcome: dict[str, object] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            outcome["code"] = serving.serve(root, host="127.0.0.1", port=0, drafts=False)
        except BaseException as exc:  # given back to the test below
            outcome["error"] = exc
        finally:
            loop.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "serve() did not return within 120 s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["code"]  # type: ignore[return-value]


def test_the_preview_folder_goes_when_the_start_fails(make_site, in_process, monkeypatch):
    site = make_site()

    def broken(self):
        assert list(in_process.glob("chronicle-preview-*")), "the folder was made"
        raise RuntimeError("the watcher could not start")

    monkeypatch.setattr(Watcher, "start", broken)
    with pytest.raises(RuntimeError, match="the watcher could not start"):
        serve_in_own_loop(site.root)
    assert list(in_process.glob("chronicle-preview-*")) == []


def test_the_preview_folder_goes_when_the_server_stops(make_site, in_process, monkeypatch):
    site = make_site()
    real_start = Watcher.start

    def start_then_stop(self):
        real_start(self)
        loop = ioloop.IOLoop.current()
        loop.add_callback(loop.stop)  # the loop ends of itself, as after SIGTERM

    monkeypatch.setattr(Watcher, "start", start_then_stop)
    assert serve_in_own_loop(site.root) == 0
    assert list(in_process.glob("chronicle-preview-*")) == []


def test_a_sigterm_during_the_first_build_stops_the_start_and_the_folder_goes(
    make_site, in_process, monkeypatch
):
    """Before the loop serves, SIGTERM (or SIGHUP) stops the start as Ctrl-C would."""
    site = make_site()
    handlers: dict[int, object] = {}
    monkeypatch.setattr(
        serving.signal, "signal", lambda sig, handler: handlers.update({sig: handler})
    )

    def terminated_while_building(self, changes):
        assert list(in_process.glob("chronicle-preview-*")), "the folder was made"
        handlers[signal.SIGTERM](signal.SIGTERM, None)  # as the signal would, here
        raise AssertionError("the handler did not stop the start")

    monkeypatch.setattr(Builder, "run", terminated_while_building)
    assert serve_in_own_loop(site.root) == 0
    assert list(in_process.glob("chronicle-preview-*")) == []


def serve_process(site: SiteDir, temp: Path) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--port=0", f"--site={site.root}"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("serving "):
            port = int(line.split(" at http://127.0.0.1:", 1)[1].split("/", 1)[0])
            os.set_blocking(process.stderr.fileno(), False)
            return process, port
    process.kill()
    raise AssertionError(f"the preview did not start: {process.wait()}")


def get(port: int, target: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def eventually(check, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_the_builder_survives_a_media_file_replaced_by_a_folder_while_serving(make_site, tmp_path):
    """The whole preview, over HTTP: after the swap, the next save is built and served."""
    site = make_site()
    logo = with_logo(site)
    temp = tmp_path / "temp"
    temp.mkdir()
    process, port = serve_process(site, temp)
    try:
        assert get(port, "/media/logo.png") == (200, PNG)
        as_folder(logo)
        assert eventually(lambda: get(port, "/media/logo.png/inner.png")[0] == 200)
        site.write("content/pages/about.md", "---\ntitle: About\n---\nSaved after the swap.\n")
        assert eventually(lambda: b"Saved after the swap." in get(port, "/about/")[1])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()
        assert process.stderr is not None
        process.stderr.close()
    assert list(temp.glob("chronicle-preview-*")) == []


# -- the watcher -----------------------------------------------------------------------


def test_the_watcher_does_not_follow_a_linked_folder_out_of_the_site(tmp_path):
    site = tmp_path / "site"
    (site / "content" / "people").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "content" / "linked").symlink_to(outside, target_is_directory=True)
    watcher = Watcher(site)
    watcher.start()
    try:
        (outside / "secret.md").write_text("changed outside\n")
        (outside / "sub").mkdir()
        (outside / "sub" / "deeper.md").write_text("changed outside\n")
        assert watcher.next_batch(timeout=1.0) is None
        # The watcher does watch the site itself: a change there is seen.
        (site / "content" / "people" / "ada.md").write_text("---\nname: Ada\n---\n")
        batch = watcher.next_batch(timeout=5.0)
        assert batch is not None
        assert {change.path.name for change in batch} == {"ada.md"}
    finally:
        watcher.stop()


def test_a_stopped_watcher_wakes_a_builder_waiting_for_changes(tmp_path):
    watcher = Watcher(tmp_path)
    watcher.start()
    watcher.stop()
    started = time.monotonic()
    assert watcher.next_batch() is None
    assert time.monotonic() - started < 1


def test_a_media_file_swapped_for_a_link_out_before_the_copy_is_not_served(
    make_site, tmp_path, monkeypatch
):
    site = make_site()
    logo = with_logo(site)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"SECRET-0123456789")
    builder, folder = preview(site, tmp_path)
    real_prepare = serving.prepare

    def swapped_after_listing(*args, **kwargs):
        result = real_prepare(*args, **kwargs)
        logo.unlink()
        logo.symlink_to(secret)
        return result

    monkeypatch.setattr(serving, "prepare", swapped_after_listing)
    outcome = builder.run([])
    assert isinstance(outcome, list) and len(outcome) == 1
    assert outcome[0].startswith(
        "content/media/logo.png:1:1: error: is a symbolic link that leads outside"
    )
    assert not any(b"SECRET" in path.read_bytes() for path in folder.rglob("*") if path.is_file())
