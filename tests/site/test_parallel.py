"""Large builds parse and render on every core (worker processes forked before the files
are parsed, and again after the model is built); what they produce is byte for byte what
one process produces, errors included."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.errors import BuildError
from chronicle.incremental import parsing, render_workers, state
from chronicle.incremental import workers as forking
from chronicle.incremental.memory import Memory
from chronicle.pipeline import BuildOptions, prepare
from chronicle.reading import loader
from chronicle.reading.settings import load_settings
from chronicle.rendering import render
from tests.site.test_remembered_builds import tree

MARKS: list[Path] = []  # where marking() leaves its marks (a worker sees the fork's copy)
REAL = render_workers._render_for_parent
REAL_ASIDE = render_workers._aside
REAL_ONE = render.Renderer._render_one
REAL_PARSE = parsing._parse_for_parent


def mark(renderer: render.Renderer, index: int) -> None:
    page = renderer.jobs[index].output.replace("/", "_")
    (MARKS[0] / f"{os.getpid()}-{page}").write_text("")


def marking(index: int) -> object:
    """A worker's page, leaving a mark: which process rendered which page."""
    mark(forking.shared().renderer, index)
    return REAL(index)


def marking_aside(name: str) -> object:
    (MARKS[0] / f"{os.getpid()}-aside {name}").write_text("")
    return REAL_ASIDE(name)


def slowly(renderer: render.Renderer, index: int, *args: object) -> None:
    """This process's page, a little late: the workers have time to start on a small site."""
    time.sleep(0.01)
    mark(renderer, index)
    REAL_ONE(renderer, index, *args)


def marking_parse(item: tuple[str, str, str, str | None]) -> object:
    (MARKS[0] / f"{os.getpid()}-{Path(item[1]).name}").write_text("")
    return REAL_PARSE(item)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Two workers, even for a small site."""
    marks = tmp_path / "marks"
    marks.mkdir()
    MARKS[:] = [marks]
    monkeypatch.setattr(render_workers, "PARALLEL_FROM", 5)
    monkeypatch.setattr(forking.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(render_workers, "_render_for_parent", marking)
    monkeypatch.setattr(render_workers, "_aside", marking_aside)
    monkeypatch.setattr(render.Renderer, "_render_one", slowly)
    # Threads another test left running (a watcher, a search index) would stop the fork.
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    return marks


def marks(folder: Path) -> dict[str, int]:
    """Which process did what: page (its output path, with _ for /) or "aside <name>" -> pid."""
    return {p.name.split("-", 1)[1]: int(p.name.split("-")[0]) for p in folder.iterdir()}


def test_pages_rendered_by_workers_are_those_of_one_process(make_site, workers, monkeypatch):
    """Exports included: a worker makes them while the pages render, for the memory."""
    site = make_site()
    shared = prepare(BuildOptions(site_root=site.root), Memory())
    done = marks(workers)
    exporter = done.pop("aside exports")
    pages = len(done)
    assert exporter != os.getpid(), "a worker should have made the exports"
    assert pages == shared.rendered, "each page should be rendered once, by one process"
    assert os.getpid() in done.values() and len(set(done.values())) >= 2, done
    monkeypatch.setattr(render_workers, "PARALLEL_FROM", 10**9)
    alone = prepare(BuildOptions(site_root=site.root), Memory())
    assert shared.plan.rendered == alone.plan.rendered
    assert shared.rendered == alone.rendered > 20


def test_a_state_with_the_files_a_worker_pickled_loads_as_one_this_process_pickled(
    make_site, workers, monkeypatch, tmp_path, capsys
):
    """A worker pickles the parsed files while the pages render; the state saved with them
    is the one a single process saves, and an edit build after it is a cold build's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the signing key
    site = make_site()
    shared_out, alone_out = tmp_path / "shared", tmp_path / "alone"
    assert main(["build", "-q", "--site", str(site.root), "--out", str(shared_out)]) == 0
    assert marks(workers)["aside files"] != os.getpid(), "a worker should have pickled them"
    saved = state.state_path(site.root, shared_out).read_bytes()
    assert b"_pickle" in saved and b"loads" in saved, "saved as the worker's bytes"
    monkeypatch.setattr(render_workers, "PARALLEL_FROM", 10**9)
    assert main(["build", "-q", "--site", str(site.root), "--out", str(alone_out)]) == 0
    loaded = {}
    for out in (shared_out, alone_out):
        path = state.state_path(site.root, out)
        kept = state.load(site.root, out, path.read_bytes()[32:64].decode())
        assert kept is not None
        loaded[out] = kept
    assert loaded[shared_out].files.parsed == loaded[alone_out].files.parsed
    assert len(loaded[shared_out].files.parsed) > 5
    page = site.root / "content/people/charles.md"
    page.write_text(page.read_text().replace("name: Charles Babbage", "name: C. Babbage"))
    assert main(["build", "-q", "--site", str(site.root), "--out", str(shared_out)]) == 0
    state.state_path(site.root, alone_out).unlink()  # a cold build to compare with
    assert main(["build", "-q", "--site", str(site.root), "--out", str(alone_out)]) == 0
    assert "C. Babbage" in (shared_out / "people/charles/index.html").read_text()
    assert tree(shared_out) == tree(alone_out)
    capsys.readouterr()


def test_this_process_renders_from_the_front_and_workers_from_the_back(make_site, workers):
    """In the order of render_workers.claim_order: the timelines first, the profiles last."""
    site = make_site()
    prepare(BuildOptions(site_root=site.root))
    done = marks(workers)
    assert done["timeline_index.html"] == os.getpid(), "this process starts at the front"
    profiles = [
        pid for page, pid in done.items() if page.startswith("people_") and page.count("_") > 1
    ]
    assert profiles and os.getpid() not in profiles, "workers start at the back"


def test_claim_order_keeps_pages_that_show_the_same_cards_together():
    jobs = [
        render.PageJob(f"{n}.html", template, "/", "en")
        for n, template in enumerate(
            [
                *("home.html", "person.html", "event.html", "timeline.html", "person.html"),
                *("custom.html", "timeline.html", "organization.html", "event.html"),
            ]
        )
    ]
    order = render_workers.claim_order(jobs, list(range(len(jobs))))
    assert [jobs[i].template for i in order] == [
        "timeline.html",
        "timeline.html",
        "home.html",
        "event.html",  # and the templates the order does not name, in the middle
        "custom.html",
        "event.html",
        "organization.html",
        "person.html",
        "person.html",
    ]
    assert order[:2] == [3, 6] and order[-2:] == [1, 4], "pages of a template keep their order"


def test_two_ends_give_each_item_once_to_processes_that_claim_at_once():
    ends = forking.TwoEnds()
    ends.start(5)
    assert list(ends.front(2)) == [0, 1]
    assert list(ends.back(2)) == [4, 3]
    assert list(ends.back(2)) == [2]
    assert list(ends.front(2)) == [] and list(ends.back(2)) == []
    ends.start(2_000)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's lines run in another process
        taken = [i for claim in iter(lambda: ends.back(3), range(0)) for i in claim]
        os.write(writer, json.dumps(taken).encode())
        os._exit(0)
    os.close(writer)
    mine = [i for claim in iter(lambda: ends.front(3), range(0)) for i in claim]
    os.waitpid(child, 0)
    with os.fdopen(reader) as pipe:
        theirs = json.loads(pipe.read())
    assert sorted(mine + theirs) == list(range(2_000))
    assert mine == sorted(mine) and theirs == sorted(theirs, reverse=True)


def test_a_template_error_in_a_workers_page_is_reported_once(make_site, workers, monkeypatch):
    """As one process reports it: for the first page in the list that met it, whichever
    process rendered that page."""
    broken = "{% extends 'base.html' %}{% block main %}{{ nope.x }}{% endblock %}"
    site = make_site({"templates/event.html": broken, "templates/person.html": broken})
    with pytest.raises(BuildError) as info:
        prepare(BuildOptions(site_root=site.root))
    problems = [p for p in info.value.report.problems if p.severity == "error"]
    assert len(problems) == 2, problems
    assert {p.location.path for p in problems} == {"templates/event.html", "templates/person.html"}
    assert all("'nope' is undefined" in p.message for p in problems)
    monkeypatch.setattr(render_workers, "PARALLEL_FROM", 10**9)
    with pytest.raises(BuildError) as alone:
        prepare(BuildOptions(site_root=site.root))
    assert [str(p) for p in info.value.report.problems] == [
        str(p) for p in alone.value.report.problems
    ]


def test_files_parsed_by_workers_are_those_of_one_process(make_site, workers, monkeypatch):
    """Problems included: each file comes back with its entries and what is wrong with it."""
    site = make_site(
        {
            "content/people/nobody.md": "---\nname: Nobody\nrole: [not, text]\n---\n",
            "content/events/undated.md": "---\ntitle: Undated\n---\n",
        }
    )
    settings = load_settings(site.root)
    monkeypatch.setattr(parsing, "_parse_for_parent", marking_parse)
    monkeypatch.setattr(parsing, "PARALLEL_FROM", 5)
    monkeypatch.setattr(parsing, "CHUNK", 1)
    real_parsed = loader.Loader._parsed

    def slowly(reader: loader.Loader, *item: str | None) -> loader.Parsed:
        time.sleep(0.01)  # the workers have time to start on a small site
        return real_parsed(reader, *item)  # type: ignore[arg-type]

    monkeypatch.setattr(loader.Loader, "_parsed", slowly)
    shared, shared_report = loader.load_content(site.root, settings)
    pids = {int(p.name.split("-")[0]) for p in workers.iterdir()}
    assert pids, "workers should have parsed files"  # (only workers leave marks)
    monkeypatch.setattr(parsing, "PARALLEL_FROM", 10**9)
    alone, alone_report = loader.load_content(site.root, settings)
    assert shared == alone
    assert [str(p) for p in shared_report.problems] == [str(p) for p in alone_report.problems]
    assert len(alone_report.problems) >= 2
    assert len(alone.people) + len(alone.events) > 5


def test_a_failure_in_this_process_stops_the_workers_and_is_raised(make_site, workers, monkeypatch):
    """Not a template error (those are reported): an error of chronicle's own, or Ctrl-C,
    while workers still render. Their queued pages are never read; the build must end
    with the error, not wait for ever on workers that wait to send them."""
    site = make_site()

    def failing(renderer: render.Renderer, index: int, *args: object) -> None:
        raise RuntimeError("this process failed")

    monkeypatch.setattr(render.Renderer, "_render_one", failing)
    monkeypatch.setattr(render_workers, "CHUNK", 1)
    with failing_after(30, "the build hung"), pytest.raises(RuntimeError, match="this process"):
        prepare(BuildOptions(site_root=site.root))


def test_workers_forked_for_pages_that_are_never_rendered_are_stopped(make_site, workers):
    """A failure between the fork and the rendering (here, in the progress display)."""
    site = make_site()

    def broken_progress(renderer: render.Renderer) -> contextlib.AbstractContextManager[None]:
        raise RuntimeError("no terminal")

    with failing_after(30, "the build hung"), pytest.raises(RuntimeError, match="terminal"):
        prepare(BuildOptions(site_root=site.root), watch=broken_progress)
    assert multiprocessing.active_children() == [], "the workers should be gone"


@contextlib.contextmanager
def failing_after(seconds: int, message: str) -> Iterator[None]:
    """The test fails if the block takes longer (a hang would stop the whole run)."""
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail(message))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- the crew itself: what a worker's failure does --------------------------------------


def twice(item: int) -> int:
    return item * 2


LAST = 39  # the worker's first item: it takes from the back


def fails_at_the_back(item: int) -> int:
    if item == LAST - 1:
        raise ValueError("failed")
    return item


def unpicklable(item: int) -> object:
    return lambda: item  # a result the queue cannot send


def dies_at_the_back(item: int) -> int:
    if item == LAST - 1:
        os._exit(1)  # as the system's out-of-memory killer would end it
    return item


def crew_run(there: Callable[[int], object]) -> dict[str, list[object]]:
    """Items 0..LAST: this process doubles its own slowly (so that the worker, started
    after it, takes some), a worker runs `there` on the others."""
    done: dict[str, list[object]] = {"here": [], "there": []}
    with failing_after(30, "the crew hung"), forking.Crew(1) as crew:
        crew.run(
            list(range(LAST + 1)),
            here=lambda item: (time.sleep(0.01), done["here"].append(twice(item))),
            there=there,
            receive=done["there"].append,
            chunk=2,
        )
    return done


def test_a_crew_gives_every_item_to_one_side():
    done = crew_run(twice)
    assert sorted(done["here"] + done["there"]) == [2 * i for i in range(LAST + 1)]
    assert done["there"], "the worker should have taken items from the back"


@pytest.mark.parametrize(
    ("there", "error"),
    [
        (fails_at_the_back, ValueError),
        (unpicklable, AttributeError),  # pickle: "Can't pickle local object"
        (dies_at_the_back, forking.WorkerDiedError),
    ],
)
def test_what_stops_a_worker_stops_the_run_with_an_error(there, error):
    with pytest.raises(error):
        crew_run(there)
