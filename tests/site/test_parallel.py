"""Large builds parse and render on every core (worker processes forked before the files
are parsed, and again after the model is built); what they produce is byte for byte what
one process produces, errors included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chronicle import content, render
from chronicle import workers as forking
from chronicle.config import load_settings
from chronicle.errors import BuildError
from chronicle.pipeline import BuildOptions, prepare

MARKS: list[Path] = []  # where marking() leaves its marks (a worker sees the fork's copy)
REAL = render._render_in_worker
REAL_PARSE = content._parse_in_worker


def marking(indices: list[int]) -> object:
    """The workers' function, leaving a mark for each share of pages a worker renders."""
    (MARKS[0] / f"{os.getpid()}-{indices[0] if indices else 'none'}").write_text("")
    return REAL(indices)


def marking_parse(files: list[tuple[str, str, str, str | None]]) -> object:
    (MARKS[0] / f"{os.getpid()}-{Path(files[0][1]).name if files else 'none'}").write_text("")
    return REAL_PARSE(files)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Two workers, even for a small site."""
    marks = tmp_path / "marks"
    marks.mkdir()
    MARKS[:] = [marks]
    monkeypatch.setattr(render, "PARALLEL_FROM", 5)
    monkeypatch.setattr(forking.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(render, "_render_in_worker", marking)
    # Threads another test left running (a watcher, a search index) would stop the fork.
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    return marks


def test_pages_rendered_by_workers_are_those_of_one_process(make_site, workers, monkeypatch):
    site = make_site()
    shared = prepare(BuildOptions(site_root=site.root))
    pids = {int(p.name.split("-")[0]) for p in workers.iterdir()}
    assert len(pids) == 2 and os.getpid() not in pids, "two workers should have rendered"
    monkeypatch.setattr(render, "PARALLEL_FROM", 10**9)
    alone = prepare(BuildOptions(site_root=site.root))
    assert shared.plan.rendered == alone.plan.rendered
    assert shared.rendered == alone.rendered > 20


def test_a_template_error_in_a_workers_page_is_reported_once(make_site, workers):
    broken = "{% extends 'base.html' %}{% block main %}{{ nope.x }}{% endblock %}"
    site = make_site({"templates/event.html": broken})
    with pytest.raises(BuildError) as info:
        prepare(BuildOptions(site_root=site.root))
    problems = [p for p in info.value.report.problems if p.severity == "error"]
    assert len(problems) == 1, problems
    assert problems[0].location.path == "templates/event.html"
    assert "'nope' is undefined" in problems[0].message


def test_files_parsed_by_workers_are_those_of_one_process(make_site, workers, monkeypatch):
    """Problems included: each file comes back with its entries and what is wrong with it."""
    site = make_site(
        {
            "content/people/nobody.md": "---\nname: Nobody\nrole: [not, text]\n---\n",
            "content/events/undated.md": "---\ntitle: Undated\n---\n",
        }
    )
    settings = load_settings(site.root)
    monkeypatch.setattr(content, "_parse_in_worker", marking_parse)
    monkeypatch.setattr(content, "PARALLEL_FROM", 5)
    shared, shared_report = content.load_content(site.root, settings)
    pids = {int(p.name.split("-")[0]) for p in workers.iterdir()}
    assert len(pids) == 2 and os.getpid() not in pids, "two workers should have parsed"
    monkeypatch.setattr(content, "PARALLEL_FROM", 10**9)
    alone, alone_report = content.load_content(site.root, settings)
    assert shared == alone
    assert [str(p) for p in shared_report.problems] == [str(p) for p in alone_report.problems]
    assert len(alone_report.problems) >= 2
    assert len(alone.people) + len(alone.events) > 5
