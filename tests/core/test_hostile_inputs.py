"""Hostile and broken files: a clear PhotoCaptionError (or a read with a warning), never a crash,
never a hang, and never a changed file when a write is refused."""

from __future__ import annotations

import io
import os
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from editor.core.codecs import exif
from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import PhotoCaptionError
from editor.core.formats import jpeg
from editor.core.metadata import read_photo, write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import camera_jpeg

TIMEOUT = 20.0


def guarded(fn: Callable[[], Any]) -> Any:
    """Run fn in a thread; fail (instead of hanging the suite) when it does not finish."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as err:  # re-raised in the test's thread
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "hung"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def plain_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


def with_segment(marker: int, payload: bytes, *, raw_length: int | None = None) -> bytes:
    data = plain_jpeg()
    length = len(payload) + 2 if raw_length is None else raw_length
    return data[:2] + bytes((0xFF, marker)) + struct.pack(">H", length) + payload + data[2:]


def tiff_block(entries: list[tuple[int, int, int, int]], *, ifd0: int = 8, nxt: int = 0) -> bytes:
    body = struct.pack("<2sHI", b"II", 42, ifd0)
    body += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        body += struct.pack("<HHII", tag, typ, count, value)
    return body + struct.pack("<I", nxt) + bytes(16)


XMP_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    b'<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="&lol9;"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
XMP_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="&xxe;"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def _cut(data: bytes, where: str) -> bytes:
    layout = jpeg.parse_layout(data)
    exif = layout.first("exif")
    assert exif is not None
    return {
        "inside-app1": data[: exif.start + 40],
        "after-app1": data[: exif.end + 3],
        "inside-sos": data[: layout.sos_offset + 40],
        "before-eoi": data[:-2],
    }[where]


CASES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "random-bytes": lambda: os.urandom(3000),
    "jpeg-magic-then-garbage": lambda: b"\xff\xd8\xff" + os.urandom(500),
    **{
        f"truncated-{w}": (lambda w=w: _cut(camera_jpeg(), w))  # type: ignore[misc]
        for w in ("inside-app1", "after-app1", "inside-sos", "before-eoi")
    },
    "app1-length-past-end": lambda: plain_jpeg()[:2] + b"\xff\xe1\xff\xf0Exif\x00\x00II*\x00",
    "absurd-entry-count": lambda: with_segment(
        0xE1, b"Exif\x00\x00" + struct.pack("<2sHIH", b"II", 42, 8, 0xFFFF) + bytes(40)
    ),
    "absurd-ifd0-offset": lambda: with_segment(
        0xE1, b"Exif\x00\x00" + tiff_block([(0x010E, 2, 4, 0)], ifd0=0x7FFFFFF0)
    ),
    "absurd-value-offset": lambda: with_segment(
        0xE1, b"Exif\x00\x00" + tiff_block([(0x010E, 2, 0x7FFFFFFF, 0x7FFFFFF0)])
    ),
    "absurd-exif-pointer": lambda: with_segment(
        0xE1, b"Exif\x00\x00" + tiff_block([(0x8769, 4, 1, 0xFFFFFF00), (0x8825, 4, 1, 3)])
    ),
    "cyclic-ifd0-next": lambda: with_segment(
        0xE1, b"Exif\x00\x00" + tiff_block([(0x010F, 2, 4, 0x00414141)], nxt=8)
    ),
    "cyclic-exif-pointer": lambda: with_segment(
        0xE1, b"Exif\x00\x00" + tiff_block([(0x8769, 4, 1, 8), (0x8825, 4, 1, 8)], nxt=8)
    ),
    "xmp-billion-laughs": lambda: with_segment(0xE1, jpeg.XMP_HEADER + XMP_BOMB),
    "xmp-external-entity": lambda: with_segment(0xE1, jpeg.XMP_HEADER + XMP_XXE),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file(tmp_path: Path, case: str) -> None:
    path = tmp_path / "hostile.jpg"
    path.write_bytes(CASES[case]())
    before = path.read_bytes()
    try:
        record = guarded(lambda: read_photo(path))
    except PhotoCaptionError as err:
        assert str(err).strip() and "\n" not in str(err)
        record = None
    if record is not None and record.metadata.title:
        assert "lol" not in record.metadata.title and "root:" not in record.metadata.title
    md = PhotoMetadata(caption="hostile", title="t")
    try:
        result = guarded(lambda: write_photo(path, md))
    except PhotoCaptionError as err:
        message = str(err)
        assert message.strip() and "\n" not in message
        assert path.read_bytes() == before
        return
    # Written: only when the damage is confined to EXIF. Then EXIF is either left alone (with a
    # warning) or patched minimally: every IFD0 entry we did not edit is kept exactly as stored.
    assert record is not None and record.writable
    assert result.metadata.caption == "hostile"
    after = path.read_bytes()
    assert jpeg.image_data(before) == jpeg.image_data(after)
    old_exif = jpeg.parse_layout(before).first("exif")
    new_exif = jpeg.parse_layout(after).first("exif")
    assert old_exif is not None and new_exif is not None
    if old_exif.payload == new_exif.payload:
        assert any("EXIF" in w for w in result.warnings), result.warnings
        return
    old_block, new_block = old_exif.payload[6:], new_exif.payload[6:]
    endian, old_ifd0 = tiff.header(old_block)
    _, new_ifd0 = tiff.header(new_block)
    kept = {e.tag: e for e in tiff.read_ifd(new_block, endian, new_ifd0).entries}
    edited = {exif.IMAGE_DESCRIPTION, exif.XP_TITLE, exif.XP_COMMENT}
    for entry in tiff.read_ifd(old_block, endian, old_ifd0).entries:
        if entry.tag not in edited:
            assert kept.get(entry.tag) == entry, hex(entry.tag)


def test_truncated_and_damaged_refuse_with_reason(tmp_path: Path) -> None:
    """The files that must never be written say why."""
    for case in ("truncated-inside-sos", "truncated-before-eoi", "empty", "random-bytes"):
        path = tmp_path / f"{case}.jpg"
        path.write_bytes(CASES[case]())
        with pytest.raises(PhotoCaptionError):
            guarded(lambda path=path: write_photo(path, PhotoMetadata(caption="x")))


@pytest.mark.parametrize("case", ["xmp-billion-laughs", "xmp-external-entity"])
def test_entity_xmp_is_reported_not_expanded(tmp_path: Path, case: str) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(CASES[case]())
    record = guarded(lambda: read_photo(path))
    assert not record.writable
    assert any("XMP" in w for w in record.warnings)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(PhotoCaptionError, match="folder"):
        read_photo(tmp_path)
    with pytest.raises(PhotoCaptionError, match="folder"):
        write_photo(tmp_path, PhotoMetadata(caption="x"))


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jpg"
    with pytest.raises(PhotoCaptionError, match="does not exist"):
        read_photo(missing)
    with pytest.raises(PhotoCaptionError, match="does not exist"):
        write_photo(missing, PhotoMetadata(caption="x"))
    assert not missing.exists()


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(PhotoCaptionError, match="empty"):
        read_photo(path)
    with pytest.raises(PhotoCaptionError):
        write_photo(path, PhotoMetadata(caption="x"))
    assert path.read_bytes() == b""
