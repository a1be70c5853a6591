"""A site's own templates over the default theme's: how they are found, and what is checked.

A site's `templates/<name>` replaces the theme's file of that name, and `theme/<name>` always
names the theme's own file, so that an override can extend what it replaces and fill only its
blocks. A site's `static/custom.css` is linked after the theme's stylesheet. A misspelled
override would otherwise be silently ignored, so a template file that nothing uses is warned
about, and one that extends its own name (endless recursion) is an error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2 import nodes

from chronicle.errors import Location, Report, did_you_mean, relative
from chronicle.reading import safefs

PREFIX = "theme"  # `{% extends "theme/person.html" %}`: the theme's own person.html
SUFFIXES = (".html", ".xml", ".json", ".txt")  # template files; a README beside them is not
STYLESHEET = "custom.css"

_EXTENDS = re.compile(r"\{%[-+]?\s*extends\b")
# Parsing only: references and blocks do not depend on the rendering options.
_PARSER = jinja2.Environment()


def loader(site_templates: Path, theme_templates: Path) -> jinja2.BaseLoader:
    """`theme/<name>` from the theme alone; any other name from the site, then the theme."""
    return _Loader(
        [
            jinja2.PrefixLoader({PREFIX: jinja2.FileSystemLoader(theme_templates)}),
            jinja2.FileSystemLoader([site_templates, theme_templates]),
        ]
    )


class _Loader(jinja2.ChoiceLoader):
    """Jinja's ChoiceLoader, but a name found nowhere is reported by the last loader, whose
    message lists the folders looked in (an author's clue), as a single loader's did."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            return self.loaders[-1].get_source(environment, template)

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        try:
            return super().load(environment, name, globals)
        except jinja2.TemplateNotFound:
            return self.loaders[-1].load(environment, name, globals)


def stylesheet(site_static: Path) -> str:
    """The site's own stylesheet as a static path (`/custom.css`), or '' when it has none."""
    return f"/{STYLESHEET}" if (site_static / STYLESHEET).is_file() else ""


def is_theme(site_templates: Path, theme_templates: Path) -> bool:
    """Whether the site's templates folder is the theme's own (the project's site)."""
    return site_templates.resolve() == theme_templates.resolve()


def template_files(folder: Path) -> dict[str, Path]:
    """Template files by their names as templates ask for them (`partials/card.html`)."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in SUFFIXES and not path.name.startswith(".")
    }


@dataclass(frozen=True)
class Parsed:
    """What a template file asks for: the names it extends, includes or imports (None when
    one is computed, or the file does not parse: then it may use anything), and the place
    of an `extends` of its own name, if any."""

    references: frozenset[str] | None
    extends_itself: tuple[int, int] | None = None


def parse(name: str, path: Path) -> Parsed:
    """One template file's references (cached while the file is unchanged)."""
    stat = path.stat()
    return _parse(name, path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _parse(name: str, path: Path, mtime: int, size: int) -> Parsed:
    source = path.read_text(encoding="utf-8", errors="replace")
    try:
        tree = _PARSER.parse(source, name, str(path))
    except jinja2.TemplateSyntaxError:
        return Parsed(None)  # rendering reports it, with its place
    found = list(jinja2.meta.find_referenced_templates(tree))
    references = None if None in found else frozenset(n for n in found if n is not None)
    return Parsed(references, _extends_itself(tree, name, source))


def _extends_itself(tree: nodes.Template, name: str, source: str) -> tuple[int, int] | None:
    for node in tree.find_all(nodes.Extends):
        if isinstance(node.template, nodes.Const) and node.template.value == name:
            lines = source.splitlines()
            text = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
            match = _EXTENDS.search(text)
            return node.lineno, match.start() + 1 if match else 1
    return None


def check(site_root: Path, theme_templates: Path) -> Report:
    """Problems with a site's templates: an override extending its own name (an error), and
    a template file that replaces no theme file and that no template uses (a warning); a
    link leading out of the site, or a special file, among them (an error)."""
    report = Report()
    folder = site_root / "templates"
    # Jinja's loader follows links: one out of the site would render any file into a page.
    for path, problem in safefs.walk(folder, safefs.roots(site_root, [theme_templates])):
        if problem:
            report.error(Location(relative(path, site_root)), problem, safefs.SYMLINK)
    if report.errors or not folder.is_dir() or is_theme(folder, theme_templates):
        return report
    site = template_files(folder)
    theme = template_files(theme_templates)
    parsed = {name: parse(name, path) for name, path in site.items()}
    for name, found in parsed.items():
        if found.extends_itself is not None and _from_site(name, theme):
            line, col = found.extends_itself
            report.error(
                Location(relative(site[name], site_root), line, col),
                _self_extending(name, theme),
            )
    theme_parsed = [parse(name, path) for name, path in theme.items()]
    unused = _unused(parsed, theme_parsed, theme)
    for name in unused:
        report.warning(Location(relative(site[name], site_root)), _unused_message(name, theme))
    return report


def _self_extending(name: str, theme: Mapping[str, Path]) -> str:
    if name in theme:
        return (
            f"`{name}` extends itself, which never ends: extend the theme's own with "
            f'{{% extends "{PREFIX}/{name}" %}}'
        )
    return f"`{name}` extends itself, which never ends: extend another template"


def _unused(
    site: Mapping[str, Parsed], theme_parsed: Iterable[Parsed], theme: Mapping[str, Path]
) -> list[str]:
    """The site's template files that neither replace a theme file nor are asked for."""
    asked: set[str] = set()
    for name, found in site.items():
        if found.references is None:
            return []  # a computed name or a broken file: it may use any of them
        asked.update(found.references - {name})
    for found in theme_parsed:
        if found.references is None:
            return []
        asked.update(found.references)
    return [
        name
        for name in site
        if name not in theme and not (name in asked and _from_site(name, theme))
    ]


def _from_site(name: str, theme: Mapping[str, Path]) -> bool:
    """Whether asking for `name` finds the site's file: `theme/<name>` finds the theme's."""
    head, _, rest = name.partition("/")
    return not (head == PREFIX and rest in theme)


def _unused_message(name: str, theme: Mapping[str, Path]) -> str:
    hint = did_you_mean(name, theme) or (
        "; to replace a theme template, give it that template's name (see docs/theme.md)"
    )
    return (
        f"template `{name}` is not used: it replaces no template of the theme and no "
        f"template extends, includes or imports it{hint}"
    )
