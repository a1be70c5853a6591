"""Slugs and references between people, organizations and events.

Contract: "A slug is the file's name without extension, unless the front matter sets
`slug`. It matches `^[a-z0-9]+(-[a-z0-9]+)*$`. Slugs are unique within a kind."
"A slug that names nothing is an error that names the file, the line, and the nearest
existing slug ("did you mean"). A reference to a draft is a warning; the name is shown
without a link." "Slugs are at most 80 characters."
"""

from __future__ import annotations

import pytest

# ---------------------------------------------------------------- slugs


def test_the_slug_comes_from_the_file_name(make_site):
    site = make_site({"content/people/grace-hopper.md": "---\nname: Grace Hopper\n---\n"})

    result = site.build()

    assert result.code == 0, result
    assert "Grace Hopper" in site.page("/people/grace-hopper/").text


def test_a_slug_in_front_matter_overrides_the_file_name(make_site):
    site = make_site({"content/people/g.md": "---\nname: Grace Hopper\nslug: grace\n---\n"})

    result = site.build()

    assert result.code == 0, result
    assert "Grace Hopper" in site.page("/people/grace/").text
    assert not site.file("/people/g/").exists()


@pytest.mark.parametrize("bad_slug", ["Ada_Lovelace", "../x"])
def test_an_invalid_slug_in_front_matter_is_an_error_at_its_line(make_site, bad_slug):
    site = make_site({"content/people/bad.md": f"---\nname: Someone Bad\nslug: {bad_slug}\n---\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/bad.md", line=3, mentions=["slug"])


def test_an_invalid_slug_from_the_file_name_is_an_error(make_site):
    site = make_site({"content/people/Ada_Lovelace.md": "---\nname: Ada Again\n---\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/Ada_Lovelace.md")


def test_a_slug_longer_than_80_characters_is_an_error(make_site):
    long_slug = "a" * 81
    site = make_site({"content/people/long.md": f"---\nname: Long Slug\nslug: {long_slug}\n---\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/long.md", line=3)


def test_a_duplicate_slug_within_a_kind_is_an_error(make_site):
    site = make_site({"content/people/ada-l.md": "---\nname: Ada Twin\nslug: ada\n---\n"})

    result = site.build()

    assert result.code == 1, result
    involved = {"content/people/ada.md", "content/people/ada-l.md"}
    assert any(e.path in involved and e.mentions("ada") for e in result.errors), result


def test_the_same_slug_in_two_kinds_is_fine(make_site):
    site = make_site({"content/organizations/ada.md": "---\nname: Ada Foundation\n---\n"})

    result = site.build()

    assert result.code == 0, result
    assert "Ada Lovelace" in site.page("/people/ada/").text
    assert "Ada Foundation" in site.page("/organizations/ada/").text


# ---------------------------------------------------------------- references


def test_an_unknown_person_in_people_is_an_error_suggesting_the_nearest_slug(make_site):
    site = make_site(
        {
            "content/events/demo.md": (
                "---\ntitle: Engine Demo\ndate: 1840\npeople: [ada, charls]\n---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/events/demo.md", line=4, mentions=["did you mean", "charles"])


def test_an_unknown_organization_is_an_error_suggesting_the_nearest_slug(make_site):
    site = make_site(
        {
            "content/people/grace.md": (
                "---\nname: Grace Hopper\norganizations: [analytic-society]\n---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error(
        "content/people/grace.md", line=3, mentions=["did you mean", "analytical-society"]
    )


def test_an_unknown_founder_is_an_error_suggesting_the_nearest_slug(make_site):
    site = make_site(
        {
            "content/organizations/guild.md": (
                "---\nname: Engine Guild\nfounders: [charles, ado]\n---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/organizations/guild.md", line=3, mentions=["did you mean", "ada"])


def test_an_organizations_list_may_mix_slugs_and_mappings(make_site):
    site = make_site(
        {
            "content/organizations/royal-society.md": "---\nname: Royal Society\n---\n",
            "content/people/grace.md": (
                "---\n"
                "name: Grace Hopper\n"
                "organizations:\n"
                "  - analytical-society\n"
                "  - {org: royal-society, role: Fellow, from: 1842, to: 1852-06}\n"
                "---\n"
            ),
        }
    )

    result = site.build()

    assert result.code == 0, result
    page = site.page("/people/grace/")
    assert page.links_to("https://example.org/organizations/analytical-society/")
    assert page.links_to("https://example.org/organizations/royal-society/")


# ---------------------------------------------------------------- drafts

DRAFT_FILES = {
    "content/people/grace.md": "---\nname: Grace Hopper\ndraft: true\n---\nA draft.\n",
    "content/events/compiler.md": (
        "---\ntitle: First Compiler\ndate: 1952\npeople: [ada, grace]\n---\n"
    ),
}


def test_a_reference_to_a_draft_is_a_warning_and_the_build_succeeds(make_site):
    site = make_site(DRAFT_FILES)

    result = site.build()

    assert result.code == 0, result
    assert result.errors == [], result
    result.expect_warning("content/events/compiler.md", line=4, mentions=["grace"])


def test_a_referenced_draft_is_named_without_a_link(make_site):
    site = make_site(DRAFT_FILES)
    assert site.build().code == 0

    page = site.page("/events/compiler/")

    assert "Grace Hopper" in page.text
    assert not any("/people/grace" in link for link in page.links)
    assert page.links_to("https://example.org/people/ada/")


def test_a_draft_gets_no_page_and_is_not_listed(make_site):
    site = make_site(DRAFT_FILES)
    assert site.build().code == 0

    assert not site.file("/people/grace/").exists()
    assert "Grace Hopper" not in site.page("/people/").text
    assert "people/grace" not in site.text("/sitemap.xml")


def test_drafts_are_built_when_asked_for(make_site):
    site = make_site(DRAFT_FILES)

    result = site.build("--drafts")

    assert result.code == 0, result
    assert "Grace Hopper" in site.page("/people/grace/").text
