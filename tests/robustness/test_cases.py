"""Every folder under cases/ is one small broken site, built through build.py.

Each must fail cleanly: the exit status of its kind (1 for content and templates, 2 for
site.toml), no traceback, exactly the diagnostics of its expected.txt (path:line:col and
words), the previous output/ (a real earlier build plus a sentinel file) unchanged, no
staging folder left behind, and nothing written to the working directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import DIAGNOSTIC, Case, PriorOutput, load_cases, run_build, unmatched

CASES = load_cases()

# Cases whose expected.txt states the right behaviour and the generator does not do it yet.
# Fix the generator, then delete the entry: strict xfail fails as soon as a case passes.
KNOWN_BUGS: dict[str, str] = {}


def _params() -> list[object]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case.name])]
            if case.name in KNOWN_BUGS
            else [],
        )
        for case in CASES
    ]


def _kind(expected: str) -> str:
    return "warning" if ": warning: " in expected else "error"


@pytest.mark.parametrize("case", _params())
def test_bad_input_fails_cleanly_and_keeps_the_previous_output(
    case: Case, tmp_path: Path, prior_output: PriorOutput
) -> None:
    site = case.materialize(tmp_path / "site")
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    result = run_build(site, prior_output.path, cwd=cwd)

    assert "Traceback" not in result.stderr, result
    assert result.code == case.exit_code, result
    expected_errors = [e for e in case.expected if _kind(e) == "error"]
    missing, unexpected = unmatched(expected_errors, result.errors)
    assert not missing and not unexpected, (
        f"expected but not printed: {missing}\nprinted but not expected: {unexpected}\n{result!r}"
    )
    expected_warnings = [e for e in case.expected if _kind(e) == "warning"]
    missing_warnings, _ = unmatched(expected_warnings, result.warnings)
    assert not missing_warnings, result
    prior_output.assert_untouched()
    assert not list(cwd.iterdir()), "the build wrote into its working directory"


# --------------------------------------------------------------------------- the data


def test_there_are_at_least_fifty_cases_and_each_states_its_diagnostics() -> None:
    assert len(CASES) >= 50
    for case in CASES:
        assert (case.folder / "site.toml").is_file(), case.name
        assert case.expected, f"{case.name}: expected.txt names no diagnostic"
        assert case.exit_code in (1, 2), case.name
        for line in case.expected:
            text = line.removeprefix("~ ").replace("...", "1")
            assert DIAGNOSTIC.match(text), f"{case.name}: not `path:line:col: kind: msg`: {line}"
        if case.exit_code == 2:
            assert all(e.removeprefix("~ ").startswith("site.toml:") for e in case.expected)


def test_every_known_bug_names_a_case() -> None:
    names = {case.name for case in CASES}
    assert set(KNOWN_BUGS) <= names, sorted(set(KNOWN_BUGS) - names)


def test_the_expected_lines_are_matched_one_for_one() -> None:
    """The matcher itself: exact lines, `...` patterns, and no line used twice."""
    printed = ["a.md:1:1: error: one", "a.md:2:1: error: two"]
    assert unmatched(["a.md:1:1: error: one", "~ a.md:2:1: error: t...o"], printed) == ([], [])
    assert unmatched(["a.md:1:1: error: one"], printed) == ([], ["a.md:2:1: error: two"])
    assert unmatched(["~ a.md:...: error: ...", "~ a.md:...: error: ..."], printed[:1]) == (
        ["~ a.md:...: error: ..."],
        [],
    )
    assert unmatched(["a.md:1:1: error: on"], printed[:1]) == (
        ["a.md:1:1: error: on"],
        ["a.md:1:1: error: one"],
    )
