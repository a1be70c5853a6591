"""The stamp that a remembered state must match: chronicle's code, the libraries' versions,
the options. The versions come from the names of the installed distributions' folders."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from chronicle.incremental import state, summary


def test_each_library_has_the_version_importlib_metadata_tells():
    found = state.versions()
    for name in state.LIBRARIES:
        assert found[name] == importlib.metadata.version(name), name


def test_other_options_give_another_stamp(monkeypatch):
    assert state.stamp(False, "https://a.example/") == state.stamp(False, "https://a.example/")
    assert state.stamp(False, "https://a.example/") != state.stamp(True, "https://a.example/")
    before = state.stamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert state.stamp() != before


def test_the_inputs_are_named_by_their_path_in_the_site(make_site, monkeypatch):
    site = make_site()
    monkeypatch.chdir(site.root)
    for root in (Path(), site.root):  # `--site .`, and the same site by its full path
        found = summary.input_signatures(root)
        assert "site.toml" in found
        assert "content/people/ada.md" in found
        assert "content/people/" in found
