"""The pages of a small site: what a reader sees on each, and where every link leads."""

import re

import pytest


@pytest.fixture
def built(make_site):
    site = make_site()
    site.build()
    return site


def test_every_route_of_the_contract_is_written(built):
    for rel in [
        "index.html",
        "people/index.html",
        "people/ada/index.html",
        "organizations/index.html",
        "organizations/engine-co/index.html",
        "events/notes/index.html",
        "timeline/index.html",
        "tags/index.html",
        "tags/deep-learning/index.html",
        "about/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
        "style.css",
        "favicon.svg",
    ]:
        assert (built.out / rel).is_file(), rel


def test_timeline_groups_by_year_with_dates_at_their_precision(built):
    page = built.page("timeline/index.html")
    years = re.findall(r'<li class="year" id="year-(\d+)">', page)
    assert years == ["1833", "1837", "1843"]
    assert '<time datetime="1833-06-05">5 June 1833</time>' in page
    assert '<time datetime="1843">1843</time>' in page
    assert '<time datetime="1843-09">September 1843</time>' in page
    # a range is shown as a range, its ends at their own precisions set apart by thin spaces
    assert (
        '<time datetime="1837">1837</time>\u2009–\u2009'
        '<time datetime="1838-02">February 1838</time>' in page
    )
    # coarse before fine within a year, each with a stable anchor
    assert page.index('id="year-of-notes"') < page.index('id="notes"')


def test_timeline_links_the_people_and_organizations_of_each_event(built):
    page = built.page("timeline/index.html")
    notes = page[page.index('id="notes"') :]
    assert '<a href="/people/ada/">Ada Lovelace</a>' in notes
    assert '<a href="/organizations/engine-co/">Engine Company</a>' in notes


def test_person_page_lists_their_events_and_organizations(built):
    page = built.page("people/ada/index.html")
    assert "<h1>Ada Lovelace</h1>" in page
    assert "<strong>biography</strong>" in page
    assert '<a href="/organizations/engine-co/">Engine Company</a> · Programmer' in page
    assert (
        '<time datetime="1842">1842</time>\u2009–\u2009'
        '<time datetime="1843-09">September 1843</time>' in page
    )
    assert page.index("Ada meets Charles") < page.index("The Notes are published")
    assert '<a href="/tags/deep-learning/">Deep Learning</a>' in page


def test_organization_page_lists_its_people_and_events(built):
    page = built.page("organizations/engine-co/index.html")
    assert '<a href="/people/charles/">Charles Babbage</a> · Founders' in page
    assert '<a href="/people/ada/">Ada Lovelace</a> · Programmer' in page
    assert "The engine is designed" in page and "The Notes are published" in page
    assert '<time datetime="1834-06">June 1834</time>' in page


def test_event_page_links_people_organizations_and_sources(built):
    page = built.page("events/notes/index.html")
    assert (
        '<a href="https://example.com/memoirs" rel="noopener">Taylor&#39;s Scientific Memoirs</a>'
        in page
    )
    assert "<li>A letter</li>" in page
    assert '<a href="/timeline/#notes">' in page
    assert '<a href="/people/ada/">Ada Lovelace</a>' in page


def test_home_page_shows_featured_people_and_latest_events(built):
    page = built.page("index.html")
    assert '<a href="/people/ada/">Ada Lovelace</a>' in page
    assert "Charles Babbage</a></h3>" not in page  # not featured
    assert page.index("The Notes are published") < page.index("Ada meets Charles")


def test_markdown_links_are_site_relative_and_tags_pages_list_entries(built):
    assert '<a href="/people/ada/">Ada</a>' in built.page("about/index.html")
    tag = built.page("tags/deep-learning/index.html")
    assert "Ada Lovelace" in tag and "The Notes are published" in tag


def test_sub_path_prefixes_every_link(make_site):
    site = make_site()
    site.build(base_url="https://example.org/founders")
    for path in site.out.rglob("*.html"):
        html = path.read_text()
        for url in re.findall(r'(?:href|src)="(/[^"]*)"', html):
            assert url.startswith("/founders/"), (path, url)
    assert "https://example.org/founders/people/ada/" in site.page("sitemap.xml")
    assert "Sitemap: https://example.org/founders/sitemap.xml" in site.page("robots.txt")


def test_unsafe_markdown_never_reaches_the_page(make_site):
    site = make_site(
        {
            "content/pages/about.md": """\
        ---
        title: About
        ---
        <script>alert(1)</script><img src=x onerror="alert(2)">
        [click](javascript:alert(3)) <a href="vbscript:x">v</a>
        <details><summary>More</summary>Hidden <kbd>Ctrl</kbd></details>

        | a | b |
        |---|--:|
        | ~~old~~ | note[^1] |

        [^1]: A footnote.
        """
        }
    )
    site.build()
    page = site.page("about/index.html")
    assert not re.search(r"<script(?![^>]*application/ld\+json)", page)
    assert "alert(1)" not in page
    assert "onerror" not in page
    assert not re.search(r'(href|src)="\s*(javascript|vbscript|data):', page)
    assert "<details><summary>More</summary>Hidden <kbd>Ctrl</kbd></details>" in page
    assert "<s>old</s>" in page and '<td style="text-align:right">' in page
    assert 'class="footnotes"' in page


def test_text_fields_are_escaped(make_site):
    site = make_site({"content/people/charles.md": '---\nname: "<b>Charles</b> & co"\n---\n'})
    site.build()
    assert "<h1>&lt;b&gt;Charles&lt;/b&gt; &amp; co</h1>" in site.page("people/charles/index.html")


def test_a_site_template_overrides_the_theme_one_file_at_a_time(make_site):
    site = make_site({"templates/404.html": "custom {{ t.not_found }}"})
    site.build()
    assert site.page("404.html") == "custom Page not found"
    assert "<h1>Ada Lovelace</h1>" in site.page("people/ada/index.html")


def test_template_errors_name_the_template_line_and_the_content_file(make_site):
    site = make_site({"templates/event.html": "line one\n{{ event.nonexistent }}\n"})
    report = site.errors()
    assert str(report.sorted()[0]) == (
        "templates/event.html:2:1: error: template error: "
        "'chronicle.reading.content.Event object' has no attribute 'nonexistent' "
        "(while rendering content/events/meeting.md)"
    )


def test_static_files_and_media_are_copied(make_site):
    site = make_site(
        {
            "static/robots-extra.txt": "x",
            "content/media/portraits/ada.txt": "pic",
            "static/style.css": "body{}",
        }
    )
    site.build()
    assert (site.out / "robots-extra.txt").read_text() == "x"
    assert (site.out / "media/portraits/ada.txt").read_text() == "pic"
    assert site.page("style.css") == "body{}"  # the site's file overrides the theme's


def test_static_file_may_not_take_a_generated_route(make_site):
    report = make_site({"static/timeline/index.html": "x"}).errors()
    assert (
        "static/timeline/index.html:1:1: error: static file would take the generated route"
        in str(report.sorted()[0])
    )


def test_simplified_chinese_is_generated_from_traditional(make_site):
    site = make_site(
        {
            "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n'
            'languages = ["en", "zh-hant", "zh-hans"]\n',
            "content/people/ada.zh-hant.md": (
                "---\nname: 艾達\nrole: 軟體工程師\n---\n她在資料中心工作。\n"
            ),
            "content/people/charles.zh-hans.md": "---\nname: 查尔斯（手写）\n---\n",
        }
    )
    site.build()
    page = site.page("zh-hans/people/ada/index.html")
    assert "软件工程师" in page and "她在数据中心工作。" in page
    assert "本页文字由繁体中文自动转换。" in page  # generated pages say so, in Simplified
    assert "自动转换" not in site.page("zh-hans/people/charles/index.html")
    assert '<html lang="zh-Hans">' in page
    assert "查尔斯（手写）" in site.page("zh-hans/people/charles/index.html")  # an author's wins
    assert "軟體工程師" in site.page("zh-hant/people/ada/index.html")
    assert '<time datetime="1833-06-05">1833年6月5日</time>' in site.page(
        "zh-hans/timeline/index.html"
    )
