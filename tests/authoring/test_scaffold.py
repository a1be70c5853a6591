"""`build.py new`: a file with every field of the content model that builds as written."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chronicle.reading.kinds import written
from chronicle.scaffold import FOLDERS, file_text, slugify
from tests.conftest import PROJECT

SITE_TOML = 'title = "Scaffold"\nbase_url = "https://example.org/"\n'

# Every field the content model names, per kind (docs/content-model.md), and `aliases`.
CONTRACT = {
    "person": [
        "name", "role", "summary", "photo", "organizations", "links", "tags", "featured",
        "draft", "extra", "aliases",
    ],
    "organization": [
        "name", "founded", "founders", "url", "summary", "tags", "extra", "draft", "aliases",
    ],
    "event": [
        "title", "date", "end", "people", "organizations", "tags", "location", "summary",
        "sources", "draft", "extra", "aliases",
    ],
    "page": ["title", "summary", "extra", "draft", "aliases"],
}  # fmt: skip


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return root


def new(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("new", *args, "--site", str(site))


@pytest.mark.parametrize("kind", list(CONTRACT))
def test_each_kind_has_every_field_of_the_contract_and_builds(site: Path, kind: str) -> None:
    result = new(site, kind, "Ada Lovelace", "--date", "1843-09")
    assert result.returncode == 0, result.stderr
    path = site / "content" / FOLDERS[kind] / "ada-lovelace.md"
    assert f"content/{FOLDERS[kind]}/ada-lovelace.md" in result.stdout
    text = path.read_text(encoding="utf-8")
    for name in CONTRACT[kind]:
        assert re.search(rf"^(# )?{name}:", text, re.MULTILINE), f"{kind}: no `{name}`"
    built = run("build", "--site", str(site), "--out", str(site.parent / "out"))
    assert built.returncode == 0, built.stderr
    address = "ada-lovelace" if kind == "page" else f"{FOLDERS[kind]}/ada-lovelace"
    assert (site.parent / "out" / address / "index.html").is_file()


@pytest.mark.parametrize("kind", list(CONTRACT))
def test_the_commented_examples_build_once_uncommented(site: Path, kind: str) -> None:
    """The comments are real examples: uncomment every field and the file still reads
    (references aside, which need other entries)."""
    assert new(site, kind, "Ada Lovelace").returncode == 0
    path = site / "content" / FOLDERS[kind] / "ada-lovelace.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^# ?", "", text, flags=re.MULTILINE)
    for field in ("photo", "organizations", "founders", "people"):  # references: drop them
        text = re.sub(rf"^{field}:.*\n(  .*\n)*", "", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    built = run("build", "--site", str(site), "--out", str(site.parent / "out"))
    assert built.returncode == 0, built.stderr


def test_an_event_is_dated_today_unless_told(site: Path) -> None:
    assert new(site, "event", "Launch").returncode == 0
    text = (site / "content/events/launch.md").read_text(encoding="utf-8")
    assert re.search(rf"^date: {dt.date.today().isoformat()}\b", text, re.MULTILINE)
    assert new(site, "event", "Founding", "--date", "2023").returncode == 0
    assert "\ndate: 2023 " in (site / "content/events/founding.md").read_text(encoding="utf-8")


def test_a_name_stays_text_whatever_it_holds(site: Path) -> None:
    name = 'No: "quoted" #1'
    assert new(site, "person", name, "--slug", "no").returncode == 0
    built = run("build", "--site", str(site), "--out", str(site.parent / "out"))
    assert built.returncode == 0, built.stderr
    page = (site.parent / "out/people/no/index.html").read_text(encoding="utf-8")
    assert "No: &#34;quoted&#34; #1" in page or "No: &quot;quoted&quot; #1" in page


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("Zoë Ångström-Núñez", "zoe-angstrom-nunez"),
        ("  Élodie   O'Brien  ", "elodie-o-brien"),
        ("Straße & Œuvre Ltd.", "strasse-oeuvre-ltd"),
        ("伊戈爾 Igor Babuschkin", "igor-babuschkin"),
        ("xAI", "xai"),
        ("R2-D2", "r2-d2"),
    ],
)
def test_slugs_come_from_the_latin_letters_of_the_name(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["伊戈爾·巴布什金", "Илья", "1984", "—"])
def test_a_name_without_latin_letters_needs_a_slug(site: Path, name: str) -> None:
    result = new(site, "person", name)
    assert result.returncode == 2
    assert "no Latin letters" in result.stderr and "--slug" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((site / "content").rglob("*.md"))
    given = new(site, "person", name, "--slug", "someone")
    assert given.returncode == 0, given.stderr
    assert (site / "content/people/someone.md").is_file()


def test_a_long_name_makes_a_slug_of_at_most_80_characters() -> None:
    slug = slugify("word " * 40)
    assert slug is not None and len(slug) <= 80 and not slug.endswith("-")


def test_it_never_overwrites(site: Path) -> None:
    assert new(site, "organization", "Engine Co").returncode == 0
    path = site / "content/organizations/engine-co.md"
    path.write_text("---\nname: Mine\n---\nkept\n", encoding="utf-8")
    again = new(site, "organization", "Engine Co")
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == "---\nname: Mine\n---\nkept\n"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["person", "Ada", "--slug", "Ada Lovelace"], "not a valid slug"),
        (["event", "Launch", "--date", "2023-13"], "month 13"),
        (["event", "Launch", "--date", "last spring"], "not a date"),
        (["page", "Timeline"], "built-in route"),
        (["page", "Search"], "built-in route"),
        (["person", "   "], "needs a name"),
    ],
)
def test_bad_input_exits_2_with_a_reason(site: Path, args: list[str], words: str) -> None:
    result = new(site, *args)
    assert result.returncode == 2, result
    assert words in result.stderr
    assert not list((site / "content").rglob("*.md"))


def test_it_needs_a_site_root(tmp_path: Path) -> None:
    result = run("new", "person", "Ada", "--site", str(tmp_path))
    assert result.returncode == 2
    assert "site.toml" in result.stderr


def test_new_appears_in_the_help() -> None:
    result = run("new", "--help")
    assert result.returncode == 0
    for option in ("--slug", "--date", "--site", "person", "organization", "event", "page"):
        assert option in result.stdout


@pytest.mark.parametrize("kind", list(CONTRACT))
def test_the_file_follows_the_table_of_fields(kind: str) -> None:
    """A field added to the table (kinds.py) is in each new file, in the table's order."""
    text = file_text(kind, "Ada", "ada", "2023")
    found = [m.group(1) for m in re.finditer(r"^(?:# )?(\w+):", text, re.MULTILINE)]
    assert found == [f.name for f in written(FOLDERS[kind])]


@pytest.mark.parametrize("slug", ["al", "grace-murray-hopper"])
def test_the_notes_after_the_examples_line_up_whatever_the_slug(slug: str) -> None:
    text = file_text("person", "Name", slug, "2023-07-12")
    columns = {line.index("  # ") + 2 for line in text.splitlines() if "  # " in line}
    assert columns == {48}, text
