"""`build.py serve` stopped by Ctrl-C, a closed terminal or a process manager removes its
preview folder (a whole copy of the site in the temporary folder)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT, SiteDir


def serve(site: SiteDir, temp: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--port",
            "0",
            "--site",
            str(site.root),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        # As from a terminal: a test run in the background (`make test &`) ignores SIGINT,
        # and a Python started with it ignored never turns Ctrl-C into KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("serving "):
            return process
    process.kill()
    raise AssertionError(f"the preview did not start: {process.wait()}")


@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name
)
def test_the_preview_folder_goes_with_the_server(make_site, tmp_path, stop):
    site = make_site()
    temp = tmp_path / "temp"
    temp.mkdir()
    with serve(site, temp) as process:
        try:
            folders = list(temp.glob("chronicle-preview-*"))
            assert len(folders) == 1 and (folders[0] / "index.html").is_file()
            process.send_signal(stop)
            _, err = process.communicate(timeout=30)
            assert process.returncode == 0, err
        finally:
            process.kill()
    assert list(temp.glob("chronicle-preview-*")) == []
