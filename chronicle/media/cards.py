"""Social cards: a 1200×630 PNG per person and event, in every language, for `og:image`.

A card shows the name and role (or the event's date and title) and the site's title,
drawn with Pillow in Noto Sans CJK (media.fonts), which the project's dependencies ship:
the same font, and so the same pixels, on every machine, with no system font looked up.

Cards are cached like portraits (`<site>/.cache/cards/`), keyed by everything drawn.
Drawing them is carddraw's (with cardink, cardwrap and cardpng): here, what each card says,
which cards are missing from the cache, and drawing those.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import PIL

from chronicle.errors import Location, Problem, Report
from chronicle.media.fonts import Fonts, fonts_for, missing_glyphs
from chronicle.media.images import Gallery, cache_folder, initials, monogram_hue
from chronicle.model import i18n
from chronicle.model.localize import localize, route
from chronicle.model.site import Site
from chronicle.reading.content import Entry, Event, Person

READ_ONLY = 0o444
RECIPE = "3"  # bump when the drawing changes: cached cards of another recipe are drawn again
# A warning about the font rather than about what an author wrote: it names the settings,
# where the site's languages are, and no content file.
FONT_WARNING_AT = Location("site.toml")


# -- what a card says ----------------------------------------------------------------


@dataclass(frozen=True)
class CardText:
    kind: str  # "people" or "events"
    slug: str
    lang: str
    heading: str  # name, or event title
    detail: str  # role, or the people of the event
    kicker: str  # the event's date; empty for a person
    site_title: str
    hue: int
    portrait: Path | None = None  # the square portrait, cached
    monogram: str = ""

    def all_text(self) -> str:
        return self.heading + self.detail + self.kicker + self.site_title + self.monogram


def card_path(lang: str, default_lang: str, entry: Entry) -> str:
    """Where an entry's card is written: beside its page, in the page's language."""
    prefix = "" if lang == default_lang else f"{lang}/"
    return prefix + route(entry).lstrip("/") + "card.png"


def card_texts(
    site: Site, gallery: Gallery
) -> Iterator[tuple[Entry, str, Hashable, Callable[[], CardText]]]:
    """Each card as (entry, language, what it is drawn from, its text). What it is drawn
    from is cheap to tell (versions, not text): equal, the text is equal too, and need not
    be made again (see make_cards)."""
    settings = site.settings
    default = settings.default_language
    for lang in settings.languages:
        for person in site.people.values():
            picture = gallery.picture(person.photo)
            portrait = picture.square_source if picture else None
            yield (
                person,
                lang,
                ("people", person.slug, lang, _versions(person), settings.title, portrait),
                functools.partial(_person_text, person, lang, default, settings.title, portrait),
            )
        for event in site.events:
            names = [
                site.people[r.slug] for r in dict.fromkeys(event.people) if r.slug in site.people
            ]
            versions = (_versions(event), *map(_versions, names))
            yield (
                event,
                lang,
                ("events", event.slug, lang, versions, settings.title),
                functools.partial(_event_text, event, names, lang, default, settings.title),
            )


def _versions(entry: Entry) -> Hashable:
    return (entry.version, tuple((lang, t.version) for lang, t in entry.translations.items()))


def _person_text(
    person: Person, lang: str, default: str, title: str, portrait: Path | None
) -> CardText:
    local = localize(person, lang, default)
    return CardText(
        "people",
        person.slug,
        lang,
        local.name,
        local.role or "",
        "",
        title,
        monogram_hue(person.slug),
        portrait,
        initials(person.name),
    )


def _event_text(event: Event, names: list[Person], lang: str, default: str, title: str) -> CardText:
    local = localize(event, lang, default)
    people = [localize(person, lang, default).name for person in names]
    return CardText(
        "events",
        event.slug,
        lang,
        local.title,
        i18n.format_list(people, lang),
        i18n.format_range(event.date, event.end, lang),
        title,
        monogram_hue(event.slug),
    )


@dataclass
class Cards:
    copied: dict[str, Path] = field(default_factory=dict)  # output path -> cached PNG
    made: int = 0


Saved = tuple[Hashable, dict[str, str], list[Problem]]  # CardMemory as a saved state keeps it


@dataclass
class CardMemory:
    """What one build's cards leave for the next (incremental.memory): the cards made,
    with what they were made from and their warnings, reused while no entry's fields
    change; and each card by what it is drawn from, with the characters of its text that
    the font lacks, valid while the cache folder's mtime is `drawn_at`."""

    last: tuple[Hashable, Cards, list[Problem]] | None = None
    drawn: dict[Hashable, tuple[Path, str]] = field(default_factory=dict)
    drawn_at: tuple[str, int] = ("", 0)

    def saved(self) -> Saved | None:
        """The cards made, to keep on disk (paths as text: quicker to read back)."""
        if self.last is None:
            return None
        key, cards, problems = self.last
        return key, {rel: str(path) for rel, path in cards.copied.items()}, problems

    @classmethod
    def restored(cls, saved: Saved | None) -> CardMemory:
        if saved is None:
            return cls()
        key, copied, problems = saved
        return cls((key, Cards({rel: Path(path) for rel, path in copied.items()}), problems))


def make_cards(
    site: Site, site_root: Path, gallery: Gallery, report: Report, memory: CardMemory | None = None
) -> Cards:
    """Every card, drawn only when its cache file is missing.

    A rebuild that remembers the last one (`memory`) in which no entry's fields changed
    reuses the previous list, unless a file in the cache folder came or went since (its
    mtime)."""
    if not site.settings.social_cards:
        return Cards()
    memory = memory if memory is not None else CardMemory()
    cache = cache_folder(site_root) / "cards"
    key = (site.shape(), gallery.digest(), str(cache), _mtime(cache))
    if memory.last is not None and memory.last[0] == key:
        report.problems.extend(memory.last[2])
        return Cards(dict(memory.last[1].copied))
    own = Report()
    cards = _make_cards(site, cache, gallery, own, memory)
    report.extend(own)
    # Cards drawn just now changed the folder's mtime: remember it as it is after them.
    memory.last = ((*key[:3], _mtime(cache)), cards, list(own.problems))
    return cards


def _mtime(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return 0


def _make_cards(
    site: Site, cache: Path, gallery: Gallery, report: Report, memory: CardMemory
) -> Cards:
    known = memory.drawn if memory.drawn_at == (str(cache), _mtime(cache)) else {}
    cards = Cards()
    default = site.settings.default_language
    missing: list[tuple[CardText, Fonts, Path]] = []
    seen: dict[Hashable, tuple[Path, str]] = {}
    lacking: dict[str, None] = {}  # characters drawn as boxes, in the order met
    boxed = 0  # cards with such characters
    for entry, lang, source, make in card_texts(site, gallery):
        hit = known.get(source)
        if hit is None:
            text, fonts = make(), fonts_for(lang)
            hit = (cache / f"{_key(text, fonts)}.png", missing_glyphs(text.all_text(), fonts))
            if not hit[0].is_file():
                missing.append((text, fonts, hit[0]))
        seen[source] = hit
        if hit[1]:
            boxed += 1
            lacking.update(dict.fromkeys(hit[1]))
        cards.copied[card_path(lang, default, entry)] = hit[0]
    if lacking:
        report.warning(FONT_WARNING_AT, _glyphs_warning("".join(lacking), boxed))
    _draw_all(missing)
    cards.made = len(missing)
    memory.drawn, memory.drawn_at = seen, (str(cache), _mtime(cache))
    return cards


def _glyphs_warning(characters: str, cards: int) -> str:
    """About the font, not a file: the characters it cannot draw, as written and by code
    point, so that they can be found whichever file holds them."""
    shown = ", ".join(f"`{c}` (U+{ord(c):04X})" for c in characters[:5])
    more = f" and {len(characters) - 5} more" if len(characters) > 5 else ""
    return (
        f"social cards: {cards} card(s) hold characters that their font, Noto Sans CJK, "
        f"has no glyph for: {shown}{more}; they show as boxes on those cards (the pages "
        "are not affected)"
    )


def _draw_one(job: tuple[CardText, Fonts, Path]) -> None:
    from chronicle.media.carddraw import card_png  # Pillow: only when a card is drawn

    text, fonts, path = job
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(card_png(text, fonts))
    # Read-only: the output holds a hard link to the cached card where it can (a second
    # name, no bytes copied), and a card edited there would change the cache too.
    temporary.chmod(READ_ONLY)
    temporary.replace(path)


def _draw_all(missing: list[tuple[CardText, Fonts, Path]]) -> None:
    """Draw the cards not in the cache, on every core when there are many (a cold build of
    a large site draws thousands, each costing about as much as a page)."""
    workers = min(os.cpu_count() or 1, 8)
    # Forking a process that runs other threads (the preview server's) can deadlock the
    # child on a lock one of them held: draw in this process then.
    if len(missing) < 50 or workers < 2 or threading.active_count() > 1:
        for job in missing:
            _draw_one(job)
        return
    import gc
    import multiprocessing  # for a cold build's many cards only

    context = multiprocessing.get_context("fork")
    # The workers' collections then leave the site's objects alone: they would otherwise
    # write to every page of memory that the fork shares, and copy it.
    gc.freeze()
    try:
        with context.Pool(workers) as pool:
            pool.map(_draw_one, missing, chunksize=32)
    finally:
        gc.unfreeze()


def _key(text: CardText, fonts: Fonts) -> str:
    """The card's cache name: what is drawn, how, and in which font, with no path of this
    machine in it, so that a cache carried to another machine (CI's) stays valid."""
    portrait = text.portrait.name if text.portrait else ""  # cached names carry their hash
    drawn = dataclasses.replace(text, portrait=None)
    recipe = repr((RECIPE, drawn, portrait, fonts, PIL.__version__))
    return hashlib.sha256(recipe.encode()).hexdigest()[:32]
