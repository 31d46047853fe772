"""Shrinking an image to an output size without a second full-size copy of a huge one.

Pillow resizes an image with alpha by first converting all of it to premultiplied alpha: for a
9,000 x 9,000 PNG that is a second 324 MB image. Above ``BANDED_PIXELS`` the output is made a
band of rows at a time instead: each band of the source, with enough rows around it for the
Lanczos filter to see everything it would see in the whole image, is resized on its own, so
only one band is ever copied.
"""

from __future__ import annotations

import math

from PIL import Image

BANDED_PIXELS = 40_000_000
BAND_ROWS = 1024  # source rows per band (plus the filter's margin)
LANCZOS_SUPPORT = 3.0  # Pillow's Lanczos reaches 3 source pixels per output pixel step


def resize_in_bands(
    im: Image.Image, size: tuple[int, int], band_rows: int = BAND_ROWS
) -> Image.Image:
    """Lanczos to ``size``, across then down, one band of rows at a time.

    Equal (to rounding of the filter's positions) to resizing the whole image across and then
    down, in premultiplied alpha when it has alpha, as Pillow does.
    """
    width, height = size
    premultiplied = {"RGBA": "RGBa", "LA": "La"}.get(im.mode)
    scale = im.height / height
    margin = math.ceil(LANCZOS_SUPPORT * max(scale, 1.0)) + 2
    out_rows = max(1, int(band_rows / scale))
    out = Image.new(premultiplied or im.mode, size)
    for first in range(0, height, out_rows):
        last = min(height, first + out_rows)
        y0, y1 = first * scale, last * scale  # the source rows under output rows first..last
        top = max(0, math.floor(y0) - margin)
        bottom = min(im.height, math.ceil(y1) + margin)
        band = im.crop((0, top, im.width, bottom))
        if premultiplied:
            band = band.convert(premultiplied)
        across = band.resize((width, band.height), Image.Resampling.LANCZOS)
        down = across.resize(
            (width, last - first), Image.Resampling.LANCZOS, box=(0, y0 - top, width, y1 - top)
        )
        out.paste(down, (0, first))
        del band, across, down
    return out.convert(im.mode) if premultiplied else out


def shrink(
    im: Image.Image,
    size: tuple[int, int],
    resample: Image.Resampling = Image.Resampling.LANCZOS,
    reducing_gap: float | None = None,
) -> Image.Image:
    """``im`` resized to ``size`` with ``resample`` (and Pillow's integer ``reduce`` first when
    ``reducing_gap`` is given and the shrink is that many times larger); huge images band by
    band, with Lanczos."""
    if im.size == size:
        return im
    if im.width * im.height <= BANDED_PIXELS or size[1] >= im.height:
        return im.resize(size, resample, reducing_gap=reducing_gap)
    return resize_in_bands(im, size)
