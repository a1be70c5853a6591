"""Optional HTML minification (`build --minify`), with minify-html, a minifier made for it.

Only options that keep the HTML standard-conforming are used: optional tags may go, as the
HTML standard allows, but the doctype stays whole and attribute values are only unquoted
where the standard permits it, so minified pages pass the Nu Html Checker like the rest.
"""

from __future__ import annotations

from collections.abc import Mapping


def minify_page(html: str) -> str:
    import minify_html  # only for --minify: a build without it need not load it

    return minify_html.minify(
        html,
        minify_css=True,  # style="" attributes from Markdown tables
        minify_js=False,  # the theme has no script; JSON-LD must stay as written
        minify_doctype=False,  # `<!doctypehtml>` is not conforming
        allow_noncompliant_unquoted_attribute_values=False,
        allow_removing_spaces_between_attributes=False,
        allow_optimal_entities=False,
        keep_closing_tags=False,
        keep_html_and_head_opening_tags=False,
        keep_comments=False,
    )


def minify_pages(rendered: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every .html output minified; feeds, sitemaps and other files as they are."""
    return {rel: minify_output(rel, data) for rel, data in rendered.items()}


def minify_output(rel: str, data: bytes) -> bytes:
    return minify_page(data.decode("utf-8")).encode("utf-8") if rel.endswith(".html") else data
