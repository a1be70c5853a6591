"""Nothing changed: the build can stop at once.

A build stamps everything it reads before reading it, and what it wrote after writing it,
into a small summary beside the state. The next build stamps them again: when nothing
differs, its output stands and the last report is given again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from chronicle.incremental.inplace import Output
from chronicle.incremental.signing import write_replacing
from chronicle.incremental.stamp import stamp_of
from chronicle.incremental.state import state_path
from chronicle.incremental.workers import can_fork

INPUTS = ("site.toml", "content", "templates", "static")  # what a build reads of the site


@dataclass
class Summary:
    """What a build into `out` found and made, kept beside its state (as JSON: it is read
    before anything else, and must be quick to read) to tell the next build that nothing
    changed since, and to repeat its report then."""

    stamp: str
    inputs: dict[str, list[int]]  # every file a build reads, with its signature
    outputs: dict[str, list[int]]  # every file and folder of the output, likewise
    token: str  # the output's (output.Output.token): which state's output this is
    problems: list[list[str | int]]  # [path, line, col, severity, message, hint code, words…]
    pages: int
    files: int


def input_signatures(site_root: Path) -> dict[str, list[int]]:
    """Every file and folder a build reads, by its path in the site (`content/people/`)."""
    root = site_root.absolute()  # `Path(".") / "site.toml"` drops the "./" the paths are cut by
    found: dict[str, list[int]] = {}
    for name in INPUTS:
        _signatures(root, root / name, found)
    return found


def output_signatures(out: Path, output: Output, marker: str) -> dict[str, list[int]]:
    """The signature of each file and folder of the output as written (a folder's changes
    when a file is added to it or removed), and of the marker file."""
    found = {rel: list(written.stamp) for rel, written in output.files.items()}
    found.update((rel + "/", list(signature)) for rel, signature in output.folders.items())
    found[marker] = _stat_signature(f"{out}/{marker}")
    return found


def up_to_date(
    site_root: Path, out: Path, expected: str, inputs: dict[str, list[int]]
) -> Summary | None:
    """The last build's summary when nothing it read (`inputs`, from input_signatures())
    or wrote has changed since."""
    try:
        with _summary_path(site_root, out).open(encoding="utf-8") as handle:
            # The first line tells whether the rest need be read: after an edit, it need not.
            if json.loads(handle.readline()) != [expected, _digest(inputs)]:
                return None
            summary = Summary(**json.loads(handle.read()))
        if summary.stamp != expected or summary.inputs != inputs:
            return None
        for rel, signature in summary.outputs.items():
            if _stat_signature(f"{out}/{rel}") != signature:
                return None
    except (OSError, ValueError, TypeError):
        return None
    return summary


class OutputCheck:
    """The previous output's files and folders compared with the last build's summary, in
    a forked process while this one loads the state: the two take about as long (14,000
    stats against unpickling, at a thousand people), and the check needs none of the
    state. result() tells which files changed, for the output the summary names."""

    def __init__(self, site_root: Path, out: Path) -> None:
        self._reader, writer = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: write the answer, and leave at once
            code = 1
            try:
                os.close(self._reader)
                with os.fdopen(writer, "wb") as pipe:
                    pipe.write(json.dumps(_changed_outputs(site_root, out)).encode())
                code = 0
            finally:
                os._exit(code)  # never the parent's exit handlers, buffers or locks
        os.close(writer)

    def result(self) -> tuple[str, set[str]] | None:
        """(the output's token, the files and folders whose signature changed), or None."""
        try:
            with os.fdopen(self._reader, "rb") as pipe:
                answer = json.loads(pipe.read() or b"null")
        except (OSError, ValueError):
            answer = None
        finally:
            os.waitpid(self._pid, 0)
        return (answer[0], set(answer[1])) if answer else None


def check_output_aside(site_root: Path, out: Path) -> OutputCheck | None:
    """An OutputCheck where a fork is safe (workers.can_fork), else None."""
    return OutputCheck(site_root, out) if can_fork() else None


def _changed_outputs(site_root: Path, out: Path) -> tuple[str, list[str]] | None:
    try:
        with _summary_path(site_root, out).open(encoding="utf-8") as handle:
            handle.readline()
            summary = json.loads(handle.read())
        outputs: dict[str, list[int]] = summary["outputs"]
        changed = [rel for rel, sig in outputs.items() if _stat_signature(f"{out}/{rel}") != sig]
        return summary["token"], changed
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_summary(site_root: Path, out: Path, summary: Summary) -> None:
    path = _summary_path(site_root, out)
    head = json.dumps([summary.stamp, _digest(summary.inputs)])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_replacing(path, f"{head}\n{json.dumps(vars(summary))}".encode())
    except OSError:
        pass  # a failure only costs speed


def _digest(inputs: dict[str, list[int]]) -> str:
    return hashlib.blake2b(repr(sorted(inputs.items())).encode(), digest_size=16).hexdigest()


def _summary_path(site_root: Path, out: Path) -> Path:
    return state_path(site_root, out).with_suffix(".json")


def _signatures(root: Path, path: Path, found: dict[str, list[int]]) -> None:
    """Every file and folder under `path`, by path relative to `root`."""
    prefix = len(str(root)) + 1
    top = str(path)
    if not os.path.isdir(top):
        if os.path.lexists(top):
            found[top[prefix:]] = _stat_signature(top)
        return
    pending = [top]
    while pending:
        folder = pending.pop()
        found[folder[prefix:] + "/"] = _stat_signature(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            found[folder[prefix:] + "/"] = [-1, -1, -1]
            continue
        for entry in entries:
            rel = entry.path[prefix:]
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_symlink() and entry.is_dir():
                    # A linked folder's files may change without a trace: never up to date.
                    found[rel] = [-2, time.time_ns(), os.getpid()]
                else:
                    found[rel] = _stat_signature(entry.path)
            except OSError:  # a dangling link or a loop: the build reports it, and fails
                found[rel] = [-1, -1, -1]


def _stat_signature(path: str) -> list[int]:
    """As stamp_of(), as JSON keeps it."""
    return list(stamp_of(path) or (-1, -1, -1))
