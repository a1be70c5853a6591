"""site.toml's `[strings.<lang>]` and `[zh_phrases]` tables checked: a site's own interface
strings over the theme's, and its own phrases over the project's Chinese phrase table.

A string that would break its template (not text, or other placeholders than the English
one's) is an error; a key the theme does not know, or a language the site does not list,
is a warning: the build goes on, and the string is not shown.
"""

from __future__ import annotations

import re
from typing import Any

from chronicle.errors import Hint, Location, Problem, did_you_mean

SETTINGS_FILE = "site.toml"
_HINT = Hint("settings")


def check_strings(data: dict[str, Any], text: str) -> list[Problem]:
    """Every `[strings.<lang>]` table: text for keys the theme knows, with their
    placeholders, for a language of the site."""
    from chronicle.model import strings  # the theme's tables: only for a site with strings

    problems: list[Problem] = []
    languages = data.get("languages", ["en"])
    for lang, table in data["strings"].items():
        at = _table_line(text, "strings", lang)
        if not isinstance(table, dict):
            problems.append(_error(at, f'`strings.{lang}` must be a table of key = "text"'))
            continue
        if lang not in languages:
            listed = ", ".join(map(str, languages))
            problems.append(
                _warning(
                    at,
                    f"`strings.{lang}`: `{lang}` is not a language of the site ({listed}), "
                    f"so these strings are not shown{did_you_mean(lang, languages)}",
                )
            )
        for key, value in table.items():
            line = _key_line(text, at, key)
            if not isinstance(value, str):
                problems.append(_error(line, f"`strings.{lang}.{key}` must be text"))
            elif not strings.is_known(key):
                hint = did_you_mean(key, strings.known_keys())
                problems.append(
                    _warning(
                        line,
                        f"`strings.{lang}.{key}`: the theme has no string `{key}`{hint}; "
                        "the keys are those of the theme's i18n/en.toml",
                    )
                )
            elif (problem := strings.placeholder_problem(key, value)) is not None:
                problems.append(_error(line, f"`strings.{lang}`: {problem}"))
    return problems


def check_theme() -> list[Problem]:
    """The theme's own files of strings (chronicle.model.strings.check_theme)."""
    from chronicle.model import strings

    return list(strings.check_theme())


def check_phrases(table: dict[str, Any], text: str) -> list[Problem]:
    """`[zh_phrases]`: Traditional phrase = "Simplified phrase", neither empty."""
    problems: list[Problem] = []
    at = _table_line(text, "zh_phrases", None)
    for key, value in table.items():
        line = _key_line(text, at, key)
        if not isinstance(value, str):
            problems.append(_error(line, f'`zh_phrases`: write "{key}" = "Simplified phrase"'))
        elif not key.strip() or not value.strip():
            problems.append(_error(line, "`zh_phrases`: neither phrase may be empty"))
    return problems


def _table_line(text: str, name: str, sub: str | None) -> int:
    """The line of `[name.sub]` (or `[name]`), else of the first line naming it."""
    part = rf"[ \t]*\.[ \t]*[\"']?{re.escape(sub)}[\"']?" if sub is not None else ""
    header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(name)}{part}[ \t]*\]", re.MULTILINE)
    found = header.search(text) or re.search(rf"^[ \t]*{re.escape(name)}\b", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _key_line(text: str, table_line: int, key: str) -> int:
    """The line of `key = ` at or below its table's line, before the next table."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=|[{{,]\s*[\"']?{re.escape(key)}")
    for number, line in enumerate(text.split("\n")[table_line - 1 :], start=table_line):
        if number > table_line and line.lstrip().startswith("["):
            break
        if pattern.search(line):
            return number
    return table_line


def _error(line: int, message: str) -> Problem:
    return Problem(Location(SETTINGS_FILE, line, 1), "error", message, _HINT)


def _warning(line: int, message: str) -> Problem:
    return Problem(Location(SETTINGS_FILE, line, 1), "warning", message, _HINT)
