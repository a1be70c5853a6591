"""The Jinja environment every page renders with: the site's templates before the default
theme's, the filters and functions the templates call, and templates compiled once into
the user's cache. A plain jinja2.Environment, configured through Jinja's public API only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from chronicle import theme
from chronicle.media import images
from chronicle.media.images import Gallery, user_cache_folder
from chronicle.model import i18n, timeline
from chronicle.model.localize import LocalSite, route
from chronicle.reading.content import Entry
from chronicle.reading.dates import PartialDate
from chronicle.rendering import feeds, metadata

ESCAPED = ("html", "xml")  # templates whose output is escaped


def make_environment(site_root: Path) -> jinja2.Environment:
    """Site templates first, then the default theme's, one file at a time."""
    env = jinja2.Environment(
        loader=theme.loader(site_root),
        autoescape=jinja2.select_autoescape(ESCAPED, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        # A template file that changes makes a new environment (RenderCache.start, by the
        # fingerprint): no need to look at every template's mtime on every page.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.bytecode_cache = _compiled_templates(env)
    use_dates(env, i18n.Dates())  # replaced by each Renderer's own table
    env.globals.update(
        language_name=i18n.language_name,
        html_lang=i18n.html_lang,
        og_locale=metadata.og_locale,
        json_ld=metadata.json_ld,
        json_feed=feeds.json_feed,
        feed_items=feeds.feed_items,
        feed_updated=feeds.feed_updated,
        # The theme's timeline, avatars and social cards (see timeline.py, images.py, cards.py).
        site_timeline=timeline.site_timeline,
        timeline_filters=timeline.timeline_filters,
        filtered_events=timeline.filtered_events,
        hue=timeline.hue,
        monogram=images.monogram_svg,
        card_url=card_url,
        picture=Gallery().picture,  # replaced by each Renderer's own
    )
    env.globals["site_stylesheet"] = theme.stylesheet(site_root)
    return env


def use_dates(env: jinja2.Environment, dates: i18n.Dates) -> None:
    """The filters that show dates, ranges and lists as the page's language writes them,
    from one table of formatted forms:

    `{{ date | date(lang) }}` is the text of one date; `{{ start | date_range(end, lang) }}`
    a date, or a range when `end` is another date, each end a <time>; `date_span` the same
    for a span of time, which lasts to the present when it has no end; and
    `{{ names | format_list(lang) }}` names in a sentence ("A, B and C", 「A、B和C」), each
    item text or markup."""
    env.filters["date"] = dates.format_date
    env.filters["date_range"] = partial(_time_range, dates.range_parts)
    env.filters["date_span"] = partial(_time_range, dates.span_parts)
    env.filters["format_list"] = partial(_markup_list, dates)


Parts = Callable[[PartialDate, PartialDate | None, str], tuple[str, str, str]]


def _time_range(parts: Parts, start: PartialDate, end: PartialDate | None, lang: str) -> Markup:
    first, separator, second = parts(start, end, lang)
    html = _time(start, first)
    if second:
        # No end date: the end is the word for the present, text rather than a <time>.
        html += escape(separator) + (_time(end, second) if end is not None else escape(second))
    return html


def _time(date: PartialDate, text: str) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(date.iso(), text)


def _markup_list(dates: i18n.Dates, items: Sequence[str], lang: str) -> Markup:
    items = list(items)
    glue = dates.list_glue(len(items), lang)
    return escape(glue[0]) + Markup("").join(
        escape(item) + escape(after) for item, after in zip(items, glue[1:], strict=True)
    )


def _compiled_templates(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Templates compiled once, kept in the user's cache (not the site's: a site's files may
    come from anyone, and compiled templates are code), keyed by each template's file and
    text, Jinja's version and the options they compile with: compiling the templates of a
    person's page is a fair part of an edit build."""
    folder = user_cache_folder() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    compiling = (
        ESCAPED,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        sorted(env.extensions),
        env.optimized,
    )
    options = hashlib.blake2b(repr(compiling).encode(), digest_size=6).hexdigest()
    return jinja2.FileSystemBytecodeCache(str(folder), f"{options}-%s.cache")


def card_url(site: LocalSite, entry: Entry) -> str:
    """The absolute address of an entry's social card (cards.py makes one per person and
    event, in every language, beside the page)."""
    if not site.settings.social_cards:
        return ""
    prefix = site.settings.base_url
    lang = "" if site.lang == site.default_lang else f"{site.lang}/"
    return prefix + lang + route(entry).lstrip("/") + "card.png"
