"""HEIC: read-only, but its metadata is read and Pillow can decode it for thumbnails/export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import editor.core  # noqa: F401  (registers the HEIC opener)
from editor.core.errors import UnsafeWriteError
from editor.core.formats import heif
from editor.core.metadata import read_photo, write_photo

pillow_heif = pytest.importorskip("pillow_heif")


def _heic(tmp_path: Path) -> Path:
    buf = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (200, 30, 30))).save(buf, quality=90)
    path = tmp_path / "phone.heic"
    path.write_bytes(buf.getvalue())
    return path


def test_core_import_lets_pillow_decode_heic(tmp_path: Path) -> None:
    with Image.open(_heic(tmp_path)) as img:
        assert img.size == (64, 48)
        assert img.convert("RGB").getpixel((10, 10))[0] > 150


def test_heic_reads_as_read_only_with_reason_and_is_never_written(tmp_path: Path) -> None:
    path = _heic(tmp_path)
    record = read_photo(path)
    assert record.format == "HEIF"
    assert (record.width, record.height) == (64, 48)
    assert not record.writable and record.read_only_reason == heif.READ_ONLY_REASON
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError):
        write_photo(path, record.metadata.replace(caption="x"))
    assert path.read_bytes() == before
