"""Updating a previous output in place, the speed half of writing a remembered build.

After a remembered build (state.py), only the files whose bytes changed are moved into the
output and the files no longer made are moved out, in one commit that keeps what it
replaces until it is done: a failure undoes it, and so does the next build after a kill
(recover). When the output is swapped in whole instead, the files the previous build
wrote that are still as it left them are hard-linked into the staging folder (Reuse).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from chronicle.incremental.stamp import Stamp, stamp_of
from chronicle.reading import safefs
from chronicle.writing.plan import Plan, safe
from chronicle.writing.staging import Staging, link, same_bytes

_JOURNAL = "journal.json"

# The share of the output's files an update in place may change. A reader of the output
# sees the files change one by one during a commit, and a kill in its middle leaves a mix
# until the next build undoes it; a larger change, such as a template's, is swapped in whole.
IN_PLACE_UP_TO = 0.1


class Source(NamedTuple):
    """The file a copied file of the output was copied from, as it was then."""

    path: str
    stamp: Stamp

    @classmethod
    def of(cls, path: Path) -> Source:
        return cls(str(path), Stamp.of(os.stat(path)))


@dataclass
class Written:
    """One file of the output as a build left it, to tell next time whether it still is."""

    stamp: Stamp
    source: Source | None = None  # for a copied file: its source then


@dataclass
class Output:
    """An output folder as a build left it: each file (but the marker) and each folder
    ('' for the output itself) with its stamp, to tell at the next build what was
    changed by hand since."""

    files: dict[str, Written] = field(default_factory=dict)
    folders: dict[str, Stamp] = field(default_factory=dict)
    # Names this very output among those of other builds (see state.check_output_aside).
    token: str = field(default_factory=lambda: secrets.token_hex(8))

    @classmethod
    def made(cls, out: Path, files: dict[str, Written]) -> Output:
        """The output `out` just written whole, holding `files`."""
        return cls(files, _folder_stamps(out, files))

    def intact(self, out: Path, changed: Collection[str] | None = None) -> Previous:
        """`changed`: the files and folders (`rel/`) whose stamp is no longer what it
        was, when they were found already (state.check_output_aside)."""
        if changed is None:
            changed = {rel for rel, w in self.files.items() if stamp_of(f"{out}/{rel}") != w.stamp}
            changed.update(
                f"{rel}/"
                for rel, stamp in self.folders.items()
                if stamp_of(f"{out}/{rel}") != stamp
            )
        files = {rel: written for rel, written in self.files.items() if rel not in changed}
        whole = bool(self.folders) and not any(rel.endswith("/") for rel in changed)
        return Previous(files, self, whole)


@dataclass(frozen=True)
class Previous:
    """What the previous build left in the output folder, checked at this build's start."""

    files: Mapping[str, Written]  # still as the previous build wrote them
    output: Output  # as the previous build wrote it
    # No file or folder came or went since (each folder's stamp is unchanged): the
    # output holds exactly output.files, and may be updated in place.
    whole: bool


def _folder_stamps(out: Path, files: Collection[str]) -> dict[str, Stamp]:
    folders = {""}
    for rel in files:
        parent = rel.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    found: dict[str, Stamp] = {}
    for rel in folders:
        stamp = stamp_of(f"{out}/{rel}")
        if stamp is not None:
            found[rel] = stamp
    return found


# -- swapped in whole: unchanged files hard-linked from the previous output ------------------


class Reuse:
    """Puts the kept and copied files of a plan in the staging folder: those the previous
    output holds as this build would write them are a second name of that file there (a
    hard link), not written again."""

    def __init__(self, out: Path, previous: Previous | None) -> None:
        self.out = out
        self.files: Mapping[str, Written] = previous.files if previous is not None else {}

    def stage(self, plan: Plan, rel: str, target: str) -> Written:
        """Put the kept or copied file `rel` at `target`; returns what was written."""
        known = self.files.get(rel)
        before = f"{self.out}/{rel}"
        source: Source | None = None
        if rel in plan.kept:
            if known is not None and link(before, target):
                return known  # a second name: the same size, mtime and inode
            shutil.copyfile(before, target)
        else:
            path = plan.copied[rel]
            source = Source.of(path)
            if known is not None and known.source == source:
                if link(before, target):
                    return known
                shutil.copyfile(before, target)
            elif not (
                _read_only(path) and rel in plan.named_by_content and link(str(path), target)
            ):
                safefs.copy_file(path, target, plan.allowed)
        return Written(Stamp.of(os.stat(target)), source)


def _read_only(path: Path) -> bool:
    """A cached file that may be linked into the output rather than copied (social cards
    are cached read-only: nothing can change them through the output's name)."""
    try:
        return not os.stat(path).st_mode & 0o222
    except OSError:
        return False


# -- in place: only what changed, in one commit that can be undone ------------------------


def update(plan: Plan, out: Path, previous: Previous, staging: Staging) -> Output | None:
    """Bring the previous output in `out` to the plan in place, writing only what changed;
    None when it may not be (write_site then swaps the staging folder in whole): the output
    is not whole, the commit could not work there, or too much changed."""
    if not previous.whole or not _may_update(plan, out, previous, staging):
        return None
    return _update(plan, out, previous, staging)


def _may_update(plan: Plan, out: Path, previous: Previous, staging: Staging) -> bool:
    """False when the commit could not move files from the staging folder into `out` (a
    link to a folder elsewhere, another file system), or when a file must take the place of
    a folder or a folder that of a file: the commit moves files only, so such a build swaps
    the whole output instead. (A path that was a file of the whole previous output still
    is, in a folder.)"""
    if out.is_symlink() or os.stat(out).st_dev != os.stat(staging.path).st_dev:
        return False
    for rel in plan.paths():
        if rel in previous.output.files:
            continue
        if os.path.isdir(f"{out}/{rel}"):
            return False
        parent = rel.rpartition("/")[0]
        if parent and os.path.lexists(f"{out}/{parent}") and not os.path.isdir(f"{out}/{parent}"):
            return False
    return True


def _update(plan: Plan, out: Path, previous: Previous, staging: Staging) -> Output | None:
    """Bring the whole previous output in `out` to the plan, writing only what changed; None
    when that is too much to change in place (the staging folder then holds what changed)."""
    intact = previous.files
    files = dict(previous.output.files)
    moves: list[str] = []
    sources: dict[str, Source] = {}
    paths = plan.paths()
    for rel in paths:
        target = f"{out}/{safe(rel)}"
        if rel in plan.staged:
            if rel not in staging.same:
                moves.append(rel)
                continue
        elif rel in plan.rendered:
            data = plan.rendered[rel]
            if not same_bytes(target, data):
                staging.put_as_is(rel, data)
                moves.append(rel)
                continue
        elif rel in plan.copied:
            path = plan.copied[rel]
            source = Source.of(path)
            known = intact.get(rel)
            if known is None or known.source != source:
                staging.copy_in(rel, path, plan.allowed)
                sources[rel] = source
                moves.append(rel)
                continue
        # The file in `out` stands: a kept page, a page rendered to the same bytes, a copy
        # of an unchanged source.
        files[rel] = intact.get(rel) or Written(Stamp.of(os.stat(target)))
    made = set(paths)
    removed = sorted(rel for rel in previous.output.files if rel not in made)
    if len(moves) + len(removed) > len(previous.output.files) * IN_PLACE_UP_TO:
        return None
    touched = _commit(out, staging.path, moves, removed)
    for rel in removed:
        files.pop(rel, None)
    for rel in moves:
        files[rel] = Written(Stamp.of(os.stat(f"{out}/{rel}")), sources.get(rel))
    folders = dict(previous.output.folders)
    for rel in touched:
        stamp = stamp_of(f"{out}/{rel}")
        if stamp is None:
            folders.pop(rel, None)
        else:
            folders[rel] = stamp
    return Output(files, folders)


def _commit(out: Path, staged: Path, moves: list[str], removed: list[str]) -> set[str]:
    """Move the `moves` from the staging folder into `out` and the `removed` out of it, as
    one step: every file replaced or removed is kept in an undo folder, with a journal of
    the files and folders the commit adds, until the commit is done. A failure undoes it
    at once; a kill leaves the journal, and the next build's recover() undoes it then.
    Returns the folders whose listing changed (for their stamps)."""
    undo = out.parent / f".{out.name}.undo-{os.getpid()}"
    shutil.rmtree(undo, ignore_errors=True)
    added = [rel for rel in moves if not os.path.lexists(f"{out}/{rel}")]
    replaced = set(moves) - set(added)
    new_folders = _missing_folders(out, added)
    undo.mkdir()
    # Whole or not at all (written aside, then renamed): a journal is there before the
    # first change, and a kill while writing it leaves none.
    (undo / "journal.tmp").write_text(json.dumps({"added": added, "folders": new_folders}))
    (undo / "journal.tmp").rename(undo / _JOURNAL)
    touched: set[str] = set()
    try:
        for rel in sorted(replaced):  # kept aside, for an undo, under a second name
            _keep_aside(f"{out}/{rel}", f"{undo}/files/{rel}")
        for folder in new_folders:
            os.mkdir(f"{out}/{folder}")
            touched.add(folder.rpartition("/")[0])
        for rel in moves:
            os.replace(f"{staged}/{rel}", f"{out}/{rel}")
            touched.add(rel.rpartition("/")[0])
        for rel in removed:
            os.makedirs(f"{undo}/files/{rel}".rpartition("/")[0], exist_ok=True)
            with contextlib.suppress(FileNotFoundError):  # removed by hand during the build
                os.replace(f"{out}/{rel}", f"{undo}/files/{rel}")
            touched.add(rel.rpartition("/")[0])
        touched |= _remove_empty_folders(out, removed)
    except OSError:
        _roll_back(out, undo)
        raise
    (undo / _JOURNAL).unlink()  # the commit is done: nothing to undo from here on
    shutil.rmtree(undo, ignore_errors=True)
    return touched | set(new_folders)


def _missing_folders(out: Path, rels: list[str]) -> list[str]:
    """The folders the files `rels` need that `out` lacks, each after its parent."""
    missing: set[str] = set()
    for rel in rels:
        parent = rel.rpartition("/")[0]
        while parent and parent not in missing and not os.path.isdir(f"{out}/{parent}"):
            missing.add(parent)
            parent = parent.rpartition("/")[0]
    return sorted(missing, key=lambda folder: folder.count("/"))


def _keep_aside(path: str, aside: str) -> None:
    os.makedirs(aside.rpartition("/")[0], exist_ok=True)
    if not link(path, aside):
        shutil.copy2(path, aside)


def _remove_empty_folders(out: Path, removed: list[str]) -> set[str]:
    """Folders left empty by the removed files go too, as a build from nothing has none."""
    gone: set[str] = set()
    for rel in removed:
        parent = rel.rpartition("/")[0]
        while parent and parent not in gone:
            try:
                os.rmdir(f"{out}/{parent}")
            except OSError:  # not empty (or gone already)
                break
            gone.add(parent)
            parent = parent.rpartition("/")[0]
    return gone | {folder.rpartition("/")[0] for folder in gone}


def recover(out: Path) -> None:
    """Undo a commit into `out` that a killed build did not finish, and drop the undo
    folders of those it did (called under the build lock: lock.recover)."""
    for undo in out.parent.glob(f".{out.name}.undo-*"):
        if (undo / _JOURNAL).is_file():
            _roll_back(out, undo)
    for stale in out.parent.glob(f".{out.name}.undo-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _roll_back(out: Path, undo: Path) -> None:
    """Put `out` back as it was before the commit that `undo` belongs to."""
    journal = json.loads((undo / _JOURNAL).read_text())
    for rel in journal["added"]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{out}/{rel}")
    kept = undo / "files"
    prefix = len(str(kept)) + 1
    for folder, _, names in os.walk(kept):
        for name in names:
            rel = f"{folder}/{name}"[prefix:]
            os.makedirs(f"{out}/{rel}".rpartition("/")[0], exist_ok=True)
            os.replace(f"{kept}/{rel}", f"{out}/{rel}")
    for folder in reversed(journal["folders"]):
        with contextlib.suppress(OSError):
            os.rmdir(f"{out}/{folder}")
    shutil.rmtree(undo, ignore_errors=True)
