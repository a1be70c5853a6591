"""Portraits are resized at build time into WebP and a fallback for `srcset`, cached between
builds; a person without a photo gets a monogram of their own colour."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from chronicle.media.images import hue_rgb, initials, monogram_colour, monogram_svg
from tests.conftest import besides_authoring

PHOTO_PERSON = "---\nname: Ada Lovelace\nrole: Analyst\nphoto: portraits/ada.jpg\n---\nBio.\n"


def jpeg(width: int, height: int, colour: str = "#884422") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo_site(make_site):
    site = make_site({"content/people/ada.md": PHOTO_PERSON})
    (site.root / "content/media/portraits").mkdir(parents=True)
    (site.root / "content/media/portraits/ada.jpg").write_bytes(jpeg(900, 700))
    return site


def srcsets(page: str) -> dict[str, list[tuple[str, int]]]:
    """Each <source>/<img> srcset of the profile portrait, by type."""
    picture = re.search(r'<div class="portrait"><picture.*?</picture>', page, re.S)
    assert picture, "the profile shows its portrait as a <picture>"
    found = {}
    for tag in re.findall(r"<(?:source|img)[^>]*>", picture.group(0)):
        kind = re.search(r'type="([^"]+)"', tag)
        srcset = re.search(r'srcset="([^"]+)"', tag).group(1)
        found[kind.group(1) if kind else "fallback"] = [
            (url, int(width.rstrip("w")))
            for url, width in (item.split() for item in srcset.split(", "))
        ]
    return found


def test_a_portrait_is_resized_into_webp_and_jpeg_sizes_for_srcset(photo_site):
    photo_site.build()
    page = photo_site.page("people/ada/index.html")
    sets = srcsets(page)
    assert [w for _u, w in sets["image/webp"]] == [64, 128, 256, 512]
    assert [w for _u, w in sets["fallback"]] == [64, 128, 256, 512]
    for kind, candidates in sets.items():
        for url, width in candidates:
            assert re.fullmatch(r"/media/portraits/ada-\d+\.[0-9a-f]{10}\.(webp|jpg)", url)
            with Image.open(photo_site.out / url.lstrip("/")) as image:
                assert image.size == (width, width), "cropped square, at its width"
                assert image.format == ("WEBP" if kind == "image/webp" else "JPEG")
    # The image is sized by its attributes, so nothing moves while it loads.
    img = re.search(r'<div class="portrait"><picture.*?<img([^>]*)>', page, re.S).group(1)
    assert 'width="176" height="176"' in img and 'alt="Ada Lovelace"' in img
    assert "loading=" not in img, "the portrait is the first thing seen: not lazy"
    assert (photo_site.out / "media/portraits/ada.jpg").is_file(), "the original stays"


def test_a_small_photo_is_never_enlarged(make_site):
    site = make_site({"content/people/ada.md": PHOTO_PERSON})
    (site.root / "content/media/portraits").mkdir(parents=True)
    (site.root / "content/media/portraits/ada.jpg").write_bytes(jpeg(100, 150))
    site.build()
    widths = [w for _u, w in srcsets(site.page("people/ada/index.html"))["fallback"]]
    assert widths == [64]


def test_a_photo_with_transparency_falls_back_to_png(make_site):
    site = make_site({"content/people/ada.md": PHOTO_PERSON.replace("ada.jpg", "ada.png")})
    (site.root / "content/media/portraits").mkdir(parents=True)
    Image.new("RGBA", (300, 300), (10, 20, 30, 0)).save(
        site.root / "content/media/portraits/ada.png"
    )
    site.build()
    fallback = srcsets(site.page("people/ada/index.html"))["fallback"]
    assert all(url.endswith(".png") for url, _w in fallback)


def test_variants_are_cached_between_builds_and_made_again_when_the_photo_changes(photo_site):
    first = photo_site.build()
    assert first.images_made > 0
    cached = sorted((photo_site.root / ".cache/images").iterdir())
    assert len(cached) == 8  # four sizes, two formats
    again = photo_site.build()
    assert again.images_made == 0, "nothing changed: nothing is resized or drawn"
    before = srcsets(photo_site.page("people/ada/index.html"))
    (photo_site.root / "content/media/portraits/ada.jpg").write_bytes(jpeg(900, 700, "#224488"))
    changed = photo_site.build()
    assert changed.images_made >= 8
    after = srcsets(photo_site.page("people/ada/index.html"))
    assert before["image/webp"][0][0] != after["image/webp"][0][0], "a new photo, a new name"


def test_an_unreadable_photo_is_a_warning_and_is_shown_as_it_is(make_site):
    site = make_site({"content/people/ada.md": PHOTO_PERSON})
    (site.root / "content/media/portraits").mkdir(parents=True)
    (site.root / "content/media/portraits/ada.jpg").write_text("not a picture")
    result = site.build()
    warnings = besides_authoring(result, site.root)
    assert len(warnings) == 1
    assert warnings[0].startswith("content/people/ada.md:4:8: warning: `photo`: `portraits/")
    page = site.page("people/ada/index.html")
    assert '<img src="/media/portraits/ada.jpg" width="176" height="176"' in page


def test_a_person_without_a_photo_gets_the_same_monogram_in_every_build(make_site):
    site = make_site()
    site.build()
    first = site.page("people/charles/index.html")
    site.build()
    assert site.page("people/charles/index.html") == first
    svg = re.search(r'<div class="portrait">(<svg.*?</svg>)', first).group(1)
    assert 'aria-hidden="true"' in svg, "decorative: the name is written beside it"
    assert ">CB</text>" in svg and f'fill="{monogram_colour("charles")}"' in svg


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Ada Lovelace", "AL"),
        ("Charles Babbage", "CB"),
        ("Cher", "C"),
        ("ada king-noel", "AN"),
        ("伊戈爾·巴布什金", "伊"),
        ("  ", "?"),
    ],
)
def test_initials(name, letters):
    assert initials(name) == letters


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_white_initials_keep_aa_contrast_on_every_monogram_colour():
    worst = min((1.05 / (luminance(hue_rgb(h)) + 0.05), h) for h in range(360))
    assert worst[0] >= 4.5, worst


def test_a_monogram_escapes_the_name():
    assert "&lt;" in monogram_svg("<b>", "x", 24)
