"""The default theme: every template and static file a site does not override.

Its files live at the top of the project, `templates/` and `static/`, beside the project's own
content, where an author edits them. A wheel carries them as this package's data
(`chronicle/theme/templates`, `chronicle/theme/static`); a checkout, or an editable install,
reads them where they are.

A site elsewhere builds on these files without copying them: see `overrides` for how its own
templates and stylesheet join the theme's.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import jinja2

from chronicle.errors import Report
from chronicle.theme import overrides

_CHECKOUT = Path(__file__).resolve().parent.parent.parent  # the project, when run from it


@functools.cache
def folder(name: str) -> Path:
    """The theme's `templates` or `static` folder: the installed package's data first,
    then the project folder this package was run from."""
    packaged = resources.files(__name__).joinpath(name)
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def templates() -> Path:
    return folder("templates")


def static() -> Path:
    return folder("static")


def loader(site_root: Path) -> jinja2.BaseLoader:
    """A site's templates over the theme's; `theme/<name>` is always the theme's own."""
    return overrides.loader(site_root / "templates", templates())


def stylesheet(site_root: Path) -> str:
    """`/custom.css` when the site has one, linked after the theme's stylesheet; else ''."""
    return overrides.stylesheet(site_root / "static")


def check(site_root: Path) -> Report:
    """The site's templates checked against the theme's (overrides.check)."""
    return overrides.check(site_root, templates())
