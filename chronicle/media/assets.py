"""Fingerprinted static files: `style.css` is also written as `style.<hash>.css`, and pages
link the fingerprinted name, so a host may cache it for a year and a new build is still
seen at once (the name changes with the content).

The plain names stay in the output too: an author's own template or Markdown may link
`/style.css`, and hosts look for `/favicon.ico`-like names by convention.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

HASH_LENGTH = 10
# Only what the default theme and typical static/ folders hold; media are content, not assets.
FINGERPRINTED = {
    ".css",
    ".js",
    ".mjs",
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".ico",
    ".woff",
    ".woff2",
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass
class Assets:
    """Static paths ("style.css") and their fingerprinted names, plus the files to write."""

    urls: dict[str, str] = field(default_factory=dict)  # "style.css" -> "style.1a2b3c4d5e.css"
    rendered: dict[str, bytes] = field(default_factory=dict)  # rewritten stylesheets
    copied: dict[str, Path] = field(default_factory=dict)  # fingerprinted copies as they are

    def url(self, rel: str) -> str | None:
        return self.urls.get(rel.lstrip("/"))


def fingerprinted_name(rel: str, data: bytes) -> str:
    path = PurePosixPath(rel)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def fingerprint(static: Mapping[str, Path]) -> Assets:
    """Fingerprint every static file of a known type; stylesheets first have their own
    references to other static files rewritten, so that a changed font renames the CSS too."""
    assets = Assets()
    candidates = {
        rel: path
        for rel, path in static.items()
        if not rel.startswith("media/") and PurePosixPath(rel).suffix.lower() in FINGERPRINTED
    }
    visiting: set[str] = set()

    def resolve(rel: str) -> str:
        if rel in assets.urls or rel not in candidates:
            return assets.urls.get(rel, rel)
        path = candidates[rel]
        if PurePosixPath(rel).suffix.lower() != ".css" or rel in visiting:
            data = path.read_bytes()
            assets.copied[fingerprinted_name(rel, data)] = path
        else:
            visiting.add(rel)
            data = _rewrite_css(rel, path.read_text(encoding="utf-8"), resolve).encode("utf-8")
            visiting.discard(rel)
            assets.rendered[fingerprinted_name(rel, data)] = data
        assets.urls[rel] = fingerprinted_name(rel, data)
        return assets.urls[rel]

    for rel in sorted(candidates):
        resolve(rel)
    return assets


def _rewrite_css(rel: str, css: str, resolve: Callable[[str], str]) -> str:
    """Point `url(...)` and `@import` at fingerprinted names; other references stay."""
    folder = posixpath.dirname(rel)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2) or match.group(4)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", target, re.IGNORECASE):
            return match.group(0)
        bare = re.split(r"[?#]", target, maxsplit=1)[0]
        if bare.startswith("/"):
            return match.group(0)  # site-absolute: would need the base path; left as written
        joined = posixpath.normpath(posixpath.join(folder, bare))
        new = resolve(joined)
        if new == joined:
            return match.group(0)
        relative = posixpath.relpath(new, folder or ".")
        return match.group(0).replace(target, relative + target[len(bare) :])

    return _CSS_URL.sub(replace, css)
