"""nginx (Debian's package) serving a built site from loopback, with the sample config
that the README's recipe installs (deploy/nginx.conf), port and folders templated.

Without nginx the tests skip with the reason, unless REQUIRE_NGINX=1 or REQUIRE_BROWSER=1
(set by CI), which turn the skip into a failure so that CI can never pass by skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PROJECT, missing_tool

SAMPLE = PROJECT / "deploy" / "nginx.conf"


def nginx_path() -> str | None:
    found = os.environ.get("NGINX") or shutil.which("nginx")
    if found is None and Path("/usr/sbin/nginx").exists():
        found = "/usr/sbin/nginx"
    return found if found and _runs(found) else None


def _runs(executable: str) -> bool:
    """Whether `executable` is an nginx that starts: a file that merely exists is not one."""
    try:
        done = subprocess.run([executable, "-v"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@pytest.fixture(scope="session")
def nginx() -> str:
    executable = nginx_path()
    if executable is None:
        missing_tool(
            "nginx not found, or it does not run (apt-get install nginx, or set NGINX)",
            "REQUIRE_NGINX",
            "REQUIRE_BROWSER",
        )
    return executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_config(*, port: int, root: Path, sub_path: str) -> str:
    """The sample server block with the lines it marks "change" set for this test."""
    text = SAMPLE.read_text(encoding="utf-8")
    changes = [
        (r"listen 80;", f"listen 127.0.0.1:{port};"),
        (r"server_name example\.org;", "server_name 127.0.0.1;"),
        (r"root /var/www/founders/site;", f"root {root};"),
        (r"error_page 404 /404\.html;", f"error_page 404 {sub_path}404.html;"),
    ]
    for pattern, replacement in changes:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"deploy/nginx.conf no longer has `{pattern}` once"
    return text


def main_config(folder: Path, site_conf: Path, mime_types: Path | None) -> str:
    """A whole nginx.conf around the server block, with every path inside `folder`."""
    temp = "\n".join(
        f"  {name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    types = f"  include {mime_types};" if mime_types else _MINIMAL_TYPES
    return f"""daemon off;
master_process off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
{types}
  default_type application/octet-stream;
  access_log off;
{temp}
  include {site_conf};
}}
"""


_MINIMAL_TYPES = """  types {
    text/html html; text/css css; text/xml xml; text/plain txt; application/json json;
    image/svg+xml svg; image/png png; image/jpeg jpg jpeg;
  }"""


def mime_types_of(executable: str) -> Path | None:
    configure = subprocess.run([executable, "-V"], capture_output=True, text=True, check=False)
    match = re.search(r"--conf-path=(\S+)", configure.stderr)
    candidate = Path(match.group(1)).parent / "mime.types" if match else None
    return candidate if candidate and candidate.is_file() else None


@contextmanager
def running_nginx(executable: str, folder: Path, site_conf_text: str, port: int) -> Iterator[None]:
    """nginx in the foreground on 127.0.0.1:port until the block ends; its log on failure."""
    site_conf = folder / "site.conf"
    site_conf.write_text(site_conf_text, encoding="utf-8")
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site_conf, mime_types_of(executable)), encoding="utf-8")
    log = folder / "error.log"
    process = subprocess.Popen(
        [executable, "-p", str(folder), "-c", str(conf), "-e", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read().decode() if process.stderr else ""
            logged = log.read_text() if log.exists() else ""
            pytest.fail(f"nginx exited with {process.returncode}:\n{errors}\n{logged}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nginx did not listen on 127.0.0.1:{port} within 15 s")
