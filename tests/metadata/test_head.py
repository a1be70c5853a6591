"""What every page's <head> tells search engines and link previews: title, description from
the summary, canonical address, Open Graph and Twitter cards, language alternates."""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_SITE, SiteDir

from .head import read_head

TWO_LANGUAGES = (
    'title = "Test Site"\nbase_url = "https://example.org/sub/"\nlanguages = ["en", "fr"]\n'
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteDir(tmp_path_factory.mktemp("head") / "site")
    for rel, text in {
        **SMALL_SITE,
        "content/people/ada.fr.md": "---\nname: Ada Lovelace\n"
        "summary: A écrit le premier programme.\n---\n",
        "site.toml": TWO_LANGUAGES,
    }.items():
        site.write(rel, text)
    site.build()
    return site


def pages(site):
    """Every page of the site, as (address, path of the file)."""
    for path in sorted(site.out.rglob("index.html")):
        rel = path.relative_to(site.out).as_posix()
        yield "https://example.org/sub/" + rel.removesuffix("index.html"), path


def test_every_page_has_a_title_canonical_address_and_social_tags(built):
    count = 0
    for address, path in pages(built):
        head = read_head(path.read_text(encoding="utf-8"))
        assert head.title.strip(), address
        assert head.link("canonical") == [address]
        assert head.one("og:url") == address
        assert head.one("og:title") == head.title
        assert head.one("og:site_name") == "Test Site"
        assert head.one("og:locale") == ("fr" if "/sub/fr/" in address else "en_US")
        # A page with a social card (people and events) gets the large card.
        card = "summary_large_image" if "og:image" in head.meta else "summary"
        assert head.one("twitter:card") == card
        assert head.one("twitter:title") == head.title
        count += 1
    assert count > 20


def test_the_description_is_the_summary_in_the_page_language(built):
    english = read_head(built.page("people/ada/index.html"))
    assert english.one("description") == "Wrote the first program."
    assert english.one("og:description") == "Wrote the first program."
    assert english.one("twitter:description") == "Wrote the first program."
    french = read_head(built.page("fr/people/ada/index.html"))
    assert french.one("description") == "A écrit le premier programme."


def test_a_person_is_a_profile_and_other_pages_are_websites(built):
    assert read_head(built.page("people/ada/index.html")).one("og:type") == "profile"
    assert read_head(built.page("events/notes/index.html")).one("og:type") == "website"
    assert read_head(built.page("index.html")).one("og:type") == "website"


def test_each_language_version_names_the_others_and_x_default_the_default_one(built):
    for rel in ("people/ada/index.html", "fr/people/ada/index.html"):
        head = read_head(built.page(rel))
        alternates = {link["hreflang"]: link["href"] for link in head.links if "hreflang" in link}
        assert alternates == {
            "en": "https://example.org/sub/people/ada/",
            "fr": "https://example.org/sub/fr/people/ada/",
            "x-default": "https://example.org/sub/people/ada/",
        }
    assert read_head(built.page("index.html")).one("og:locale:alternate") == "fr"


def test_a_site_in_one_language_has_no_alternates(make_site):
    site = make_site()
    site.build()
    head = read_head(site.page("people/ada/index.html"))
    assert not [link for link in head.links if "hreflang" in link]
    assert "og:locale:alternate" not in head.meta


def test_the_social_card_is_the_preview_image_of_people_and_events(make_site):
    """Every person and event has its social card (cards.py) as og:image, with or
    without a photo; the portrait itself stays in the JSON-LD."""
    site = make_site(
        {
            "content/media/ada.png": "png",
            "content/people/charles.md": "---\nname: Charles\nphoto: ada.png\n---\n",
        }
    )
    site.build()
    head = read_head(site.page("people/charles/index.html"))
    assert head.one("og:image") == "https://example.org/people/charles/card.png"
    assert read_head(site.page("people/ada/index.html")).one("og:image") == (
        "https://example.org/people/ada/card.png"
    )
    assert read_head(site.page("events/notes/index.html")).one("og:image") == (
        "https://example.org/events/notes/card.png"
    )
    assert "og:image" not in read_head(site.page("timeline/index.html")).meta


def test_the_404_page_has_no_address_of_its_own_and_is_not_indexed(built):
    head = read_head(built.page("404.html"))
    assert head.link("canonical") == []
    assert "og:url" not in head.meta
    assert head.one("robots") == "noindex"
    assert head.title.startswith("Page not found")


def test_an_empty_description_is_left_out(make_site):
    site = make_site()
    site.build()
    head = read_head(site.page("people/charles/index.html"))  # role only: "Inventor"
    assert head.one("description") == "Inventor"
    assert "description" not in read_head(site.page("tags/index.html")).meta


def test_pages_name_both_feeds(built):
    head = read_head(built.page("timeline/index.html"))
    assert head.link("alternate", type="application/atom+xml") == ["/sub/feed.xml"]
    assert head.link("alternate", type="application/feed+json") == ["/sub/feed.json"]
