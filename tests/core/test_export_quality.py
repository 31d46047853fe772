"""The export's fast resize (libjpeg's scaled decode, then one bicubic step) keeps the quality of
a full-size Lanczos: close in PSNR on photo-like content, and no extra ringing at hard edges."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from editor.core.export import ExportItem, ExportOptions, PhotoExported, export_photos
from editor.core.export.images import PhotoJob, _decode, draft_jpeg, resize_for_output
from editor.core.model import PhotoMetadata

SOURCE = (2400, 1600)
LONG_EDGE = 800  # a shrink by 3: the decode is libjpeg's 3/8 scale (900 px), then bicubic


def _photo_like(size: tuple[int, int], seed: int = 7) -> Image.Image:
    """Soft gradients, cloud-like structure, fine grain and a few sharp-edged shapes."""
    rng = random.Random(seed)
    w, h = size
    channels = []
    for _ in range(3):
        grad = Image.linear_gradient("L").rotate(rng.randint(0, 359)).resize(size)
        clouds = Image.effect_noise((w // 100, h // 100), 60).resize(size, Image.Resampling.BICUBIC)
        detail = Image.effect_noise((w // 6, h // 6), 40).resize(size, Image.Resampling.BICUBIC)
        grain = Image.effect_noise(size, 12)
        mix = ImageChops.add(ImageChops.multiply(grad, clouds), detail, scale=1.6)
        channels.append(ImageChops.add(mix, grain, scale=1.3, offset=-40))
    image = Image.merge("RGB", channels)
    shapes = Image.new("L", size, 0)
    draw = ImageDraw.Draw(shapes)
    for _ in range(12):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randrange(40, 300)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=200)
    tint = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    return Image.composite(tint, image, shapes.filter(ImageFilter.GaussianBlur(1)))


def _edge_chart(size: tuple[int, int], dark: int, light: int) -> Image.Image:
    """Hard-edged bars and blocks, off the 8-pixel JPEG grid, and a diagonal edge."""
    w, h = size
    chart = Image.new("L", size, dark)
    draw = ImageDraw.Draw(chart)
    for x in range(101, w - 200, 333):
        draw.rectangle((x, 50, x + 150, h // 2), fill=light)
    for y in range(h // 2 + 77, h - 100, 211):
        draw.rectangle((60, y, w - 60, y + 90), fill=light)
    draw.polygon([(w - 700, h // 2 + 20), (w - 80, h // 2 + 20), (w - 80, h - 30)], fill=light)
    return chart.convert("RGB")


def _export_resize(source: Path) -> Image.Image:
    """The export's own decode and resize of ``source`` to LONG_EDGE (before encoding)."""
    options = ExportOptions(out_dir=source.parent, long_edge=LONG_EDGE)
    job = PhotoJob(0, source, PhotoMetadata(), "photo", "", options)
    im, _info, _orientation, sizes = _decode(job)
    return resize_for_output(im, sizes[0][1]).convert("RGB")


def _reference(source: Path, size: tuple[int, int]) -> Image.Image:
    """The slow, careful way: decode every pixel, then one Lanczos to the size."""
    with Image.open(source) as full:
        full.load()
        return full.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def _psnr(a: Image.Image, b: Image.Image) -> float:
    squared = ImageChops.difference(a, b).point(lambda v: v * v)
    mse = sum(ImageStat.Stat(squared).mean) / 3
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


def _sharpness(im: Image.Image) -> float:
    return float(ImageStat.Stat(im.convert("L").filter(ImageFilter.FIND_EDGES)).mean[0])


def test_the_fast_decode_path_is_taken_for_a_shrink_by_three(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    _photo_like(SOURCE).save(source, quality=95)
    with Image.open(source) as im:
        draft_jpeg(im, (LONG_EDGE, round(LONG_EDGE * SOURCE[1] / SOURCE[0])))
        im.load()
        assert im.size == (900, 600)  # 3/8 of 2400 x 1600 (Pillow's draft alone: 1/2)


def test_resize_is_within_40_db_of_a_full_lanczos(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    _photo_like(SOURCE).save(source, quality=95)
    ours = _export_resize(source)
    assert ours.size == (800, 533)
    reference = _reference(source, ours.size)
    assert _psnr(ours, reference) >= 40.0  # 45 dB here; Pillow's 1/2 draft + Lanczos: 44.6
    assert _sharpness(ours) >= 0.9 * _sharpness(reference)


def test_no_ringing_next_to_hard_edges(tmp_path: Path) -> None:
    dark, light = 64, 192  # mid-greys: overshoot is not hidden by clipping at 0 or 255
    source = tmp_path / "chart.jpg"
    _edge_chart(SOURCE, dark, light).save(source, quality=100, subsampling=0)
    ours = _export_resize(source).convert("L")
    reference = _reference(source, ours.size).convert("L")
    low, high = ours.getextrema()
    ref_low, ref_high = reference.getextrema()
    # A full Lanczos itself overshoots a hard edge (~18 levels of a 128 step here); the export
    # may not ring more than it, give or take 3 levels, nor blur the edges.
    assert high - light <= ref_high - light + 3
    assert dark - low <= dark - ref_low + 3
    assert _psnr(ours.convert("RGB"), reference.convert("RGB")) >= 40.0
    assert _sharpness(ours) >= 0.9 * _sharpness(reference)


def test_exported_file_matches_the_resize(tmp_path: Path) -> None:
    """The file the export writes is that resize, encoded (so the tests above test the export)."""
    source = tmp_path / "photo.jpg"
    _photo_like(SOURCE).save(source, quality=95)
    options = ExportOptions(out_dir=tmp_path / "out", long_edge=LONG_EDGE)
    events = list(export_photos([ExportItem(source, PhotoMetadata())], options))
    exported = [e for e in events if isinstance(e, PhotoExported)]
    assert len(exported) == 1, events
    with Image.open(tmp_path / "out" / exported[0].photo.outputs[0].name) as out:
        written = out.convert("RGB")
    assert written.size == (800, 533)
    encoded = tmp_path / "resize.jpg"
    _export_resize(source).save(encoded, quality=options.quality)
    with Image.open(encoded) as same:
        assert _psnr(written, same.convert("RGB")) >= 60.0  # the same pixels, the same encoder
