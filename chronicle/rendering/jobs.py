"""The list of pages to render: one PageJob per output file, each language's pages, then
the files that serve the whole site (404, feeds, sitemaps, robots.txt) and the redirect
pages of aliases. Listing them reads the model only; nothing is rendered here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from chronicle.errors import Location, Report
from chronicle.model.localize import LocalSite, route
from chronicle.model.site import Site
from chronicle.reading.aliases import Redirect, check_redirects
from chronicle.reading.content import Entry
from chronicle.reading.dates import PartialDate
from chronicle.rendering import metadata
from chronicle.rendering.sitemap import SitemapEntry, sitemap_files, uri

# One for every page job that has none; a dict, not a read-only view, as the state pickles
# the jobs. Never changed in place.
_NO_CONTEXT: Mapping[str, Any] = {}


class PageJob(NamedTuple):  # a tuple: the state keeps one per page (quicker to unpickle)
    """One output file: its path in the output, its template, and what it shows."""

    output: str  # e.g. "people/ada/index.html"
    template: str
    path: str  # site path without language, for the language switcher
    lang: str
    context: Mapping[str, Any] = _NO_CONTEXT  # never changed in place
    source: Location | None = None  # the content file that this page shows
    lastmod: str | None = None  # YYYY-MM-DD from the content's dates, for the sitemap


# Outputs that are not pages of the site: no language alternates, not in the sitemap.
NOT_PAGES = ("404.html", "feed.xml", "feed.json", "sitemap.xml", "robots.txt", "redirect.html")


def jobs_for_language(local: LocalSite) -> Iterator[PageJob]:
    """The pages of one language: lists, then an entry's page each, then tags and the
    timeline narrowed to one person, organization or tag."""
    lang = local.lang
    prefix = "" if lang == local.default_lang else f"{lang}/"
    model = local.model

    def job(
        path: str,
        template: str,
        source: Entry | None = None,
        dates: list[PartialDate] | None = None,
        **context: Any,
    ) -> PageJob:
        output = prefix + path.strip("/") + "/index.html" if path != "/" else prefix + "index.html"
        if source is not None and dates is None:
            dates = metadata.dates_of(model, source)
        return PageJob(
            output.lstrip("/"),
            template,
            path,
            lang,
            context,
            source.location if source else None,
            metadata.lastmod(dates or []),
        )

    # Pages that show the timeline change with its latest event; plain lists have no date.
    every_event = [d for e in model.events for d in (e.date, e.end) if d is not None]
    yield job("/", "home.html", dates=every_event)
    yield job("/people/", "people.html")
    yield job("/organizations/", "organizations.html")
    yield job("/timeline/", "timeline.html", dates=every_event)
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
        tagged = [d for e in model.tagged.get(tag.key, []) for d in metadata.dates_of(model, e)]
        yield job(f"/tags/{tag.key}/", "tag.html", dates=tagged, tag=tag)
    yield from _filter_jobs(model, job)


def _filter_jobs(model: Site, job: Any) -> Iterator[PageJob]:
    """The timeline narrowed to one person, organization or tag: /timeline/<kind>/<key>/,
    for everyone and everything that has an event. Only keys go in the context, so the
    page depends on the timeline's events and labels, not on a biography."""
    indexes = {"people": model.events_of_person, "organizations": model.events_of_org}
    for kind, index in indexes.items():
        for slug, events in index.items():
            if events and slug in getattr(model, kind):
                dates = [d for e in events for d in (e.date, e.end) if d is not None]
                path = f"/timeline/{kind}/{slug}/"
                yield job(path, "timeline.html", dates=dates, filter_kind=kind, filter_key=slug)
    for key, entries in model.tagged.items():
        tagged = [e for e in entries if e.kind == "events"]
        if tagged:
            dates = [d for e in tagged for d in metadata.dates_of(model, e)]
            path = f"/timeline/tags/{key}/"
            yield job(path, "timeline.html", dates=dates, filter_kind="tags", filter_key=key)


def site_jobs(locals_: list[LocalSite], report: Report | None = None) -> Iterator[PageJob]:
    """Every output rendered from a template: the pages of every language, then the files
    that serve the whole site (404, feeds, sitemap, robots.txt), then alias redirects."""
    pages = [job for local in locals_ for job in jobs_for_language(local)]
    yield from pages
    default = locals_[0].lang
    base_url = locals_[0].settings.base_url
    entries = [
        SitemapEntry(uri(base_url + job.output.removesuffix("index.html")), job.lastmod)
        for job in pages
    ]
    yield PageJob("404.html", "404.html", "/404.html", default)
    for local in locals_:  # each language's events in its own feeds
        prefix = "" if local.lang == default else f"{local.lang}/"
        yield PageJob(prefix + "feed.xml", "feed.xml", "/feed.xml", local.lang)
        yield PageJob(prefix + "feed.json", "feed.json", "/feed.json", local.lang)
    for sitemap in sitemap_files(entries, base_url):
        context = {
            "sitemap_urls": [e.loc for e in sitemap.entries],  # kept for site templates
            "sitemap_entries": sitemap.entries,
            "sitemap_parts": sitemap.parts,
        }
        template = "sitemap-index.xml" if sitemap.parts else "sitemap.xml"
        yield PageJob(sitemap.output, template, "/" + sitemap.output, default, context)
    yield PageJob("robots.txt", "robots.txt", "/robots.txt", default)
    outputs = [job.output for job in pages] + [s.output for s in sitemap_files(entries, base_url)]
    yield from _redirect_jobs(locals_, outputs, report)


def _redirect_jobs(
    locals_: list[LocalSite], outputs: list[str], report: Report | None
) -> Iterator[PageJob]:
    """A redirect page at every alias, in every language; collisions are reported."""
    routes = {out: "/" + out.removesuffix("index.html") for out in outputs}
    routes.update({name: "/" + name for name in NOT_PAGES if name != "redirect.html"})
    default = locals_[0]
    languages = default.settings.languages[1:]
    rejected = check_redirects(redirects_of(default), routes, languages, report or Report())
    for local in locals_:
        for redirect in redirects_of(local):
            if redirect.alias in rejected:
                continue  # reported once, for the default language
            yield PageJob(
                redirect.output,
                "redirect.html",
                redirect.alias.path,
                local.lang,
                {"target": redirect.target},
                redirect.alias.location,
            )


def redirects_of(local: LocalSite) -> list[Redirect]:
    """One language's aliases, each with the page it leads to."""
    prefix = "" if local.lang == local.default_lang else f"{local.lang}/"
    entries: list[Entry] = [
        *local.people.values(),
        *local.organizations.values(),
        *local.events,
        *local.pages.values(),
    ]
    return [
        Redirect(alias.output(prefix), route(entry), alias)
        for entry in entries
        for alias in entry.aliases
    ]
