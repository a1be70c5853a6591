"""`aliases`: old addresses of a page, listed in its front matter, get a redirect page
(meta refresh, canonical, a link) in every language; one that would replace a real page,
or that is not a site path, is an error where it was written."""

from __future__ import annotations

import re

from tests.conftest import messages

from .head import read_head

TWO_LANGUAGES = 'title = "T"\nbase_url = "https://example.org/sub/"\nlanguages = ["en", "fr"]\n'

ADA_WITH_ALIASES = """\
    ---
    name: Ada Lovelace
    aliases:
      - /people/ada-lovelace/
      - /bios/ada.html
      - /old/ada
    ---
    """


def test_each_alias_redirects_to_the_page_in_each_language(make_site):
    site = make_site({"site.toml": TWO_LANGUAGES, "content/people/ada.md": ADA_WITH_ALIASES})
    site.build()
    for rel, target in [
        ("people/ada-lovelace/index.html", "/sub/people/ada/"),
        ("bios/ada.html", "/sub/people/ada/"),
        ("old/ada/index.html", "/sub/people/ada/"),
        ("fr/people/ada-lovelace/index.html", "/sub/fr/people/ada/"),
        ("fr/bios/ada.html", "/sub/fr/people/ada/"),
    ]:
        page = site.page(rel)
        head = read_head(page)
        assert head.one("refresh") == f"0; url={target}", rel
        assert head.link("canonical") == ["https://example.org" + target]
        assert head.one("robots") == "noindex"
        assert f'<a href="{target}">' in page


def test_redirects_are_not_in_the_sitemap(make_site):
    site = make_site({"content/people/ada.md": ADA_WITH_ALIASES})
    site.build()
    sitemap = site.page("sitemap.xml")
    assert "ada-lovelace" not in sitemap and "bios" not in sitemap


def test_an_alias_may_not_take_the_place_of_a_real_page(make_site):
    site = make_site(
        {
            "content/people/ada.md": """\
        ---
        name: Ada Lovelace
        aliases: [/people/charles/, /about/]
        ---
        """
        }
    )
    assert messages(site.errors()) == [
        "content/people/ada.md:3:11: error: alias `/people/charles/` is the address of an "
        "existing page (/people/charles/): a redirect cannot replace it",
        "content/people/ada.md:3:29: error: alias `/about/` is the address of an existing page "
        "(/about/): a redirect cannot replace it",
    ]


def test_two_pages_may_not_claim_the_same_old_address(make_site):
    site = make_site(
        {
            "content/people/ada.md": "---\nname: Ada\naliases: [/old/]\n---\n",
            "content/people/charles.md": "---\nname: Charles\naliases: [/old/]\n---\n",
        }
    )
    assert messages(site.errors()) == [
        "content/people/charles.md:3:11: error: alias `/old/` is already claimed by "
        "content/people/ada.md:3: an old address can lead to one page only"
    ]


def test_an_alias_is_a_site_path(make_site):
    site = make_site(
        {
            "site.toml": TWO_LANGUAGES,
            "content/pages/about.md": """\
        ---
        title: About
        aliases:
          - about-old/
          - https://old.example.org/about/
          - /about?id=3
          - /a/../b/
          - /
          - [nested]
        ---
        """,
        }
    )
    found = messages(site.errors())
    assert [re.sub(r": error: .*", "", m) for m in found] == [
        "content/pages/about.md:4:5",
        "content/pages/about.md:5:5",
        "content/pages/about.md:6:5",
        "content/pages/about.md:7:5",
        "content/pages/about.md:8:5",
        "content/pages/about.md:9:5",
    ]
    assert "must be a site path starting with a single `/`" in found[0]
    assert "may not hold spaces, quotes, `?`" in found[2]
    assert "may not hold `.` or `..` segments" in found[3]
    assert "`/` is the home page" in found[4]
    assert "each item of `aliases` must be a site path" in found[5]


def test_an_alias_is_written_without_the_language_folder(make_site):
    site = make_site(
        {
            "site.toml": TWO_LANGUAGES,
            "content/pages/about.md": "---\ntitle: About\naliases: [/fr/a-propos/]\n---\n",
        }
    )
    assert messages(site.errors()) == [
        "content/pages/about.md:3:11: error: alias `/fr/a-propos/` starts with the language "
        "folder `/fr/`: write the path without it; every language gets its own redirect"
    ]


def test_a_translation_cannot_set_aliases(make_site):
    site = make_site(
        {
            "site.toml": TWO_LANGUAGES,
            "content/pages/about.fr.md": "---\ntitle: À propos\naliases: [/a-propos/]\n---\n",
        }
    )
    (problem,) = messages(site.errors())
    assert problem.startswith("content/pages/about.fr.md:3:1: error: a translation overrides only")
    assert "`aliases` comes from the original" in problem


def test_a_drafts_aliases_lead_nowhere_until_it_is_published(make_site):
    draft = "---\nname: Grace\ndraft: true\naliases: [/people/grace-h/]\n---\n"
    site = make_site({"content/people/grace.md": draft})
    site.build()
    assert not (site.out / "people/grace-h").exists()
    site.build(drafts=True)
    assert "url=/people/grace/" in site.page("people/grace-h/index.html")
