"""The command line: build | serve | check. Maps every outcome to an exit status:
0 built, 1 content or template errors, 2 bad usage or settings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .errors import BuildError, ChronicleError, ExitCode, Report, SettingsError
from .pipeline import BuildOptions, BuildResult, build

COMMANDS = ("build", "serve", "check")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a founder-profiles site from Markdown and YAML in content/.",
        epilog="Without a command, `build` runs. Exit status: 0 built, 1 content or "
        "template errors, 2 bad usage or settings.",
    )
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
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    serve_cmd.add_argument("--drafts", action="store_true", help="show drafts while previewing")
    serve_cmd.add_argument(
        "--open", action="store_true", help="open the site in the default web browser"
    )
    return parser


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        type=Path,
        default=PROJECT_ROOT,
        metavar="DIR",
        help="the site root, holding site.toml and content/ (default: the project root)",
    )


def _base_url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="override base_url of site.toml, e.g. https://example.org/founders/",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "build")
    args = make_parser().parse_args(args_list)
    try:
        if args.command == "serve":
            from .serve import serve

            return serve(
                args.site,
                host=args.host,
                port=args.port,
                drafts=args.drafts,
                open_browser=args.open,
            )
        out = None
        if args.command == "build":
            out = args.out if args.out is not None else args.site / "output"
        options = BuildOptions(
            site_root=args.site,
            out=out,
            base_url=args.base_url,
            drafts=args.drafts,
            force=getattr(args, "force", False),
            minify=getattr(args, "minify", False),
            fingerprint=True,  # for any host: fingerprinted files may be cached for good
        )
        result = build(options)
        if args.command == "check":
            return check_command(result, args.site, list_external=args.list_external)
    except BuildError as exc:
        print_report(exc.report, sys.stderr)
        print(f"build failed: {_count(exc.report)}; output left as it was", file=sys.stderr)
        return ExitCode.CONTENT
    except SettingsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return ExitCode.USAGE
    except ChronicleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print_report(result.report, sys.stderr)
    print(_summary(result, out), file=sys.stderr)
    return ExitCode.OK


def check_command(result: BuildResult, site_root: Path, *, list_external: bool) -> int:
    """Check every reference of the rendered pages (nothing written, nothing fetched)."""
    from .linkcheck import check_links
    from .render import Renderer

    renderer = Renderer(result.site, site_root, result.assets.urls if result.assets else None)
    found = check_links(result.plan, renderer, site_root)
    report = Report()
    report.extend(result.report)
    report.extend(found.report)
    print_report(report, sys.stderr)
    if list_external:
        for url, count in sorted(found.external.items()):
            print(f"{url}\t{count}")
    print(found.summary(), file=sys.stderr)
    return ExitCode.CONTENT if found.report.errors else ExitCode.OK


def print_report(report: Report, stream: TextIO) -> None:
    for problem in report.sorted():
        print(problem, file=stream)


def _count(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    text = f"{errors} error{'s' if errors != 1 else ''}"
    if warnings:
        text += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return text


def _summary(result: BuildResult, out: Path | None) -> str:
    seconds = sum(result.timings.values())
    where = f"into {out}" if out is not None else "(checked; nothing written)"
    warnings = f", {len(result.report.warnings)} warning(s)" if result.report.warnings else ""
    return f"built {result.pages} pages, {result.files} files {where} in {seconds:.2f} s{warnings}"
