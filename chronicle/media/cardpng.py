"""A card as PNG bytes, with most of its compression done once per build.

A card in palette indices differs from its template (carddraw.template) only in a band of
rows: those of its text and avatar. The PNG is written by hand (IHDR, PLTE, IDAT): each row
is a scanline with filter 0, the rows above and below the band come from the template and
are deflated once, and only the band is deflated per card. The three deflate streams are
joined into one zlib stream: the first two end on a full flush (a byte-aligned, non-final
block that needs nothing before it), the last one finishes it, and the Adler-32 checksum is
chained over all the rows.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 1  # zlib's quickest level: a card in indices is mostly runs of the paper's index
ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KiB window, fastest (the header check bits hold)


def chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(tag))
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def _deflate(data: bytes, final: bool) -> bytes:
    # Runs only (distance 1): a row of indices is long runs of one index; a little quicker
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def rows(image: PILImage, top: int, bottom: int) -> bytes:
    return image.crop((0, top, image.width, bottom)).tobytes()


# By the template's identity (an image compares by its pixels, and has no hash); each entry
# keeps its template, so that the identity is not taken by another image meanwhile.
_ENDS: dict[tuple[int, int, int], tuple[PILImage, bytes, int, bytes, bytes]] = {}


def _ends(template: PILImage, top: int, bottom: int) -> tuple[bytes, int, bytes, bytes]:
    """The template's rows above `top` and from `bottom` on, deflated (once per build)."""
    key = (id(template), top, bottom)
    if key not in _ENDS:
        if len(_ENDS) >= 256:
            _ENDS.clear()
        head, tail = rows(template, 0, top), rows(template, bottom, template.height)
        _ENDS[key] = (
            template,
            _deflate(head, False),
            zlib.adler32(head),
            _deflate(tail, True),
            tail,
        )
    return _ENDS[key][1:]


def banded_png(
    middle: bytes, template: PILImage, band: tuple[int, int], palette: list[int]
) -> bytes:
    """The PNG of a copy of `template` whose rows in `band` are `middle`. The template has
    a first column of zeros: each row of indices is a scanline with its filter byte."""
    top, bottom = band
    head, checksum, tail, tail_rows = _ends(template, top, bottom)
    checksum = zlib.adler32(tail_rows, zlib.adler32(middle, checksum))
    data = ZLIB_HEADER + head + _deflate(middle, False) + tail + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", template.width - 1, template.height, 8, 3, 0, 0, 0)
    return (
        SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", bytes(palette))
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def plain_png(image: PILImage) -> bytes:
    """Any image as a PNG, with zlib's quickest level (a portrait card, in true colour)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=LEVEL)
    return buffer.getvalue()
