"""Property tests: whatever the input, the readers either succeed or raise the project's
own error, with a location. Needs `hypothesis` (a dev dependency)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chronicle.reading.dates import DateError, PartialDate, parse_date
from chronicle.reading.fields import MAX_SLUG, check_slug, suggest_slug
from chronicle.reading.frontmatter import SourceError, read_text, split
from chronicle.reading.yamltree import (
    Map,
    Node,
    Scalar,
    Seq,
    YamlError,
    YamlProblem,
    parse,
    to_python,
)

# The number of examples and the seed come from the profile (tests/conftest.py): fixed by
# default, random and ten times more with HYPOTHESIS_PROFILE=random.
PROPERTY = settings(
    deadline=None,
    database=None,  # write nothing into the project
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Text as read from a file: any Unicode scalar value (a decoded file holds no surrogates).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)


def _lines(text: str) -> int:
    return text.count("\n") + 1


# --------------------------------------------------------------------------- front matter

FRONT_PIECES = [
    "---",
    "--- ",
    "---\t",
    " ---",
    "----",
    "\ufeff---",
    "",
    "name: Ada",
    "title: Lesson: ship it",
    "...",
    "\r",
    "- a",
    "body text",
]
front_like = st.lists(st.sampled_from(FRONT_PIECES) | st.text(max_size=8), max_size=12).map(
    "\n".join
)


@PROPERTY
@given(text=any_text | front_like)
def test_split_either_splits_faithfully_or_raises_a_located_source_error(text: str) -> None:
    try:
        parts = split(text)
    except SourceError as exc:
        assert exc.message
        assert 1 <= exc.line <= _lines(text)
        assert exc.col >= 1
        return
    lines = text.split("\n")
    closing = parts.body_line - 2  # index of the closing fence
    assert lines[0].rstrip() == "---"
    assert 1 <= closing < len(lines)
    assert lines[closing].rstrip() == "---"
    assert parts.front_line == 2
    assert parts.front == "\n".join(lines[1:closing])
    assert parts.body == "\n".join(lines[closing + 1 :])
    assert all(line.rstrip() != "---" for line in lines[1:closing])


BYTE_PIECES = [
    b"---\n",
    b"\r\n",
    b"\r",
    b"\n",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xc3\xa9",
    b"\xe2\x82",
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\x00",
    b"name: Ada\n",
]
file_bytes = st.binary(max_size=300) | st.lists(
    st.sampled_from(BYTE_PIECES) | st.binary(max_size=4), max_size=20
).map(b"".join)


@pytest.fixture(scope="module")
def scratch_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("read_text") / "file.md"


@PROPERTY
@given(data=file_bytes)
def test_read_text_returns_clean_text_or_raises_a_located_source_error(
    data: bytes, scratch_file: Path
) -> None:
    scratch_file.write_bytes(data)
    try:
        text = read_text(scratch_file)
    except SourceError as exc:
        assert exc.message
        assert 1 <= exc.line <= data.count(b"\n") + 1
        line_bytes = data.split(b"\n")[exc.line - 1]
        assert 1 <= exc.col <= len(line_bytes) + 1
        return
    assert "\r" not in text
    assert text == data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace(
        "\r", "\n"
    )


# --------------------------------------------------------------------------- dates

date_like = st.from_regex(
    r"\A\s?-?[0-9]{1,5}(-[0-9]{1,3}(-[0-9]{1,3})?)?"
    r"([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\s?\Z"
)
calendar_like = st.builds(
    lambda y, m, d, form: [f"{y:04d}", f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-{d:02d}"][form],
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 2),
)
unicode_digit_dates = st.from_regex(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")
any_date_text = any_text | date_like | calendar_like | unicode_digit_dates

ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def _check_date(date: PartialDate) -> None:
    assert 1 <= date.year <= 9999
    assert date.month is None or 1 <= date.month <= 12
    assert date.day is None or date.month is not None
    assert date.first_day() <= date.last_day()
    assert parse_date(date.iso()) == date


@PROPERTY
@given(text=any_date_text)
def test_parse_date_returns_a_real_date_or_raises_date_error(text: str) -> None:
    try:
        date = parse_date(text)
    except DateError as exc:
        assert f"`{text.strip()}`" in str(exc), "the message quotes what was written"
        return
    _check_date(date)


@PROPERTY
@example(text="٢٠٢٣")
@example(text="２０２３-０７")
@given(text=any_date_text)
def test_an_accepted_date_is_written_as_yyyy_mm_dd_in_ascii(text: str) -> None:
    try:
        date = parse_date(text)
    except DateError:
        return
    assert ISO_DATE.fullmatch(text.strip()), f"{text!r} was accepted as {date}"
    assert date.iso() == text.strip()


@PROPERTY
@given(year=st.integers(1, 9999), month=st.integers(1, 12), day=st.integers(1, 31))
def test_every_calendar_day_parses_and_no_other_day_does(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        real = datetime.date(year, month, day)
    except ValueError:
        with pytest.raises(DateError, match="does not exist"):
            parse_date(text)
        return
    date = parse_date(text)
    assert date.first_day() == real == date.last_day()


# --------------------------------------------------------------------------- slugs

CONTRACT_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
slug_alphabet = st.sampled_from(list("abz09-_ ./\\\nAZİé\u0301\u00a0")) | st.characters()
slug_like = (
    st.text(slug_alphabet, max_size=100)
    | st.from_regex(r"\A[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,8}\Z")
    | st.builds(lambda n: "a" * n, st.integers(75, 85))
)


@PROPERTY
@given(slug=slug_like)
def test_check_slug_never_raises_and_explains_every_refusal(slug: str) -> None:
    problem = check_slug(slug)
    assert problem is None or (isinstance(problem, str) and problem.strip())


@PROPERTY
@example(slug="ada\n")
@given(slug=slug_like)
def test_check_slug_accepts_exactly_the_contracts_slugs(slug: str) -> None:
    valid = CONTRACT_SLUG.fullmatch(slug) is not None and len(slug) <= MAX_SLUG
    assert (check_slug(slug) is None) == valid, repr(slug)


@PROPERTY
@example(slug="abİ" * 26 + "ab")
@given(slug=slug_like)
def test_the_slug_an_error_suggests_is_itself_valid(slug: str) -> None:
    assert check_slug(suggest_slug(slug)) is None, repr(suggest_slug(slug))
    problem = check_slug(slug)
    advice = re.search(r"e\.g\. `([^`]*)`$", problem or "")
    if advice:
        assert check_slug(advice.group(1)) is None, problem


# --------------------------------------------------------------------------- strict YAML

YAML_PIECES = [
    "a",
    "name",
    ":",
    ": ",
    " ",
    "  ",
    "\n",
    "\n  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&x ",
    "*x",
    "!!python/object/apply:os.system ",
    "!!binary ",
    "!local ",
    "? ",
    "|\n  ",
    ">\n  ",
    "'",
    '"',
    "# c",
    "\t",
    "---",
    "...",
    "%YAML 1.1\n",
    "%TAG ! tag:example.org,2000:\n",
    "<<: ",
    "0755",
    "yes",
    "NO",
    "~",
    "2023-02-30",
    "12:30",
    "\\",
    "\ufeff",
    "é",
    "\x85",
]
yaml_soup = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=3), max_size=60).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
yaml_data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
dumped_yaml = yaml_data.map(lambda data: yaml.safe_dump(data, allow_unicode=True))


def _check_located(node: Node, first_line: int, last_line: int) -> None:
    assert first_line <= node.line <= last_line and node.col >= 1
    if isinstance(node, Seq):
        for item in node.items:
            _check_located(item, first_line, last_line)
    elif isinstance(node, Map):
        for key, value in node.entries.values():
            assert isinstance(key, Scalar)
            _check_located(key, first_line, last_line)
            _check_located(value, first_line, last_line)


@PROPERTY
@given(text=any_text | yaml_soup | dumped_yaml, first_line=st.integers(1, 50))
def test_yaml_parse_gives_located_nodes_or_raises_a_located_yaml_error(
    text: str, first_line: int
) -> None:
    last_line = first_line + _lines(text)
    try:
        root, problems = parse(text, first_line)
    except YamlError as exc:
        assert exc.problem.message
        assert first_line <= exc.problem.line <= last_line
        assert exc.problem.col >= 1
        return
    for problem in problems:
        assert problem.message
        assert first_line <= problem.line <= last_line and problem.col >= 1
    if root is not None:
        _check_located(root, first_line, last_line)


@PROPERTY
@given(data=yaml_data)
def test_yaml_written_by_a_yaml_library_is_read_without_error(data: object) -> None:
    root, _problems = parse(yaml.safe_dump(data, allow_unicode=True), 1)
    assert root is not None


@PROPERTY
@example(text="born: 2023-02-30")
@example(text="at: 2023-01-01 25:00:00")
@example(text="n: !!int '12x'")
@given(text=yaml_soup | dumped_yaml)
def test_authors_own_data_converts_or_is_reported(text: str) -> None:
    """`extra` holds any YAML: converting what the reader accepted never crashes."""
    try:
        root, _problems = parse(text, 1)
    except YamlError:
        return
    if root is not None:
        problems: list[YamlProblem] = []
        to_python(root, problems)  # values it cannot hold become located problems
        assert all(problem.line >= 1 and problem.col >= 1 for problem in problems)


# Characters that PyYAML counts as line breaks (YAML 1.1) and editors do not.
NOT_NEWLINES = ["\x85", "\u2028", "\u2029"]
quoted_values = st.lists(
    st.text(st.sampled_from(["a", " ", *NOT_NEWLINES]), max_size=6), min_size=1, max_size=5
)


@PROPERTY
@example(values=["a\x85b", "c"])
@given(values=quoted_values)
def test_yaml_lines_count_newlines_only_as_editors_do(values: list[str]) -> None:
    text = "".join(f'k{i}: "{value}"\n' for i, value in enumerate(values))
    root, problems = parse(text, 1)
    assert isinstance(root, Map) and not problems
    for i in range(len(values)):
        assert root.entries[f"k{i}"][0].line == i + 1, f"k{i} in {text!r}"
    with pytest.raises(YamlError) as info:
        parse(text + "broken: [a\n", 1)
    assert info.value.problem.line == len(values) + 1, "the line of the unclosed `[`"


@pytest.mark.parametrize("depth", [5_000])
def test_deeply_nested_yaml_is_refused_with_a_location(depth: int) -> None:
    with pytest.raises(YamlError) as info:
        parse("extra: " + "[" * depth + "x" + "]" * depth, 3)
    assert info.value.problem.line == 3


def test_a_control_character_is_located_on_its_own_line() -> None:
    with pytest.raises(YamlError) as info:
        parse("name: Ada\nrole: a\x07b\n", 2)
    assert (info.value.problem.line, info.value.problem.col) == (3, 8)
    assert "\n" not in info.value.problem.message
