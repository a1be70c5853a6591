"""Authoring warnings: what is allowed but probably not meant. The build succeeds with them;
`--strict` (build and check) makes them errors, for a site that wants none.

- a file or folder in content/ that no reader looks at,
- an event that cites no sources,
- an entry without a summary (cards and the meta description need one),
- an entry without a translation into a language of site.toml (only when it lists more
  than one).

Ignored files inside people/, events/... are already reported by the content stage.
"""

from __future__ import annotations

from pathlib import Path

from chronicle.errors import Hint, Location, Report, relative
from chronicle.model.site import Site
from chronicle.reading.content import Entry, Event, Organization, Page, Person
from chronicle.reading.kinds import KINDS

READ_IN_CONTENT = (*KINDS, "media")
NOUN = {"people": "person", "organizations": "organization", "events": "event", "pages": "page"}


def lint(site: Site, site_root: Path) -> Report:
    """Every authoring warning of a site that built."""
    report = Report()
    _unknown_in_content(site_root, report)
    entries: list[Entry] = [
        *site.people.values(),
        *site.organizations.values(),
        *site.events,
        *site.pages.values(),
    ]
    for entry in entries:
        if isinstance(entry, Event) and not entry.sources:
            report.warning(
                entry.location,
                f"event `{entry.slug}` cites no `sources`: nothing says where it comes from",
                Hint("sources"),
            )
        if isinstance(entry, Person | Organization | Event | Page) and not entry.summary:
            report.warning(
                entry.location,
                f"no `summary` for {NOUN[entry.kind]} `{entry.slug}`: its cards and its meta "
                "description have no text of their own",
                Hint("summary"),
            )
    for lang in site.settings.languages[1:]:
        for entry in entries:
            if lang not in entry.translations:
                report.warning(
                    entry.location, _untranslated(entry, lang, site), Hint("untranslated", (lang,))
                )
    return report


def _untranslated(entry: Entry, lang: str, site: Site) -> str:
    path = entry.location.path
    stem, dot, suffix = path.rpartition(".")
    where = f"{stem}.{lang}.{suffix}" if dot else f"{path}.{lang}"
    item = f" (an item with `slug: {entry.slug}`)" if suffix in ("yaml", "yml") else ""
    return (
        f"no `{lang}` translation of {NOUN[entry.kind]} `{entry.slug}`: add {where}{item}; until "
        f"then its {lang} page shows the {site.settings.default_language} text"
    )


def _unknown_in_content(site_root: Path, report: Report) -> None:
    folder = site_root / "content"
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in READ_IN_CONTENT:
            continue
        report.warning(
            Location(relative(path, site_root)),
            f"ignored: `{path.name}` is not read; content/ holds "
            + ", ".join(f"{name}/" for name in READ_IN_CONTENT),
            Hint("ignored"),
        )
