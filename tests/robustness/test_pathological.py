"""Pathological Markdown and big inputs: the build ends in bounded time and memory.

Timings here are ceilings that a linear algorithm meets many times over, never tight
targets; peak memory is the child's own maximum resident set, read with wait4().
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import BUILD_PY, SITE_TOML, write_files

TIMEOUT = 60.0  # seconds; the bound for any one build
PEAK_RSS_LIMIT = 1024 * 1024 * 1024  # bytes: "sane" for a site of a few pages
N = 50_000

BODIES: dict[str, str] = {
    "nested-blockquotes": "> " * N + "deep\n",
    "nested-blockquote-lines": "".join(">" * depth + " x\n" for depth in range(1, 400)),
    "open-brackets": "[" * N + "x\n",
    "brackets-and-parens": "[" * N + "x" + "](" * N + "\n",
    "stars-around-a-word": "*" * N + "x" + "*" * N + "\n",
    "star-words": "*a " * N + "\n",
    "underscores": "_" * N + "x\n",
    "backticks": "`" * N + "x\n",
    "angle-brackets": "<" * N + "x\n",
    "html-comments": "<!--" * N + "\n",
    "nested-divs": "<div>" * 10_000 + "x\n",
    "nested-lists": "".join("  " * depth + "- x\n" for depth in range(700)),
    "link-reference-definitions": "".join(f"[a{i}]: /x{i}\n" for i in range(20_000))
    + "[a1] [a2]\n",
    "footnotes": "".join(f"[^{i}]" for i in range(5_000))
    + "\n\n"
    + "".join(f"[^{i}]: note\n" for i in range(5_000)),
    "entities": "&amp;" * N + "\n",
    "one-long-line": "word " * 150_000,
}


@dataclass
class Measured:
    code: int | None  # None: killed at the timeout
    stderr: str
    peak_rss: int  # bytes


def run_measured(site: Path, out: Path, timeout: float, cpu_seconds: int | None = None) -> Measured:
    """build.py in a child process; its own exit status and peak memory, or a timeout.
    `cpu_seconds` bounds each of its processes' CPU time (SIGXCPU past it): a bound on the
    work done, which a loaded machine's wall clock is not."""

    def limit_cpu() -> None:
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    err_path = out.parent / f"{out.name}.stderr"
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, str(BUILD_PY), "build", "--site", str(site), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=str(site.parent),
            preexec_fn=limit_cpu,
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    code = None if timed_out.is_set() else proc.returncode
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return Measured(code, stderr, usage.ru_maxrss * 1024)


def _site(tmp_path: Path, body: str) -> Path:
    text = "---\nname: Ada Lovelace\n---\n" + body
    assert len(text.encode("utf-8")) < 1024 * 1024, "keep the body under the 1 MiB file limit"
    return write_files(tmp_path / "site", {"site.toml": SITE_TOML, "content/people/ada.md": text})


@pytest.mark.parametrize("name", sorted(BODIES))
def test_pathological_markdown_builds_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    site = _site(tmp_path, BODIES[name])
    out = tmp_path / "out"

    result = run_measured(site, out, TIMEOUT)

    assert result.code is not None, f"{name}: still running after {TIMEOUT:.0f} s"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.code == 0, result.stderr[-3000:]
    assert (out / "people/ada/index.html").is_file()
    assert result.peak_rss < PEAK_RSS_LIMIT, f"{name}: peak RSS {result.peak_rss:,} bytes"


# Inputs that invite work growing with the square of their size (minutes to hours at the
# 1 MiB limit, where a linear build takes well under a second): 5 s of CPU is the bound.
SUPERLINEAR = [
    pytest.param(
        "# Same heading\n" * 20_000,
        id="20000-equal-headings",
    ),
    pytest.param(
        "<div>" * 125_000 + "x\n",
        id="125000-nested-divs",
    ),
]


@pytest.mark.parametrize("body", SUPERLINEAR)
def test_inputs_that_invite_quadratic_work_build_in_bounded_time(body: str, tmp_path: Path) -> None:
    site = _site(tmp_path, body)
    out = tmp_path / "out"

    result = run_measured(site, out, timeout=TIMEOUT, cpu_seconds=5)

    assert result.code is not None, f"still running after {TIMEOUT:.0f} s"
    assert result.code != -signal.SIGXCPU, "more than 5 s of CPU"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.code in (0, 1), result.stderr[-3000:]
    if result.code == 1:  # refusing such input is fine if it says where and why
        assert any(line.startswith("content/people/ada.md:") for line in result.stderr.splitlines())


def test_a_file_over_one_mebibyte_is_refused_quickly(tmp_path: Path) -> None:
    """5 MiB of nested brackets: refused by size before anything parses it."""
    text = "---\nname: Ada Lovelace\n---\n" + "[" * (5 * 1024 * 1024)
    site = write_files(tmp_path / "site", {"site.toml": SITE_TOML, "content/people/ada.md": text})

    result = run_measured(site, tmp_path / "out", TIMEOUT)

    assert result.code == 1, result.stderr[-3000:]
    assert (
        "content/people/ada.md:1:1: error: file is 5,242,907 bytes; content files are limited "
        "to 1 MiB (1,048,576 bytes): split it or move large data to content/media/"
    ) in result.stderr.splitlines()
    assert result.peak_rss < PEAK_RSS_LIMIT
