"""Rendering: every page of every language rendered in memory, or a report of what failed.

A page is its job (jobs.py) made into a context for its template, which Jinja renders.
Nothing is written here; the output stage writes only when all of this has succeeded.
What makes it quicker lives apart: pages kept between builds (incremental.render_cache)
and worker processes in a cold build (incremental.render_workers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import jinja2

from chronicle.errors import Report
from chronicle.incremental import render_workers
from chronicle.incremental.deps import LangKey, RenderCache
from chronicle.incremental.render_cache import RenderMemo, recorded
from chronicle.incremental.render_workers import RenderCrew
from chronicle.media.images import Gallery
from chronicle.model.i18n import Dates
from chronicle.model.localize import LocalSite
from chronicle.model.site import Site
from chronicle.rendering import environment
from chronicle.rendering.jobs import NOT_PAGES, PageJob
from chronicle.rendering.problems import PageFailure, report_once, template_failure


class Sink(Protocol):
    """Where pages go as they are rendered (a build's staging folder)."""

    unchanged: int  # pages whose bytes equal the previous output's

    def put(self, rel: str, data: bytes) -> None: ...


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
        dates: Dates | None = None,
    ) -> None:
        self.site_root = site_root
        self.gallery = gallery or Gallery()
        self.dates = dates or Dates()  # the build's own table of formatted dates
        self.memo = RenderMemo(cache, site, site_root, assets, self.gallery.digest())
        self.env = self.memo.environment(site_root)
        self.env.globals["picture"] = self.gallery.picture
        environment.use_dates(self.env, self.dates)
        self.locals = {
            lang: LocalSite(site, lang, assets, self.memo.markdown, self.dates)
            for lang in site.settings.languages
        }
        self.site = site
        self.settings = site.settings
        self.default_lang = site.settings.default_language
        self.report = Report()  # problems found while listing the pages
        self.jobs = self.memo.list_jobs(self.locals, self.report)
        self.rendered = 0  # pages rendered in this build; the others came from the cache
        # Pages cached without their bytes: unchanged in the previous output (state.py).
        self.kept: set[str] = set()
        # Where pages go as they are rendered, instead of staying in memory (a build's
        # staging folder); their paths are then in `staged`.
        self.sink: Sink | None = None
        self.staged: set[str] = set()
        self._crew: RenderCrew | None = None  # worker processes, from fork_workers()
        self.asides: dict[str, object] = {}  # the results of fork_workers()'s asides

    def context(self, job: PageJob) -> dict[str, Any]:
        """What a page's template sees."""
        local = self.locals[job.lang]
        return {
            "site": local,
            "t": local.t,
            "lang": job.lang,
            "page_path": job.path,
            "alternates": _alternates(self.locals, job),
            # A kept job may hold the entry of an earlier build: take this build's.
            **{name: local.current(value) for name, value in job.context.items()},
        }

    def render(self, job: PageJob) -> str:
        """One page's text; raises jinja2.TemplateError."""
        return self.env.get_template(job.template).render(self.context(job))

    def render_all(self) -> tuple[dict[str, bytes], Report]:
        """Every page that the cache does not hold, by output path (or in the sink), and
        what went wrong."""
        report = Report()
        report.extend(self.report)
        pages: dict[str, bytes] = {}
        todo = self.memo.take_cached(self.jobs, pages, self.kept)
        problems: list[PageFailure] = []
        crew, self._crew = self._crew, None

        def here(index: int) -> None:
            self._render_one(index, pages, problems)

        if crew is None:
            for index in todo:
                here(index)
        else:  # the workers render some of the pages, this process the others
            self.asides = crew.render(todo, here, pages, problems)
        report_once(problems, report)
        self.memo.keep_only(set(pages) | self.kept | self.staged)
        return pages, report

    def _render_one(self, index: int, pages: dict[str, bytes], problems: list[PageFailure]) -> None:
        """One page of the list, with what it read (for the cache); a template error goes
        to `problems`, to be reported once whichever process met it."""
        job = self.jobs[index]
        try:
            data, reads = recorded(self.render, job)
        except jinja2.TemplateError as exc:
            problems.append(PageFailure(index, template_failure(exc, self.site_root, job)))
            return
        self.keep(index, data, [(job.lang, key) for key in reads], pages)

    def keep(
        self, index: int, data: bytes | None, reads: list[LangKey], pages: dict[str, bytes]
    ) -> None:
        """A page rendered, here or by a worker: into the sink when there is one, else into
        `pages` (None: a worker has put it in the sink already)."""
        output = self.jobs[index].output
        if data is not None and self.sink is not None:
            self.sink.put(output, data)
            data = None  # its bytes are not kept
        if data is None:
            self.staged.add(output)
        else:
            pages[output] = data
        self.rendered += 1
        self.memo.store(index, output, data, reads)

    def fork_workers(self, asides: Mapping[str, Callable[[], object]] | None = None) -> None:
        """Start a worker process per spare core when there are many pages to render (a
        cold build), before any other thread runs: a fork while a thread holds a lock
        could leave the child waiting on it for ever. render_all() shares the pages out.
        `asides`: work that needs nothing rendered, which a worker does before it takes
        pages; render_all() leaves each one's result in `self.asides`, by name. Without
        workers none is done: the caller does without, or does the work itself."""
        self._crew = render_workers.fork(self, asides or {}, cold=self.memo.cold)

    def stop_workers(self) -> None:
        """End the workers that render_all() did not take (it was not reached)."""
        crew, self._crew = self._crew, None
        if crew is not None:
            crew.stop()


def _alternates(locals_: dict[str, LocalSite], job: PageJob) -> list[dict[str, str]]:
    """The same page in every language, for hreflang and the language switcher."""
    if job.template in NOT_PAGES or job.output.startswith("sitemap"):
        return []
    return [
        {"lang": lang, "url": other.url(job.path), "absolute": other.absolute(job.path)}
        for lang, other in locals_.items()
    ]
