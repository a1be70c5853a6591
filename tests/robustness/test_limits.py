"""Inputs at the edges of what is accepted: deep nesting is a located error, never a crash,
and every date the contract accepts builds in every output."""

from __future__ import annotations

import json
import struct
import xml.dom.minidom
import zlib
from pathlib import Path

import pytest

from tests.robustness.conftest import VALID_SITE, run_build, write_files

NESTINGS = {
    "flow sequences": "[" * 30000,
    "flow mappings": "{a: " * 30000,
    "block sequences": "\n    " + "- " * 30000 + "x",
    # One space a level: a thousand levels fit in the size limit for content files.
    "deep indentation": "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1000)),
}


@pytest.mark.parametrize("nesting", NESTINGS, ids=list(NESTINGS))
def test_yaml_nested_far_too_deep_is_a_located_error(tmp_path: Path, nesting: str) -> None:
    page = f"---\ntitle: Deep\nextra:\n  x: {NESTINGS[nesting]}\n---\nBody\n"
    if nesting == "deep indentation":
        page = f"---\ntitle: Deep\nextra:\n{NESTINGS[nesting]}---\nBody\n"
    site = write_files(tmp_path / "site", {**VALID_SITE, "content/pages/deep.md": page})
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run  # not 139 (a segfault in libyaml's recursion)
    assert any(
        line.startswith("content/pages/deep.md:") and "YAML nested more than 64 levels deep" in line
        for line in run.errors
    ), run
    assert "Traceback" not in run.stderr


def test_the_first_and_last_dates_accepted_build_every_output(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            **VALID_SITE,
            "content/events/last.md": "---\ntitle: Last\ndate: 9999-12-31\nsummary: S.\n---\nx\n",
            "content/events/all.md": (
                "---\ntitle: All\ndate: 0001-01-01\nend: 9999-12\nsummary: S.\n---\nx\n"
            ),
        },
    )
    out = tmp_path / "out"
    run = run_build(site, out)
    assert run.code == 0, run
    calendar = (out / "events.ics").read_bytes().decode()
    assert "DTSTART;VALUE=DATE:99991231\r\nDURATION:P1D\r\n" in calendar
    assert "DTSTART;VALUE=DATE:00010101\r\nDURATION:P3652059D\r\n" in calendar
    for path in out.rglob("*.xml"):
        xml.dom.minidom.parse(str(path))
    for path in out.rglob("*.json"):
        json.loads(path.read_text())


def test_a_portrait_over_the_pixel_budget_is_refused_from_its_header(tmp_path: Path) -> None:
    from PIL import Image

    person = VALID_SITE["content/people/ada.md"].replace(
        "featured: true\n", "featured: true\nphoto: huge.png\n"
    )
    site = write_files(tmp_path / "site", {**VALID_SITE, "content/people/ada.md": person})
    (site / "content" / "media").mkdir()
    Image.new("1", (8000, 6000)).save(site / "content" / "media" / "huge.png")
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert any(
        line.startswith("content/people/ada.md:")
        and "`photo`: `huge.png` is 8000×6000 pixels, over the budget of 40 megapixels" in line
        for line in run.errors
    ), run


def _blank_png(width: int, height: int) -> bytes:
    """A PNG of the given size, written row by row (never held decoded in memory)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    packer = zlib.compressobj()
    row = bytes(1 + width)  # filter byte, then one grey byte per pixel
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("side", "said"), [(12000, "is 12000×12000 pixels"), (20000, "is over 178 megapixels")]
)
def test_a_portrait_past_pillows_own_limits_is_one_error_and_no_warning_of_pillows(
    tmp_path: Path, side: int, said: str
) -> None:
    """Past Pillow's warning (89 megapixels) and past its refusal (twice that), a portrait
    is the same error as any over the budget; Pillow's own warning is never printed."""
    person = VALID_SITE["content/people/ada.md"].replace(
        "featured: true\n", "featured: true\nphoto: huge.png\n"
    )
    site = write_files(tmp_path / "site", {**VALID_SITE, "content/people/ada.md": person})
    (site / "content" / "media").mkdir()
    (site / "content" / "media" / "huge.png").write_bytes(_blank_png(side, side))
    run = run_build(site, tmp_path / "out")
    assert run.code == 1, run
    assert [line for line in run.errors if "huge.png" in line] == [
        f"content/people/ada.md:11:8: error: `photo`: `huge.png` {said}, over the budget of "
        "40 megapixels that keeps a build's memory bounded: scale it down (a portrait needs "
        "no more than 2000 pixels a side)"
    ], run
    assert "DecompressionBomb" not in run.stderr, run
