"""One content file read on its own: its bytes, its YAML (front matter or a list), its
slug, then its fields by the reader of its kind, into a `Parsed`.

Each file is read without the others: what only the whole site can tell (whether a slug
is taken, whether a translation has an original) is checked later.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronicle.errors import Hint, Location, Problem, Report, relative
from chronicle.reading.aliases import read_aliases
from chronicle.reading.content import Entry, Parsed, copy_entry
from chronicle.reading.fields import Fields, check_slug, suggest_slug, text_line
from chronicle.reading.frontmatter import FRONT_MATTER, SourceError, decode, read_bytes, split
from chronicle.reading.readers import READERS, read_event
from chronicle.reading.translations import read_translations
from chronicle.reading.yamltree import Map, Node, Seq, YamlError, parse
from chronicle.rendering.markdown import html_depth_problem

SLUG = Hint("slug")  # the advice for a slug that is not one: what slugs are made of


@dataclass
class FileReader:
    """Reads content files one at a time; `report` holds the problems of the last one."""

    site_root: Path
    report: Report = field(default_factory=Report)
    _last_read: tuple[Path, bytes] | None = None  # see _read()

    def parse(self, kind: str, name: str, stem: str, lang: str | None) -> Parsed:
        """What the file yields on its own: its entries or translations, and its problems."""
        self.report = Report()
        path = Path(name)
        if lang is not None:
            parsed = Parsed(translations=tuple(read_translations(self, kind, path)))
        elif path.suffix == ".md":
            entry = self._load_markdown(kind, path, stem)
            parsed = Parsed(entries=(entry,) if entry else ())
        else:
            parsed = Parsed(entries=tuple(self._load_yaml_list(path)))
        read = self._last_read
        data = read[1] if read is not None and read[0] == path else None
        return _versioned(parsed, path, tuple(self.report.problems), data)

    def rel(self, path: Path) -> str:
        """The path as messages show it, from the site root. A path under the root is the
        root's text and a slash, then the rest: cut it, as Path.relative_to would, without
        parsing the path, which costs when every file of a large site is read."""
        text = str(path)
        root = self._root_prefix
        if os.sep == "/" and text.startswith(root) and len(text) > len(root):
            return text[len(root) :]
        return relative(path, self.site_root)

    @functools.cached_property
    def _root_prefix(self) -> str:
        return str(self.site_root).rstrip("/") + "/"

    def _read(self, path: Path) -> bytes:
        """A file's bytes, kept until the next file is read: its versions are hashes of the
        same bytes (_versioned), read once."""
        self._last_read = None
        data = read_bytes(path)
        self._last_read = (path, data)
        return data

    def parse_yaml(
        self, path: Path, yaml_text_of: Callable[[str], tuple[str, int]]
    ) -> tuple[bool, Node | None]:
        """Read a file and compose its YAML, reporting what stops us.

        Returns (read, node): `read` is False when the file could not be read as YAML at all;
        `node` is None for an empty document.
        """
        rel = self.rel(path)
        try:
            text = decode(self._read(path))
            yaml_text, first_line = yaml_text_of(text)
            node, problems = parse(yaml_text, first_line)
        except SourceError as exc:
            self.report.error(Location(rel, exc.line, exc.col), exc.message, exc.hint)
            return False, None
        except YamlError as exc:
            problem = exc.problem
            self.report.error(
                Location(rel, problem.line, problem.col), problem.message, problem.hint
            )
            return False, None
        for problem in problems:
            self.report.error(
                Location(rel, problem.line, problem.col), problem.message, problem.hint
            )
        return True, node

    def front_matter(self, path: Path) -> tuple[Map, str, int] | None:
        bodies: list[tuple[str, int]] = []

        def yaml_of(text: str) -> tuple[str, int]:
            parts = split(text)
            bodies.append((parts.body, parts.body_line))
            return parts.front, parts.front_line

        read, node = self.parse_yaml(path, yaml_of)
        if not read:
            return None
        if node is None:
            self.report.error(Location(self.rel(path), 2), "front matter is empty", FRONT_MATTER)
            return None
        if not isinstance(node, Map):
            self.report.error(
                Location(self.rel(path), node.line, node.col),
                "front matter must be a mapping of `field: value` lines",
                FRONT_MATTER,
            )
            return None
        body, body_line = bodies[0]
        return node, body, body_line

    def _load_markdown(self, kind: str, path: Path, stem: str) -> Entry | None:
        parsed = self.front_matter(path)
        if parsed is None:
            return None
        node, body, body_line = parsed
        fields = Fields(node, self.rel(path), self.report)
        if kind == "events" and "body" in node.entries:
            fields.error(
                node.entries["body"][0],
                "`body` is only for events in a YAML list: a .md event's text is what follows "
                "the front matter",
                FRONT_MATTER,
            )
        slug = self._slug(fields, stem, path)
        base = self._base(fields, kind, slug or "", Location(self.rel(path)), body, body_line)
        return READERS[kind](fields, base) if slug else None

    def _load_yaml_list(self, path: Path) -> list[Entry]:
        _was_read, root = self.parse_yaml(path, lambda text: (text, 1))
        rel = self.rel(path)
        if root is None:
            return []
        if not isinstance(root, Seq):
            self.report.error(
                Location(rel, root.line, root.col),
                "an events .yaml file must be a list of events, each item starting with `- `",
                Hint("list"),
            )
            return []
        entries: list[Entry] = []
        for item in root.items:
            fields = self.item_fields(item, rel)
            if fields is None:
                continue
            slug = self.item_slug(fields)
            body_node = fields.get("body")
            body = fields.text("body") or ""
            body_line = text_line(body_node) if body_node else 1
            base = self._base(fields, "events", slug or "", fields.location(item), body, body_line)
            entry = read_event(fields, base)
            if entry is not None and slug:
                entries.append(entry)
        return entries

    def item_fields(self, item: Node, rel: str) -> Fields | None:
        if not isinstance(item, Map):
            self.report.error(Location(rel, item.line, item.col), "each event must be a mapping")
            return None
        return Fields(item, rel, self.report)

    def item_slug(self, fields: Fields) -> str | None:
        slug = fields.text("slug", required=True)
        if slug is None:
            return None
        problem = check_slug(slug)
        if problem:
            fields.report.error(fields.key_location("slug"), problem, SLUG)
            return None
        return slug

    def _slug(self, fields: Fields, stem: str, path: Path) -> str | None:
        if fields.get("slug") is not None:
            return self.item_slug(fields)
        problem = check_slug(stem)
        if problem:
            suggested = f"{suggest_slug(stem)}{path.suffix}"
            other = self.rel(path.parent / suggested)
            advice = (
                f"and {other} already exists (both would be /{path.parent.name}/"
                f"{suggest_slug(stem)}/): keep one of the two files"
                if (path.parent / suggested).exists()
                else f"rename it to `{suggested}` or set `slug:` in the front matter"
            )
            self.report.error(
                Location(self.rel(path)),
                f"file name `{path.name}` does not make a valid slug: {advice}",
                SLUG,
            )
            return None
        return stem

    def _base(
        self, fields: Fields, kind: str, slug: str, location: Location, body: str, body_line: int
    ) -> dict[str, Any]:
        too_deep = html_depth_problem(body)
        if too_deep is not None:
            line, col, message = too_deep
            self.report.error(Location(fields.path, body_line + line, col), message)
        return {
            "kind": kind,
            "slug": slug,
            "location": location,
            "slug_at": fields.key_location("slug") if "slug" in fields.node.entries else location,
            "draft": fields.boolean("draft"),
            "tags": fields.tags(),
            "extra": fields.extra(),
            "aliases": read_aliases(fields),
            "body": body,
            "body_line": body_line,
        }


def _versioned(
    parsed: Parsed, path: Path, problems: tuple[Problem, ...], data: bytes | None = None
) -> Parsed:
    """`parsed` with each entry's versions: hashes of the file's bytes (`data`, when they
    were read already)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:  # unreadable: already reported, and nothing will be rendered
            data = b"unreadable"

    def versions(i: int, body: str | None, body_line: int) -> tuple[str, str]:
        """(fields' version, body's version)."""
        if path.suffix != ".md":  # a YAML list: one hash of the whole file for both
            return (f"{_digest(data)}.{i}",) * 2
        head = b"".join(data.splitlines(keepends=True)[: body_line - 1])
        return f"{_digest(head)}.{i}", _digest((body or "").encode("utf-8"))

    entries, translations = [], []
    for i, entry in enumerate(parsed.entries):
        version, body_version = versions(i, entry.body, entry.body_line)
        entries.append(copy_entry(entry, version=version, body_version=body_version))
    for i, tr in enumerate(parsed.translations):
        version, body_version = versions(i, tr.body, tr.body_line)
        translations.append(copy_entry(tr, version=version, body_version=body_version))
    return Parsed(entries=tuple(entries), translations=tuple(translations), problems=problems)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()
