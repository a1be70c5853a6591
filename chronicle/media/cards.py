"""Social cards: a 1200×630 PNG per person and event, in every language, for `og:image`.

A card shows the name and role (or the event's date and title) and the site's title,
drawn with Pillow in a font that has the glyphs the text needs: Noto Sans CJK (Debian's
fonts-noto-cjk), found with fc-match or at its known path. Without it the cards fall back
to a Latin font, and the build warns if a card's text needs CJK glyphs.

Cards are cached like portraits (`<site>/.cache/cards/`), keyed by everything drawn.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import PIL

from chronicle.errors import Problem, Report
from chronicle.media.images import Gallery, cache_folder, hue_rgb, initials, monogram_hue
from chronicle.model import i18n
from chronicle.model.localize import localize, route
from chronicle.model.site import Site
from chronicle.reading.content import Entry, Event, Person

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: cached cards need none of it
    from PIL.Image import Image as PILImage
    from PIL.ImageDraw import ImageDraw as PILDraw
    from PIL.ImageFont import FreeTypeFont

RECIPE = "1"  # bump when the drawing changes
WIDTH, HEIGHT = 1200, 630
PAPER = (251, 250, 247)
INK = (29, 35, 43)
MUTED = (84, 93, 105)
ACCENT = (31, 79, 138)
LINE = (217, 212, 202)

# fonts-noto-cjk's collections hold one face per region; fc-match names the index, these
# are the fallbacks when fc-match itself is missing.
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
_CJK_REGION = {"ja": "JP", "ko": "KR", "zh-hans": "SC", "zh-cn": "SC", "zh-hk": "HK"}
_TTC_INDEX = {"JP": 0, "KR": 1, "SC": 2, "TC": 3, "HK": 4}
# Compiled when a card first needs it (by re's own cache): these ranges take 2 ms each to
# compile, which every build (most of them drawing no card) would pay on import.
CJK = r"[\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"


@dataclass(frozen=True)
class FontFace:
    path: str | None  # None: Pillow's own font
    index: int = 0


@dataclass(frozen=True)
class Fonts:
    regular: FontFace
    bold: FontFace
    covers_cjk: bool
    name: str  # for the warning

    def get(self, bold: bool, size: int) -> FreeTypeFont:
        return _load(self.bold if bold else self.regular, size)


@functools.lru_cache(maxsize=64)
def _load(face: FontFace, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    if face.path is None:
        return ImageFont.load_default(size)  # type: ignore[return-value]
    return ImageFont.truetype(
        face.path, size, index=face.index, layout_engine=ImageFont.Layout.BASIC
    )


@functools.lru_cache(maxsize=8)
def find_fonts(lang: str) -> Fonts:
    """Noto Sans CJK for the language's region, else a Latin sans-serif, else Pillow's."""
    region = _CJK_REGION.get(lang.lower(), "TC")
    family = f"Noto Sans CJK {region}"
    regular, bold = _fc_match(f"{family}:weight=regular"), _fc_match(f"{family}:weight=bold")
    if regular and bold and "CJK" in regular[1] and "CJK" in bold[1]:
        return Fonts(regular[0], bold[0], True, family)
    known = [NOTO_CJK / f"NotoSansCJK-{w}.ttc" for w in ("Regular", "Bold")]
    if all(p.is_file() for p in known):
        index = _TTC_INDEX[region]
        return Fonts(FontFace(str(known[0]), index), FontFace(str(known[1]), index), True, family)
    latin, latin_bold = _fc_match("sans-serif:weight=regular"), _fc_match("sans-serif:weight=bold")
    if latin and latin_bold:
        return Fonts(latin[0], latin_bold[0], False, latin[1])
    return Fonts(FontFace(None), FontFace(None), False, "Pillow's built-in font")


def _fc_match(pattern: str) -> tuple[FontFace, str] | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "--format=%{file}\t%{index}\t%{family}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.split("\t")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(found) < 3 or not found[0].endswith((".ttf", ".otf", ".ttc")):
        return None
    return FontFace(found[0], int(found[1] or 0)), found[2]


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

    def needs_cjk(self) -> bool:
        return bool(re.search(CJK, self.heading + self.detail + self.kicker + self.site_title))


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
        ", ".join(people),
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
    change; and each card by what it is drawn from, with whether its text lacks CJK
    glyphs, valid while the cache folder's mtime is `drawn_at`."""

    last: tuple[Hashable, Cards, list[Problem]] | None = None
    drawn: dict[Hashable, tuple[Path, bool]] = field(default_factory=dict)
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
    warned = False
    missing: list[tuple[CardText, Fonts, Path]] = []
    seen: dict[Hashable, tuple[Path, bool]] = {}
    for entry, lang, source, make in card_texts(site, gallery):
        hit = known.get(source)
        if hit is None:
            text, fonts = make(), find_fonts(lang)
            hit = (cache / f"{_key(text, fonts)}.png", not fonts.covers_cjk and text.needs_cjk())
            if not hit[0].is_file():
                missing.append((text, fonts, hit[0]))
        seen[source] = hit
        if hit[1] and not warned:
            warned = True
            report.warning(
                entry.location,
                f"social cards: no font with CJK glyphs found (apt-get install "
                f"fonts-noto-cjk); cards are drawn with {find_fonts(lang).name}, and their "
                "CJK text will show as boxes",
            )
        cards.copied[card_path(lang, default, entry)] = hit[0]
    _draw_all(missing)
    cards.made = len(missing)
    memory.drawn, memory.drawn_at = seen, (str(cache), _mtime(cache))
    return cards


def _draw_one(job: tuple[CardText, Fonts, Path]) -> None:
    text, fonts, path = job
    _save(draw_card(text, fonts), path)


def _draw_all(missing: list[tuple[CardText, Fonts, Path]]) -> None:
    """Draw the cards not in the cache, on every core when there are many (a cold build of
    a large site draws thousands, each far slower than a page)."""
    workers = min(os.cpu_count() or 1, 8)
    # Forking a process that runs other threads (the preview server's) can deadlock the
    # child on a lock one of them held: draw in this process then.
    if len(missing) < 50 or workers < 2 or threading.active_count() > 1:
        for job in missing:
            _draw_one(job)
        return
    import multiprocessing  # for a cold build's many cards only

    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pool.map(_draw_one, missing, chunksize=32)


def _key(text: CardText, fonts: Fonts) -> str:
    portrait = text.portrait.name if text.portrait else ""  # cached names carry their hash
    recipe = repr((RECIPE, text, portrait, fonts, PIL.__version__))
    return hashlib.sha256(recipe.encode()).hexdigest()[:32]


def _save(image: PILImage, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    image.save(temporary, "PNG")
    temporary.replace(path)


# -- drawing -------------------------------------------------------------------------


def draw_card(text: CardText, fonts: Fonts) -> PILImage:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    colour = hue_rgb(text.hue)
    draw.rectangle((0, 0, 24, HEIGHT), fill=colour)
    left = 110
    if text.kind == "people":
        _avatar(image, text, fonts, (left, 165), 300)
        left = 470
    else:
        # The site's timeline, in miniature: a rule with a marker at the event.
        draw.line((130, 0, 130, HEIGHT), fill=LINE, width=6)
        draw.ellipse((112, 150, 148, 186), fill=colour, outline=PAPER, width=6)
        left = 200
    width = WIDTH - left - 90
    y = 130
    if text.kicker:
        y = _paragraph(draw, text.kicker, fonts.get(False, 38), ACCENT, left, y, width, 1) + 18
    size = 68 if text.kind == "people" else 60
    y = _paragraph(draw, text.heading, fonts.get(True, size), INK, left, y, width, 3) + 18
    if text.detail:
        _paragraph(draw, text.detail, fonts.get(False, 36), MUTED, left, y, width, 3)
    draw.line((left, HEIGHT - 120, WIDTH - 90, HEIGHT - 120), fill=LINE, width=3)
    _paragraph(draw, text.site_title, fonts.get(True, 30), ACCENT, left, HEIGHT - 98, width, 1)
    return image


def _avatar(image: PILImage, text: CardText, fonts: Fonts, at: tuple[int, int], size: int) -> None:
    from PIL import Image, ImageDraw

    mask = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size * 2 - 1, size * 2 - 1), fill=255)
    mask = mask.resize((size, size), Image.Resampling.LANCZOS)  # smooth edge
    if text.portrait is not None:
        with Image.open(text.portrait) as opened:
            face = opened.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
    else:
        face = Image.new("RGB", (size, size), hue_rgb(text.hue))
        draw = ImageDraw.Draw(face)
        font = fonts.get(True, size // 3 if len(text.monogram) > 1 else size * 2 // 5)
        draw.text((size / 2, size / 2), text.monogram, font=font, fill="white", anchor="mm")
    image.paste(face, at, mask)


def _paragraph(
    draw: PILDraw,
    text: str,
    font: FreeTypeFont,
    fill: tuple[int, int, int],
    x: int,
    y: int,
    width: int,
    max_lines: int,
) -> int:
    """Draws wrapped text; returns the y below it."""
    line_height = round(font.size * 1.25)
    for line in wrap(text, font, width, max_lines):
        draw.text((x, y), line, font=font, fill=fill)
        y += line_height
    return y


_TOKENS = rf"{CJK}|[^\s\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af]+|\s+"


def wrap(text: str, font: FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Lines that fit `width`: Latin text breaks between words, CJK between characters;
    text beyond `max_lines` is cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    for token in re.findall(_TOKENS, " ".join(text.split())):
        candidate = current + token
        if current and font.getlength(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines
