"""A valid site builds (exit 0) and writes every URL the contract promises.

Contract: "URLs (pretty, each a folder with index.html)", "media/ ... copied as-is",
"static/ ... copied to the output", "A successful build replaces --out as a whole".
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_valid_site_builds_with_exit_0_and_no_errors(make_site):
    result = make_site().build()

    assert result.code == 0, result
    assert result.errors == [], result


def test_every_contract_url_is_written(built_base):
    urls = [
        "/",
        "/people/",
        "/people/ada/",
        "/people/charles/",
        "/organizations/",
        "/organizations/analytical-society/",
        "/events/first-program/",
        "/timeline/",
        "/tags/mathematics/",
        "/about/",
    ]

    files = ["404.html", "sitemap.xml", "robots.txt", "feed.xml"]

    missing = [u for u in urls if not built_base.file(u).is_file()]
    missing += [f for f in files if not (built_base.out / f).is_file()]

    assert missing == []


def test_the_feed_is_atom_and_lists_events(built_base):
    root = ET.fromstring((built_base.out / "feed.xml").read_bytes())

    assert root.tag == ATOM + "feed"
    titles = [(e.findtext(ATOM + "title") or "").strip() for e in root.iter(ATOM + "entry")]
    assert "First Program Published" in titles


def test_the_sitemap_lists_absolute_urls_of_the_pages(built_base):
    root = ET.fromstring((built_base.out / "sitemap.xml").read_bytes())

    locs = {(e.text or "").strip() for e in root.iter(SITEMAP + "loc")}
    assert "https://example.org/people/ada/" in locs
    assert "https://example.org/events/first-program/" in locs


def test_media_are_copied_as_is_under_media(built_base):
    src = built_base.root / "content" / "media"

    for rel in ("notes/readme.txt", "pixel.png"):
        copied = built_base.out / "media" / rel
        assert copied.is_file(), rel
        assert copied.read_bytes() == (src / rel).read_bytes()


def test_static_files_are_copied_to_the_output(built_base):
    original = (built_base.root / "static" / "contract-extra.css").read_bytes()
    candidates = [
        built_base.out / "contract-extra.css",
        built_base.out / "static" / "contract-extra.css",
    ]

    copies = [p for p in candidates if p.is_file()]

    assert copies, "static/contract-extra.css was not copied"
    assert all(p.read_bytes() == original for p in copies)


def test_a_person_page_shows_the_name_and_links_to_the_organization(built_base):
    page = built_base.page("/people/ada/")

    assert "Ada Lovelace" in page.text
    assert "Mathematician" in page.text
    assert page.links_to("https://example.org/organizations/analytical-society/")


def test_event_and_organization_pages_link_what_they_reference(built_base):
    event = built_base.page("/events/first-program/")
    organization = built_base.page("/organizations/analytical-society/")

    assert "First Program Published" in event.text
    assert event.links_to("https://example.org/people/ada/")
    assert event.links_to("https://example.org/people/charles/")
    assert event.links_to("https://example.org/organizations/analytical-society/")
    assert "Analytical Society" in organization.text
    assert organization.links_to("https://example.org/people/charles/")


def test_the_people_index_links_every_person(built_base):
    page = built_base.page("/people/")

    assert page.links_to("https://example.org/people/ada/")
    assert page.links_to("https://example.org/people/charles/")


def test_tags_that_differ_only_in_case_and_spaces_share_one_page(built_base):
    # ada has "Deep Learning", charles has "deep-learning": one tag, key deep-learning.
    page = built_base.page("/tags/deep-learning/")

    assert page.links_to("https://example.org/people/ada/")
    assert page.links_to("https://example.org/people/charles/")
    assert not (built_base.out / "tags" / "Deep Learning").exists()


def test_a_cjk_tag_keeps_its_characters_in_the_url(make_site):
    site = make_site(
        {
            "content/people/lin.md": "---\nname: Lin Mei\ntags: [人工智慧]\n---\n",
        }
    )

    result = site.build()

    assert result.code == 0, result
    assert site.has("/tags/人工智慧/")
    assert site.page("/tags/人工智慧/").links_to("https://example.org/people/lin/")


def test_build_is_the_default_command(make_site):
    site = make_site()

    result = site.run("--site", str(site.root), "--out", str(site.out))

    assert result.code == 0, result
    assert site.has("/people/ada/")


def test_out_defaults_to_the_sites_output_folder(make_site):
    site = make_site()

    result = site.run("build", "--site", str(site.root))

    assert result.code == 0, result
    assert (site.root / "output" / "people" / "ada" / "index.html").is_file()


def test_check_validates_without_writing_anything(make_site):
    site = make_site()

    result = site.check()

    assert result.code == 0, result
    assert not (site.root / "output").exists()
    assert not site.out.exists()


def test_base_url_option_overrides_site_toml(make_site):
    site = make_site()

    result = site.build("--base-url", "https://example.net/other/")

    assert result.code == 0, result
    site.base_url = "https://example.net/other/"
    assert site.page("/about/").links_to("https://example.net/other/people/ada/")


def test_a_missing_final_slash_in_base_url_is_added(make_site):
    site = make_site(base_url="https://example.org/sub")

    result = site.build()

    assert result.code == 0, result
    assert site.page("/about/").links_to("https://example.org/sub/people/ada/")


def test_a_rebuild_replaces_the_previous_output_as_a_whole(make_site):
    site = make_site({"content/people/temp-person.md": "---\nname: Temporary Person\n---\n"})
    first = site.build()
    assert first.code == 0, first
    assert site.has("/people/temp-person/")
    site.remove("content/people/temp-person.md")

    second = site.build()

    assert second.code == 0, second
    assert not site.file("/people/temp-person/").exists()
    assert site.has("/people/ada/")


def test_the_same_input_built_twice_gives_byte_identical_trees(make_site, tree):
    site = make_site()
    first_out = site.root.parent / "first-out"
    second_out = site.root.parent / "second-out"

    first = site.build(out=first_out)
    time.sleep(1.1)  # a timestamp with one-second resolution would show up
    second = site.build(out=second_out)

    assert first.code == 0, first
    assert second.code == 0, second
    assert tree(first_out) == tree(second_out)
