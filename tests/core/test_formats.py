"""The format registry, and container-level layouts that real writers produce (stray bytes)."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from editor.core import formats, scan
from editor.core.errors import UnsafeWriteError
from editor.core.formats import heif, jpeg, png, raw, tiff, webp
from editor.core.metadata import read_photo, write_photo
from tests.core.conftest import camera_jpeg, exiftool_json, needs_exiftool

EXIV2 = shutil.which("exiv2")


def test_every_module_registers_one_spec_and_extensions_come_from_it() -> None:
    assert formats.REGISTRY == (jpeg.SPEC, png.SPEC, webp.SPEC, raw.SPEC, tiff.SPEC, heif.SPEC)
    assert {
        ".jpg", ".jpeg", ".jpe", ".jfif", ".mpo", ".png", ".webp", ".tif", ".tiff", ".heic",
        ".heif", ".avif",
    } | raw.RAW_EXTENSIONS == formats.SUPPORTED_EXTENSIONS  # fmt: skip
    assert scan.is_supported_image("a/B.JPG") and not scan.is_supported_image("a/b.txt")
    assert set(formats.MODULES) == {"JPEG", "PNG", "WEBP", "TIFF"}  # HEIF is read-only


def test_sniff_by_magic_and_specs_declare_what_they_hold() -> None:
    assert formats.sniff(camera_jpeg()) == "JPEG"
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    assert formats.spec_for(buf.getvalue()) is png.SPEC
    assert formats.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WEBP"
    assert formats.sniff(b"\x00\x00\x00\x18ftypheic") == "HEIF"
    assert formats.sniff(b"GIF89a") is None
    assert jpeg.SPEC.metadata_at_head and not png.SPEC.metadata_at_head
    assert jpeg.SPEC.over_limit("EXIF", b"x" * 70000)
    assert not jpeg.SPEC.over_limit("XMP", b"x" * 70000)  # split into Extended XMP
    assert not png.SPEC.over_limit("EXIF", b"x" * 70000)
    assert "IIM" in jpeg.SPEC.stores and "IIM" not in webp.SPEC.stores
    assert not heif.SPEC.writable and heif.SPEC.read_only_reason
    assert not jpeg.SPEC.is_complete(camera_jpeg()[:-200])


def test_metadata_does_not_test_format_names() -> None:
    source = Path("editor/core/metadata.py").read_text()
    for name in ('"JPEG"', '"HEIF"', '"PNG"', '"TIFF"', '"WEBP"'):
        assert name not in source


def test_scan_does_not_import_metadata() -> None:
    assert "editor.core.metadata" not in Path("editor/core/scan.py").read_text()


def _with_stray(data: bytes, stray: bytes) -> bytes:
    """``stray`` inserted after the first segment following SOI."""
    length = int.from_bytes(data[4:6], "big")
    cut = 4 + length
    return data[:cut] + stray + data[cut:]


@needs_exiftool
def test_two_stray_bytes_between_segments_are_shown_kept_and_written(tmp_path: Path) -> None:
    path = tmp_path / "stray.jpg"
    path.write_bytes(_with_stray(camera_jpeg(), b"\x00\x17"))
    with Image.open(path) as image:  # Pillow reads it, as exiftool does
        image.load()
    before = exiftool_json(path, "-Make")
    assert before["Make"]
    record = read_photo(path)
    assert record.writable
    assert any("2 stray bytes" in w for w in record.warnings)
    saved = write_photo(path, dataclasses.replace(record.metadata, caption="Stray ok"))
    assert saved.metadata.caption == "Stray ok"
    data = path.read_bytes()
    assert b"\x00\x17\xff" in data  # the stray bytes are kept where they were
    after = exiftool_json(path, "-a", "-G1", "-Description", "-ImageDescription", "-Make")
    assert after["XMP-dc:Description"] == "Stray ok"
    assert after["IFD0:ImageDescription"] == "Stray ok"
    assert after["IFD0:Make"] == before["Make"]
    if EXIV2:
        out = subprocess.run([EXIV2, "-pa", str(path)], capture_output=True, text=True).stdout
        assert "Stray ok" in out


def test_many_stray_bytes_are_shown_but_not_written(tmp_path: Path) -> None:
    path = tmp_path / "junk.jpg"
    path.write_bytes(_with_stray(camera_jpeg(), b"\x00" * 200))
    record = read_photo(path)
    assert not record.writable and "200 stray bytes" in record.read_only_reason
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError, match="stray bytes"):
        write_photo(path, dataclasses.replace(record.metadata, caption="No"))
    assert path.read_bytes() == before


def test_partial_layout_stops_where_the_head_ends() -> None:
    data = camera_jpeg()
    full = jpeg.parse_layout(data)
    head = data[: full.segments[1].end + 3]
    part = jpeg.parse_layout(head, partial=True)
    assert part.sos_offset == 0 and part.segments == full.segments[:2]
    with pytest.raises(Exception, match=r"truncated|bad length"):
        jpeg.parse_layout(head)


@needs_exiftool
def test_bytes_after_webp_riff_are_kept_and_announced(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (9, 80, 200)).save(buf, "WEBP", lossless=True)
    trailer = b"TRAILER-DATA\x00\x01"
    path = tmp_path / "trailer.webp"
    path.write_bytes(buf.getvalue() + trailer)
    record = read_photo(path)
    assert record.writable
    assert any("14 bytes after the WebP data" in w for w in record.warnings)
    write_photo(path, dataclasses.replace(record.metadata, caption="Trailer kept"))
    data = path.read_bytes()
    assert data.endswith(trailer)
    assert int.from_bytes(data[4:8], "little") + 8 == len(data) - len(trailer)
    assert exiftool_json(path, "-XMP-dc:Description")["Description"] == "Trailer kept"
    with Image.open(path) as image:
        image.load()
        assert image.size == (16, 12)


def test_thumbnails_use_the_shared_parsers() -> None:
    from editor.core import safe_write, thumbnails

    for private in ("_segments", "_Tiff", "_sof_size", "HEAD_BYTES"):
        assert not hasattr(thumbnails, private), private
    assert thumbnails.EMBEDDED_HEAD_BYTES < safe_write.HEAD_BYTES
    source = Path("editor/core/formats/jpeg.py").read_text()
    assert "PHOTOSHOP_HEADER = " not in source  # imported from codecs/iptc


def test_embedded_thumbnail_of_a_jpeg_with_stray_bytes(tmp_path: Path) -> None:
    from editor.core import thumbnails

    path = tmp_path / "stray-thumb.jpg"
    path.write_bytes(_with_stray(camera_jpeg(thumbnail=True), b"\x00\x17"))
    image = thumbnails.embedded_thumbnail(path)
    assert image is not None and image.size == (16, 12)  # the IFD1 thumbnail
