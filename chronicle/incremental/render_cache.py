"""The renderer's bookkeeping for a RenderCache (deps.py): which pages a build can take
from the cache, what each page rendered in this build read, and the list of pages kept
while the site's shape stays the same. Without a cache every page is rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path

import jinja2

from chronicle import theme
from chronicle.errors import Report
from chronicle.incremental.deps import Key, LangKey, RenderCache, record, recording
from chronicle.model.localize import LocalSite, Named
from chronicle.model.site import Site
from chronicle.reading import safefs
from chronicle.reading.content import Entry
from chronicle.rendering.environment import make_environment
from chronicle.rendering.jobs import PageJob, site_jobs


def recorded(render: Callable[[PageJob], str], job: PageJob) -> tuple[bytes, set[Key]]:
    """A page's bytes and what it read; raises jinja2.TemplateError."""
    with recording() as reads:
        for value in job.context.values():
            if isinstance(value, Entry | Named):  # the entry a page is about
                record("entry", value.kind, value.slug)
        data = render(job).encode("utf-8")
    return data, reads


class RenderMemo:
    """A renderer's pages kept between builds, when there is a cache to keep them in."""

    def __init__(
        self,
        cache: RenderCache | None,
        site: Site,
        site_root: Path,
        assets: Mapping[str, str] | None,
        photos: str,
    ) -> None:
        """`photos`: the gallery's digest (a changed photo renames its variants: every page
        showing it may change)."""
        self.cache = cache
        self.site = site
        if cache is not None:
            # Before taking the kept environment: a new or deleted template file changes
            # the fingerprint, which drops that environment with its compiled templates.
            cache.start(_fingerprint(site_root, site, assets) + photos)
        self.keys: list[bytes] = []  # each job's key (_job_key), in the order of the jobs
        self.locals: Mapping[str, LocalSite] = {}
        self._bodies_only = False  # set by list_jobs: only Markdown bodies changed

    @property
    def markdown(self) -> dict[tuple[str, ...], str] | None:
        """Markdown bodies rendered by earlier builds, to render again only what changed."""
        return self.cache.markdown if self.cache is not None else None

    @property
    def cold(self) -> bool:
        """Whether no page is kept: every page is to render."""
        return self.cache is None or not self.cache.pages

    def environment(self, site_root: Path) -> jinja2.Environment:
        """The kept environment (with its compiled templates), or a new one."""
        if self.cache is None:
            return make_environment(site_root)
        return self.cache.environment(site_root, make_environment)

    def list_jobs(self, locals_: Mapping[str, LocalSite], report: Report) -> list[PageJob]:
        """Every page to render. The list depends on the entries' fields only, so a rebuild
        after an edit of Markdown bodies takes the kept one (its entries are then looked up
        again when a page renders, see Renderer.context())."""
        self.locals = locals_
        cache = self.cache
        if cache is None:
            return list(site_jobs(list(locals_.values()), report))
        shape = self.site.shape()
        self._bodies_only = bool(cache.pages) and cache.shape == shape
        cache.shape = shape
        kept = cache.jobs
        if kept is not None and kept[0] == shape:
            report.problems.extend(kept[3])
            self.keys = kept[2]
            return kept[1]
        found = Report()
        jobs = list(site_jobs(list(locals_.values()), found))
        self.keys = [_job_key(job) for job in jobs]
        cache.jobs = (shape, [_naming(job) for job in jobs], self.keys, list(found.problems))
        report.extend(found)
        return jobs

    def take_cached(
        self, jobs: list[PageJob], pages: dict[str, bytes], kept: set[str]
    ) -> list[int]:
        """The places of the pages to render; the others go into `pages` from the cache, or
        into `kept` (unchanged in the previous output, their bytes not kept)."""
        if self.cache is None:
            return list(range(len(jobs)))
        stale, cached = self._stale(), self.cache.pages
        todo: list[int] = []
        for index, (job, key) in enumerate(zip(jobs, self.keys, strict=True)):
            page = cached.get(job.output) if job.output not in stale else None
            if page is None or page.job != key:
                todo.append(index)
            elif page.data is None:
                kept.add(job.output)
            else:
                pages[job.output] = page.data
        return todo

    def store(self, index: int, output: str, data: bytes | None, reads: list[LangKey]) -> None:
        """Keep a page rendered in this build (its bytes None: they are in the output)."""
        if self.cache is not None:
            self.cache.store(output, self.keys[index], reads, data, self._value)

    def keep_only(self, outputs: set[str]) -> None:
        """Forget the pages this build did not produce."""
        if self.cache is not None:
            self.cache.keep_only(outputs)

    def _value(self, key: LangKey) -> Hashable:
        return self.locals[key[0]].value(key[1]) if key[0] in self.locals else None

    def _stale(self) -> set[str]:
        assert self.cache is not None
        bodies = None
        changed = self.site.changed_bodies
        if changed is not None:  # a kept model (the preview) knows which bodies changed
            self.site.changed_bodies = set()  # taken: pages are rendered from here on
            bodies = [
                (lang, ("body", kind, slug)) for kind, slug in changed for lang in self.locals
            ]
        return self.cache.stale(self._value, bodies_only=self._bodies_only, bodies=bodies)


def _naming(job: PageJob) -> PageJob:
    """The job to keep (RenderCache.jobs, saved by state.py): its entries by name, so that
    the kept list holds no entry, and serves the next builds while no entry's fields change
    (each build's entries are looked up when a page renders, see Renderer.context())."""
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
    allowed = safefs.roots(site_root, [theme.templates()])
    for folder in (site_root / "templates", theme.templates()):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + _template_bytes(path, allowed) + b"\0")
    digest.update(theme.stylesheet(site_root).encode())  # a custom.css added or removed
    digest.update(repr(site.settings).encode())
    digest.update(repr(sorted((assets or {}).items())).encode())
    return digest.hexdigest()


def _template_bytes(path: Path, allowed: tuple[Path, ...]) -> bytes:
    """A template's bytes, from the file opened and checked (safefs): never a FIFO or a
    link out swapped in since it was listed. One that cannot be read gives its reason
    instead (the template loader reports it)."""
    try:
        return safefs.read_bytes(path, allowed)
    except safefs.UnsafeFileError as exc:
        return f"unreadable: {exc.message}".encode()
