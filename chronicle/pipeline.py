"""build(): the stages in order, each timed. Each stage gathers every problem it can find;
the build stops before writing if any stage found an error."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from chronicle import theme
from chronicle.errors import BuildError, Location, Problem, Report, SettingsError, relative
from chronicle.incremental import state
from chronicle.incremental.deps import RenderCache
from chronicle.incremental.files import FileCache
from chronicle.incremental.state import State
from chronicle.media.assets import Assets, fingerprint
from chronicle.media.cards import make_cards
from chronicle.media.cards import previous as previous_cards
from chronicle.media.cards import restore as restore_cards
from chronicle.media.images import Gallery, process_portraits, prune_cache
from chronicle.model import i18n
from chronicle.model.site import RESERVED, ModelCache, Site, build_site
from chronicle.reading.loader import load_content
from chronicle.reading.settings import Settings, load_settings
from chronicle.rendering import exports, search
from chronicle.rendering.render import Renderer
from chronicle.writing.minify import minify_output, minify_pages
from chronicle.writing.output import (
    Output,
    Plan,
    Staging,
    build_lock,
    check_output_folder,
    write_site,
)


@dataclass
class BuildResult:
    settings: Settings
    site: Site
    report: Report
    plan: Plan
    pages: int
    files: int
    timings: dict[str, float] = field(default_factory=dict)
    assets: Assets | None = None  # fingerprinted static files, when asked for
    rendered: int = 0  # pages rendered in this run; the others came from a RenderCache
    gallery: Gallery | None = None  # processed portraits
    images_made: int = 0  # image variants and social cards drawn in this run (not cached)
    search_docs: dict[str, bytes] = field(default_factory=dict)  # what Pagefind indexes
    state: State | None = None  # what the next build will remember (state.py)
    staging: Staging | None = None  # where the pages already are, when options.stream
    exports_later: Callable[[], dict[str, bytes]] | None = None  # options.exports_later

    def discard(self) -> None:
        """Give up this build before publish(): nothing of it is kept."""
        if self.staging is not None:
            self.staging.discard()


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
    # Remember this build for the next one into the same output (state.py): the command
    # line's build does; tests and the preview keep their caches in memory instead.
    remember: bool = False
    # Put pages in the staging folder as they are rendered, rather than holding them all
    # in memory until publish() (the command line's build; needs `out`).
    stream: bool = False
    # Leave the data exports out of the plan: BuildResult.exports_later makes them. The
    # preview writes them after the pages have reloaded, since no page shows them.
    exports_later: bool = False


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


def build(options: BuildOptions, cache: FileCache | None = None) -> BuildResult:
    """Run every stage and write; raise BuildError with the report when anything is wrong."""
    with build_lock(options.out) if options.out is not None else nullcontext():
        result = prepare(options, cache)
        publish(result, options)
    return result


def remembered(options: BuildOptions, inputs: dict[str, list[int]] | None = None) -> State | None:
    """What the previous build into options.out left for this one (state.py), or a new
    state to fill; None when the options ask for none. Call it under build_lock(out), so
    that no other build changes the output between this and publish(). `inputs`, from
    state.input_signatures() at the build's start, spares looking at each file again."""
    if not options.remember or options.out is None:
        return None
    expected = options_stamp(options)
    checked = state.check_output_aside(options.site_root, options.out)
    kept = state.load(options.site_root, options.out, expected) or State(expected)
    kept.previous = kept.intact(options.out, checked)
    root = str(options.site_root)  # as text: thousands of Path joins cost a hundredth
    for rel, (size, mtime, inode) in (inputs or {}).items():
        kept.files.seen[f"{root}/{rel}"] = (mtime, size, inode)
    return kept


def options_stamp(options: BuildOptions) -> str:
    """Everything besides the site that decides a build's output (see state.stamp)."""
    return state.stamp(
        options.drafts, options.minify, options.fingerprint, options.search, options.base_url
    )


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
    kept = result.state
    with _timed(result.timings, "write"), build_lock(options.out):
        written = write_site(plan, options.out, kept.previous if kept else None, result.staging)
    if kept is not None:
        # A build that remembers is the command line's: it tidies the image cache too.
        prune_cache(options.site_root, plan.copied.values())
        with _timed(result.timings, "remember"):
            kept.output, kept.previous = written, None
            kept.pages = kept.pages.without_bytes()
            state.save(options.site_root, options.out, kept)
    return written


def prepare(
    options: BuildOptions,
    cache: FileCache | None = None,
    pages: RenderCache | None = None,
    *,
    models: ModelCache | None = None,
    watch: Callable[[Renderer], AbstractContextManager[object]] | None = None,
    kept: State | None = None,
) -> BuildResult:
    """Every stage but writing: the site and its files in memory, or BuildError.

    `cache` keeps parsed files, `models` the site model and `pages` rendered pages between
    runs of a long-lived process (the preview server), so that a run re-reads, re-resolves
    and re-renders only what changed.
    `watch` is entered while the pages render (the command line's progress bar).
    `kept`, from remembered(), does the same for a build in a new process: its parsed files
    and its pages, whose bytes are taken from the previous output.
    """
    if kept is not None:
        cache, pages = kept.files, kept.pages
        exports.restore(kept.exports)
        restore_cards(kept.cards)
        i18n.restore_dates(kept.dates)
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
        content, report = load_content(root, settings, cache)
    # Model: references both ways, tags, routes.
    with _timed(timings, "model"):
        if models is not None:
            site, model_report = models.build(content, settings, drafts=options.drafts)
        else:
            site, model_report = build_site(content, settings, drafts=options.drafts)
        report.extend(model_report)
    if report.errors:
        raise BuildError(report)
    # Images: portraits resized, social cards drawn; both cached in .cache/ between builds.
    with _timed(timings, "images"):
        gallery = process_portraits(site, root, report)
        cards = make_cards(site, root, gallery, report)
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
            renderer = Renderer(site, root, urls, pages, gallery)
            renderer.sink = staging
            if options.search:
                search.enable(renderer)
            rendered, render_report = _render_pages(renderer, options, kept, watch)
            report.extend(render_report)
            # Search pages and data exports: more files of the site, from the same view.
            search_pages, search_report = (
                search.render_pages(renderer) if options.search else ({}, Report())
            )
            report.extend(search_report)
            rendered.update(search_pages)
            later = functools.partial(exports.export_files, renderer.locals)
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
    result = BuildResult(
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
        search_docs=search.documents(renderer) if options.search else {},
        state=kept,
        staging=staging,
        exports_later=later if options.exports_later else None,
    )
    if kept is not None:
        kept.exports, kept.cards = exports.previous(), previous_cards()
        kept.dates = i18n.formatted_dates()
    return result


def _render_pages(
    renderer: Renderer,
    options: BuildOptions,
    kept: State | None,
    watch: Callable[[Renderer], AbstractContextManager[object]] | None,
) -> tuple[dict[str, bytes], Report]:
    """Every page (Renderer.render_all). The workers of a cold build are forked first,
    before watch() starts its thread; one of them makes the exports (when they are wanted
    now) and pickles the parsed files for the state meanwhile: neither changes from there."""
    asides: dict[str, Callable[[], object]] = {}
    if not options.exports_later:
        asides["exports"] = functools.partial(exports.made, renderer.locals)
    if kept is not None:
        asides["files"] = kept.files.pickled
    renderer.fork_workers(asides)
    try:
        with watch(renderer) if watch else nullcontext():
            rendered = renderer.render_all()
    finally:
        renderer.stop_workers()  # those render_all() did not take: it was not reached
    if "exports" in renderer.asides:
        exports.restore(cast(exports.Made, renderer.asides["exports"]))
    if kept is not None and "files" in renderer.asides:
        kept.pickled_files = state.PickledFiles(
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
    return Problem(Location("."), "error", message)
