"""Serving rules, checked with raw HTTP requests: only files of the built site, only to our
own host name, missing pages get the site's 404 page."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado import httpserver, ioloop, netutil

from chronicle.preview.devserver import Preview, inject, make_app


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    root = tmp_path / "site"
    (root / "people" / "ada").mkdir(parents=True)
    (root / "index.html").write_text("<html><head></head><body>home</body></html>")
    (root / "404.html").write_text("<html><head></head><body>not here</body></html>")
    (root / "people" / "ada" / "index.html").write_text(
        "<html><head></head><body>ada</body></html>"
    )
    (root / "style.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (root / "leakdir").symlink_to(tmp_path)
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    preview = Preview(root, "/sub/", "127.0.0.1", port)
    started = threading.Event()
    holder: dict[str, object] = {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = httpserver.HTTPServer(make_app(preview))
        server.add_sockets(sockets)
        holder["loop"] = ioloop.IOLoop.current()
        started.set()
        ioloop.IOLoop.current().start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(5)
    yield port, root
    loop = holder["loop"]
    assert isinstance(loop, ioloop.IOLoop)
    loop.add_callback(loop.stop)
    thread.join(5)


def raw(port: int, target: str, host: str | None = None) -> tuple[int, bytes]:
    """Send one request line as written (no client-side normalizing) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\n"
            "Connection: close\r\n\r\n".encode("latin-1")
        )
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_pages_are_served_under_the_sub_path_with_the_reload_clients(server):
    port, _root = server
    status, body = raw(port, "/sub/people/ada/")
    assert status == 200
    assert b"ada" in body
    assert b'<script src="/livereload.js?host=127.0.0.1&amp;port=' in body
    assert raw(port, "/")[0] == 302  # to the sub-path
    assert raw(port, "/sub/people/ada")[0] == 301  # folders end with a slash


@pytest.mark.parametrize(
    "target",
    [
        "/sub/../secret.txt",
        "/sub/%2e%2e/secret.txt",
        "/sub/%2E%2E%2Fsecret.txt",
        "/sub/..%5csecret.txt",
        "/sub/%00",
        "/%00",
        "/sub/.chronicle-build",
    ],
)
def test_nothing_outside_the_site_is_served(server, target):
    port, _root = server
    status, body = raw(port, target)
    assert 400 <= status < 500
    assert b"secret" not in body


def test_symlinks_out_of_the_site_are_not_followed(server):
    port, _root = server
    for target in ("/sub/leak.txt", "/sub/leakdir/secret.txt"):
        status, body = raw(port, target)
        assert status == 404
        assert b"secret" not in body


def test_folders_are_never_listed(server):
    port, root = server
    (root / "empty").mkdir()
    status, body = raw(port, "/sub/empty/")
    assert status == 404
    assert b"not here" in body


def test_missing_pages_get_the_sites_404_page_with_status_404(server):
    port, _root = server
    status, body = raw(port, "/sub/no/such/page/")
    assert status == 404
    assert b"not here" in body


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost:1"])
def test_requests_for_another_host_name_are_refused(server, host):
    port, _root = server
    status, body = raw(port, "/sub/", host=host)
    assert status == 403
    assert b"home" not in body


def test_localhost_is_our_own_name(server):
    port, _root = server
    assert raw(port, "/sub/", host=f"localhost:{port}")[0] == 200


def test_inject_adds_the_clients_before_the_end_of_head():
    page = inject(b"<html><head><title>x</title></head><body></body></html>", "127.0.0.1", 9)
    assert page.index(b"livereload.js") < page.index(b"</head>")
    assert b"/__chronicle/overlay.js" in page


@pytest.mark.parametrize("name", ["a" * 256, "%C3%A9" * 128, "b" * 5000])
def test_a_path_segment_over_255_bytes_is_not_found_not_a_server_error(server, name):
    """No file has such a name; asking the file system would fail (ENAMETOOLONG)."""
    port, _root = server
    for target in (f"/sub/{name}", f"/sub/people/{name}/", f"/sub/{name}/index.html"):
        status, body = raw(port, target)
        assert status in (404, 414), (target, status)
        assert b"not here" in body or status == 414
