"""The README's nginx recipe, for real: the project's site is built for a loopback address,
copied where the sample config (deploy/nginx.conf) looks, served by nginx, and crawled
over HTTP, once at the root of the address and once under a sub-path."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from chronicle.pipeline import BuildOptions, build
from tests.conftest import PROJECT

from .conftest import free_port, running_nginx, site_config
from .crawl import Crawl, crawl, fetch, html_links

SEEDS = ("sitemap.xml", "feed.xml", "feed.json", "robots.txt", "404.html")


@dataclass
class Served:
    base: str
    crawl: Crawl
    built_pages: int


@pytest.fixture(scope="module", params=["/", "/founders/"], ids=["root", "sub-path"])
def served(request, nginx, tmp_path_factory) -> Iterator[Served]:
    """The real site, built for its address, deployed the recipe's way, served by nginx."""
    sub_path = request.param
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}{sub_path}"
    built = folder / "output"
    # As the recipes build it: fingerprinted, and minified under the sub-path.
    options = BuildOptions(
        site_root=PROJECT, out=built, base_url=base, fingerprint=True, minify=sub_path != "/"
    )
    result = build(options)
    docroot = folder / "www"
    # The recipe's `rsync -a --delete output/ server:<root><sub-path>`.
    shutil.copytree(built, docroot / sub_path.strip("/"), dirs_exist_ok=True)
    config = site_config(port=port, root=docroot, sub_path=sub_path)
    with running_nginx(nginx, folder, config, port):
        start = time.monotonic()
        found = crawl(base, [base + seed for seed in SEEDS])
        found.seconds = time.monotonic() - start
        print(f"\ncrawled {len(found.responses)} addresses at {base} in {found.seconds:.2f} s")
        yield Served(base, found, result.pages)


def test_every_page_and_file_answers_and_every_anchor_exists(served):
    assert served.crawl.broken() == []
    # Every page is reachable by following links from the home page and the sitemap.
    assert len(served.crawl.pages) >= 60
    assert all(r.status == 200 for r in served.crawl.responses.values())


def test_every_link_stays_under_the_address_it_was_built_for(served):
    internal = [link for _page, link in served.crawl.references]
    assert internal, "the crawl followed no link"
    assert all(link.startswith(served.base) for link in internal)


def test_a_missing_address_gets_the_404_page_with_status_404(served):
    answer = fetch(served.base + "no/such/page/")
    assert answer.status == 404
    page = answer.body.decode()
    assert "Page not found" in page
    # The 404 page is served at any address, so its links are absolute paths that work there.
    origin, base_path = served.base[: served.base.index("/", 8)], urlsplit(served.base).path
    links = {link.split("#")[0] for link in html_links(page) if not link.startswith("#")}
    assert links and all(link.startswith(base_path) for link in links)
    assert all(fetch(origin + link).status == 200 for link in links)


def test_fingerprinted_files_are_cached_for_a_year_and_pages_are_revalidated(served):
    css = [u for u in served.crawl.responses if re.search(r"/style\.[0-9a-f]{10}\.css$", u)]
    assert len(css) == 1
    assert served.crawl.responses[css[0]].headers["cache-control"] == (
        "public, max-age=31536000, immutable"
    )
    assert served.crawl.responses[served.base].headers["cache-control"] == "no-cache"
    assert served.crawl.responses[served.base].content_type == "text/html"


def test_feeds_and_sitemap_are_served_with_their_types(served):
    responses = served.crawl.responses
    assert responses[served.base + "feed.json"].content_type == "application/json"
    assert responses[served.base + "feed.xml"].content_type in ("text/xml", "application/xml")
    assert responses[served.base + "sitemap.xml"].content_type in ("text/xml", "application/xml")
    robots = responses[served.base + "robots.txt"].body.decode()
    assert f"Sitemap: {served.base}sitemap.xml" in robots


def test_a_folder_address_without_its_slash_is_redirected_within_the_site(served):
    answer = fetch(served.base + "timeline")
    assert answer.status == 200
    assert "<h1>Timeline</h1>" in answer.body.decode()


def test_an_alias_served_by_nginx_leads_to_the_page(nginx, make_site, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}/founders/"
    site = make_site(
        {"content/people/ada.md": "---\nname: Ada Lovelace\naliases: [/people/lovelace/]\n---\n"}
    )
    site.build(base_url=base, fingerprint=True)
    docroot = tmp_path / "www"
    shutil.copytree(site.out, docroot / "founders")
    with running_nginx(
        nginx, tmp_path, site_config(port=port, root=docroot, sub_path="/founders/"), port
    ):
        old = fetch(base + "people/lovelace/")
        assert old.status == 200
        (refresh,) = re.findall(r'http-equiv="refresh" content="0; url=([^"]+)"', old.body.decode())
        assert refresh == "/founders/people/ada/"
        page = fetch(f"http://127.0.0.1:{port}{refresh}")
        assert page.status == 200 and "<h1>Ada Lovelace</h1>" in page.body.decode()
