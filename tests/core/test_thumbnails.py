"""Thumbnails: the embedded fast path, draft decodes, orientation, the disk cache, clean errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from editor.core.errors import PhotoCaptionError
from editor.core.thumb_cache import ThumbCache
from editor.core.thumbnails import (
    ThumbnailError,
    decode_thumbnail,
    embedded_thumbnail,
    load_preview,
)

MakePhoto = Callable[..., Path]


def left_is_colored(image: Image.Image) -> bool:
    w, h = image.size
    left = image.convert("RGB").getpixel((w // 8, h // 2))
    right = image.convert("RGB").getpixel((w - w // 8, h // 2))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    return sum(left) < sum(right)


def test_embedded_thumbnail_is_fast_and_upright(make_photo: MakePhoto) -> None:
    path = make_photo("a.jpg", size=(1200, 800))
    thumb = embedded_thumbnail(path)
    assert thumb is not None
    assert thumb.size == (160, 107)
    assert left_is_colored(thumb)
    embedded_thumbnail(path)
    start = time.perf_counter()
    for _ in range(20):
        embedded_thumbnail(path)
    assert (time.perf_counter() - start) / 20 < 0.005


def test_orientation_6_is_applied_to_both_paths(make_photo: MakePhoto) -> None:
    # Stored landscape with the coloured half on the left; orientation 6 = rotate 90° clockwise,
    # so upright it is portrait with the coloured half on top.
    path = make_photo("r.jpg", size=(600, 400), orientation=6)
    for image in (embedded_thumbnail(path), decode_thumbnail(path, 300)):
        assert image is not None
        w, h = image.size
        assert h > w
        top = image.getpixel((w // 2, h // 8))
        bottom = image.getpixel((w // 2, h - h // 8))
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert sum(top) < sum(bottom)


def test_no_embedded_thumbnail_returns_none(make_photo: MakePhoto, tmp_path: Path) -> None:
    assert embedded_thumbnail(make_photo("n.jpg", thumbnail=False)) is None
    png = tmp_path / "p.png"
    Image.new("RGB", (50, 40)).save(png)
    assert embedded_thumbnail(png) is None
    assert decode_thumbnail(png, 32).size == (32, 26)


def test_decode_uses_requested_size(make_photo: MakePhoto) -> None:
    path = make_photo("big.jpg", size=(2400, 1600))
    image = decode_thumbnail(path, 300)
    assert max(image.size) == 300
    assert image.mode == "RGB"
    assert max(load_preview(path, 1000).size) == 1000


@pytest.mark.parametrize("content", [b"", b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00garbage", b"nope"])
def test_broken_files_raise_only_our_errors(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(content)
    assert embedded_thumbnail(path) is None
    with pytest.raises(ThumbnailError):
        decode_thumbnail(path, 100)


def test_truncated_jpeg_and_missing_file(make_photo: MakePhoto, tmp_path: Path) -> None:
    path = make_photo("t.jpg", size=(800, 600))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(PhotoCaptionError):
        decode_thumbnail(path, 100)
    with pytest.raises(PhotoCaptionError):
        decode_thumbnail(tmp_path / "missing.jpg", 100)
    with pytest.raises(PhotoCaptionError):
        embedded_thumbnail(tmp_path / "missing.jpg")


def test_disk_cache_keys_on_mtime_and_size(make_photo: MakePhoto, tmp_path: Path) -> None:
    import os

    cache = ThumbCache(tmp_path / "cache", max_bytes=10_000_000)
    path = make_photo("c.jpg")
    assert cache.get(path, 200) is None
    cache.put(path, 200, decode_thumbnail(path, 200))
    hit = cache.get(path, 200)
    assert hit is not None and max(hit.size) == 200
    assert cache.get(path, 300) is None
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache.get(path, 200) is None


def test_disk_cache_prunes_oldest(make_photo: MakePhoto, tmp_path: Path) -> None:
    cache = ThumbCache(tmp_path / "cache", max_bytes=1)
    paths = [make_photo(f"{i}.jpg") for i in range(3)]
    for p in paths:
        cache.put(p, 100, decode_thumbnail(p, 100))
    cache.prune()
    assert sum(1 for _ in (tmp_path / "cache").rglob("*.png")) == 0


def test_every_developer_sample_gives_a_thumbnail_or_a_clean_error(samples_dir: Path) -> None:
    decoded = 0
    for path in sorted(samples_dir.iterdir()):
        if path.suffix.lower() in (".md", ".xmp"):
            continue
        try:
            embedded_thumbnail(path)
            image = decode_thumbnail(path, 256)
        except PhotoCaptionError as err:
            assert str(err) and "\n" not in str(err)
            continue
        decoded += 1
        assert max(image.size) <= 256 and image.mode in ("RGB", "RGBA")
    assert decoded >= 10


def _jpeg(size: tuple[int, int], color: str) -> bytes:
    import io

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _with_mpf(main: bytes, preview: bytes) -> bytes:
    """``main`` with ``preview`` appended as its MPF large thumbnail, as cameras store one."""
    import struct

    # APP2 "MPF\0" + a little-endian TIFF index: version, two images, the MP entries.
    entries_at = 8 + 2 + 3 * 12 + 4
    ifd = struct.pack("<H", 3)
    ifd += struct.pack("<HHI4s", 0xB000, 7, 4, b"0100")
    ifd += struct.pack("<HHII", 0xB001, 4, 1, 2)
    ifd += struct.pack("<HHII", 0xB002, 7, 32, entries_at)
    ifd += struct.pack("<I", 0)
    tiff_len = 8 + len(ifd) + 32
    app2_len = 2 + 4 + tiff_len
    body_len = 2 + 2 + app2_len + len(main) - 2
    tiff_start = 2 + 2 + 2 + 4
    entries = struct.pack("<IIIHH", 0x20030000, body_len, 0, 0, 0)
    entries += struct.pack("<IIIHH", 0x00010001, len(preview), body_len - tiff_start, 0, 0)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + entries
    app2 = b"\xff\xe2" + struct.pack(">H", app2_len) + b"MPF\x00" + tiff
    return main[:2] + app2 + main[2:] + preview


def test_mpf_preview_is_used_when_there_is_no_exif_thumbnail(tmp_path: Path) -> None:
    main, preview = _jpeg((1200, 800), "navy"), _jpeg((640, 427), "orange")
    path = tmp_path / "mpf.jpg"
    path.write_bytes(_with_mpf(main, preview))
    thumb = embedded_thumbnail(path)
    assert thumb is not None and thumb.size == (640, 427)
    pixel = thumb.getpixel((10, 10))
    assert isinstance(pixel, tuple) and pixel[0] > 200  # the orange preview, not the navy photo


def test_sharp_decode_uses_a_large_enough_mpf_preview(tmp_path: Path) -> None:
    # The preview is orange, the photo navy: the colour tells which one was decoded.
    path = tmp_path / "mpf.jpg"
    path.write_bytes(_with_mpf(_jpeg((1200, 800), "navy"), _jpeg((900, 600), "orange")))
    image = decode_thumbnail(path, 300)
    assert image.size == (300, 200)
    pixel = image.getpixel((150, 100))
    assert isinstance(pixel, tuple) and pixel[0] > 200


def test_sharp_decode_ignores_a_small_or_misshapen_mpf_preview(tmp_path: Path) -> None:
    small = tmp_path / "small.jpg"
    small.write_bytes(_with_mpf(_jpeg((1200, 800), "navy"), _jpeg((200, 133), "orange")))
    square = tmp_path / "square.jpg"
    square.write_bytes(_with_mpf(_jpeg((1200, 800), "navy"), _jpeg((600, 600), "orange")))
    for path in (small, square):
        image = decode_thumbnail(path, 300)
        assert image.size == (300, 200)
        pixel = image.getpixel((150, 100))
        assert isinstance(pixel, tuple) and pixel[2] > 100 and pixel[0] < 60, path.name  # navy
