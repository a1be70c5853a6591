"""Site search: Pagefind's index of the built site, queried the way a visitor's browser
queries it (pagefind.js in Chromium, served from loopback under a sub-path)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from chronicle.errors import ChronicleError
from chronicle.pipeline import BuildOptions, build
from chronicle.rendering.search import BackgroundIndex, digest, spaced
from tests.conftest import PROJECT

from .conftest import Browse, Served, pagefind_search, write_site

browser_test = pytest.mark.browser


def urls(results: list[dict[str, Any]]) -> list[str]:
    return [r["url"] for r in results]


# -- the index, through Pagefind's own API --------------------------------------------


def search_on(browse: Browse, address: str, query: str | None, **filters: str) -> list[str]:
    """Open `address` and ask Pagefind's JavaScript API; the result URLs in rank order."""

    def run(page: Any) -> list[str]:
        page.goto(address)
        return urls(pagefind_search(page, query, filters))

    found: list[str] = browse(run)
    return found


@browser_test
def test_an_english_name_finds_the_person_first(served: Served, browse: Browse) -> None:
    found = search_on(browse, served.url + "search/", "Igor Babuschkin")
    assert "/founders/people/igor-babuschkin/" in found[:3], found
    assert all(url.startswith("/founders/") and "/zh-hant/" not in url for url in found)


@browser_test
@pytest.mark.parametrize("query", ["伊戈爾·巴布什金", "巴布什金", "伊戈爾"])
def test_a_chinese_name_without_spaces_finds_the_person(
    served: Served, browse: Browse, query: str
) -> None:
    """巴布什金 is cut 巴|布|什|金 by the browser and 巴|布什|金 by the index's dictionary;
    the name's characters indexed one by one make it match anyway."""
    found = search_on(browse, served.url + "zh-hant/search/", query)
    assert "/founders/zh-hant/people/igor-babuschkin/" in found, found
    assert all(url.startswith("/founders/zh-hant/") for url in found), "the Chinese index only"


@browser_test
@pytest.mark.parametrize("query", ["量子重力", "粒子物理", "核子"])
def test_a_word_of_a_chinese_biography_finds_the_person(
    served: Served, browse: Browse, query: str
) -> None:
    found = search_on(browse, served.url + "zh-hant/search/", query)
    assert found and found[0] == "/founders/zh-hant/people/igor-babuschkin/", found


@browser_test
def test_words_that_are_nowhere_find_nothing(served: Served, browse: Browse) -> None:
    assert search_on(browse, served.url + "zh-hant/search/", "火星殖民") == []
    assert search_on(browse, served.url + "search/", "zeppelin") == []


@browser_test
def test_results_filter_by_kind_and_by_year(served: Served, browse: Browse) -> None:
    here = served.url + "search/"
    events = search_on(browse, here, "Babuschkin", kind="event")
    assert sorted(events) == ["/founders/events/cern-phd/", "/founders/events/xai-announced/"]
    assert search_on(browse, here, "Fortune", kind="event") == [
        "/founders/events/xai-announced/"
    ], "an event is found by its sources"
    assert sorted(search_on(browse, here, None, kind="person")) == [
        "/founders/people/igor-babuschkin/",
        "/founders/people/max-tegmark/",
    ]
    in_2015 = search_on(browse, here, None, year="2015")
    assert "/founders/events/cern-phd/" in in_2015, "an event spans the years from date to end"
    assert "/founders/events/xai-announced/" not in in_2015
    founded = search_on(browse, here, None, kind="organization", year="2023")
    assert founded == ["/founders/organizations/xai/"]
    assert search_on(browse, here, None, kind="page") == ["/founders/about/"]


@browser_test
def test_a_translation_also_answers_to_the_original_name(served: Served, browse: Browse) -> None:
    found = search_on(browse, served.url + "zh-hant/search/", "Babuschkin", kind="person")
    assert found[0] == "/founders/zh-hant/people/igor-babuschkin/", found


def test_only_entries_are_indexed_not_lists_or_navigation(served: Served) -> None:
    docs = served.result.search_docs
    assert sorted(p for p in docs if not p.startswith("zh-hant/")) == [
        "about/index.html",
        "events/cern-phd/index.html",
        "events/xai-announced/index.html",
        "organizations/xai/index.html",
        "people/igor-babuschkin/index.html",
        "people/max-tegmark/index.html",
    ]
    assert len(docs) == 12
    bundle = served.out / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert {p.name.split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")} == {
        "pagefind.en",
        "pagefind.zh-hant",
    }, "one index per language"


def test_the_spaced_form_sets_han_characters_apart() -> None:
    assert spaced("伊戈爾·巴布什金 Igor") == "伊 戈 爾·巴 布 什 金 Igor"
    assert spaced("xAI 共同創辦人") == "xAI 共 同 創 辦 人"
    assert spaced("Ada") == "Ada"


# -- the search page and the box, as a visitor uses them --------------------------------

READY = (
    "document.getElementById('search-form').dataset.ready === 'true' && "
    "!document.getElementById('search-status').textContent.endsWith('…')"
)


def results(page: Any) -> list[str]:
    links: list[str] = page.eval_on_selector_all(
        "#search-results li > a", "links => links.map(a => a.href)"
    )
    return links


@browser_test
def test_the_search_page_shows_results_from_the_address(served: Served, browse: Browse) -> None:
    def run(page: Any) -> tuple[list[str], str, str]:
        page.goto(served.url + "search/?q=" + quote("Igor Babuschkin"))
        page.wait_for_function(READY)
        return results(page), page.inner_text("#search-status"), page.input_value("#search-q")

    found, status, typed = browse(run)
    assert found[0] == served.url + "people/igor-babuschkin/", found
    assert "results for “Igor Babuschkin”" in status
    assert typed == "Igor Babuschkin"


@browser_test
def test_the_chinese_search_page_finds_a_name_typed_whole(served: Served, browse: Browse) -> None:
    def run(page: Any) -> tuple[list[str], str]:
        page.goto(served.url + "zh-hant/search/?q=" + quote("巴布什金"))
        page.wait_for_function(READY)
        return results(page), page.inner_text("#search-status")

    found, status = browse(run)
    assert found[0] == served.url + "zh-hant/people/igor-babuschkin/", found
    assert "筆結果" in status


@browser_test
def test_the_page_filters_by_kind_and_year(served: Served, browse: Browse) -> None:
    def run(page: Any) -> tuple[list[str], str, str]:
        page.goto(served.url + "search/?kind=event&year=2014")
        page.wait_for_function(READY)
        return results(page), page.input_value("#search-kind"), page.input_value("#search-year")

    assert browse(run) == ([served.url + "events/cern-phd/"], "event", "2014")


@browser_test
def test_typing_in_the_form_searches_and_keeps_the_address(served: Served, browse: Browse) -> None:
    def run(page: Any) -> tuple[str, str]:
        page.goto(served.url + "search/")
        page.wait_for_function(READY)
        page.fill("#search-q", "Tegmark")
        page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        return results(page)[0], page.url

    first, address = browse(run)
    assert first == served.url + "people/max-tegmark/"
    assert address.endswith("/search/?q=Tegmark")


@browser_test
def test_the_box_on_every_page_leads_to_the_search_page(served: Served, browse: Browse) -> None:
    def run(page: Any) -> tuple[list[str], str | None]:
        page.goto(served.url + "people/max-tegmark/")
        page.fill("form.search-box input[name=q]", "xAI")
        page.click("form.search-box button")
        page.wait_for_url("**/founders/search/?q=xAI")
        page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        found = results(page)
        page.goto(served.url + "zh-hant/")
        return found, page.get_attribute("form.search-box", "action")

    found, action = browse(run)
    assert served.url + "organizations/xai/" in found
    assert action == "/founders/zh-hant/search/"


@browser_test
def test_without_javascript_the_pages_work_and_search_says_why(
    served: Served, browse: Browse
) -> None:
    def run(page: Any) -> tuple[str, str]:
        page.goto(served.url + "search/?q=Igor")
        status = page.inner_text("#search-status")
        page.goto(served.url + "people/igor-babuschkin/")
        return status, page.inner_text("main")

    status, main = browse(run, javascript=False)
    assert "needs JavaScript" in status
    assert "particle physics" in main


def test_pages_hold_no_script_but_the_search_page(served: Served) -> None:
    for path in served.out.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        scripts = html.count("<script") - html.count('<script type="application/ld+json"')
        expected = 1 if path.parent.name == "search" else 0
        assert scripts == expected, path


# -- what the build does around the index -----------------------------------------------


def test_a_failed_index_leaves_the_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site")
    out = tmp_path / "out"
    build(BuildOptions(site_root=site, out=out, search=True))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (site / "content/people/ada.md").write_text("---\nname: Ada\n---\n", encoding="utf-8")
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'pagefind: out of memory' >&2\nexit 3\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(sys, "executable", str(broken))
    with pytest.raises(ChronicleError) as info:
        build(BuildOptions(site_root=site, out=out, search=True))
    assert "out of memory" in str(info.value) and "exit status 3" in str(info.value)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if ".out.staging" in p.name]


def test_the_command_line_reports_a_failed_index(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    env = {**os.environ, "PATH": os.environ.get("PATH", "")}
    # A pagefind.yml that Pagefind would read from its working folder must change nothing,
    # nor must PAGEFIND_* variables.
    (tmp_path / "pagefind.yml").write_text("site: /nonexistent\n")
    env["PAGEFIND_SITE"] = "/nonexistent"
    env["PAGEFIND_OUTPUT_SUBDIR"] = "elsewhere"
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--site", str(site), "--search"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (site / "output/pagefind/pagefind.js").is_file()
    assert "search index of 12 pages" in result.stderr


def test_without_search_there_is_no_page_box_or_index(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    out = tmp_path / "out"
    result = build(BuildOptions(site_root=site, out=out))
    assert not (out / "search").exists() and not (out / "pagefind").exists()
    assert "search-box" not in (out / "index.html").read_text(encoding="utf-8")
    assert result.search_docs == {}


def test_check_with_search_resolves_every_link_of_the_search_pages(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", "--site", str(site), "--search"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "all resolve" in result.stderr


def test_the_search_pages_pass_the_nu_html_checker(served: Served) -> None:
    from tests.metadata.test_html_validity import vnu_command

    command = vnu_command()
    pages = [
        served.out / "search/index.html",
        served.out / "zh-hant/search/index.html",
        served.out / "people/igor-babuschkin/index.html",
    ]
    result = subprocess.run(
        [*command, "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the preview server's background index ----------------------------------------------


def test_the_preview_indexes_in_the_background_and_only_when_changed(
    tmp_path: Path, served: Served
) -> None:
    folder = tmp_path / "preview"
    folder.mkdir()
    told: list[str] = []
    index = BackgroundIndex(folder, told.append)
    docs = dict(served.result.search_docs)
    assert index.update(docs) is True
    index.wait()
    assert (folder / "pagefind/pagefind.js").is_file(), told
    assert index.runs == 1 and told[-1].startswith("search index: 12 documents in ")
    assert index.update(dict(docs)) is False, "the same documents are not indexed again"
    changed = {**docs, "people/x/index.html": docs["people/max-tegmark/index.html"]}
    assert digest(changed) != digest(docs)
    assert index.update(changed) is True
    index.wait()
    assert index.runs == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".search-")]


def test_serve_builds_with_search_and_indexes_after_the_rebuild(tmp_path: Path) -> None:
    from chronicle.preview.serve import Builder
    from chronicle.writing.live import LiveFolder

    site = write_site(tmp_path / "site")
    folder = tmp_path / "preview"
    folder.mkdir()
    builder = Builder(
        BuildOptions(site_root=site, search=True), "127.0.0.1", 8000, LiveFolder(folder)
    )
    builder.search = BackgroundIndex(folder, lambda line: None)
    outcome = builder.run([])
    assert isinstance(outcome, tuple), outcome
    assert (folder / "search/index.html").is_file()
    builder.search.wait()
    assert (folder / "pagefind/pagefind.js").is_file()
    builder.run([])
    builder.search.wait()
    assert builder.search.runs == 1, "an unchanged rebuild does not index again"
