"""Writing the output: a staging folder swapped in whole, never a half-written site.

`output` stages every file and swaps the folder in, under a lock, and recovers after a
killed build; `minify` shrinks pages when asked; `linkcheck` checks every reference of the
rendered pages (`build.py check`).
"""
