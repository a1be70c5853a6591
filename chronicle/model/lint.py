"""Authoring warnings: what is allowed but probably not meant. The build succeeds with them;
`--strict` (build and check) makes them errors, for a site that wants none.

- a file or folder in content/ that no reader looks at,
- an event that cites no sources,
- an entry without a summary (cards and the meta description need one),
- what is untranslated in each language of site.toml but the default: an entry without a
  translation, a translation without the summary, body, roles or link labels its original
  has, a tag without a name (translations.py and tagnames.py say what may be given).
  `require_translations = true` in site.toml makes these errors.

Ignored files inside people/, events/... are already reported by the content stage.
"""

from __future__ import annotations

from pathlib import Path

from chronicle.errors import Hint, Location, Report, relative
from chronicle.model.site import Site
from chronicle.reading import chinese
from chronicle.reading.content import Entry, Event, Organization, Page, Person, Translation
from chronicle.reading.kinds import KINDS

READ_IN_CONTENT = (*KINDS, "media", "tags.yaml")
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
    untranslated(site, entries, report)
    return report


def translated_languages(site: Site) -> list[str]:
    """The languages that authors translate into: every one but the default, and not
    Simplified Chinese when Traditional is listed (made from it, with its gaps)."""
    languages = site.settings.languages
    return [
        lang
        for lang in languages[1:]
        if not (lang == chinese.TARGET and chinese.SOURCE in languages)
    ]


def untranslated(site: Site, entries: list[Entry], report: Report) -> None:
    """A problem for each thing a language lacks: warnings, or errors when the site
    requires translations."""
    add = report.error if site.settings.require_translations else report.warning
    for lang in translated_languages(site):
        for entry in entries:
            translation = entry.translations.get(lang)
            if translation is None:
                add(entry.location, _untranslated(entry, lang, site), Hint("untranslated", (lang,)))
                continue
            for field in missing_fields(entry, translation):
                add(
                    translation.location,
                    f"{lang}: the translation of {NOUN[entry.kind]} `{entry.slug}` gives "
                    f"no {field}; its {lang} page shows the {site.settings.default_language} text",
                    Hint("untranslated", (lang,)),
                )
        for key, tag in site.tags.items():
            if lang not in site.tag_names.get(key, {}):
                add(
                    _tag_place(site, key),
                    f"{lang}: tag `{tag.label}` has no {lang} name: add "
                    f"`{tag.label}: {{{lang}: …}}` to content/tags.yaml",
                    Hint("tag-names"),
                )


def missing_fields(entry: Entry, translation: Translation) -> list[str]:
    """What the original has and the translation does not give, as check names it:
    `summary`, `body`, `role for `org``, `label for `url``."""
    missing = []
    if getattr(entry, "summary", None) and "summary" not in translation.text:
        missing.append("summary")
    if entry.body.strip() and translation.body is None:
        missing.append("body")
    if isinstance(entry, Person):
        roles = translation.roles
        for i, tie in enumerate(entry.organizations):
            if tie.role and not (i < len(roles) and roles[i].role):
                missing.append(f"role for `{tie.org.slug}`")
        labelled = {link.url for link in translation.links}
        missing += [
            f"label for link `{url}`" for url in entry.links.values() if url not in labelled
        ]
    return missing


def _tag_place(site: Site, key: str) -> Location:
    """Where a tag without a name is pointed at: the first entry that has it."""
    tagged = site.tagged.get(key)
    return tagged[0].location if tagged else Location("content/tags.yaml")


def untranslated_summary(site: Site) -> list[str]:
    """One line per language: how much is untranslated, by what (for `check`)."""
    lines = []
    entries = [
        *site.people.values(),
        *site.organizations.values(),
        *site.events,
        *site.pages.values(),
    ]
    for lang in translated_languages(site):
        whole = sum(lang not in e.translations for e in entries)
        fields: dict[str, int] = {}
        for entry in entries:
            translation = entry.translations.get(lang)
            for field in missing_fields(entry, translation) if translation else []:
                name = {"role for": "role", "label for link": "link label"}.get(
                    field.split(" `")[0], field
                )
                fields[name] = fields.get(name, 0) + 1
        tags = sum(lang not in site.tag_names.get(k, {}) for k in site.tags)
        if tags:
            fields["tag name"] = tags
        if not whole and not fields:
            lines.append(f"{lang}: everything is translated")
            continue
        parts = [f"{whole} of {len(entries)} entries without a translation"]
        parts += [f"{count} × {name}" for name, count in fields.items()]
        lines.append(f"{lang}: untranslated: " + ", ".join(parts))
    return lines


def _untranslated(entry: Entry, lang: str, site: Site) -> str:
    path = entry.location.path
    stem, dot, suffix = path.rpartition(".")
    where = f"{stem}.{lang}.{suffix}" if dot else f"{path}.{lang}"
    item = f" (an item with `slug: {entry.slug}`)" if suffix in ("yaml", "yml") else ""
    return (
        f"no `{lang}` translation of {NOUN[entry.kind]} `{entry.slug}`: add `{where}`{item}; until "
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
            + ", ".join(name if "." in name else f"{name}/" for name in READ_IN_CONTENT),
            Hint("ignored"),
        )
