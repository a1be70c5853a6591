"""The content model as one table: per kind of entry, every field an author may write.

Reading (which fields a kind accepts, which a translation may override), the hints
(`a person has: ...`), `build.py new` (a line per field) and docs/content-model.md all
derive from this table, so that a field added here is known to each of them.
"""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    name: str
    meaning: str  # one line, as the docs give it
    required: bool = False
    translatable: bool = False  # a translation may give its own text for it
    written: bool = True  # `build.py new` writes it (the slug is the file name)


class Kind(NamedTuple):
    folder: str  # under content/, and the kind's name in code
    noun: str  # one of them, in messages and on the command line
    fields: tuple[Field, ...]  # in the order `build.py new` writes them


SLUG = Field("slug", "the address; from the file name unless given", written=False)
TAGS = Field("tags", "a list of words that group entries across kinds")
DRAFT = Field("draft", "`true` leaves the entry out of the build unless --drafts")
ALIASES = Field("aliases", "old addresses that redirect here")
EXTRA = Field("extra", "the author's own fields, any YAML, passed to templates as is")
SUMMARY = Field("summary", "one or two sentences for cards and descriptions", translatable=True)
COMMON = (SLUG, TAGS, EXTRA, DRAFT, ALIASES)  # every kind has these
BESIDES = ("draft", "aliases", "extra")  # named apart in hints: they mean the same everywhere

TABLE: dict[str, Kind] = {
    "people": Kind(
        "people",
        "person",
        (
            Field("name", "display name, one line", required=True, translatable=True),
            Field("role", "one line, e.g. `Co-founder, Example Labs`", translatable=True),
            SUMMARY,
            Field("photo", "a path inside content/media/, e.g. `portraits/ada.jpg`"),
            Field(
                "organizations",
                "organization slugs, or mappings `{org, role, from, to}`",
                translatable=True,  # the roles only, matched by position
            ),
            Field(
                "links",
                "a mapping of label to http(s) or mailto URL",
                translatable=True,  # the labels only, matched by URL
            ),
            TAGS,
            Field("featured", "`true` shows the person on the home page"),
            DRAFT,
            ALIASES,
            EXTRA,
            SLUG,
        ),
    ),
    "organizations": Kind(
        "organizations",
        "organization",
        (
            Field("name", "display name, one line", required=True, translatable=True),
            Field("founded", "a date: YYYY, YYYY-MM or YYYY-MM-DD"),
            Field("founders", "person slugs"),
            Field("url", "the organization's own http(s) address"),
            SUMMARY,
            TAGS,
            DRAFT,
            ALIASES,
            EXTRA,
            SLUG,
        ),
    ),
    "events": Kind(
        "events",
        "event",
        (
            Field("title", "one line", required=True, translatable=True),
            Field("date", "when it happened: YYYY, YYYY-MM or YYYY-MM-DD", required=True),
            Field("end", "when it ended, if it lasted: not before `date`"),
            Field("people", "person slugs"),
            Field("organizations", "organization slugs"),
            Field("location", "free text, one line", translatable=True),
            SUMMARY,
            TAGS,
            Field(
                "sources",
                "where the facts come from: a list of `{title, url}`",
                translatable=True,  # the titles only, matched by position
            ),
            DRAFT,
            ALIASES,
            EXTRA,
            SLUG,
            Field("body", "the Markdown text of an event in a YAML list", written=False),
        ),
    ),
    "pages": Kind(
        "pages",
        "page",
        (
            Field("title", "one line", required=True, translatable=True),
            SUMMARY,
            TAGS,
            DRAFT,
            ALIASES,
            EXTRA,
            SLUG,
        ),
    ),
}

KINDS = tuple(TABLE)
NOUNS = {kind.folder: kind.noun for kind in TABLE.values()}
COMMON_NAMES = tuple(f.name for f in COMMON)
# Text a translation may override, per kind; everything else comes from the original.
TRANSLATABLE = {
    folder: tuple(f.name for f in kind.fields if f.translatable) for folder, kind in TABLE.items()
}
# Translatable fields that hold more than text: a translation gives only their text (the
# roles of `organizations`, the labels of `links`, the titles and own URLs of `sources`).
STRUCTURED = ("organizations", "links", "sources")


def accepted(kind: str) -> tuple[str, ...]:
    """Every field an entry of the kind may have."""
    return tuple(f.name for f in TABLE[kind].fields)


def own(kind: str) -> frozenset[str]:
    """The kind's fields besides those every kind has."""
    return frozenset(accepted(kind)) - set(COMMON_NAMES)


def written(kind: str) -> tuple[Field, ...]:
    """The fields `build.py new` writes, in order."""
    return tuple(f for f in TABLE[kind].fields if f.written)


def listed(kind: str) -> str:
    """The kind's fields as hints name them: `name, role, summary, ...`."""
    return ", ".join(f.name for f in written(kind) if f.name not in BESIDES)


def markdown(kind: str) -> str:
    """The kind's fields as a Markdown table, for the docs."""
    rows = ["| field | required | meaning |", "|---|---|---|"]
    for f in TABLE[kind].fields:
        rows.append(f"| {f.name} | {'yes' if f.required else 'no'} | {f.meaning} |")
    return "\n".join(rows)
