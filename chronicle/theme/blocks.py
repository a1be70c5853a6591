"""The blocks each of the theme's templates offers, as the table in docs/theme.md.

The table is made from the templates themselves, so that it cannot drift from them: a test
compares it with the documentation. Print it with `python -m chronicle.theme.blocks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from chronicle.theme.overrides import template_files

_PARSER = jinja2.Environment()  # parsing only


@dataclass(frozen=True)
class Outline:
    """A template's parent (what it extends, when it names one) and its blocks in order."""

    extends: str | None
    blocks: tuple[str, ...]


def outline(path: Path) -> Outline:
    tree = _PARSER.parse(path.read_text(encoding="utf-8"))
    parent = next(iter(tree.find_all(nodes.Extends)), None)
    extends = (
        parent.template.value
        if parent is not None and isinstance(parent.template, nodes.Const)
        else None
    )
    names = dict.fromkeys(block.name for block in tree.find_all(nodes.Block))
    return Outline(extends, tuple(names))


def outlines(folder: Path) -> dict[str, Outline]:
    """Every template file of a folder, by name."""
    return {name: outline(path) for name, path in template_files(folder).items()}


def table(folder: Path) -> str:
    """A Markdown table: each template, what it extends, and the blocks it defines."""
    rows = ["| Template | Extends | Blocks |", "| --- | --- | --- |"]
    for name, found in outlines(folder).items():
        extends = f"`{found.extends}`" if found.extends else "—"
        blocks = ", ".join(f"`{block}`" for block in found.blocks) or "—"
        rows.append(f"| `{name}` | {extends} | {blocks} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    from chronicle import theme

    print(table(theme.templates()), end="")
