"""Huge images are shrunk band by band: the pixels of one whole-image Lanczos, one band's memory."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageChops

from editor.core import shrink
from editor.core.shrink import resize_in_bands

LANCZOS = Image.Resampling.LANCZOS


def _noise(mode: str, size: tuple[int, int]) -> Image.Image:
    rnd = random.Random(hash(mode) & 0xFFFF)
    return Image.frombytes(mode, size, rnd.randbytes(size[0] * size[1] * len(mode)))


def _max_difference(a: Image.Image, b: Image.Image) -> int:
    extrema = ImageChops.difference(a, b).getextrema()
    if isinstance(extrema[0], tuple):
        return max(high for _low, high in extrema)  # type: ignore[misc]
    return int(extrema[1])  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["RGB", "L"])
@pytest.mark.parametrize("width", [1600, 533, 100, 2002])
def test_bands_give_the_pixels_of_one_whole_image_resize(mode: str, width: int) -> None:
    im = _noise(mode, (2003, 3001))  # odd sizes, noise: any misplaced row or column shows
    size = (width, round(3001 * width / 2003))
    # Band edges fall at fractional source rows; rounding the filter's positions may move a
    # value by one level, never more.
    assert _max_difference(resize_in_bands(im, size, band_rows=256), im.resize(size, LANCZOS)) <= 1


def test_alpha_is_resized_premultiplied_as_pillow_does() -> None:
    im = _noise("RGB", (1201, 1799)).convert("RGBA")
    im.paste(Image.new("RGBA", (600, 700), (255, 0, 0, 0)), (300, 500))  # transparent red
    size = (400, 599)
    banded, whole = resize_in_bands(im, size, band_rows=200), im.resize(size, LANCZOS)
    assert _max_difference(banded.getchannel("A"), whole.getchannel("A")) <= 1
    # Where the result is opaque the colours agree; a straight (not premultiplied) resize
    # would bleed the hidden red into the edge of the hole.
    opaque = whole.getchannel("A").point(lambda a: 255 if a == 255 else 0)
    colour = ImageChops.difference(banded.convert("RGB"), whole.convert("RGB"))
    assert _max_difference(Image.composite(colour, Image.new("RGB", size), opaque),
                           Image.new("RGB", size)) <= 1


def test_small_images_take_pillows_own_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(shrink, "resize_in_bands", lambda im, size: calls.append(size) or im)
    small = Image.new("RGB", (4000, 3000))
    assert shrink.shrink(small, (1600, 1200)).size == (1600, 1200) and not calls
    monkeypatch.setattr(shrink, "BANDED_PIXELS", 1_000_000)
    shrink.shrink(small, (1600, 1200))
    assert calls == [(1600, 1200)]
    assert shrink.shrink(small, (4000, 3000)) is small  # nothing to do, nothing copied
