"""jpeg.py: segment parsing and rebuilding with every foreign segment kept byte-for-byte."""

from __future__ import annotations

import struct

import pytest

from editor.core.errors import UnreadableFileError, UnsafeWriteError
from editor.core.formats import jpeg

SOS_AND_DATA = (
    b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x12\xff\x00\x34\xff\xd0\x56" + b"\xff\xd9"
)


def seg(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


JFIF = seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
EXIF = seg(0xE1, jpeg.EXIF_HEADER + b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00")
XMP = seg(0xE1, jpeg.XMP_HEADER + b"<x/>")
ICC = seg(0xE2, b"ICC_PROFILE\x00\x01\x01" + bytes(20))
MPF = seg(0xE2, b"MPF\x00" + bytes(16))
COM = seg(0xFE, b"a comment")
DQT = seg(0xDB, bytes(65))


def build(*segments: bytes) -> bytes:
    return b"\xff\xd8" + b"".join(segments) + SOS_AND_DATA


def test_parse_segments_fill_bytes_and_standalone_markers() -> None:
    data = b"\xff\xd8" + JFIF + b"\xff\xff\xff" + COM + b"\xff\xd0" + DQT + SOS_AND_DATA
    layout = jpeg.parse_layout(data)
    assert [s.marker for s in layout.segments] == [0xE0, 0xFE, 0xDB]
    assert layout.segments[1].payload == b"a comment"
    assert data[layout.sos_offset : layout.sos_offset + 2] == b"\xff\xda"
    # RST markers and stuffed bytes inside the scan are never parsed as segments
    assert jpeg.image_data(data) == SOS_AND_DATA


def test_kinds() -> None:
    layout = jpeg.parse_layout(build(JFIF, EXIF, XMP, ICC))
    assert [s.kind for s in layout.segments] == ["other", "exif", "xmp", "other"]


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01", b"\xff\xd8", b"\xff\xd8\xff\xe1\x00", b"\xff\xd8\xff\xe1\x00\x40abc",
     b"\xff\xd8\xff\xd9", b"\xff\xd8\x00\x00"],
)  # fmt: skip
def test_parse_errors(data: bytes) -> None:
    with pytest.raises(UnreadableFileError):
        jpeg.parse_layout(data)


def test_replace_keeps_other_segments_in_order() -> None:
    data = build(JFIF, ICC, EXIF, COM, XMP, DQT)
    out = jpeg.replace(data, exif=b"MM\x00*\x00\x00\x00\x08" + bytes(6), xmp=b"<new/>")
    layout = jpeg.parse_layout(out)
    raws = [out[s.start : s.end] for s in layout.segments]
    assert raws[0] == JFIF and raws[1] == ICC and raws[3] == COM and raws[5] == DQT
    assert layout.segments[2].kind == "exif" and layout.segments[4].kind == "xmp"
    assert layout.segments[4].payload == jpeg.XMP_HEADER + b"<new/>"
    assert jpeg.image_data(out) == jpeg.image_data(data)


def test_new_exif_after_jfif_and_new_xmp_after_exif() -> None:
    data = build(JFIF, ICC, DQT)
    out = jpeg.replace(data, exif=b"II*\x00\x08\x00\x00\x00", xmp=b"<x/>")
    kinds = [(s.marker, s.kind) for s in jpeg.parse_layout(out).segments]
    assert kinds[:3] == [(0xE0, "other"), (0xE1, "exif"), (0xE1, "xmp")]


def test_new_xmp_goes_after_existing_exif() -> None:
    out = jpeg.replace(build(JFIF, EXIF, ICC, DQT), xmp=b"<x/>")
    assert [s.kind for s in jpeg.parse_layout(out).segments][:3] == ["other", "exif", "xmp"]


def test_removing_a_segment() -> None:
    out = jpeg.replace(build(JFIF, EXIF, XMP, DQT), xmp=None)
    assert [s.kind for s in jpeg.parse_layout(out).segments] == ["other", "exif", "other"]


def test_rewritten_segments_after_mpf_move_ahead_of_it() -> None:
    data = build(JFIF, MPF, EXIF, DQT)
    out = jpeg.replace(data, exif=b"II*\x00\x08\x00\x00\x00" + bytes(10))
    layout = jpeg.parse_layout(out)
    kinds = [out[s.start : s.end] == MPF or s.kind for s in layout.segments]
    assert kinds.index("exif") < kinds.index(True)


def test_segment_over_64k_refused() -> None:
    with pytest.raises(UnsafeWriteError, match="64 KB"):
        jpeg.segment_bytes(0xE1, bytes(70000))


def test_frame_size_and_extract() -> None:
    sof = seg(0xC0, b"\x08" + struct.pack(">HH", 48, 64) + b"\x03" + bytes(9))
    blocks = jpeg.extract(build(JFIF, EXIF, XMP, sof))
    assert (blocks.width, blocks.height) == (64, 48)
    assert blocks.exif is not None and blocks.exif.startswith(b"II*")
    assert blocks.xmp == b"<x/>"
