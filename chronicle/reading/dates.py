"""Partial dates: a year, a month or a day, kept at the precision the author wrote."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum

from chronicle.errors import Hint

DATE = Hint("date")  # the advice for a date that cannot be read: its three forms

# ASCII digits only: `\d` would accept ٢٠٢٣ and ２０２３.
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_TIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{1,2}:[0-9]{2}")


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


class DateError(ValueError):
    """The text is not a date of the accepted forms; the message says what to write."""

    def __init__(self, message: str, hint: Hint = DATE) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A coarser date sorts before the finer ones it contains: 2023 < 2023-07 < 2023-07-12.
        return (self.year, self.month or 0, self.day or 0)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """The date as written, for `<time datetime>` and feeds: 2023, 2023-07, 2023-07-12."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.iso()


def parse_date(text: str) -> PartialDate:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, refusing impossible calendar dates."""
    text = text.strip()
    match = _DATE_RE.fullmatch(text)
    if match is None:
        if _TIME_RE.match(text):
            raise DateError(
                f"`{text}` has a time of day; dates carry no time or zone: write `{text[:10]}`",
                Hint("time-of-day"),
            )
        raise DateError(f"`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1:
        raise DateError(f"`{text}` has year 0000; years start at 0001")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"`{text}` has month {month:02d}; months run from 01 to 12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"`{text}` does not exist: {calendar.month_name[month]} {year} has {last} days"
            )
    return PartialDate(year, month, day)


def range_is_ordered(start: PartialDate, end: PartialDate) -> bool:
    """`end` may not finish before `start` begins (2023-07 may end a range from 2023-07-10)."""
    return end.last_day() >= start.first_day()
