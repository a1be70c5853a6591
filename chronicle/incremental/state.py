"""What a build remembers for the next one, in another process: the parsed files, what
each rendered page read (not its bytes: those are in the output), the list of pages, and
the output as it was written. With it, `build` re-parses only changed files, re-renders
only the pages whose reads changed, and leaves every other file of the output as it is
(see output.write_site).

The state lives in `<site>/.cache/state/`, one file per output folder. It is a pickle, so
it is signed with a key kept outside the site (`~/.cache/chronicle/state.key`): a state
file that someone else put in the site (a cloned repository, an archive) fails the check
and is ignored like a missing one. It is ignored too when anything else could make it
wrong: another version of chronicle or of a library it renders with, other options.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import mmap
import os
import pickle
import secrets
import sys
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from chronicle import theme
from chronicle.errors import Problem
from chronicle.incremental.deps import RenderCache
from chronicle.incremental.files import FileCache
from chronicle.incremental.workers import can_fork
from chronicle.media.images import cache_folder, user_cache_folder
from chronicle.reading.dates import PartialDate
from chronicle.writing.output import Output, Previous, file_signature

FORMAT = "10"  # bump when the shape of State changes
# Libraries whose output ends up in pages: a new version may render the same input anew.
LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "mdit-py-plugins",
    "nh3",
    "babel",
    "pyyaml",
    "opencc",
    "minify-html",
    "pillow",
    "pagefind",
)


@dataclass
class State:
    stamp: str  # chronicle's code, the libraries, the options: see stamp()
    files: FileCache = field(default_factory=FileCache)
    pages: RenderCache = field(default_factory=lambda: RenderCache(readers=None))
    output: Output = field(default_factory=Output)
    previous: Previous | None = None  # this build's view of `output`: see intact()
    exports: tuple[str, dict[str, bytes]] | None = None  # see exports.previous()
    cards: tuple[Hashable, dict[str, str], list[Problem]] | None = None  # cards.previous()
    dates: dict[tuple[PartialDate, str], str] | None = None  # i18n.formatted_dates()
    # Where this state was loaded from, to save only what changed since (see save()).
    origin: Origin | None = field(default=None, repr=False, compare=False)
    # `files` pickled already, by a worker process while the pages rendered (a cold build:
    # see pipeline.prepare); saved as they are, so that this process need not pickle them.
    pickled_files: PickledFiles | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        state = {**self.__dict__, "previous": None, "origin": None, "pickled_files": None}
        pickled = self.pickled_files
        # Only while they are still what was pickled: the same cache, with as many files.
        if pickled and pickled.of is self.files and pickled.files == len(self.files.parsed):
            state["files"] = Pickled(pickled.data)
        return state  # without this build's own

    def intact(self, out: Path, checked: OutputCheck | None = None) -> Previous:
        """The previous output as it is now: pages whose file is gone or was changed since
        are dropped, so that they are rendered again. `checked`: the output's files,
        looked at already (check_output_aside)."""
        found = checked.result() if checked is not None else None
        changed = found[1] if found is not None and found[0] == self.output.token else None
        previous = self.output.intact(out, changed)
        for rel in set(self.pages.pages) - set(previous.files):
            self.pages.forget(rel)
        return previous


class PickledFiles(NamedTuple):
    of: FileCache
    files: int  # how many parsed files it held when it was pickled
    data: bytes


class Pickled:
    """An object pickled already: pickled as its bytes, which become the object again when
    they are unpickled."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self) -> tuple[Callable[[bytes], object], tuple[bytes]]:
        return pickle.loads, (self.data,)


def stamp(*parts: object) -> str:
    """chronicle's own code and theme, the libraries' versions, SOURCE_DATE_EPOCH and the
    given options, hashed."""
    digest = hashlib.blake2b(digest_size=16)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    digest.update(repr((_code(), epoch, parts)).encode())
    return digest.hexdigest()


@functools.cache
def _code() -> str:
    """chronicle's own files and the libraries' versions: the same for a whole process
    (read once: a build asks three times)."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent.parent
    for folder in (package, theme.templates(), theme.static()):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    found = versions()
    libraries = [f"{name}={found.get(name, 'none')}" for name in LIBRARIES]
    digest.update(repr((FORMAT, sys.version, libraries)).encode())
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """Every installed distribution's version by its normalized name, read from the names
    of the `.dist-info` folders on sys.path, the first of each name as imports find them.
    (importlib.metadata tells the same, but takes longer to import than a warm build.)"""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix in ("dist-info", "egg-info"):
                project, _, version = stem.partition("-")
                normalized = project.lower().replace("_", "-").replace(".", "-")
                found.setdefault(normalized, version)
    return found


def state_path(site_root: Path, out: Path) -> Path:
    name = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    return cache_folder(site_root) / "state" / f"{name}.pickle"


# -- a whole state, then the changes to it -------------------------------------------------
#
# A large site's state is tens of megabytes, and an edit changes a few entries of it: the
# state is saved whole now and then (the base), and otherwise as the changes since the base
# (the delta): the entries of its large tables that are new or other objects than those
# loaded, and those that went. A delta names the base it applies to by its signature.

# The tables that change a little with each edit, and the few other values, by their path
# from the State.
TABLES = (
    "files.parsed",
    "files.listings",
    "files.folders",
    "pages.pages",
    "pages.markdown",
    "pages.values",
    "pages.body_readers",
    "output.files",
    "output.folders",
)
VALUES = (
    "output.token",
    "files.watched",
    "pages.fingerprint",
    "pages.shape",
    "pages.jobs",
    "exports",
    "cards",
    "dates",
)
# Past this share of the base's entries, the state is saved whole again: loading applies
# the delta too, and each save writes all of it.
DELTA_UP_TO = 0.2


@dataclass
class Changes:
    """A delta: per table, the entries set and the keys gone; and the other values set."""

    base: bytes  # the signature of the base it applies to
    changed: dict[str, dict[Any, Any]] = field(default_factory=dict)
    gone: dict[str, set[Any]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def size(self) -> int:
        return sum(map(len, self.changed.values())) + sum(map(len, self.gone.values()))

    def apply(self, state: State) -> None:
        for name in TABLES:
            table = _get(state, name)
            for key in self.gone.get(name, ()):
                table.pop(key, None)
            table.update(self.changed.get(name, {}))
        for name, value in self.values.items():
            _set(state, name, value)


@dataclass
class Origin:
    """A loaded state's base, the changes applied to it, and what each table and value was
    just after loading (entries are replaced, never changed in place: an entry that is the
    same object is unchanged)."""

    base: bytes
    base_size: int
    changes: Changes
    tables: dict[str, dict[Any, Any]]
    values: dict[str, Any]

    def changes_since_base(self, state: State) -> Changes:
        changes = Changes(
            self.base,
            {name: dict(entries) for name, entries in self.changes.changed.items()},
            {name: set(keys) for name, keys in self.changes.gone.items()},
            dict(self.changes.values),
        )
        for name in TABLES:
            before, now = self.tables[name], _get(state, name)
            changed = changes.changed.setdefault(name, {})
            gone = changes.gone.setdefault(name, set())
            for key in before.keys() - now.keys():
                changed.pop(key, None)
                gone.add(key)
            for key, value in now.items():
                if before.get(key, _MISSING) is not value:
                    changed[key] = value
                    gone.discard(key)
        for name in VALUES:
            if _get(state, name) is not self.values[name]:
                changes.values[name] = _get(state, name)
        return changes


_MISSING = object()


def _get(state: State, name: str) -> Any:
    owner, _, attribute = name.rpartition(".")
    return getattr(getattr(state, owner) if owner else state, attribute)


def _set(state: State, name: str, value: Any) -> None:
    owner, _, attribute = name.rpartition(".")
    setattr(getattr(state, owner) if owner else state, attribute, value)


def _size(state: State) -> int:
    return sum(len(_get(state, name)) for name in TABLES)


def load(site_root: Path, out: Path, expected: str) -> State | None:
    """The state the last build into `out` left, or None: missing, foreign, or stale."""
    key = _key()
    path = state_path(site_root, out)
    if key is None or not path.is_file():
        return None
    try:
        with _mapped(path) as blob:
            signature, header = bytes(blob[:32]), bytes(blob[32:64])
            if header != expected.encode() or not hmac.compare_digest(
                signature, sign(key, blob[32:])
            ):
                return None  # other code or options (checked before reading it all), or foreign
            state = pickle.loads(blob[64:])
    except Exception:  # unreadable, or a state from a broken write: as good as none
        return None
    if not isinstance(state, State) or state.stamp != expected:
        return None
    base_size = _size(state)
    changes = _changes(path.with_suffix(".delta"), key, signature) or Changes(signature)
    changes.apply(state)
    state.origin = Origin(
        signature,
        base_size,
        changes,
        {name: dict(_get(state, name)) for name in TABLES},
        {name: _get(state, name) for name in VALUES},
    )
    return state


@contextmanager
def _mapped(path: Path) -> Iterator[memoryview]:
    """A file's bytes, mapped rather than read: reading 30 MB into memory new to the process
    takes longer than unpickling it from the page cache. The file is not read twice: the
    signature is checked on the very bytes unpickled. (A writer changing the file in place
    between the two could defeat the check; such a writer can change the site's templates
    too, and state files are only ever replaced whole, by rename.)"""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        view = memoryview(m)
        try:
            yield view
        finally:
            view.release()


def _changes(path: Path, key: bytes, base: bytes) -> Changes | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if not hmac.compare_digest(blob[:32], sign(key, blob[32:])) or blob[32:64] != base:
        return None  # foreign, or left from before the base was last saved whole
    try:
        changes = pickle.loads(blob[64:])
    except Exception:
        return None
    return changes if isinstance(changes, Changes) else None


def save(site_root: Path, out: Path, state: State) -> None:
    """Write the state beside the site's other caches, as the changes since the last whole
    one when they are few; a failure only costs speed."""
    key = _key()
    if key is None:
        return
    path = state_path(site_root, out)
    delta = path.with_suffix(".delta")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        origin = state.origin
        if origin is not None and _base_signature(path) == origin.base:
            changes = origin.changes_since_base(state)
            if changes.size() <= origin.base_size * DELTA_UP_TO:
                _write_signed(delta, key, origin.base, changes)
                return
        _write_signed(path, key, state.stamp.encode(), state)
        delta.unlink(missing_ok=True)  # its base is gone (and its signature with it)
    except OSError:
        pass


def _base_signature(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(32)
    except OSError:
        return b""


def _write_signed(path: Path, key: bytes, head: bytes, value: object) -> None:
    """`head` and `value` pickled, after their MAC (sign()): pickled into the file as the
    pickle goes, not into memory first. A 40 MB state held as bytes, then joined to its head
    and to its MAC, made two copies more: 150 MB at the peak of a build at N = 2,000."""
    with _replacing(path) as handle:
        handle.write(bytes(32))  # the MAC's place: known at the end
        signing = _Signing(handle, hmac.new(key, digestmod="sha256"))
        signing.write(head)
        pickle.Pickler(signing, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        handle.seek(0)
        handle.write(signing.mac.digest())


class _Signing:
    """A file that the MAC sees every byte written to."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC) -> None:
        self.handle = handle
        self.mac = mac

    def write(self, data: bytes | memoryview) -> int:
        self.mac.update(data)
        return self.handle.write(data)


def _write(path: Path, blob: bytes) -> None:
    with _replacing(path) as handle:
        handle.write(blob)


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A new file that replaces `path` whole when the block ends, and only if it ends
    without an error."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            yield handle
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


# -- nothing changed: the build can stop at once ----------------------------------------

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
    problems: list[list[str | int]]  # [path, line, col, severity, message]
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
    found = {rel: list(written.signature) for rel, written in output.files.items()}
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
        _write(path, f"{head}\n{json.dumps(vars(summary))}".encode())
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
    """As file_signature(), as JSON keeps it."""
    return list(file_signature(path) or (-1, -1, -1))


def sign(key: bytes, data: bytes | memoryview) -> bytes:
    """A 32-byte MAC: HMAC-SHA256, which OpenSSL computes with the processor's SHA
    instructions where it has them: 15 ms for a 30 MB state on this project's machines,
    against 22 ms for keyed BLAKE2b."""
    return hmac.digest(key, data, "sha256")


def _key() -> bytes | None:
    """This user's signing key, made on first use; None where it cannot be kept."""
    path = user_cache_folder() / "state.key"
    try:
        return path.read_bytes()
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it just now
        return path.read_bytes()
    except OSError:
        return None
