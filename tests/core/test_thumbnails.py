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
    assert sum(1 for _ in (tmp_path / "cache").rglob("*.jpg")) == 0
