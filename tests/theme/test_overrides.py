"""A site builds on the default theme without copying it: its own templates replace the
theme's one by one or extend them through `theme/<name>`, its `static/custom.css` is linked
after the theme's stylesheet, and a template file that nothing uses, or that extends itself,
is reported. docs/theme.md's table of blocks is the templates' own."""

from __future__ import annotations

import re

from chronicle import theme
from chronicle.theme import blocks, overrides
from tests.conftest import PROJECT, besides_authoring, messages

PERSON = "people/ada/index.html"


def stylesheets(page: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)


def test_a_site_template_replaces_the_themes(make_site):
    site = make_site({"templates/person.html": "Only {{ person.name }}\n"})
    result = site.build()
    assert site.page(PERSON) == "Only Ada Lovelace\n"
    assert "Only" not in site.page("people/index.html")  # other pages keep the theme's
    assert besides_authoring(result, site.root) == []


def test_an_override_extends_the_themes_own_file_and_fills_its_blocks(make_site):
    site = make_site(
        {
            "templates/person.html": """\
                {% extends "theme/person.html" %}
                {% block title %}Profile of {{ person.name }}{% endblock %}
                {% block main %}<p class="notice">Draft</p>{{ super() }}{% endblock %}
                """,
        }
    )
    result = site.build()
    page = site.page(PERSON)
    assert "<title>Profile of Ada Lovelace</title>" in page
    assert '<p class="notice">Draft</p><article class="profile person"' in page
    assert "Wrote the first program." in page  # the theme's description block, untouched
    assert besides_authoring(result, site.root) == []


def test_the_themes_file_extends_the_sites_base(make_site):
    """`theme/person.html` extends `base.html`, which is then the site's own."""
    site = make_site(
        {
            "templates/person.html": '{% extends "theme/person.html" %}\n',
            "templates/base.html": '{% extends "theme/base.html" %}\n'
            "{% block meta %}<meta name=site-base>{% endblock %}\n",
        }
    )
    site.build()
    assert "<meta name=site-base>" in site.page(PERSON)
    assert "<meta name=site-base>" in site.page("index.html")


def test_a_custom_stylesheet_is_linked_after_the_themes(make_site):
    site = make_site({"static/custom.css": "body { color: red; }\n"})
    site.build()
    assert stylesheets(site.page(PERSON)) == ["/style.css", "/custom.css"]
    assert stylesheets(site.page("index.html")) == ["/style.css", "/custom.css"]


def test_the_custom_stylesheet_link_is_fingerprinted_under_the_base_path(make_site):
    site = make_site(
        {
            "site.toml": 'title = "Test Site"\nbase_url = "https://example.org/sub/"\n',
            "static/custom.css": "body { color: red; }\n",
        }
    )
    site.build(fingerprint=True)
    theme_css, custom_css = stylesheets(site.page(PERSON))
    assert re.fullmatch(r"/sub/style\.[0-9a-f]{10}\.css", theme_css)
    assert re.fullmatch(r"/sub/custom\.[0-9a-f]{10}\.css", custom_css)
    assert (site.out / custom_css.removeprefix("/sub/")).is_file()


def test_no_custom_stylesheet_no_link(make_site):
    site = make_site()
    site.build()
    assert stylesheets(site.page(PERSON)) == ["/style.css"]


def test_an_unused_template_is_a_warning_with_a_hint(make_site):
    site = make_site(
        {
            "templates/persn.html": "{{ person.name }}\n",
            "templates/README.md": "Notes on these templates.\n",
        }
    )
    result = site.build()
    assert besides_authoring(result, site.root) == [
        "templates/persn.html:1:1: warning: template `persn.html` is not used: it replaces no "
        "template of the theme and no template extends, includes or imports it "
        "(did you mean `person.html`?)"
    ]


def test_templates_used_by_other_templates_are_not_warned_about(make_site):
    site = make_site(
        {
            "templates/person.html": '{% extends "layouts/profile.html" %}\n',
            "templates/layouts/profile.html": '{% extends "theme/person.html" %}\n'
            '{% block meta %}{% include "bits/meta.html" %}{% endblock %}\n',
            "templates/bits/meta.html": "<meta name=bit>\n",
            "templates/notes.txt.bak": "not a template\n",
        }
    )
    result = site.build()
    assert besides_authoring(result, site.root) == []
    assert "<meta name=bit>" in site.page(PERSON)


def test_an_unused_template_without_a_close_name_has_a_general_hint(make_site):
    site = make_site({"templates/zzz-archive.xml": "<x/>\n"})
    (problem,) = besides_authoring(site.build(), site.root)
    assert "warning: template `zzz-archive.xml` is not used" in problem
    assert "see docs/theme.md" in problem


def test_an_override_extending_its_own_name_is_an_error_at_its_place(make_site):
    site = make_site(
        {
            "templates/person.html": """\
                {# my person page #}
                  {% extends "person.html" %}
                {% block title %}x{% endblock %}
                """,
        }
    )
    report = site.errors()
    assert messages(report) == [
        "templates/person.html:2:3: error: `person.html` extends itself, which never ends: "
        'extend the theme\'s own with {% extends "theme/person.html" %}'
    ]
    assert not site.out.exists()


def test_a_site_file_under_theme_is_shadowed_by_the_themes_own(tmp_path):
    """`theme/person.html` always names the theme's file: a site file there is never used,
    and extending that name from it is no recursion."""
    (tmp_path / "templates" / "theme").mkdir(parents=True)
    (tmp_path / "templates" / "theme" / "person.html").write_text(
        '{% extends "theme/person.html" %}'
    )
    (problem,) = theme.check(tmp_path).problems
    assert (str(problem.location), problem.severity) == (
        "templates/theme/person.html:1:1",
        "warning",
    )


def test_the_projects_own_site_has_no_overrides_and_no_warnings():
    assert overrides.is_theme(PROJECT / "templates", theme.templates())
    assert theme.check(PROJECT).problems == []
    assert theme.stylesheet(PROJECT) == ""


def test_the_docs_table_of_blocks_is_the_templates_own():
    docs = (PROJECT / "docs" / "theme.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- blocks:[^>]*-->\n(.*?)<!-- /blocks -->", docs, re.DOTALL)
    assert found, "docs/theme.md has no generated table of blocks"
    assert found.group(1) == blocks.table(theme.templates()), (
        "docs/theme.md's table of blocks differs from the templates: "
        "update it with `python -m chronicle.theme.blocks`"
    )


def test_the_table_lists_every_block_of_a_template(tmp_path):
    (tmp_path / "a.html").write_text(
        '{% extends "b.html" %}{% block one %}{% block two %}{% endblock %}{% endblock %}'
    )
    (tmp_path / "b.html").write_text("{% block one %}{% endblock %}")
    (tmp_path / "README.md").write_text("not a template")
    assert blocks.table(tmp_path).splitlines()[2:] == [
        "| `a.html` | `b.html` | `one`, `two` |",
        "| `b.html` | — | `one` |",
    ]
