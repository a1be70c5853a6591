"""Simplified Chinese from Traditional: OpenCC under the project's phrase table, and a
Markdown body whose code, addresses, labels and tag attributes stay as written."""

import itertools
import unicodedata

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.reading.chinese import PHRASES_FILE, builtin_phrases, converter, to_simplified
from chronicle.reading.zh_markdown import protected

# What OpenCC's tw2sp gets wrong or leaves Taiwanese, and what the page must say instead.
REQUIRED = {
    "資料來源": "数据来源",
    "核心": "核心",
    "建立在": "建立在",
    "連結起": "连接起",
    "即時戰略": "即时战略",
    "曼菲斯": "孟菲斯",
    "星海爭霸": "星际争霸",
    "《財星》": "《财富》",
    "透過": "通过",
    "報導": "报道",
    "貼文": "帖子",
    "新創公司": "初创公司",
    "多代理": "多智能体",
    "水準": "水平",
    "超級電腦": "超级计算机",
    "產生器": "生成器",
    "純文字檔": "纯文本文件",
    "建置": "构建",
    "理查·費曼": "理查德·费曼",
    "身分": "身份",
}
TABLE = builtin_phrases()


def test_the_table_holds_every_required_pair():
    assert {k: TABLE.get(k) for k in REQUIRED} == REQUIRED


@pytest.mark.parametrize(("traditional", "simplified"), sorted(TABLE.items()))
def test_each_pair_of_the_table_alone(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(("traditional", "simplified"), sorted(TABLE.items()))
def test_each_pair_of_the_table_inside_a_sentence(traditional, simplified):
    sentence = f"他們說，這篇文章以{traditional}為題，寫得很清楚。"
    assert to_simplified(sentence) == f"他们说，这篇文章以{simplified}为题，写得很清楚。"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("以 AI 安全為核心", "以 AI 安全为核心"),
        ("本站的核心是時間軸", "本站的核心是时间轴"),
        ("每個事件頁面都列出資料來源。", "每个事件页面都列出数据来源。"),
        ("系統建立在開放標準之上", "系统建立在开放标准之上"),
        ("把兩座城市連結起來", "把两座城市连接起来"),
        ("《星海爭霸 II》", "《星际争霸 II》"),  # the name inside a longer one
        ("為即時戰略遊戲《星海爭霸》訓練", "为即时战略游戏《星际争霸》训练"),
        ("《財星》報導", "《财富》报道"),
        ("以博士生身分在這裡研究", "以博士生身份在这里研究"),
        ("小時候，他崇拜理查·費曼。", "小时候，他崇拜理查德·费曼。"),
    ],
)
def test_phrases_in_the_sentences_of_the_site(traditional, simplified):
    assert to_simplified(traditional) == simplified


def test_the_table_says_what_opencc_would_not():
    """Every pair earns its place: OpenCC alone would write something else."""
    plain = opencc.OpenCC("tw2sp")
    same = [k for k, v in TABLE.items() if plain.convert(k) == v and k != v]
    assert same == []


def test_the_tables_simplified_side_holds_no_traditional_character():
    to_simplified_chars = opencc.OpenCC("t2s")
    assert {v for v in TABLE.values() if to_simplified_chars.convert(v) != v} == set()
    assert PHRASES_FILE.name == "zh_phrases.toml"


def test_a_sites_phrases_win_over_the_tables_and_over_opencc():
    site = converter({"核心": "内核", "伺服器": "主机"})
    assert site.text("作業系統的核心在伺服器上") == "操作系统的内核在主机上"
    assert converter().text("作業系統的核心在伺服器上") == "操作系统的核心在服务器上"
    assert site.tag != converter().tag  # what it makes is not taken for the other's


def test_the_longest_phrase_wins():
    site = converter({"資料": "资料", "資料來源": "出处"})
    assert site.text("資料與資料來源") == "资料与出处"


def test_plain_text_keeps_its_urls():
    text = "見 https://example.org/資料/頁面 與資料"
    assert to_simplified(text) == "见 https://example.org/資料/頁面 与数据"


BODY = """\
本站的[資料](/people/伊戈爾/資料/ "資料來源")與 ![圖](/media/資料.png) 都在這裡。

行內程式碼 `資料 = 透過()` 不變，``含 ` 的資料`` 也不變。

<a href="/組織/資料/" title="資料">資料</a>與<span data-x="資料">資料</span>。

```python
資料 = "透過"
```

    縮排的資料程式碼

自動連結 <https://example.org/資料> 與 https://example.org/資料/ 之後的資料。

[參考資料] 與 [文字][參考資料] 與 [參考資料][]。

[參考資料]: /資料/來源/ "資料標題"

註腳[^資料]。

[^資料]: 資料的註腳 <!-- 資料 註解 -->
"""


def test_a_markdown_body_has_only_its_text_converted():
    out = converter().markdown(BODY)
    kept = [
        "(/people/伊戈爾/資料/",
        "](/media/資料.png)",
        "`資料 = 透過()`",
        "``含 ` 的資料``",
        '<a href="/組織/資料/" title="資料">',
        '<span data-x="資料">',
        '資料 = "透過"',
        "    縮排的資料程式碼",
        "<https://example.org/資料>",
        "https://example.org/資料/",
        "[參考資料] 与 [文字][參考資料] 与 [參考資料][]",
        "[參考資料]: /資料/來源/",
        "[^資料]",
        "<!-- 資料 註解 -->",
    ]
    assert [part for part in kept if part not in out] == []
    converted = [
        "本站的[数据](",
        '"数据来源")',
        "![图]",
        "行内代码",
        ">数据</a>与<span",
        ">数据</span>。",
        "之后的数据。",
        '"数据标题"',
        "注脚[^資料]",
        "[^資料]: 数据的注脚",
    ]
    assert [part for part in converted if part not in out] == []


def test_protected_spans_are_in_order_and_apart():
    spans = protected(BODY)
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_a_lone_backtick_protects_nothing_past_its_paragraph():
    out = to_simplified_markdown("一個 ` 反引號。\n\n下一段的資料。")
    assert out.endswith("下一段的数据。")


def to_simplified_markdown(text):
    return converter().markdown(text)


# Markdown as an author writes it: Traditional text among the characters that make code,
# links, tags and URLs.
_PIECES = st.sampled_from(
    [
        "資料",
        "透過",
        "核心",
        "`",
        "``",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        '<a href="',
        '"',
        "](",
        "]: ",
        "[^",
        "https://",
        "/",
        " ",
        "\n",
        "\n\n",
        "    ",
        "```\n",
        "!",
        "\\",
        "-",
    ]
)
markdown_text = st.lists(_PIECES, max_size=40).map("".join)
PROPERTY = settings(deadline=None, database=None)


@PROPERTY
@given(markdown_text)
def test_protected_spans_are_ordered_disjoint_and_kept(text):
    spans = protected(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    out = converter().markdown(text)
    assert [text[a:b] for a, b in spans if text[a:b] not in out] == []


@PROPERTY
# Any text content may hold: no controls (refused when read) and no surrogates.
@given(st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=200))
def test_text_without_chinese_is_left_as_it_is(text):
    out = converter().markdown(text)
    assert isinstance(out, str)
    if not any(_han(c) for c in text):
        assert out == text  # nothing Chinese: nothing changes


def _han(c):
    name = unicodedata.name(c, "")
    return "CJK" in name or "IDEOGRAPH" in name or "KANGXI" in name
