"""IIM charsets: legacy (no 1:90) records are not damaged by a save, mixed records read per dataset.

Hand-built APP13 payloads check the bytes with an independent dataset walker; JPEGs built by
exiftool (``-charset iptc=Latin``) and saved with ``write_photo`` are read back with exiftool.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from editor.core.codecs.iptc import _decode, build_app13, parse_app13
from editor.core.codecs.xmp import clean_text, merge_xmp
from editor.core.metadata import read_photo, write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import EXIFTOOL, exiftool_json, needs_exiftool
from tests.core.test_iptc import app13, datasets_of, ds, iim_of, jpeg_segments, jpeg_with, resource

UTF8 = (1, 90, b"\x1b%G")

# A legacy (no 1:90) record: standard text in Latin-1, a binary dataset, datasets the IIM
# standard does not define (2:199 binary-looking, 2:209 Latin-1 text), and record 3 data.
LEGACY = (
    ds(1, 0, b"\x00\x04")
    + ds(2, 0, b"\x00\x04")
    + ds(2, 90, b"G\xf6teborg")
    + ds(2, 120, b"Caf\xe9 \x93quoted\x94")
    + ds(2, 125, b"\x80\xff\x00\x81")
    + ds(2, 199, b"\x80\x81\x82\x83")
    + ds(2, 209, b"G\xf6teborg")
    + ds(3, 10, b"\x01\xb8")
)


def sets_of(payload: bytes) -> list[tuple[int, int, bytes]]:
    return datasets_of(iim_of(payload))


def without(sets: list[tuple[int, int, bytes]], *keys: tuple[int, int]) -> list[Any]:
    return [s for s in sets if s[:2] not in keys]


def test_legacy_record_is_kept_when_the_edit_fits_cp1252() -> None:
    old = app13(resource(0x0404, LEGACY))
    new, warnings = build_app13(old, PhotoMetadata(title="Smörgås på Göteborg €"), ["title"])
    assert warnings == ()
    sets = sets_of(new)
    assert not [s for s in sets if s[:2] == (1, 90)]  # still no charset declaration
    assert (2, 5, "Smörgås på Göteborg €".encode("cp1252")) in sets
    # every dataset not edited is byte-identical and in order
    # (2:105 Headline, absent, now holds the title for WordPress)
    assert without(sets, (2, 5), (2, 105)) == datasets_of(LEGACY)
    values = parse_app13(new)
    assert values.title == "Smörgås på Göteborg €"
    assert values.caption == "Café “quoted”"


def test_legacy_record_is_converted_when_the_edit_needs_utf8() -> None:
    old = app13(resource(0x0404, LEGACY))
    new, warnings = build_app13(old, PhotoMetadata(title="서울 Göteborg"), ["title"])
    sets = sets_of(new)
    assert UTF8 in sets
    assert (2, 5, "서울 Göteborg".encode()) in sets
    # standard text datasets transcoded, correctly
    assert (2, 90, "Göteborg".encode()) in sets
    assert (2, 120, "Café “quoted”".encode()) in sets
    # binary, unknown and record-3 datasets never re-encoded
    for kept in [(2, 0), (1, 0), (2, 125), (2, 199), (2, 209), (3, 10)]:
        expected = [s for s in datasets_of(LEGACY) if s[:2] == kept]
        assert [s for s in sets if s[:2] == kept] == expected
    assert len(warnings) == 1 and "2:199" in warnings[0] and "2:209" in warnings[0]
    assert parse_app13(new).caption == "Café “quoted”"


def test_legacy_record_without_unknown_data_is_converted() -> None:
    iim = (
        ds(2, 0, b"\x00\x04")
        + ds(2, 90, b"G\xf6teborg")
        + ds(2, 125, b"\x80\xff")
        + ds(8, 10, b"\x80\x81\xff")
    )
    new, warnings = build_app13(app13(resource(0x0404, iim)), PhotoMetadata(credit="Ü"), ["credit"])
    sets = sets_of(new)
    assert warnings == ()
    assert UTF8 in sets and (2, 110, "Ü".encode()) in sets
    assert (2, 90, "Göteborg".encode()) in sets
    assert (2, 125, b"\x80\xff") in sets and (8, 10, b"\x80\x81\xff") in sets


def test_mixed_record_is_read_and_converted_per_dataset() -> None:
    iim = ds(2, 90, "Göteborg".encode()) + ds(2, 92, b"Gamla stan \xe5") + ds(2, 120, "Ö".encode())
    old = app13(resource(0x0404, iim))
    assert parse_app13(old).caption == "Ö"
    new, _ = build_app13(old, PhotoMetadata(title="t"), ["title"])
    sets = sets_of(new)
    assert (2, 90, "Göteborg".encode()) in sets  # already UTF-8: bytes kept, not double-encoded
    assert (2, 92, "Gamla stan å".encode()) in sets
    assert (2, 120, "Ö".encode()) in sets


def test_ambiguous_cp1252_value_forces_utf8() -> None:
    """'Ã©' in cp1252 is the UTF-8 of 'é': written legacy it would read back wrong."""
    old = app13(resource(0x0404, LEGACY))
    new, _ = build_app13(old, PhotoMetadata(title="Ã©"), ["title"])
    assert UTF8 in sets_of(new)
    assert parse_app13(new).title == "Ã©"


def test_declared_utf8_record_keeps_a_stray_legacy_dataset() -> None:
    iim = ds(1, 90, b"\x1b%G") + ds(2, 90, b"G\xf6teborg") + ds(2, 199, b"\x80\x81")
    old = app13(resource(0x0404, iim))
    new, _ = build_app13(old, PhotoMetadata(title="x"), ["title"])
    assert without(sets_of(new), (2, 5), (2, 0), (2, 105)) == datasets_of(iim)
    assert parse_app13(new).found == {"title": "x", "city": "G\xf6teborg"}


# --------------------------------------------------------------------------- exiftool


def exif_iptc(path: Path) -> dict[str, Any]:
    """exiftool's reading with its defaults (legacy IIM as cp1252), unknown datasets included."""
    got = exiftool_json(path, "-charset", "iptc=Latin", "-u", "-a", "-warning", "-IPTC:all")
    got.pop("SourceFile", None)
    return got


@needs_exiftool
@pytest.mark.parametrize(("title", "charset"), [("Smörgås €", None), ("서울", "UTF8")])
def test_exiftool_reads_every_dataset_after_a_build(
    tmp_path: Path, title: str, charset: str | None
) -> None:
    old = app13(resource(0x0404, LEGACY), resource(0x0425, b"\x11" * 16))
    new, _ = build_app13(old, PhotoMetadata(title=title), ["title"])
    xmp = merge_xmp(None, PhotoMetadata(), [])
    before, after = tmp_path / "before.jpg", tmp_path / "after.jpg"
    before.write_bytes(jpeg_with(app13(resource(0x0404, LEGACY)), xmp))
    after.write_bytes(jpeg_with(new, xmp))
    got, was = exif_iptc(after), exif_iptc(before)
    assert "Warning" not in got  # digest current, no charset trouble
    assert got.pop("ObjectName") == title
    assert got.pop("Headline") == title  # no headline: 2:105 holds the title
    assert got.pop("CodedCharacterSet", None) == charset  # legacy kept, or converted
    assert got["City"] == "Göteborg" and got["Caption-Abstract"] == "Café “quoted”"
    was.pop("Warning", None)
    assert got == was  # unknown 2:199/2:209 and record 3 read the same as before


def exiftool_latin_jpeg(path: Path, *assignments: str) -> None:
    assert EXIFTOOL is not None
    Image.new("RGB", (16, 16), "navy").save(path, "JPEG")
    subprocess.run(
        [EXIFTOOL, "-q", "-overwrite_original", "-charset", "iptc=Latin", *assignments, str(path)],
        check=True,
        timeout=60,
    )


def splice_iim(path: Path, extra: bytes) -> bytes:
    """Append datasets to the JPEG's IIM (as another writer might), dropping the digest."""
    data = path.read_bytes()
    pos = 2
    while data[pos + 1] != 0xED:
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    size = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    payload = data[pos + 4 : pos + 2 + size]
    iim = iim_of(payload) + extra
    new = app13(resource(0x0404, iim))
    path.write_bytes(
        data[:pos] + b"\xff\xed" + struct.pack(">H", len(new) + 2) + new + data[pos + 2 + size :]
    )
    return iim


def iim_in(path: Path) -> list[tuple[int, int, bytes]]:
    payload = next(p for m, p in jpeg_segments(path.read_bytes()) if m == 0xED)
    return sets_of(payload)


@needs_exiftool
def test_exiftool_latin_file_saved(tmp_path: Path) -> None:
    path = tmp_path / "latin.jpg"
    exiftool_latin_jpeg(
        path, "-IPTC:City=Göteborg", "-IPTC:Caption-Abstract=Café ‘x’", "-IPTC:Keywords=Smörgås"
    )
    assert b"G\xf6teborg" in path.read_bytes()  # really written in Latin-1
    assert read_photo(path).metadata.caption == "Café ‘x’"
    write_photo(path, read_photo(path).metadata.replace(title="Kaffe på Göteborg"))
    sets = iim_in(path)
    assert UTF8 in sets  # nothing unknown in it: converted
    got = exiftool_json(path, "-IPTC:all", "-warning")
    assert "Warning" not in got
    assert got["City"] == "Göteborg" and got["Caption-Abstract"] == "Café ‘x’"
    assert got["Keywords"] == "Smörgås" and got["ObjectName"] == "Kaffe på Göteborg"


@needs_exiftool
@pytest.mark.parametrize(("title", "legacy"), [("Kaffe på Göteborg", True), ("서울", False)])
def test_exiftool_latin_file_with_unknown_dataset_saved(
    tmp_path: Path, title: str, legacy: bool
) -> None:
    path = tmp_path / "latin.jpg"
    exiftool_latin_jpeg(path, "-IPTC:City=Göteborg", "-IPTC:Caption-Abstract=Café ‘x’")
    unknown = ds(2, 199, b"\x80\x81\x82\x83") + ds(2, 209, b"Sm\xf6rg\xe5s")
    splice_iim(path, unknown)
    before = exiftool_json(path, "-charset", "iptc=Latin", "-u", "-IPTC:all")
    write_photo(path, read_photo(path).metadata.replace(title=title))
    sets = iim_in(path)
    assert (UTF8 in sets) is not legacy
    for kept in datasets_of(unknown):
        assert kept in sets  # byte-identical either way
    got = exiftool_json(path, "-charset", "iptc=Latin", "-u", "-IPTC:all", "-warning")
    assert "Warning" not in got
    assert got.pop("ObjectName") == title
    assert got.pop("Headline") == title  # no headline: 2:105 holds the title
    got.pop("CodedCharacterSet", None)
    assert got == before
    assert read_photo(path).metadata.title == title


# --------------------------------------------------------------------------- property

TEXTS = st.text(alphabet="aZ 0é€ÖåçÃ©“”서울😀", max_size=12)
DATASET = st.one_of(
    st.tuples(
        st.just(2),
        st.sampled_from([5, 25, 65, 90, 92, 120]),
        st.sampled_from(["latin", "utf8"]),
        TEXTS,
    ),
    st.tuples(
        st.just(2), st.sampled_from([0, 125, 199, 209, 221]), st.just("raw"), st.binary(max_size=8)
    ),
    st.tuples(
        st.sampled_from([1, 3, 8]),
        st.sampled_from([10, 20, 120]),
        st.just("raw"),
        st.binary(max_size=8),
    ),
)


def encode_dataset(record: int, number: int, how: str, value: Any) -> bytes:
    if how == "latin":
        data = value.encode("cp1252", errors="replace")
    elif how == "utf8":
        data = value.encode("utf-8")
    else:
        data = value
    return ds(record, number, data)


@settings(max_examples=300, deadline=None)
@given(st.lists(DATASET, max_size=8), st.booleans(), TEXTS)
def test_untouched_datasets_survive_any_edit(
    raw: list[tuple[int, int, str, Any]], declared: bool, title: str
) -> None:
    iim = (ds(1, 90, b"\x1b%G") if declared else b"") + b"".join(
        encode_dataset(*d) for d in sorted(raw, key=lambda d: d[0])
    )
    before = datasets_of(iim)
    new, _ = build_app13(app13(resource(0x0404, iim)), PhotoMetadata(title=title), ["title"])
    after = [s for s in sets_of(new) if s[:2] not in ((2, 5), (1, 90), (2, 0), (2, 105))]
    expected = [s for s in before if s[:2] not in ((2, 5), (1, 90), (2, 0))]
    assert len(after) == len(expected)
    for (rec, num, old), (rec2, num2, got) in zip(expected, after, strict=True):
        assert (rec, num) == (rec2, num2)
        if rec == 2 and num in (25, 65, 90, 92, 120):
            assert _decode(got) == _decode(old)  # transcoded text reads the same
        else:
            assert got == old  # everything else byte-identical
    assert parse_app13(new).title == (clean_text(title).encode()[:64].decode() or None)
