"""Writing the site: every file goes into a staging folder beside the output first, which
then takes the output's place in one step (swap.py). After a remembered build, the previous
output may be updated in place instead, only the files that changed moved in
(incremental/inplace.py). Either way a build that fails or is killed leaves the previous
output as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from chronicle.errors import Location, OutputError, Report
from chronicle.incremental import inplace
from chronicle.incremental.inplace import Output, Previous, Reuse, Written
from chronicle.incremental.stamp import Stamp
from chronicle.reading import safefs
from chronicle.writing.plan import MARKER, MARKER_TEXT, Plan
from chronicle.writing.staging import Staging, written_error
from chronicle.writing.swap import swap


def write_site(
    plan: Plan,
    out: Path,
    previous: Previous | None = None,
    staging: Staging | None = None,
    report: Report | None = None,
) -> Output:
    """Write the plan into `out`, through the staging folder (`staging`, which may hold
    some of it already); returns what was written.

    With a previous output, a few changes (an edit) are moved into it in place when they
    may be (inplace.update). Otherwise every file is staged, and the staging folder takes
    the place of `out` at once. Whatever happens, the staging folder is gone after; a
    previous output that could not be removed is a warning in `report`."""
    staging = staging or Staging(out)
    try:
        if previous is not None:
            updated = inplace.update(plan, out, previous, staging)
            if updated is not None:
                return updated
        files = _stage_all(plan, staging, Reuse(out, previous))
        leftover = swap(staging.path, out)
    except safefs.UnsafeFileError:
        raise  # a source that cannot be read: said as such (pipeline.build), not as a write
    except OSError as exc:
        raise OutputError(written_error(out, exc)) from exc
    finally:  # an error, an interrupt, or done: either way the staging folder is not needed
        staging.discard()
    if leftover is not None and report is not None:
        report.warning(
            Location(str(leftover)),
            f"the new site is in {out}, but its previous version could not be removed "
            "(read-only?); the next build removes it",
        )
    return Output.made(out, files)


def _stage_all(plan: Plan, staging: Staging, reuse: Reuse) -> dict[str, Written]:
    """Put every file of the plan in the staging folder, with the marker; files the
    previous output holds unchanged are linked from there (Reuse)."""
    # Paths as text: on a site of thousands of files, Path objects cost more than the I/O.
    root = staging.path
    written: dict[str, Written] = {}
    for rel in plan.paths():
        staging.folder_for(rel)
        target = f"{root}/{rel}"
        if rel in plan.staged:
            pass  # put there while the pages rendered
        elif rel in plan.rendered:
            staging.put_as_is(rel, plan.rendered[rel])
        else:
            written[rel] = reuse.stage(plan, rel, target)
            continue
        written[rel] = Written(Stamp.of(os.stat(target)))
    (root / MARKER).write_bytes(MARKER_TEXT)
    return written
