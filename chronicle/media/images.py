"""Images made at build time: portraits resized and re-encoded (WebP with a JPEG or PNG
fallback) for `srcset`, and monogram avatars for people without a photo.

Resizing is slow next to rendering, so every variant is kept in a cache folder
(`<site>/.cache/images/`) under a key made of the source's hash and the variant's
recipe. A build where no photo changed only hashes the sources (each source once per
process while its file is unchanged) and finds every variant already made.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import html
import os
import re
import tempfile
import time
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import PIL
from markupsafe import Markup

from chronicle.errors import Hint, Location, Report
from chronicle.model.site import Site

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# Pillow is imported where an image is opened: most builds find every variant in the cache,
# and the command line should not pay for loading Pillow then.

# Bump when the recipe below changes, so that cached variants are made again.
RECIPE = "1"
# Portraits are shown square: 28 px avatars on the timeline, 64 px on cards, 176 px on a
# profile; each at up to twice that for dense screens.
WIDTHS = (64, 128, 256, 512)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
# Formats Pillow cannot or should not resize: used as they are.
AS_IS = {".svg", ".gif"}
# Monogram backgrounds: any hue at this lightness keeps white initials above 4.5:1.
MONOGRAM_LIGHTNESS = 0.30
MONOGRAM_SATURATION = 0.55


@dataclass(frozen=True)
class Candidate:
    path: str  # site path, e.g. "/media/portraits/ada-128.1a2b3c4d5e.webp"
    width: int


@dataclass(frozen=True)
class Picture:
    """A photo ready for `<picture>`: the fallback `<img>` and one srcset per type."""

    src: str  # site path of the fallback image
    width: int  # of the largest variant (square); 0 when the size is unknown
    fallback: tuple[Candidate, ...] = ()
    webp: tuple[Candidate, ...] = ()
    square_source: Path | None = None  # the largest square variant, for social cards

    def srcset(self, kind: str = "fallback") -> list[Candidate]:
        return list(self.webp if kind == "webp" else self.fallback)


@dataclass
class Gallery:
    """Every processed image of a build: pictures by media path, and the files to copy."""

    pictures: dict[str, Picture] = field(default_factory=dict)  # "portraits/ada.jpg" -> ...
    copied: dict[str, Path] = field(default_factory=dict)  # output path -> cached file
    made: int = 0  # variants made in this run; the others came from the cache

    def picture(self, photo: str | None) -> Picture | None:
        return self.pictures.get(photo) if photo else None

    def digest(self) -> str:
        """Changes whenever any page's image references would: for the render cache."""
        text = repr(sorted((k, v.src, v.fallback, v.webp) for k, v in self.pictures.items()))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def user_cache_folder() -> Path:
    """This user's own cache of chronicle (`$XDG_CACHE_HOME/chronicle`, by default
    `~/.cache/chronicle`): for what must not come with a site's files."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "chronicle"


def cache_folder(site_root: Path) -> Path:
    """The site's `.cache/` (git-ignored), or a folder in /tmp where it cannot be written."""
    folder = site_root / ".cache"
    try:
        folder.mkdir(exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / "chronicle-cache"


PRUNED_FOLDERS = ("images", "cards")  # files named by their content: safe to make again
PRUNE_AFTER_DAYS = 14


def prune_cache(site_root: Path, used: Iterable[Path], now: float | None = None) -> int:
    """Remove the cached image variants and cards that this build did not use and that are
    older than PRUNE_AFTER_DAYS (each edit of a name or a photo leaves one behind); returns
    how many. Another output built from the same site may still want one: it is then made
    again, which costs time, not correctness."""
    keep = {str(path) for path in used}
    limit = (now if now is not None else time.time()) - PRUNE_AFTER_DAYS * 86400
    removed = 0
    for name in PRUNED_FOLDERS:
        try:
            entries = list(os.scandir(cache_folder(site_root) / name))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.path in keep or not entry.is_file(follow_symlinks=False):
                    continue
                if entry.stat(follow_symlinks=False).st_mtime < limit:
                    Path(entry.path).unlink()
                    removed += 1
            except OSError:
                continue  # gone already, or not ours to remove: leave it
    return removed


MAX_PIXELS = 40_000_000  # decoding costs about 4 bytes a pixel, several times over


class TooManyPixelsError(ValueError):
    """An image over the pixel budget; `size` is (width, height) from its header, or None
    for one so large that Pillow refuses to open it at all (over twice its own limit)."""

    def __init__(self, size: tuple[int, int] | None) -> None:
        super().__init__(f"{size[0]}×{size[1]} pixels" if size else "too many pixels")
        self.size = size


def process_portraits(
    site: Site, site_root: Path, report: Report, memory: ImageMemory | None = None
) -> Gallery:
    """Every person's photo in its sizes and formats; unreadable photos are used as they are.
    `memory` spares reading unchanged photos again."""
    gallery = Gallery()
    memory = memory if memory is not None else ImageMemory()
    cache = cache_folder(site_root) / "images"
    media = site_root / "content" / "media"
    for person in site.people.values():
        photo = person.photo
        if not photo or photo in gallery.pictures:
            continue
        location = person.photo_at or person.location
        gallery.pictures[photo] = _portrait(
            photo, media / photo, cache, gallery, report, location, memory
        )
    return gallery


def _portrait(
    photo: str,
    source: Path,
    cache: Path,
    gallery: Gallery,
    report: Report,
    location: Location,
    memory: ImageMemory,
) -> Picture:
    as_is = Picture(src="/media/" + photo, width=0)
    if PurePosixPath(photo).suffix.lower() in AS_IS:
        return as_is
    from PIL import Image

    digest = memory.digest(source)
    try:
        variants = _variants(source, digest, cache, gallery, memory)
    except TooManyPixelsError as exc:  # refused from its header, before it is decoded
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000  # Pillow opens no more
        size = f"{exc.size[0]}×{exc.size[1]} pixels" if exc.size else f"over {limit} megapixels"
        report.error(
            location,
            f"`photo`: `{photo}` is {size}, over the budget of "
            f"{MAX_PIXELS // 1_000_000} megapixels that keeps a build's memory bounded: "
            "scale it down (a portrait needs no more than 2000 pixels a side)",
            Hint("media"),
        )
        return as_is
    except (OSError, ValueError, Image.DecompressionBombError) as exc:  # unreadable image
        report.warning(
            location,
            f"`photo`: `{photo}` could not be read as an image ({exc}); it is shown as it "
            "is, without smaller sizes",
            Hint("media"),
        )
        return as_is
    fallback: list[Candidate] = []
    webp: list[Candidate] = []
    stem = PurePosixPath(photo).with_suffix("")
    for width, fmt, key, path in variants:
        out = f"media/{stem}-{width}.{key[:10]}.{_EXTENSIONS[fmt]}"
        gallery.copied[out] = path
        (webp if fmt == "WEBP" else fallback).append(Candidate("/" + out, width))
    largest = max(variants, key=lambda v: (v[0], v[1] != "WEBP"))
    return Picture(
        src=fallback[-1].path,
        width=largest[0],
        fallback=tuple(fallback),
        webp=tuple(webp),
        square_source=largest[3],
    )


_EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}


def _variants(
    source: Path, digest: str, cache: Path, gallery: Gallery, memory: ImageMemory
) -> list[tuple[int, str, str, Path]]:
    """(width, format, key, cached file) of every variant, making the missing ones."""
    from PIL import Image

    image: PILImage | None = None
    size, fallback = memory.source_facts(source, digest)
    widths = [w for w in WIDTHS if w <= size] or [size]
    found: list[tuple[int, str, str, Path]] = []
    for width in widths:
        for fmt in ("WEBP", fallback):
            key = _key(digest, f"{width}-{fmt}")
            path = cache / f"{key}.{_EXTENSIONS[fmt]}"
            if not path.is_file():
                if image is None:
                    image = _open_square(source)
                _save(image.resize((width, width), Image.Resampling.LANCZOS), fmt, path)
                gallery.made += 1
            found.append((width, fmt, key, path))
    return found


def _open_square(source: Path) -> PILImage:
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        opened.load()
        image = ImageOps.exif_transpose(opened)
    side = min(image.size)
    mode = "RGBA" if _has_alpha(image) else "RGB"
    return ImageOps.fit(image.convert(mode), (side, side), Image.Resampling.LANCZOS)


def _has_alpha(image: PILImage) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _save(image: PILImage, fmt: str, path: Path) -> None:
    """Written beside its final name and renamed: a killed build leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    options: dict[str, object] = {}
    if fmt == "WEBP":
        options = {"quality": WEBP_QUALITY, "method": 4}
    elif fmt == "JPEG":
        options = {"quality": JPEG_QUALITY, "progressive": True, "optimize": True}
    else:
        options = {"optimize": True}
    image.save(temporary, fmt, **options)  # no EXIF or other metadata is carried over
    temporary.replace(path)


# -- what a source is, remembered while its file is unchanged ------------------------


@dataclass
class ImageMemory:
    """What the images of one build leave for the next (incremental.memory): each source
    file's hash while the file is unchanged, and what its header says, by hash."""

    digests: dict[tuple[str, int, int, int], str] = field(default_factory=dict)
    facts: dict[str, tuple[int, str]] = field(default_factory=dict)  # square side, fallback

    def digest(self, path: Path) -> str:
        """The file's content hash, read once for each version of the file."""
        stat = path.stat()
        signature = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
        known = self.digests.get(signature)
        if known is None:
            known = self.digests[signature] = hashlib.sha256(path.read_bytes()).hexdigest()
        return known

    def source_facts(self, source: Path, digest: str) -> tuple[int, str]:
        """The square side a photo allows and its fallback format, from its header only."""
        known = self.facts.get(digest)
        if known is None:
            from PIL import Image

            # Pillow's own warning, for sizes our lower budget refuses anyway, is not ours
            # to print: the error below names the photo.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                try:
                    opened = Image.open(source)  # reads the header only
                except Image.DecompressionBombError:
                    raise TooManyPixelsError(None) from None
                with opened as image:
                    if image.width * image.height > MAX_PIXELS:
                        raise TooManyPixelsError(image.size)
                    side = min(image.size)
                    fmt = "PNG" if _has_alpha(image) else "JPEG"
            known = self.facts[digest] = (side, fmt)
        return known


def _key(digest: str, variant: str) -> str:
    recipe = f"{digest}:{variant}:{RECIPE}:{PIL.__version__}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:32]


# -- monograms -----------------------------------------------------------------------

_WORDS = re.compile(r"[\s·・,()（）\-]+")


def initials(name: str) -> str:
    """Up to two letters for a monogram: first and last word's initials ("Ada Lovelace" ->
    "AL"); a name written in CJK without spaces gives its first character."""
    words = [w for w in _WORDS.split(name.strip()) if w]
    if not words:
        return "?"
    first = words[0][0]
    if _is_wide(first):
        return first
    letters = first + (words[-1][0] if len(words) > 1 and not _is_wide(words[-1][0]) else "")
    return letters.upper()


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def monogram_hue(slug: str) -> int:
    return int(hashlib.sha256(slug.encode()).hexdigest()[:4], 16) % 360


def monogram_colour(slug: str) -> str:
    """A colour fixed by the slug. White text on it has at least 4.5:1 contrast: the hue
    varies, the lightness stays dark enough (checked for every hue by the tests)."""
    return "#{:02x}{:02x}{:02x}".format(*monogram_rgb(slug))


def monogram_rgb(slug: str) -> tuple[int, int, int]:
    return hue_rgb(monogram_hue(slug))


def hue_rgb(hue: int, lightness: float = MONOGRAM_LIGHTNESS) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, MONOGRAM_SATURATION)
    return (round(red * 255), round(green * 255), round(blue * 255))


@functools.lru_cache(maxsize=8192)  # the same avatars appear on many pages of a build
def monogram_svg(name: str, slug: str, size: int, *, square: bool = False) -> Markup:
    """An inline SVG avatar with the initials on a colour of the slug's own.

    Decorative: the name is always written next to it, so it is hidden from screen readers.
    """
    letters = html.escape(initials(name))
    shape = '<rect width="40" height="40" rx="8"' if square else '<circle cx="20" cy="20" r="20"'
    font_size = 15 if len(letters) > 1 else 18
    return Markup(
        f'<svg class="monogram{" square" if square else ""}" width="{size}" height="{size}" '
        f'viewBox="0 0 40 40" '
        f'aria-hidden="true" focusable="false">'
        f'{shape} fill="{monogram_colour(slug)}"/>'
        f'<text x="20" y="20" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="system-ui,sans-serif" font-size="{font_size}" font-weight="600">'
        f"{letters}</text></svg>"
    )
