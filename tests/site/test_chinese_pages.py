"""Simplified Chinese pages of a site written in Traditional: the text converted with the
phrase table, addresses, code and attributes as written, an author's own Simplified file
first; the site's own interface strings and phrases in site.toml."""

import re

import pytest

from chronicle.errors import SettingsError
from tests.conftest import messages

SETTINGS = """\
title = "T"
base_url = "https://example.org/"
languages = ["en", "zh-hant", "zh-hans"]
"""

BODY = """\
---
name: 艾達
role: 軟體工程師
summary: 透過報導認識她。
---
她的[維基資料](https://zh.wikipedia.org/wiki/資料/艾達 "資料來源")在這裡。

行內程式碼 `資料 = 透過()` 與 <a href="https://example.org/組織/資料" title="資料">資料連結</a>。

```
資料 = "透過"
```
"""


def _without_switcher(page: str) -> str:
    """The page but its language switcher, which names each language in its own script."""
    return page.replace('lang="zh-Hant">繁體中文</a>', "")


def test_a_generated_page_converts_the_text_and_keeps_addresses_code_and_attributes(make_site):
    site = make_site({"site.toml": SETTINGS, "content/people/ada.zh-hant.md": BODY})
    site.build()
    hant = site.page("zh-hant/people/ada/index.html")
    hans = site.page("zh-hans/people/ada/index.html")
    kept = [
        re.search(r'href="https://zh\.wikipedia\.org/wiki/[^"]*"', hant).group(),
        "<code>資料 = 透過()</code>",
        'href="https://example.org/組織/資料"',
        'title="資料"',
        '<pre><code>資料 = "透過"\n</code></pre>',
    ]
    assert [part for part in kept if part in hant and part not in hans] == []
    assert all(part in hant for part in kept)
    converted = ["她的", "维基数据", 'title="数据来源"', ">数据链接</a>", "通过报道认识她。"]
    assert [part for part in converted if part not in hans] == []
    assert "本页文字由繁体中文自动转换。" in hans and "繁體" not in _without_switcher(hans)


def test_an_authors_simplified_file_wins_over_the_conversion(make_site):
    site = make_site(
        {
            "site.toml": SETTINGS,
            "content/people/ada.zh-hant.md": "---\nname: 艾達\n---\n她透過資料工作。\n",
            "content/people/ada.zh-hans.md": "---\nname: 艾达（手写）\n---\n她靠资料工作。\n",
        }
    )
    site.build()
    hans = site.page("zh-hans/people/ada/index.html")
    assert "艾达（手写）" in hans and "她靠资料工作。" in hans
    assert "通过" not in hans and "自动转换" not in hans


def test_a_sites_phrases_win_in_its_pages(make_site):
    site = make_site(
        {
            "site.toml": SETTINGS + '\n[zh_phrases]\n"資料" = "资料"\n',
            "content/people/ada.zh-hant.md": "---\nname: 艾達\n---\n她整理資料。\n",
        }
    )
    site.build()
    assert "她整理资料。" in site.page("zh-hans/people/ada/index.html")


def test_a_site_overrides_interface_strings_per_language(make_site):
    toml = SETTINGS + '\n[strings.en]\npeople = "Persons"\n\n[strings.zh-hant]\npeople = "人物誌"\n'
    site = make_site({"site.toml": toml})
    site.build()
    assert ">Persons</a>" in site.page("index.html")
    assert ">人物誌</a>" in site.page("zh-hant/index.html")
    assert ">人物志</a>" in site.page("zh-hans/index.html")  # converted, as content is


def test_an_unknown_string_is_a_located_warning_with_the_nearest_key(make_site):
    toml = SETTINGS + '\n[strings.zh-hant]\nhome = "家"\nhom = "家"\n'
    result = make_site({"site.toml": toml}).build()
    assert (
        "site.toml:7:1: warning: `strings.zh-hant.hom`: the theme has no string `hom` "
        "(did you mean `home`?); the keys are those of the theme's i18n/en.toml"
    ) in messages(result.report)


def test_a_string_without_its_placeholders_stops_the_build(make_site):
    toml = SETTINGS + '\n[strings.en]\nsearch_many = "{count} results"\n'
    with pytest.raises(SettingsError) as info:
        make_site({"site.toml": toml}).build()
    assert [str(p) for p in info.value.problems] == [
        "site.toml:6:1: error: `strings.en`: `search_many` must have the placeholders of "
        "the English string: {count}, {query}"
    ]


def test_a_link_to_a_heading_follows_the_headings_converted_id(make_site):
    body = "---\nname: 艾達\n---\n## 資料來源\n\n見[上文](#資料來源)。\n"
    site = make_site({"site.toml": SETTINGS, "content/people/ada.zh-hant.md": body})
    site.build()
    hant = site.page("zh-hant/people/ada/index.html")
    hans = site.page("zh-hans/people/ada/index.html")
    assert '<h2 id="資料來源">' in hant and 'href="#%E8%B3%87' in hant
    assert '<h2 id="数据来源">' in hans and 'href="#%E6%95%B0%E6%8D%AE%E6%9D%A5%E6%BA%90"' in hans
