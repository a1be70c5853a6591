"""A hint fits its problem: a comma that YAML took for the end of a value suggests quoting
the value, a field an entry's `extra` lacks suggests testing it in the template, and each is
printed once for its problem and for no other."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.diagnostics import Printer
from tests.authoring.test_diagnostics import run
from tests.conftest import SiteDir

COMMA = "quote a value that holds a comma"
EXTRA = "is defined %}"
PERSON = "---\nname: Ada Lovelace\nsummary: Wrote the first program.\n{field}\n---\nBody.\n"


def printed(site: SiteDir, **options: object) -> str:
    """What a failed build prints: every problem, its excerpt and its hint."""
    stream = io.StringIO()
    Printer(site.root, stream).report(site.errors(**options))
    return stream.getvalue()


@pytest.mark.parametrize(
    ("field", "column", "fix"),
    [
        ("links: {Blog: https://x.ai, 2024}", 29, '`Blog: "https://x.ai, 2024"`'),
        ("extra: {location: {city: Memphis, Tennessee}}", 35, '`city: "Memphis, Tennessee"`'),
        ("extra: {place: Memphis, Tennessee, USA}", 25, '`place: "Memphis, Tennessee, USA"`'),
        ("extra: {born: May 1, 1815}", 22, '`born: "May 1, 1815"`'),
        ("extra: {city: 台北市, 中正區}", 20, '`city: "台北市, 中正區"`'),
    ],
)
def test_a_comma_that_cut_a_value_in_braces_suggests_quoting_the_value(
    make_site: Callable[..., SiteDir], field: str, column: int, fix: str
) -> None:
    site = make_site({"content/people/ada.md": PERSON.format(field=field)})
    shown = printed(site)
    (error,) = [line for line in shown.splitlines() if ": error: " in line]
    assert error.startswith(f"content/people/ada.md:4:{column}: error: ")
    assert "is read as a field without a value" in error
    assert shown.count(COMMA) == 1 and fix in shown
    assert EXTRA not in shown


def test_a_comma_over_two_lines_is_shown_as_one_value(make_site: Callable[..., SiteDir]) -> None:
    field = "extra:\n  location: {city: Memphis,  # the state next\n             Tennessee}"
    site = make_site({"content/people/ada.md": PERSON.format(field=field)})
    shown = printed(site)
    assert shown.splitlines()[0].startswith("content/people/ada.md:6:14: error: `Tennessee` ")
    assert '`city: "Memphis, Tennessee"`' in shown


def test_the_value_before_the_comma_is_checked_as_written(
    make_site: Callable[..., SiteDir],
) -> None:
    """The words after the comma are dropped, the value before it stays: a mistake in that
    value is reported too, one error each."""
    field = "links: {Blog: x.ai, 2024}"
    site = make_site({"content/people/ada.md": PERSON.format(field=field)})
    errors = [line for line in printed(site).splitlines() if ": error: " in line]
    assert len(errors) == 2, errors
    assert "`links.Blog` must be an absolute" in errors[0] and "`2024`" in errors[1]


@pytest.mark.parametrize(
    "field",
    [
        "links: {Blog: https://x.ai, Home: https://example.org}",
        'extra: {location: {city: "Memphis, Tennessee"}}',
        "extra: {tags: [a, b], note: 'one, two'}",
    ],
)
def test_commas_between_fields_or_in_quotes_are_no_problem(
    make_site: Callable[..., SiteDir], field: str
) -> None:
    site = make_site({"content/people/ada.md": PERSON.format(field=field)})
    site.build()


def test_an_unclosed_bracket_is_still_advised_to_be_closed(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site({"content/people/ada.md": PERSON.format(field="tags: [a, b")})
    shown = printed(site)
    assert shown.count("close the `[` with `]`") == 1
    assert COMMA not in shown and EXTRA not in shown


EXTENDED = """\
{% extends "theme/person.html" %}
{% block main %}{{ super() }}
<p class="handle">@{{ person.extra.twitter.handle }}</p>
{% endblock %}
"""


def test_a_field_missing_from_extra_suggests_testing_it_at_the_templates_line(
    make_site: Callable[..., SiteDir],
) -> None:
    """Both people lack it: one error at the template's line, the first page's."""
    site = make_site({"templates/person.html": EXTENDED})
    shown = printed(site)
    lines = shown.splitlines()
    assert lines[0] == (
        "templates/person.html:3:23: error: template error: `person.extra` has no `twitter` "
        "(while rendering content/people/ada.md)"
    )
    assert lines[3].endswith(" " * 22 + "^")  # under `person.extra`
    assert shown.count(EXTRA) == 1
    assert "`{% if person.extra.twitter is defined %}…{% endif %}`" in shown
    assert '`person.extra.get("twitter", "")`' in shown
    assert COMMA not in shown and len([ln for ln in lines if ": error: " in ln]) == 1


def test_a_nested_or_quoted_key_is_named_as_written(make_site: Callable[..., SiteDir]) -> None:
    template = EXTENDED.replace("person.extra.twitter.handle", "person.extra.social['x']")
    site = make_site(
        {
            "templates/person.html": template,
            "content/people/ada.md": PERSON.format(field="extra: {social: {}}"),
            "content/people/charles.md": PERSON.format(field="extra: {social: {}}"),
        }
    )
    shown = printed(site)
    assert "error: template error: `person.extra.social` has no `x` " in shown
    assert "`{% if person.extra.social.x is defined %}" in shown and shown.count(EXTRA) == 1


@pytest.mark.parametrize(
    "guarded",
    [
        "{% if person.extra.twitter is defined %}{{ person.extra.twitter.handle }}{% endif %}",
        '{{ person.extra.get("twitter", "") }}',
    ],
)
def test_the_advice_builds_with_and_without_the_field(
    make_site: Callable[..., SiteDir], guarded: str
) -> None:
    field = "extra: {twitter: {handle: ada}}" if "handle" in guarded else "extra: {twitter: ada}"
    site = make_site(
        {
            "templates/person.html": EXTENDED.replace("{{ person.extra.twitter.handle }}", guarded),
            "content/people/ada.md": PERSON.format(field=field),
        }
    )
    site.build()
    assert '<p class="handle">@ada</p>' in site.page("people/ada/index.html")
    assert '<p class="handle">@</p>' in site.page("people/charles/index.html")


@pytest.mark.parametrize("expression", ["person.links.twitter", "person.nickname"])
def test_other_template_errors_get_the_templates_own_advice(
    make_site: Callable[..., SiteDir], expression: str
) -> None:
    site = make_site(
        {"templates/person.html": EXTENDED.replace("person.extra.twitter.handle", expression)}
    )
    shown = printed(site)
    assert shown.splitlines()[0].startswith("templates/person.html:3:1: error: template error: ")
    assert shown.count("fix the template at this line") == 1
    assert EXTRA not in shown and COMMA not in shown


@pytest.mark.parametrize(
    ("files", "advice", "other"),
    [
        ({"content/people/charles.md": PERSON.format(field="links: {Home: https://a.org, B}")},
         COMMA, EXTRA),
        ({"templates/person.html": EXTENDED}, EXTRA, COMMA),
    ],
)  # fmt: skip
def test_the_command_prints_each_hint_once(
    make_site: Callable[..., SiteDir],
    tmp_path: Path,
    files: dict[str, str],
    advice: str,
    other: str,
) -> None:
    site = make_site(files)
    result = run("build", "--site", str(site.root), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.count(advice) == 1 and other not in result.stderr, result.stderr
