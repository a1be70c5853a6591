"""Front matter: fields, types, required fields, and the file format itself.

Contract: "A field that the contract does not name is an error that names the nearest
known field (`organisations` -> did you mean `organizations`?); authors' own data goes
under `extra`. The same key twice in one mapping is an error citing both lines.
Booleans are `true` or `false` only; a text field keeps exactly what was written (`no`
stays "no"); a list field needs a list (`tags: [ai]`, not `tags: ai`)."
"Front matter is a YAML mapping between a first line `---` and the next line `---`.
A file may start with a UTF-8 BOM and use CRLF line ends."
"A content file is at most 1 MiB; YAML anchors and aliases are not accepted in content."
"""

from __future__ import annotations

import re

import pytest

# ---------------------------------------------------------------- unknown fields


def test_an_unknown_field_is_an_error_naming_the_nearest_known_field(make_site):
    site = make_site(
        {
            "content/people/grace.md": (
                "---\nname: Grace Hopper\norganisations: [analytical-society]\n---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error(
        "content/people/grace.md", line=3, mentions=["did you mean", "organizations"]
    )


def test_the_authors_own_fields_under_extra_are_fine(make_site):
    site = make_site(
        {
            "content/people/grace.md": (
                "---\n"
                "name: Grace Hopper\n"
                "extra:\n"
                "  organisations: [anything]\n"
                "  nested: {depth: 2, list: [1, two, 3.0]}\n"
                "---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 0, result
    assert "Grace Hopper" in site.page("/people/grace/").text


# ---------------------------------------------------------------- duplicate keys


def test_a_duplicate_key_is_an_error_citing_both_lines(make_site):
    site = make_site(
        {
            "content/people/grace.md": (
                "---\n"  # 1
                "name: Grace Hopper\n"  # 2
                "role: Admiral\n"  # 3  first
                "summary: Wrote a compiler.\n"  # 4
                "tags: [computing]\n"  # 5
                "role: Professor\n"  # 6  second
                "---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    errors = result.find("error", "content/people/grace.md")
    assert any(e.mentions("role") for e in errors), result
    cited: set[int] = set()
    for e in errors:
        cited.add(e.line)
        cited.update(int(n) for n in re.findall(r"\d+", e.message))
    assert {3, 6} <= cited, result


# ---------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("line", "field"),
    [("featured: yes", "featured"), ("draft: no", "draft")],
)
def test_a_boolean_must_be_true_or_false(make_site, line, field):
    site = make_site({"content/people/grace.md": f"---\nname: Grace Hopper\n{line}\n---\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/grace.md", line=3, mentions=[field])


def test_a_text_field_keeps_no_as_written(make_site):
    site = make_site({"content/people/grace.md": "---\nname: Grace Hopper\nrole: no\n---\n"})

    result = site.build()

    assert result.code == 0, result
    text = site.page("/people/grace/").text
    assert re.search(r"\bno\b", text)
    assert "False" not in text


def test_a_text_field_keeps_a_number_as_written(make_site):
    site = make_site({"content/people/grace.md": "---\nname: Grace Hopper\nrole: 1.10\n---\n"})

    result = site.build()

    assert result.code == 0, result
    assert "1.10" in site.page("/people/grace/").text


def test_a_list_field_needs_a_list(make_site):
    site = make_site({"content/people/grace.md": "---\nname: Grace Hopper\ntags: ai\n---\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/grace.md", line=3, mentions=["tags"])


def test_a_link_must_be_an_http_url(make_site):
    site = make_site(
        {
            "content/people/grace.md": (
                "---\nname: Grace Hopper\nlinks:\n  Home: javascript:alert(1)\n---\n"
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    diag = result.expect_error("content/people/grace.md")
    assert diag.line in (3, 4), result


# ---------------------------------------------------------------- required fields


@pytest.mark.parametrize(
    ("path", "text", "field"),
    [
        ("content/people/nameless.md", "---\nrole: Nobody\n---\n", "name"),
        ("content/events/untitled.md", "---\ndate: 2020\n---\n", "title"),
        ("content/events/undated.md", "---\ntitle: Undated\n---\n", "date"),
    ],
)
def test_a_missing_required_field_is_an_error_naming_it(make_site, path, text, field):
    site = make_site({path: text})

    result = site.build()

    assert result.code == 1, result
    result.expect_error(path, mentions=[field])


# ---------------------------------------------------------------- file format


def test_front_matter_that_is_never_closed_is_an_error(make_site):
    site = make_site({"content/people/open.md": "---\nname: Open Ended\nrole: Writer\n\nBody.\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/open.md")


def test_yaml_anchors_and_aliases_are_rejected(make_site):
    site = make_site({"content/people/twin.md": "---\nname: &who Twin Name\nrole: *who\n---\n"})

    result = site.build()

    assert result.code == 1, result
    diag = result.expect_error("content/people/twin.md")
    assert diag.line in (2, 3), result


def test_a_file_with_a_bom_and_crlf_line_ends_builds(make_site):
    text = "\ufeff---\r\nname: Grace Hopper\r\nrole: Admiral\r\n---\r\nShe wrote a compiler.\r\n"
    site = make_site({"content/people/grace.md": text.encode("utf-8")})

    result = site.build()

    assert result.code == 0, result
    page = site.page("/people/grace/")
    assert "Grace Hopper" in page.text
    assert "Admiral" in page.text
    assert "She wrote a compiler." in page.text


def test_line_numbers_count_real_lines_in_a_crlf_file(make_site):
    text = "\ufeff---\r\nname: Grace Hopper\r\n\r\norganisations: []\r\n---\r\n"
    site = make_site({"content/people/grace.md": text.encode("utf-8")})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/grace.md", line=4, mentions=["organizations"])


def test_a_content_file_over_1_mib_is_an_error(make_site):
    body = ("word " * 80 + "\n") * 2800  # about 1.1 MiB
    site = make_site({"content/pages/huge.md": "---\ntitle: Huge\n---\n" + body})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/pages/huge.md")


# ---------------------------------------------------------------- YAML lists of events

LIST_FILE = """\
- slug: alpha-event
  title: Alpha Event
  date: 2020
  people: [ada]
- slug: beta-event
  title: Beta Event
  date: 2021-03
  body: "Some *emphasised* text."
"""


def test_each_item_of_a_yaml_event_list_gets_a_page(make_site):
    site = make_site({"content/events/misc.yaml": LIST_FILE})

    result = site.build()

    assert result.code == 0, result
    alpha = site.page("/events/alpha-event/")
    assert "Alpha Event" in alpha.text
    assert alpha.links_to("https://example.org/people/ada/")
    beta = site.page("/events/beta-event/")
    assert "Beta Event" in beta.text
    assert any(t == "em" for t, _ in beta.tags)
    assert "emphasised" in beta.text
    assert not site.file("/events/misc/").exists()


def test_an_item_without_slug_in_a_yaml_list_is_an_error_at_its_line(make_site):
    site = make_site(
        {
            "content/events/misc.yaml": (
                "- slug: alpha-event\n"  # 1
                "  title: Alpha Event\n"  # 2
                "  date: 2020\n"  # 3
                "- title: Gamma Event\n"  # 4  no slug
                "  date: 2022\n"  # 5
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/events/misc.yaml", line=4, mentions=["slug"])


def test_an_unknown_reference_in_a_yaml_list_is_reported_at_its_line(make_site):
    site = make_site(
        {
            "content/events/misc.yaml": (
                "- slug: alpha-event\n"  # 1
                "  title: Alpha Event\n"  # 2
                "  date: 2020\n"  # 3
                "  people: [charls]\n"  # 4
            )
        }
    )

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/events/misc.yaml", line=4, mentions=["did you mean", "charles"])
