"""Partial dates keep their precision, sort coarse-before-fine, and refuse impossible days."""

import pytest

from chronicle.model.i18n import format_date, format_range
from chronicle.reading.dates import DateError, PartialDate, Precision, parse_date, range_is_ordered


@pytest.mark.parametrize(
    ("text", "precision", "iso"),
    [
        ("2023", Precision.YEAR, "2023"),
        ("2023-07", Precision.MONTH, "2023-07"),
        ("2023-07-12", Precision.DAY, "2023-07-12"),
        ("2024-02-29", Precision.DAY, "2024-02-29"),
    ],
)
def test_a_date_keeps_the_precision_it_was_written_with(text, precision, iso):
    date = parse_date(text)
    assert date.precision is precision
    assert date.iso() == iso


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2023-13", "month 13"),
        ("2023-02-30", "February 2023 has 28 days"),
        ("2023-02-29", "28 days"),
        ("last spring", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2023-7", "YYYY-MM"),
        ("23", "YYYY"),
        ("0000", "year 0000"),
        ("2023-07-12T10:00:00Z", "write `2023-07-12`"),
        ("2023-07-12 10:00", "time of day"),
    ],
)
def test_impossible_or_malformed_dates_are_refused_with_advice(text, words):
    with pytest.raises(DateError, match=None) as info:
        parse_date(text)
    assert words in str(info.value)


def test_coarser_dates_sort_before_the_finer_dates_they_contain():
    dates = [parse_date(t) for t in ("2023-07-12", "2024", "2023", "2023-07", "2022-12-31")]
    ordered = sorted(dates, key=lambda d: d.sort_key)
    assert [d.iso() for d in ordered] == ["2022-12-31", "2023", "2023-07", "2023-07-12", "2024"]


def test_a_range_may_end_within_the_month_it_starts():
    assert range_is_ordered(parse_date("2023-07-10"), parse_date("2023-07"))
    assert range_is_ordered(parse_date("2023"), parse_date("2023-01-01"))
    assert not range_is_ordered(parse_date("2023-07-10"), parse_date("2023-06"))
    assert not range_is_ordered(parse_date("2023"), parse_date("2022"))


@pytest.mark.parametrize(
    ("date", "english", "chinese"),
    [
        (PartialDate(2023), "2023", "2023年"),
        (PartialDate(2023, 7), "July 2023", "2023年7月"),
        (PartialDate(2023, 7, 12), "12 July 2023", "2023年7月12日"),
    ],
)
def test_dates_are_shown_at_their_precision_in_each_language(date, english, chinese):
    assert format_date(date, "en") == english
    assert format_date(date, "zh-hant") == chinese


def test_ranges_are_shown_as_ranges():
    assert (
        format_range(PartialDate(2023, 7), PartialDate(2024), "en") == "July 2023\u2009–\u20092024"
    )
    assert format_range(PartialDate(2023), PartialDate(2023), "en") == "2023"
