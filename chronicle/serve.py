"""Preview: build into a private folder, serve it with livereload, rebuild on changes.

The served copy is built with base_url pointed at the preview server, so every link
works locally. A failed rebuild prints its errors and keeps the last good site served.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from livereload import Server

from .errors import BuildError, ChronicleError
from .pipeline import BuildOptions, build

WATCHED = ("site.toml", "content", "templates", "static")


def serve(site_root: Path, *, host: str, port: int, drafts: bool) -> int:
    """Serve the site until interrupted; returns the exit status."""
    preview = Path(tempfile.mkdtemp(prefix="chronicle-preview-")) / "site"
    options = BuildOptions(
        site_root=site_root,
        out=preview,
        base_url=f"http://{host}:{port}/",
        drafts=drafts,
        force=True,
    )

    def rebuild() -> None:
        try:
            result = build(options)
        except BuildError as exc:
            for problem in exc.report.sorted():
                print(problem, file=sys.stderr)
            print("rebuild failed; still serving the last good site", file=sys.stderr)
            return
        except ChronicleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return
        print(f"rebuilt {result.pages} pages", file=sys.stderr)

    rebuild()
    if not preview.is_dir():
        return 1
    server = Server()
    for name in WATCHED:
        path = site_root / name
        if path.exists():
            server.watch(str(path), rebuild)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}, reachable from other machines", file=sys.stderr)
    print(f"serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    server.serve(host=host, port=port, root=str(preview), open_url_delay=None)
    return 0
