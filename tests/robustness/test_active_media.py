"""Active content in content/media/ is named: an SVG that runs script, an XML file with
one, any HTML page. Each runs on the site's origin when opened at its own address, so a
build names the file and the place (a warning; an error under --strict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle.media.active import MAX_BYTES, scan
from tests.robustness.conftest import VALID_SITE, run_build, write_files

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'

ACTIVE = {
    "script.svg": (SVG + '  <circle r="4"/>\n  <script>alert(1)</script>\n</svg>\n', 3, 3),
    "prefixed.svg": (
        '<s:svg xmlns:s="http://www.w3.org/2000/svg">\n<s:script>alert(1)</s:script></s:svg>',
        2,
        1,
    ),
    "handler.svg": (SVG + '<rect width="1" onLoad="alert(1)"/>\n</svg>\n', 2, 1),
    "href.svg": (SVG + '<a xlink:href=" java\tscript:alert(1)"><text>x</text></a></svg>', 2, 1),
    "animate.svg": (
        SVG + '<a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
        2,
        4,
    ),
    "foreign.svg": (SVG + "<foreignObject><div>x</div></foreignObject></svg>", 2, 1),
    "page.html": ("<!doctype html>\n<p>hi</p>\n<script>alert(1)</script>\n", 3, 1),
    "plain.htm": ("<!doctype html>\n<p>no script, still a page of the site</p>\n", 1, 1),
    "xhtml.xhtml": (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>\n<img src="x" onerror="alert(1)"/>'
        "</body></html>",
        2,
        1,
    ),
    "data.xml": (
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n<a/>',
        2,
        1,
    ),
    "entity.svg": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY s "&lt;script&gt;">\n]>\n'
        + SVG
        + "&s;</svg>",
        3,
        12,  # where expat is when it reads the declaration
    ),
}

HARMLESS = {
    "logo.svg": SVG + '<circle r="4" fill="url(#g)"/><a xlink:href="/about/"><text>x</text></a>'
    "</svg>",
    "doctype.svg": '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG + "<g/></svg>",
    "feed.xml": '<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" href="a.css"?><a/>',
    "notes.txt": "<script>alert(1)</script>",  # served as text/plain: runs nothing
}


@pytest.mark.parametrize("name", ACTIVE)
def test_active_media_is_a_located_warning_and_an_error_under_strict(
    tmp_path: Path, name: str
) -> None:
    text, line, col = ACTIVE[name]
    site = write_files(tmp_path / "site", {**VALID_SITE, f"content/media/{name}": text})
    run = run_build(site, tmp_path / "out")
    assert run.code == 0, run
    warned = [line for line in run.warnings if line.startswith("content/media/")]
    assert len(warned) == 1, run  # one file, one warning
    assert warned[0].startswith(f"content/media/{name}:{line}:{col}: warning: "), run
    assert "on the site's origin" in warned[0]  # why it matters

    strict = run_build(site, tmp_path / "strict", "--strict")
    assert strict.code == 1, strict
    assert [line for line in strict.errors if line.startswith("content/media/")] == [
        warned[0].replace(": warning: ", ": error: ", 1)
    ]
    assert not (tmp_path / "strict").exists()  # nothing published


def test_harmless_media_is_published_without_a_word(tmp_path: Path) -> None:
    files = {f"content/media/{name}": text for name, text in HARMLESS.items()}
    site = write_files(tmp_path / "site", {**VALID_SITE, **files})
    run = run_build(site, tmp_path / "out")
    assert run.code == 0, run
    assert not any("content/media/" in line for line in run.stderr.splitlines()), run
    for name in HARMLESS:
        assert (tmp_path / "out" / "media" / name).is_file()


def test_entities_are_never_expanded_while_checking() -> None:
    """A billion laughs: refused at its first declaration, before any expansion."""
    laughs = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    svg = f'<?xml version="1.0"?><!DOCTYPE svg [{laughs}]><svg>&l9;</svg>'.encode()
    found = scan("laughs.svg", svg)
    assert found is not None and found.unchecked and "`<!ENTITY l0`" in found.what


def test_a_file_too_large_to_check_is_named_unread() -> None:
    found = scan("huge.svg", b" " * (MAX_BYTES + 1))
    assert found is not None and "too large to check" in found.what


def test_a_malformed_svg_is_checked_as_far_as_a_browser_renders_it() -> None:
    found = scan("broken.svg", (SVG + "<script>alert(1)</script><unclosed>").encode())
    assert found is not None and found.what == "a `<script>` element"
    assert scan("broken.svg", (SVG + "<g><unclosed></svg>").encode()) is None
