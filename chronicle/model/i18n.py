"""Interface strings, per language (dates, ranges and lists: forms.py).

Languages without a table of their own fall back to English strings; the content itself
is still shown in that language where a translation exists.
"""

from __future__ import annotations

from functools import cache

# Dates, ranges and lists live in forms.py; their names are kept here for the callers.
from chronicle.model.forms import Dates as Dates
from chronicle.model.forms import DateTable as DateTable
from chronicle.model.forms import format_date as format_date
from chronicle.model.forms import format_list as format_list
from chronicle.model.forms import format_range as format_range
from chronicle.model.forms import format_span as format_span
from chronicle.reading import chinese

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "people": "People",
        "organizations": "Organizations",
        "timeline": "Timeline",
        "all_choices": "All {count} …",
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
        "generated": "This text was converted automatically from {language}.",
        "tagged": "Tagged “{tag}”",
        "on_timeline": "On the timeline",
        "in_timeline": "Show on the timeline",
        "language": "Language",
        "main_nav": "Main",
        "feed": "Events feed (Atom)",
        "draft_unlinked": "not published",
        "no_events": "No events yet.",
        "built_with": "Built from Markdown and YAML.",
        # Search (build --search)
        "search": "Search",
        "search_label": "Search the site",
        "search_placeholder": "Name, word or year",
        "search_kind": "Kind",
        "search_any_kind": "Any kind",
        "kind_person": "Person",
        "kind_organization": "Organization",
        "kind_event": "Event",
        "kind_page": "Page",
        "search_year": "Year",
        "search_any_year": "Any year",
        "search_needs_js": "Search runs in your browser and needs JavaScript. Every other page "
        "works without it: see the timeline, the people and the organizations.",
        "search_loading": "Searching…",
        "search_prompt": "Type a name or a word, or choose a kind or a year.",
        "search_none": "Nothing found for “{query}”.",
        "search_one": "1 result for “{query}”.",
        "search_many": "{count} results for “{query}”.",
        "search_unavailable": "The search index could not be loaded.",
        "filter_nav": "Filter the timeline",
        "all_events": "All events",
        "timeline_people": "Events with {name}",
        "timeline_organizations": "Events of {name}",
        "timeline_tags": "Events tagged “{name}”",
        "filter_count": "{count} events shown of {total}.",
        "spans": "Spans on this timeline",
        "since": "since {date}",
        "profile": "Profile",
        "back_to_timeline": "Back to the whole timeline",
    },
    "zh-hant": {
        "home": "首頁",
        "people": "人物",
        "organizations": "組織",
        "timeline": "時間軸",
        "all_choices": "全部 {count} 項…",
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
        "generated": "本頁文字由{language}自動轉換。",
        "tagged": "標籤「{tag}」",
        "on_timeline": "時間軸上的事件",
        "in_timeline": "在時間軸上查看",
        "language": "語言",
        "main_nav": "主選單",
        "feed": "事件訂閱(Atom)",
        "draft_unlinked": "未發布",
        "no_events": "尚無事件。",
        "built_with": "以 Markdown 與 YAML 建置。",
        # 搜尋（build --search）
        "search": "搜尋",
        "search_label": "搜尋本站",
        "search_placeholder": "姓名、字詞或年份",
        "search_kind": "類別",
        "search_any_kind": "全部類別",
        "kind_person": "人物",
        "kind_organization": "組織",
        "kind_event": "事件",
        "kind_page": "頁面",
        "search_year": "年份",
        "search_any_year": "全部年份",
        "search_needs_js": "搜尋在瀏覽器中執行，需要 JavaScript；其他頁面都不需要："
        "請瀏覽時間軸、人物與組織。",
        "search_loading": "搜尋中…",
        "search_prompt": "輸入姓名或字詞，或選擇類別、年份。",
        "search_none": "找不到「{query}」。",
        "search_one": "「{query}」有 1 筆結果。",
        "search_many": "「{query}」有 {count} 筆結果。",
        "search_unavailable": "無法載入搜尋索引。",
        "filter_nav": "篩選時間軸",
        "all_events": "所有事件",
        "timeline_people": "與{name}相關的事件",
        "timeline_organizations": "{name}的事件",
        "timeline_tags": "標籤「{name}」的事件",
        "filter_count": "顯示 {total} 個事件中的 {count} 個。",
        "spans": "時間軸上的期間",
        "since": "{date}起",
        "profile": "簡介",
        "back_to_timeline": "回到完整時間軸",
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
    if lang not in STRINGS and lang == chinese.TARGET:
        return _simplified_strings()
    return STRINGS.get(lang, STRINGS["en"])


@cache
def _simplified_strings() -> dict[str, str]:
    """The Traditional Chinese table, converted: one table to keep, not two."""
    return {key: chinese.to_simplified(text) for key, text in STRINGS[chinese.SOURCE].items()}


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def html_lang(lang: str) -> str:
    return HTML_LANG.get(lang, lang)
