"""What is written stays well formed, and what is printed cannot be forged: characters no
output may hold are refused wherever they come from, base_url is a plain http(s) address,
and one problem is always one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.conftest import SITE_TOML, VALID_SITE, run_build, write_files

ESCAPES = {
    "C0 control": r"\x01",
    "vertical tab": r"\v",
    "C1 control": r"\x85",
    "noncharacter FFFE": r"\uFFFE",
    "noncharacter FFFF": r"\uFFFF",
    "plane 1 noncharacter": r"\U0001FFFF",
}


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=list(ESCAPES))
def test_a_forbidden_character_written_as_a_yaml_escape_is_refused_at_its_field(
    tmp_path: Path, escape: str
) -> None:
    page = f'---\ntitle: About\nsummary: "Before{escape}after"\n---\nBody\n'
    site = write_files(tmp_path / "site", {**VALID_SITE, "content/pages/about.md": page})
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(
        line.startswith("content/pages/about.md:3:10: error: U+") and "is not allowed" in line
        for line in run.errors
    ), run
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("raw", ["\x01", "\x85", "\ufffe"], ids=["C0", "C1", "FFFE"])
def test_a_forbidden_raw_character_in_the_body_is_refused_at_its_place(
    tmp_path: Path, raw: str
) -> None:
    page = f"---\ntitle: About\n---\nBody{raw}\n"
    site = write_files(tmp_path / "site", {**VALID_SITE, "content/pages/about.md": page})
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(line.startswith("content/pages/about.md:4:5: error: U+") for line in run.errors)


@pytest.mark.parametrize("escape", [r"\u0001", r"\uFFFE", r"\u0085"])
def test_a_forbidden_character_written_as_a_toml_escape_is_refused(
    tmp_path: Path, escape: str
) -> None:
    toml = SITE_TOML + f'description = "Bad{escape}"\n'
    site = write_files(tmp_path / "site", {**VALID_SITE, "site.toml": toml})
    run = run_build(site, tmp_path / "out")
    assert run.code == 2, run
    assert any(line.startswith("site.toml:3:1: error: `description`: U+") for line in run.errors), (
        run
    )


BASE_URLS = {
    r"https://example.org/\nDisallow: /": "spaces or control characters",
    "https://example.org/ x": "spaces or control characters",
    r"https://example.org/\u0085": "spaces or control characters",
    "https://user:secret@example.org/": "user name or password",
    "https://user@example.org/": "user name or password",
    "https://example.org/?q=1": "query or fragment",
    "https://example.org/#top": "query or fragment",
    "ftp://example.org/": "absolute http or https URL",
    "//example.org/": "absolute http or https URL",
}


@pytest.mark.parametrize(("url", "said"), BASE_URLS.items(), ids=list(BASE_URLS))
def test_a_base_url_that_would_inject_is_one_clear_error(
    tmp_path: Path, url: str, said: str
) -> None:
    toml = f'title = "Robustness"\nbase_url = "{url}"\n'
    site = write_files(tmp_path / "site", {**VALID_SITE, "site.toml": toml})
    run = run_build(site, tmp_path / "out")
    assert run.code == 2, run
    assert len(run.errors) == 1, run
    assert run.errors[0].startswith("site.toml:2:1: error: `base_url`") and said in run.errors[0]


def test_a_newline_in_a_file_name_cannot_forge_a_diagnostic(tmp_path: Path) -> None:
    forged = "x\nsite.toml:1:1: error: forged.md"  # a file name holds no slash
    site = write_files(
        tmp_path / "site", {**VALID_SITE, f"content/pages/{forged}": "no front matter\n"}
    )
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert len(run.errors) == 1, run
    assert run.errors[0].startswith(
        r"content/pages/x\nsite.toml:1:1: error: forged.md:1:1: error: missing front"
    ), run
    assert not any(line.startswith("site.toml") for line in run.stderr.splitlines())
