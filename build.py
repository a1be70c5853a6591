#!/usr/bin/env python3
"""Build, check or preview the site: `python build.py --help`."""

from chronicle.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
