"""Dates, ranges and lists as each language writes them: CLDR's interval patterns for two
ends of one precision, each end at its own precision otherwise, one form for a span that
lasts to the present, CLDR's list patterns for names in a sentence; and a page of a small
site that shows them."""

import pytest
from markupsafe import Markup

from chronicle.model.forms import Dates, format_date, format_list, format_range, format_span
from chronicle.model.localize import LocalSite
from chronicle.model.site import build_site
from chronicle.reading.dates import PartialDate
from chronicle.reading.loader import load_content
from chronicle.reading.settings import load_settings
from chronicle.rendering.environment import make_environment
from chronicle.rendering.search import document

THIN = "\u2009"  # CLDR sets English ranges of whole dates apart with thin spaces

DAY_9, DAY_15 = PartialDate(2016, 3, 9), PartialDate(2016, 3, 15)
RANGES = {
    "same day": (DAY_9, DAY_9),
    "days of a month": (DAY_9, DAY_15),
    "days of two months": (DAY_9, PartialDate(2016, 4, 15)),
    "days of two years": (PartialDate(2016, 12, 30), PartialDate(2017, 1, 2)),
    "months of a year": (PartialDate(2023, 3), PartialDate(2023, 7)),
    "years": (PartialDate(2019), PartialDate(2023)),
    "a year to a day": (PartialDate(2019), PartialDate(2023, 7, 12)),
    "a month to a year": (PartialDate(2023, 7), PartialDate(2024)),
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                "same day": "9 March 2016",
                "days of a month": "9–15 March 2016",
                "days of two months": f"9 March{THIN}–{THIN}15 April 2016",
                "days of two years": f"30 December 2016{THIN}–{THIN}2 January 2017",
                "months of a year": f"March{THIN}–{THIN}July 2023",
                "years": "2019–2023",
                "a year to a day": f"2019{THIN}–{THIN}12 July 2023",
                "a month to a year": f"July 2023{THIN}–{THIN}2024",
            },
        ),
        (
            "zh-hant",
            {
                "same day": "2016年3月9日",
                "days of a month": "2016年3月9日至15日",
                "days of two months": "2016年3月9日至4月15日",
                "days of two years": "2016年12月30日至2017年1月2日",
                "months of a year": "2023年3月至7月",
                "years": "2019年至2023年",  # each year as zh_Hant writes one: its interval drops 年
                "a year to a day": "2019年至2023年7月12日",
                "a month to a year": "2023年7月至2024年",
            },
        ),
        (
            "zh-hans",
            {
                "same day": "2016年3月9日",
                "days of a month": "2016年3月9日至15日",
                "days of two months": "2016年3月9日至4月15日",
                "days of two years": "2016年12月30日至2017年1月2日",
                "months of a year": "2023年3月至7月",
                "years": "2019–2023年",  # CLDR's zh_Hans pattern for years
                "a year to a day": "2019年至2023年7月12日",
                "a month to a year": "2023年7月至2024年",
            },
        ),
    ],
)
def test_ranges_read_as_each_language_writes_them(lang, expected):
    shown = {name: format_range(start, end, lang) for name, (start, end) in RANGES.items()}
    assert shown == expected


@pytest.mark.parametrize(
    ("lang", "year", "day"),
    [
        ("en", f"2019{THIN}–{THIN}present", f"12 July 2023{THIN}–{THIN}present"),
        ("zh-hant", "2019年至今", "2023年7月12日至今"),
        ("zh-hans", "2019年至今", "2023年7月12日至今"),
    ],
)
def test_a_span_without_an_end_lasts_to_the_present(lang, year, day):
    assert format_span(PartialDate(2019), None, lang) == year
    assert format_span(PartialDate(2023, 7, 12), None, lang) == day
    # with an end, a span is a range like any other; an event without one is one date
    assert format_span(DAY_9, DAY_15, lang) == format_range(DAY_9, DAY_15, lang)
    assert format_range(PartialDate(2019), None, lang) == format_date(PartialDate(2019), lang)


def test_a_range_is_three_parts_so_that_each_end_can_be_marked_up():
    dates = Dates()
    assert dates.range_parts(DAY_9, DAY_15, "en") == ("9", "–", "15 March 2016")
    assert dates.range_parts(DAY_9, DAY_15, "zh-hant") == ("2016年3月9日", "至", "15日")
    assert dates.range_parts(DAY_9, None, "en") == ("9 March 2016", "", "")
    assert dates.span_parts(PartialDate(2019), None, "zh-hant") == ("2019年", "", "至今")


@pytest.mark.parametrize(
    ("lang", "names", "one", "two", "three"),
    [
        (
            "en",
            ["Igor Babuschkin", "Elon Musk", "xAI"],
            "Igor Babuschkin",
            "Igor Babuschkin and Elon Musk",
            "Igor Babuschkin, Elon Musk and xAI",
        ),
        (
            "zh-hant",
            ["伊戈爾·巴布什金", "伊隆·馬斯克", "xAI"],
            "伊戈爾·巴布什金",
            "伊戈爾·巴布什金和伊隆·馬斯克",
            "伊戈爾·巴布什金、伊隆·馬斯克和xAI",
        ),
        (
            "zh-hans",
            ["伊戈尔·巴布什金", "伊隆·马斯克", "xAI"],
            "伊戈尔·巴布什金",
            "伊戈尔·巴布什金和伊隆·马斯克",
            "伊戈尔·巴布什金、伊隆·马斯克和xAI",
        ),
    ],
)
def test_names_in_a_sentence_are_listed_as_the_language_lists_them(lang, names, one, two, three):
    assert format_list(names[:1], lang) == one
    assert format_list(names[:2], lang) == two
    assert format_list(names, lang) == three
    assert format_list([], lang) == ""


def test_the_table_keeps_ranges_and_lists_for_the_next_build():
    """A build's memory keeps the table: what it holds is not formatted again."""
    first = Dates()
    first.format_range(DAY_9, DAY_15, "en")
    first.format_span(PartialDate(2019), None, "zh-hant")
    first.format_list(["A", "B"], "en")
    kept = first.kept()
    assert kept[DAY_9, DAY_15, "en"] == ("9", "–", "15 March 2016")
    assert kept[PartialDate(2019), None, "zh-hant"] == ("2019年", "", "至今")
    assert kept[2, "en"] == ("", " and ", "")
    # Taken from the table as kept: a table that says otherwise is believed.
    restored = Dates({**kept, (DAY_9, DAY_15, "en"): ("9", " to ", "15 March")})
    assert restored.format_range(DAY_9, DAY_15, "en") == "9 to 15 March"
    assert restored.kept() is not kept
    again = Dates(kept)
    again.format_list(["X", "Y"], "en")
    assert again.kept() is kept, "nothing new: the very table restored is kept"


def test_pages_show_lists_and_ranges_as_their_language_writes_them(make_site):
    site = make_site(
        {
            "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n'
            'languages = ["en", "zh-hant", "zh-hans"]\n',
            "content/organizations/analytical.md": "---\nname: Analytical Society\n---\n",
            "content/organizations/engine-co.zh-hant.md": "---\nname: 引擎公司\n---\n",
            "content/organizations/society.zh-hant.md": "---\nname: 皇家學會\n---\n",
            "content/organizations/analytical.zh-hant.md": "---\nname: 分析學會\n---\n",
            "content/events/week.md": """\
                ---
                title: A week of letters
                date: 2016-03-09
                end: 2016-03-15
                organizations: [engine-co, society, analytical]
                ---
                """,
            "content/people/charles.md": """\
                ---
                name: Charles Babbage
                organizations:
                  - {org: society, role: Fellow, from: 1816}
                ---
                """,
        }
    )
    site.build()
    event = site.page("zh-hant/events/week/index.html")
    assert (
        '<a href="/zh-hant/organizations/engine-co/">引擎公司</a>、'
        '<a href="/zh-hant/organizations/society/">皇家學會</a>和'
        '<a href="/zh-hant/organizations/analytical/">分析學會</a>' in event
    )
    assert (
        '<time datetime="2016-03-09">2016年3月9日</time>至<time datetime="2016-03-15">15日</time>'
        in event
    )
    english = site.page("events/week/index.html")
    assert (
        '<a href="/organizations/engine-co/">Engine Company</a>, '
        '<a href="/organizations/society/">Royal Society</a> and '
        '<a href="/organizations/analytical/">Analytical Society</a>' in english
    )
    assert (
        '<time datetime="2016-03-09">9</time>–<time datetime="2016-03-15">15 March 2016</time>'
        in (english)
    )
    # A tie with no end lasts to the present, on the person's page and the organization's.
    assert '<time datetime="1816">1816年</time>至今' in site.page(
        "zh-hant/people/charles/index.html"
    )
    assert '<time datetime="1816">1816年</time>至今' in site.page(
        "zh-hans/organizations/society/index.html"
    )
    assert f'<time datetime="1816">1816</time>{THIN}–{THIN}present' in site.page(
        "organizations/society/index.html"
    )


def test_a_list_in_a_template_escapes_its_text_and_keeps_its_markup(tmp_path):
    env = make_environment(tmp_path)
    template = env.from_string("{{ items | format_list(lang) }}")
    items = ["R&D", Markup('<a href="/b/">B</a>'), "<C>"]
    assert template.render(items=items, lang="en") == ('R&amp;D, <a href="/b/">B</a> and &lt;C&gt;')
    assert template.render(items=items, lang="zh-hant") == (
        'R&amp;D、<a href="/b/">B</a>和&lt;C&gt;'
    )


def test_the_search_index_lists_names_as_the_page_does(make_site):
    site = make_site(
        {
            "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n'
            'languages = ["en", "zh-hant"]\n',
            "content/people/charles.zh-hant.md": "---\nname: 查爾斯\n---\n",
            "content/people/ada.zh-hant.md": "---\nname: 艾達\n---\n",
        }
    )
    settings = load_settings(site.root)
    content, _ = load_content(site.root, settings)
    model, _ = build_site(content, settings)
    meeting = model.events[[e.slug for e in model.events].index("meeting")]
    assert "<p>Ada Lovelace and Charles Babbage</p>" in document(LocalSite(model, "en"), meeting)
    assert "<p>艾達和查爾斯</p>" in document(LocalSite(model, "zh-hant"), meeting)
