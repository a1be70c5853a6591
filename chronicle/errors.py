"""The error model: every problem carries a location, and problems are collected, not thrown.

Content problems are gathered into a `Report` so that one run shows all of them; only a
problem that makes further checking meaningless (bad settings, no content folder) is
raised as an exception.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import NamedTuple


class ExitCode(IntEnum):
    OK = 0
    CONTENT = 1  # content or template errors
    USAGE = 2  # bad usage or settings, or an output folder we may not replace


class Location(NamedTuple):
    """A place in a source file: path relative to the site root, 1-based line and column.
    (A tuple: a large site's remembered state holds tens of thousands, and tuples are the
    quickest to read back.)"""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Hint(NamedTuple):
    """What to do about a problem, chosen where it is found: a code naming the advice (see
    diagnostics.HINTS), and the words the advice needs, such as the field's name."""

    code: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    severity: str  # "error" or "warning"
    message: str
    hint: Hint | None = field(default=None, compare=False)  # None: the general advice

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass
class Report:
    """Collects every problem found in one run."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: Hint | None = None) -> None:
        self.problems.append(Problem(location, "error", message, hint))

    def warning(self, location: Location, message: str, hint: Hint | None = None) -> None:
        self.problems.append(Problem(location, "warning", message, hint))

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Problems in file order, so that the output reads like a compiler's."""
        return sorted(set(self.problems))


class ChronicleError(Exception):
    """Base of the errors that stop a run; each knows its exit code."""

    exit_code = ExitCode.USAGE


class SettingsError(ChronicleError):
    """site.toml or the command line is wrong; reported with exit status 2."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class OutputError(ChronicleError):
    """The output folder cannot be replaced (not a previous build, not writable)."""


class BuildError(ChronicleError):
    """Content or template errors were found; nothing was written."""

    exit_code = ExitCode.CONTENT

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean `x`?)' suffix naming the nearest candidate, or '' when none is close."""
    close = closest(word, candidates)
    return f" (did you mean `{close}`?)" if close else ""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate close enough to be what `word` meant, if any."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The nearest candidate however far, for references where any hint helps."""
    ordered = sorted(candidates)
    if not ordered:
        return None
    close = difflib.get_close_matches(word, ordered, n=1, cutoff=0.0)
    return close[0] if close else None


def relative(path: Path, root: Path) -> str:
    """A path for messages: relative to the site root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
