"""Characters written as escapes (YAML `"\\x01"`, `"\\uFFFE"`, `"\\x85"`; TOML `\\u0001`) in any
text field of any kind, or in the site's title and description: the build either refuses
them with an error at the file that holds them, or every output stays well formed: each XML
file (feeds, sitemaps) and JSON file (feeds, exports) parses, the calendar's lines hold no
bare CR or LF, and the search documents hold no character XML forbids."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle.errors import BuildError, SettingsError
from chronicle.pipeline import BuildOptions, prepare
from tests.robustness.conftest import SITE_TOML, VALID_SITE, write_files

# Every text field of every kind, as a file holding `{v}` where a double-quoted YAML
# scalar's content goes (one field at a time; the rest of the site stays valid).
PERSON = "---\nname: Ada Lovelace\n{field}\n---\nBody.\n"
ORGANIZATION = "---\nname: Engine Company\n{field}\n---\nBody.\n"
EVENT = "---\ntitle: The Notes\ndate: 1843-09\n{field}\n---\nBody.\n"
PAGE = "---\ntitle: About\n{field}\n---\nBody.\n"
FIELDS: dict[str, tuple[str, str]] = {
    "person name": ("content/people/ada.md", '---\nname: "{v}"\n---\nBody.\n'),
    "person role": ("content/people/ada.md", PERSON.format(field='role: "{v}"')),
    "person summary": ("content/people/ada.md", PERSON.format(field='summary: "{v}"')),
    "person tag": ("content/people/ada.md", PERSON.format(field='tags: ["{v}"]')),
    "person link label": (
        "content/people/ada.md",
        PERSON.format(field='links:\n  "{v}": https://example.com/'),
    ),
    "person organization role": (
        "content/people/ada.md",
        PERSON.format(field='organizations:\n  - {org: engine-co, role: "{v}"}'),
    ),
    "person extra": ("content/people/ada.md", PERSON.format(field='extra:\n  born: "{v}"')),
    "organization name": ("content/organizations/engine-co.md", '---\nname: "{v}"\n---\nB.\n'),
    "organization summary": (
        "content/organizations/engine-co.md",
        ORGANIZATION.format(field='summary: "{v}"'),
    ),
    "organization tag": (
        "content/organizations/engine-co.md",
        ORGANIZATION.format(field='tags: ["{v}"]'),
    ),
    "event title": ("content/events/notes.md", '---\ntitle: "{v}"\ndate: 1843-09\n---\nB.\n'),
    "event location": ("content/events/notes.md", EVENT.format(field='location: "{v}"')),
    "event summary": ("content/events/notes.md", EVENT.format(field='summary: "{v}"')),
    "event tag": ("content/events/notes.md", EVENT.format(field='tags: ["{v}"]')),
    "event source title": (
        "content/events/notes.md",
        EVENT.format(field='sources:\n  - {title: "{v}", url: "https://example.com/"}'),
    ),
    "listed event title": (
        "content/events/list.yaml",
        '- slug: listed\n  title: "{v}"\n  date: 1837\n',
    ),
    "listed event body": (
        "content/events/list.yaml",
        '- slug: listed\n  title: Listed\n  date: 1837\n  body: "{v}"\n',
    ),
    "page title": ("content/pages/about.md", '---\ntitle: "{v}"\n---\nBody.\n'),
    "page summary": ("content/pages/about.md", PAGE.format(field='summary: "{v}"')),
    "page tag": ("content/pages/about.md", PAGE.format(field='tags: ["{v}"]')),
    "site title": ("site.toml", 'title = "{v}"\nbase_url = "https://example.org/"\n'),
    "site description": ("site.toml", SITE_TOML + 'description = "{v}"\n'),
}

_NAMED = ["\\0", "\\a", "\\b", "\\e", "\\v", "\\f", "\\r", "\\n", "\\t", "\\N", "\\_", "\\L"]
_NAMED += ["\\P", "\\u2028", "\\u202E", "\\U0010FFFF", "\\U0001FFFE", '\\"', "\\\\"]
yaml_escape = st.one_of(
    st.sampled_from(
        [*_NAMED, "\\x01", "\\x1f", "\\x7f", "\\x85", "\\x9f", "\\uFFFE", "\\uFFFF", "\\uFDD0"]
    ),
    st.integers(0, 0xFF).map(lambda n: f"\\x{n:02x}"),
    st.integers(0, 0xFFFF).filter(lambda n: not 0xD800 <= n <= 0xDFFF).map(lambda n: f"\\u{n:04X}"),
)
toml_escape = st.one_of(
    st.sampled_from(["\\b", "\\t", "\\n", "\\f", "\\r", '\\"', "\\\\", "\\u0085", "\\uFFFE"]),
    st.integers(0, 0xFFFF).filter(lambda n: not 0xD800 <= n <= 0xDFFF).map(lambda n: f"\\u{n:04X}"),
    st.sampled_from(["\\U0001FFFF", "\\U0010FFFE", "\\U000E0001"]),
)
plain = st.sampled_from(["a", " ", "<", "&", "]]>", "Ω", "'", "--"])

# Characters no XML 1.0 document may hold, and C1 controls and noncharacters besides.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]"
    "|[\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)
_counter = itertools.count()


def escaped_text(escape: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(escape, plain), min_size=1, max_size=6).map("".join)


def check_outputs(rendered: dict[str, bytes], docs: dict[str, bytes]) -> None:
    """Every XML output parses, every JSON output loads, every calendar line is one line."""
    for rel, data in rendered.items():
        if rel.endswith(".xml"):
            ET.fromstring(data)  # raises ParseError on a forbidden character
        elif rel.endswith(".json"):
            json.loads(data.decode("utf-8"))
        elif rel.endswith(".ics"):
            text = data.decode("utf-8")
            assert text.endswith("\r\n"), rel
            for line in text[:-2].split("\r\n"):
                assert "\r" not in line and "\n" not in line, (rel, line)
                assert not re.search("[\x00-\x08\x0a-\x1f\x7f]", line), (rel, line)
    for rel, data in docs.items():
        assert not FORBIDDEN.search(data.decode("utf-8")), rel


def build_with(workdir: Path, rel: str, text: str) -> None:
    """Build the valid site with `rel` replaced by `text`: a located error at `rel`, or
    well-formed outputs."""
    root = workdir / f"site-{next(_counter)}"
    write_files(root, {**VALID_SITE, rel: text})
    try:
        result = prepare(BuildOptions(site_root=root, search=True))
    except BuildError as error:
        problems = error.report.errors
        assert problems, "a build error names at least one problem"
        assert {p.location.path for p in problems} == {rel}, [str(p) for p in problems]
        assert all(p.location.line >= 1 and p.location.col >= 1 for p in problems)
        return
    except SettingsError as error:
        assert rel == "site.toml", str(error)
        assert all(p.location.path == "site.toml" for p in error.problems), str(error)
        return
    finally:
        shutil.rmtree(root, ignore_errors=True)
    check_outputs(dict(result.plan.rendered), dict(result.search_docs))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("escapes")


@pytest.mark.parametrize("field", FIELDS)
@settings(
    # Each example builds a site, for each of some twenty fields: a twentieth of the
    # profile's examples each (tests/conftest.py).
    max_examples=max(settings.default.max_examples // 20, 3),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_an_escaped_character_is_refused_at_its_file_or_every_output_stays_well_formed(
    workdir: Path, field: str, data: st.DataObject
) -> None:
    rel, template = FIELDS[field]
    value = data.draw(escaped_text(toml_escape if rel == "site.toml" else yaml_escape))
    build_with(workdir, rel, template.replace("{v}", value))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("escape", ["\\x01", "\\x85", "\\uFFFE"])
def test_the_escapes_named_in_the_contract_are_refused_at_their_file(
    workdir: Path, field: str, escape: str
) -> None:
    """The classic three, in every field: refused (a YAML `\\x01` is a TOML `\\u0001`)."""
    rel, template = FIELDS[field]
    if rel == "site.toml":
        escape = "\\u" + f"{int(escape[2:], 16):04X}"
    text = template.replace("{v}", f"Before{escape}after")
    root = workdir / f"site-{next(_counter)}"
    write_files(root, {**VALID_SITE, rel: text})
    try:
        with pytest.raises((BuildError, SettingsError)) as error:
            prepare(BuildOptions(site_root=root, search=True))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    problems = (
        error.value.report.errors if isinstance(error.value, BuildError) else error.value.problems
    )
    assert [p.location.path for p in problems] == [rel], [str(p) for p in problems]
    assert "U+" in problems[0].message
