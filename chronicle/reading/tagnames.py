"""Tag names per language: `content/tags.yaml` maps a tag (as written, or its key) to its
displayed name in other languages. A tag's key and address never change with them.

```yaml
founding:
  zh-hant: 創立
Deep Learning: {zh-hant: 深度學習}
```

What only the file can tell is checked here (its shape, the languages); whether each tag is
used is checked by the model, which knows every tag (site.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from chronicle.errors import Hint, Location, Report, did_you_mean
from chronicle.reading.fields import tag_key
from chronicle.reading.settings import Settings
from chronicle.reading.sourcefile import FileReader
from chronicle.reading.yamltree import Map, Node, Scalar

FILE = "content/tags.yaml"
TAG_NAMES = Hint("tag-names")


@dataclass(frozen=True)
class TagNames:
    """Per tag key: the language -> name table, and where the tag was written in the file."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)
    written: dict[str, tuple[str, Location]] = field(default_factory=dict)  # key -> (text, at)


def read_tag_names(site_root: Path, settings: Settings, report: Report) -> TagNames:
    """The names given in content/tags.yaml (none if there is no such file)."""
    path = site_root / FILE
    if not path.exists() and not path.is_symlink():
        return TagNames()
    if path.is_dir():
        report.error(Location(FILE), "should be a file, but is a folder", TAG_NAMES)
        return TagNames()
    reader = FileReader(site_root)
    _read, root = reader.parse_yaml(path, lambda text: (text, 1))
    report.problems.extend(reader.report.problems)
    found = TagNames()
    if root is None:
        return found
    if not isinstance(root, Map):
        _error(report, root, "must be a mapping of tag to names, e.g. `founding: {zh-hant: 創立}`")
        return found
    for text, (key_node, value) in root.entries.items():
        tag = " ".join(text.split())
        key = tag_key(tag)
        if not key:
            _error(report, key_node, "a tag may not be empty")
            continue
        first = found.written.get(key)
        if first is not None:
            _error(
                report,
                key_node,
                f"tag `{tag}` is the same tag as `{first[0]}` (line {first[1].line}): "
                "give its names once",
            )
            continue
        found.written[key] = (tag, _at(key_node))
        found.names[key] = _names(tag, value, settings, report)
    return found


def _names(tag: str, node: Node, settings: Settings, report: Report) -> dict[str, str]:
    if not isinstance(node, Map):
        _error(report, node, f"tag `{tag}`: give a mapping of language to name, e.g. `zh-hant: …`")
        return {}
    names = {}
    for lang, (key_node, value) in node.entries.items():
        if lang not in settings.languages:
            listed = ", ".join(settings.languages)
            _error(
                report,
                key_node,
                f"tag `{tag}`: `{lang}` is not a language of site.toml ({listed})"
                + did_you_mean(lang, settings.languages),
            )
            continue
        name = " ".join(value.text.split()) if isinstance(value, Scalar) else ""
        if not name or (isinstance(value, Scalar) and value.is_null):
            _error(report, value, f"tag `{tag}`: its `{lang}` name must be one line of text")
            continue
        names[lang] = name
    return names


def _at(node: Node) -> Location:
    return Location(FILE, node.line, node.col)


def _error(report: Report, node: Node, message: str) -> None:
    report.error(_at(node), message, TAG_NAMES)
