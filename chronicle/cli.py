"""The command line: build | serve | check | new | init. Maps every outcome to an exit
status: 0 built, 1 content or template errors, 2 bad usage or settings.

The site is where you are: without --site, a command uses the nearest folder at or above
the current one that holds site.toml, as hugo and zola do."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from chronicle import __version__
from chronicle.diagnostics import Printer, count, strict, use_colour
from chronicle.errors import (
    BuildError,
    ChronicleError,
    ExitCode,
    Report,
    SettingsError,
    relative,
)
from chronicle.init import init_site, invocation, program, site_here
from chronicle.model.lint import lint, untranslated_summary
from chronicle.pipeline import BuildOptions, BuildResult, UpToDate, build, prepare
from chronicle.progress import Progress

COMMANDS = ("build", "serve", "check", "new", "init")
KINDS = ("person", "organization", "event", "page")
OPTIONS = ("-h", "--help", "--version")  # the program's own, not `build`'s


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program(),
        description="Build a founder-profiles site from Markdown and YAML in content/.",
        epilog="Without a command, `build` runs. Without --site, the site is the nearest "
        "folder at or above the current one that holds site.toml. Exit status: 0 built, "
        "1 content or template errors, 2 bad usage or settings.",
    )
    parser.add_argument("--version", action="version", version=f"chronicle {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Check every content file, render every page, then replace the output "
        "folder as a whole. A failed build leaves the previous output untouched.",
    )
    _site_option(build_cmd)
    build_cmd.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where to write the site (default: the site's output/); replaced as a whole",
    )
    _base_url_option(build_cmd)
    build_cmd.add_argument(
        "--drafts", action="store_true", help="include entries marked `draft: true`"
    )
    build_cmd.add_argument(
        "--force",
        action="store_true",
        help="replace --out even if it is not empty and was not made by a previous build",
    )
    build_cmd.add_argument(
        "--minify", action="store_true", help="minify the HTML pages (with minify-html)"
    )
    _search_option(build_cmd)
    _strict_option(build_cmd)
    build_cmd.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print problems only: no progress bar, no closing line",
    )

    check_cmd = commands.add_parser(
        "check",
        help="check content, templates and every internal link without writing anything",
        description="Run every check of a build and render every page, writing nothing; then "
        "check that every internal link, #anchor, image and asset reference leads somewhere. "
        "Broken ones are reported where they were written (Markdown or template line) and "
        "exit 1. External links are counted, never fetched.",
    )
    _site_option(check_cmd)
    _base_url_option(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help="check drafts as published")
    check_cmd.add_argument(
        "--list-external",
        action="store_true",
        help="print every external link (with how often it occurs) on stdout",
    )
    _search_option(check_cmd)
    _strict_option(check_cmd)

    serve_cmd = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on every change",
        description="Preview the site: build it, serve it under the sub-path of base_url, "
        "rebuild when a file changes and reload open pages.",
    )
    _site_option(serve_cmd)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=8000, help="port, 0 for any free one (default: %(default)s)"
    )
    _base_url_option(serve_cmd)
    serve_cmd.add_argument("--drafts", action="store_true", help="show drafts while previewing")
    serve_cmd.add_argument(
        "--open", action="store_true", help="open the site in the default web browser"
    )
    _search_option(serve_cmd)

    new_cmd = commands.add_parser(
        "new",
        help="write a new content file with every field of the content model",
        description="Write content/<folder>/<slug>.md for a new person, organization, event "
        "or page: the required fields filled in, every optional one as a comment. The slug "
        "comes from the name unless --slug is given; an existing file is never replaced.",
    )
    new_cmd.add_argument("kind", choices=KINDS, help="what to create")
    new_cmd.add_argument("name", help="the name (person, organization) or title (event, page)")
    _site_option(new_cmd)
    new_cmd.add_argument(
        "--slug", help="the file name and web address (default: made from the name)"
    )
    new_cmd.add_argument(
        "--date", help="an event's date, YYYY, YYYY-MM or YYYY-MM-DD (default: today)"
    )

    init_cmd = commands.add_parser(
        "init",
        help="start a new site in a folder: settings, sample content, a deploy workflow",
        description="Write a site that builds as it is into DIR (made if missing): site.toml, "
        "a person, an organization, an event and an about page, templates/ for your own "
        "templates, a .gitignore and a GitHub Pages workflow. An existing file is never "
        "replaced: a folder holding only a README, a LICENSE and .git is fine.",
    )
    init_cmd.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder")
    return parser


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="the site root, holding site.toml and content/ (default: the nearest folder at "
        "or above the current one that holds site.toml)",
    )


def _base_url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="override base_url of site.toml, e.g. https://example.org/founders/",
    )


def _search_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--search",
        action="store_true",
        help="add site search: a search page, a search box and a Pagefind index",
    )


def _verbose_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="print every warning: without it, a warning given on many files is printed once",
    )


def _strict_option(parser: argparse.ArgumentParser) -> None:
    _verbose_option(parser)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (ignored files, events without sources, missing summaries and "
        "translations) as errors",
    )


def run() -> NoReturn:
    """build.py's entry: main(), then, after a build or a check, leave without freeing
    memory the system takes back anyway. Freeing the millions of objects of a large site's
    state took longer than writing the edited page (docs/performance.md). Every
    file is closed by then; only the standard streams are left to flush."""
    code = main()
    # A profiler or a tracer (coverage) writes its report as the process ends normally.
    watched = sys.getprofile() is not None or sys.gettrace() is not None
    if _command(sys.argv[1:]) in ("build", "check") and not watched:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            raise SystemExit(code) from None  # the usual way: Python reports the stream
        os._exit(code)
    raise SystemExit(code)


def _command(args_list: list[str]) -> str:
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in OPTIONS):
        return "build"  # `build.py --out DIR` is `build.py build --out DIR`
    return args_list[0]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if _command(args_list) != (args_list[0] if args_list else None):
        args_list.insert(0, "build")
    args = make_parser().parse_args(args_list)
    site = args.dir if args.command == "init" else args.site or site_here()
    if isinstance(site, str):
        print(f"error: {site}", file=sys.stderr)
        return ExitCode.USAGE
    args.site = site
    verbose = getattr(args, "verbose", False)
    printer = Printer(args.site, sys.stderr, use_colour(sys.stderr), verbose)
    try:
        if args.command == "init":
            return init_site(args.dir, invocation())
        if args.command == "new":
            return new_command(args)
        if args.command == "serve":
            from chronicle.preview.serve import serve

            return serve(
                args.site,
                host=args.host,
                port=args.port,
                drafts=args.drafts,
                open_browser=args.open,
                search=args.search,
                base_url=args.base_url,
            )
        with _collector_paused():
            if args.command == "check":
                return check_command(args, printer)
            return build_command(args, printer)
    except SettingsError as exc:
        for problem in exc.problems:
            print(printer.format(problem), file=sys.stderr)
        return ExitCode.USAGE
    except ChronicleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """A build is one short process whose objects nearly all live until it ends: the
    cyclic garbage collector, run each time allocations pile up, walks them again and
    again and finds next to nothing. Paused, edit and cold builds are quicker with the
    same peak memory (docs/performance.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _options(args: argparse.Namespace, out: Path | None) -> BuildOptions:
    return BuildOptions(
        # Absolute: a remembered state names files by path, and the next build may be run
        # from another folder (`--site .` here, `--site ~/site` there).
        site_root=args.site.absolute(),
        out=out,
        base_url=args.base_url,
        drafts=args.drafts,
        force=getattr(args, "force", False),
        minify=getattr(args, "minify", False),
        fingerprint=True,  # for any host: fingerprinted files may be cached for good
        search=args.search,
        strict=args.strict,
        remember=out is not None,
        stream=out is not None,
    )


def build_command(args: argparse.Namespace, printer: Printer) -> int:
    started = time.perf_counter()
    out: Path = args.out if args.out is not None else args.site / "output"
    try:
        if out.is_symlink():  # `output -> /var/www/site`: the build goes where the link leads
            out = out.resolve()
    except OSError:
        pass  # build() names the problem (a name too long, say) in one line
    options = _options(args, out)
    progress = Progress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())
    try:
        result = build(options, progress=progress)
    except BuildError as exc:
        return _failed(printer, exc.report)
    printer.report(result.report)
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(closing_line(result, out, seconds), file=sys.stderr)
    return ExitCode.OK


def _failed(printer: Printer, report: Report) -> int:
    printer.report(report)
    print(f"build failed: {_count(report)}; output left as it was", file=sys.stderr)
    return ExitCode.CONTENT


def closing_line(result: BuildResult | UpToDate, out: Path, seconds: float) -> str:
    report = result.report
    if isinstance(result, UpToDate):
        summary = result.summary
        text = (
            f"up to date: nothing changed since the last build of {summary.pages} pages, "
            f"{summary.files} files into {out} ({seconds:.2f} s)"
        )
        return text + (f"; {count(report)}" if report.problems else "")
    pages, unchanged = result.pages, result.unchanged
    text = (
        f"built {pages} pages ({pages - unchanged} written, {unchanged} unchanged), "
        f"{result.files} files into {out} in {seconds:.2f} s"
    )
    if result.search_docs:
        text += f"; search index of {len(result.search_docs)} pages"
    if report.problems:
        text += f"; {count(report)}"
    return text


def check_command(args: argparse.Namespace, printer: Printer) -> int:
    """Check every reference of the rendered pages (nothing written, nothing fetched)."""
    from chronicle.rendering import search
    from chronicle.rendering.render import Renderer
    from chronicle.writing.linkcheck import check_links

    try:
        result = prepare(_options(args, None))
    except BuildError as exc:
        return _failed(printer, strict(exc.report) if args.strict else exc.report)
    urls = result.assets.urls if result.assets else None
    renderer = Renderer(result.site, args.site, urls, None, result.gallery)
    if args.search:
        search.enable(renderer)
    found = check_links(result.plan, renderer, args.site)
    report = Report(
        [*result.report.problems, *found.report.problems, *lint(result.site, args.site).problems]
    )
    if args.strict:
        report = strict(report)
    printer.report(report)
    for line in untranslated_summary(result.site):
        print(line, file=sys.stderr)
    if args.list_external:
        for url, times in sorted(found.external.items()):
            print(f"{url}\t{times}")
    print(found.summary(), file=sys.stderr)
    verdict = "check failed" if report.errors else "check passed"
    print(f"{verdict}: {count(report)}", file=sys.stderr)
    return ExitCode.CONTENT if report.errors else ExitCode.OK


def new_command(args: argparse.Namespace) -> int:
    from chronicle.scaffold import plan_file, write_file

    new = plan_file(args.site, args.kind, args.name, slug=args.slug, date=args.date)
    write_file(new)
    print(f"created {relative(new.path, args.site)} (/{_address(args.kind, new.slug)}/)")
    return ExitCode.OK


def _address(kind: str, slug: str) -> str:
    from chronicle.scaffold import FOLDERS

    return slug if kind == "page" else f"{FOLDERS[kind]}/{slug}"


def _count(report: Report) -> str:
    """`2 errors` or `2 errors, 1 warning`: the words of the failed build's last line."""
    errors, warnings = len(report.errors), len(report.warnings)
    text = f"{errors} error{'s' if errors != 1 else ''}"
    if warnings:
        text += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return text
