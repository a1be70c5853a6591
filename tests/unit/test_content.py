"""Content loading: each field read on its own terms, every problem with file and line."""

from chronicle.model.lint import lint
from tests.conftest import besides_authoring, messages


def test_the_small_site_builds_with_authoring_warnings_only(make_site):
    site = make_site()
    result = site.build()
    assert result.report.problems == lint(result.site, site.root).problems


def test_yaml_guesses_never_leak_into_text_fields(make_site):
    site = make_site(
        {
            "content/people/charles.md": """\
        ---
        name: 1.10
        role: no
        summary: 0755
        tags: [yes, 12:30]
        ---
        """
        }
    )
    site.build()
    page = site.page("people/charles/index.html")
    assert "<h1>1.10</h1>" in page
    assert '<p class="role">no</p>' in page
    assert "0755" in page
    assert ">yes</a>" in page and ">12:30</a>" in page


def test_wrong_types_and_unknown_fields_are_errors_with_locations(make_site):
    report = make_site(
        {
            "content/people/charles.md": """\
        ---
        name: [Charles]
        organisations: [engine-co]
        featured: yes
        tags: ai
        links: https://example.com
        ---
        """
        }
    ).errors()
    assert messages(report) == [
        "content/people/charles.md:2:7: error: `name` must be text, not a list",
        "content/people/charles.md:3:1: error: unknown field `organisations` "
        "(did you mean `organizations`?); put your own fields under `extra`",
        "content/people/charles.md:4:11: error: `featured` must be `true` or `false`, not `yes`",
        "content/people/charles.md:5:7: error: `tags` must be a list, e.g. `tags: [ai]`",
        "content/people/charles.md:6:8: error: `links` must be a mapping of `label: value` lines",
    ]


def test_missing_required_fields_are_named(make_site):
    report = make_site({"content/events/bad.md": "---\nsummary: x\n---\n"}).errors()
    assert messages(report) == [
        "content/events/bad.md:2:1: error: `date` is required",
        "content/events/bad.md:2:1: error: `title` is required",
    ]


def test_end_before_date_is_an_error_at_the_end_field(make_site):
    report = make_site(
        {"content/events/bad.md": "---\ntitle: T\ndate: 2023-07-10\nend: 2023-06\n---\n"}
    ).errors()
    assert messages(report) == [
        "content/events/bad.md:4:1: error: `end` (2023-06) is before `date` (2023-07-10)"
    ]


def test_impossible_dates_in_a_yaml_list_point_at_the_item_line(make_site):
    report = make_site(
        {
            "content/events/more.yaml": """\
        - slug: one
          title: One
          date: 2023-02-30
        - title: Two
          date: 2023
        """
        }
    ).errors()
    assert messages(report) == [
        "content/events/more.yaml:3:9: error: `date`: `2023-02-30` does not exist: "
        "February 2023 has 28 days",
        "content/events/more.yaml:4:3: error: `slug` is required",
    ]


def test_invalid_file_name_slug_suggests_a_name(make_site):
    report = make_site({"content/people/Ada_Byron.md": "---\nname: Ada\n---\n"}).errors()
    assert messages(report) == [
        "content/people/Ada_Byron.md:1:1: error: file name `Ada_Byron.md` does not make a valid "
        "slug: rename it to `ada-byron.md` or set `slug:` in the front matter"
    ]


def test_front_matter_slug_overrides_the_file_name(make_site):
    site = make_site({"content/people/Ada_Byron.md": "---\nname: Ada B\nslug: ada-b\n---\n"})
    site.build()
    assert "Ada B" in site.page("people/ada-b/index.html")


def test_extra_holds_the_authors_own_data(make_site):
    site = make_site(
        {
            "content/people/charles.md": """\
        ---
        name: Charles
        extra:
          born: 1791
          languages: [en, fr]
        ---
        """,
            "templates/person.html": "{% if person.extra %}{{ person.extra.born + 1 }} "
            "{{ person.extra.languages | join('+') }}{% endif %}",
        }
    )
    site.build()
    assert site.page("people/charles/index.html") == "1792 en+fr"


def test_links_accept_only_web_and_mail_addresses(make_site):
    report = make_site(
        {
            "content/people/charles.md": """\
        ---
        name: Charles
        links:
          site: javascript:alert(1)
          mail: mailto:c@example.org
        ---
        """
        }
    ).errors()
    assert messages(report) == [
        "content/people/charles.md:4:9: error: `links.site` must be an absolute http or https "
        "or mailto URL, not `javascript:alert(1)`"
    ]


def test_editor_temporary_files_are_ignored_and_stray_files_warned(make_site):
    site = make_site(
        {
            "content/people/.ada.md.swp": "x",
            "content/people/ada.md~": "x",
            "content/people/notes.txt": "x",
        }
    )
    result = site.build()
    assert besides_authoring(result, site.root) == [
        "content/people/notes.txt:1:1: warning: ignored: people/ holds only .md files"
    ]


def test_a_markdown_event_takes_its_text_from_the_body_not_a_field(make_site):
    report = make_site(
        {"content/events/x.md": "---\ntitle: X\ndate: 2020\nbody: Hi\n---\n"}
    ).errors()
    assert messages(report) == [
        "content/events/x.md:4:1: error: `body` is only for events in a YAML list: a .md "
        "event's text is what follows the front matter"
    ]


def test_a_parsed_file_is_kept_while_its_stamp_is_the_same(tmp_path):
    from chronicle.incremental.files import FileCache
    from chronicle.incremental.stamp import Stamp, stamp_of
    from chronicle.reading.content import Parsed

    path = tmp_path / "a.md"
    path.write_text("one", encoding="utf-8")
    cache, calls = FileCache(), []

    def parse() -> Parsed:
        calls.append(path.read_text(encoding="utf-8"))
        return Parsed()

    cache.parsed_file(str(path), parse)
    cache.parsed_file(str(path), parse)
    assert calls == ["one"]
    assert cache.parsed[str(path)][0] == stamp_of(str(path))
    assert isinstance(cache.parsed[str(path)][0], Stamp)
    path.write_text("two, longer", encoding="utf-8")
    cache.parsed_file(str(path), parse)
    assert calls == ["one", "two, longer"]


def test_a_folder_listing_is_kept_while_the_folder_stamp_is_the_same():
    from chronicle.incremental.files import FileCache
    from chronicle.incremental.stamp import Stamp

    cache, made = FileCache(), []

    def make() -> tuple[tuple[list[str], list], bool]:
        made.append(1)
        return (["a.md"], []), False

    folder = Stamp(1, 2, 3)
    assert cache.listing("people", folder, make) == (["a.md"], [])
    assert cache.listing("people", folder, make) == (["a.md"], [])
    assert len(made) == 1
    cache.listing("people", Stamp(1, 5, 3), make)
    assert len(made) == 2
