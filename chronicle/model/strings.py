"""Interface strings: the theme's, one TOML file per language in `i18n/`, under a site's own.

The theme's files live at the top of the project beside `templates/` and `static/` (a wheel
carries them as chronicle.theme.i18n). English is complete; a key another language lacks is
shown in English. A site overrides any string for any language in site.toml's
`[strings.<lang>]` tables, key by key (docs/theme.md, "Interface strings").
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from chronicle.errors import Hint, Location, Problem, relative
from chronicle.reading import chinese

if TYPE_CHECKING:
    from chronicle.reading.settings import Settings

FALLBACK = "en"  # the language every string exists in
_NAME_KEY = "language_"  # `language_<tag>`: a language named inside a sentence

LANGUAGE_NAMES = {
    "en": "English",
    "zh-hant": "繁體中文",
    "zh-hans": "简体中文",
}

# BCP 47 tags for `<html lang>` and hreflang: our folder names are lower-case.
HTML_LANG = {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}

Table = Mapping[str, str]
SiteStrings = Mapping[str, Table]  # site.toml's [strings.<lang>] tables


class StringsFileError(Exception):
    """A theme file of strings that cannot be read: the theme itself is broken."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@functools.cache
def theme_table(lang: str) -> dict[str, str]:
    """The theme's own strings for `lang`, as its file gives them ({} without a file)."""
    from chronicle import theme  # the theme package loads Jinja: only when strings are read

    path = theme.folder("i18n") / f"{lang}.toml"
    if not path.is_file():
        return {}
    where = relative(path, Path.cwd())
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise StringsFileError(_error(Location(where), f"cannot be read: {exc}")) from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        message = _TOML_POSITION.sub("", str(exc)).strip()
        error = _error(Location(where, line, col), f"invalid TOML: {message}")
        raise StringsFileError(error) from None
    for key, value in data.items():
        if not isinstance(value, str):
            location = Location(where, _line_of(path, key))
            raise StringsFileError(_error(location, f"`{key}` must be text"))
    return data


@functools.cache
def check_theme() -> tuple[Problem, ...]:
    """The theme's files of strings: each readable, each string with the placeholders of
    the English one (a template would fail on it), each key one that English has."""
    from chronicle import theme

    problems: list[Problem] = []
    for lang in theme_languages():
        try:
            table = theme_table(lang)
        except StringsFileError as exc:
            problems.append(exc.problem)
            continue
        path = theme.folder("i18n") / f"{lang}.toml"
        for key, text in table.items():
            if is_known(key):
                problem = placeholder_problem(key, text)
            else:
                problem = f"`{key}` is not a key of en.toml: add it there, or remove it here"
            if problem is not None:
                location = Location(relative(path, Path.cwd()), _line_of(path, key))
                problems.append(_error(location, problem))
    return tuple(problems)


def _line_of(path: Path, key: str) -> int:
    """The line that sets `key` in a file of strings."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    rows = path.read_text(encoding="utf-8").split("\n")
    return next((n for n, row in enumerate(rows, start=1) if pattern.match(row)), 1)


def _error(location: Location, message: str) -> Problem:
    return Problem(location, "error", message, Hint("template"))


def theme_languages() -> list[str]:
    """The languages the theme has a file of strings for."""
    from chronicle import theme

    return sorted(path.stem for path in theme.folder("i18n").glob("*.toml"))


def known_keys() -> frozenset[str]:
    """Every key of the interface: the English table's."""
    return frozenset(theme_table(FALLBACK))


def is_known(key: str) -> bool:
    """A key the theme uses, or the name of any language (`language_fr`)."""
    return key in known_keys() or (key.startswith(_NAME_KEY) and len(key) > len(_NAME_KEY))


def missing(lang: str, site: SiteStrings | None = None) -> list[str]:
    """The keys `lang` lacks, in the theme's table and the site's together: shown in
    English on its pages. [] for English itself."""
    if lang == FALLBACK:
        return []
    own = set(theme_table(lang)) | set((site or {}).get(lang, {}))
    if lang == chinese.TARGET:  # the site's Traditional strings are converted for it
        own |= set((site or {}).get(chinese.SOURCE, {}))
    return sorted(known_keys() - own)


def strings(
    lang: str, site: SiteStrings | None = None, convert: chinese.Converter | None = None
) -> dict[str, str]:
    """Every interface string in `lang`: the theme's English, the site's English, the
    theme's `lang`, the site's `lang`, each over the one before. For Simplified Chinese, a
    string the site gives in Traditional Chinese only is converted (with `convert`)."""
    if not site:
        return _theme_strings(lang)
    table = {**_theme_strings(lang)}
    if lang != FALLBACK:
        english = site.get(FALLBACK, {})
        table.update((k, v) for k, v in english.items() if k not in theme_table(lang))
    if lang == chinese.TARGET and chinese.SOURCE in site:
        converter = convert or chinese.converter()
        table.update((k, converter.text(v)) for k, v in site[chinese.SOURCE].items())
    table.update(site.get(lang, {}))
    return table


def site_strings(lang: str, settings: Settings) -> dict[str, str]:
    """The strings a site's pages in `lang` show: the theme's under the site's own."""
    return strings(lang, settings.strings, chinese.converter(settings.zh_phrases))


@functools.cache
def _theme_strings(lang: str) -> dict[str, str]:
    return {**theme_table(FALLBACK), **theme_table(lang)}


def placeholders(text: str) -> set[str]:
    """The `{name}` fields a string is formatted with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def placeholder_problem(key: str, text: str) -> str | None:
    """Why a string for `key` would break its template, if it would: it must have the
    same placeholders as the English one (the template fills in those, and only those)."""
    try:
        found = placeholders(text)
    except ValueError:
        return f"`{key}` has an unmatched brace: write `{{{{` and `}}}}` for a literal one"
    english = theme_table(FALLBACK).get(key)
    expected = placeholders(english) if english is not None else set()
    if found == expected:
        return None
    wanted = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "no placeholder"
    return f"`{key}` must have the placeholders of the English string: {wanted}"


def language_name(lang: str) -> str:
    """A language's name in that language (the language switcher)."""
    return LANGUAGE_NAMES.get(lang, lang)


def html_lang(lang: str) -> str:
    return HTML_LANG.get(lang, lang)


def name_in(table: Table, lang: str) -> str:
    """Language `lang` named in the language of `table`, inside a sentence."""
    return table.get(_NAME_KEY + lang) or language_name(lang)
