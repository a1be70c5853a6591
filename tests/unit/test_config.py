"""site.toml: two required settings, typed defaults, every problem reported with its line."""

import pytest

from chronicle.errors import SettingsError
from chronicle.reading.settings import load_settings


def settings_problems(tmp_path, text):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path)
    return [str(p) for p in info.value.problems]


def test_defaults_and_final_slash(tmp_path):
    (tmp_path / "site.toml").write_text('title = "T"\nbase_url = "https://h.org/sub"\n')
    settings = load_settings(tmp_path)
    assert settings.base_url == "https://h.org/sub/"
    assert settings.base_path == "/sub/"
    assert settings.languages == ("en",)


def test_unknown_key_names_the_nearest_setting_and_its_line(tmp_path):
    problems = settings_problems(
        tmp_path, 'title = "T"\nbase_url = "https://h.org/"\nlanguage = ["en"]\n'
    )
    assert problems == [
        "site.toml:3:1: error: unknown setting `language` (did you mean `languages`?); "
        "known settings: author, base_url, description, feed_events, home_events, languages, "
        "require_translations, social_cards, strings, title, translations, zh_phrases"
    ]


@pytest.mark.parametrize("url", ["/founders/", "example.org", "ftp://example.org/", "https://"])
def test_base_url_must_be_absolute_http(tmp_path, url):
    problems = settings_problems(tmp_path, f'title = "T"\nbase_url = "{url}"\n')
    assert len(problems) == 1
    assert problems[0].startswith("site.toml:2:1: error: `base_url` must be an absolute http")


def test_every_problem_is_reported_at_once(tmp_path):
    problems = settings_problems(tmp_path, 'titel = "T"\nhome_events = "six"\n')
    text = "\n".join(problems)
    assert "unknown setting `titel` (did you mean `title`?)" in text
    assert "`home_events` must be an integer" in text
    assert "missing required setting `title`" in text
    assert "missing required setting `base_url`" in text


def test_invalid_toml_gives_line_and_column(tmp_path):
    problems = settings_problems(tmp_path, 'title = "T"\nbase_url = https://x\n')
    assert problems[0].startswith("site.toml:2:")
    assert "invalid TOML" in problems[0]


@pytest.mark.parametrize(
    ("value", "words"), [("[]", "is empty"), ('["EN"]', "language tag"), ('["en", "en"]', "twice")]
)
def test_languages_are_checked(tmp_path, value, words):
    problems = settings_problems(
        tmp_path, f'title = "T"\nbase_url = "https://h.org/"\nlanguages = {value}\n'
    )
    assert words in problems[0]


def test_title_and_description_can_be_translated(tmp_path):
    (tmp_path / "site.toml").write_text(
        'title = "Founders"\nbase_url = "https://h.org/"\nlanguages = ["en", "zh-hant"]\n'
        '[translations.zh-hant]\ntitle = "創辦人"\n'
    )
    settings = load_settings(tmp_path)
    assert settings.in_language("zh-hant").title == "創辦人"
    assert settings.in_language("en").title == "Founders"


def test_only_text_settings_of_listed_languages_can_be_translated(tmp_path):
    problems = settings_problems(
        tmp_path,
        'title = "T"\nbase_url = "https://h.org/"\nlanguages = ["en", "zh-hant"]\n'
        '[translations.fr]\ntitle = "T"\n[translations.zh-hant]\nbase_url = "https://x/"\n',
    )
    assert problems == [
        "site.toml:4:1: error: `translations.fr`: `fr` is not a language of the site other "
        "than the default (see `languages`)",
        "site.toml:6:1: error: `translations.zh-hant.base_url` cannot be translated; only "
        "title, description and author can",
    ]


def test_title_description_and_author_are_given_per_language(tmp_path):
    (tmp_path / "site.toml").write_text(
        'title = "T"\nbase_url = "https://h.org/"\nauthor = "The editors"\n'
        'languages = ["en", "zh-hant"]\n[translations.zh-hant]\nauthor = "編輯部"\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.in_language("zh-hant").author == "編輯部"
    assert settings.in_language("zh-hant").title == "T"
    assert settings.in_language("en").author == "The editors"
