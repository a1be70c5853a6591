"""Rendering on every core in a cold build: worker processes forked with the renderer
(workers.Crew) render pages from the back of the list while the renderer's own process
renders from the front, and send back each page with what it read. The pages come out
as one process renders them, errors included.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import jinja2

from chronicle.incremental.deps import LangKey
from chronicle.incremental.render_cache import recorded
from chronicle.incremental.workers import Crew, shared, spare_cores
from chronicle.rendering.jobs import PageJob
from chronicle.rendering.problems import PageFailure, TemplateFailure, template_failure

if TYPE_CHECKING:
    from chronicle.rendering.render import Renderer

PARALLEL_FROM = 400  # pages to render before it pays to start a worker process
CHUNK = 8  # pages a process claims at a time: few, so that all processes end together

# The order in which processes claim pages to render (workers.TwoEnds): pages that show
# the same fragments go together, so that one process draws each fragment rather than
# each process most of them. The timelines, whose event cards have level-3 headings, at
# the front; the profile pages, whose cards have level-4 headings, at the back; pages
# that show no card (events, plain pages) in the middle, where the two sides meet.
_CLAIM_ORDER = {
    "timeline.html": 0,
    "home.html": 1,
    "search.html": 2,
    "tag.html": 8,
    "organization.html": 9,
    "person.html": 10,
}
_MIDDLE = 5


def claim_order(jobs: list[PageJob], todo: list[int]) -> list[int]:
    """The pages of `todo` in the order processes claim them (see _CLAIM_ORDER); the pages
    of one template stay in the order of the list."""
    return sorted(todo, key=lambda index: _CLAIM_ORDER.get(jobs[index].template, _MIDDLE))


class WorkerPage(NamedTuple):
    """A page a worker rendered, or what failed."""

    place: int  # the page's place in the list of pages
    data: bytes | None  # None when the worker put the page in the sink (or it failed)
    reads: list[int]  # what it read, as places in the worker's table of keys
    failure: TemplateFailure | None = None


class SentPage(NamedTuple):
    """A page as a worker sends it: with the keys new to the worker's table (a page reads
    some two hundred, most of them read by other pages too)."""

    worker: int  # the worker's process id: each has its own table
    keys: list[LangKey]  # the keys new to the table, in the order of their places
    unchanged: int  # 1 when the sink found the page as the previous output had it
    page: WorkerPage


class RenderCrew:
    """The workers of a renderer, forked with it; what each worker keeps of its own."""

    def __init__(
        self, renderer: Renderer, workers: int, asides: Mapping[str, Callable[[], object]]
    ) -> None:
        self.renderer = renderer
        self.asides = dict(asides)
        self.keys: dict[LangKey, int] = {}  # in a worker: the keys its pages read, by place
        self.crew = Crew(workers, shared=self)

    def stop(self) -> None:
        self.crew.stop()

    def render(
        self,
        todo: list[int],
        here: Callable[[int], object],
        pages: dict[str, bytes],
        problems: list[PageFailure],
    ) -> dict[str, object]:
        """Render the pages of `todo`: here() in this process from the front, the workers
        from the back; this process keeps the pages they send in between its own. Returns
        the results of the asides."""
        renderer = self.renderer
        asides = {name: self.crew.aside(_aside, name) for name in self.asides}
        tables: dict[int, list[LangKey]] = {}  # each worker's keys, by their places

        def receive(sent: SentPage) -> None:
            table = tables.setdefault(sent.worker, [])
            table.extend(sent.keys)
            page = sent.page
            if page.failure is not None:
                problems.append(PageFailure(page.place, page.failure))
                return
            renderer.keep(page.place, page.data, [table[i] for i in page.reads], pages)
            if renderer.sink is not None:
                renderer.sink.unchanged += sent.unchanged

        with self.crew:
            self.crew.run(
                claim_order(renderer.jobs, todo),
                here=here,
                there=_render_for_parent,
                receive=receive,
                chunk=CHUNK,
            )
            return {name: result.get() for name, result in asides.items()}


def fork(
    renderer: Renderer, asides: Mapping[str, Callable[[], object]], *, cold: bool
) -> RenderCrew | None:
    """A worker per spare core when there are many pages to render (a cold build)."""
    spare = spare_cores() if cold and len(renderer.jobs) >= PARALLEL_FROM else 0
    return RenderCrew(renderer, spare, asides) if spare > 0 else None


def _aside(name: str) -> object:
    """In a worker: one of the renderer's asides (see Renderer.fork_workers)."""
    crew: RenderCrew = shared()
    return crew.asides[name]()


def _render_for_parent(index: int) -> SentPage:
    """In a worker: one page, into the sink when there is one (its bytes then stay out of
    the pipe back), with its reads as places in the worker's table of keys."""
    crew: RenderCrew = shared()
    renderer, table = crew.renderer, crew.keys
    job, sink = renderer.jobs[index], renderer.sink
    known = len(table)
    try:
        data, reads = recorded(renderer.render, job)
    except jinja2.TemplateError as exc:
        failure = template_failure(exc, renderer.site_root, job)
        return SentPage(os.getpid(), [], 0, WorkerPage(index, None, [], failure))
    before = sink.unchanged if sink is not None else 0
    if sink is not None:
        sink.put(job.output, data)
    places = [table.setdefault((job.lang, key), len(table)) for key in reads]
    keys = list(itertools.islice(reversed(table), len(table) - known))[::-1]
    unchanged = sink.unchanged - before if sink is not None else 0
    page = WorkerPage(index, None if sink is not None else data, places)
    return SentPage(os.getpid(), keys, unchanged, page)
