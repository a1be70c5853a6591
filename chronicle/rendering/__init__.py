"""Rendering: the model into pages and files, in memory.

`render` runs the Jinja templates for every page of every language; `markdown` turns
bodies into safe HTML; `feeds`, `sitemap`, `metadata`, `exports` and `search` make the
files for machines. Nothing is written here.
"""
