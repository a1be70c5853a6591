"""`build.py serve`: build, serve under the sub-path of base_url, rebuild on every change.

Three threads: watchdog's observer queues changes; one builder thread waits for a burst to
settle, rebuilds (parsed files cached, unchanged output files left alone) and hands the
result to the IOLoop thread, which serves requests and tells open pages to reload.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tornado import httpserver, ioloop, netutil

from chronicle.errors import BuildError, ChronicleError, Location, SettingsError
from chronicle.incremental.memory import Memory
from chronicle.pipeline import BuildOptions, prepare
from chronicle.preview.devserver import Preview, is_loopback, make_app
from chronicle.preview.watch import Change, Watcher
from chronicle.reading.safefs import UnsafeFileError
from chronicle.reading.settings import load_settings
from chronicle.rendering.search import BackgroundIndex
from chronicle.writing.live import LiveFolder
from chronicle.writing.staging import written_error

# After a good build: (changed output paths, base path, seconds); else the problem lines.
Outcome = tuple[list[str], str, float] | list[str]
STOP_WAIT_SECONDS = 10  # for a build under way when the preview stops (its folder goes)


@dataclass
class Builder:
    """Rebuilds the preview folder; never raises, whatever the content or the code does."""

    options: BuildOptions
    host: str
    port: int
    folder: LiveFolder
    memory: Memory = field(default_factory=Memory.for_preview)  # kept while it runs
    search: BackgroundIndex | None = None  # serve --search: Pagefind, off this thread
    base_url: str | None = None  # serve --base-url: its sub-path is the preview's too
    exports: frozenset[str] = frozenset()  # the data exports in the folder (see finish())
    _later: Callable[[], dict[str, bytes]] | None = None

    def run(self, changes: list[Change]) -> Outcome:
        """(changed output paths, base path, seconds) after a good build, else problem lines."""
        started = time.perf_counter()
        for change in changes:
            self.memory.files.changed(change.path)
        try:
            base_path = load_settings(self.options.site_root, self.base_url).base_path
            base_url = f"http://{self.host}:{self.port}{base_path}"
            options = replace(self.options, base_url=base_url)
            result = prepare(options, self.memory)
        except BuildError as exc:
            return [str(p) for p in exc.report.sorted()]
        except SettingsError as exc:
            return [str(p) for p in exc.problems]
        except ChronicleError as exc:
            return [f"error: {exc}"]
        except Exception:  # a bug must not stop the preview: show it, retry on the next save
            return _internal_error()
        try:  # a media file read as it is copied may fail too (gone, now a folder)
            changed = self.folder.apply(result.plan, keep=self.exports)
        except OSError as exc:
            return [_preview_error(exc, self.options.site_root)]
        except Exception:
            return _internal_error()
        self._later = result.exports_later
        if self.search is not None:
            self.search.update(result.search_docs)  # only if they changed, in the background
        return changed, result.settings.base_path, time.perf_counter() - started

    def finish(self) -> None:
        """After the pages have reloaded: the data exports of the last good build (no page
        shows them, so the reload need not wait for them on a large site when an entry's
        fields change)."""
        later, self._later = self._later, None
        if later is None:
            return
        try:
            files = later()
            self.folder.put(files, self.exports)
        except OSError as exc:  # the preview folder cannot be written: said, and served on
            print(_preview_error(exc, self.options.site_root), file=sys.stderr)
            return
        except Exception:  # a bug must not stop the preview
            print("internal error, please report it:", traceback.format_exc(), file=sys.stderr)
            return
        self.exports = frozenset(files)


def _internal_error() -> list[str]:
    return ["internal error, please report it:", *traceback.format_exc().splitlines()]


def _preview_error(exc: OSError, site_root: Path) -> str:
    """One line for a file the preview could not copy or write: the site's own file named
    from the site root (it could not be read), else the preview folder's (not written)."""
    where = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
    root = site_root.absolute()
    if where is not None and where.absolute().is_relative_to(root):
        why = exc.message if isinstance(exc, UnsafeFileError) else exc.strerror or exc
        return f"{Location(str(where.absolute().relative_to(root)))}: error: {why}"
    return f"error: {written_error(where or Path('the preview folder'), exc)}"


def serve(
    site_root: Path,
    *,
    host: str,
    port: int,
    drafts: bool,
    open_browser: bool = False,
    search: bool = False,
    base_url: str | None = None,
) -> int:
    """Serve the site until interrupted; returns the exit status. `base_url` overrides
    site.toml's as `build --base-url` does: the preview is served under its sub-path."""
    try:
        settings = load_settings(site_root, base_url)
    except SettingsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    sockets = _bind(host, port)
    if sockets is None:
        return 2
    port = sockets[0].getsockname()[1]
    loop = ioloop.IOLoop.current()
    running = threading.Event()  # set once the loop serves: a signal then stops it
    # Stopped by a terminal closing or a process manager, too, the preview tidies up: its
    # folder holds a whole copy of the site. Before the loop serves (the first build), a
    # signal stops the start as Ctrl-C does.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, lambda *_: _stop(loop, running))
    preview_dir = Path(tempfile.mkdtemp(prefix="chronicle-preview-"))
    watcher: Watcher | None = None
    server: httpserver.HTTPServer | None = None
    thread: threading.Thread | None = None
    try:  # from here on, whatever happens, the preview folder goes
        options = BuildOptions(
            site_root=site_root, drafts=drafts, search=search, exports_later=True
        )
        folder = LiveFolder(preview_dir)
        builder = Builder(options, _url_host(host), port, folder, base_url=base_url)
        if search:
            builder.search = BackgroundIndex(preview_dir, _tell)
        preview = Preview(preview_dir, settings.base_path, _url_host(host), port)
        _report(builder.run([]), preview)
        builder.finish()
        # The caches now hold most of what the process will keep: take them out of the
        # cyclic garbage collector's rounds, which otherwise walk them on every rebuild.
        gc.freeze()

        server = httpserver.HTTPServer(make_app(preview))
        server.add_sockets(sockets)
        watcher = Watcher(site_root)
        watcher.start()
        thread = threading.Thread(
            target=_rebuild_forever, args=(watcher, builder, preview, loop), daemon=True
        )
        thread.start()
        url = f"http://{_url_host(host)}:{port}{preview.base_path}"
        if not is_loopback(host):
            print(
                f"warning: serving on {host}: anyone who can reach this machine can see the "
                "preview",
                file=sys.stderr,
            )
        print(f"serving {site_root} at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        if open_browser:
            webbrowser.open(url)
        loop.add_callback(running.set)
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        try:
            _close(watcher, server, thread, sockets)
        finally:  # even when closing fails
            shutil.rmtree(preview_dir, ignore_errors=True)
    return 0


def _stop(loop: ioloop.IOLoop, running: threading.Event) -> None:
    """SIGTERM or SIGHUP: stop the loop when it serves, else stop the start as Ctrl-C does."""
    if running.is_set():
        loop.add_callback_from_signal(loop.stop)
    else:
        raise KeyboardInterrupt


def _close(
    watcher: Watcher | None,
    server: httpserver.HTTPServer | None,
    thread: threading.Thread | None,
    sockets: list[socket.socket],
) -> None:
    """Stop watching and serving; wait a while for a build under way, which would otherwise
    write into the preview folder as it is removed."""
    if watcher is not None:
        watcher.stop()
    if server is not None:
        server.stop()
    else:
        for sock in sockets:
            sock.close()
    if thread is not None:
        thread.join(timeout=STOP_WAIT_SECONDS)


def _bind(host: str, port: int) -> list[socket.socket] | None:
    """The listening sockets, or None after one line that says why there are none."""
    hint = "choose another with --port, or --port 0 for any free one"
    if not 0 <= port <= 65535:
        print(f"error: --port {port} is not a port (0 to 65535); {hint}", file=sys.stderr)
        return None
    try:
        return netutil.bind_sockets(port, host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            why = f"port {port} on {host} is in use, by another preview or server"
        elif exc.errno == errno.EACCES:
            why = f"port {port} on {host} needs more privileges than this user has"
        elif isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            why = f"cannot serve on {host}: not an address of this machine"
            hint = "choose another with --host, e.g. --host 127.0.0.1"
        else:
            why = f"cannot serve on {host} port {port}: {exc.strerror or exc}"
        print(f"error: {why}; {hint}", file=sys.stderr)
        return None


def _rebuild_forever(
    watcher: Watcher, builder: Builder, preview: Preview, loop: ioloop.IOLoop
) -> None:
    while True:
        batch = watcher.next_batch()
        if batch is None:
            return
        outcome = builder.run(batch)  # never raises (Builder.run)
        # A failed build with more changes already waiting may have seen a site half
        # changed (a long checkout): build again before telling the pages, so that no one
        # sees errors that the finished change does not have.
        while not isinstance(outcome, tuple) and watcher.has_pending():
            batch = watcher.next_batch()
            if batch is None:
                return
            outcome = builder.run(batch)
        loop.add_callback(_report, outcome, preview)
        builder.finish()


def _report(outcome: Outcome, preview: Preview) -> None:
    """Print the outcome of a build and tell the open pages (on the IOLoop thread)."""
    if isinstance(outcome, tuple):
        changed, base_path, seconds = outcome
        preview.built(changed, base_path)
        print(
            f"rebuilt: {len(changed)} file(s) changed in {seconds * 1000:.0f} ms",
            file=sys.stderr,
            flush=True,
        )
        return
    for line in outcome:
        print(line, file=sys.stderr)
    print("build failed; still serving the last good site", file=sys.stderr, flush=True)
    preview.failed(outcome)


def _tell(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
