"""Markdown to safe HTML: CommonMark with tables, strikethrough, footnotes and heading
anchors; site-relative links rewritten for the sub-path and language; raw HTML sanitized."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
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
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


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


def _rewrite(url: str, env: EnvType, localize: bool) -> str:
    ctx: LinkContext = env["links"]
    if url.startswith("/") and not url.startswith("//"):
        return site_url(url, ctx, localize=localize)
    return url


class _Renderer(RendererHTML):
    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        href = token.attrGet("href")
        if isinstance(href, str):
            token.attrSet("href", _rewrite(href, env, localize=True))
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = token.attrGet("src")
        if isinstance(src, str):
            token.attrSet("src", _rewrite(src, env, localize=False))
        token.attrSet("loading", "lazy")
        return super().image(tokens, idx, options, env)


def _slugify(title: str) -> str:
    # Keep CJK headings addressable; collapse anything else that is not a word character.
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return re.sub(r"[\s-]+", "-", slug).strip("-") or "section"


def _heading_ids(state: StateCore) -> None:
    """Give each heading an id from its text, unique within the document.

    Ours rather than the anchors plugin's: that one counts up from 1 for every repeat of a
    heading, which makes 20,000 equal headings take minutes; a counter per text is linear.
    """
    used: set[str] = set()
    counters: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        children = tokens[index + 1].children or []
        base = _slugify("".join(c.content for c in children if c.type in ("text", "code_inline")))
        slug = base
        while slug in used:
            counters[base] = counters.get(base, 0) + 1
            slug = f"{base}-{counters[base]}"
        used.add(slug)
        token.attrSet("id", slug)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}, renderer_cls=_Renderer)
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


_PARSER = _make_parser()


def render_markdown(text: str, ctx: LinkContext) -> str:
    """Markdown to HTML that is safe to place in a page as it is."""
    if not text.strip():
        return ""
    env: dict[str, Any] = {"links": ctx}
    html = _PARSER.render(text, env)
    return _CLEANER.clean(html)


def external_links(html: str) -> list[str]:
    return [m for m in re.findall(r'href="([^"]+)"', html) if _EXTERNAL.match(m)]


MAX_HTML_DEPTH = 10_000  # sanitizing takes ~0.1 s at this depth, minutes at 20 times it
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
