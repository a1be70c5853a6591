"""Chronicle: a static site generator for founder profiles and their story on a timeline.

The build is a pipeline (`pipeline.build`), one subpackage per stage: `reading` (settings
and content), `model` (the site model), `rendering` (pages in memory), `media` (images and
cards), `writing` (the output folder), and `preview` (`build.py serve`). `incremental`
holds what makes rebuilds fast, apart from the stages. The default theme is the project's
top-level `templates/` and `static/` (`theme`).
"""

__version__ = "0.1.0"
