"""Dates, ranges of dates and lists as each language writes them, from Babel's CLDR data,
and the table that keeps them from one build to the next.

A range is shown in three parts, the start, the separator and the end, so that a page can
mark each end up as a date of its own: "9–15 March 2016" is `9`, `–`, `15 March 2016`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from chronicle.reading.dates import PartialDate, Precision

if TYPE_CHECKING:
    from babel import Locale

# Babel locales for our language tags; English dates read day-month-year (12 July 2023).
_LOCALES = {"en": "en_GB", "zh-hant": "zh_Hant_TW", "zh-hans": "zh_Hans_CN"}

# The CLDR skeletons of a date at each precision; a day's interval patterns come from its
# abbreviated-month skeleton, widened to the month of the language's long date (see _widen).
_SKELETONS = {Precision.YEAR: "y", Precision.MONTH: "yMMMM", Precision.DAY: "yMMMd"}
_LIST_STYLE: Final = "standard"  # "A, B and C", 「A、B和C」: names in a sentence, not units
_MARK = "\x00"  # stands in for the items while a list's pattern is read

Range = tuple[str, str, str]  # the start as shown, the separator, the end as shown
DateKey = tuple[PartialDate, str]  # a date, in a language
RangeKey = tuple[PartialDate, PartialDate | None, str]  # a range; no end: to the present
ListKey = tuple[int, str]  # the pattern of a list of so many items, in a language
DateTable = dict[DateKey | RangeKey | ListKey, tuple[str, ...]]


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale, UnknownLocaleError  # with its data, only for a form not seen

    try:
        return Locale.parse(_LOCALES.get(lang, lang.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_GB")


# -- dates -------------------------------------------------------------------------------


def format_date(date: PartialDate, lang: str) -> str:
    """A date at its own precision, in the language's own way (Babel's CLDR data):
    2023 / July 2023 / 12 July 2023 in English, 2023年 / 2023年7月 / 2023年7月12日 in Chinese."""
    import babel.dates  # only when a date is formatted: a build may need none (see Dates)

    locale = _locale(lang)
    day = date.first_day()
    if date.precision is Precision.DAY:
        return str(babel.dates.format_date(day, format="long", locale=locale))
    return str(babel.dates.format_skeleton(_SKELETONS[date.precision], day, locale=locale))


def _single_pattern(precision: Precision, locale: Locale) -> str:
    if precision is Precision.DAY:
        return str(locale.date_formats["long"].pattern)
    return str(locale.datetime_skeletons.get(_SKELETONS[precision], ""))


# -- ranges ------------------------------------------------------------------------------

# A pattern's pieces: a field (a run of one letter), quoted text, or other text.
_PIECES = re.compile(r"([A-Za-z])\1*|'(?:[^']|'')*'|[^A-Za-z']+")


def _pieces(pattern: str) -> list[tuple[str, str]]:
    """(field letter or "" for text, the piece as written; text unquoted)."""
    found = []
    for match in _PIECES.finditer(pattern):
        piece = match.group(0)
        if match.group(1):
            found.append((match.group(1), piece))
        elif piece.startswith("'"):
            found.append(("", piece[1:-1].replace("''", "'") or "'"))
        else:
            found.append(("", piece))
    return found


def _trailing_text(pattern: str) -> tuple[str, str]:
    """The last field's letter of a pattern and the text that follows it."""
    pieces = _pieces(pattern)
    letter, text = "", list[str]()
    for field, piece in reversed(pieces):
        if field:
            letter = field
            break
        text.insert(0, piece)
    return letter, "".join(text)


def _separator(first_half: str, single: str) -> str:
    """The separator that ends the first half of an interval pattern: its trailing text
    less what the language writes after that field anyway: the 日 of 9日至, the . of 9.–."""
    letter, trailing = _trailing_text(first_half)
    unit = ""
    pieces = _pieces(single)
    for (field, _), (text_field, text) in pairwise(pieces):
        if field == letter and not text_field:
            unit = text
            break
    shared = 0
    while shared < min(len(unit), len(trailing)) and unit[shared] == trailing[shared]:
        shared += 1
    return trailing[len(unit[:shared].rstrip()) :]


def _widen(pattern: str, single: str) -> str:
    """The month of an interval pattern as wide as the single date's: CLDR has "9–15 Mar
    2016" for the skeleton, the long date says March."""
    widths = [len(piece) for field, piece in _pieces(single) if field and field in "ML"]
    if not widths:
        return pattern
    return "".join(
        "M" * widths[0] if field == "M" else piece if field else _quoted(piece)
        for field, piece in _pieces(pattern)
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _joiner(locale: Locale) -> str:
    """How the language joins two dates that share no pattern (other precisions, or the
    present): as it joins two full dates of different years."""
    halves = locale.interval_formats.get(_SKELETONS[Precision.DAY], {}).get("y")
    if halves:
        return _separator(halves[0], _single_pattern(Precision.DAY, locale))
    fallback = str(locale.interval_formats.get(None) or "{0}–{1}")
    return fallback.split("{0}", 1)[-1].split("{1}", 1)[0]


def _greatest_difference(start: PartialDate, end: PartialDate) -> str:
    if start.year != end.year:
        return "y"
    return "M" if start.month != end.month else "d"


def range_parts(start: PartialDate, end: PartialDate, lang: str) -> Range:
    """Two different dates as one range: the language's interval pattern when both have
    the same precision ("9–15 March 2016", 「2016年3月9日至15日」), else each at its own
    precision with the language's separator ("2019 – 12 July 2023")."""
    import babel.dates

    locale = _locale(lang)
    if start.precision is not end.precision:
        return format_date(start, lang), _joiner(locale), format_date(end, lang)
    single = _single_pattern(start.precision, locale)
    formats = locale.interval_formats.get(_SKELETONS[start.precision], {})
    halves = formats.get(_greatest_difference(start, end))
    if not halves or len(halves) != 2:
        return format_date(start, lang), _joiner(locale), format_date(end, lang)
    first_half, second_half = (_widen(half, single) for half in halves)
    first = str(babel.dates.format_date(start.first_day(), first_half, locale=locale))
    second = str(babel.dates.format_date(end.first_day(), second_half, locale=locale))
    if start.precision is Precision.YEAR and second != format_date(end, lang):
        # zh_Hant's year interval drops 年 ("2019至2023"): each year as the language writes it
        return format_date(start, lang), _joiner(locale), format_date(end, lang)
    separator = _separator(first_half, single)
    if separator and first.endswith(separator):
        first = first[: -len(separator)]
    else:
        separator = ""
    return first, separator, second


def open_parts(start: PartialDate, lang: str) -> Range:
    """A range that lasts to the present: "2019 – present", 「2019年至今」 (where the word
    for the present holds the separator already, it is not written twice)."""
    from chronicle.model.strings import strings  # strings.py may not import this module first

    present = strings(lang)["present"]
    joiner = _joiner(_locale(lang))
    if joiner.strip() and present.startswith(joiner.strip()):
        joiner = ""
    return format_date(start, lang), joiner, present


# -- lists -------------------------------------------------------------------------------


def list_glue(count: int, lang: str) -> tuple[str, ...]:
    """The text around and between `count` items of a list, count + 1 pieces:
    ("", ", ", " and ", "") in English for three, ("", "、", "和", "") in Chinese."""
    import babel.lists

    if count <= 0:
        return ("",)
    marks = [f"{_MARK}{i}{_MARK}" for i in range(count)]
    text = str(babel.lists.format_list(marks, style=_LIST_STYLE, locale=_locale(lang)))
    glue = re.split(f"{_MARK}\\d+{_MARK}", text)
    if re.findall(f"{_MARK}(\\d+){_MARK}", text) != [str(i) for i in range(count)]:
        return ("", *[", "] * (count - 1), "")  # a pattern that reorders: never in CLDR
    return tuple(glue)


def join_list(items: Sequence[str], glue: Sequence[str]) -> str:
    return glue[0] + "".join(item + after for item, after in zip(items, glue[1:], strict=True))


# -- the table ---------------------------------------------------------------------------


class Dates:
    """Dates, ranges and list patterns formatted so far: a site shows the same few thousand
    dates on many pages, and Babel is slow. A build's memory keeps the table for the next
    build (incremental.memory), so that a build that shows no new one loads no Babel."""

    def __init__(self, restored: DateTable | None = None) -> None:
        self._restored = restored or None
        self.table: DateTable = dict(restored) if restored else {}

    def format_date(self, date: PartialDate, lang: str) -> str:
        found = self.table.get((date, lang))
        if found is None:
            found = self.table[date, lang] = (format_date(date, lang),)
        return found[0]

    def range_parts(self, start: PartialDate, end: PartialDate | None, lang: str) -> Range:
        """A date, or a range when it has another end: (start, separator, end)."""
        if end is None or end == start:
            return self.format_date(start, lang), "", ""
        return self._range(start, end, lang)

    def span_parts(self, start: PartialDate, end: PartialDate | None, lang: str) -> Range:
        """A span of time: with no end, one that lasts to the present."""
        if end == start:
            return self.format_date(start, lang), "", ""
        return self._range(start, end, lang)

    def _range(self, start: PartialDate, end: PartialDate | None, lang: str) -> Range:
        found = self.table.get((start, end, lang))
        if found is None:
            made = open_parts(start, lang) if end is None else range_parts(start, end, lang)
            found = self.table[start, end, lang] = made
        first, separator, second = found
        return first, separator, second

    def format_range(self, start: PartialDate, end: PartialDate | None, lang: str) -> str:
        return "".join(self.range_parts(start, end, lang))

    def format_span(self, start: PartialDate, end: PartialDate | None, lang: str) -> str:
        return "".join(self.span_parts(start, end, lang))

    def list_glue(self, count: int, lang: str) -> tuple[str, ...]:
        found = self.table.get((count, lang))
        if found is None:
            found = self.table[count, lang] = list_glue(count, lang)
        return found

    def format_list(self, items: Sequence[str], lang: str) -> str:
        """Names in a sentence: "A, B and C", 「A、B和C」."""
        return join_list(items, self.list_glue(len(items), lang))

    def kept(self) -> DateTable:
        """The table to keep: the very one restored while nothing was added, so that a
        saved state sees it unchanged."""
        if self._restored is not None and len(self._restored) == len(self.table):
            return self._restored
        return dict(self.table)


# One table for the callers that have no build's own (social cards, tests).
_SHARED = Dates()


def format_range(start: PartialDate, end: PartialDate | None, lang: str) -> str:
    """A date, or a range of dates when `end` is another date."""
    return _SHARED.format_range(start, end, lang)


def format_span(start: PartialDate, end: PartialDate | None, lang: str) -> str:
    """A span of time; with no end, one that lasts to the present."""
    return _SHARED.format_span(start, end, lang)


def format_list(items: Sequence[str], lang: str) -> str:
    """Names in a sentence as the language lists them: "A, B and C", 「A、B和C」."""
    return _SHARED.format_list(items, lang)
