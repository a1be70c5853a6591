"""Languages: dates at their precision in each language, Simplified Chinese made from
Traditional with mainland vocabulary, interface strings for every language."""

import pytest

from chronicle.model.i18n import format_date, format_range, strings
from chronicle.reading.chinese import to_simplified
from chronicle.reading.dates import PartialDate


@pytest.mark.parametrize(
    ("lang", "year", "month", "day"),
    [
        ("en", "2023", "July 2023", "12 July 2023"),
        ("zh-hant", "2023年", "2023年7月", "2023年7月12日"),
        ("zh-hans", "2023年", "2023年7月", "2023年7月12日"),
        ("fr", "2023", "juillet 2023", "12 juillet 2023"),
    ],
)
def test_dates_at_each_precision_in_each_language(lang, year, month, day):
    assert format_date(PartialDate(2023), lang) == year
    assert format_date(PartialDate(2023, 7), lang) == month
    assert format_date(PartialDate(2023, 7, 12), lang) == day


def test_ranges_in_chinese():
    assert format_range(PartialDate(2023, 3), PartialDate(2025, 8, 13), "zh-hant") == (
        "2023年3月至2025年8月13日"
    )


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("軟體", "软件"),  # vocabulary, not only characters
        ("資料中心", "数据中心"),
        ("人工智慧", "人工智能"),
        ("伺服器", "服务器"),
        ("網際網路", "互联网"),
        ("伊戈爾·巴布什金", "伊戈尔·巴布什金"),  # characters only
    ],
)
def test_simplified_chinese_uses_mainland_vocabulary(traditional, simplified):
    assert to_simplified(traditional) == simplified


def test_interface_strings_exist_for_simplified_chinese():
    assert strings("zh-hans")["timeline"] == "时间轴"
    assert strings("zh-hans").keys() == strings("zh-hant").keys()
    assert strings("xx") == strings("en")
