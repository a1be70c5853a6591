"""Error reporting, settings, the output folder guard and route collisions.

Contract: "Every problem found is reported, not just the first, as
`path:line:col: error: message` (path relative to the site root), and the build exits
non-zero without touching the previous output/." "Exit status: 0 built, 1 content or
template errors, 2 bad usage or settings (no `content/`, bad `site.toml`, an output
folder it may not replace)." "a folder that is neither empty nor a previous build is
never replaced without `--force`." "`site.toml` needs only `title` and `base_url`
(absolute http or https ...) ... an unknown key is an error." "a page slug that would
collide with a built-in route or a language tag is an error."
"""

from __future__ import annotations

import shutil

import pytest

BROKEN_FILES = {
    "content/people/grace.md": "---\nname: Grace Hopper\norganisations: []\n---\n",
    "content/events/bad-date.md": "---\ntitle: Bad Date\ndate: 2023-13\n---\n",
    "content/organizations/guild.md": "---\nname: Guild\nfounders: [charls]\n---\n",
}

# ---------------------------------------------------------------- reporting


def test_every_broken_file_is_reported_in_one_run(make_site):
    site = make_site(BROKEN_FILES)

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/people/grace.md", line=3)
    result.expect_error("content/events/bad-date.md", line=3)
    result.expect_error("content/organizations/guild.md", line=3)


def test_error_paths_are_relative_to_the_site_root_with_forward_slashes(make_site):
    site = make_site(BROKEN_FILES)

    result = site.build()

    assert result.errors, result
    for e in result.errors:
        assert not e.path.startswith("/"), e
        assert "\\" not in e.path, e
        assert str(site.root) not in e.path, e
        assert e.line >= 1 and e.col >= 1, e


def test_check_reports_the_same_errors_and_writes_nothing(make_site):
    site = make_site(BROKEN_FILES)

    result = site.check()

    assert result.code == 1, result
    assert {e.path for e in result.errors} >= set(BROKEN_FILES), result
    assert not (site.root / "output").exists()
    assert not site.out.exists()


def test_a_failed_build_leaves_the_previous_output_byte_for_byte(make_site, tree):
    site = make_site()
    first = site.build()
    assert first.code == 0, first
    before = tree(site.out)
    site.write("content/events/bad-date.md", BROKEN_FILES["content/events/bad-date.md"])
    site.write("content/people/ada.md", "---\nname: Ada Lovelace\nrole: Changed\n---\n")

    second = site.build()

    assert second.code == 1, second
    assert tree(site.out) == before


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(
    "toml",
    [
        pytest.param('title = "No Base URL"\n', id="missing-base_url"),
        pytest.param('base_url = "https://example.org/"\n', id="missing-title"),
        pytest.param('title = "T"\nbase_url = "/sub/"\n', id="relative-base_url"),
        pytest.param(
            'title = "T"\nbase_url = "https://example.org/"\ntitel = "x"\n', id="unknown-key"
        ),
        pytest.param('title = "T"\nbase_url = "https://example.org/\n', id="invalid-toml"),
    ],
)
def test_bad_settings_exit_with_status_2(make_site, toml):
    site = make_site({"site.toml": toml})

    result = site.build()

    assert result.code == 2, result
    assert result.stderr.strip(), result
    assert not (site.out / "index.html").exists()


def test_an_unknown_setting_is_named_in_the_message(make_site):
    site = make_site({"site.toml": 'title = "T"\nbase_url = "https://example.org/"\ntitel = "x"\n'})

    result = site.build()

    assert result.code == 2, result
    assert "titel" in result.stderr


def test_a_missing_site_toml_exits_with_status_2(make_site):
    site = make_site()
    site.remove("site.toml")

    result = site.build()

    assert result.code == 2, result


def test_a_missing_content_folder_exits_with_status_2(make_site):
    site = make_site(base=False)
    shutil.rmtree(site.root / "content")

    result = site.build()

    assert result.code == 2, result
    assert not (site.out / "index.html").exists()


def test_bad_usage_exits_with_status_2(make_site):
    site = make_site()

    unknown_option = site.run("build", "--site", str(site.root), "--no-such-option")
    unknown_command = site.run("no-such-command", "--site", str(site.root))

    assert unknown_option.code == 2, unknown_option
    assert unknown_command.code == 2, unknown_command


# ---------------------------------------------------------------- the output folder


def test_a_non_empty_folder_that_is_not_a_build_is_refused_and_untouched(make_site, tree):
    site = make_site()
    site.out.mkdir()
    (site.out / "precious.txt").write_text("do not delete\n", encoding="utf-8")
    (site.out / "notes").mkdir()
    (site.out / "notes" / "more.txt").write_text("keep me too\n", encoding="utf-8")
    before = tree(site.out)

    result = site.build()

    assert result.code == 2, result
    assert tree(site.out) == before


def test_force_replaces_a_folder_that_is_not_a_build(make_site):
    site = make_site()
    site.out.mkdir()
    (site.out / "precious.txt").write_text("replace me\n", encoding="utf-8")

    result = site.build("--force")

    assert result.code == 0, result
    assert site.has("/people/ada/")


def test_an_empty_output_folder_is_used(make_site):
    site = make_site()
    site.out.mkdir()

    result = site.build()

    assert result.code == 0, result
    assert site.has("/")


# ---------------------------------------------------------------- route collisions


@pytest.mark.parametrize("slug", ["people", "timeline", "tags"])
def test_a_page_slug_colliding_with_a_built_in_route_is_an_error(make_site, slug):
    site = make_site({f"content/pages/{slug}.md": f"---\ntitle: My {slug}\n---\nText.\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error(f"content/pages/{slug}.md")


def test_a_page_slug_set_in_front_matter_is_also_checked_for_collisions(make_site):
    site = make_site({"content/pages/chronology.md": "---\ntitle: Mine\nslug: timeline\n---\n"})

    result = site.build()

    assert result.code == 1, result
    result.expect_error("content/pages/chronology.md")
