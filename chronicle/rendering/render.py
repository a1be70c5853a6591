"""Rendering: every page of every language rendered in memory, or a report of what failed.

Nothing is written here; the output stage writes only when all of this has succeeded.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import traceback
from collections import ChainMap
from collections.abc import Callable, Hashable, Iterator, Mapping, MutableMapping
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any, NamedTuple, Protocol

import jinja2
import jinja2.runtime

from chronicle import theme
from chronicle.errors import Location, Report, relative
from chronicle.incremental.deps import Key, LangKey, RenderCache, RenderedPage, record, recording
from chronicle.incremental.workers import Crew, shared, spare_cores
from chronicle.media import images
from chronicle.media.images import Gallery, user_cache_folder
from chronicle.model import i18n, timeline
from chronicle.model.localize import LocalSite, Named, route
from chronicle.model.site import Site
from chronicle.reading.aliases import Redirect, check_redirects
from chronicle.reading.content import Entry
from chronicle.reading.dates import PartialDate
from chronicle.rendering import feeds, metadata
from chronicle.rendering.sitemap import SitemapEntry, sitemap_files, uri

_NO_CONTEXT: Mapping[str, Any] = {}  # one for every page job that has none


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


_ESCAPED = ("html", "xml")  # templates whose output is escaped


def make_environment(site_root: Path) -> jinja2.Environment:
    """Site templates first, then the default theme's, one file at a time."""
    env = _Environment(
        loader=theme.loader(site_root),
        autoescape=jinja2.select_autoescape(_ESCAPED, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        # A template file that changes makes a new environment (RenderCache.start, by the
        # fingerprint): no need to look at every template's mtime on every page.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.bytecode_cache = _compiled_templates(env)
    env.filters["date"] = i18n.Dates().format_date  # replaced by each Renderer's own
    env.globals["language_name"] = i18n.language_name
    env.globals["html_lang"] = i18n.html_lang
    env.globals["og_locale"] = metadata.og_locale
    env.globals["json_ld"] = metadata.json_ld
    env.globals["json_feed"] = feeds.json_feed
    env.globals["feed_items"] = feeds.feed_items
    env.globals["feed_updated"] = feeds.feed_updated
    # The theme's timeline, avatars and social cards (see timeline.py, images.py, cards.py).
    env.globals["site_timeline"] = timeline.site_timeline
    env.globals["timeline_filters"] = timeline.timeline_filters
    env.globals["filtered_events"] = timeline.filtered_events
    env.globals["hue"] = timeline.hue
    env.globals["monogram"] = images.monogram_svg
    env.globals["card_url"] = _card_url
    env.globals["picture"] = Gallery().picture  # replaced by each Renderer's own
    env.globals["site_stylesheet"] = theme.stylesheet(site_root)
    return env


class QuickCallContext(jinja2.runtime.Context):
    """Jinja's context, with calls to macros and to plain functions and methods
    (`site.url(...)`) made directly. Jinja looks at every callable, on every call, for a
    request to be passed the context: a microsecond each, at a million calls in a cold
    build. Macros never ask; for functions the answer is kept per function (functions are
    defined once); anything else (callable objects, functions that do ask for the context)
    goes the usual way."""

    @jinja2.utils.internalcode  # kept out of template tracebacks, as Jinja's own is
    def call(
        __self,  # noqa: N805 - Jinja's own spelling: keyword arguments may be named `self`
        __obj: Any,
        *args: Any,
        _loop_vars: Any = None,
        _block_vars: Any = None,
        **kwargs: Any,
    ) -> Any:
        kind = type(__obj)
        if kind is jinja2.runtime.Macro:  # a macro asks for no context: it is given its own
            return __obj(*args, **kwargs)
        func = __obj.__func__ if kind is MethodType else __obj if kind is FunctionType else None
        plain = _PLAIN_FUNCTIONS.get(func) if func is not None else False
        if plain is None:
            if len(_PLAIN_FUNCTIONS) > 4096:  # functions made on the fly: do not keep them all
                _PLAIN_FUNCTIONS.clear()
            plain = _PLAIN_FUNCTIONS[func] = not hasattr(func, "jinja_pass_arg")
        if not plain:
            return super().call(
                __obj, *args, _loop_vars=_loop_vars, _block_vars=_block_vars, **kwargs
            )
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_PLAIN_FUNCTIONS: dict[Any, bool] = {}  # function: whether it takes no context from Jinja


class _Environment(jinja2.Environment):
    """Jinja's environment, with templates' globals that answer `in` sooner: on every
    `{% import %}` (base.html's, on every page), Jinja compares the page's globals with the
    imported template's one name at a time, and a ChainMap's `in` is slow. Its contexts
    call functions sooner too (QuickCallContext)."""

    context_class = QuickCallContext

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals({} if d is None else d, self.globals)


class _Globals(ChainMap[str, Any]):
    def __contains__(self, key: object) -> bool:
        for layer in self.maps:  # noqa: SIM110 - any() over a generator is what was slow
            if key in layer:
                return True
        return False


def _compiled_templates(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Templates compiled once, kept in the user's cache (not the site's: a site's files may
    come from anyone, and compiled templates are code), keyed by each template's file and
    text, Jinja's version and the options they compile with. Compiling the three templates of
    a person's page is a twentieth of an edit build."""
    folder = user_cache_folder() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    compiling = (
        _ESCAPED,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        sorted(env.extensions),
        env.optimized,
    )
    options = hashlib.blake2b(repr(compiling).encode(), digest_size=6).hexdigest()
    return jinja2.FileSystemBytecodeCache(str(folder), f"{options}-%s.cache")


def _card_url(site: LocalSite, entry: Entry) -> str:
    """The absolute address of an entry's social card (cards.py makes one per person and
    event, in every language, beside the page)."""
    if not site.settings.social_cards:
        return ""
    prefix = site.settings.base_url
    lang = "" if site.lang == site.default_lang else f"{site.lang}/"
    return prefix + lang + route(entry).lstrip("/") + "card.png"


def jobs_for_language(local: LocalSite) -> Iterator[PageJob]:
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


class Renderer:
    """The Jinja environment and each language's view of the site: renders any page.

    With a RenderCache (kept by a long-lived process), a page whose recorded reads all
    still have their values is taken from the cache instead of being rendered again.
    """

    def __init__(
        self,
        site: Site,
        site_root: Path,
        assets: Mapping[str, str] | None = None,
        cache: RenderCache | None = None,
        gallery: Gallery | None = None,
        dates: i18n.Dates | None = None,
    ) -> None:
        self.site_root = site_root
        self.dates = dates or i18n.Dates()
        self.gallery = gallery or Gallery()
        if cache is not None:
            # Before taking the kept environment: a new or deleted template file changes
            # the fingerprint, which drops that environment with its compiled templates.
            # A changed photo renames its variants: every page showing it may change.
            cache.start(_fingerprint(site_root, site, assets) + self.gallery.digest())
        self.env = (
            cache.environment(site_root, make_environment)
            if cache is not None
            else make_environment(site_root)
        )
        self.env.globals["picture"] = self.gallery.picture
        self.env.filters["date"] = self.dates.format_date
        self.cache = cache
        markdown = cache.markdown if cache is not None else None
        self.locals = {
            lang: LocalSite(site, lang, assets, markdown, self.dates)
            for lang in site.settings.languages
        }
        self.site = site
        self.settings = site.settings
        self.default_lang = site.settings.default_language
        self.report = Report()
        self._bodies_only = False  # set by _list_jobs: only Markdown bodies changed
        self.jobs, self._keys = self._list_jobs(site)
        self.rendered = 0  # pages rendered in this build; the others came from the cache
        # Pages cached without their bytes: unchanged in the previous output (state.py).
        self.kept: set[str] = set()
        self._crew: Crew | None = None  # worker processes, from fork_workers()
        # Work besides the pages that a worker does first (fork_workers), and its results.
        self._asides: dict[str, Callable[[], object]] = {}
        self.asides: dict[str, object] = {}
        # Where pages go as they are rendered, instead of staying in memory (a build's
        # staging folder); their paths are then in `staged`.
        self.sink: Sink | None = None
        self.staged: set[str] = set()

    def _list_jobs(self, site: Site) -> tuple[list[PageJob], list[bytes]]:
        """Every page to render, and each one's key. The list depends on the entries' fields
        only, so a rebuild after an edit of Markdown bodies takes the kept one (its entries
        are then looked up again when a page renders, see context())."""
        if self.cache is None:
            report = Report()
            jobs = list(site_jobs(list(self.locals.values()), report))
            self.report.extend(report)
            return jobs, [_job_key(job) for job in jobs]
        shape = site.shape()
        self._bodies_only = bool(self.cache.pages) and self.cache.shape == shape
        self.cache.shape = shape
        kept = self.cache.jobs
        if kept is not None and kept[0] == shape:
            self.report.problems.extend(kept[3])
            return kept[1], kept[2]
        report = Report()
        jobs = list(site_jobs(list(self.locals.values()), report))
        keys = [_job_key(job) for job in jobs]
        self.cache.jobs = (shape, [_naming(job) for job in jobs], keys, list(report.problems))
        self.report.extend(report)
        return jobs, keys

    def context(self, job: PageJob) -> dict[str, Any]:
        local = self.locals[job.lang]
        return {
            "site": local,
            "t": local.t,
            "lang": job.lang,
            "page_path": job.path,
            "alternates": _alternates(local, self.locals, job),
            # A kept job may hold the entry of an earlier build: take this build's.
            **{name: local.current(value) for name, value in job.context.items()},
        }

    def render(self, job: PageJob) -> str:
        """One page's text; raises jinja2.TemplateError."""
        return self.env.get_template(job.template).render(self.context(job))

    def fork_workers(self, asides: Mapping[str, Callable[[], object]] | None = None) -> None:
        """Start a worker process per spare core when there are many pages to render (a
        cold build), before any other thread runs: a fork while a thread holds a lock
        could leave the child waiting on it for ever. render_all() shares the pages out.
        `asides`: work that needs nothing rendered, which a worker does before it takes
        pages; render_all() leaves each one's result in `self.asides`, by name. Without
        workers none is done: the caller does without, or does the work itself."""
        self._asides = dict(asides or {})
        cold = self.cache is None or not self.cache.pages
        spare = spare_cores() if cold and len(self.jobs) >= PARALLEL_FROM else 0
        if spare > 0:
            self._crew = Crew(spare, shared=self)

    def stop_workers(self) -> None:
        """End the workers that render_all() did not take (it was not reached)."""
        crew, self._crew = self._crew, None
        if crew is not None:
            crew.stop()

    def render_all(self) -> tuple[dict[str, bytes], Report]:
        report = Report()
        report.extend(self.report)
        pages: dict[str, bytes] = {}
        stale = self._stale()
        todo: list[int] = []
        for index, (job, key) in enumerate(zip(self.jobs, self._keys, strict=True)):
            cached = self._cached(job, key, stale)
            if cached is None:
                todo.append(index)
            elif cached.data is None:
                self.kept.add(job.output)
            else:
                pages[job.output] = cached.data
        problems: list[PageFailure] = []
        crew, self._crew = self._crew, None
        if crew is None:
            for index in todo:
                self._render_one(index, pages, problems)
        else:
            with crew:
                self._render_together(crew, claim_order(self.jobs, todo), pages, problems)
        seen: set[tuple[str, int, str]] = set()
        # One report per template line and error: the first page's in the list of pages,
        # whichever process rendered it.
        for _index, (location, message, error) in sorted(problems, key=lambda p: p[0]):
            if (location.path, location.line, error) not in seen:
                seen.add((location.path, location.line, error))
                report.error(location, message)
        if self.cache is not None:
            self.cache.keep_only(set(pages) | self.kept | self.staged)
        return pages, report

    def _render_together(
        self, crew: Crew, order: list[int], pages: dict[str, bytes], problems: list[PageFailure]
    ) -> None:
        """Render the pages of `order` with the workers: this process from the front, the
        workers from the back; this one keeps the pages they send in between its own."""
        asides = {name: crew.aside(_aside, name) for name in self._asides}
        tables: dict[int, list[LangKey]] = {}  # each worker's keys, by their places

        def receive(sent: SentPage) -> None:
            worker, keys, unchanged, (index, data, reads) = sent
            table = tables.setdefault(worker, [])
            table.extend(keys)
            self._keep_sent(index, data, reads, table, pages, problems)
            if self.sink is not None:
                self.sink.unchanged += unchanged

        crew.run(
            order,
            here=lambda index: self._render_one(index, pages, problems),
            there=_render_for_parent,
            receive=receive,
            chunk=CHUNK,
        )
        self.asides = {name: result.get() for name, result in asides.items()}

    def _render_one(self, index: int, pages: dict[str, bytes], problems: list[PageFailure]) -> None:
        job = self.jobs[index]
        try:
            data, reads = self._render_recorded(job)
        except jinja2.TemplateError as exc:
            problems.append((index, (*template_problem(exc, self.site_root, job), str(exc))))
            return
        kept = self._keep(job.output, data, pages)
        self._store(index, kept, [(job.lang, key) for key in reads])

    def _keep_sent(
        self,
        index: int,
        data: bytes | None,
        reads: list[int] | TemplateFailure,
        table: list[LangKey],
        pages: dict[str, bytes],
        problems: list[PageFailure],
    ) -> None:
        """A page a worker rendered (its reads as places in the worker's key table; its
        bytes None when the worker put them in the sink itself)."""
        if isinstance(reads, tuple):
            problems.append((index, reads))
            return
        output = self.jobs[index].output
        if data is None:
            self.staged.add(output)
        else:
            pages[output] = data
        self._store(index, data, [table[i] for i in reads])

    def _keep(self, output: str, data: bytes, pages: dict[str, bytes]) -> bytes | None:
        """Put a page in the sink (then returns None: its bytes are not kept), or in `pages`."""
        if self.sink is None:
            pages[output] = data
            return data
        self.sink.put(output, data)
        self.staged.add(output)
        return None

    def _value(self, key: LangKey) -> Hashable:
        return self.locals[key[0]].value(key[1]) if key[0] in self.locals else None

    def _stale(self) -> set[str]:
        if self.cache is None:
            return set()
        bodies = None
        changed = self.site.changed_bodies
        if changed is not None:  # a kept model (the preview) knows which bodies changed
            self.site.changed_bodies = set()  # taken: pages are rendered from here on
            bodies = [
                (lang, ("body", kind, slug)) for kind, slug in changed for lang in self.locals
            ]
        return self.cache.stale(self._value, bodies_only=self._bodies_only, bodies=bodies)

    def _cached(self, job: PageJob, key: bytes, stale: set[str]) -> RenderedPage | None:
        if self.cache is None or job.output in stale:
            return None
        page = self.cache.pages.get(job.output)
        if page is None or page.job != key:
            return None
        return page

    def _render_recorded(self, job: PageJob) -> tuple[bytes, set[Key]]:
        """A page's bytes and what it read; raises jinja2.TemplateError."""
        with recording() as reads:
            for value in job.context.values():
                if isinstance(value, Entry | Named):  # the entry a page is about
                    record("entry", value.kind, value.slug)
            data = self.render(job).encode("utf-8")
        return data, reads

    def _store(self, index: int, data: bytes | None, reads: list[LangKey]) -> None:
        self.rendered += 1
        if self.cache is not None:
            output, key = self.jobs[index].output, self._keys[index]
            self.cache.store(output, key, reads, data, self._value)


# A template error: where, the message, and the error alone (to report each error once).
TemplateFailure = tuple[Location, str, str]
PageFailure = tuple[int, TemplateFailure]  # and the page's place in the list of pages
PARALLEL_FROM = 400  # pages to render before it pays to start a worker process
CHUNK = 8  # pages a process claims at a time: few, so that all processes end together

# The order in which processes claim pages to render (workers.TwoEnds): pages that show
# the same fragments go together, so that one process draws each fragment rather than
# each process most of them. The timelines, whose event cards have level-3 headings, at
# the front; the profile pages, whose cards have level-4 headings, at the back; pages
# that show no card (events, plain pages) in the middle, where the two sides meet.
_CLAIM_ORDER = {"timeline.html": 0, "home.html": 1, "search.html": 2}
_CLAIM_ORDER.update({"tag.html": 8, "organization.html": 9, "person.html": 10})
_MIDDLE = 5


def claim_order(jobs: list[PageJob], todo: list[int]) -> list[int]:
    """The pages of `todo` in the order processes claim them (see _CLAIM_ORDER); the pages
    of one template stay in the order of the list."""
    return sorted(todo, key=lambda index: _CLAIM_ORDER.get(jobs[index].template, _MIDDLE))


WorkerPage = tuple[int, bytes | None, list[int] | TemplateFailure]


def _aside(name: str) -> object:
    """In a worker: one of the renderer's asides (see fork_workers)."""
    renderer: Renderer = shared()
    return renderer._asides[name]()


def _render_for_parent(index: int) -> SentPage:
    """In a worker: one page, into the sink when there is one (its bytes then stay out of
    the pipe back). Its reads go back as places in the worker's table of keys (a page
    reads some two hundred, most of them shared), with the keys new to the table, and
    whether the sink found the page unchanged."""
    renderer: Renderer = shared()
    job, sink, table = renderer.jobs[index], renderer.sink, _worker_keys
    known = len(table)
    try:
        data, reads = renderer._render_recorded(job)
    except jinja2.TemplateError as exc:
        failure = (*template_problem(exc, renderer.site_root, job), str(exc))
        return (os.getpid(), [], 0, (index, None, failure))
    before = sink.unchanged if sink is not None else 0
    if sink is not None:
        sink.put(job.output, data)
    places = [table.setdefault((job.lang, key), len(table)) for key in reads]
    keys = list(itertools.islice(reversed(table), len(table) - known))[::-1]
    unchanged = sink.unchanged - before if sink is not None else 0
    return (os.getpid(), keys, unchanged, (index, None if sink is not None else data, places))


_worker_keys: dict[LangKey, int] = {}  # a worker's table of the keys its pages read
# A page a worker rendered: the worker, the keys new to its table, whether the sink found
# the page unchanged (1 or 0), and the page (its bytes, and its reads or what failed).
SentPage = tuple[int, list[LangKey], int, WorkerPage]


class Sink(Protocol):
    unchanged: int  # pages whose bytes equal the previous output's

    def put(self, rel: str, data: bytes) -> None: ...


def _naming(job: PageJob) -> PageJob:
    """The job to keep (RenderCache.jobs, saved by state.py): its entries by name, so that
    the kept list holds no entry, and serves the next builds while no entry's fields change
    (each build's entries are looked up when a page renders, see context())."""
    if not any(isinstance(value, Entry) for value in job.context.values()):
        return job
    context = {
        name: Named(value.kind, value.slug) if isinstance(value, Entry) else value
        for name, value in job.context.items()
    }
    return job._replace(context=context)


def _job_key(job: PageJob) -> bytes:
    """Everything about a job but the entries it shows (those are recorded as reads), as a
    digest: it is kept for every page, in memory and in the state."""
    context = {
        name: (value.kind, value.slug) if isinstance(value, Entry) else value
        for name, value in job.context.items()
    }
    # The source's place as a tuple: a dataclass's repr is slow, and this runs for every page.
    source = (job.source.path, job.source.line, job.source.col) if job.source else None
    text = repr((job.template, job.path, job.lang, source, job.lastmod, context))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _fingerprint(site_root: Path, site: Site, assets: Mapping[str, str] | None) -> str:
    """Templates, settings and assets: when any of these change, every page may change."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in (site_root / "templates", theme.templates()):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(repr(site.settings).encode())
    digest.update(repr(sorted((assets or {}).items())).encode())
    return digest.hexdigest()


def _alternates(
    local: LocalSite, locals_: dict[str, LocalSite], job: PageJob
) -> list[dict[str, str]]:
    """The same page in every language, for hreflang and the language switcher."""
    if job.template in NOT_PAGES or job.output.startswith("sitemap"):
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
