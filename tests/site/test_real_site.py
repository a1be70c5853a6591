"""The project's own site builds cleanly, in both languages, and no internal link is broken."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from chronicle.pipeline import BuildOptions, build
from tests.conftest import PROJECT


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module", params=["https://example.org/", "https://example.org/founders/"])
def real_site(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "output"
    result = build(BuildOptions(site_root=PROJECT, out=out, base_url=request.param))
    return result, out, urlsplit(request.param).path


def test_the_real_site_builds_without_errors_or_warnings(real_site):
    result, _out, _base = real_site
    assert result.report.problems == []
    assert {p.slug for p in result.site.people.values()} >= {
        "igor-babuschkin",
        "elon-musk",
        "max-tegmark",
    }
    assert set(result.site.organizations) >= {
        "xai",
        "babuschkin-ventures",
        "deepmind",
        "cern",
        "future-of-life-institute",
    }
    assert all(e.sources for e in result.site.events), "every event cites its sources"
    assert all(any(s.url for s in e.sources) for e in result.site.events), (
        "every event links at least one source"
    )
    assert result.site.organizations["babuschkin-ventures"].founded is None, (
        "the sources give only the day Babuschkin Ventures was announced"
    )


def test_every_internal_link_and_anchor_resolves(real_site):
    _result, out, base = real_site
    broken = []
    pages = sorted(out.rglob("*.html"))
    parsed = {path: parse(path) for path in pages}
    for path, links in parsed.items():
        for url in links.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            if not url.startswith(base) and not url.startswith("#"):
                broken.append((path, url, "outside the base path"))
                continue
            target_path = path if url.startswith("#") else out / unquote(parts.path[len(base) :])
            if target_path.is_dir():
                target_path = target_path / "index.html"
            if not target_path.is_file():
                broken.append((path, url, "no such file"))
            elif parts.fragment and parts.fragment not in parse(target_path).ids:
                broken.append((path, url, "no such anchor"))
    assert broken == []
    assert len(pages) > 60


def test_chinese_pages_carry_the_translation(real_site):
    _result, out, _base = real_site
    page = (out / "zh-hant/people/igor-babuschkin/index.html").read_text()
    assert '<html lang="zh-Hant">' in page
    assert "巴布什金" in page
    timeline = (out / "zh-hant/timeline/index.html").read_text()
    assert '<time datetime="2023-07-12">2023年7月12日</time>' in timeline
