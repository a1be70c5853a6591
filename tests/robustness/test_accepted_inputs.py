"""Inputs that look hostile but are fine: they must build, and show what was written."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import VALID_SITE, HtmlAudit, run_build, tree_hashes, write_files


def test_bom_and_crlf_build_the_same_site_byte_for_byte(
    tmp_path: Path, previous_build: Path
) -> None:
    """Every content file with a UTF-8 BOM and CRLF line ends: the very same output."""
    files = {
        rel: ("\ufeff" + text.replace("\n", "\r\n") if rel.startswith("content/") else text)
        for rel, text in VALID_SITE.items()
    }
    site = write_files(tmp_path / "site", files)
    assert (site / "content/people/ada.md").read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    out = tmp_path / "out"

    result = run_build(site, out)

    assert result.code == 0, result
    assert not result.errors, result
    assert tree_hashes(out) == tree_hashes(previous_build)


# YAML 1.1 reads these as booleans, octal and sexagesimal numbers, floats and nulls;
# the contract keeps text exactly as written (`no` stays "no").
SURPRISES = {
    "site.toml": VALID_SITE["site.toml"],
    "content/people/ada.md": (
        "---\nname: Ada Lovelace\nrole: NO\nsummary: yes\ntags: [no, Off, 0755]\n---\n"
    ),
    "content/organizations/octal.md": "---\nname: 0755\nsummary: 1.10\n---\n",
    "content/events/lunch.md": (
        "---\ntitle: 1.10\ndate: 2023-07-12\nlocation: 12:30\nsummary: 0x1F\npeople: [ada]\n---\n"
    ),
}


def _has_token(text: str, token: str) -> bool:
    return re.search(rf"(?<![\w.:]){re.escape(token)}(?![\w.:])", text) is not None


def test_yaml_1_1_surprises_are_shown_as_written(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SURPRISES)
    out = tmp_path / "out"

    result = run_build(site, out)

    assert result.code == 0, result
    person = HtmlAudit((out / "people/ada/index.html").read_text(encoding="utf-8")).text
    for written in ("NO", "yes", "no", "Off", "0755"):
        assert _has_token(person, written), f"{written!r} is not on the person page: {person}"
    org = HtmlAudit((out / "organizations/octal/index.html").read_text(encoding="utf-8")).text
    assert _has_token(org, "0755") and _has_token(org, "1.10"), org
    event = HtmlAudit((out / "events/lunch/index.html").read_text(encoding="utf-8")).text
    for written in ("1.10", "12:30", "0x1F"):
        assert _has_token(event, written), f"{written!r} is not on the event page: {event}"
    every_page = " ".join((person, org, event))
    for guess in ("False", "True", "493", "750", "1.1", "31", "None"):
        assert not _has_token(every_page, guess), f"YAML's guess {guess!r} reached a page"


def test_yaml_1_1_booleans_are_not_booleans(tmp_path: Path) -> None:
    """`featured: yes` is not `true`: an error that says what to write, at the value."""
    files = {
        "site.toml": VALID_SITE["site.toml"],
        "content/people/ada.md": "---\nname: Ada Lovelace\nfeatured: Yes\ndraft: off\n---\n",
    }
    site = write_files(tmp_path / "site", files)

    result = run_build(site, tmp_path / "out")

    assert result.code == 1, result
    assert sorted(result.errors) == [
        "content/people/ada.md:3:11: error: `featured` must be `true` or `false`, not `Yes`",
        "content/people/ada.md:4:8: error: `draft` must be `true` or `false`, not `off`",
    ]
    assert not (tmp_path / "out").exists()
