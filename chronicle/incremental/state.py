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
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chronicle import theme
from chronicle.incremental import delta
from chronicle.incremental.deps import RenderCache
from chronicle.incremental.files import FileCache
from chronicle.incremental.inplace import Output, Previous
from chronicle.incremental.signing import mapped, sign, signing_key, write_signed
from chronicle.media.cards import Saved as CardsSaved
from chronicle.media.images import cache_folder
from chronicle.model.i18n import DateTable
from chronicle.rendering.exports import Made

if TYPE_CHECKING:
    from chronicle.incremental.summary import OutputCheck

FORMAT = "11"  # bump when the shape of State changes
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
    # What the stages keep besides (incremental.memory: Memory.of_state and keep()).
    exports: Made | None = None
    cards: CardsSaved | None = None
    dates: DateTable | None = None
    # Where this state was loaded from, to save only what changed since (see save()).
    origin: delta.Origin | None = field(default=None, repr=False, compare=False)
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
    for folder in (package, theme.templates(), theme.static(), theme.folder("i18n")):
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


def load(site_root: Path, out: Path, expected: str) -> State | None:
    """The state the last build into `out` left, or None: missing, foreign, or stale."""
    key = signing_key()
    path = state_path(site_root, out)
    if key is None or not path.is_file():
        return None
    try:
        with mapped(path) as blob:
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
    base_size = delta.size(state)
    changes = delta.read_changes(path.with_suffix(".delta"), key, signature)
    changes = changes or delta.Changes(signature)
    changes.apply(state)
    state.origin = delta.Origin(
        signature,
        base_size,
        changes,
        {name: dict(delta.get(state, name)) for name in delta.TABLES},
        {name: delta.get(state, name) for name in delta.VALUES},
    )
    return state


def save(site_root: Path, out: Path, state: State) -> None:
    """Write the state beside the site's other caches, as the changes since the last whole
    one when they are few; a failure only costs speed."""
    key = signing_key()
    if key is None:
        return
    path = state_path(site_root, out)
    delta_path = path.with_suffix(".delta")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        origin = state.origin
        if origin is not None and _base_signature(path) == origin.base:
            changes = origin.changes_since_base(state)
            if changes.size() <= origin.base_size * delta.DELTA_UP_TO:
                write_signed(delta_path, key, origin.base, changes)
                return
        write_signed(path, key, state.stamp.encode(), state)
        delta_path.unlink(missing_ok=True)  # its base is gone (and its signature with it)
    except OSError:
        pass


def _base_signature(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(32)
    except OSError:
        return b""
