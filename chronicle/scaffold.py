"""`build.py new KIND "Name"`: a new content file with every field of the contract.

The required fields are filled in (the name or title, and an event's date); every other
field is there as a comment with an example, so the file builds as it is and an author
uncomments what they need. The slug comes from the name: Latin letters lose their accents
("Zoë Núñez" -> `zoe-nunez`); a name with no Latin letter at all needs `--slug`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from chronicle.errors import ChronicleError
from chronicle.model.site import RESERVED
from chronicle.reading.dates import DateError, parse_date
from chronicle.reading.fields import MAX_SLUG, check_slug
from chronicle.reading.kinds import NOUNS, written

FOLDERS = {noun: folder for folder, noun in NOUNS.items()}

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i"}
)


class ScaffoldError(ChronicleError):
    """A name, slug or date that cannot make a file, or a file that exists: exit 2."""


@dataclass(frozen=True)
class NewFile:
    path: Path
    slug: str
    text: str


def slugify(name: str) -> str | None:
    """`Zoë Ångström-Núñez` -> `zoe-angstrom-nunez`; None when no Latin letter is left."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    ascii_only = "".join(ch for ch in text if ch.isascii())
    if not re.search(r"[a-z]", ascii_only):
        return None
    words = re.findall(r"[a-z0-9]+", ascii_only)
    slug = "-".join(words)
    if len(slug) > MAX_SLUG:  # cut at a hyphen, not inside a word
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def plan_file(
    site_root: Path,
    kind: str,
    name: str,
    *,
    slug: str | None = None,
    date: str | None = None,
    today: dt.date | None = None,
) -> NewFile:
    """The file `new` would write, or ScaffoldError saying why it cannot."""
    name = " ".join(name.split())
    if not name:
        raise ScaffoldError(f'the new {kind} needs a name, e.g. build.py new {kind} "Ada"')
    if not (site_root / "site.toml").is_file():
        raise ScaffoldError(
            f"no site.toml in {site_root}: run this in a site root, or pass --site DIR"
        )
    slug = _slug(kind, name, slug)
    path = site_root / "content" / FOLDERS[kind] / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: choose another --slug, or edit that file")
    when = _date(date, today or dt.date.today()) if kind == "event" else ""
    return NewFile(path, slug, file_text(kind, name, slug, when))


def write_file(new: NewFile) -> None:
    new.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with new.path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrite
            handle.write(new.text)
    except FileExistsError as exc:
        raise ScaffoldError(f"{new.path} already exists: choose another --slug") from exc


def _slug(kind: str, name: str, given: str | None) -> str:
    if given is not None:
        problem = check_slug(given)
        if problem:
            raise ScaffoldError(f"--slug: {problem}")
        slug = given
    else:
        made = slugify(name)
        if made is None:
            raise ScaffoldError(
                f"`{name}` has no Latin letters to make a slug (the file name and web "
                f"address) from: pass one with --slug, e.g. --slug {_example(kind)}"
            )
        slug = made
    if kind == "page" and (slug in RESERVED or slug in {r.removesuffix(".html") for r in RESERVED}):
        raise ScaffoldError(
            f"page slug `{slug}` is a built-in route (/{slug}/): choose another with --slug"
        )
    return slug


def _example(kind: str) -> str:
    return {"person": "ada-lovelace", "organization": "engine-co", "event": "engine-designed"}.get(
        kind, "about"
    )


def _date(text: str | None, today: dt.date) -> str:
    if text is None:
        return today.isoformat()
    try:
        return parse_date(text).iso()
    except DateError as exc:
        raise ScaffoldError(f"--date: {exc}") from None


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: any name stays text, whatever it holds."""
    return json.dumps(text, ensure_ascii=False)


# -- the files ------------------------------------------------------------------------
# One line or more per field of the content model (kinds.py), in its order: the required
# ones filled in, each optional one a comment with an example value that builds uncommented.
# `{slug}` and `{date}` stand for the new file's.

SHARED = {
    "tags": "# tags: [example]",
    "draft": "# draft: true                                    # left out of the build unless "
    "--drafts",
    "aliases": "# aliases: [/old/address/]                       # old addresses that redirect "
    "here",
}
EXTRA = (
    "# extra:                                         # your own fields, for your templates\n#   "
)
EXAMPLES: dict[str, dict[str, str]] = {
    "person": {
        "role": '# role: "Co-founder, Example Labs"              # one line',
        "summary": '# summary: "One or two sentences for cards and the page description."',
        "photo": "# photo: portraits/{slug}.jpg                    # a path inside content/media/",
        "organizations": (
            "# organizations:                                 # organization slugs, or mappings\n"
            "#   - example-labs\n"
            "#   - {org: example-labs, role: Founder, from: 2020, to: 2023-06}"
        ),
        "links": (
            "# links:                                         # label: http(s) or mailto URL\n"
            "#   Website: https://example.org/"
        ),
        "featured": "# featured: true                                 # shown on the home page",
        "extra": EXTRA + "born: 1815",
    },
    "organization": {
        "founded": "# founded: 2023-07                               # YYYY, YYYY-MM or YYYY-MM-DD",
        "founders": "# founders: [ada-lovelace]                       # person slugs",
        "url": "# url: https://example.org/",
        "summary": '# summary: "One or two sentences for cards and the page description."',
        "extra": EXTRA + "headquarters: London",
    },
    "event": {
        "date": "date: {date}                               # YYYY, YYYY-MM or YYYY-MM-DD, as "
        "precise as known",
        "end": "# end: {date}                                # when it lasted: not before `date`",
        "people": "# people: [ada-lovelace]                         # person slugs",
        "organizations": "# organizations: [example-labs]                  # organization slugs",
        "location": "# location: London",
        "summary": '# summary: "One or two sentences for the timeline."',
        "sources": (
            "# sources:                                       # where the facts come from\n"
            '#   - {title: "A newspaper, 12 July 2023", url: "https://example.org/article"}'
        ),
        "extra": EXTRA + "importance: high",
    },
    "page": {
        "summary": '# summary: "One or two sentences for the page description."',
        "extra": EXTRA + "menu_order: 1",
    },
}
BODIES = {
    "person": "{name}'s biography, in Markdown. Link other pages from the site root: "
    "[the timeline](/timeline/).",
    "organization": "What {name} is and does, in Markdown.",
    "event": "The account of the event, in Markdown.",
    "page": "The page's text, in Markdown. It is served at /{slug}/.",
}


def file_text(kind: str, name: str, slug: str, date: str) -> str:
    """The new file: front matter with every field `build.py new` writes, then a body."""
    lines = ["---"]
    for field in written(FOLDERS[kind]):
        example = EXAMPLES[kind].get(field.name) or SHARED.get(field.name)
        if example is None:  # the name or title, the one required text
            example = f"{field.name}: {_quoted(name)}"
        text = example.replace("{slug}", slug).replace("{date}", date)
        lines.extend(_aligned(line) for line in text.split("\n"))
    body = BODIES[kind].replace("{name}", name).replace("{slug}", slug)
    return "\n".join([*lines, "---", body, ""])


COMMENT_COLUMN = 48  # where the notes after the examples start, whatever the slug's length
_NOTE = re.compile(r"^(.*?\S)\s{2,}(# .*)$")


def _aligned(line: str) -> str:
    found = _NOTE.match(line)
    if found is None:
        return line
    return f"{found[1].ljust(COMMENT_COLUMN - 2)}  {found[2]}"
