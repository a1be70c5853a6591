"""The command that hints and `init`'s next step tell an author to run is one their shell
has: `python3` where no `python` is installed (Debian, Ubuntu), `chronicle` when installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle import init


@pytest.mark.parametrize(
    ("installed", "python"), [(None, "python3"), ("/usr/bin/python", "python")]
)
def test_build_py_is_run_by_the_python_the_shell_has(
    monkeypatch: pytest.MonkeyPatch, installed: str | None, python: str
) -> None:
    monkeypatch.setattr(init.sys, "argv", ["/home/a/chronicle/build.py", "init", "site"])
    monkeypatch.setattr(init.shutil, "which", lambda name: installed)
    assert init.invocation() == f"{python} {Path('/home/a/chronicle/build.py')}"


def test_the_installed_command_is_named_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(init.sys, "argv", ["/venv/bin/chronicle", "init", "site"])
    monkeypatch.setattr(init.shutil, "which", lambda name: None)
    assert init.invocation() == "chronicle"
