"""`build.py check`: every internal link, #anchor, image and asset reference is checked
without writing anything, and a broken one is reported where its author wrote it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT


def check(site, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", "--site", str(site.root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_a_sound_site_passes_and_nothing_is_written(make_site):
    site = make_site()
    result = check(site)
    assert result.returncode == 0, result.stderr
    assert "internal references, all resolve" in result.stderr
    assert not site.out.exists()


def test_check_leaves_a_previous_output_as_it_was(make_site):
    site = make_site()
    site.build()
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.write("content/pages/about.md", "---\ntitle: About\n---\n[x](/nowhere/)\n")
    assert check(site).returncode == 1
    assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before


def test_a_broken_link_in_markdown_is_reported_at_its_file_line_and_column(make_site):
    site = make_site(
        {
            "content/pages/about.md": """\
        ---
        title: About
        ---
        First line of a paragraph, with [Ada](/people/ada/),
        and on its second line [a typo](/peple/ada/).
        """
        }
    )
    result = check(site)
    assert result.returncode == 1
    assert errors(result) == [
        "content/pages/about.md:5:33: error: broken link `/peple/ada/`: nothing is built at "
        "/peple/ada/ (on /about/)"
    ]


def test_a_missing_anchor_is_broken_and_an_existing_one_is_not(make_site):
    site = make_site(
        {
            "content/pages/about.md": """\
        ---
        title: About
        ---
        [The notes](/timeline/#notes) and [nothing](/timeline/#no-such-event).
        """
        }
    )
    result = check(site)
    assert errors(result) == [
        "content/pages/about.md:4:45: error: broken anchor `/timeline/#no-such-event`: "
        "/timeline/ has no element with id `no-such-event` (on /about/)"
    ]


def test_images_and_links_in_yaml_event_bodies_point_at_the_yaml_line(make_site):
    site = make_site(
        {
            "content/events/list.yaml": """\
        - slug: engine-designed
          title: The engine is designed
          date: 1837
          body: |
            A drawing of the engine:

            ![drawing](/media/engine.png)
        """
        }
    )
    result = check(site)
    assert errors(result) == [
        "content/events/list.yaml:7:16: error: broken link `/media/engine.png`: nothing is "
        "built at /media/engine.png (on /events/engine-designed/)"
    ]


def test_a_translation_is_blamed_for_its_own_links(make_site):
    site = make_site(
        {
            "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n'
            'languages = ["en", "fr"]\n',
            "content/pages/about.fr.md": "---\ntitle: À propos\n---\n\nVoir [Ada](/gens/ada/).\n",
        }
    )
    result = check(site)
    assert errors(result) == [
        "content/pages/about.fr.md:5:12: error: broken link `/fr/gens/ada/`: nothing is built "
        "at /fr/gens/ada/ (on /fr/about/)"
    ]


def test_a_broken_link_in_a_template_is_reported_at_the_template_line(make_site):
    site = make_site(
        {
            "templates/page.html": """\
        {% extends "base.html" %}
        {% block main %}
        <h1>{{ page.title }}</h1>
        <p><a href="{{ site.url('/archive/') }}">Archive</a></p>
        {{ site.body_html(page) | safe }}
        {% endblock %}
        """
        }
    )
    result = check(site)
    assert errors(result) == [
        "templates/page.html:4:26: error: broken link `/archive/`: nothing is built at "
        "/archive/ (on /about/)"
    ]


def test_a_path_that_misses_the_sub_path_is_broken_under_a_sub_path(make_site):
    site = make_site(
        {
            "templates/page.html": """\
        {% extends "base.html" %}
        {% block main %}
        <link rel="stylesheet" href="/style.css">
        {{ site.body_html(page) | safe }}
        {% endblock %}
        """
        }
    )
    assert check(site).returncode == 0  # at the domain's root, /style.css is there
    result = check(site, "--base-url", "https://example.org/founders/")
    assert result.returncode == 1
    (line,) = errors(result)
    assert line.startswith(
        "templates/page.html:3:30: error: link `/style.css` leads outside the site's base path "
        "/founders/"
    )


def test_external_links_are_counted_and_listed_never_fetched(make_site):
    site = make_site(
        {
            "content/pages/about.md": """\
        ---
        title: About
        ---
        [Unreachable](https://unreachable.invalid/page) and [mail](mailto:ada@example.org).
        """
        }
    )
    result = check(site, "--list-external")
    assert result.returncode == 0, result.stderr
    listed = dict(line.split("\t") for line in result.stdout.splitlines())
    assert listed["https://unreachable.invalid/page"] == "1"
    assert listed["mailto:ada@example.org"] == "1"
    assert "https://example.com/memoirs" in listed  # a source of an event
    assert f"{len(listed)} external links not fetched" in result.stderr


def test_content_errors_still_come_first_and_exit_1(make_site):
    site = make_site({"content/events/x.md": "---\ntitle: X\ndate: 2023-13\n---\n"})
    result = check(site)
    assert result.returncode == 1
    assert "content/events/x.md:3:7: error: `date`" in result.stderr


def test_the_projects_own_site_has_no_broken_reference():
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", "--base-url", "https://e.org/sub/"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "all resolve" in result.stderr and "warning" not in result.stderr


def test_html_files_copied_from_static_are_checked_in_place(make_site):
    site = make_site({"static/legacy.html": '<p>Old page.</p>\n<p><a href="/gone/">gone</a></p>\n'})
    result = check(site)
    assert errors(result) == [
        "static/legacy.html:2:13: error: broken link `/gone/`: nothing is built at /gone/ "
        "(on /legacy.html)"
    ]
