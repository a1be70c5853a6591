"""Interface strings and date display, per language, named in one place for the callers.

The strings are strings.py's (the theme's i18n/ files under a site's own): a language
without a string shows it in English, and the content itself is still shown in that
language where a translation exists. Dates, ranges and lists are forms.py's.
"""

from __future__ import annotations

from chronicle.model.forms import (  # dates, ranges and lists as each language writes them
    Dates,
    DateTable,
    format_date,
    format_list,
    format_range,
    format_span,
)
from chronicle.model.strings import (  # the interface strings, in the theme's i18n/ files
    HTML_LANG,
    LANGUAGE_NAMES,
    html_lang,
    language_name,
    missing,
    site_strings,
    strings,
)

__all__ = [
    "HTML_LANG",
    "LANGUAGE_NAMES",
    "DateTable",
    "Dates",
    "format_date",
    "format_list",
    "format_range",
    "format_span",
    "html_lang",
    "language_name",
    "missing",
    "site_strings",
    "strings",
]
