"""Strict YAML: a tree of located nodes, with none of PyYAML's guesses applied.

PyYAML turns `2023` into an int, `NO` into False and `0755` into 493, and silently keeps
the last of two equal keys. We compose the node graph only (libyaml when present) and keep
every scalar as the text the author wrote; the schema in `content.py` decides what a text
means for each field. Anchors, aliases and non-standard tags are refused before anything
is built, so alias bombs cost nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from chronicle.errors import Hint
from chronicle.reading import characters

try:  # libyaml is many times faster; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
# The tag of a plain scalar written without one, until to_python() needs its type.
_PLAIN = "tag:chronicle,2026:plain"
_DEFAULT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}
_RESOLVER = yaml.resolver.Resolver()


class _Loader(_SafeLoader):
    """The safe loader, but a plain scalar keeps the text it is: which of YAML's types its
    text matches (the regular expressions of PyYAML's resolver, run in Python for every
    scalar: a third of composing) is asked only for authors' own fields (to_python)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            # `=` and `<<` resolve to tags outside YAML's standard types (value, merge),
            # which are refused (_convert): those alone are resolved now.
            return _PLAIN if value[:1] not in ("=", "<") else _resolved(value)
        return _DEFAULT_TAGS[kind]


def _resolved(text: str) -> str:
    """The tag PyYAML's safe loader gives a plain scalar of this text."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


HINT = Hint("yaml")  # the advice for YAML that cannot be read: quoting, indenting
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class YamlProblem:
    message: str
    line: int  # 1-based, in the file
    col: int
    hint: Hint | None = None


class YamlError(ValueError):
    """YAML that cannot be read at all; carries the file line and column."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Node:
    line: int
    col: int
    raw: yaml.Node = field(repr=False)


@dataclass
class Scalar(Node):
    text: str
    plain: bool  # written without quotes: only then may it mean null, true or false

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in _NULLS


@dataclass
class Seq(Node):
    items: list[Node]


@dataclass
class Map(Node):
    # key text -> (key node, value node); the first occurrence of a duplicated key wins.
    entries: dict[str, tuple[Scalar, Node]]


MAX_DEPTH = 64
# PyYAML (YAML 1.1) also breaks lines at these; editors, and our messages, count `\n` only.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


class _Lines:
    """File line and column (1-based) of a PyYAML mark in `text`, which starts at file line
    `offset + 1`: PyYAML's own when the text holds no other line break, else counted anew
    from the mark's character index."""

    def __init__(self, text: str, offset: int) -> None:
        self.text = text  # marks' indices are characters of this text
        self.offset = offset
        self.starts: list[int] | None = None
        if any(b in text for b in _OTHER_BREAKS):
            self.starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]

    def at(self, mark: Any) -> tuple[int, int]:  # yaml.Mark, or libyaml's own Mark
        if mark is None:
            return 1 + self.offset, 1
        if self.starts is None:
            return mark.line + 1 + self.offset, mark.column + 1
        line = bisect.bisect_right(self.starts, mark.index) - 1
        return line + 1 + self.offset, mark.index - self.starts[line] + 1


def parse(text: str, first_line: int) -> tuple[Node | None, list[YamlProblem]]:
    """Compose `text` (which starts at file line `first_line`) into located nodes.

    Returns the tree (None for an empty document) and the non-fatal problems found
    (duplicate keys, unknown tags); raises YamlError when the YAML cannot be read.
    """
    offset = first_line - 1
    lines = _Lines(text, offset)
    try:
        _refuse_deep(text, lines)
        _refuse_aliases(text, lines)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlError(_syntax_problem(exc, text, lines)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(_reader_problem(exc, text, offset)) from None
    except RecursionError:
        raise YamlError(_too_deep(first_line)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other PyYAML error is marked
        raise YamlError(YamlProblem(f"invalid YAML: {exc}", first_line, 1, HINT)) from None
    if root is None:
        return None, []
    problems: list[YamlProblem] = []
    return _convert(root, lines, problems, 0), problems


def to_python(node: Node, problems: list[YamlProblem]) -> Any:
    """Plain Python data for authors' own fields (`extra`), with YAML's usual types.

    A plain value that its type cannot hold (`2023-02-30`, `!!int 12x`) is a problem at
    that value; values with a refused tag stay text (the tag was reported already).
    """
    if isinstance(node, Map):
        return {key: to_python(value, problems) for key, (_k, value) in node.entries.items()}
    if isinstance(node, Seq):
        return [to_python(item, problems) for item in node.items]
    assert isinstance(node, Scalar)
    if node.raw.tag == _PLAIN:
        node.raw.tag = _resolved(node.text)
    if node.raw.tag not in _STANDARD_TAGS or node.raw.tag.endswith(":str"):
        return node.text
    constructor = yaml.SafeLoader("")
    try:
        return constructor.construct_object(node.raw, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        kind = node.raw.tag.rsplit(":", 1)[-1]
        problems.append(
            YamlProblem(
                f"`{node.text}` is not a valid {kind}: quote it to keep it as text",
                node.line,
                node.col,
            )
        )
        return node.text
    finally:
        constructor.dispose()


def _too_deep(line: int) -> YamlProblem:
    return YamlProblem(
        f"YAML nested more than {MAX_DEPTH} levels deep: content needs far fewer", line, 1
    )


def _reader_problem(exc: yaml.reader.ReaderError, text: str, offset: int) -> YamlProblem:
    before = text[: exc.position]
    line = before.count("\n") + 1 + offset
    col = exc.position - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return YamlProblem(
        f"invalid YAML: control character U+{ord(character):04X} is not allowed: remove it",
        line,
        col,
        HINT,
    )


_OPEN = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_CLOSE = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _refuse_deep(text: str, lines: _Lines) -> None:
    """Refuse YAML nested deeper than MAX_DEPTH before it is composed: libyaml's composer
    recurses once a level, and tens of thousands of `[`, `- ` or indents crash the process
    (no RecursionError: it is C). Tokens are scanned without recursion."""
    # Each level opens with a bracket, a dash, a `?` or a new line: fewer of those than
    # the limit need no scan (nearly every file).
    bound = sum(text.count(c) for c in "[{-?\n") + 1
    if bound <= MAX_DEPTH:
        return
    depth = 0
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(_too_deep(lines.at(token.start_mark)[0]))
        elif isinstance(token, _CLOSE):
            depth -= 1


def _refuse_aliases(text: str, lines: _Lines) -> None:
    # An anchor is written `&name` and an alias `*name`: text with neither character needs
    # no second pass through the parser (it was a third of the time spent reading YAML).
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            raise YamlError(
                YamlProblem(
                    f"YAML anchors and aliases (`&{anchor}`, `*{anchor}`) are not accepted in "
                    "content: write the value out in full",
                    *lines.at(event.start_mark),
                    HINT,
                )
            )


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, lines: _Lines) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    while_doing = exc.context or ""
    if exc.context_mark is not None and ("flow" in while_doing or "quoted" in while_doing):
        mark = exc.context_mark  # the opening bracket or quote the author left open
    line, col = lines.at(mark)
    problem = exc.problem or "invalid YAML"
    hint = ""
    if mark is not None and "\t" in _line_of(text, line - 1 - lines.offset):
        hint = "; YAML does not allow tabs for indentation: indent with spaces"
    elif "mapping values are not allowed" in problem:
        hint = '; a value that holds ": " must be quoted, e.g. title: "Lesson: ship it"'
    elif "could not find expected ':'" in problem:
        hint = "; each field is `name: value` on its own line"
    context = f"{exc.context}: " if exc.context else ""
    return YamlProblem(f"invalid YAML: {context}{problem}{hint}", line, col, _hint_for(exc))


def _hint_for(exc: yaml.MarkedYAMLError) -> Hint:
    """The advice for what PyYAML was reading when it stopped: a bracket left open is
    closed, text that YAML took for structure is quoted."""
    while_doing = exc.context or ""
    if "flow sequence" in while_doing:
        return Hint("yaml-open", ("[", "]"))
    if "flow mapping" in while_doing:
        return Hint("yaml-open", ("{", "}"))
    return HINT


def _line_of(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""


def _convert(node: yaml.Node, lines: _Lines, problems: list[YamlProblem], depth: int) -> Node:
    line, col = lines.at(node.start_mark)
    if depth > MAX_DEPTH:
        raise YamlError(_too_deep(line))
    if node.tag not in _STANDARD_TAGS and node.tag != _PLAIN:
        problems.append(
            YamlProblem(
                f"YAML tag `{node.tag}` is not accepted: remove it and write a plain value",
                line,
                col,
                HINT,
            )
        )
    if isinstance(node, yaml.ScalarNode):
        bad = characters.forbidden(node.value)
        if bad is not None:  # an escape such as "\x01" (libyaml refuses most raw ones)
            problems.append(
                YamlProblem(
                    f"{characters.describe(node.value, bad)} is not allowed in text: "
                    "remove it (written as an escape or not)",
                    line,
                    col,
                    HINT,
                )
            )
        return Scalar(line, col, node, text=node.value, plain=not node.style)  # libyaml says ""
    if isinstance(node, yaml.SequenceNode):
        return Seq(
            line,
            col,
            node,
            items=[_convert(item, lines, problems, depth + 1) for item in node.value],
        )
    assert isinstance(node, yaml.MappingNode)
    entries: dict[str, tuple[Scalar, Node]] = {}
    pairs = _split_by_comma(node, lines, problems) if node.flow_style else node.value
    for key_node, value_node in pairs:
        key = _convert(key_node, lines, problems, depth + 1)
        if not isinstance(key, Scalar):
            problems.append(YamlProblem("a field name must be plain text", key.line, key.col, HINT))
            continue
        value = _convert(value_node, lines, problems, depth + 1)
        if key.text in entries:
            first = entries[key.text][0]
            problems.append(
                YamlProblem(
                    f"field `{key.text}` is given twice, on lines {first.line} and {key.line}: "
                    "keep one",
                    key.line,
                    key.col,
                    Hint("twice"),
                )
            )
            continue
        entries[key.text] = (key, value)
    return Map(line, col, node, entries=entries)


def _split_by_comma(
    node: yaml.MappingNode, lines: _Lines, problems: list[YamlProblem]
) -> list[tuple[yaml.Node, yaml.Node]]:
    """The entries of a `{ }` mapping, less the words that an unquoted comma cut from a
    value: in `{city: Memphis, Tennessee}` YAML ends `city` at the comma and reads
    `Tennessee` as a field without a value. One problem for the run of such words, at the
    first; they are dropped, so the value before them is checked as it stands."""
    kept: list[tuple[yaml.Node, yaml.Node]] = []
    cut: list[yaml.Node] = []  # keys without `: value` since the last value of plain text
    for key, value in node.value:
        if (cut or _valued_text(kept)) and _without_value(key, value, lines.text):
            cut.append(key)
            continue
        _report_cut(kept, cut, lines, problems)
        cut = []
        kept.append((key, value))
    _report_cut(kept, cut, lines, problems)
    return kept


def _valued_text(kept: list[tuple[yaml.Node, yaml.Node]]) -> bool:
    """The last entry kept is `name: text`, written without quotes."""
    if not kept:
        return False
    value = kept[-1][1]
    return isinstance(value, yaml.ScalarNode) and not value.style and value.value != ""


def _without_value(key: yaml.Node, value: yaml.Node, text: str) -> bool:
    """A key written with no `:` after it: an empty plain value, and no colon between."""
    return (
        isinstance(key, yaml.ScalarNode)
        and isinstance(value, yaml.ScalarNode)
        and not value.style
        and value.value == ""
        and ":" not in text[key.end_mark.index : value.start_mark.index]
    )


_COMMENT = re.compile(r"(?:^|\s)#.*")


def _report_cut(
    kept: list[tuple[yaml.Node, yaml.Node]],
    cut: list[yaml.Node],
    lines: _Lines,
    problems: list[YamlProblem],
) -> None:
    if not cut:
        return
    name, value = kept[-1]
    written = lines.text[value.start_mark.index : cut[-1].end_mark.index].split("\n")
    words = "\n".join(_COMMENT.sub("", line) for line in written)  # comments are no words
    first = cut[0].value
    problems.append(
        YamlProblem(
            f"`{first}` is read as a field without a value: inside `{{ }}` a comma ends "
            f"`{name.value}`'s value, which stops at `{value.value}`",
            *lines.at(cut[0].start_mark),
            Hint("yaml-comma", (name.value, words, first)),
        )
    )
