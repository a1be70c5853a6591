"""Problems shown the way a good compiler shows them.

The first line of each problem is exactly `path:line:col: severity: message`, the line that
tests and editors parse. The lines after it are indented, so that no parser takes them for
another problem: the source line with a caret under the column, then a hint of what to do.

```
content/events/x.md:3:7: error: `date`: `2023-13` has month 13; months run from 01 to 12
   |
 3 | date: 2023-13
   |       ^
   = hint: dates are YYYY, YYYY-MM or YYYY-MM-DD, e.g. `date: 2023-07-12`
```

Colour only on a terminal, never when piped; NO_COLOR turns it off, FORCE_COLOR on.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from chronicle import theme
from chronicle.errors import Problem, Report, printable
from chronicle.init import invocation
from chronicle.reading import kinds

MAX_READ = 4 * 1024 * 1024  # bytes read to find a line; past that, no excerpt
WINDOW = 100  # columns of a long line shown around the caret

_RESET, _BOLD = "\x1b[0m", "\x1b[1m"
_RED, _YELLOW, _BLUE, _CYAN, _GREEN = "\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[36m", "\x1b[32m"


def use_colour(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour on a terminal; NO_COLOR (https://no-color.org) turns it off, FORCE_COLOR on
    (FORCE_COLOR wins: it is the more specific request, e.g. from a CI log viewer)."""
    env = os.environ if environ is None else environ
    force = env.get("FORCE_COLOR")
    if force is not None and force.lower() not in ("0", "false", "no"):
        return True
    if env.get("NO_COLOR"):
        return False
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# -- the report as a whole ------------------------------------------------------------


def strict(report: Report) -> Report:
    """`--strict`: every warning counts as an error."""
    return Report([Problem(p.location, "error", p.message, p.hint) for p in report.problems])


def count(report: Report) -> str:
    """`2 errors, 1 warning`; without problems, words that name no severity."""
    errors, warnings = len(report.errors), len(report.warnings)
    if not errors and not warnings:
        return "no problems"
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


@dataclass
class Printer:
    """Writes problems with their source excerpts; remembers the files it has read."""

    site_root: Path
    stream: TextIO
    colour: bool = False
    verbose: bool = False  # every problem in full, none grouped
    _lines: dict[Path, list[str] | None] = field(default_factory=dict)

    def report(self, report: Report) -> None:
        """Every error in full. A warning given on more than GROUP_FROM files is printed once,
        with how many there are and where the first few are: a thousand people without a
        summary are one warning, not a thousand (`verbose` prints them all)."""
        problems = report.sorted()
        groups = {} if self.verbose else _groups(problems)
        for problem in problems:
            group = groups.get(_shape(problem))
            if group is None:
                print(self.format(problem), file=self.stream)
            elif group[0] is problem:
                print(self.format_group(group), file=self.stream)

    def format_group(self, group: list[Problem]) -> str:
        first, more = group[0], len(group) - 1
        places = ", ".join(str(p.location) for p in group[1:GROUP_SHOWN])
        rest = f" and {len(group) - GROUP_SHOWN} more" if len(group) > GROUP_SHOWN else ""
        line = printable(f"   = and {more} more like it: {places}{rest} (--verbose lists all)")
        return "\n".join([self.headline(first), *self.details(first), line])

    def format(self, problem: Problem) -> str:
        return "\n".join([self.headline(problem), *self.details(problem)])

    def hint(self, problem: Problem) -> str:
        """hint(problem), with `--site` in a command it suggests when the site is not the
        folder the command is run from."""
        text = hint(problem)
        if (
            problem.hint is not None
            and problem.hint.code == "unknown-ref"
            and not _here(self.site_root)
        ):
            text += f" --site {shlex.quote(str(self.site_root))}"
        return text

    def headline(self, problem: Problem) -> str:
        text = str(problem)
        if not self.colour:
            return text
        colour = _RED if problem.severity == "error" else _YELLOW
        where = str(problem.location)  # escaped, as the message: one problem, one line
        return (
            f"{_BOLD}{where}:{_RESET} {_BOLD}{colour}{problem.severity}:{_RESET} "
            f"{_BOLD}{printable(problem.message)}{_RESET}"
        )

    def details(self, problem: Problem) -> list[str]:
        """The excerpt and the hint, every line starting with a space."""
        location = problem.location
        try:
            line = self.source_line(location.path, location.line)
        except Exception:  # the excerpt is a courtesy: it may never hide the problem itself
            line = None
        shown: list[str] = []
        width = len(str(location.line)) + 1
        pad = " " * width
        if line is not None and not _is_whole_file(location.line, location.col, line):
            text, offset = excerpt(line, location.col)
            shown += [
                f" {self._paint(pad + '|', _BLUE)}",
                f" {self._paint(str(location.line).rjust(width - 1) + ' |', _BLUE)} {text}",
                f" {self._paint(pad + '|', _BLUE)} {' ' * offset}{self._paint('^', _GREEN)}",
            ]
        shown.append(f" {pad}{self._paint('= hint:', _CYAN)} {printable(self.hint(problem))}")
        return shown

    def _paint(self, text: str, colour: str) -> str:
        return f"{_BOLD}{colour}{text}{_RESET}" if self.colour else text

    # -- reading sources ------------------------------------------------------------

    def source_line(self, shown_path: str, number: int) -> str | None:
        path = self._source(shown_path)
        if path is None:
            return None
        if path not in self._lines:
            self._lines[path] = _read_lines(path)
        lines = self._lines[path]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def _source(self, shown: str) -> Path | None:
        """The file a location names, if it is one we may show: inside the site (a link
        out of it is not followed) or a default theme template."""
        in_theme = re.search(r"\(default theme: (.+)\)$", shown)
        if not in_theme and (shown.startswith(("$", "/")) or shown in (".", "")):
            return None
        try:  # a link in a loop, or to nowhere, is a problem reported already: no excerpt
            if in_theme:
                candidate = Path(in_theme.group(1)).resolve(strict=True)
                allowed = theme.templates().resolve()
            else:
                candidate = (self.site_root / shown).resolve(strict=True)
                allowed = self.site_root.resolve()
            if not candidate.is_relative_to(allowed) or not candidate.is_file():
                return None
        except (OSError, RuntimeError, ValueError):
            return None
        return candidate


GROUP_FROM = 3  # a warning on more files than this is printed once (Printer.report)
GROUP_SHOWN = 4  # the group's first problem in full, then this many places in all
_NAMED = re.compile(r"`[^`]*`")


def _shape(problem: Problem) -> tuple[str, str]:
    """A problem without the names it quotes: the same warning about other files."""
    return problem.severity, _NAMED.sub("`…`", problem.message)


def _groups(problems: list[Problem]) -> dict[tuple[str, str], list[Problem]]:
    found: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.severity == "warning":
            found.setdefault(_shape(problem), []).append(problem)
    return {shape: group for shape, group in found.items() if len(group) > GROUP_FROM}


def _here(site_root: Path) -> bool:
    try:
        return site_root.resolve() == Path.cwd().resolve()
    except OSError:
        return False


def _read_lines(path: Path) -> list[str] | None:
    """The file's lines as the readers saw them (UTF-8, BOM and CR dropped); None for a
    binary or very large file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_READ + 1)
    except OSError:
        return None
    if len(data) > MAX_READ or b"\0" in data:
        return None
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return [line.rstrip("\r") for line in text.split("\n")]


def _is_whole_file(line_no: int, col: int, line: str) -> bool:
    """1:1 on a front matter fence or an empty line names the file, not a place in it."""
    return line_no == 1 and col == 1 and line.strip() in ("", "---")


def excerpt(line: str, col: int) -> tuple[str, int]:
    """The line as a terminal can show it safely, and the caret's offset in columns.

    Control and format characters (a bidi override, an escape sequence) become U+FFFD so
    that content cannot rearrange or colour the terminal; wide characters count two
    columns; a long line is cut to a window around the column.
    """
    index = max(0, min(col - 1, len(line)))
    start = 0
    if _width(line) > WINDOW:
        start = max(0, index - WINDOW // 3)
        end = start
        while end < len(line) and _width(line[start : end + 1]) <= WINDOW:
            end += 1
        line = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
        index = index - start + (1 if start else 0)
    shown = "".join(_safe(ch) for ch in line)
    return shown, _width(line[:index])


def _safe(ch: str) -> str:
    if ch == "\t":
        return "    "
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return "\ufffd"
    return ch


def _width(text: str) -> int:
    total = 0
    for ch in text:
        if ch == "\t":
            total += 4
        elif unicodedata.category(ch) in ("Mn", "Me"):
            continue
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            total += 2
        else:
            total += 1
    return total


# -- hints ----------------------------------------------------------------------------
# Each problem carries the code of its advice (errors.Hint), set where it was found; a
# problem without one gets the general advice for its file.

DOCS = "docs/content-model.md"
FIELDS = {kind: kinds.listed(kind) for kind in kinds.KINDS}
NOUNS = kinds.NOUNS
EXAMPLES = {
    "name": "name: Ada Lovelace",
    "title": "title: The engine is designed",
    "date": "date: 2023-07-12",
    "slug": "slug: engine-designed",
    "org": "org: engine-co",
}
DATES = "dates are YYYY, YYYY-MM or YYYY-MM-DD, e.g. `date: 2023-07-12`, `2023-07` or `2023`"


def _kind_of(problem: Problem) -> str | None:
    """The kind of entry the problem's file holds, from its folder."""
    parts = problem.location.path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "content" and parts[1] in FIELDS else None


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _unknown_field(problem: Problem, name: str, suggestion: str = "") -> str:
    kind = _kind_of(problem)
    besides = ", ".join(kinds.BESIDES)
    known = f"; {_a(NOUNS[kind])} has: {FIELDS[kind]}, and {besides}" if kind else ""
    if suggestion:
        return f"rename `{name}` to `{suggestion}`{known}"
    return f"move it under `extra:` if it is your own field{known}"


def _unknown_ref(problem: Problem, noun: str, slug: str, suggestion: str = "") -> str:
    create = f'{invocation()} new {noun} "Name" --slug {slug}'
    if suggestion:
        return f"change it to `{suggestion}`, or create the {noun}: {create}"
    return f"create the {noun}: {create}"


def _required(problem: Problem, name: str) -> str:
    return f"add a line `{EXAMPLES.get(name, name + ': ...')}` (with your own value)"


def _comma(problem: Problem, name: str, words: str, cut: str) -> str:
    # As YAML reads a value that runs over lines: one space for each line break.
    quoted = json.dumps(" ".join(words.split()), ensure_ascii=False)
    return (
        f"quote a value that holds a comma: `{name}: {quoted}`; "
        f"or, if `{cut}` is a field of its own, give it one: `{cut}: ...`"
    )


def _extra_key(problem: Problem, owner: str, key: str) -> str:
    """An author's own field that some entries lack: the template asks before it reads."""
    read = f"{owner}.{key}" if key.isidentifier() else f"{owner}[{json.dumps(key)}]"
    test = f"{{% if {read} is defined %}}…{{% endif %}}"
    default = f'{owner}.get({json.dumps(key)}, "")'
    return f"some entries do not set it: test it first, `{test}`, or give a default, `{default}`"


def _said(text: str) -> Callable[[Problem], str]:
    return lambda problem: text


HINTS: dict[str, Callable[..., str]] = {
    # The authoring warnings of lint.py.
    "sources": _said("add `sources:` with items like `- {title: Fortune, url: https://...}`"),
    "summary": _said("add `summary:` with one or two sentences"),
    "untranslated": lambda problem, lang: (
        f"translate the text fields (name or title, role, summary, body, roles in "
        f"`organizations`, link labels) into "
        f"`{lang}`; slugs, dates and references come from the original"
    ),
    # Reading and checking.
    "settings": _said("the settings are listed in docs/content-model.md, under Settings"),
    "unknown-field": _unknown_field,
    "unknown-ref": _unknown_ref,
    "yaml-open": lambda problem, opened, closing: (
        f"close the `{opened}` with `{closing}` on the same line; if the text is meant to "
        f'hold `{opened}` or a comma, quote it: `name: "a, b"`'
    ),
    "yaml-comma": _comma,
    "unread-ref": _said("fix the file it names: this reference resolves once that file reads"),
    "required": _required,
    "date": _said(DATES),
    "time-of-day": _said("drop the time and the zone: dates have no time of day"),
    "boolean": lambda problem, name: f"write `{name}: true` or `{name}: false`, without quotes",
    "list": _said("a list is `[a, b]` on one line, or one `- item` per line below the field"),
    "url": _said("write the whole address, starting with https://"),
    "order": _said("swap the two dates, or correct the one that is wrong"),
    "slug-taken": _said("rename one of the files, or give one a `slug:` of its own"),
    "slug": _said("slugs are lower-case letters, digits and single hyphens, at most 80 long"),
    "twice": _said("delete one of the two lines (YAML keeps only one of them)"),
    "front-matter": _said(
        "a content file starts with a line `---`, then `field: value` lines, "
        "then `---`, then the Markdown text"
    ),
    "yaml": _said(
        "quote text that holds `: ` or starts with [ { * & ! # or a quote; indent with spaces"
    ),
    "template": _said(
        "fix the template at this line; a file in the site's templates/ "
        "replaces the theme's file of the same name"
    ),
    "extra-key": _extra_key,
    "translation": _said(
        "a translation sits beside its original as <file>.<lang>.md and gives "
        "only text: name, role, summary, title, location, body, roles in `organizations`, "
        "link labels, sources' titles"
    ),
    "tag-names": _said(
        "content/tags.yaml maps a tag, as written, to its name per language: "
        "`founding: {zh-hant: 創立}`"
    ),
    "link": lambda problem: (
        "link to an address the site builds, written from the site root "
        f"(`/people/ada/`); see what is built with `{invocation()} build`"
    ),
    "media": _said("put the file in content/media/ and write its path from there"),
    "symlink": _said("put the file itself here, or link to a file inside the site"),
    "active": _said(
        "remove the script, handlers and javascript: addresses (an image needs none), "
        "or host the file elsewhere than the site"
    ),
    "encoding": _said("save the file as UTF-8 text in your editor"),
    "draft": _said("publish it (remove `draft: true`), or build with --drafts to see it"),
    "ignored": _said("move it out of content/, or into the folder that reads it"),
}


def hint(problem: Problem) -> str:
    """What to do about a problem, in a few words."""
    if problem.hint is not None:
        return HINTS[problem.hint.code](problem, *problem.hint.words)
    kind = _kind_of(problem)
    if kind:
        return f"{_a(NOUNS[kind])} has: {FIELDS[kind]}; see {DOCS} for each field"
    return "see README.md, When something is wrong, for what each message means"
