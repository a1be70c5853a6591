"""The default theme: every template and static file a site does not override.

Its files live at the top of the project, `templates/` and `static/`, beside the project's own
content, where an author edits them. A wheel carries them as this package's data
(`chronicle/theme/templates`, `chronicle/theme/static`); a checkout, or an editable install,
reads them where they are.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

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
