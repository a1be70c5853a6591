"""Interface strings and date display, per language.

Languages without a table of their own fall back to English strings; the content itself
is still shown in that language where a translation exists.
"""

from __future__ import annotations

from .dates import PartialDate

# Fixed English names, not the process locale's (LANG must not change the output).
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "people": "People",
        "organizations": "Organizations",
        "timeline": "Timeline",
        "tags": "Tags",
        "events": "Events",
        "featured_people": "Featured people",
        "latest_events": "Latest events",
        "whole_timeline": "See the whole timeline",
        "founded": "Founded",
        "founders": "Founders",
        "founder_of": "Founder of",
        "website": "Website",
        "links": "Links",
        "sources": "Sources",
        "where": "Where",
        "when": "When",
        "who": "People",
        "role": "Role",
        "present": "present",
        "skip": "Skip to content",
        "not_found": "Page not found",
        "not_found_text": "There is no page at this address. It may have moved.",
        "go_home": "Go to the home page",
        "untranslated": "This page has not been translated yet; it is shown in {language}.",
        "tagged": "Tagged “{tag}”",
        "on_timeline": "On the timeline",
        "in_timeline": "Show on the timeline",
        "language": "Language",
        "main_nav": "Main",
        "feed": "Events feed (Atom)",
        "draft_unlinked": "not published",
        "no_events": "No events yet.",
        "built_with": "Built from Markdown and YAML.",
    },
    "zh-hant": {
        "home": "首頁",
        "people": "人物",
        "organizations": "組織",
        "timeline": "時間軸",
        "tags": "標籤",
        "events": "事件",
        "featured_people": "精選人物",
        "latest_events": "最新事件",
        "whole_timeline": "查看完整時間軸",
        "founded": "創立",
        "founders": "創辦人",
        "founder_of": "創辦",
        "website": "網站",
        "links": "連結",
        "sources": "資料來源",
        "where": "地點",
        "when": "時間",
        "who": "人物",
        "role": "職位",
        "present": "至今",
        "skip": "跳至主要內容",
        "not_found": "找不到頁面",
        "not_found_text": "這個網址沒有頁面,可能已經移動。",
        "go_home": "回到首頁",
        "untranslated": "本頁尚未翻譯,以{language}顯示。",
        "tagged": "標籤「{tag}」",
        "on_timeline": "時間軸上的事件",
        "in_timeline": "在時間軸上查看",
        "language": "語言",
        "main_nav": "主選單",
        "feed": "事件訂閱(Atom)",
        "draft_unlinked": "未發布",
        "no_events": "尚無事件。",
        "built_with": "以 Markdown 與 YAML 建置。",
    },
}

LANGUAGE_NAMES = {
    "en": "English",
    "zh-hant": "繁體中文",
    "zh-hans": "简体中文",
}

# BCP 47 tags for `<html lang>` and hreflang: our folder names are lower-case.
HTML_LANG = {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}


def strings(lang: str) -> dict[str, str]:
    return STRINGS.get(lang, STRINGS["en"])


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def html_lang(lang: str) -> str:
    return HTML_LANG.get(lang, lang)


def format_date(date: PartialDate, lang: str) -> str:
    """A date at its own precision: 2023 / July 2023 / 12 July 2023, or 2023年7月12日."""
    if lang.startswith("zh"):
        text = f"{date.year}年"
        if date.month is not None:
            text += f"{date.month}月"
        if date.day is not None:
            text += f"{date.day}日"
        return text
    if date.month is None:
        return str(date.year)
    month = _MONTHS_EN[date.month - 1]
    if date.day is None:
        return f"{month} {date.year}"
    return f"{date.day} {month} {date.year}"


def format_range(start: PartialDate, end: PartialDate | None, lang: str) -> str:
    if end is None or end == start:
        return format_date(start, lang)
    separator = "–" if not lang.startswith("zh") else " 至 "
    return f"{format_date(start, lang)}{separator}{format_date(end, lang)}"
