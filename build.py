#!/usr/bin/env python3
"""Build, check or preview the site: `python build.py --help`.

Run with any Python: when this one lacks Chronicle's dependencies (or is older than 3.11)
and the project's `.venv` exists, the command runs again in it; otherwise one line says
what to do. This file stays readable by old Pythons (no newer syntax), so that they can
say so too.
"""

import os
import sys

PROJECT = os.path.dirname(os.path.abspath(__file__))
NEEDED = (3, 11)
AGAIN = "CHRONICLE_IN_VENV"  # set when re-run in .venv: never loop


def venv_python():
    for name in ("bin/python", "Scripts/python.exe"):
        path = os.path.join(PROJECT, ".venv", name)
        if os.path.isfile(path):
            return path
    return None


def run_in_venv_or_exit(why, fix="make build"):
    """Run this command again with .venv's Python, or print one line and exit 2."""
    python = venv_python()
    in_venv = os.path.realpath(sys.prefix) == os.path.realpath(os.path.join(PROJECT, ".venv"))
    if python is not None and not in_venv and not os.environ.get(AGAIN):
        os.environ[AGAIN] = "1"
        sys.stdout.flush()
        try:
            os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])
        except OSError as exc:
            why = "%s, and .venv's Python does not start (%s)" % (why, exc.strerror or exc)
    sys.stderr.write("error: %s; run `%s` in %s first\n" % (why, fix, PROJECT))
    sys.exit(2)


def main():
    if sys.version_info < NEEDED:
        run_in_venv_or_exit(
            "Chronicle needs Python %d.%d or newer and this is %d.%d"
            % (NEEDED + tuple(sys.version_info[:2])),
            "make build PYTHON=python3.11",
        )
    try:
        from chronicle.cli import run
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] == "chronicle":
            raise  # a module of the project itself is missing: a bug, not a set-up step
        run_in_venv_or_exit("this Python has no module %r, which Chronicle needs" % exc.name)
    os.environ.pop(AGAIN, None)  # the commands this one starts choose for themselves
    run()


if __name__ == "__main__":
    main()
