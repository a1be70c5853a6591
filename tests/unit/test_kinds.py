"""The table of fields (kinds.py) is the one statement of the content model: reading, the
hints, `build.py new` and the docs follow it."""

from __future__ import annotations

import re

import pytest

from chronicle.reading.kinds import KINDS, NOUNS, TABLE, TRANSLATABLE, accepted, listed, markdown
from tests.conftest import PROJECT

DOC = PROJECT / "docs" / "content-model.md"


def test_each_kind_names_each_field_once_with_a_meaning() -> None:
    for kind in KINDS:
        names = accepted(kind)
        assert len(names) == len(set(names)), kind
        assert all(f.meaning for f in TABLE[kind].fields), kind
        assert set(TRANSLATABLE[kind]) <= set(names)
    assert NOUNS == {"people": "person", "organizations": "organization", "events": "event",
                     "pages": "page"}  # fmt: skip


def test_hints_list_a_kinds_own_fields_and_tags() -> None:
    assert listed("people") == "name, role, summary, photo, organizations, links, tags, featured"
    assert listed("pages") == "title, summary, tags"


def test_the_markdown_table_has_a_row_per_field() -> None:
    rows = markdown("events").splitlines()[2:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == list(accepted("events"))


@pytest.mark.skipif(not DOC.is_file(), reason="docs/content-model.md is not written yet")
def test_the_docs_name_every_field_of_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{kind}.{name}"
        for kind in KINDS
        for name in accepted(kind)
        if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
    ]
    assert not missing, f"docs/content-model.md does not mention: {', '.join(missing)}"
