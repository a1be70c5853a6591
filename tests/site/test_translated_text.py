"""Translations of roles, link labels, sources' own URLs and tag names, and what `check`
says is left untranslated (docs/content-model.md, Translations and Tags)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from chronicle.cli import main
from chronicle.incremental.deps import RenderCache
from chronicle.incremental.files import FileCache
from chronicle.incremental.models import ModelCache
from chronicle.model.localize import LocalSite
from chronicle.pipeline import BuildOptions
from chronicle.rendering import search
from tests.conftest import PROJECT, SITE_TOML, messages
from tests.site.test_incremental import attempt, attempt_cold, outcome

BILINGUAL = SITE_TOML + 'languages = ["en", "zh-hant", "zh-hans"]\n'

ADA = """\
    ---
    name: Ada Lovelace
    role: Analyst
    summary: Wrote the first program.
    organizations:
      - {org: engine-co, role: Programmer, from: 1842, to: 1843-09}
      - society
    links:
      Notes in the archive: https://example.com/notes
      Letters: https://example.com/letters
    tags: [Computing, deep learning]
    ---
    Ada's biography.
    """

TRANSLATED = {
    "site.toml": BILINGUAL,
    "content/people/ada.md": ADA,
    "content/people/ada.zh-hant.md": """\
        ---
        name: 愛達·勒芙蕾絲
        summary: 寫下第一個程式。
        organizations:
          - {org: engine-co, role: 程式設計師}
        links:
          檔案館中的筆記: https://example.com/notes
        ---
        愛達的傳記。
        """,
    "content/events/notes.zh-hant.md": """\
        ---
        title: 筆記出版
        sources:
          - {title: 泰勒的科學論文集, url: "https://example.com/memoirs"}
          - {title: 一封中文信, url: "https://example.com/zh/letter"}
        ---
        筆記收錄了第一個程式。
        """,
    "content/tags.yaml": """\
        Deep Learning:
          zh-hant: 深度學習
        computing: {zh-hant: 計算, zh-hans: 计算机}
        """,
}


@pytest.fixture
def translated(make_site):
    site = make_site(TRANSLATED)
    result = site.build()
    return site, result


def test_a_translated_role_is_shown_on_the_language_pages_and_the_original_elsewhere(translated):
    site, _result = translated
    person = site.page("zh-hant/people/ada/index.html")
    org = site.page("zh-hant/organizations/engine-co/index.html")

    assert "程式設計師" in person and "Programmer" not in person
    assert "程式設計師" in org and "Programmer" not in org
    assert "Programmer" in site.page("people/ada/index.html")
    assert "程序员" in site.page("zh-hans/people/ada/index.html")  # converted (tw2sp)


def test_a_translated_role_is_in_the_language_exports(translated):
    site, _result = translated
    people = json.loads(site.page("zh-hant/people.json"))["people"]
    ada = next(p for p in people if p["slug"] == "ada")

    assert ada["organizations"][0]["role"] == "程式設計師"
    assert ada["links"] == {
        "檔案館中的筆記": "https://example.com/notes",
        "Letters": "https://example.com/letters",
    }


def test_a_link_label_is_translated_by_url_and_an_unlabelled_link_keeps_its_label(translated):
    site, _result = translated
    page = site.page("zh-hant/people/ada/index.html")

    assert '<a href="https://example.com/notes" rel="noopener">檔案館中的筆記</a>' in page
    assert '<a href="https://example.com/letters" rel="noopener">Letters</a>' in page
    assert "Notes in the archive" not in page


def test_a_translated_source_may_repeat_the_url_or_give_its_own(translated):
    site, result = translated
    zh = site.page("zh-hant/events/notes/index.html")
    en = site.page("events/notes/index.html")

    assert "https://example.com/memoirs" in zh
    assert "https://example.com/zh/letter" in zh and "一封中文信" in zh
    assert "https://example.com/zh/letter" not in en
    assert not result.report.errors


def test_a_tag_name_shows_on_pages_titles_feeds_exports_and_search(translated):
    site, result = translated
    tag_page = site.page("zh-hant/tags/deep-learning/index.html")
    person = site.page("zh-hant/people/ada/index.html")

    assert "<title>標籤「深度學習」" in tag_page
    assert "<h1>標籤「深度學習」</h1>" in tag_page
    assert ">深度學習</a>" in person and ">計算</a>" in person
    assert 'label="深度學習"' in site.page("zh-hant/feed.xml")
    assert "深度學習" in json.loads(site.page("zh-hant/feed.json"))["items"][0]["tags"]
    events = json.loads(site.page("zh-hant/events.json"))["events"]
    assert "深度學習" in next(e for e in events if e["slug"] == "notes")["tags"]
    assert "CATEGORIES:深度學習" in site.page("zh-hant/events.ics")
    assert "深度學習" in site.page("zh-hant/timeline/index.html")
    local = LocalSite(result.site, "zh-hant")
    document = search.document(local, local.people["ada"])
    assert "深度學習和計算" in document or "計算和深度學習" in document  # listed as zh lists


def test_a_tag_keeps_its_key_and_address_and_its_name_elsewhere(translated):
    site, _result = translated

    assert (site.out / "zh-hant/tags/deep-learning/index.html").is_file()
    assert (site.out / "zh-hant/tags/computing/index.html").is_file()
    assert "<h1>Tagged “Deep Learning”</h1>" in site.page("tags/deep-learning/index.html")
    # Simplified Chinese: its own name where given, else the Traditional one converted.
    assert ">计算机</a>" in site.page("zh-hans/people/ada/index.html")
    assert "标签「深度学习」" in site.page("zh-hans/tags/deep-learning/index.html")


def test_a_translation_listing_another_organization_is_an_error_at_the_item(make_site):
    site = make_site(
        {
            "site.toml": BILINGUAL,
            "content/people/ada.md": ADA,
            "content/people/ada.zh-hant.md": (
                "---\nname: 愛達\norganizations:\n  - {org: society, role: 會員}\n---\n"
            ),
        }
    )

    problems = messages(site.errors())

    assert any(
        p.startswith(
            "content/people/ada.zh-hant.md:4:11: error: item 1 of `organizations` is "
            "`society`; the original's item 1 is `engine-co`"
        )
        for p in problems
    ), problems


def test_a_translation_changing_a_date_of_an_organization_is_an_error_at_the_date(make_site):
    site = make_site(
        {
            "site.toml": BILINGUAL,
            "content/people/ada.md": ADA,
            "content/people/ada.zh-hant.md": (
                "---\nname: 愛達\norganizations:\n"
                "  - {org: engine-co, role: 程式設計師, from: 1841}\n---\n"
            ),
        }
    )

    problems = messages(site.errors())

    assert [p for p in problems if "error" in p] == [
        "content/people/ada.zh-hant.md:4:35: error: `from` (1841) differs from the original's "
        "(1842): dates come from the original; leave `from` out of the translation"
    ]


def test_a_translated_link_to_a_url_the_original_lacks_is_an_error_with_a_suggestion(make_site):
    site = make_site(
        {
            "site.toml": BILINGUAL,
            "content/people/ada.md": ADA,
            "content/people/ada.zh-hant.md": (
                "---\nname: 愛達\nlinks:\n  筆記: https://example.com/note\n---\n"
            ),
        }
    )

    problems = [p for p in messages(site.errors()) if "error" in p]

    assert len(problems) == 1
    assert problems[0].startswith(
        "content/people/ada.zh-hant.md:4:3: error: `links.筆記`: `https://example.com/note` is "
        "not among the original's links; did you mean `https://example.com/notes`?"
    )


def test_tag_names_for_an_unknown_language_are_an_error_and_an_unknown_tag_a_warning(make_site):
    site = make_site(
        {
            "site.toml": BILINGUAL,
            "content/tags.yaml": "deep lerning: {zh-hant: 深度學習}\ncomputing: {fr: Calcul}\n",
        }
    )

    problems = messages(site.errors())

    assert (
        "content/tags.yaml:2:13: error: tag `computing`: `fr` is not a language of site.toml "
        "(en, zh-hant, zh-hans)" in problems
    )
    assert (
        "content/tags.yaml:1:1: warning: tag `deep lerning` is on no entry: its names are not "
        "shown; did you mean `Deep Learning`?" in problems
    )


def _check(root, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", "--site", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_reports_what_is_untranslated_per_language_in_short(make_site):
    site = make_site(TRANSLATED)

    done = _check(site.root)

    assert done.returncode == 0, done.stderr
    summary = [
        line for line in done.stderr.splitlines() if line.startswith("zh-hant: untranslated")
    ]
    assert summary == [
        "zh-hant: untranslated: 7 of 9 entries without a translation, 1 × link label"
    ]
    assert (
        "content/people/ada.zh-hant.md:2:1: warning: zh-hant: the translation of person `ada` "
        "gives no label for link `https://example.com/letters`" in done.stderr
    )
    assert "zh-hans: untranslated" not in done.stderr  # made from zh-hant, with its gaps


def test_check_groups_many_untranslated_entries_and_verbose_lists_all(make_site):
    many = {f"content/events/e{i}.md": f"---\ntitle: E{i}\ndate: 2000\n---\n" for i in range(8)}
    site = make_site({"site.toml": SITE_TOML + 'languages = ["en", "zh-hant"]\n', **many})

    short, full = _check(site.root), _check(site.root, "--verbose")

    untranslated = re.compile(r"warning: no `zh-hant` translation of event `e\d`")
    assert len(untranslated.findall(short.stderr)) == 1
    assert "= and 9 more like it: content/events/e1.md:1:1" in short.stderr  # 8 + notes, meeting
    assert len(untranslated.findall(full.stderr)) == 8


def test_require_translations_makes_what_is_untranslated_an_error(make_site):
    site = make_site(
        {
            **TRANSLATED,
            "site.toml": BILINGUAL + "require_translations = true\n",
        }
    )

    problems = messages(site.errors())

    assert (
        "content/people/ada.zh-hant.md:2:1: error: zh-hant: the translation of person `ada` "
        "gives no role for `society`; its zh-hant page shows the en text" not in problems
    )  # `society` has no role in the original: nothing to translate
    assert any(
        p.startswith("content/people/charles.md:1:1: error: no `zh-hant` translation")
        for p in problems
    ), problems
    assert not any("has no zh-hant name" in p for p in problems)  # tags.yaml names both


def test_a_remembered_build_shows_a_tag_name_and_a_role_changed_since(
    make_site, capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    site = make_site(TRANSLATED)
    assert main(["build", "--site", str(site.root), "--out", str(site.out)]) == 0
    site.write("content/tags.yaml", "Deep Learning: {zh-hant: 深層學習}\n")
    translation = site.root / "content/people/ada.zh-hant.md"
    translation.write_text(translation.read_text().replace("程式設計師", "程式員"))
    capsys.readouterr()

    assert main(["build", "--site", str(site.root), "--out", str(site.out)]) == 0

    assert "up to date" not in capsys.readouterr().err
    person = site.page("zh-hant/people/ada/index.html")
    assert ">深層學習</a>" in person and "深度學習" not in person
    assert "程式員" in site.page("zh-hant/organizations/engine-co/index.html")
    assert ">計算</a>" not in person and ">Computing</a>" in person  # its name was removed


@pytest.mark.parametrize("watched", [True, False])
def test_incremental_builds_match_cold_builds_when_tag_names_and_roles_change(make_site, watched):
    site = make_site(TRANSLATED)
    options = BuildOptions(site_root=site.root)
    files, models, pages = FileCache(watched=watched), ModelCache(), RenderCache()
    translation = "content/people/ada.zh-hant.md"
    original = (site.root / translation).read_text()
    edits = [
        ("content/tags.yaml", "Deep Learning: {zh-hant: 深層學習}\n"),
        (translation, original.replace("程式設計師", "程式員")),
        ("content/tags.yaml", "computing: {zh-hant: 電腦運算}\n"),
        (translation, original.replace("檔案館中的筆記", "筆記")),
        ("content/tags.yaml", "computing: {fr: Calcul}\n"),  # an error, then fixed
        ("content/tags.yaml", "computing: {zh-hans: 计算}\n"),
    ]
    attempt(options, files, models, pages)
    for step, (rel, text) in enumerate(edits):
        site.write(rel, text)
        if watched:
            files.changed(site.root / rel)
        incremental = attempt(options, files, models, pages)
        assert outcome(incremental) == outcome(attempt_cold(options)), f"step {step}: {rel}"


def test_a_translation_listing_more_organizations_than_the_original_is_an_error(make_site):
    site = make_site(
        {
            "site.toml": BILINGUAL,
            "content/people/ada.md": ADA,
            "content/people/ada.zh-hant.md": (
                "---\nname: 愛達\norganizations:\n  - {org: engine-co, role: 程式設計師}\n"
                "  - society\n  - {org: society, role: 會員}\n---\n"
            ),
        }
    )

    problems = [p for p in messages(site.errors()) if ": error: " in p]

    assert problems == [
        "content/people/ada.zh-hant.md:6:11: error: translation lists 3 organizations; the "
        "original has 2 (roles are matched by position: list the same organizations in the "
        "same order)"
    ]
