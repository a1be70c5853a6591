"""Interface strings and date display, per language.

The strings are strings.py's (the theme's i18n/ files under a site's own), named here too;
a language without a string shows it in English, and the content itself is still shown in
that language where a translation exists.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from chronicle.model.strings import (  # the interface strings, in the theme's i18n/ files
    HTML_LANG,
    LANGUAGE_NAMES,
    html_lang,
    language_name,
    missing,
    site_strings,
    strings,
)
from chronicle.reading.dates import PartialDate, Precision

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "HTML_LANG",
    "LANGUAGE_NAMES",
    "html_lang",
    "language_name",
    "missing",
    "site_strings",
    "strings",
]


# Babel locales for our language tags; English dates read day-month-year (12 July 2023).
_LOCALES = {"en": "en_GB", "zh-hant": "zh_Hant_TW", "zh-hans": "zh_Hans_CN"}


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale, UnknownLocaleError  # with its data, only for a date not seen

    try:
        return Locale.parse(_LOCALES.get(lang, lang.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_GB")


def format_date(date: PartialDate, lang: str) -> str:
    """A date at its own precision, in the language's own way (Babel's CLDR data):
    2023 / July 2023 / 12 July 2023 in English, 2023年 / 2023年7月 / 2023年7月12日 in Chinese."""
    import babel.dates  # only when a date is formatted: a build may need none (see Dates)

    locale = _locale(lang)
    day = date.first_day()
    if date.precision is Precision.DAY:
        return str(babel.dates.format_date(day, format="long", locale=locale))
    skeleton = "yMMMM" if date.precision is Precision.MONTH else "y"
    return str(babel.dates.format_skeleton(skeleton, day, locale=locale))


DateTable = dict[tuple[PartialDate, str], str]


class Dates:
    """Dates formatted so far, by (date, language): a site shows the same few thousand
    dates on many pages, and Babel is slow. A build's memory keeps the table for the next
    build (incremental.memory), so that a build that shows no new date loads no Babel."""

    def __init__(self, restored: DateTable | None = None) -> None:
        self._restored = restored or None
        self.table: DateTable = dict(restored) if restored else {}

    def format_date(self, date: PartialDate, lang: str) -> str:
        found = self.table.get((date, lang))
        if found is None:
            found = self.table[date, lang] = format_date(date, lang)
        return found

    def format_range(self, start: PartialDate, end: PartialDate | None, lang: str) -> str:
        if end is None or end == start:
            return self.format_date(start, lang)
        separator = "–" if not lang.startswith("zh") else " 至 "
        return f"{self.format_date(start, lang)}{separator}{self.format_date(end, lang)}"

    def kept(self) -> DateTable:
        """The table to keep: the very one restored while nothing was added, so that a
        saved state sees it unchanged."""
        if self._restored is not None and len(self._restored) == len(self.table):
            return self._restored
        return dict(self.table)


def format_range(start: PartialDate, end: PartialDate | None, lang: str) -> str:
    """A date or a range of dates, formatted anew (Dates keeps them)."""
    return Dates().format_range(start, end, lang)
