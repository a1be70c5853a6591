"""Interface strings: the theme's files, one per language, complete in English, with the
same placeholders in every language, under a site's own strings key by key."""

import re

import pytest

from chronicle import theme
from chronicle.model import strings as strings_module
from chronicle.model.strings import (
    check_theme,
    is_known,
    known_keys,
    missing,
    placeholder_problem,
    placeholders,
    strings,
    theme_languages,
    theme_table,
)
from chronicle.reading.chinese import converter

LANGUAGES = theme_languages()
CHINESE = ["zh-hant", "zh-hans"]


def test_the_theme_has_english_and_both_chinese_tables():
    assert LANGUAGES == ["en", "zh-hans", "zh-hant"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_has_the_placeholders_of_the_english_one(lang):
    english = theme_table("en")
    differ = {
        key: (sorted(placeholders(text)), sorted(placeholders(english.get(key, ""))))
        for key, text in theme_table(lang).items()
        if placeholders(text) != placeholders(english.get(key, ""))
    }
    assert differ == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_of_a_table_is_one_the_theme_uses(lang):
    assert [key for key in theme_table(lang) if not is_known(key)] == []


@pytest.mark.parametrize("lang", CHINESE)
def test_the_chinese_tables_are_complete(lang):
    assert missing(lang) == []


def test_simplified_chinese_is_written_not_converted():
    """Mainland words, not the Traditional table's converted: 搜索 and 加载, 条 for results."""
    hans, hant = theme_table("zh-hans"), theme_table("zh-hant")
    assert hans["search"] == "搜索" and hans["search_unavailable"] == "无法加载搜索索引。"
    assert hans["search_many"] == "「{query}」共有 {count} 条结果。"
    written = [key for key in hans if hans[key] != converter().text(hant[key])]
    assert len(written) >= 10


@pytest.mark.parametrize("lang", CHINESE)
def test_the_chinese_tables_use_full_width_punctuation(lang):
    half_width = {
        key: text
        for key, text in theme_table(lang).items()
        if re.search(r"[,.:;()!?]", re.sub(r"\{\w+\}", "", text))
    }
    assert half_width == {}


def test_the_traditional_table_says_organization_one_way():
    table = theme_table("zh-hant")
    assert not [key for key, text in table.items() if "機構" in text]
    assert table["organizations"] == table["kind_organization"] == "組織"
    assert table["spans"] == "任職期間"


def test_a_language_without_a_table_is_shown_in_english():
    assert strings("fr") == strings("en")
    assert missing("fr") == sorted(known_keys())
    assert missing("en") == []


def test_a_site_overrides_key_by_key_over_english_then_its_language():
    site = {
        "en": {"home": "Start", "people": "Persons"},
        "fr": {"home": "Accueil"},
        "zh-hant": {"people": "人們"},
    }
    assert strings("en", site)["home"] == "Start"
    assert strings("fr", site)["home"] == "Accueil"
    assert strings("fr", site)["people"] == "Persons"  # the site's English, for a gap
    assert strings("zh-hant", site)["home"] == "首頁"  # the theme's Chinese stays
    assert strings("zh-hant", site)["people"] == "人們"
    assert missing("fr", site) == sorted(known_keys() - {"home"})


def test_a_sites_traditional_strings_are_converted_for_simplified_pages():
    site = {"zh-hant": {"people": "資料人物", "home": "首頁"}, "zh-hans": {"home": "主页"}}
    table = strings("zh-hans", site)
    assert table["people"] == "数据人物"
    assert table["home"] == "主页"  # the site's own Simplified wins
    assert missing("zh-hans", {"zh-hant": {"home": "x"}}) == []


def test_a_string_with_other_placeholders_is_refused():
    assert placeholder_problem("search_many", "{count} results") == (
        "`search_many` must have the placeholders of the English string: {count}, {query}"
    )
    assert placeholder_problem("home", "Home {x}") is not None
    assert placeholder_problem("home", "Home {") is not None
    assert placeholder_problem("search_many", "「{query}」{count}") is None


def test_language_names_are_known_keys():
    assert is_known("language_fr") and not is_known("language_") and not is_known("hom")


def test_the_themes_files_hold_no_mistake():
    assert check_theme() == ()


@pytest.fixture
def theme_strings(tmp_path, monkeypatch):
    """The theme's strings read from a folder of the test's own."""
    caches = (strings_module.theme_table, strings_module._theme_strings, check_theme)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(theme, "folder", lambda name: tmp_path)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def test_a_mistake_in_the_themes_files_is_located(theme_strings):
    (theme_strings / "en.toml").write_text('home = "Home"\nsearch_one = "1 for {query}"\n')
    (theme_strings / "fr.toml").write_text('home = "Accueil"\nsearch_one = "1 pour {q}"\n')
    (theme_strings / "de.toml").write_text('home = "Start"\nhome2 = "x"\n')
    (theme_strings / "it.toml").write_text('home = "Inizio\n')
    assert [str(problem) for problem in check_theme()] == [
        "de.toml:2:1: error: `home2` is not a key of en.toml: add it there, or remove it here",
        "fr.toml:2:1: error: `search_one` must have the placeholders of the English string: "
        "{query}",
        "it.toml:1:15: error: invalid TOML: Illegal character '\\n'",
    ]
