"""Translations: a file beside its original (`ada.zh-hant.md`) that gives the text of
another language, read into a `Translation` and attached to its original entry.

A translation overrides text only (TRANSLATABLE in kinds.py); a site that offers both
Chinese scripts gets its Simplified text made from the Traditional when no author wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from chronicle.errors import Hint, Location, Report, closest
from chronicle.reading import chinese
from chronicle.reading.content import (
    Content,
    Entry,
    Event,
    LinkText,
    Person,
    RoleText,
    Translation,
)
from chronicle.reading.fields import WEB_SCHEMES, Fields, text_line
from chronicle.reading.kinds import STRUCTURED, TRANSLATABLE, accepted
from chronicle.reading.settings import Settings
from chronicle.reading.yamltree import Seq

if TYPE_CHECKING:
    from chronicle.reading.sourcefile import FileReader

TRANSLATION = Hint("translation")  # the advice on what a translation is and gives


def read_translations(reader: FileReader, kind: str, path: Path) -> list[Translation]:
    """The translations a file holds: one for a .md file, one per item of a YAML list."""
    if path.suffix == ".md":
        parsed = reader.front_matter(path)
        if parsed is None:
            return []
        node, body, body_line = parsed
        fields = Fields(node, reader.rel(path), reader.report)
        translation = _translation(fields, kind, body.strip() or None)
        # The body is stripped: count the blank lines dropped so link errors keep their line.
        translation.body_line = body_line + body[: len(body) - len(body.lstrip())].count("\n")
        return [translation]
    _was_read, root = reader.parse_yaml(path, lambda text: (text, 1))
    if root is None:
        return []
    if not isinstance(root, Seq):
        reader.report.error(
            Location(reader.rel(path), root.line, root.col),
            "a translation of a list must be a list",
            Hint("list"),
        )
        return []
    found = []
    for item in root.items:
        item_fields = reader.item_fields(item, reader.rel(path))
        slug = reader.item_slug(item_fields) if item_fields else None
        if item_fields is not None and slug is not None:
            item_body = item_fields.text("body")
            translation = _translation(item_fields, kind, item_body, item_slug=slug)
            body_node = item_fields.get("body")
            if body_node is not None:
                translation.body_line = text_line(body_node)
            found.append(translation)
    return found


def _translation(
    fields: Fields, kind: str, body: str | None, item_slug: str | None = None
) -> Translation:
    allowed = TRANSLATABLE[kind]
    known = (*allowed, "slug", "body") if item_slug else allowed

    def why(name: str) -> str | None:
        if name in accepted(kind):
            return (
                f"a translation overrides only text ({', '.join(allowed)}); "
                f"`{name}` comes from the original"
            )
        return None

    fields.reject_unknown(known, why, TRANSLATION)
    text = {
        name: value
        for name in allowed
        if name not in STRUCTURED
        and (value := fields.text(name, one_line=name in ("name", "role", "title", "location")))
    }
    titles: list[str] = []
    urls: list[str | None] = []
    for item in fields.seq("sources") if "sources" in allowed else []:
        sub = fields.sub(item, "sources")
        if sub is None:
            continue
        sub.reject_unknown(
            ("title", "url"),
            lambda n: (
                f"a translated source gives only `title` and `url`; `{n}` comes from the original"
            ),
        )
        titles.append(sub.text("title", required=True, one_line=True) or "")
        urls.append(sub.url("url"))
    return Translation(
        location=fields.location(fields.node),
        text=text,
        body=body,
        source_titles=titles,
        source_urls=urls,
        sources_location=fields.key_location("sources") if titles else None,
        roles=_roles(fields) if "organizations" in allowed else [],
        links=_links(fields) if "links" in allowed else [],
        item_slug=item_slug,
    )


def _roles(fields: Fields) -> list[RoleText]:
    """A translation's `organizations`: per item, the organization it stands for (checked
    against the original's by position when attached) and its role."""
    roles = []
    for ref, sub in fields.organization_items():
        if ref is None:
            continue
        if sub is None:
            roles.append(RoleText(ref.slug, None, None, None, ref.location))
            continue
        start, end = sub.date("from"), sub.date("to")
        start_at = sub.key_location("from") if start else None
        end_at = sub.key_location("to") if end else None
        role = sub.text("role", one_line=True)
        roles.append(RoleText(ref.slug, role, start, end, ref.location, start_at, end_at))
    return roles


def _links(fields: Fields) -> list[LinkText]:
    """A translation's `links`: its own label for each URL (matched when attached)."""
    node = fields.mapping("links")
    if node is None:
        return []
    found = []
    for label, (key, value) in node.entries.items():
        url = fields.url_of(f"links.{label}", value, (*WEB_SCHEMES, "mailto"))
        if url is not None:
            found.append(LinkText(url, label, fields.location(key)))
    return found


def attach_translation(
    content: Content,
    kind: str,
    rel: str,
    lang: str,
    translation: Translation,
    *,
    settings: Settings,
    site_root: Path,
    report: Report,
) -> None:
    """Give a translation to its original, checking what only the whole site can tell."""
    if lang not in settings.languages[1:]:
        listed = ", ".join(settings.languages)
        why = (
            "is the default language"
            if lang == settings.default_language
            else f"is not in `languages` of site.toml ({listed})"
        )
        report.error(Location(rel), f"translation into `{lang}`, which {why}", TRANSLATION)
        return
    original_rel = original_path(rel, lang)
    if not (site_root / original_rel).exists():
        report.error(
            Location(rel),
            f"translation without an original: `{original_rel}` does not exist "
            "(translations sit beside their original, named after it)",
            TRANSLATION,
        )
        return
    originals = [e for e in getattr(content, kind) if e.location.path == original_rel]
    if translation.item_slug is not None:
        originals = [e for e in originals if e.slug == translation.item_slug]
        if not originals:
            report.error(
                translation.location,
                f"no event with slug `{translation.item_slug}` in {original_rel}",
            )
            return
    if not originals:
        return  # the original has errors of its own, already reported
    original = originals[0]
    count = len(original.sources) if isinstance(original, Event) else 0
    if translation.sources_location and len(translation.source_titles) > count:
        report.error(
            translation.sources_location,
            f"translation lists {len(translation.source_titles)} sources; the original "
            f"has {count} (sources are matched by position)",
            TRANSLATION,
        )
    if isinstance(original, Person):
        _check_roles(original, translation, report)
        _check_links(original, translation, report)
    original.translations[lang] = translation


def _check_roles(original: Person, translation: Translation, report: Report) -> None:
    """Each translated item names the original's organization at its position, with the same
    dates if it gives any; fewer items are fine (the others keep the original's role)."""
    ties = original.organizations
    for i, item in enumerate(translation.roles):
        if i >= len(ties):
            report.error(
                item.at,
                f"translation lists {len(translation.roles)} organizations; the original has "
                f"{len(ties)} (roles are matched by position: list the same organizations "
                "in the same order)",
                TRANSLATION,
            )
            return
        tie = ties[i]
        if item.org != tie.org.slug:
            report.error(
                item.at,
                f"item {i + 1} of `organizations` is `{item.org}`; the original's item {i + 1} "
                f"is `{tie.org.slug}` (roles are matched by position: list the same "
                "organizations in the same order)",
                TRANSLATION,
            )
        for name, given, at, own in (
            ("from", item.start, item.start_at, tie.start),
            ("to", item.end, item.end_at, tie.end),
        ):
            if given is not None and at is not None and given != own:
                report.error(
                    at,
                    f"`{name}` ({given}) differs from the original's ({own or 'none'}): dates "
                    f"come from the original; leave `{name}` out of the translation",
                    TRANSLATION,
                )


def _check_links(original: Person, translation: Translation, report: Report) -> None:
    """Each translated label is for a URL of the original's `links`."""
    urls = list(original.links.values())
    for link in translation.links:
        if link.url in urls:
            continue
        close = closest(link.url, urls)
        suggestion = f"; did you mean `{close}`?" if close else ""
        report.error(
            link.at,
            f"`links.{link.label}`: `{link.url}` is not among the original's links{suggestion} "
            "(a translation gives its own labels for the original's URLs)",
            TRANSLATION,
        )


def only_generated(entry: Entry) -> bool:
    """The entry's translations were all made by chronicle (add_simplified), none by an
    author from a file of its own."""
    return all(t.generated_from is not None for t in entry.translations.values())


def add_simplified(
    entry: Entry, default_language: str, convert: chinese.Converter | None = None
) -> None:
    """Give an entry a Simplified Chinese translation made from its Traditional text, unless
    an author wrote one. `convert`: the site's converter (chinese.converter), phrases and
    all; the body has its text converted, never its code, addresses or tags."""
    if chinese.TARGET in entry.translations:
        return
    source = entry.translations.get(chinese.SOURCE)
    if source is None and default_language == chinese.SOURCE:
        source = as_translation(entry)
    if source is None:
        return
    convert = convert or chinese.converter()
    text = convert.text
    entry.translations[chinese.TARGET] = Translation(
        location=source.location,
        text={name: text(value) for name, value in source.text.items()},
        body=convert.markdown(source.body) if source.body is not None else None,
        source_titles=[text(title) for title in source.source_titles],
        source_urls=list(source.source_urls),
        roles=[r._replace(role=text(r.role) if r.role else r.role) for r in source.roles],
        links=[link._replace(label=text(link.label)) for link in source.links],
        sources_location=source.sources_location,
        item_slug=source.item_slug,
        body_line=source.body_line,
        version=f"{convert.tag}:{source.version}",
        body_version=f"{convert.tag}:{source.body_version}",
        generated_from=chinese.SOURCE,
    )


def as_translation(entry: Entry) -> Translation:
    """An original's own text, in the shape of a translation."""
    names = [n for n in TRANSLATABLE[entry.kind] if n not in STRUCTURED]
    attribute = {"location": "location_text"}
    text = {n: v for n in names if isinstance(v := getattr(entry, attribute.get(n, n), None), str)}
    titles = [s.title for s in entry.sources] if isinstance(entry, Event) else []
    roles, links = [], []
    if isinstance(entry, Person):
        roles = [
            RoleText(a.org.slug, a.role, None, None, a.org.location) for a in entry.organizations
        ]
        links = [LinkText(url, label, entry.location) for label, url in entry.links.items()]
    return Translation(
        location=entry.location,
        text=text,
        body=entry.body,
        source_titles=titles,
        roles=roles,
        links=links,
        body_line=entry.body_line,
        version=entry.version,
        body_version=entry.body_version,
    )


def original_path(rel: str, lang: str) -> str:
    return rel.replace(f".{lang}.", ".", 1)
