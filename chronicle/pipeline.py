"""build(): the stages in order, each timed. Each stage gathers every problem it can find;
the build stops before writing if any stage found an error."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from chronicle import theme
from chronicle.diagnostics import strict
from chronicle.errors import (
    BuildError,
    FileAccessError,
    Hint,
    Location,
    Problem,
    Report,
    SettingsError,
    relative,
)
from chronicle.incremental import asides, remember
from chronicle.incremental.inplace import Output
from chronicle.incremental.memory import Memory
from chronicle.incremental.summary import Summary
from chronicle.media.assets import Assets, fingerprint
from chronicle.media.cards import make_cards
from chronicle.media.images import Gallery, process_portraits, prune_cache
from chronicle.model.lint import lint
from chronicle.model.site import RESERVED, Site, build_site
from chronicle.reading import safefs
from chronicle.reading.loader import load_content
from chronicle.reading.settings import Settings, load_settings
from chronicle.rendering import exports, search
from chronicle.rendering.render import Renderer
from chronicle.writing.lock import build_lock
from chronicle.writing.minify import minify_output, minify_pages
from chronicle.writing.output import write_site
from chronicle.writing.plan import MARKER, Plan, check_output_folder
from chronicle.writing.staging import Staging


@dataclass
class BuildResult:
    settings: Settings
    site: Site
    report: Report  # every problem found, authoring warnings included after build()
    plan: Plan
    pages: int
    files: int
    timings: dict[str, float] = field(default_factory=dict)
    assets: Assets | None = None  # fingerprinted static files, when asked for
    rendered: int = 0  # pages rendered in this run; the others came from the memory
    gallery: Gallery | None = None  # processed portraits
    images_made: int = 0  # image variants and social cards drawn in this run (not cached)
    search_docs: dict[str, bytes] = field(default_factory=dict)  # what Pagefind indexes
    memory: Memory | None = None  # what the next build will find
    staging: Staging | None = None  # where the pages already are, when options.stream
    exports_later: Callable[[], dict[str, bytes]] | None = None  # options.exports_later
    unchanged: int = 0  # pages whose bytes the previous output had already (build())

    def discard(self) -> None:
        """Give up this build before publish(): nothing of it is kept."""
        if self.staging is not None:
            self.staging.discard()


@dataclass(frozen=True)
class UpToDate:
    """Nothing the last build read or wrote has changed: its output stands."""

    summary: Summary
    report: Report  # the last build's report, given again so that warnings do not vanish


@dataclass(frozen=True)
class BuildOptions:
    site_root: Path
    out: Path | None = None  # None: check only, write nothing
    base_url: str | None = None
    drafts: bool = False
    force: bool = False
    minify: bool = False  # minify the HTML pages (build --minify)
    # Link static files by fingerprinted names (the command line's build and check do). Off
    # by default, for the preview: there a stylesheet change must not change every page.
    fingerprint: bool = False
    search: bool = False  # a search page and box, and a Pagefind index (build --search)
    strict: bool = False  # warnings are errors (build --strict)
    # Remember this build for the next one into the same output (incremental.remember):
    # the command line's build does; tests and the preview keep a Memory instead.
    remember: bool = False
    # Put pages in the staging folder as they are rendered, rather than holding them all
    # in memory until publish() (the command line's build; needs `out`).
    stream: bool = False
    # Leave the data exports out of the plan: BuildResult.exports_later makes them. The
    # preview writes them after the pages have reloaded, since no page shows them.
    exports_later: bool = False


class Progress(Protocol):
    """What a build shows while it runs (the command line's progress bar)."""

    def rendering(self, renderer: Renderer) -> AbstractContextManager[object]: ...

    def status(self, text: str) -> AbstractContextManager[object]: ...


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start


def check_site_root(site_root: Path) -> None:
    if not (site_root / "content").is_dir():
        raise SettingsError(
            [
                _usage(
                    f"no content/ folder in {site_root}: a site root holds site.toml and "
                    "content/ (use --site to point at one)"
                )
            ]
        )


def build(
    options: BuildOptions, memory: Memory | None = None, *, progress: Progress | None = None
) -> BuildResult | UpToDate:
    """The build, as the command line and the tests run it: every stage, the authoring
    warnings (errors under options.strict), then the write. With options.remember, it
    stops at once when nothing changed since the last build, and remembers this one.
    Raises BuildError with the whole report; the previous output is then left as it was."""
    try:
        check_site_root(options.site_root)
        if options.out is not None:
            check_output_folder(options.out, options.site_root, force=options.force)
        return _build(options, memory, progress)
    except OSError as exc:  # unreadable, unwritable, a name too long, a full disk
        raise _access_error(exc, options) from exc


def _access_error(exc: OSError, options: BuildOptions) -> FileAccessError:
    """The error of a file the build could not read or write, named from the site root."""
    if exc.filename is None:
        return FileAccessError.of(exc, "a file", "read or write")
    path = Path(os.fsdecode(exc.filename)).absolute()
    root = options.site_root.absolute()
    if any(path.is_relative_to(root / name) for name in ("content", "templates", "static")):
        doing = "read"
    elif options.out is not None and path.is_relative_to(options.out.absolute().parent):
        doing = "write"  # the output, its staging folder or its lock, beside it
    else:
        doing = "read or write"
    return FileAccessError.of(exc, relative(path, root), doing)


def _build(
    options: BuildOptions, memory: Memory | None, progress: Progress | None
) -> BuildResult | UpToDate:
    with build_lock(options.out) if options.out is not None else nullcontext():
        found = remember.inputs(options)  # before anything is read
        summary = remember.unchanged(options, found)
        if summary is not None:
            return _up_to_date(summary, options)
        if memory is None:
            memory = remember.recall(options, found)
        try:
            result = prepare(options, memory, watch=progress.rendering if progress else None)
        except BuildError as exc:
            raise BuildError(strict(exc.report) if options.strict else exc.report) from None
        try:
            warned = Report(
                [*result.report.problems, *lint(result.site, options.site_root).problems]
            )
            result.report = strict(warned) if options.strict else Report([*warned.problems])
            if result.report.errors:
                raise BuildError(result.report)
            if options.out is not None:
                result.unchanged = unchanged_pages(result, options.out)
            status = progress.status if progress and options.search else None
            with status("indexing for search…") if status else nullcontext():
                written = publish(result, options)
        except BaseException:  # an error or an interrupt: no staging folder stays behind
            result.discard()
            raise
        if written is not None and found is not None:
            try:  # the site is published: a failure to remember only costs speed
                remember.keep_summary(options, found, warned, written, result.pages, result.files)
            except OSError as exc:
                _could_not_remember(result.report, exc)
    return result


def _could_not_remember(report: Report, exc: OSError) -> None:
    report.warning(
        Location(str(exc.filename or ".cache")),
        f"the site is built, but what the next build needs could not be saved "
        f"({exc.strerror or exc}): it will take longer",
    )


def _up_to_date(summary: Summary, options: BuildOptions) -> UpToDate:
    report = remember.replayed(summary, strict=options.strict)
    if report.errors:
        raise BuildError(report)
    return UpToDate(summary, report)


def unchanged_pages(result: BuildResult, out: Path) -> int:
    """Generated files whose bytes equal those of the previous build's output (static
    files with fingerprinted names are not counted: they are not pages)."""
    if not (out / MARKER).is_file():
        return 0
    plan = result.plan
    assets = set(result.assets.rendered) if result.assets else set()
    same = len(plan.kept) + (result.staging.unchanged if result.staging else 0)
    for rel, data in plan.rendered.items():
        if rel in assets:
            continue
        try:
            same += (out / rel).read_bytes() == data
        except OSError:
            continue
    return same


def publish(result: BuildResult, options: BuildOptions) -> Output | None:
    """Index for search when asked (in memory: a failed index writes nothing), then write
    (output.write_site). Then remember the build, when asked to. Returns what was written."""
    if options.out is None:
        return None
    plan = result.plan
    if options.search:
        with _timed(result.timings, "search"):
            try:
                plan = search.index(plan, result.search_docs)
            except BaseException:
                result.discard()
                raise
    memory = result.memory
    kept = memory.state if memory is not None else None
    with _timed(result.timings, "write"), build_lock(options.out):
        written = write_site(
            plan, options.out, kept.previous if kept else None, result.staging, result.report
        )
    if memory is not None and kept is not None:
        try:  # the site is published: from here a failure only costs the next build time
            # A build that remembers is the command line's: it tidies the image cache too.
            prune_cache(options.site_root, plan.copied.values())
            with _timed(result.timings, "remember"):
                remember.keep(options, memory, written)
        except OSError as exc:
            _could_not_remember(result.report, exc)
    return written


def prepare(
    options: BuildOptions,
    memory: Memory | None = None,
    *,
    watch: Callable[[Renderer], AbstractContextManager[object]] | None = None,
) -> BuildResult:
    """Every stage but writing: the site and its files in memory, or BuildError.

    `memory` is what earlier builds kept (incremental.memory): parsed files, the model,
    rendered pages, exports, cards; a build re-reads, re-resolves and re-renders only what
    changed since. Without one, everything is made anew.
    `watch` is entered while the pages render (the command line's progress bar).
    """
    timings: dict[str, float] = {}
    root = options.site_root
    # Settings: bad settings make everything after meaningless, so they raise.
    with _timed(timings, "settings"):
        settings = load_settings(root, options.base_url)
        check_site_root(root)
        if options.out is not None:
            check_output_folder(options.out, root, force=options.force)
    # Content: read and validate every file.
    with _timed(timings, "content"):
        content, report = load_content(root, settings, memory.files if memory else None)
        report.problems.extend(settings.notes)  # site.toml's warnings (reading/sitestrings.py)
    # Model: references both ways, tags, routes.
    with _timed(timings, "model"):
        if memory is not None and memory.models is not None:
            site, model_report = memory.models.build(content, settings, drafts=options.drafts)
        else:
            site, model_report = build_site(content, settings, drafts=options.drafts)
        report.extend(model_report)
    report.extend(theme.check(root))  # before rendering: a template may extend itself
    if report.errors:
        raise BuildError(report)
    # Images: portraits resized, social cards drawn; both cached in .cache/ between builds.
    with _timed(timings, "images"):
        gallery = process_portraits(site, root, report, memory.images if memory else None)
        cards = make_cards(site, root, gallery, report, memory.cards if memory else None)
    # Render: every page in memory, or put in the staging folder as it is rendered (a
    # build); template errors are collected like content errors.
    staging = (
        Staging(options.out, minify_output if options.minify else None)
        if options.stream and options.out is not None
        else None
    )
    try:
        with _timed(timings, "render"):
            copied = _copied_files(root, site)
            # First: pages link static files by their fingerprinted names.
            assets = fingerprint(copied) if options.fingerprint else None
            urls = assets.urls if assets else None
            renderer = Renderer(
                site,
                root,
                urls,
                memory.pages if memory else None,
                gallery,
                memory.dates if memory else None,
            )
            renderer.sink = staging
            if options.search:
                search.enable(renderer)
            rendered, render_report = asides.render_pages(
                renderer, memory, exports_now=not options.exports_later, watch=watch
            )
            report.extend(render_report)
            # Search pages and data exports: more files of the site, from the same view.
            search_pages, search_report = (
                search.render_pages(renderer) if options.search else ({}, Report())
            )
            report.extend(search_report)
            rendered.update(search_pages)
            later = functools.partial(_exports, renderer, memory)
            if not options.exports_later:
                rendered.update(later())
            _check_collisions({*rendered, *renderer.staged}, copied, root, report)
        if report.errors:
            raise BuildError(report)
        if options.minify:
            with _timed(timings, "minify"):
                rendered = minify_pages(rendered)
    except BaseException:
        if staging is not None:
            staging.discard()
        raise
    extra = assets or Assets()
    images = {**gallery.copied, **cards.copied}
    plan = Plan(
        {**rendered, **extra.rendered},
        {**copied, **extra.copied, **images},
        frozenset(images),
        frozenset(renderer.kept),
        frozenset(renderer.staged),
        safefs.roots(root, [theme.static()]),
    )
    return BuildResult(
        settings,
        site,
        report,
        plan,
        len(rendered) + len(renderer.kept) + len(renderer.staged),
        len(plan.paths()),
        timings,
        assets,
        rendered=renderer.rendered,
        gallery=gallery,
        images_made=gallery.made + cards.made,
        search_docs=_search_documents(renderer, memory) if options.search else {},
        memory=memory,
        staging=staging,
        exports_later=later if options.exports_later else None,
    )


def _search_documents(renderer: Renderer, memory: Memory | None) -> dict[str, bytes]:
    """What Pagefind indexes, kept in the memory for the next build."""
    made = search.documents(renderer, memory.search if memory else None)
    if memory is not None:
        memory.search = made
    return dict(made.docs)


def _exports(renderer: Renderer, memory: Memory | None) -> dict[str, bytes]:
    """The data exports, kept in the memory for the next build."""
    made = exports.export_files(renderer.locals, memory.exports if memory else None)
    if memory is not None:
        memory.exports = made
    return dict(made.files)


def _copied_files(root: Path, site: Site) -> dict[str, Path]:
    """Static files (the site's override the theme's, one by one) and media. A link out of
    the site's content/, static/ and templates/, or a special file, is an error (safefs):
    the output is published, and a link slips through review easily."""
    copied: dict[str, Path] = {}
    report = Report()
    theme_static = theme.static()
    for folder in (theme_static, root / "static"):
        allowed = safefs.roots(root, [theme_static] if folder == theme_static else [])
        for path, problem in safefs.walk(folder, allowed, hidden_folders=True):
            if problem:
                report.error(Location(relative(path, root)), problem, safefs.SYMLINK)
            else:
                copied[path.relative_to(folder).as_posix()] = path
    if report.errors:
        raise BuildError(report)
    for rel in site.media:  # listed, and checked, by the reading stage
        copied[f"media/{rel}"] = root / "content" / "media" / rel
    return copied


def _check_collisions(
    rendered: set[str], copied: dict[str, Path], root: Path, report: Report
) -> None:
    for rel, path in copied.items():
        if rel.startswith("media/"):
            continue
        if rel in rendered or rel.split("/", 1)[0] in RESERVED:
            report.error(
                Location(relative(path, root)),
                f"static file would take the generated route /{rel}: rename or move it",
            )


def _usage(message: str) -> Problem:
    return Problem(Location("."), "error", message, Hint("settings"))
