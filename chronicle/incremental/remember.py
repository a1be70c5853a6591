"""A command-line build remembers the last one (state.py): the interface the pipeline calls.

`inputs()` stamps what the build reads before it reads it; `unchanged()` finds the last
build's summary when nothing it read or wrote has changed since; `recall()` loads the state
the last build saved, as the Memory this build starts from; `keep()` saves what the next
build should find.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chronicle.errors import Report
from chronicle.incremental import state, summary
from chronicle.incremental.inplace import Output
from chronicle.incremental.memory import Memory
from chronicle.incremental.stamp import Stamp
from chronicle.writing.plan import MARKER

if TYPE_CHECKING:
    from chronicle.incremental.summary import Summary
    from chronicle.pipeline import BuildOptions as Options

Inputs = dict[str, list[int]]  # summary.input_signatures(): [size, mtime_ns, inode] by path


def remembers(options: Options) -> bool:
    return options.remember and options.out is not None


def options_stamp(options: Options) -> str:
    """Everything besides the site that decides a build's output (see state.stamp)."""
    return state.stamp(
        options.drafts, options.minify, options.fingerprint, options.search, options.base_url
    )


def inputs(options: Options) -> Inputs | None:
    """What the build reads, stamped before it reads it: a file saved during the build
    makes the next one run."""
    return summary.input_signatures(options.site_root) if remembers(options) else None


def unchanged(options: Options, found: Inputs | None) -> Summary | None:
    """The last build's summary when nothing it read or wrote has changed since."""
    if found is None or options.out is None:
        return None
    return summary.up_to_date(options.site_root, options.out, options_stamp(options), found)


def recall(options: Options, found: Inputs | None) -> Memory | None:
    """What the previous build into options.out left for this one, or a new memory to fill;
    None when the options ask for none. Call it under the output's build lock, so that no
    other build changes the output between this and the write."""
    if found is None or options.out is None:
        return None
    expected = options_stamp(options)
    checked = summary.check_output_aside(options.site_root, options.out)
    kept = state.load(options.site_root, options.out, expected) or state.State(expected)
    kept.previous = kept.intact(options.out, checked)
    root = str(options.site_root)  # as text: thousands of Path joins add up
    for rel, (size, mtime, inode) in found.items():
        kept.files.seen[f"{root}/{rel}"] = Stamp(size, mtime, inode)
    return Memory.of_state(kept)


def keep(options: Options, memory: Memory, written: Output) -> None:
    """Save the state for the next build into the same output."""
    kept = memory.state
    if kept is None or options.out is None:
        return
    memory.keep()
    kept.output, kept.previous = written, None
    kept.pages = kept.pages.without_bytes()
    state.save(options.site_root, options.out, kept)


def keep_summary(
    options: Options,
    found: Inputs,
    report: Report,
    written: Output,
    pages: int,
    files: int,
) -> None:
    """What the next build needs to tell at once that nothing changed, and the report to
    give again then."""
    if options.out is None:
        return
    kept = summary.Summary(
        stamp=options_stamp(options),
        inputs=found,
        outputs=summary.output_signatures(options.out, written, MARKER),
        token=written.token,
        problems=[
            [
                p.location.path,
                p.location.line,
                p.location.col,
                p.severity,
                p.message,
                *((p.hint.code, *p.hint.words) if p.hint else ()),
            ]
            for p in report.problems
        ],
        pages=pages,
        files=files,
    )
    summary.save_summary(options.site_root, options.out, kept)
