"""The preview: `build.py serve`.

`watch` turns file events into one rebuild per burst of saves; `serve` rebuilds on a
thread of its own; `devserver` serves the site under its sub-path with live reload and an
error overlay (`devclient/`).
"""
