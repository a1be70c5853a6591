"""Rendering: every page of every language rendered in memory, or a report of what failed.

Nothing is written here; the output stage writes only when all of this has succeeded.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import i18n
from .content import Entry
from .errors import Location, Report, relative
from .localize import LocalSite, route
from .model import Site

THEME = Path(__file__).parent / "theme"


@dataclass(frozen=True)
class PageJob:
    """One output file: its path in the output, its template, and what it shows."""

    output: str  # e.g. "people/ada/index.html"
    template: str
    path: str  # site path without language, for the language switcher
    lang: str
    context: dict[str, Any] = field(default_factory=dict, hash=False)
    source: Location | None = None  # the content file that this page shows


def make_environment(site_root: Path) -> jinja2.Environment:
    """Site templates first, then the default theme's, one file at a time."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([site_root / "templates", THEME / "templates"]),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = lambda d, lang: i18n.format_date(d, lang)
    env.globals["language_name"] = i18n.language_name
    env.globals["html_lang"] = i18n.html_lang
    return env


def jobs_for_language(local: LocalSite) -> Iterator[PageJob]:
    lang = local.lang
    prefix = "" if lang == local.default_lang else f"{lang}/"

    def job(path: str, template: str, source: Entry | None = None, **context: Any) -> PageJob:
        output = prefix + path.strip("/") + "/index.html" if path != "/" else prefix + "index.html"
        return PageJob(
            output.lstrip("/"), template, path, lang, context, source.location if source else None
        )

    yield job("/", "home.html")
    yield job("/people/", "people.html")
    yield job("/organizations/", "organizations.html")
    yield job("/timeline/", "timeline.html")
    yield job("/tags/", "tags.html")
    for person in local.people.values():
        yield job(route(person), "person.html", person, person=person)
    for org in local.organizations.values():
        yield job(route(org), "organization.html", org, org=org)
    for event in local.events:
        yield job(route(event), "event.html", event, event=event)
    for page in local.pages.values():
        yield job(route(page), "page.html", page, page=page)
    for tag in local.tags:
        yield job(f"/tags/{tag.key}/", "tag.html", tag=tag)


def site_jobs(locals_: list[LocalSite]) -> Iterator[PageJob]:
    pages = [job for local in locals_ for job in jobs_for_language(local)]
    yield from pages
    default = locals_[0].lang
    base_url = locals_[0].settings.base_url
    urls = [base_url + job.output.removesuffix("index.html") for job in pages]
    yield PageJob("404.html", "404.html", "/404.html", default)
    yield PageJob("feed.xml", "feed.xml", "/feed.xml", default)
    yield PageJob("sitemap.xml", "sitemap.xml", "/sitemap.xml", default, {"sitemap_urls": urls})
    yield PageJob("robots.txt", "robots.txt", "/robots.txt", default)


def render_site(site: Site, site_root: Path) -> tuple[dict[str, bytes], Report]:
    """Render every page; returns output path -> bytes, and every template problem."""
    env = make_environment(site_root)
    report = Report()
    pages: dict[str, bytes] = {}
    locals_ = {lang: LocalSite(site, lang) for lang in site.settings.languages}
    seen: set[tuple[str, int, str]] = set()
    for job in site_jobs(list(locals_.values())):
        local = locals_[job.lang]
        context = {
            "site": local,
            "t": local.t,
            "lang": job.lang,
            "page_path": job.path,
            "alternates": _alternates(local, locals_, job),
            **job.context,
        }
        try:
            text = env.get_template(job.template).render(context)
        except jinja2.TemplateError as exc:
            location, message = template_problem(exc, site_root, job)
            if (location.path, location.line, str(exc)) not in seen:
                seen.add((location.path, location.line, str(exc)))
                report.error(location, message)
            continue
        pages[job.output] = text.encode("utf-8")
    return pages, report


def _alternates(
    local: LocalSite, locals_: dict[str, LocalSite], job: PageJob
) -> list[dict[str, str]]:
    """The same page in every language, for hreflang and the language switcher."""
    if job.output in ("404.html", "feed.xml", "sitemap.xml", "robots.txt"):
        return []
    return [
        {"lang": lang, "url": other.url(job.path), "absolute": other.absolute(job.path)}
        for lang, other in locals_.items()
    ]


def template_problem(
    exc: jinja2.TemplateError, site_root: Path, job: PageJob
) -> tuple[Location, str]:
    """The template file and line of a Jinja error, and a message naming the page's source."""
    filename, line = None, 1
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno or 1
    else:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt")) and Path(name).exists():
                filename, line = name, lineno
    path = _template_display(filename, site_root) if filename else f"templates/{job.template}"
    kind = (
        "template syntax error" if isinstance(exc, jinja2.TemplateSyntaxError) else "template error"
    )
    shown = job.source.path if job.source else f"/{job.output}"
    message = (exc.message or str(exc)).rstrip(".")
    return Location(path, line), f"{kind}: {message} (while rendering {shown})"


def _template_display(filename: str, site_root: Path) -> str:
    path = Path(filename)
    if path.resolve().is_relative_to(site_root.resolve()):
        return relative(path.resolve(), site_root.resolve())
    return f"{path.parent.name}/{path.name} (default theme: {path})"
