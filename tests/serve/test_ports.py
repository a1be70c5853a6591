"""`serve` starts or says why it cannot, in one line with exit 2; `--base-url` sets the
sub-path it serves under, as it does for `build`."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import PROJECT, SiteDir


def serve(site: SiteDir, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--site", str(site.root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_a_port_out_of_range_is_one_line_with_a_hint(make_site, port):
    result = serve(make_site(), "--port", port)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: --port {port} is not a port (0 to 65535); choose another with --port, "
        "or --port 0 for any free one\n"
    )


def test_a_port_in_use_is_one_line_with_a_hint(make_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve(make_site(), "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "--port 0" in result.stderr


def test_an_address_not_of_this_machine_is_one_line(make_site):
    result = serve(make_site(), "--port", "0", "--host", "192.0.2.1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "not an address of this machine" in result.stderr


def test_base_url_sets_the_sub_path_served(make_site):
    site = make_site()
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--site", str(site.root)]
    command += ["--port", "0", "--base-url", "https://example.org/sub/"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stderr is not None
            started = next(line for line in process.stderr if line.startswith("serving "))
            url = started.split(" at ")[1].split(" ")[0]
            assert url.endswith("/sub/"), url
            with urllib.request.urlopen(url, timeout=30) as response:
                page = response.read().decode()
            assert 'href="/sub/people/"' in page
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_a_bad_base_url_is_a_settings_error(make_site):
    result = serve(make_site(), "--port", "0", "--base-url", "/relative/")
    assert result.returncode == 2
    assert "base_url" in result.stderr
