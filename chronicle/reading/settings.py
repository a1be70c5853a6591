"""Site settings: `site.toml` read into a frozen dataclass, every problem reported at once."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chronicle.errors import Hint, Location, Problem, SettingsError, did_you_mean
from chronicle.reading import characters, safefs, sitestrings

SETTINGS_FILE = "site.toml"
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Settings:
    """Everything `site.toml` can say. Only `title` and `base_url` are required."""

    title: str
    base_url: str  # absolute, always ends with "/"
    description: str = ""
    languages: tuple[str, ...] = ("en",)
    author: str = ""  # named in the Atom feed; defaults to the site title
    home_events: int = 6  # how many of the latest events the home page shows
    feed_events: int = 50  # how many events the Atom feed carries
    social_cards: bool = True  # a preview image (og:image) per person and event
    require_translations: bool = False  # missing translations are errors, not warnings
    # The site's own text in other languages: {"zh-hant": {"title": ..., "description": ...}}
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Interface strings over the theme's, per language: {"zh-hant": {"home": ...}}
    strings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Traditional phrase -> Simplified phrase, over the project's table (reading.chinese)
    zh_phrases: Mapping[str, str] = field(default_factory=dict)
    # Warnings found in the settings (an unknown string's key): reported with the content's.
    notes: tuple[Problem, ...] = field(default=(), compare=False, repr=False)
    # From SOURCE_DATE_EPOCH: the only clock a build may show. Without it, output holds no
    # time that the content does not give, so two builds of the same input are identical.
    build_time: dt.datetime | None = None

    @property
    def base_path(self) -> str:
        """The sub-path the site is served under: "/" or e.g. "/founders/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def in_language(self, lang: str) -> Settings:
        """These settings with the title, description and author given for `lang`, if any."""
        own = self.translations.get(lang, {})
        return replace(
            self,
            title=own.get("title", self.title),
            description=own.get("description", self.description),
            author=own.get("author", self.author),
        )


_FIELDS: dict[str, type] = {
    "title": str,
    "base_url": str,
    "description": str,
    "languages": list,
    "author": str,
    "home_events": int,
    "feed_events": int,
    "translations": dict,
    "social_cards": bool,
    "require_translations": bool,
    "strings": dict,
    "zh_phrases": dict,
}
_TRANSLATED_SETTINGS = ("title", "description", "author")
SETTINGS, TRANSLATION = Hint("settings"), Hint("translation")
_TYPE_HINTS = {"translations": TRANSLATION}  # advice for a setting of the wrong type


MAX_SETTINGS_BYTES = 1024 * 1024


def load_settings(site_root: Path, base_url_override: str | None = None) -> Settings:
    """Read and validate `site.toml`; raise SettingsError listing every problem."""
    path = site_root / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(
            [_problem(1, f"{SETTINGS_FILE} not found in {site_root}: a site needs one")]
        )
    try:  # opened as content is (safefs): never a link out of the site, never a FIFO
        data_bytes = safefs.read_bytes(path, safefs.roots(site_root), MAX_SETTINGS_BYTES)
    except safefs.UnsafeFileError as exc:
        raise SettingsError([_problem(1, f"{SETTINGS_FILE} {exc.message}")]) from None
    if len(data_bytes) > MAX_SETTINGS_BYTES:
        raise SettingsError([_problem(1, f"{SETTINGS_FILE} is over 1 MiB: settings are short")])
    text = data_bytes.decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = _TOML_POSITION.sub("", str(exc)).strip()
        raise SettingsError([_problem(line, f"invalid TOML: {message}", col)]) from None
    if base_url_override is not None:
        data["base_url"] = base_url_override
    problems = _validate(data, text)
    notes = [p for p in problems if p.severity == "warning"]
    if len(notes) < len(problems):
        raise SettingsError([p for p in problems if p.severity == "error"])
    settings = Settings(
        title=data["title"],
        base_url=normalize_base_url(data["base_url"]),
        **{k: v for k, v in data.items() if k not in ("title", "base_url", "languages")},
    )
    if "languages" in data:
        settings = replace(settings, languages=tuple(data["languages"]))
    epoch = source_date_epoch(os.environ.get("SOURCE_DATE_EPOCH"))
    return replace(settings, build_time=epoch, notes=tuple(notes))


def source_date_epoch(value: str | None) -> dt.datetime | None:
    """The reproducible-builds clock (https://reproducible-builds.org/specs/source-date-epoch/)."""
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit():
        raise SettingsError(
            [
                Problem(
                    Location("$SOURCE_DATE_EPOCH"),
                    "error",
                    f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, "
                    f"such as 1700000000, not `{value}`",
                    SETTINGS,
                )
            ]
        )
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise SettingsError(
            [
                Problem(
                    Location("$SOURCE_DATE_EPOCH"),
                    "error",
                    f"SOURCE_DATE_EPOCH `{value}` is out of range",
                    SETTINGS,
                )
            ]
        ) from None


def normalize_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _validate(data: dict[str, Any], text: str) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in data.items():
        line = _line_of_key(text, key)
        expected = _FIELDS.get(key)
        if expected is None:
            hint = did_you_mean(key, _FIELDS)
            problems.append(
                _problem(
                    line,
                    f"unknown setting `{key}`{hint}; known settings: " + ", ".join(sorted(_FIELDS)),
                    hint=SETTINGS,
                )
            )
        elif not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            problems.append(
                _problem(
                    line,
                    f"`{key}` must be {_type_name(expected)}, not {_type_name(type(value))}",
                    hint=Hint("list") if expected is list else _TYPE_HINTS.get(key),
                )
            )
    problems.extend(_check_characters(data, text))
    for key in ("title", "base_url"):
        if key not in data:
            problems.append(_problem(1, f"missing required setting `{key}`", hint=SETTINGS))
    if isinstance(data.get("title"), str) and not data["title"].strip():
        problems.append(_problem(_line_of_key(text, "title"), "`title` is empty"))
    if isinstance(data.get("base_url"), str):
        problem = _check_base_url(data["base_url"])
        if problem:
            message, advice = problem
            problems.append(_problem(_line_of_key(text, "base_url"), message, hint=advice))
    problems.extend(_check_languages(data.get("languages"), _line_of_key(text, "languages")))
    if isinstance(data.get("translations"), dict):
        problems.extend(_check_translations(data, text))
    problems.extend(sitestrings.check_theme())  # the theme's own strings, which every page shows
    if isinstance(data.get("strings"), dict):
        problems.extend(sitestrings.check_strings(data, text))
    if isinstance(data.get("zh_phrases"), dict):
        problems.extend(sitestrings.check_phrases(data["zh_phrases"], text))
    for key in ("home_events", "feed_events"):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value < 1:
            problems.append(_problem(_line_of_key(text, key), f"`{key}` must be at least 1"))
    return problems


def _check_translations(data: dict[str, Any], text: str) -> list[Problem]:
    """`[translations.<lang>]` tables: a listed language other than the default, and only
    the settings that are text a reader sees."""
    problems = []
    languages = data.get("languages", ["en"])
    for lang, table in data["translations"].items():
        line = _line_of_key(text, f"[translations.{lang}]", table=True)
        if lang not in languages[1:]:
            problems.append(
                _problem(
                    line,
                    f"`translations.{lang}`: `{lang}` is not a language of the site "
                    "other than the default (see `languages`)",
                    hint=TRANSLATION,
                )
            )
        if not isinstance(table, dict):
            problems.append(
                _problem(line, f"`translations.{lang}` must be a table", hint=TRANSLATION)
            )
            continue
        for key, value in table.items():
            if key not in _TRANSLATED_SETTINGS:
                hint = did_you_mean(key, _TRANSLATED_SETTINGS)
                problems.append(
                    _problem(
                        line,
                        f"`translations.{lang}.{key}` cannot be translated{hint}; "
                        "only title, description and author can",
                        hint=TRANSLATION,
                    )
                )
            elif not isinstance(value, str):
                problems.append(
                    _problem(
                        line, f"`translations.{lang}.{key}` must be a string", hint=TRANSLATION
                    )
                )
    return problems


def _check_characters(data: dict[str, Any], text: str, above: str = "") -> list[Problem]:
    """Characters no output may hold, in any setting's text (a TOML escape such as
    `"\u0001"` included: tomllib refuses only raw ones)."""
    problems = []
    for key, value in data.items():
        name = f"{above}{key}"
        if name == "base_url":
            continue  # _check_base_url says what is wrong with it, once
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, dict):
                problems.extend(_check_characters(item, text, f"{name}."))
            elif isinstance(item, str) and (bad := characters.forbidden(item)) is not None:
                line = _line_of_key(text, key)
                what = characters.describe(item, bad)
                problems.append(_problem(line, f"`{name}`: {what} is not allowed: remove it"))
    return problems


def _check_base_url(url: str) -> tuple[str, Hint | None] | None:
    """Why `url` cannot be the base URL, and the advice, if it cannot."""
    if characters.forbidden(url) is not None or any(c.isspace() for c in url):
        return "`base_url` may not hold spaces or control characters: remove them", None
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        return (
            "`base_url` may not hold a user name or password (`user:secret@`): it is "
            "printed into every page; remove it",
            None,
        )
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"`base_url` must be an absolute http or https URL such as "
            f"`https://example.org/` or `https://example.org/founders/`, not `{url}`",
            Hint("url"),
        )
    if parts.query or parts.fragment:
        return f"`base_url` may not hold a query or fragment: `{url}`", None
    return None


def _check_languages(value: Any, line: int) -> list[Problem]:
    if not isinstance(value, list):
        return []
    if not value:
        return [_problem(line, '`languages` is empty: list at least one, e.g. ["en"]')]
    problems = []
    for tag in value:
        if not isinstance(tag, str) or not _LANG_RE.match(tag):
            problems.append(
                _problem(line, f"`{tag}` is not a lower-case language tag such as en or zh-hant")
            )
    if len(set(value)) != len(value):
        problems.append(_problem(line, "`languages` lists a language twice"))
    return problems


def _line_of_key(text: str, key: str, table: bool = False) -> int:
    pattern = (
        re.compile(rf"^\s*{re.escape(key)}")
        if table
        else re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    )
    for number, line in enumerate(text.split("\n"), start=1):  # lines as editors count them
        if pattern.match(line):
            return number
    return 1


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", list: "a list", bool: "true or false"}.get(
        kind, kind.__name__
    )


def _problem(line: int, message: str, col: int = 1, hint: Hint | None = None) -> Problem:
    return Problem(Location(SETTINGS_FILE, line, col), "error", message, hint)
