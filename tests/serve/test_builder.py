"""The preview's builder, in-process: what a rebuild writes, and what it leaves for later."""

from __future__ import annotations

import json
from pathlib import Path

from chronicle.pipeline import BuildOptions
from chronicle.preview.serve import Builder, _rebuild_forever
from chronicle.preview.watch import Change, ChangeKind
from chronicle.writing.live import LiveFolder
from tests.conftest import SiteDir


def preview(site: SiteDir, tmp_path: Path) -> tuple[Builder, Path]:
    folder = tmp_path / "preview"
    folder.mkdir()
    options = BuildOptions(site_root=site.root, exports_later=True)
    return Builder(options, "127.0.0.1", 8000, LiveFolder(folder)), folder


def titles(folder: Path) -> set[str]:
    data = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    return {event["title"] for event in data["events"]}


def test_the_exports_follow_the_pages_after_the_reload(make_site, tmp_path):
    """A rebuild writes the pages and reloads them; the data exports, which no page shows,
    are written just after (finish()), and never go missing in between."""
    site = make_site()
    builder, folder = preview(site, tmp_path)
    assert isinstance(builder.run([]), tuple)
    assert not (folder / "events.json").exists()  # not yet: after the first reload
    builder.finish()
    assert "Ada meets Charles" in titles(folder)

    path = site.write(
        "content/events/meeting.md", "---\ntitle: Ada and Charles meet\ndate: 1833-06-05\n---\n"
    )
    outcome = builder.run([Change(path, ChangeKind.CONTENT)])
    assert isinstance(outcome, tuple)
    assert "Ada and Charles meet" in (folder / "events/meeting/index.html").read_text()
    assert "Ada meets Charles" in titles(folder)  # the previous exports, still there
    builder.finish()
    assert "Ada and Charles meet" in titles(folder)
    assert "Ada meets Charles" not in titles(folder)


def test_a_failed_rebuild_keeps_the_exports_of_the_last_good_one(make_site, tmp_path):
    site = make_site()
    builder, folder = preview(site, tmp_path)
    builder.run([])
    builder.finish()
    before = (folder / "events.json").read_bytes()
    path = site.write("content/events/meeting.md", "---\ntitle: [unclosed\n---\n")
    outcome = builder.run([Change(path, ChangeKind.CONTENT)])
    assert isinstance(outcome, list) and any("meeting.md" in line for line in outcome)
    builder.finish()
    assert (folder / "events.json").read_bytes() == before


class Batches:
    """A watcher whose bursts are given in advance: `pending` says how many are already
    waiting when the builder asks (the rest come later)."""

    def __init__(self, batches: list[list[Change]]) -> None:
        self.batches = batches

    def next_batch(self) -> list[Change] | None:
        return self.batches.pop(0) if self.batches else None

    def has_pending(self) -> bool:
        return bool(self.batches)


class Outcomes:
    def __init__(self, outcomes: list[object]) -> None:
        self.outcomes = outcomes
        self.built: list[list[Change]] = []

    def run(self, batch: list[Change]) -> object:
        self.built.append(batch)
        return self.outcomes.pop(0)

    def finish(self) -> None:
        pass


class Told:
    def __init__(self) -> None:
        self.outcomes: list[object] = []

    def add_callback(self, report: object, outcome: object, preview: object) -> None:
        self.outcomes.append(outcome)


def test_a_failure_with_changes_already_waiting_is_built_over_not_shown(tmp_path):
    """The half-done checkout: the first part of a burst fails, the rest is waiting."""
    first, rest = (
        [Change(tmp_path / "a.md", ChangeKind.CONTENT)],
        [Change(tmp_path / "b.md", ChangeKind.CONTENT)],
    )
    good = (["people/a/index.html"], "/", 0.01)
    builder, told = Outcomes([["a.md:1:1: error: unknown person `b`"], good]), Told()
    _rebuild_forever(Batches([first, rest]), builder, None, told)  # type: ignore[arg-type]
    assert builder.built == [first, rest]
    assert told.outcomes == [good]


def test_a_failure_with_nothing_waiting_is_shown(tmp_path):
    change = [Change(tmp_path / "a.md", ChangeKind.CONTENT)]
    failed = ["a.md:1:1: error: unknown person `b`"]
    builder, told = Outcomes([failed]), Told()
    watcher = Batches([change])
    _rebuild_forever(watcher, builder, None, told)  # type: ignore[arg-type]
    assert told.outcomes == [failed]
