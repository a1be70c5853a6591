"""A state saved as the changes since the last whole one.

A large site's state is tens of megabytes, and an edit changes a few entries of it: the
state is saved whole now and then (the base), and otherwise as the changes since the base
(the delta): the entries of its large tables that are new or other objects than those
loaded, and those that went. A delta names the base it applies to by its signature.
"""

from __future__ import annotations

import hmac
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chronicle.incremental.signing import sign

if TYPE_CHECKING:
    from chronicle.incremental.state import State


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
            table = get(state, name)
            for key in self.gone.get(name, ()):
                table.pop(key, None)
            table.update(self.changed.get(name, {}))
        for name, value in self.values.items():
            set_value(state, name, value)


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
            before, now = self.tables[name], get(state, name)
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
            if get(state, name) is not self.values[name]:
                changes.values[name] = get(state, name)
        return changes


_MISSING = object()


def get(state: State, name: str) -> Any:
    owner, _, attribute = name.rpartition(".")
    return getattr(getattr(state, owner) if owner else state, attribute)


def set_value(state: State, name: str, value: Any) -> None:
    owner, _, attribute = name.rpartition(".")
    setattr(getattr(state, owner) if owner else state, attribute, value)


def size(state: State) -> int:
    return sum(len(get(state, name)) for name in TABLES)


def read_changes(path: Path, key: bytes, base: bytes) -> Changes | None:
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
