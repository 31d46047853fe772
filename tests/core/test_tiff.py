"""tiff.py: append-only patching keeps byte order, alignment and every untouched entry."""

from __future__ import annotations

import struct

import pytest

from editor.core.codecs import exif
from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import MetadataFormatError

ARTIST, COPYRIGHT = 0x013B, 0x8298  # IFD0 tags (exif.py takes them from fields.py)


def block(endian: str, gps: bool = True) -> bytes:
    """IFD0 (Make, pointer to Exif IFD, maybe GPS) + Exif IFD with a maker-note-like blob."""
    buf = bytearray((b"II" if endian == "<" else b"MM") + struct.pack(endian + "HI", 42, 8))
    ifd0 = [(0x010F, tiff.ASCII, 8, b"FakeCam\x00")]
    off0 = tiff.append_ifd(buf, endian, [*ifd0, (0x8769, tiff.LONG, 1, bytes(4))], 0)
    exif_off = tiff.append_ifd(buf, endian, [(0x927C, tiff.UNDEFINED, 40, bytes(range(40)))], 0)
    entries = tiff.read_ifd(bytes(buf), endian, off0).entries
    pos = off0 + 2 + 12 * [e.tag for e in entries].index(0x8769)
    buf[pos + 8 : pos + 12] = struct.pack(endian + "I", exif_off)
    data = bytes(buf)
    if gps:
        patch = exif.build_patch(
            exif.PhotoMetadata(gps=exif.GPS(10.5, 20.25, 5.0)), frozenset({"gps"}), endian, "0232"
        )
        data = tiff.patch(data, patch.ifd0, patch.exif, patch.gps)
    return data


def _maker_note(data: bytes) -> tuple[tiff.Entry | None, bytes]:
    end, _ = tiff.header(data)
    note = tiff.walk_ifds(data)["Exif"].get(0x927C)
    return note, note.value_bytes(data, end) if note is not None else b""


@pytest.mark.parametrize("endian", ["<", ">"])
def test_patch_keeps_byte_order_and_untouched_values(endian: str) -> None:
    old = block(endian)
    edit = tiff.IfdEdit({exif.IMAGE_DESCRIPTION: tiff.NewValue(tiff.ASCII, 6, b"hello\x00")})
    new = tiff.patch(old, edit, tiff.IfdEdit(), tiff.IfdEdit())
    assert new[:2] == old[:2]
    end, ifd0_off = tiff.header(new)
    assert ifd0_off % 2 == 0
    ifd0 = tiff.read_ifd(new, end, ifd0_off)
    entry = ifd0.get(exif.IMAGE_DESCRIPTION)
    assert entry is not None and entry.value_bytes(new, end) == b"hello\x00"
    old_ifd0 = tiff.read_ifd(old, end, tiff.header(old)[1])
    for e in old_ifd0.entries:
        twin = ifd0.get(e.tag)
        assert twin is not None and (twin.type, twin.count) == (e.type, e.count)
        assert twin.value_bytes(new, end) == e.value_bytes(old, end)
    assert _maker_note(new) == _maker_note(old)  # the maker note did not move


@pytest.mark.parametrize("endian", ["<", ">"])
def test_exif_ifd_edit_keeps_maker_note_offset(endian: str) -> None:
    old = block(endian)
    edit = tiff.IfdEdit(
        {exif.DATE_TIME_ORIGINAL: tiff.NewValue(tiff.ASCII, 20, b"2024:01:01 00:00:00\x00")}
    )
    new = tiff.patch(old, tiff.IfdEdit(), edit, tiff.IfdEdit())
    before, after = tiff.walk_ifds(old), tiff.walk_ifds(new)
    assert _maker_note(new) == _maker_note(old) and _maker_note(new)[0] is not None
    assert after["Exif"].offset % 2 == 0 and after["Exif"].offset != before["Exif"].offset
    assert after["Exif"].get(exif.DATE_TIME_ORIGINAL) is not None
    end, _ = tiff.header(new)
    gps_before = {e.tag: e.value_bytes(old, end) for e in before["GPS"].entries}
    assert {e.tag: e.value_bytes(new, end) for e in after["GPS"].entries} == gps_before


def test_remove_gps_blanks_old_position() -> None:
    old = block("<")
    end, _ = tiff.header(old)
    gps = tiff.walk_ifds(old)["GPS"]
    lat = gps.get(2)
    assert lat is not None
    position = lat.value_bytes(old, end)
    assert position != bytes(24) and position in old
    new = tiff.patch(old, tiff.IfdEdit(), tiff.IfdEdit(), tiff.IfdEdit(), remove_gps=True)
    assert "GPS" not in tiff.walk_ifds(new)
    assert position not in new


def test_no_edit_returns_same_bytes() -> None:
    old = block(">")
    assert tiff.patch(old, tiff.IfdEdit(), tiff.IfdEdit(), tiff.IfdEdit()) == old


@pytest.mark.parametrize(
    "data",
    [b"", b"XX*\x00\x08\x00\x00\x00", b"II+\x00\x08\x00\x00\x00", b"II*\x00\xff\xff\x00\x00\x00"],
)
def test_bad_headers(data: bytes) -> None:
    with pytest.raises(MetadataFormatError):
        tiff.read_ifd(data, *tiff.header(data))


def test_absurd_count_and_offset() -> None:
    data = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 5000) + bytes(20)
    with pytest.raises(MetadataFormatError):
        tiff.read_ifd(data, "<", 8)
    data = b"II*\x00\x08\x00\x00\x00" + struct.pack("<HHHII", 1, 0x10E, 2, 100, 9999) + bytes(4)
    with pytest.raises(MetadataFormatError, match="outside"):
        tiff.read_ifd(data, "<", 8)


def _caption(text: str) -> tiff.IfdEdit:
    raw = text.encode() + b"\x00"
    return tiff.IfdEdit({exif.IMAGE_DESCRIPTION: tiff.NewValue(tiff.ASCII, len(raw), raw)})


def _saves(data: bytes, count: int) -> list[bytes]:
    out = []
    for n in range(count):
        data = tiff.patch(data, _caption(f"caption {n % 2} " * 40), tiff.IfdEdit(), tiff.IfdEdit())
        out.append(data)
    return out


@pytest.mark.parametrize("endian", ["<", ">"])
def test_unreferenced_bytes_are_never_cut(endian: str) -> None:
    """Bytes nothing we know refers to (a preview a maker note points at, say) stay put, even
    when they are at the end; only what a save appended after them is reclaimed."""
    preview = b"PREVIEW-" * 32
    old = block(endian, gps=False) + preview
    saves = _saves(old, 6)
    for data in saves:
        assert data[len(old) - len(preview) : len(old)] == preview
        assert _maker_note(data) == _maker_note(old)
    assert len({len(d) for d in saves[1:]}) == 1


def test_shared_value_bytes_are_not_zeroed() -> None:
    """A value another entry shares is not blanked when the edited entry lets go of it."""
    shared = b"Shared Name\x00"
    data = bytearray(b"II" + struct.pack("<HI", 42, 8) + struct.pack("<H", 2))
    value_at = 8 + 2 + 2 * 12 + 4
    for tag in (ARTIST, COPYRIGHT):  # Copyright points at Artist's bytes
        data += struct.pack("<HHII", tag, tiff.ASCII, len(shared), value_at)
    data += bytes(4) + shared + b"TRAILER"  # (unreferenced bytes: no tail is reclaimed)
    edit = tiff.IfdEdit({ARTIST: tiff.NewValue(tiff.ASCII, 4, b"Bob\x00")})
    new = tiff.patch(bytes(data), edit, tiff.IfdEdit(), tiff.IfdEdit())
    end, off = tiff.header(new)
    copyright_entry = tiff.read_ifd(new, end, off).get(COPYRIGHT)
    assert copyright_entry is not None and copyright_entry.value_bytes(new, end) == shared


def test_damaged_parts_do_not_stop_reclaiming() -> None:
    """A GPS pointer of the wrong type and a next-IFD offset to a directory the block cannot
    hold (both seen in real damaged files) are plain bytes: saves still do not grow."""
    old = bytearray(block("<", gps=False))
    end, off = tiff.header(bytes(old))
    ifd0 = tiff.read_ifd(bytes(old), end, off)
    next_pos = off + 2 + 12 * len(ifd0.entries)
    garbage_at = len(old)
    old += struct.pack("<H", 3000) + bytes(30)  # claims 3000 entries
    struct.pack_into("<I", old, next_pos, garbage_at)
    gps = b"not a directory\x00"
    edit = tiff.IfdEdit({tiff.TAG_GPS_IFD: tiff.NewValue(tiff.ASCII, len(gps), gps)})
    damaged = tiff.patch(bytes(old), edit, tiff.IfdEdit(), tiff.IfdEdit())
    saves = _saves(damaged, 6)
    assert len({len(d) for d in saves[1:]}) == 1
    assert saves[-1][garbage_at : garbage_at + 32] == bytes(old[garbage_at : garbage_at + 32])


def _old_style_save(data: bytes, caption: bytes) -> bytes:
    """What the append-only patcher did before: a copy of IFD0 with the new caption appended at
    the end, the old one left where it was (caption values and all)."""
    end, off = tiff.header(data)
    ifd0 = tiff.read_ifd(data, end, off)
    entries = [(e.tag, e.type, e.count, e.raw) for e in ifd0.entries if e.tag != 0x010E]
    buf = bytearray(data)
    new = tiff.append_ifd(buf, end, [*entries, (0x010E, tiff.ASCII, len(caption), caption)], 0)
    struct.pack_into(end + "I", buf, 4, new)
    return bytes(buf)


@pytest.mark.parametrize("preview", [b"", b"PREVIEW-" * 16])
@pytest.mark.parametrize("endian", ["<", ">"])
def test_copies_left_by_the_old_patcher_are_reclaimed(endian: str, preview: bytes) -> None:
    """A file saved many times by the append-only patcher: the next save zeroes or cuts the
    stale IFD0 copies (and with them every old caption), and nothing live changes; unreferenced
    bytes before them (``preview``) stay."""
    camera = block(endian) + preview
    data = camera
    for n in range(10):
        data = _old_style_save(data, f"secret caption 555-01{n:02d} ".encode() * 8 + b"\x00")
    assert len(data) > len(camera) + 10 * 200 and b"555-01" in data
    new = tiff.patch(data, _caption("fresh"), tiff.IfdEdit(), tiff.IfdEdit())
    assert b"555-01" not in new
    assert len(new) <= len(camera) + 200
    assert new[len(camera) - len(preview) : len(camera)] == preview
    assert _maker_note(new) == _maker_note(camera)
    end, _ = tiff.header(new)
    gps = {e.tag: e.value_bytes(camera, end) for e in tiff.walk_ifds(camera)["GPS"].entries}
    assert {e.tag: e.value_bytes(new, end) for e in tiff.walk_ifds(new)["GPS"].entries} == gps


def test_unrelated_directories_in_unreferenced_bytes_stay() -> None:
    """A directory in bytes nothing refers to that does not copy the live entries (a private
    structure a maker note may point at) is not taken for an old copy."""
    camera = bytearray(block("<", gps=False))
    private_at = len(camera)
    tiff.append_ifd(camera, "<", [(0x0001, tiff.ASCII, 12, b"PRIVATEDATA\x00")] * 3, 0)
    private = bytes(camera[private_at:])
    saves = _saves(bytes(camera), 4)
    for data in saves:
        assert data[private_at : private_at + len(private)] == private
