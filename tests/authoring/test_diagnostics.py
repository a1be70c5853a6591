"""Problems read like a good compiler's: the first line as ever, then the source line with a
caret under the column and a hint, indented; colour only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chronicle.diagnostics import HINTS, Printer, excerpt, hint, use_colour
from chronicle.errors import Hint, Location, Problem, Report
from chronicle.reading.loader import load_content
from chronicle.reading.settings import load_settings
from tests.conftest import PROJECT

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SITE_TOML = 'title = "T"\nbase_url = "https://example.org/"\n'


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hang, wide enough for a loaded machine
        env=full,
        check=False,
    )


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return write(
        tmp_path / "site",
        {
            "site.toml": SITE_TOML,
            "content/people/ada.md": (
                "---\nname: 艾達 Ada\norganisations: [x]\nfeatured: yes\n---\n"
            ),
            "content/events/x.md": "---\ntitle: X\ndate: 2023-13\npeople: [adda]\n---\n",
        },
    )


def blocks(stderr: str) -> dict[str, list[str]]:
    """Each problem's first line -> the indented lines that follow it."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stderr.splitlines():
        if re.match(r"^\S.*:\d+:\d+: (error|warning): ", line):
            current = found.setdefault(line, [])
        elif current is not None and line.startswith(" "):
            current.append(line)
        else:
            current = None
    return found


def test_each_problem_shows_its_line_a_caret_and_a_hint(broken: Path) -> None:
    result = run("build", "--site", str(broken), "--out", str(broken.parent / "out"))
    assert result.returncode == 1
    shown = blocks(result.stderr)
    date = shown["content/events/x.md:3:7: error: `date`: `2023-13` has month 13; months run "
                 "from 01 to 12"]  # fmt: skip
    assert date[1] == " 3 | date: 2023-13"
    assert date[2] == "   |       ^"
    assert date[3].startswith("   = hint: dates are YYYY, YYYY-MM or YYYY-MM-DD")
    field = next(v for k, v in shown.items() if "unknown field `organisations`" in k)
    assert field[1] == " 3 | organisations: [x]" and field[2] == "   | ^"
    assert "rename `organisations` to `organizations`" in field[3]
    person = next(v for k, v in shown.items() if "unknown person `adda`" in k)
    assert person[2] == "   |          ^"
    assert "change it to `ada`" in person[3] and "build.py new person" in person[3]
    assert result.stderr.splitlines()[-1] == "build failed: 4 errors; output left as it was"
    assert "\x1b" not in result.stderr, "colour on a pipe"


def test_the_first_lines_are_unchanged_and_every_other_line_is_indented(broken: Path) -> None:
    result = run("check", "--site", str(broken))
    lines = result.stderr.splitlines()
    firsts = [line for line in lines if not line.startswith(" ")]
    assert firsts == [
        "content/events/x.md:3:7: error: `date`: `2023-13` has month 13; months run from 01 to 12",
        "content/events/x.md:4:10: error: unknown person `adda`: no file "
        "content/people/adda.md; did you mean `ada`?",
        "content/people/ada.md:3:1: error: unknown field `organisations` (did you mean "
        "`organizations`?); put your own fields under `extra`",
        "content/people/ada.md:4:11: error: `featured` must be `true` or `false`, not `yes`",
        "build failed: 4 errors; output left as it was",
    ]


def test_colour_on_a_terminal_and_when_forced_never_with_no_color(broken: Path) -> None:
    args = ("build", "--site", str(broken), "--out", str(broken.parent / "out"))
    forced = run(*args, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stderr
    assert ANSI.sub("", forced.stderr) == run(*args).stderr
    assert "\x1b" not in run(*args, env={"NO_COLOR": "1"}).stderr
    on_tty = _on_a_terminal([sys.executable, str(PROJECT / "build.py"), *args])
    assert "\x1b[31m" in on_tty  # red `error:`
    plain_tty = _on_a_terminal(
        [sys.executable, str(PROJECT / "build.py"), *args], extra={"NO_COLOR": "1"}
    )
    assert "\x1b[3" not in plain_tty


def _on_a_terminal(command: list[str], extra: dict[str, str] | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm", **(extra or {})})
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command, stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_use_colour_follows_the_conventions() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_colour(Tty(), {}) is True
    assert use_colour(io.StringIO(), {}) is False
    assert use_colour(Tty(), {"NO_COLOR": "1"}) is False
    assert use_colour(Tty(), {"NO_COLOR": ""}) is True  # empty means unset
    assert use_colour(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert use_colour(io.StringIO(), {"FORCE_COLOR": "0"}) is False
    assert use_colour(Tty(), {"TERM": "dumb"}) is False


def test_the_caret_counts_wide_characters_and_tabs_as_the_terminal_does() -> None:
    text, offset = excerpt("name: 艾達 Ada x", 12)
    assert text == "name: 艾達 Ada x" and offset == 13  # 艾 and 達 are two columns each
    text, offset = excerpt("\tkey: v", 2)
    assert text == "    key: v" and offset == 4


def test_control_characters_never_reach_the_terminal() -> None:
    text, _ = excerpt("name: \x1b[31mred\u202eevil\u0007", 1)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert text.count("\ufffd") == 3


def test_a_long_line_is_cut_around_the_column() -> None:
    line = "x" * 5000 + "HERE" + "y" * 5000
    text, offset = excerpt(line, 5001)
    assert len(text) <= 110 and text.startswith("…") and text.endswith("…")
    assert text[offset : offset + 4] == "HERE"


def test_a_file_outside_the_site_is_never_shown(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {"site.toml": SITE_TOML})
    secret = write(tmp_path, {"secret.txt": "password: hunter2\n"}) / "secret.txt"
    (site / "content").mkdir()
    (site / "content/leak.md").symlink_to(secret)
    stream = io.StringIO()
    printer = Printer(site, stream)
    for shown in ("content/leak.md", "../secret.txt", str(secret)):
        text = printer.format(Problem(Location(shown, 1, 3), "error", "x"))
        assert "hunter2" not in text


def test_a_link_in_a_loop_is_reported_without_an_excerpt(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {"site.toml": SITE_TOML, "content/people/ada.md": "x"})
    (site / "content/people/loop.md").symlink_to("loop.md")
    printer = Printer(site, io.StringIO())
    text = printer.format(Problem(Location("content/people/loop.md", 2, 3), "error", "loop"))
    assert text.splitlines()[0] == "content/people/loop.md:2:3: error: loop"
    assert text.splitlines()[1].startswith("   = hint: ")


@pytest.mark.parametrize(
    ("hint_of", "path", "words"),
    [
        (Hint("required", ("name",)), "content/people/a.md", "name: Ada Lovelace"),
        (Hint("boolean", ("draft",)), "content/pages/a.md", "draft: true"),
        (Hint("unknown-field", ("rol", "role")), "content/people/a.md", "`role`"),
        (Hint("unknown-ref", ("organization", "x", "")), "c", "new"),
        (Hint("template"), "templates/a.html", "template"),
        (Hint("sources"), "content/events/x.md", "sources:"),
        (None, "content/events/x.md", "docs/content-model.md"),
        (None, "site.toml", "README"),
        (Hint("settings"), "site.toml", "Settings"),
        (Hint("symlink"), "content/people/x.md", "link"),
    ],
)
def test_every_problem_gets_a_hint(hint_of: Hint | None, path: str, words: str) -> None:
    assert words in hint(Problem(Location(path, 2, 1), "error", "a message", hint_of))


def test_every_hint_code_has_its_advice() -> None:
    assert set(HINTS) >= set(re.findall(r'Hint\("([\w-]+)"', _sources()))


def _sources() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (PROJECT / "chronicle").rglob("*.py"))


def test_the_hint_is_chosen_where_the_problem_is_found(tmp_path: Path) -> None:
    site = write(
        tmp_path / "site",
        {
            "site.toml": SITE_TOML,
            "content/people/ada.md": "---\nname: Ada\nrol: x\nfeatured: yes\n---\n",
            "content/events/x.md": "---\ntitle: X\ndate: 2023-13\n---\n",
        },
    )
    _content, report = load_content(site, load_settings(site))
    assert {p.message.split(" ")[0]: p.hint for p in report.problems} == {
        "unknown": Hint("unknown-field", ("rol", "role")),
        "`featured`": Hint("boolean", ("featured",)),
        "`date`:": Hint("date"),
    }


def test_strict_turns_warnings_into_errors_and_check_runs_them_all(tmp_path: Path) -> None:
    site = write(
        tmp_path / "site",
        {
            "site.toml": SITE_TOML + 'languages = ["en", "zh-hant"]\n',
            "content/people/ada.md": "---\nname: Ada\nsummary: S.\n---\n",
            "content/people/ada.zh-hant.md": "---\nname: 艾達\nsummary: 摘要。\n---\n",
            "content/people/bob.md": "---\nname: Bob\n---\n",
            "content/events/e.md": "---\ntitle: E\ndate: 2020\nsummary: S.\n---\n",
            "content/events/notes.txt": "stray\n",
            "content/drafts/x.md": "stray\n",
        },
    )
    out = tmp_path / "out"
    relaxed = run("build", "--site", str(site), "--out", str(out))
    assert relaxed.returncode == 0, relaxed.stderr
    warnings = {line for line in relaxed.stderr.splitlines() if ": warning: " in line}
    expected = {
        "content/drafts:1:1: warning: ignored",
        "content/events/notes.txt:1:1: warning: ignored",
        "content/events/e.md:1:1: warning: event `e` cites no `sources`",
        "content/people/bob.md:1:1: warning: no `summary` for person `bob`",
        "content/people/bob.md:1:1: warning: no `zh-hant` translation of person `bob`",
        "content/events/e.md:1:1: warning: no `zh-hant` translation of event `e`",
    }
    for start in expected:
        assert any(line.startswith(start) for line in warnings), (start, relaxed.stderr)
    assert len(warnings) == len(expected), relaxed.stderr
    assert relaxed.stderr.splitlines()[-1].endswith("; 6 warnings")
    assert (out / "index.html").is_file()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    strict = run("build", "--site", str(site), "--out", str(out), "--strict")
    assert strict.returncode == 1
    assert {line.replace(": error: ", ": warning: ") for line in strict.stderr.splitlines()
            if ": error: " in line} == warnings  # fmt: skip
    assert strict.stderr.splitlines()[-1] == "build failed: 6 errors; output left as it was"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    checked = run("check", "--site", str(site), "--strict")
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[-1] == "check failed: 6 errors"
    assert run("check", "--site", str(site)).stderr.splitlines()[-1] == "check passed: 6 warnings"


def test_one_language_needs_no_translations(tmp_path: Path) -> None:
    site = write(
        tmp_path / "site",
        {
            "site.toml": SITE_TOML,
            "content/people/ada.md": "---\nname: Ada\nsummary: S.\n---\n",
        },
    )
    result = run("check", "--site", str(site), "--strict")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr and "translation" not in result.stderr


def test_the_closing_line_counts_pages_written_and_unchanged(tmp_path: Path) -> None:
    site = write(
        tmp_path / "site",
        {"site.toml": SITE_TOML, "content/people/ada.md": "---\nname: Ada\nsummary: S.\n---\n"},
    )
    out = tmp_path / "out"
    args = ("build", "--site", str(site), "--out", str(out))
    first = run(*args).stderr.splitlines()[-1]
    total = int(re.match(r"built (\d+) pages", first).group(1))  # type: ignore[union-attr]
    assert f"({total} written, 0 unchanged)" in first and re.search(r"in \d+\.\d\d s$", first)
    assert f"up to date: nothing changed since the last build of {total} pages" in (
        run(*args).stderr
    )
    (site / "content/people/ada.md").write_text("---\nname: Ada\nsummary: S.\n---\nMore.\n")
    assert f"(1 written, {total - 1} unchanged)" in run(*args).stderr
    (site / "content/people/bob.md").write_text("---\nname: Bob\nsummary: B.\n---\n")
    third = run(*args).stderr.splitlines()[-1]
    written = int(re.search(r"\((\d+) written", third).group(1))  # type: ignore[union-attr]
    assert 0 < written < total
    assert run(*args, "--quiet").stderr == ""


def test_the_progress_bar_shows_on_a_terminal_only(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {"site.toml": SITE_TOML})
    # Long Markdown bodies: rendering must last well past the bar's 0.3 s delay.
    paragraph = "Some *words* and a [link](/people/) here. " * 40 + "\n\n"
    for i in range(40):
        text = f"---\nname: P {i}\nsummary: S.\n---\nPerson {i}.\n\n" + paragraph * 150
        write(site, {f"content/people/p{i}.md": text})
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--site", str(site)]
    on_tty = _on_a_terminal([*command, "--out", str(tmp_path / "a")])
    assert re.search(r"rendering \[=*\s*\] \d+/\d+ pages", on_tty), on_tty[-500:]
    assert "\r\x1b[K" in on_tty
    quiet = _on_a_terminal([*command, "--out", str(tmp_path / "b"), "--quiet"])
    assert "rendering [" not in quiet
    piped = run("build", "--site", str(site), "--out", str(tmp_path / "c"))
    assert "rendering [" not in piped.stderr and "\r" not in piped.stderr


def test_the_bar_counts_rendered_pages_and_clears_its_line() -> None:
    import time

    from chronicle.progress import Progress

    class Renderer:
        def __init__(self) -> None:
            self.rendered = 0
            self.jobs = list(range(10))

    renderer = Renderer()
    stream = io.StringIO()
    with Progress(stream, enabled=True, delay=0, interval=0.005).rendering(renderer):
        for done in range(1, 11):
            renderer.rendered = done
            time.sleep(0.03)
    shown = stream.getvalue()
    assert re.search(r"rendering \[=+ *\] \d+/10 pages", shown), shown
    assert "10/10 pages" in shown and shown.endswith("\r\x1b[K")
    silent = io.StringIO()
    with Progress(silent, enabled=False, delay=0).rendering(renderer):
        time.sleep(0.02)
    assert silent.getvalue() == ""


def many_people_without_summaries(count: int) -> Report:
    return Report(
        [
            Problem(
                Location(f"content/people/p{i}.md", 1, 1),
                "warning",
                f"no `summary` for person `p{i}`: its cards have no text of their own",
            )
            for i in range(count)
        ]
    )


def test_a_warning_on_many_files_is_printed_once_with_its_count_and_first_places(
    tmp_path: Path,
) -> None:
    stream = io.StringIO()
    report = many_people_without_summaries(1000)
    report.error(Location("content/people/p5.md", 2, 1), "`role`: expected text")
    Printer(tmp_path, stream).report(report)
    lines = stream.getvalue().splitlines()
    assert len(lines) <= 5, lines
    assert "content/people/p5.md:2:1: error: `role`: expected text" in lines  # errors all shown
    (grouped,) = [line for line in lines if "more like it" in line]
    assert grouped == (
        "   = and 999 more like it: content/people/p1.md:1:1, content/people/p10.md:1:1, "
        "content/people/p100.md:1:1 and 996 more (--verbose lists all)"
    )


def test_a_few_warnings_and_verbose_printing_show_every_one(tmp_path: Path) -> None:
    for count, verbose, shown in ((3, False, 3), (40, True, 40)):
        stream = io.StringIO()
        Printer(tmp_path, stream, verbose=verbose).report(many_people_without_summaries(count))
        assert stream.getvalue().count("warning: no `summary`") == shown
        assert "more like it" not in stream.getvalue()


def test_the_create_it_hint_names_the_site_when_it_is_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write(tmp_path / "my site", {"site.toml": SITE_TOML})
    problem = Problem(
        Location("content/events/e.md", 3, 9),
        "error",
        "unknown person `ada`",
        Hint("unknown-ref", ("person", "ada", "")),
    )
    elsewhere, here = Printer(site, io.StringIO()), Printer(site, io.StringIO())
    monkeypatch.setattr(sys, "argv", ["/opt/chronicle/build.py", "build"])
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/python")
    monkeypatch.chdir(tmp_path)
    assert elsewhere.hint(problem).endswith(
        f"python /opt/chronicle/build.py new person \"Name\" --slug ada --site '{site}'"
    )
    monkeypatch.chdir(site)
    assert here.hint(problem).endswith(
        'create the person: python /opt/chronicle/build.py new person "Name" --slug ada'
    )
    monkeypatch.setattr(sys, "argv", ["/venv/bin/chronicle", "build"])
    assert here.hint(problem).endswith('create the person: chronicle new person "Name" --slug ada')
