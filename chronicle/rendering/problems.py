"""Template problems: where a Jinja error happened (the template file and line, shown
relative to the site or as the default theme's) and which page met it, each reported once
however many pages met the same error.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import NamedTuple

import jinja2

from chronicle.errors import Location, Report, relative
from chronicle.rendering.jobs import PageJob


class TemplateFailure(NamedTuple):
    """A template error, as a worker sends it back to the process that reports it."""

    location: Location
    message: str
    error: str  # the error alone, to report each error at a template line once


class PageFailure(NamedTuple):
    place: int  # the page's place in the list of pages
    failure: TemplateFailure


def template_problem(
    exc: jinja2.TemplateError, site_root: Path, job: PageJob
) -> tuple[Location, str]:
    """The template file and line of a Jinja error, and a message naming the page's source."""
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
    message = (exc.message or str(exc)).rstrip(".")
    return Location(path, line), f"{kind}: {message} (while rendering {shown})"


def template_failure(exc: jinja2.TemplateError, site_root: Path, job: PageJob) -> TemplateFailure:
    """template_problem(), with the error alone."""
    location, message = template_problem(exc, site_root, job)
    return TemplateFailure(location, message, str(exc))


def report_once(problems: list[PageFailure], report: Report) -> None:
    """One report per template line and error: the first page's in the list of pages,
    whichever process rendered it."""
    seen: set[tuple[str, int, str]] = set()
    for _index, (location, message, error) in sorted(problems, key=lambda p: p.place):
        if (location.path, location.line, error) not in seen:
            seen.add((location.path, location.line, error))
            report.error(location, message)


def _template_display(filename: str, site_root: Path) -> str:
    """A site's template relative to the site; the theme's by its folder, name and path."""
    path = Path(filename)
    if path.resolve().is_relative_to(site_root.resolve()):
        return relative(path.resolve(), site_root.resolve())
    return f"{path.parent.name}/{path.name} (default theme: {path})"
