#!/usr/bin/env python3
"""Build, check or preview the site: `python build.py --help`."""

from chronicle.cli import run

if __name__ == "__main__":
    run()
