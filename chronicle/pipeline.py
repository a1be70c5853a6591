"""build(): the stages in order, each timed. Each stage gathers every problem it can find;
the build stops before writing if any stage found an error."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

from chronicle import theme
from chronicle.diagnostics import strict
from chronicle.errors import (
    BuildError,
    Hint,
    Location,
    Problem,
    Report,
    SettingsError,
    relative,
)
from chronicle.incremental import remember
from chronicle.incremental.inplace import Output
from chronicle.incremental.memory import Memory
from chronicle.incremental.state import PickledFiles
from chronicle.incremental.summary import Summary
from chronicle.media.assets import Assets, fingerprint
from chronicle.media.cards import make_cards
from chronicle.media.images import Gallery, process_portraits, prune_cache
from chronicle.model.lint import lint
from chronicle.model.site import RESERVED, Site, build_site
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
    check_site_root(options.site_root)
    if options.out is not None:
        check_output_folder(options.out, options.site_root, force=options.force)
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
        warned = Report([*result.report.problems, *lint(result.site, options.site_root).problems])
        result.report = strict(warned) if options.strict else warned
        if result.report.errors:
            result.discard()
            raise BuildError(result.report)
        if options.out is not None:
            result.unchanged = unchanged_pages(result, options.out)
        status = progress.status if progress and options.search else None
        with status("indexing for search…") if status else nullcontext():
            written = publish(result, options)
        if written is not None and found is not None:
            remember.keep_summary(options, found, warned, written, result.pages, result.files)
    return result


def _up_to_date(summary: Summary, options: BuildOptions) -> UpToDate:
    found = Report(
        [
            Problem(Location(str(p), int(ln), int(c)), str(s), str(m), _hint(h))
            for p, ln, c, s, m, *h in summary.problems
        ]
    )
    report = strict(found) if options.strict else found
    if report.errors:
        raise BuildError(report)
    return UpToDate(summary, report)


def _hint(saved: Sequence[object]) -> Hint | None:
    """A problem's hint as the summary keeps it (remember.keep_summary)."""
    return Hint(str(saved[0]), tuple(map(str, saved[1:]))) if saved else None


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
        written = write_site(plan, options.out, kept.previous if kept else None, result.staging)
    if memory is not None and kept is not None:
        # A build that remembers is the command line's: it tidies the image cache too.
        prune_cache(options.site_root, plan.copied.values())
        with _timed(result.timings, "remember"):
            remember.keep(options, memory, written)
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
            rendered, render_report = _render_pages(renderer, options, memory, watch)
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


def _render_pages(
    renderer: Renderer,
    options: BuildOptions,
    memory: Memory | None,
    watch: Callable[[Renderer], AbstractContextManager[object]] | None,
) -> tuple[dict[str, bytes], Report]:
    """Every page (Renderer.render_all). The workers of a cold build are forked first,
    before watch() starts its thread; one of them makes the exports (when they are wanted
    now) and pickles the parsed files for the state meanwhile: neither changes from there."""
    kept = memory.state if memory is not None else None
    asides: dict[str, Callable[[], object]] = {}
    if not options.exports_later and memory is not None:
        asides["exports"] = functools.partial(exports.export_files, renderer.locals, memory.exports)
    if kept is not None:
        asides["files"] = kept.files.pickled
    renderer.fork_workers(asides)
    try:
        with watch(renderer) if watch else nullcontext():
            rendered = renderer.render_all()
    finally:
        renderer.stop_workers()  # those render_all() did not take: it was not reached
    if memory is not None and "exports" in renderer.asides:
        memory.exports = cast(exports.Made, renderer.asides["exports"])
    if kept is not None and "files" in renderer.asides:
        kept.pickled_files = PickledFiles(
            kept.files, len(kept.files.parsed), cast(bytes, renderer.asides["files"])
        )
    return rendered


def _copied_files(root: Path, site: Site) -> dict[str, Path]:
    """Static files (the site's override the theme's, one by one) and media."""
    copied: dict[str, Path] = {}
    for folder in (theme.static(), root / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    copied[path.relative_to(folder).as_posix()] = path
    for rel in site.media:
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
