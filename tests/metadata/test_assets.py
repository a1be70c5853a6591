"""Static files are fingerprinted (`style.<hash>.css`) and pages link the fingerprinted
names, so hosts can cache them for good; `--minify` shrinks the pages and nothing else."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from html.parser import HTMLParser

from tests.conftest import PROJECT

from .head import read_head


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def test_pages_link_the_fingerprinted_stylesheet_and_icon(make_site):
    site = make_site()
    site.build(fingerprint=True)
    css = (PROJECT / "static/style.css").read_bytes()
    icon = (PROJECT / "static/favicon.svg").read_bytes()
    css_name, icon_name = f"style.{fingerprint(css)}.css", f"favicon.{fingerprint(icon)}.svg"
    assert (site.out / css_name).read_bytes() == css
    assert (site.out / icon_name).read_bytes() == icon
    for path in site.out.rglob("*.html"):
        head = read_head(path.read_text(encoding="utf-8"))
        if head.link("canonical"):  # a page of the site, not a redirect
            assert head.link("stylesheet") == [f"/{css_name}"], path
            assert head.link("icon") == [f"/{icon_name}"], path
    # The plain names stay, for hand-written links and hosts' conventions.
    assert (site.out / "style.css").read_bytes() == css


def test_the_preview_links_plain_names_so_a_style_change_leaves_pages_alone(make_site):
    site = make_site()
    site.build()  # as `serve` builds: fingerprint=False
    head = read_head(site.page("index.html"))
    assert head.link("stylesheet") == ["/style.css"]
    assert not list(site.out.glob("style.*.css"))


def test_the_name_changes_with_the_content(make_site):
    site = make_site({"static/style.css": "body { color: red }"})
    site.build(fingerprint=True)
    red = re.search(r'href="/(style\.[0-9a-f]{10}\.css)"', site.page("index.html"))
    site.write("static/style.css", "body { color: blue }")
    site.build(fingerprint=True)
    blue = re.search(r'href="/(style\.[0-9a-f]{10}\.css)"', site.page("index.html"))
    assert red and blue and red.group(1) != blue.group(1)
    assert not (site.out / red.group(1)).exists()
    assert site.page(blue.group(1)) == "body { color: blue }"


def test_a_stylesheet_links_the_fingerprinted_names_of_its_own_files(make_site):
    site = make_site(
        {
            "static/style.css": "@font-face { src: url('fonts/serif.woff2') format('woff2') }\n"
            'body { background: url("/elsewhere.png") } i { background: url(data:x) }\n',
            "static/fonts/serif.woff2": "font bytes",
        }
    )
    site.build(fingerprint=True)
    font = f"fonts/serif.{fingerprint(b'font bytes')}.woff2"
    (css_name,) = re.findall(r'href="/(style\.[0-9a-f]{10}\.css)"', site.page("index.html"))
    css = site.page(css_name)
    assert f"url('{font}')" in css
    assert 'url("/elsewhere.png")' in css and "url(data:x)" in css  # left as written
    assert css_name == f"style.{fingerprint(css.encode())}.css"
    assert site.page(font) == "font bytes"


def test_an_unknown_asset_is_a_template_error(make_site):
    site = make_site(
        {"templates/404.html": "<link rel=stylesheet href=\"{{ site.asset('/print.css') }}\">\n"}
    )
    (problem,) = site.errors(fingerprint=True).sorted()
    assert str(problem).startswith(
        "templates/404.html:1:1: error: template error: site.asset('/print.css'): no such file "
        "in static/"
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words += data.split()


def words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.words


def test_minify_shrinks_pages_and_keeps_their_text_and_links(make_site, tmp_path):
    site = make_site()
    site.build(fingerprint=True)
    plain = {
        p.relative_to(site.out).as_posix(): p.read_bytes()
        for p in site.out.rglob("*")
        if p.is_file()
    }
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--site", str(site.root), "--minify"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    minified = {
        p.relative_to(site.out).as_posix(): p.read_bytes()
        for p in site.out.rglob("*")
        if p.is_file()
    }
    assert minified.keys() == plain.keys()
    for rel, data in minified.items():
        if not rel.endswith(".html"):
            assert data == plain[rel], rel  # feeds, sitemap, stylesheets: as they were
            continue
        assert len(data) < len(plain[rel]), rel
        before, after = plain[rel].decode(), data.decode()
        assert words(after) == words(before), rel
        links = r'(?:href|src)=["]?([^" >]+)'
        assert sorted(re.findall(links, after)) == sorted(re.findall(links, before)), rel
    ada = read_head(minified["people/ada/index.html"].decode())
    assert ada.json_ld and ada.json_ld == read_head(plain["people/ada/index.html"].decode()).json_ld
