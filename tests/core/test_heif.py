"""HEIC: read-only, but its metadata is read and Pillow can decode it for thumbnails/export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import editor.core  # noqa: F401  (registers the HEIC opener)
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


def test_heic_is_never_written_and_is_captioned_through_a_sidecar(tmp_path: Path) -> None:
    # Issue 14 changed this: HEIC was read-only; its captions now go to an XMP sidecar.
    path = _heic(tmp_path)
    record = read_photo(path)
    assert record.format == "HEIF"
    assert (record.width, record.height) == (64, 48)
    assert record.writable and record.metadata_store == "sidecar"
    assert record.sidecar == tmp_path / "phone.xmp"
    before = path.read_bytes()
    after = write_photo(path, record.metadata.replace(caption="x"), expected=record.stamp)
    assert path.read_bytes() == before
    assert after.metadata.caption == "x"
    assert (tmp_path / "phone.xmp").is_file()
    assert heif.SPEC.read_only_reason  # the file itself is still never written
