"""Incremental rebuilds never trade correctness: after each of a long run of random edits,
the pages rebuilt from the caches are byte for byte those of a cold build."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from chronicle.errors import BuildError
from chronicle.incremental.deps import RenderCache
from chronicle.incremental.files import FileCache
from chronicle.incremental.memory import Memory
from chronicle.incremental.models import ModelCache
from chronicle.pipeline import BuildOptions, BuildResult, prepare
from tests.conftest import SiteDir

Edit = Callable[[SiteDir, random.Random], list[str]]  # returns the paths it touched


def _people(site: SiteDir) -> list[str]:
    return sorted(p.stem for p in (site.root / "content/people").glob("*.md") if "." not in p.stem)


def edit_body(site: SiteDir, rng: random.Random) -> list[str]:
    rel = f"content/people/{rng.choice(_people(site))}.md"
    path = site.root / rel
    path.write_text(path.read_text() + f"\nMore words {rng.randint(0, 10**6)}.\n")
    return [rel]


def rename_person(site: SiteDir, rng: random.Random) -> list[str]:
    rel = f"content/people/{rng.choice(_people(site))}.md"
    path = site.root / rel
    lines = path.read_text().split("\n")
    lines = [f"name: Someone {rng.randint(0, 999)}" if x.startswith("name:") else x for x in lines]
    path.write_text("\n".join(lines))
    return [rel]


def add_event(site: SiteDir, rng: random.Random) -> list[str]:
    slug = f"new-{rng.randint(0, 10**6)}"
    who = rng.choice(_people(site))
    date = rng.choice(["1840", "1841-03", "1842-05-06", "1833-06-05"])
    rel = f"content/events/{slug}.md"
    site.write(
        rel, f"---\ntitle: Event {slug}\ndate: {date}\npeople: [{who}]\ntags: [Extra]\n---\nText.\n"
    )
    return [rel]


def delete_event(site: SiteDir, rng: random.Random) -> list[str]:
    events = sorted((site.root / "content/events").glob("*.md"))
    if not events:
        return add_event(site, rng)
    path = rng.choice(events)
    path.unlink()
    return [path.relative_to(site.root).as_posix()]


def redate_event(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "content/events/meeting.md"
    path = site.root / rel
    if not path.exists():
        return add_event(site, rng)
    date = rng.choice(["1833-06-05", "1850", "1820-01"])
    lines = [f"date: {date}" if x.startswith("date:") else x for x in path.read_text().split("\n")]
    path.write_text("\n".join(lines))
    return [rel]


def toggle_featured(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "content/people/ada.md"
    path = site.root / rel
    text = path.read_text()
    text = (
        text.replace("featured: true", "featured: false")
        if "featured: true" in text
        else text.replace("featured: false", "featured: true")
    )
    path.write_text(text)
    return [rel]


def translate(site: SiteDir, rng: random.Random) -> list[str]:
    rel = f"content/people/{rng.choice(_people(site))}.zh-hant.md"
    path = site.root / rel
    if path.exists():
        path.unlink()
    else:
        site.write(rel, f"---\nname: 譯名{rng.randint(0, 99)}\n---\n中文傳記。\n")
    return [rel]


def override_template(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "templates/person.html"
    path = site.root / rel
    if path.exists():
        path.unlink()
    else:
        site.write(
            rel,
            '{% extends "base.html" %}{% block main %}<h1>{{ person.name }}</h1>'
            "{% for e in site.events_of_person(person) %}{{ e.title }};{% endfor %}{% endblock %}",
        )
    return [rel]


def rename_org(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "content/organizations/engine-co.md"
    site.write(rel, f"---\nname: Engines {rng.randint(0, 99)}\nfounders: [charles]\n---\nBody.\n")
    return [rel]


def draft_charles(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "content/people/charles.md"
    path = site.root / rel
    if not path.exists():
        return []
    text = path.read_text()
    text = (
        text.replace("draft: true\n", "")
        if "draft: true" in text
        else text.replace("---\n", "---\ndraft: true\n", 1)
    )
    path.write_text(text)
    return [rel]


def break_and_fix(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "content/people/broken.md"
    path = site.root / rel
    if path.exists():
        path.unlink()
    else:
        site.write(rel, "---\nname: [unclosed\n---\n")
    return [rel]


def edit_page_title(site: SiteDir, rng: random.Random) -> list[str]:
    rel = "content/pages/about.md"
    site.write(rel, f"---\ntitle: About {rng.randint(0, 99)}\n---\nAbout text.\n")
    return [rel]


def edit_settings(site: SiteDir, rng: random.Random) -> list[str]:
    site.write(
        "site.toml",
        'title = "Test Site"\nbase_url = "https://example.org/"\n'
        f'languages = ["en", "zh-hant"]\ndescription = "Take {rng.randint(0, 99)}"\n',
    )
    return ["site.toml"]


EDITS: list[Edit] = [
    edit_body,
    rename_person,
    add_event,
    delete_event,
    redate_event,
    toggle_featured,
    translate,
    override_template,
    rename_org,
    draft_charles,
    break_and_fix,
    edit_page_title,
    edit_settings,
]


def outcome(result: BuildResult | BuildError) -> object:
    if isinstance(result, BuildError):
        return sorted(str(p) for p in result.report.problems)
    # Copied files by their source too: a card is named by what it shows, so a stale card
    # would show up here as another file.
    return (result.plan.rendered, sorted((k, str(v)) for k, v in result.plan.copied.items()))


def attempt_cold(options: BuildOptions) -> BuildResult | BuildError:
    """A build that keeps nothing from earlier ones."""
    return attempt(options)


def attempt(
    options: BuildOptions,
    files: FileCache | None = None,
    models: ModelCache | None = None,
    pages: RenderCache | None = None,
) -> BuildResult | BuildError:
    try:
        memory = Memory(files, pages, models) if files is not None else None
        return prepare(options, memory)
    except BuildError as exc:
        return exc


@pytest.mark.parametrize(
    ("seed", "watched"),
    # watched: told of every changed path, as the preview's watcher does (nothing stat'ed);
    # not watched: every file's signature checked, as a build in a fresh process would.
    [(1, True), (2, True), (3, False), (4, False)],
)
def test_incremental_builds_match_cold_builds_after_every_edit(make_site, seed, watched):
    site = make_site()
    edit_settings(site, random.Random(0))
    options = BuildOptions(site_root=site.root)
    files = FileCache(watched=watched)
    models = ModelCache()
    pages = RenderCache()
    rng = random.Random(seed)
    reused = 0
    for step in range(40):
        edit = rng.choice(EDITS)
        for rel in edit(site, rng):
            if watched:
                files.changed(site.root / rel)
        incremental = attempt(options, files, models, pages)
        cold = attempt_cold(options)
        assert outcome(incremental) == outcome(cold), f"step {step}: {edit.__name__}"
        reused += isinstance(incremental, BuildResult) and incremental.rendered < incremental.pages
    assert reused >= 5, "the cache was hardly used: the comparison proved little"


def test_an_unchanged_site_renders_nothing_again(make_site):
    site = make_site()
    options = BuildOptions(site_root=site.root)
    files = FileCache(watched=True)
    memory = Memory(files, RenderCache())
    first = prepare(options, memory)
    again = prepare(options, memory)
    assert first.rendered > 20
    assert again.rendered == 0
    assert again.plan.rendered == first.plan.rendered


def test_a_body_edit_renders_only_the_pages_that_show_it(make_site):
    site = make_site()
    options = BuildOptions(site_root=site.root)
    files = FileCache(watched=True)
    memory = Memory(files, RenderCache())
    prepare(options, memory)
    site.write(
        "content/people/charles.md", "---\nname: Charles Babbage\nrole: Inventor\n---\nNew.\n"
    )
    files.changed(site.root / "content/people/charles.md")
    result = prepare(options, memory)
    # his page, the lists that iterate all people, the feed (reads everything)
    assert result.rendered <= 6, result.rendered


def test_a_biography_edit_renders_only_the_biographys_page(make_site):
    """Lists, timelines and tag pages show a person's name and summary, not the body: an
    edit of the body alone leaves them as they are."""
    site = make_site()
    options = BuildOptions(site_root=site.root)
    files = FileCache(watched=True)
    memory = Memory(files, RenderCache(), ModelCache())
    first = prepare(options, memory)
    path = site.root / "content/people/charles.md"
    path.write_text(path.read_text() + "\nA new paragraph about the engines.\n")
    files.changed(path)
    result = prepare(options, memory)
    assert result.site is first.site  # the kept model, with the new body put in
    changed = sorted(
        p for p, data in result.plan.rendered.items() if first.plan.rendered[p] != data
    )
    assert changed == ["people/charles/index.html"]
    assert result.rendered == 1
    assert b"A new paragraph about the engines." in result.plan.rendered[changed[0]]
