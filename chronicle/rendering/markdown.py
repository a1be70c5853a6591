"""Markdown to safe HTML: CommonMark with tables, strikethrough, footnotes and heading
anchors; site-relative links rewritten for the sub-path and language; raw HTML sanitized."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

# An allowlist in the spirit of GitHub's: structure and inline semantics, nothing that runs.
_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "ul",
    "var",
    "wbr",
}
_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "details": {"open"},
    "time": {"datetime"},
    "ol": {"start"},
    "li": {"id"},
    "abbr": {"title"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_CLASSES = {
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
}
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    allowed_classes=_CLASSES,
    url_schemes={"http", "https", "mailto"},
    filter_style_properties={"text-align"},
    link_rel=None,
)


@dataclass(frozen=True)
class LinkContext:
    """Where the HTML will live: the site's sub-path and the language of the page."""

    base_path: str  # "/" or "/sub/"
    lang_prefix: str  # "" for the default language, else "zh-hant/"


def site_url(path: str, ctx: LinkContext, *, localize: bool = True) -> str:
    """A site-relative path (`/people/ada/`) as a link for this page's sub-path and language."""
    rest = path.lstrip("/")
    if localize and not rest.startswith("media/") and not _is_file(rest):
        rest = ctx.lang_prefix + rest
    return ctx.base_path + rest


def _is_file(rest: str) -> bool:
    """Static files (style.css, feed.xml) are shared by every language."""
    last = rest.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    return "." in last and not last.endswith(".html")


def _slugify(title: str) -> str:
    # Keep CJK headings addressable; collapse anything else that is not a word character.
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return re.sub(r"[\s-]+", "-", slug).strip("-") or "section"


def _make_parser() -> MarkdownIt:
    """markdown-it-py, CommonMark with tables, strikethrough and footnotes.

    Not its Rust port markdown-it-pyrs, though that renders the same HTML some 15 times
    faster: version 0.4.0 panics on ordinary text such as "N [`" (an index out of bounds in
    its code-span scanner), which would stop a build on a typo."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    return md


_PARSER = _make_parser()

_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG_TEXT = re.compile(r"<[^>]*>")
_LINK = re.compile(r'(<a\s[^>]*?\bhref=")(/(?!/)[^"]*)"')
_IMAGE = re.compile(r'<img\s([^>]*?\bsrc=")(/(?!/)[^"]*)"')


def render_markdown(text: str, ctx: LinkContext) -> str:
    """Markdown to HTML that is safe to place in a page as it is."""
    if not text.strip():
        return ""
    html = _PARSER.render(text)
    return _CLEANER.clean(_links(_heading_ids(html), ctx))


def _heading_ids(html: str) -> str:
    """Give each heading an id from its text, unique within the body (a counter per text
    keeps this linear however often a heading repeats)."""
    used: set[str] = set()
    counters: dict[str, int] = {}

    def with_id(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        base = _slugify(unescape(_TAG_TEXT.sub("", inner)))
        slug = base
        while slug in used:
            counters[base] = counters.get(base, 0) + 1
            slug = f"{base}-{counters[base]}"
        used.add(slug)
        return f'<h{level} id="{escape(slug)}">{inner}</h{level}>'

    return _HEADING.sub(with_id, html)


def _links(html: str, ctx: LinkContext) -> str:
    """Site-relative links and images (`/people/ada/`) under the sub-path, links also in
    the page's language; images load lazily."""
    html = _LINK.sub(lambda m: f'{m.group(1)}{site_url(unescape(m.group(2)), ctx)}"', html)
    return _IMAGE.sub(
        lambda m: (
            f'<img loading="lazy" {m.group(1)}'
            f'{site_url(unescape(m.group(2)), ctx, localize=False)}"'
        ),
        html,
    )


MAX_HTML_DEPTH = 10_000  # sanitizing time grows steeply with depth: bounded here
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def html_depth_problem(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) when raw HTML nests deeper than any page needs.

    Sanitizing deeply nested HTML takes time that grows with the square of the depth, so
    the build refuses it instead of stalling; one linear scan finds it.
    """
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                start = match.start()
                line = text.count("\n", 0, start)
                col = start - (text.rfind("\n", 0, start) + 1) + 1
                return (
                    line,
                    col,
                    (
                        f"raw HTML nested more than {MAX_HTML_DEPTH} levels deep: "
                        "flatten it or write it in Markdown"
                    ),
                )
    return None
