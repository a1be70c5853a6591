"""Watching a site for changes: filesystem events (inotify via watchdog), not mtime polling,
coalesced so that a burst of saves (an editor, a `git checkout`) gives one rebuild."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Settle time: a burst is over when no event came for this long. An editor's save comes
# as events less than a millisecond apart; a `git checkout` of many files may pause longer
# on a busy machine, and then a build of the half-changed site may fail: the preview then
# builds again at once, without showing that failure (serve._rebuild_forever). Every
# millisecond here is one more between a save and the reloaded page...
QUIET_SECONDS = 0.02
# ...or when it has lasted this long, so that a never-ending burst still shows progress.
MAX_BURST_SECONDS = 0.5


class ChangeKind(Enum):
    SETTINGS = "settings"
    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"


@dataclass(frozen=True)
class Change:
    path: Path
    kind: ChangeKind


def classify(path: Path, site_root: Path) -> ChangeKind | None:
    """What a changed path is to the site, or None for files the build never reads."""
    try:
        parts = path.relative_to(site_root).parts
    except ValueError:
        return None
    if not parts or is_ignored(parts):
        return None
    if parts == ("site.toml",):
        return ChangeKind.SETTINGS
    return {
        "content": ChangeKind.CONTENT,
        "templates": ChangeKind.TEMPLATE,
        "static": ChangeKind.STATIC,
    }.get(parts[0])


def is_ignored(parts: tuple[str, ...]) -> bool:
    """Hidden files and folders, editor back-ups and swap files, and our own output."""
    name = parts[-1]
    return (
        parts[0] == "output"
        or any(part.startswith(".") or part == "__pycache__" for part in parts)
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name.startswith("#")
        or name == "4913"  # vim's probe file
    )


class _Handler(FileSystemEventHandler):
    def __init__(self, site_root: Path, changes: queue.Queue[Change | None]) -> None:
        self.site_root = site_root
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            # A folder's entries changed: each added, removed or renamed file has an event
            # of its own. Taken as a change, it would make the content loader list every
            # folder again on a save of a single file.
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in paths:
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            kind = classify(path, self.site_root)
            if kind is not None:
                self.changes.put(Change(path, kind))


class Watcher:
    """Collects changes under a site root; `next_batch()` blocks until a burst has settled."""

    def __init__(self, site_root: Path) -> None:
        self.site_root = site_root.resolve()
        self._changes: queue.Queue[Change | None] = queue.Queue()  # None: stopped
        self._observer = Observer()
        self._stopped = threading.Event()

    def start(self) -> None:
        # Links are not followed: a linked folder inside content/ that leads out of the
        # site (which the build refuses) must not make the preview watch what it leads to.
        handler = _Handler(self.site_root, self._changes)
        self._observer.schedule(handler, str(self.site_root), recursive=True, follow_symlink=False)
        self._observer.start()

    def stop(self) -> None:
        self._stopped.set()
        self._changes.put(None)  # wakes a builder waiting for the next burst
        if self._observer.is_alive():  # not when its start failed
            self._observer.stop()
            self._observer.join(timeout=5)

    def has_pending(self) -> bool:
        """Changes came since the last batch was taken."""
        return not self._changes.empty()

    def next_batch(self, timeout: float | None = None) -> list[Change] | None:
        """The changes of the next burst, once it has settled; None when stopped or timed out."""
        try:
            first = self._changes.get(timeout=timeout)
        except queue.Empty:
            return None
        batch = [first]
        started = time.monotonic()
        while not self._stopped.is_set():
            remaining = MAX_BURST_SECONDS - (time.monotonic() - started)
            if remaining <= 0:
                break
            try:
                batch.append(self._changes.get(timeout=min(QUIET_SECONDS, remaining)))
            except queue.Empty:
                break
        if self._stopped.is_set():
            return None
        return _unique(change for change in batch if change is not None)


def _unique(changes: Iterable[Change]) -> list[Change]:
    return list(dict.fromkeys(changes))
