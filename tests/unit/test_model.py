"""The site model: references resolved both ways, drafts, tags, routes."""

from chronicle.incremental.files import FileCache
from chronicle.incremental.models import ModelCache
from chronicle.model.site import Site
from chronicle.reading.content import Content
from chronicle.reading.fields import tag_key
from chronicle.reading.loader import load_content
from chronicle.reading.settings import load_settings
from tests.conftest import messages


def test_unknown_reference_suggests_the_nearest_slug(make_site):
    report = make_site(
        {"content/events/x.md": "---\ntitle: X\ndate: 2020\npeople: [ada, charels]\n---\n"}
    ).errors()
    assert messages(report) == [
        "content/events/x.md:4:15: error: unknown person `charels`: no file "
        "content/people/charels.md; did you mean `charles`?"
    ]


def test_duplicate_slugs_within_a_kind_cite_the_first(make_site):
    report = make_site(
        {"content/people/ada2.md": "---\nname: Other Ada\nslug: ada\n---\n"}
    ).errors()
    assert messages(report) == [
        "content/people/ada2.md:3:1: error: slug `ada` is already used by "
        "content/people/ada.md:1; slugs are unique within people"
    ]


def test_the_same_slug_in_two_kinds_is_fine(make_site):
    make_site({"content/organizations/ada.md": "---\nname: Ada Inc\n---\n"}).build()


def test_a_reference_to_a_draft_warns_and_shows_the_name_unlinked(make_site):
    site = make_site(
        {"content/people/charles.md": "---\nname: Charles Babbage\ndraft: true\n---\n"}
    )
    result = site.build()
    assert "warning: person `charles` is a draft" in "\n".join(messages(result.report))
    event = site.page("events/meeting/index.html")
    assert '<span class="unlinked">Charles Babbage</span>' in event
    assert "/people/charles/" not in event
    assert not (site.out / "people/charles").exists()
    site.build(drafts=True)
    assert (site.out / "people/charles/index.html").exists()


def test_backlinks_are_computed_both_ways(make_site):
    result = make_site().build()
    site = result.site
    assert [e.slug for e in site.events_of_person["ada"]] == ["meeting", "notes"]
    assert [e.slug for e in site.events_of_org["engine-co"]] == ["engine-designed", "notes"]
    ties = {(m.person, m.org): m for m in site.memberships}
    assert ties[("charles", "engine-co")].founder
    assert ties[("ada", "engine-co")].role == "Programmer"


def test_timeline_runs_oldest_first_coarse_before_fine_then_by_slug(make_site):
    result = make_site(
        {"content/events/also-1843.md": "---\ntitle: Also\ndate: 1843\n---\n"}
    ).build()
    assert [e.slug for e in result.site.events] == [
        "meeting",
        "engine-designed",
        "also-1843",
        "year-of-notes",
        "notes",
    ]


def test_tags_are_one_whatever_their_case_and_spacing(make_site):
    result = make_site().build()
    assert tag_key("Deep Learning") == tag_key("deep-learning") == tag_key("DEEP  learning")
    assert tag_key("人工智慧") == "人工智慧"
    # Shown as first written, reading files in path order: events/notes.md before people/ada.md.
    assert result.site.tags["deep-learning"].label == "Deep Learning"
    assert [e.slug for e in result.site.tagged["deep-learning"]] == ["notes", "ada"]


def test_a_tag_that_cannot_be_a_path_is_an_error(make_site):
    report = make_site({"content/people/charles.md": "---\nname: C\ntags: [AI/ML]\n---\n"}).errors()
    assert "tag `AI/ML` cannot be a web address" in messages(report)[0]


def test_a_page_may_not_take_a_built_in_route(make_site):
    report = make_site({"content/pages/timeline.md": "---\ntitle: My timeline\n---\n"}).errors()
    assert messages(report) == [
        "content/pages/timeline.md:1:1: error: page slug `timeline` collides with the built-in "
        "route /timeline/: rename the file or set `slug:`"
    ]


def test_a_missing_photo_is_an_error(make_site):
    report = make_site(
        {"content/people/charles.md": "---\nname: C\nphoto: x/c.jpg\n---\n"}
    ).errors()
    assert messages(report) == [
        "content/people/charles.md:3:8: error: `photo`: `x/c.jpg` not found in content/media/"
    ]


def test_a_kept_model_tells_which_bodies_changed_until_pages_are_rendered(make_site):
    """The preview keeps its model while only bodies change, and names the entries whose
    body changed: the renderer then compares those alone. Two saves before a render (the
    first build failed before rendering) name both."""
    site = make_site()
    settings = load_settings(site.root)
    files, models = FileCache(watched=True), ModelCache()

    def rebuild(*changed: str) -> Site:
        for rel in changed:
            files.changed(site.root / rel)
        content, _ = load_content(site.root, settings, files)
        return models.build(content, settings)[0]

    first = rebuild()
    assert first.changed_bodies is None  # built anew: not known
    for rel in ("content/people/ada.md", "content/people/charles.md"):
        path = site.root / rel
        path.write_text(path.read_text() + "\nA new paragraph.\n")
        kept = rebuild(rel)
        assert kept is first
    assert first.changed_bodies == {("people", "ada"), ("people", "charles")}
    site.write("content/people/ada.md", "---\nname: Ada King\n---\nRenamed.\n")
    assert rebuild("content/people/ada.md").changed_bodies is None  # fields changed: anew


def test_a_watched_save_patches_the_last_content_and_keeps_the_model(make_site):
    """One file saved: the content is the last run's with that file's entry replaced, and
    the model, whose fields are unchanged, takes the new body without being built again.
    A file added lists the folders again, and builds the content and the model anew."""
    site = make_site()
    settings = load_settings(site.root)
    files, models = FileCache(watched=True), ModelCache()

    def rebuild(*changed: str) -> tuple[Content, Site]:
        for rel in changed:
            files.changed(site.root / rel)
        content, _ = load_content(site.root, settings, files)
        return content, models.build(content, settings)[0]

    first, model = rebuild()
    path = site.root / "content/people/charles.md"
    path.write_text(path.read_text() + "\nA new paragraph.\n")
    patched, kept = rebuild("content/people/charles.md")
    assert patched.based_on is first and kept is model
    assert [(old.slug, new.slug) for old, new in patched.replaced] == [("charles", "charles")]
    assert "A new paragraph." in model.people["charles"].body
    assert model.changed_bodies == {("people", "charles")}
    site.write("content/people/grace.md", "---\nname: Grace Hopper\n---\n")
    anew, rebuilt = rebuild("content/people/grace.md")
    assert anew.based_on is None and rebuilt is not model
    assert "grace" in rebuilt.people


def test_a_file_that_cannot_be_read_is_one_error_and_its_references_say_so(make_site):
    report = make_site(
        {"content/organizations/engine-co.md": "---\nname: [unclosed\n---\n"}
    ).errors()
    (error,) = report.errors
    assert error.location.path == "content/organizations/engine-co.md"
    references = [str(p) for p in report.warnings if "engine-co" in p.message]
    assert references, "the references to it are named"
    for text in references:
        assert "content/organizations/engine-co.md could not be read" in text
        assert "unknown" not in text and "did you mean" not in text and "no file" not in text
