"""Hostile text in every text field of a person, an organization, an event and a page:
the built pages show it as text and never run it."""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import SITE_TOML, HtmlAudit, injection_problems, run_build, write_files

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    "<style>*{}</style>",
    "<!--",
    "-->",
    "]]>",
    "&lt;script&gt;",
    "&#x3C;script&#x3E;",
    "{{ 7*7 }}",
    "{% raw %}",
    "${alert(1)}",
    "\\u003cscript\\u003e",
    "'",
    '"',
    "`",
    "\\",
    "\u2028",
    "\u202e",
    "\u200b",
    "é",
    "中文",
    " onmouseover=alert(1) ",
]
# Printable BMP text: every character survives json.dumps (ASCII escapes) and YAML.
plain = st.text(
    st.characters(max_codepoint=0xFFFF, exclude_categories=["Cc", "Cs", "Cn", "Co"]),
    max_size=6,
)
hostile = st.lists(st.sampled_from(PAYLOADS) | plain, min_size=1, max_size=4).map(
    lambda parts: "N " + "".join(parts)
)
# Tags become folder names: the characters a tag may not hold are dropped, and so are those
# that become one of them once the tag is normalized (NFKC: "﹟" is "#").
FORBIDDEN_IN_TAGS = set("/\\?#%")


def as_tag(text: str) -> str:
    kept = (c for c in text if not set(unicodedata.normalize("NFKC", c)) & FORBIDDEN_IN_TAGS)
    return "t" + "".join(kept)[:60]


tag = hostile.map(as_tag)
MARKDOWN_PAYLOADS = [
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](  JAVASCRIPT:alert(1) )",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[f](file:///etc/passwd)",
    "<a href='javascript:alert(1)'>a</a>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<details open ontoggle=alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
]
body = st.lists(st.sampled_from(MARKDOWN_PAYLOADS) | hostile, min_size=1, max_size=4).map(
    "\n\n".join
)
URLS = [
    "https://example.com/a",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/' onmouseover='alert(1)",
    "https://example.com/#javascript:alert(1)",
]


def q(text: str) -> str:
    """A YAML scalar holding exactly `text`: a JSON string is a YAML double-quoted one."""
    return json.dumps(text)


def hostile_site(t: dict[str, str], tags: list[str], bodies: list[str], url: str) -> dict:
    return {
        "site.toml": SITE_TOML,
        "content/people/ada.md": (
            "---\n"
            f"name: {q(t['person_name'])}\n"
            f"role: {q(t['person_role'])}\n"
            f"summary: {q(t['person_summary'])}\n"
            f"organizations:\n  - {{org: engine, role: {q(t['affiliation_role'])}}}\n"
            f"links:\n  {q(t['link_label'])}: {q(url)}\n"
            f"tags: [{q(tags[0])}]\n"
            "featured: true\n"
            "---\n" + bodies[0] + "\n"
        ),
        "content/organizations/engine.md": (
            "---\n"
            f"name: {q(t['org_name'])}\n"
            f"summary: {q(t['org_summary'])}\n"
            "founders: [ada]\n"
            f"url: {q(url)}\n"
            f"tags: [{q(tags[1])}]\n"
            "---\n" + bodies[1] + "\n"
        ),
        "content/events/launch.md": (
            "---\n"
            f"title: {q(t['event_title'])}\n"
            "date: 2023-07-12\n"
            f"location: {q(t['event_location'])}\n"
            f"summary: {q(t['event_summary'])}\n"
            "people: [ada]\n"
            "organizations: [engine]\n"
            f"sources:\n  - {{title: {q(t['source_title'])}, url: {q(url)}}}\n"
            f"tags: [{q(tags[2])}]\n"
            "---\n" + bodies[2] + "\n"
        ),
        "content/events/more.yaml": (
            "- slug: listed\n"
            f"  title: {q(t['listed_title'])}\n"
            "  date: 2023\n"
            f"  location: {q(t['listed_location'])}\n"
            f"  summary: {q(t['listed_summary'])}\n"
            f"  body: {q(bodies[3])}\n"
        ),
        "content/pages/about.md": (
            "---\n"
            f"title: {q(t['page_title'])}\n"
            f"summary: {q(t['page_summary'])}\n"
            "---\n" + bodies[4] + "\n"
        ),
    }


FIELDS = [
    "person_name",
    "person_role",
    "person_summary",
    "affiliation_role",
    "link_label",
    "org_name",
    "org_summary",
    "event_title",
    "event_location",
    "event_summary",
    "source_title",
    "listed_title",
    "listed_location",
    "listed_summary",
    "page_title",
    "page_summary",
]
CLASSIC = {field: PAYLOADS[i % len(PAYLOADS)] + " " + field for i, field in enumerate(FIELDS)}

# Where a field's text must be seen as written (whitespace collapsed), proving that it
# reached the page rather than being dropped.
SHOWN_ON = {
    "person_name": "people/ada/index.html",
    "person_role": "people/ada/index.html",
    "org_name": "organizations/engine/index.html",
    "event_title": "events/launch/index.html",
    "event_location": "events/launch/index.html",
    "source_title": "events/launch/index.html",
    "listed_title": "events/listed/index.html",
    "page_title": "about/index.html",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@settings(
    # Each example builds a site: a fifth of the profile's examples (tests/conftest.py).
    max_examples=max(settings.default.max_examples // 5, 1),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(
    texts=CLASSIC,
    tags=["t<script>alert(1)<", 't"><img src=x onerror=alert(1)>', "tjavascript:alert(1)"],
    bodies=MARKDOWN_PAYLOADS[:5],
    url=URLS[1],
)
@given(
    texts=st.fixed_dictionaries({field: hostile for field in FIELDS}),
    tags=st.lists(tag, min_size=3, max_size=3),
    bodies=st.lists(body, min_size=5, max_size=5),
    url=st.sampled_from(URLS),
)
def test_hostile_text_is_shown_and_never_runs(
    texts: dict[str, str], tags: list[str], bodies: list[str], url: str, workdir: Path
) -> None:
    run = workdir / f"run{len(list(workdir.iterdir()))}"
    site = write_files(run / "site", hostile_site(texts, tags, bodies, url))
    out = run / "out"

    result = run_build(site, out)

    assert result.code == 0, result
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    problems = [
        problem
        for page in pages
        for problem in injection_problems(
            page.read_text(encoding="utf-8"), page.relative_to(out).as_posix()
        )
    ]
    assert not problems, "\n".join(problems)
    for field, rel in SHOWN_ON.items():
        shown = " ".join(texts[field].split())
        text = HtmlAudit((out / rel).read_text(encoding="utf-8")).text
        assert shown in text, f"{field} {shown!r} is not shown as written on {rel}"
    for feed in out.rglob("*.xml"):
        ET.parse(feed)  # still well-formed XML
    for data in out.rglob("*.json"):
        json.loads(data.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "html",
    [
        "<p>x</p><script>alert(1)</script>",
        "<script type='text/javascript'>1</script>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}',
        "<img src=x onerror=alert(1)>",
        "<details open ontoggle=alert(1)>",
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="VBScript:msgbox(1)">x</a>',
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
        '<a href="file:///etc/passwd">x</a>',
        '<img srcset="https://x/a.png 1x, data:x 2x">',
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        "<iframe srcdoc='x'></iframe>",
        '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
    ],
)
def test_the_injection_audit_finds_what_it_looks_for(html: str) -> None:
    assert injection_problems(html, "page.html")


def test_the_injection_audit_passes_a_safe_page() -> None:
    html = (
        '<!DOCTYPE html><html><head><script type="application/ld+json">'
        '{"name": "\\u003c/script\\u003e"}</script>'
        '<meta http-equiv="refresh" content="0; url=/people/ada/"></head>'
        '<body><a href="https://example.com/javascript:x">&lt;script&gt;</a>'
        '<img src="/media/a.png" alt="onerror=alert(1)"></body></html>'
    )
    assert injection_problems(html, "page.html") == []
