"""Strict YAML: text stays as written, duplicates and aliases are reported with lines."""

import datetime as dt

import pytest

from chronicle.diagnostics import hint
from chronicle.errors import Hint, Location, Problem
from chronicle.reading.yamltree import Map, Scalar, Seq, YamlError, YamlProblem, parse, to_python


def fields(text: str, first_line: int = 2) -> Map:
    node, problems = parse(text, first_line)
    assert problems == []
    assert isinstance(node, Map)
    return node


@pytest.mark.parametrize("value", ["no", "NO", "yes", "0755", "12:30", "1.10", "2023", "~x"])
def test_scalars_keep_the_text_the_author_wrote(value):
    scalar = fields(f"role: {value}\n").entries["role"][1]
    assert isinstance(scalar, Scalar)
    assert scalar.text == value


def test_lines_count_from_the_real_file_line():
    node = fields("name: A\ntags:\n  - x\n", first_line=2)
    assert node.entries["name"][0].line == 2
    tags = node.entries["tags"][1]
    assert isinstance(tags, Seq)
    assert (tags.items[0].line, tags.items[0].col) == (4, 5)


def test_duplicate_keys_are_reported_with_both_lines():
    node, problems = parse("name: A\nrole: x\nname: B\n", 2)
    assert isinstance(node, Map)
    assert node.entries["name"][1].text == "A"  # type: ignore[union-attr]
    assert len(problems) == 1
    assert "lines 2 and 4" in problems[0].message
    assert problems[0].line == 4


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\n",
        "a: &a [*a]\n",
        "a: &x 1\n",
        "a: &a [1,1,1,1]\nb: &b [*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n",
    ],
)
def test_anchors_and_aliases_are_refused_before_anything_is_built(text):
    with pytest.raises(YamlError, match="anchors and aliases") as info:
        parse(text, 2)
    assert info.value.problem.line == 2


def test_python_tags_are_refused():
    _node, problems = parse("a: !!python/object/apply:os.system [echo]\n", 2)
    assert problems and "not accepted" in problems[0].message


def test_tab_indentation_gets_a_hint_to_use_spaces():
    with pytest.raises(YamlError, match="indent with spaces") as info:
        parse("tags:\n\t- a\n", 2)
    assert info.value.problem.line == 3


def test_an_unquoted_colon_gets_a_hint_to_quote():
    with pytest.raises(YamlError, match="must be quoted") as info:
        parse("title: Lesson: ship it: now\n", 2)
    assert info.value.problem.line == 2


def test_empty_document_is_none():
    assert parse("", 2) == (None, [])


@pytest.mark.parametrize(("value", "tag"), [("=", "value"), ("<<", "merge")])
def test_plain_values_that_yaml_reads_as_special_keys_are_refused(value, tag):
    _node, problems = parse(f"role: {value}\n", 2)
    assert [p.message for p in problems] == [
        f"YAML tag `tag:yaml.org,2002:{tag}` is not accepted: remove it and write a plain value"
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2023", 2023),
        ("1.5", 1.5),
        ("no", False),
        ("~", None),
        ("2023-02-01", dt.date(2023, 2, 1)),
        ("'2023'", "2023"),
        ("!!str 12", "12"),
        ("x = y", "x = y"),
        ("<b>", "<b>"),
    ],
)
def test_authors_own_fields_get_yaml_types_from_plain_text_only(text, value):
    """A plain scalar is typed when an author's own field is read (to_python), as YAML
    types it; quoted or tagged as text, it stays text."""
    node = fields(f"count: {text}\n").entries["count"][1]
    problems: list[YamlProblem] = []
    assert to_python(node, problems) == value
    assert type(to_python(node, problems)) is type(value)
    assert problems == []


@pytest.mark.parametrize(("text", "opened"), [("k: [a, b\n", "["), ("k: {a: 1\n", "{")])
def test_a_bracket_left_open_is_advised_to_be_closed(text: str, opened: str) -> None:
    with pytest.raises(YamlError) as info:
        parse(text, 1)
    assert info.value.problem.hint == Hint("yaml-open", (opened, "]" if opened == "[" else "}"))
    found = Problem(Location("f.md", 1, 4), "error", "x", info.value.problem.hint)
    assert f"close the `{opened}`" in hint(found)
