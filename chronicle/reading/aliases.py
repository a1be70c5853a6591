"""Aliases: old addresses of a page, listed by its author, where the build leaves a redirect.

An alias is a site path as it was once served (`/people/old-name/`), written without the
sub-path of `base_url` and without a language folder: every language gets its own
redirect, to that language's version of the page. The redirect pages are ordinary
outputs, so they may never take the place of a real page; that is checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from chronicle.errors import Location, Report
from chronicle.reading.fields import Fields
from chronicle.reading.yamltree import Scalar

_FILE_SUFFIXES = (".html", ".htm")
_BAD_CHARS = re.compile(r"[\s?#\\\"<>]")


@dataclass(frozen=True)
class Alias:
    path: str  # as written, e.g. "/people/old-name/"
    location: Location

    def output(self, lang_prefix: str = "") -> str:
        """The file that holds the redirect: a folder's index.html, or the .html file."""
        rest = unquote(self.path).strip("/")
        if rest.endswith(_FILE_SUFFIXES):
            return lang_prefix + rest
        return f"{lang_prefix}{rest}/index.html"


def read_aliases(fields: Fields) -> list[Alias]:
    """The `aliases` field: a list of site paths; each problem is reported where it was written.

    Only the path's own form is checked here (content files are parsed one by one and
    cached); what depends on the whole site is checked with the redirects.
    """
    aliases: list[Alias] = []
    for item in fields.seq("aliases"):
        if not isinstance(item, Scalar) or not item.text.strip():
            fields.error(item, "each item of `aliases` must be a site path such as `/people/old/`")
            continue
        path = item.text.strip()
        problem = alias_problem(path)
        if problem:
            fields.error(item, f"`aliases`: {problem}")
            continue
        aliases.append(Alias(path, fields.location(item)))
    return aliases


def alias_problem(path: str) -> str | None:
    """Why `path` cannot be an alias, or None."""
    example = "such as `/people/old-name/`"
    if not path.startswith("/") or path.startswith("//"):
        return f"`{path}` must be a site path starting with a single `/`, {example}"
    if _BAD_CHARS.search(path):
        return f"`{path}` may not hold spaces, quotes, `?`, `#` or `\\`: give the path only"
    parts = [p for p in unquote(path).split("/") if p]
    if not parts:
        return "`/` is the home page and cannot be an alias"
    if any(p in (".", "..") for p in parts):
        return f"`{path}` may not hold `.` or `..` segments"
    return None


@dataclass(frozen=True)
class Redirect:
    """One redirect page: where it is written, and the site path it leads to."""

    output: str
    target: str  # site path of the page, before sub-path and language
    alias: Alias


def check_redirects(
    redirects: list[Redirect], routes: dict[str, str], languages: Iterable[str], report: Report
) -> set[Alias]:
    """Report redirects that would take a real page's place, or another redirect's.

    Give the default language's redirects: every other language has the same paths
    under its folder, so the same collisions, which would only repeat the message.
    Returns the aliases that get no redirect.
    """
    rejected: set[Alias] = set()
    claimed: dict[str, Redirect] = {}
    folders = set(languages)
    for redirect in redirects:
        alias = redirect.alias
        first_segment = redirect.output.split("/", 1)[0]
        if first_segment in folders:
            report.error(
                alias.location,
                f"alias `{alias.path}` starts with the language folder `/{first_segment}/`: "
                "write the path without it; every language gets its own redirect",
            )
            rejected.add(alias)
            continue
        if redirect.output in routes:
            report.error(
                alias.location,
                f"alias `{alias.path}` is the address of an existing page "
                f"({routes[redirect.output]}): a redirect cannot replace it",
            )
            rejected.add(alias)
            continue
        first = claimed.setdefault(redirect.output, redirect)
        if first.target != redirect.target:
            report.error(
                alias.location,
                f"alias `{alias.path}` is already claimed by {first.alias.location.path}"
                f":{first.alias.location.line}: an old address can lead to one page only",
            )
            rejected.add(alias)
    return rejected
