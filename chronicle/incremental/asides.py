"""Work that a cold build's render workers do besides pages.

The workers are forked before the pages render; one of them first makes the data exports
(when they are wanted now) and pickles the parsed files for the saved state: neither
changes from there, and this process is spared both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, cast

from chronicle.errors import Report
from chronicle.incremental.memory import Memory
from chronicle.incremental.state import PickledFiles
from chronicle.rendering import exports

if TYPE_CHECKING:
    from chronicle.rendering.render import Renderer


def render_pages(
    renderer: Renderer,
    memory: Memory | None,
    *,
    exports_now: bool,
    watch: Callable[[Renderer], AbstractContextManager[object]] | None = None,
) -> tuple[dict[str, bytes], Report]:
    """Every page (Renderer.render_all), with the workers of a cold build forked first,
    before watch() starts its thread (a fork while a thread runs is unsafe)."""
    kept = memory.state if memory is not None else None
    work: dict[str, Callable[[], object]] = {}
    if exports_now and memory is not None:
        work["exports"] = functools.partial(exports.export_files, renderer.locals, memory.exports)
    if kept is not None:
        work["files"] = kept.files.pickled
    renderer.fork_workers(work)
    try:
        with watch(renderer) if watch else nullcontext():
            rendered = renderer.render_all()
    finally:
        renderer.stop_workers()  # those render_all() did not take: it was not reached
    if memory is not None and "exports" in renderer.asides:
        memory.exports = cast(exports.Made, renderer.asides["exports"])
    if kept is not None and "files" in renderer.asides:
        kept.pickled_files = PickledFiles(
            kept.files, len(kept.files.parsed), cast(bytes, renderer.asides["files"])
        )
    return rendered
