"""Template problems: where a Jinja error happened (the template file and line, shown
relative to the site or as the default theme's) and which page met it, each reported once
however many pages met the same error, with the advice that fits it.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import NamedTuple

import jinja2

from chronicle.errors import Hint, Location, Report, relative
from chronicle.rendering.jobs import PageJob

TEMPLATE = Hint("template")


class TemplateFailure(NamedTuple):
    """A template error, as a worker sends it back to the process that reports it."""

    location: Location
    message: str
    error: str  # the error alone, to report each error at a template line once
    hint: Hint = TEMPLATE


class PageFailure(NamedTuple):
    place: int  # the page's place in the list of pages
    failure: TemplateFailure


def template_problem(
    exc: jinja2.TemplateError, site_root: Path, job: PageJob
) -> tuple[Location, str]:
    """The template file and line of a Jinja error, and a message naming the page's source."""
    failure = template_failure(exc, site_root, job)
    return failure.location, failure.message


def template_failure(exc: jinja2.TemplateError, site_root: Path, job: PageJob) -> TemplateFailure:
    """Where a Jinja error happened, what it is, the page that met it, and the advice."""
    filename, line = None, 1
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno or 1
    else:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt")) and Path(name).exists():
                filename, line = name, lineno
    path = _template_display(filename, site_root) if filename else f"templates/{job.template}"
    kind = (
        "template syntax error" if isinstance(exc, jinja2.TemplateSyntaxError) else "template error"
    )
    shown = job.source.path if job.source else f"/{job.output}"
    message, col, hint = (exc.message or str(exc)).rstrip("."), 1, TEMPLATE
    missing = _missing_extra(exc, filename, line) if filename else None
    if missing is not None:
        col, owner, key = missing
        message, hint = f"`{owner}` has no `{key}`", Hint("extra-key", (owner, key))
    location = Location(path, line, col)
    return TemplateFailure(location, f"{kind}: {message} (while rendering {shown})", str(exc), hint)


# What StrictUndefined says of a key a dict lacks, by attribute (`a.b`) or by item (`a["b"]`).
_NO_KEY = re.compile(r"'dict object' has no attribute '([^']+)'")


def _missing_extra(
    exc: jinja2.TemplateError, filename: str, line: int
) -> tuple[int, str, str] | None:
    """An author's own field that this entry's `extra` lacks: the column of the expression
    at the template's line, the mapping it was read from (`person.extra`), and the key."""
    found = _NO_KEY.fullmatch(exc.message or "") if isinstance(exc, jinja2.UndefinedError) else None
    if found is None:
        return None
    key = found[1]
    try:
        source = Path(filename).read_text(encoding="utf-8").split("\n")[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    named = re.escape(key)
    read = re.search(
        rf"\b((?:\w+\.)*extra(?:\.\w+)*)\s*(?:\.{named}\b|\[\s*(['\"]){named}\2\s*\])", source
    )
    if read is None:
        return None
    return read.start() + 1, read[1], key


def report_once(problems: list[PageFailure], report: Report) -> None:
    """One report per template line and error: the first page's in the list of pages,
    whichever process rendered it."""
    seen: set[tuple[str, int, str]] = set()
    for _index, (location, message, error, hint) in sorted(problems, key=lambda p: p.place):
        if (location.path, location.line, error) not in seen:
            seen.add((location.path, location.line, error))
            report.error(location, message, hint)


def _template_display(filename: str, site_root: Path) -> str:
    """A site's template relative to the site; the theme's by its folder, name and path."""
    path = Path(filename)
    if path.resolve().is_relative_to(site_root.resolve()):
        return relative(path.resolve(), site_root.resolve())
    return f"{path.parent.name}/{path.name} (default theme: {path})"
