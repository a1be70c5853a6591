"""The preview server: the built site under its sub-path, live reload, an error overlay.

Reloads speak the LiveReload protocol (official-7) to the `livereload.js` client that the
livereload package ships; the server around it is our own small tornado application,
because livereload 2.7.1's server drops reloads within 3 s of each other, polls mtimes,
builds on its own thread, accepts any Origin and Host, and follows symlinks.
"""

from __future__ import annotations

import json
import mimetypes
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import livereload
from tornado import web, websocket

LIVERELOAD_JS = Path(livereload.__file__).parent / "vendors" / "livereload.js"
OVERLAY_JS = Path(__file__).parent / "devclient" / "overlay.js"
PROTOCOL_7 = "http://livereload.com/protocols/official-7"
OVERLAY_PROTOCOL = "https://chronicle.invalid/protocols/overlay-1"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
NAME_MAX = 255  # bytes in a file or folder name, on the file systems a preview runs on

FAILED_FIRST_BUILD = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>
<body><h1>The site has errors</h1><p>Fix them and this page will reload.</p></body></html>
"""


class Preview:
    """What the server shows, shared by its handlers; changed only on the IOLoop thread."""

    def __init__(self, root: Path, base_path: str, host: str, port: int) -> None:
        self.root = root
        self.base_path = base_path
        self.host = host
        self.port = port
        self.problems: list[str] = []
        self.sockets: set[ReloadSocket] = set()

    @property
    def allowed_hosts(self) -> set[str]:
        names = {self.host, *_LOOPBACK_NAMES} if is_loopback(self.host) else {self.host}
        return {f"{name}:{self.port}" for name in names}

    # -- called on the IOLoop thread after each build ---------------------------------

    def built(self, changed: list[str], base_path: str) -> None:
        """A good build: clear the overlay, reload pages (CSS in place when only CSS changed)."""
        self.base_path = base_path
        had_problems = bool(self.problems)
        self.problems = []
        self._send(OVERLAY_PROTOCOL, {"command": "problems", "lines": []})
        if not changed and not had_problems:
            return
        styles = [rel for rel in changed if rel.endswith(".css")]
        if styles and len(styles) == len(changed) and not had_problems:
            for rel in styles:
                self._send(PROTOCOL_7, _reload_message(base_path + rel))
        else:
            self._send(PROTOCOL_7, _reload_message(base_path))

    def failed(self, lines: list[str]) -> None:
        self.problems = lines
        self._send(OVERLAY_PROTOCOL, {"command": "problems", "lines": lines})

    def _send(self, protocol: str, message: dict[str, Any]) -> None:
        for socket in list(self.sockets):
            if socket.protocol_name == protocol:
                socket.send(message)


def _reload_message(path: str) -> dict[str, Any]:
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1", "[::1]") or host.startswith("127.")


class _Guarded(web.RequestHandler):
    """Refuses requests addressed to any other host name (DNS rebinding)."""

    preview: Preview

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        if self.request.host not in self.preview.allowed_hosts:
            raise web.HTTPError(403, reason="Host not allowed")

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {self._reason}\n")


class ScriptHandler(_Guarded):
    def initialize(self, preview: Preview, script: Path) -> None:  # type: ignore[override]
        super().initialize(preview)
        self.script = script

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(self.script.read_bytes())


class SiteHandler(_Guarded):
    """Files of the built site, and nothing else: no `..`, no symlink escape, no listings."""

    def head(self, *args: str) -> None:
        self.get(*args)

    def get(self, *args: str) -> None:
        decoded = unquote(self.request.path)
        if "\x00" in decoded or "\\" in decoded:
            raise web.HTTPError(400, reason="Bad path")
        base = self.preview.base_path
        if not decoded.startswith(base):
            if decoded in ("/", base.rstrip("/")):
                self.redirect(base)
                return
            self._not_found()
            return
        parts = [part for part in decoded[len(base) :].split("/") if part]
        if any(part in (".", "..") or part.startswith(".") for part in parts):
            raise web.HTTPError(400, reason="Bad path")
        # No file of the site has a name over 255 bytes: such a path is simply not there
        # (a stat of it would fail with ENAMETOOLONG).
        if any(len(os.fsencode(part)) > NAME_MAX for part in parts):
            self._not_found()
            return
        target = self.preview.root.joinpath(*parts)
        try:
            if target.is_dir():
                if not decoded.endswith("/"):
                    self.redirect(self.request.path + "/", permanent=True)
                    return
                target = target / "index.html"
            found = self._inside(target) and target.is_file()
            data = target.read_bytes() if found else b""
        except OSError:  # gone, or replaced, between the build and this request
            found = False
        if not found:
            self._not_found()
            return
        self._send_bytes(data, _kind(target), 200)

    def _inside(self, target: Path) -> bool:
        root = os.path.realpath(self.preview.root)
        return os.path.realpath(target).startswith(root + os.sep)

    def _not_found(self) -> None:
        page = self.preview.root / "404.html"
        if page.is_file():
            self._send(page, 404)
        elif not (self.preview.root / "index.html").exists():
            self._send_bytes(FAILED_FIRST_BUILD, "text/html", 200)
        else:
            raise web.HTTPError(404)

    def _send(self, path: Path, status: int) -> None:
        self._send_bytes(path.read_bytes(), _kind(path), status)

    def _send_bytes(self, data: bytes, kind: str, status: int) -> None:
        if kind == "text/html":
            data = inject(data, self.preview.host, self.preview.port)
        self.set_status(status)
        charset = (
            "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json")) else ""
        )
        self.set_header("Content-Type", kind + charset)
        self.finish(data if self.request.method != "HEAD" else b"")


def _kind(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def inject(html: bytes, host: str, port: int) -> bytes:
    """Add the reload and overlay clients to a page; the built files stay as deployed.
    Async, not deferred: a reloaded page is then painted without waiting for them (20 ms
    of a save-to-reload at 1,000 people)."""
    scripts = (
        f'<script src="/livereload.js?host={host}&amp;port={port}" async></script>'
        '<script src="/__chronicle/overlay.js" async></script>'
    ).encode()
    marker = html.find(b"</head>")
    if marker < 0:
        return html + scripts
    return html[:marker] + scripts + html[marker:]


class ReloadSocket(websocket.WebSocketHandler):
    """One browser tab: a livereload.js client, or our overlay client."""

    preview: Preview
    protocol_name = ""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        if self.request.host not in self.preview.allowed_hosts:
            raise web.HTTPError(403, reason="Host not allowed")

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc in self.preview.allowed_hosts

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict) or data.get("command") != "hello":
            return
        offered = data.get("protocols") or []
        if OVERLAY_PROTOCOL in offered:
            self.protocol_name = OVERLAY_PROTOCOL
            self.send({"command": "hello", "protocols": [OVERLAY_PROTOCOL]})
            self.send({"command": "problems", "lines": self.preview.problems})
        elif PROTOCOL_7 in offered:
            self.protocol_name = PROTOCOL_7
            self.send({"command": "hello", "protocols": [PROTOCOL_7], "serverName": "chronicle"})
        else:
            return
        self.preview.sockets.add(self)

    def on_close(self) -> None:
        self.preview.sockets.discard(self)

    def send(self, message: dict[str, Any]) -> None:
        try:
            self.write_message(json.dumps(message))
        except websocket.WebSocketClosedError:
            self.preview.sockets.discard(self)


def make_app(preview: Preview) -> web.Application:
    args = {"preview": preview}
    return web.Application(
        [
            (r"/livereload", ReloadSocket, args),
            (r"/livereload\.js", ScriptHandler, {**args, "script": LIVERELOAD_JS}),
            (r"/__chronicle/overlay\.js", ScriptHandler, {**args, "script": OVERLAY_JS}),
            (r"/.*", SiteHandler, args),
        ],
        websocket_ping_interval=20,
    )
