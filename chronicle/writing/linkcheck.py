"""`build.py check`: every internal link, `#anchor`, image and asset reference of the
rendered pages must lead to something the build makes. Nothing is fetched: external
links are only counted (and listed on request).

A broken reference is reported where it was written, not where it ended up: the
Markdown file and line for a link in a body, else the template line that printed it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from chronicle.errors import Hint, Location, Report, relative
from chronicle.model.localize import LocalSite
from chronicle.reading import safefs
from chronicle.reading.content import Entry
from chronicle.rendering.jobs import PageJob
from chronicle.rendering.render import Renderer
from chronicle.rendering.sourcemap import markdown_links, piece_at, template_location, trace
from chronicle.writing.pagelinks import PageLinks, Reference, parse_page
from chronicle.writing.plan import Plan

# A fragment that browsers resolve without an element: the top of the page.
TOP = ("", "top")


@dataclass
class LinkCheck:
    """What `check` found: broken references as located problems, and external links."""

    report: Report = field(default_factory=Report)
    pages: int = 0
    internal: int = 0
    external: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        broken, warnings = len(self.report.errors), len(self.report.warnings)
        verdict = "all resolve" if not broken else f"{broken} broken"
        if warnings:
            verdict += f", {warnings} warning{'s' if warnings != 1 else ''}"
        return (
            f"checked {self.pages} pages: {self.internal} internal references, {verdict}; "
            f"{len(self.external)} external links not fetched (--list-external lists them)"
        )


@dataclass(frozen=True)
class Verdict:
    kind: str  # "ok", "external", "skip" (data: and javascript:), "error" or "warning"
    message: str = ""


OK, EXTERNAL, SKIP = Verdict("ok"), Verdict("external"), Verdict("skip")


@dataclass(frozen=True)
class _Broken:
    page: str  # output path of the page holding the reference
    reference: Reference
    message: str
    severity: str = "error"


class LinkChecker:
    def __init__(self, plan: Plan, renderer: Renderer, site_root: Path) -> None:
        self.plan = plan
        self.renderer = renderer
        self.site_root = site_root
        self.base_url = renderer.settings.base_url
        self.base_path = renderer.settings.base_path
        self.outputs = set(plan.paths())
        # Rendered pages, and HTML files copied as they are from static/ or media.
        self.pages = sorted(rel for rel in self.outputs if rel.endswith((".html", ".htm")))
        self.texts = {
            rel: data.decode("utf-8")
            for rel, data in plan.rendered.items()
            if rel.endswith((".html", ".htm"))
        }
        self._parsed: dict[str, PageLinks] = {}
        self._jobs = {job.output: job for job in renderer.jobs}

    def page_url(self, rel: str) -> str:
        """Where a page is served: a folder's address for its index.html."""
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel.removesuffix("index.html")
        return self.base_url + rel

    def text(self, rel: str) -> str:
        """A page's text: rendered, or an HTML file copied from static/ or media."""
        if rel not in self.texts and rel in self.plan.copied:
            try:  # from the file opened and checked (safefs), as it is published
                data = safefs.read_bytes(self.plan.copied[rel], self.plan.allowed)
            except safefs.UnsafeFileError:
                data = b""  # copying it fails the build with the reason
            self.texts[rel] = data.decode("utf-8", errors="replace")
        return self.texts.get(rel, "")

    def links(self, rel: str) -> PageLinks:
        if rel not in self._parsed:
            self._parsed[rel] = parse_page(self.text(rel))
        return self._parsed[rel]

    def run(self) -> LinkCheck:
        result = LinkCheck(pages=len(self.pages))
        broken: list[_Broken] = []
        for rel in sorted(self.pages, key=self._page_order):
            for reference in self.links(rel).references:
                verdict = self.resolve(rel, reference.url)
                if verdict is EXTERNAL:
                    result.external[reference.url] += 1
                elif verdict is not SKIP:
                    result.internal += 1
                if verdict.kind in ("error", "warning"):
                    broken.append(_Broken(rel, reference, verdict.message, verdict.kind))
        self._report(broken, result.report)
        return result

    def _page_order(self, rel: str) -> tuple[bool, str]:
        """The default language's pages first: their addresses are the ones reported."""
        job = self._jobs.get(rel)
        return (job is not None and job.lang != self.renderer.default_lang, rel)

    # -- resolving ---------------------------------------------------------------------

    def resolve(self, rel: str, url: str) -> Verdict:
        """Whether a reference on page `rel` leads somewhere the build makes."""
        if not url or url.lower().startswith(("data:", "javascript:")):
            return SKIP
        absolute = urljoin(self.page_url(rel), url)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return EXTERNAL
        site_root_url = self.base_url.rstrip("/")
        if not (absolute.startswith(self.base_url) or absolute.split("#")[0] == site_root_url):
            written_as_path = not urlsplit(url).scheme and not url.startswith("//")
            if written_as_path and parts.netloc == urlsplit(self.base_url).netloc:
                return Verdict(
                    "error",
                    f"link `{url}` leads outside the site's base path {self.base_path}: site "
                    "paths get the sub-path only as Markdown links (`[text](/people/)`) or "
                    "through site.url() and site.asset() in templates",
                )
            return EXTERNAL
        return self._resolve_internal(url, parts.path, parts.fragment)

    def _resolve_internal(self, url: str, path: str, fragment: str) -> Verdict:
        inside = unquote(path[len(self.base_path) :] if path.startswith(self.base_path) else "")
        if inside == "" or inside.endswith("/"):
            target = inside + "index.html"
        elif inside in self.outputs:
            target = inside
        elif inside + "/index.html" in self.outputs:
            return Verdict(
                "warning",
                f"link `{url}` leads to a folder without its final `/`: most hosts answer with "
                f"a redirect, some with 404; write `{url.split('#')[0]}/`",
            )
        else:
            target = inside
        if target not in self.outputs:
            where = self.base_path + inside
            return Verdict("error", f"broken link `{url}`: nothing is built at {where}")
        anchor = unquote(fragment)
        is_page = target.endswith((".html", ".htm"))
        if is_page and anchor not in TOP and anchor not in self.links(target).ids:
            shown = self.base_path + target.removesuffix("index.html")
            return Verdict(
                "error", f"broken anchor `{url}`: {shown} has no element with id `{anchor}`"
            )
        return OK

    # -- reporting ---------------------------------------------------------------------

    def _report(self, broken: list[_Broken], report: Report) -> None:
        """One problem per place and message, naming the first page it was found on."""
        # The same source line breaks the same way on each language's page, with that
        # language's address: one message, with the first page's address, is enough.
        grouped: dict[tuple[Location, str, str], list[_Broken]] = {}
        for item in broken:
            location = self.locate(item.page, item.reference)
            kind = item.message.split("`", 1)[0]
            grouped.setdefault((location, item.severity, kind), []).append(item)
        for (location, severity, _kind), items in grouped.items():
            message, pages = items[0].message, [item.page for item in items]
            first = self.base_path + pages[0].removesuffix("index.html")
            more = f" and {len(pages) - 1} more" if len(pages) > 1 else ""
            text = f"{message} (on {first}{more})"
            if severity == "error":
                report.error(location, text, Hint("link"))
            else:
                report.warning(location, text, Hint("link"))

    def locate(self, rel: str, reference: Reference) -> Location:
        """Where the reference was written: a Markdown line, a template line, a static file."""
        if rel in self.plan.copied:
            path = relative(self.plan.copied[rel], self.site_root)
            return _offset_location(path, self.text(rel), reference.offset)
        job = self._jobs.get(rel)
        if job is None:
            return Location(rel)
        found = self._in_body(job, reference)
        if found is not None:
            return found
        template = self.renderer.env.get_template(job.template)
        text, pieces = trace(template, self.renderer.context(job))
        # A page that renders differently the second time cannot be traced; name its template.
        piece = piece_at(pieces, reference.offset) if text == self.texts.get(rel) else None
        if piece is None or not piece.filename:
            return Location(f"templates/{job.template}")
        return template_location(piece, reference.offset, self.site_root, reference.attribute)

    def _in_body(self, job: PageJob, reference: Reference) -> Location | None:
        """The Markdown line of a reference inside an entry's body shown on the page."""
        text = self.texts.get(job.output, "")
        local = self.renderer.locals[job.lang]
        for entry in _entries(local):
            html = local.body_html(entry)
            if not html:
                continue
            for start in _occurrences(text, html):
                if start <= reference.offset < start + len(html):
                    return self._markdown_location(local, entry, html, reference, start)
        return None

    def _markdown_location(
        self, local: LocalSite, entry: Entry, html: str, reference: Reference, start: int
    ) -> Location:
        path, first_line = body_source(entry, local.default_lang)
        try:  # a content file read before: opened as then (safefs), never a FIFO swapped in
            data = safefs.read_bytes(self.site_root / path, safefs.roots(self.site_root))
            lines = data.decode("utf-8", errors="replace").split("\n")
        except OSError:
            lines = []
        links = [
            link
            for link in markdown_links(entry.body, path, first_line, local.links, lines)
            if link.url == reference.url
        ]
        # The n-th occurrence of this address in the body is the n-th link written with it.
        before = [r for r in parse_page(html).references if r.url == reference.url]
        index = sum(1 for r in before if start + r.offset < reference.offset)
        if links:
            return links[min(index, len(links) - 1)].location
        return Location(path, first_line)


def body_source(entry: Entry, default_lang: str) -> tuple[str, int]:
    """The file and first line of the body an entry shows: its translation's, or its own."""
    translation = entry.translations.get(entry.lang) if entry.lang != default_lang else None
    if translation is not None and translation.body is not None:
        return translation.location.path, translation.body_line
    return entry.location.path, entry.body_line


def _offset_location(path: str, text: str, offset: int) -> Location:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = bisect_right(starts, offset)
    return Location(path, line, offset - starts[line - 1] + 1)


def _entries(local: LocalSite) -> Iterator[Entry]:
    yield from local.people.values()
    yield from local.organizations.values()
    yield from local.events
    yield from local.pages.values()


def _occurrences(text: str, part: str) -> Iterator[int]:
    start = text.find(part)
    while start >= 0:
        yield start
        start = text.find(part, start + 1)


def check_links(plan: Plan, renderer: Renderer, site_root: Path) -> LinkCheck:
    """Check every reference of every rendered page; nothing is fetched or written."""
    return LinkChecker(plan, renderer, site_root).run()
