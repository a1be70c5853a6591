"""Reproducibility: the same sources give the same bytes, whatever the machine's clock
zone, locale, hash seed, file times or the folder the site sits in."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from .conftest import VALID_SITE, run_build, tree_hashes, write_files

SITE = {
    **VALID_SITE,
    "site.toml": VALID_SITE["site.toml"] + 'languages = ["en", "zh-hant"]\n',
    # Names and tags whose order differs between locales (Turkish i, accents, case).
    "content/people/emile.md": "---\nname: Émile Ínönü\ntags: [Işık, ıi, Zoë]\n---\n",
    "content/people/zoe.md": "---\nname: zoë Ångström\ntags: [İstanbul, zoe, Ärger]\n---\n",
    "content/people/ada.zh-hant.md": "---\nname: 愛達·勒芙蕾絲\n---\n她的傳記。\n",
    "content/events/midnight.md": (
        "---\ntitle: At midnight\ndate: 1999-12-31\nend: 2000-01\ntags: [Zeit]\n---\n"
    ),
}


def _environment(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "TZ"))}
    env.update(overrides)
    return env


def _differences(a: Path, b: Path) -> str:
    left, right = tree_hashes(a), tree_hashes(b)
    lines = [f"only in one build: {sorted(set(left) ^ set(right))}"]
    for rel in sorted(set(left) & set(right)):
        if left[rel] != right[rel]:
            diff = difflib.unified_diff(
                (a / rel).read_text(encoding="utf-8", errors="replace").splitlines(),
                (b / rel).read_text(encoding="utf-8", errors="replace").splitlines(),
                lineterm="",
                n=0,
            )
            lines.append(f"--- {rel}\n" + "\n".join(list(diff)[:12]))
    return "\n".join(lines[:10])


def test_two_builds_in_different_environments_are_byte_identical(tmp_path: Path) -> None:
    first = write_files(tmp_path / "one" / "site", SITE)
    second = write_files(tmp_path / "two" / "elsewhere", SITE)
    for path in second.rglob("*"):
        os.utime(path, (978_307_200, 978_307_200), follow_symlinks=False)  # 2001-01-01

    a = run_build(
        first,
        tmp_path / "out-a",
        env=_environment(TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONHASHSEED="0"),
    )
    b = run_build(
        second,
        tmp_path / "out-b",
        env=_environment(
            TZ="Pacific/Kiritimati",
            LANG="tr_TR.UTF-8",
            LC_ALL="tr_TR.UTF-8",
            LANGUAGE="tr",
            PYTHONHASHSEED="4242",
        ),
    )

    assert a.code == 0, a
    assert b.code == 0, b
    assert (tmp_path / "out-a/zh-hant/people/ada/index.html").is_file()
    assert tree_hashes(tmp_path / "out-a") == tree_hashes(tmp_path / "out-b"), _differences(
        tmp_path / "out-a", tmp_path / "out-b"
    )


def test_a_rebuild_of_unchanged_sources_changes_no_byte(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    out = tmp_path / "out"
    assert run_build(site, out).code == 0
    before = tmp_path / "before"
    shutil.copytree(out, before)

    again = run_build(site, out, env=_environment(TZ="America/St_Johns", PYTHONHASHSEED="7"))

    assert again.code == 0, again
    assert tree_hashes(out) == tree_hashes(before), _differences(before, out)
