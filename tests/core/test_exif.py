"""exif.py: text decoding per tag, boilerplate captions, exposure, GPS references."""

from __future__ import annotations

import piexif
import pytest

from editor.core.codecs import exif
from editor.core.errors import MetadataFormatError
from tests.core.conftest import camera_jpeg


def test_decode_ascii_utf8_then_cp1252() -> None:
    assert exif.decode_ascii("평양 ©".encode()) == "평양 ©"
    assert exif.decode_ascii(b"Photographer\x92s Mate\x00junk") == "Photographer\u2019s Mate"
    assert exif.decode_ascii(b"  spaced \x00") == "spaced"


def test_decode_xp() -> None:
    raw = "Київ עברית 😀".encode("utf-16-le") + b"\x00\x00"
    assert exif.decode_xp(raw) == "Київ עברית 😀"
    assert exif.decode_xp(tuple(raw + b"\x00")) == "Київ עברית 😀"  # odd length tolerated


@pytest.mark.parametrize("endian", ["<", ">"])
def test_decode_user_comment_unicode_both_orders(endian: str) -> None:
    codec = "utf-16-le" if endian == "<" else "utf-16-be"
    raw = b"UNICODE\x00" + "평양 note".encode(codec)
    assert exif.decode_user_comment(raw, endian) == "평양 note"


def test_decode_user_comment_prefixes() -> None:
    assert exif.decode_user_comment(b"ASCII\x00\x00\x00hello\x00\x00") == "hello"
    assert exif.decode_user_comment(b"\x00" * 8 + "café".encode()) == "café"
    assert (
        exif.decode_user_comment(b"JIS\x00\x00\x00\x00\x00" + "日本".encode("shift_jis")) == "日本"
    )
    bom = b"UNICODE\x00" + "bom".encode("utf-16")
    assert exif.decode_user_comment(bom, ">") == "bom"


@pytest.mark.parametrize("text", ["OLYMPUS DIGITAL CAMERA", "SONY DSC", "  DIGITAL CAMERA   "])
def test_camera_boilerplate_is_not_a_caption(text: str) -> None:
    data = camera_jpeg(description=text.encode())
    block = piexif.load(data)
    raw = piexif.dump(block)[6:]
    assert "caption" not in exif.read_exif(raw).values or not exif.read_exif(raw).values["caption"]


def test_real_caption_is_read() -> None:
    raw = piexif.dump(piexif.load(camera_jpeg(description=b"Seoul at dusk")))[6:]
    assert exif.read_exif(raw).values["caption"] == "Seoul at dusk"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ((1, 250), "1/250"),
        ((1, 3), "0.3"),
        ((13, 10), "1.3"),
        ((2, 1), "2"),
        ((1, 2), "0.5"),
        ((2000000, 1), "2000000"),
        ((30, 1), "30"),
        ((0, 1), ""),
        ((1, 0), ""),
    ],
)
def test_format_exposure(value: tuple[int, int], text: str) -> None:
    assert exif.format_exposure(value) == text


@pytest.mark.parametrize(("lat", "lon"), [(-33.8688, 151.2093), (40.7128, -74.006), (-1.5, -2.25)])
def test_gps_refs_south_west(lat: float, lon: float) -> None:
    md = exif.PhotoMetadata(gps=exif.GPS(lat, lon, -12.5))
    block = exif.apply_patch(
        exif.empty_block("<"), exif.build_patch(md, frozenset({"gps"}), "<", "0232"), 1, 1, "JPEG"
    )
    gps = exif.read_exif(block).values["gps"]
    assert abs(gps.lat - lat) < 1e-6 and abs(gps.lon - lon) < 1e-6 and gps.alt == -12.5
    tags = piexif.load(block)["GPS"]
    assert tags[1] == (b"S" if lat < 0 else b"N") and tags[3] == (b"W" if lon < 0 else b"E")


def test_camera_facts() -> None:
    raw = piexif.dump(piexif.load(camera_jpeg()))[6:]
    read = exif.read_exif(raw)
    assert read.camera.make == "FakeCam" and read.camera.exposure_time == "1/250"
    assert read.camera.f_number == 2.8 and read.camera.iso == 200
    assert read.has_thumbnail and read.patchable


def test_offsets() -> None:
    assert exif.parse_offset("+09:00") is not None
    assert exif.parse_offset("garbage") is None
    dt = exif.parse_exif_datetime("2024:05:01 10:20:30", "-03:30")
    assert dt is not None and exif.format_offset(dt) == "-03:30"
    assert exif.parse_exif_datetime("    :  :     :  :  ") is None


def _with_count(block: bytes, tag: int, count: int) -> bytes:
    """``block`` with IFD0's ``tag`` claiming ``count`` values (a damaged count field)."""
    import struct

    endian = "<" if block[:2] == b"II" else ">"
    (first,) = struct.unpack_from(endian + "I", block, 4)
    (n,) = struct.unpack_from(endian + "H", block, first)
    out = bytearray(block)
    for i in range(n):
        pos = first + 2 + 12 * i
        if struct.unpack_from(endian + "H", block, pos)[0] == tag:
            struct.pack_into(endian + "I", out, pos + 4, count)
            return bytes(out)
    raise AssertionError(f"no tag 0x{tag:04X} in IFD0")


@pytest.mark.parametrize("magic", [b"*", b"c"])  # piexif reads on with a damaged TIFF magic
def test_a_count_larger_than_the_block_skips_piexif(
    monkeypatch: pytest.MonkeyPatch, magic: bytes
) -> None:
    # piexif builds a struct format as long as the count before failing: minutes of CPU.
    raw = piexif.dump(piexif.load(camera_jpeg(description=b"Seoul at dusk")))[6:]
    damaged = bytearray(_with_count(raw, piexif.ImageIFD.XResolution, 0x3FFFFFFF))
    damaged[3] = magic[0]
    called: list[bytes] = []
    monkeypatch.setattr(piexif, "load", lambda block: called.append(block) or {})
    with pytest.raises(ValueError, match="more values"):
        exif.piexif_load(bytes(damaged))
    if magic == b"*":
        decoded = exif.read_exif(bytes(damaged))  # Pillow's reader takes over
        assert decoded.values["caption"] == "Seoul at dusk"
    else:  # Pillow refuses the damaged magic: a clear error, at once
        with pytest.raises(MetadataFormatError):
            exif.read_exif(bytes(damaged))
    assert called == []
    # Text may be that long: piexif slices ASCII values rather than unpacking them.
    long_text = _with_count(raw, piexif.ImageIFD.Make, 0x3FFFFFFF)
    assert not exif._claims_more_than_it_holds(long_text)


def test_damaged_values_read_as_nothing_rather_than_crash() -> None:
    assert exif.decode_ascii((69, 0)) == ""  # a text tag stored as numbers
    assert exif.format_exposure((1, 0)) == ""
    assert exif.format_exposure((1, 10_000_000_000)) == ""  # 1e-10 s
    assert exif.format_exposure((10**15, 1)) == ""


def _block(zeroth: dict[int, object], exif_ifd: dict[int, object]) -> bytes:
    return piexif.dump({"0th": zeroth, "Exif": exif_ifd})[6:]


def _patched(block: bytes, md: exif.PhotoMetadata, fields: set[str]) -> dict[str, dict]:
    endian = "<" if block[:2] == b"II" else ">"
    patch = exif.build_patch(md, frozenset(fields), endian, "0232", current=exif.read_exif(block))
    return piexif.load(exif.apply_patch(block, patch, 1, 1, "JPEG"))


def test_date_moves_its_companions_and_a_digitized_twin() -> None:
    from datetime import datetime

    e = piexif.ExifIFD
    block = _block(
        {},
        {
            e.ExifVersion: b"0232",
            e.DateTimeOriginal: b"2020:01:02 03:04:05",
            e.SubSecTimeOriginal: b"123",
            e.OffsetTimeOriginal: b"+01:00",
            e.DateTimeDigitized: b"2020:01:02 03:04:05",
        },
    )
    new = datetime(2024, 5, 1, 10, 20, 30)
    tags = _patched(block, exif.PhotoMetadata(date_taken=new), {"date_taken"})["Exif"]
    assert tags[e.DateTimeOriginal] == b"2024:05:01 10:20:30"
    assert tags[e.DateTimeDigitized] == b"2024:05:01 10:20:30"
    assert e.SubSecTimeOriginal not in tags and e.OffsetTimeOriginal not in tags
    other = _block(
        {},
        {e.DateTimeOriginal: b"2020:01:02 03:04:05", e.DateTimeDigitized: b"2019:01:01 00:00:00"},
    )
    tags = _patched(other, exif.PhotoMetadata(date_taken=new), {"date_taken"})["Exif"]
    assert tags[e.DateTimeDigitized] == b"2019:01:01 00:00:00"  # another moment: left alone


def test_rating_is_kept_in_step_only_where_the_file_has_it() -> None:
    md = exif.PhotoMetadata(rating=3)
    without = _block({piexif.ImageIFD.Make: b"Cam"}, {})
    assert (
        exif.build_patch(
            md, frozenset({"rating"}), "<", "0232", current=exif.read_exif(without)
        ).ifd0.updates
        == {}
    )
    with_rating = _block({piexif.ImageIFD.Rating: 1}, {})
    assert _patched(with_rating, md, {"rating"})["0th"][piexif.ImageIFD.Rating] == 3


def test_read_takes_the_first_non_empty_store_in_table_order() -> None:
    i = piexif.ImageIFD
    xp = "XP caption".encode("utf-16-le") + b"\x00\x00"
    block = _block({i.ImageDescription: b"SONY DSC", i.XPComment: xp}, {})
    assert exif.read_exif(block).values["caption"] == "XP caption"  # boilerplate reads as empty


def test_has_rating_still_means_the_block_has_one() -> None:
    with_rating = _block({piexif.ImageIFD.Rating: 1}, {})
    assert exif.read_exif(with_rating).has_rating
    assert not exif.read_exif(_block({piexif.ImageIFD.Make: b"Cam"}, {})).has_rating
    md = exif.PhotoMetadata(rating=2)
    patch = exif.build_patch(md, frozenset({"rating"}), ">", "0232", has_rating=True)
    assert list(patch.ifd0.updates) == [piexif.ImageIFD.Rating]
