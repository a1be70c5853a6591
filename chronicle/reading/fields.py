"""Field readers: turn located YAML nodes into typed values, or report why they cannot be.

Each reader takes the node as written and decides its meaning for the field, so YAML's
own guesses never leak: `role: no` stays "no", `date: 2023` is the year 2023, and a
boolean is only `true` or `false`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from chronicle.errors import Hint, Location, Report, closest, did_you_mean
from chronicle.reading.dates import DATE, DateError, PartialDate, parse_date
from chronicle.reading.yamltree import Map, Node, Scalar, Seq, YamlProblem, to_python

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
WEB_SCHEMES = ("http", "https")


class Ref(NamedTuple):
    """A slug written in a content file, with where it was written (a tuple, as Location)."""

    slug: str
    location: Location


class Source(NamedTuple):
    title: str
    url: str | None


@dataclass(frozen=True)
class Affiliation:
    org: Ref
    role: str | None
    start: PartialDate | None
    end: PartialDate | None


@functools.lru_cache(maxsize=4096)  # a site has few tags, written on thousands of entries
def tag_key(text: str) -> str:
    """ "Deep Learning", "deep learning" and "deep-learning" are one tag: `deep-learning`."""
    return "-".join(unicodedata.normalize("NFKC", text).casefold().split())


_TAG_FORBIDDEN = re.compile(r"[/\\?#%]")


def check_slug(slug: str) -> str | None:
    """Why `slug` is not a valid slug, or None when it is."""
    if len(slug) > MAX_SLUG:
        return f"slug `{slug[:20]}…` is {len(slug)} characters long; at most {MAX_SLUG} are allowed"
    if not SLUG_RE.fullmatch(slug):
        return (
            f"`{slug}` is not a valid slug: use lower-case letters, digits and single hyphens, "
            f"e.g. `{suggest_slug(slug)}`"
        )
    return None


def suggest_slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:MAX_SLUG].strip("-") or "my-slug"


class Fields:
    """Reads the fields of one mapping, reporting every problem with its location."""

    def __init__(self, node: Map, path: str, report: Report) -> None:
        self.node = node
        self.path = path
        self.report = report

    def location(self, node: Node) -> Location:
        return Location(self.path, node.line, node.col)

    def error(self, node: Node, message: str, hint: Hint | None = None) -> None:
        self.report.error(self.location(node), message, hint)

    def get(self, name: str) -> Node | None:
        entry = self.node.entries.get(name)
        if entry is None:
            return None
        value = entry[1]
        if isinstance(value, Scalar) and value.is_null:
            return None
        return value

    def value_location(self, name: str) -> Location | None:
        entry = self.node.entries.get(name)
        return self.location(entry[1]) if entry else None

    def tags(self) -> list[str]:
        """Tags: text that can be a web address once made a tag key."""
        values = []
        for item in self.seq("tags"):
            if not isinstance(item, Scalar) or not item.text.strip():
                self.error(item, "each item of `tags` must be text")
                continue
            text = " ".join(item.text.split())
            key = tag_key(text)
            if _TAG_FORBIDDEN.search(key) or key in (".", ".."):
                self.error(
                    item, f"tag `{text}` cannot be a web address: tags may not hold / \\ ? # or %"
                )
                continue
            values.append(text)
        return values

    def key_location(self, name: str) -> Location:
        entry = self.node.entries.get(name)
        return self.location(entry[0] if entry else self.node)

    def reject_unknown(
        self,
        known: Iterable[str],
        why: Callable[[str], str | None] | None = None,
        why_hint: Hint | None = None,
    ) -> None:
        """Report each field not `known`: why(name) says why it is refused, if it can
        (with `why_hint`), else it is an unknown field."""
        allowed = set(known)
        for name, (key, _value) in self.node.entries.items():
            if name in allowed:
                continue
            reason = why(name) if why else None
            if reason is not None:
                self.error(key, reason, why_hint)
                continue
            self.error(
                key,
                f"unknown field `{name}`{did_you_mean(name, allowed)}; "
                "put your own fields under `extra`",
                Hint("unknown-field", (name, closest(name, allowed) or "")),
            )

    def require(self, name: str) -> Node | None:
        node = self.get(name)
        if node is None:
            where = self.node.entries.get(name)
            self.report.error(
                self.location(where[0]) if where else self.location(self.node),
                f"`{name}` is required" + (" but empty" if where else ""),
                Hint("required", (name,)),
            )
        return node

    # -- scalar fields -----------------------------------------------------------------

    def text(self, name: str, *, required: bool = False, one_line: bool = False) -> str | None:
        node = self.require(name) if required else self.get(name)
        if node is None:
            return None
        if not isinstance(node, Scalar):
            self.error(node, f"`{name}` must be text, not {_kind(node)}")
            return None
        value = node.text.strip()
        if one_line:
            value = " ".join(value.split())
        if required and not value:
            self.error(node, f"`{name}` is required but empty", Hint("required", (name,)))
            return None
        return value

    def boolean(self, name: str) -> bool:
        node = self.get(name)
        if node is None:
            return False
        if isinstance(node, Scalar) and node.plain and node.text in ("true", "false"):
            return node.text == "true"
        shown = _kind(node)
        if isinstance(node, Scalar):
            shown = node.text if node.plain else f'"{node.text}"'
        self.error(
            node, f"`{name}` must be `true` or `false`, not `{shown}`", Hint("boolean", (name,))
        )
        return False

    def date(self, name: str, *, required: bool = False) -> PartialDate | None:
        node = self.require(name) if required else self.get(name)
        return self.date_of(name, node) if node is not None else None

    def date_of(self, name: str, node: Node) -> PartialDate | None:
        if not isinstance(node, Scalar):
            self.error(
                node,
                f"`{name}` must be a date (YYYY, YYYY-MM or YYYY-MM-DD), not {_kind(node)}",
                DATE,
            )
            return None
        try:
            return parse_date(node.text)
        except DateError as exc:
            self.error(node, f"`{name}`: {exc}", exc.hint)
            return None

    def url(self, name: str, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
        node = self.get(name)
        return self.url_of(name, node, schemes) if node is not None else None

    def url_of(self, name: str, node: Node, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
        if not isinstance(node, Scalar):
            self.error(node, f"`{name}` must be a URL, not {_kind(node)}")
            return None
        value = node.text.strip()
        parts = urlsplit(value)
        if parts.scheme.lower() not in schemes or (parts.scheme != "mailto" and not parts.netloc):
            allowed = " or ".join(schemes)
            self.error(
                node, f"`{name}` must be an absolute {allowed} URL, not `{value}`", Hint("url")
            )
            return None
        return value

    # -- collections -------------------------------------------------------------------

    def seq(self, name: str) -> list[Node]:
        node = self.get(name)
        if node is None:
            return []
        if not isinstance(node, Seq):
            example = f"{name}: [{node.text}]" if isinstance(node, Scalar) else f"{name}: [...]"
            self.error(node, f"`{name}` must be a list, e.g. `{example}`", Hint("list"))
            return []
        return node.items

    def strings(self, name: str) -> list[str]:
        values = []
        for item in self.seq(name):
            if isinstance(item, Scalar) and item.text.strip():
                values.append(" ".join(item.text.split()))
            else:
                self.error(item, f"each item of `{name}` must be text")
        return values

    def refs(self, name: str) -> list[Ref]:
        refs = []
        for item in self.seq(name):
            ref = self.ref_of(name, item)
            if ref is not None:
                refs.append(ref)
        return refs

    def ref_of(self, name: str, node: Node) -> Ref | None:
        if not isinstance(node, Scalar) or not node.text.strip():
            self.error(node, f"each item of `{name}` must be a slug")
            return None
        slug = node.text.strip()
        problem = check_slug(slug)
        if problem:
            self.error(node, f"`{name}`: {problem}", Hint("slug"))
            return None
        return Ref(slug, self.location(node))

    def mapping(self, name: str) -> Map | None:
        node = self.get(name)
        if node is None:
            return None
        if not isinstance(node, Map):
            self.error(node, f"`{name}` must be a mapping of `label: value` lines")
            return None
        return node

    def links(self, name: str) -> dict[str, str]:
        node = self.mapping(name)
        links: dict[str, str] = {}
        if node is None:
            return links
        for label, (_key, value) in node.entries.items():
            url = self.url_of(f"{name}.{label}", value, (*WEB_SCHEMES, "mailto"))
            if url is not None:
                links[label] = url
        return links

    def extra(self) -> dict[str, Any]:
        node = self.get("extra")
        if node is None:
            return {}
        if not isinstance(node, Map):
            self.error(node, "`extra` must be a mapping of your own fields")
            return {}
        problems: list[YamlProblem] = []
        value = to_python(node, problems)
        for problem in problems:
            self.report.error(
                Location(self.path, problem.line, problem.col),
                f"`extra`: {problem.message}",
                problem.hint,
            )
        return value if isinstance(value, dict) else {}

    def sub(self, node: Node, what: str) -> Fields | None:
        """Fields of a nested mapping, such as one source or one affiliation."""
        if not isinstance(node, Map):
            self.error(node, f"each item of `{what}` must be a mapping")
            return None
        return Fields(node, self.path, self.report)

    def organization_items(self) -> Iterator[tuple[Ref | None, Fields | None]]:
        """Each item of `organizations`, as an original and a translation both read it:
        a slug alone, as (ref, None); or a mapping, its keys checked, as (the `org` it
        names, if any, its fields)."""
        for item in self.seq("organizations"):
            if isinstance(item, Scalar):
                ref = self.ref_of("organizations", item)
                if ref is not None:
                    yield ref, None
                continue
            sub = self.sub(item, "organizations")
            if sub is None:
                continue
            sub.reject_unknown(("org", "role", "from", "to"))
            org_node = sub.require("org")
            yield (sub.ref_of("org", org_node) if org_node is not None else None), sub


def _kind(node: Node) -> str:
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, Map):
        return "a mapping"
    return "text"


def text_line(node: Node) -> int:
    """The file line a text value starts on: its own, or the next for a block (`|`, `>`)."""
    block = isinstance(node, Scalar) and getattr(node.raw, "style", None) in ("|", ">")
    return node.line + (1 if block else 0)
