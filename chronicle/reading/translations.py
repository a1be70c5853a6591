"""Translations: a file beside its original (`ada.zh-hant.md`) that gives the text of
another language, read into a `Translation` and attached to its original entry.

A translation overrides text only (TRANSLATABLE in kinds.py); a site that offers both
Chinese scripts gets its Simplified text made from the Traditional when no author wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from chronicle.errors import Hint, Location, Report
from chronicle.reading import chinese
from chronicle.reading.content import Content, Entry, Event, Translation
from chronicle.reading.fields import Fields, text_line
from chronicle.reading.kinds import TRANSLATABLE, accepted
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
        if name != "sources"
        and (value := fields.text(name, one_line=name in ("name", "role", "title", "location")))
    }
    titles = []
    for item in fields.seq("sources") if "sources" in allowed else []:
        sub = fields.sub(item, "sources")
        if sub is None:
            continue
        sub.reject_unknown(
            ("title",),
            lambda n: f"a translated source gives only `title`; `{n}` comes from the original",
        )
        titles.append(sub.text("title", required=True, one_line=True) or "")
    return Translation(
        location=fields.location(fields.node),
        text=text,
        body=body,
        source_titles=titles,
        sources_location=fields.key_location("sources") if titles else None,
        item_slug=item_slug,
    )


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
    original.translations[lang] = translation


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
        sources_location=source.sources_location,
        item_slug=source.item_slug,
        body_line=source.body_line,
        version=f"{convert.tag}:{source.version}",
        body_version=f"{convert.tag}:{source.body_version}",
        generated_from=chinese.SOURCE,
    )


def as_translation(entry: Entry) -> Translation:
    """An original's own text, in the shape of a translation."""
    names = [n for n in TRANSLATABLE[entry.kind] if n != "sources"]
    attribute = {"location": "location_text"}
    text = {n: v for n in names if isinstance(v := getattr(entry, attribute.get(n, n), None), str)}
    titles = [s.title for s in entry.sources] if isinstance(entry, Event) else []
    return Translation(
        location=entry.location,
        text=text,
        body=entry.body,
        source_titles=titles,
        body_line=entry.body_line,
        version=entry.version,
        body_version=entry.body_version,
    )


def original_path(rel: str, lang: str) -> str:
    return rel.replace(f".{lang}.", ".", 1)
