"""IIM codec tests: APP13/IIM parsing, minimal-change building, charsets, digest."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import struct
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from editor.core.codecs.iptc import PHOTOSHOP_HEADER, IptcValues, build_app13, parse_app13
from editor.core.codecs.xmp import XMP_APP1_HEADER, clean_text, merge_xmp
from editor.core.errors import MetadataFormatError, PhotoCaptionError
from editor.core.model import PhotoMetadata
from tests.core.conftest import sample

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool not on PATH")

IIM_FIELDS = ("title", "caption", "keywords", "creator", "credit", "copyright", "date_taken")
FULL = PhotoMetadata(
    title="평양 타임랩스 😀",
    caption="Line one\nline <two> & 'three'",
    keywords=("강", "river"),
    creator=("Jane Doe", "김철수"),
    credit="Jane / Agency",
    copyright="© 2026 Jane Doe",
    date_taken=datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
)


def ds(record: int, number: int, value: bytes) -> bytes:
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def resource(rid: int, data: bytes, name: bytes = b"\x00") -> bytes:
    name = name + b"\x00" * (len(name) & 1)
    return (
        b"8BIM"
        + struct.pack(">H", rid)
        + name
        + struct.pack(">I", len(data))
        + data
        + (b"\x00" * (len(data) & 1))
    )


def app13(*resources: bytes) -> bytes:
    return PHOTOSHOP_HEADER + b"".join(resources)


def resources_of(payload: bytes) -> list[tuple[int, bytes, bytes]]:
    """(id, whole raw block, data) for each resource — an independent little walker."""
    out = []
    pos = len(PHOTOSHOP_HEADER)
    while pos < len(payload):
        start = pos
        rid = struct.unpack(">H", payload[pos + 4 : pos + 6])[0]
        nlen = payload[pos + 6]
        pos += 6 + nlen + 1 + ((nlen + 1) & 1)
        size = struct.unpack(">I", payload[pos : pos + 4])[0]
        pos += 4
        data = payload[pos : pos + size]
        pos += size + (size & 1)
        out.append((rid, payload[start:pos], data))
    return out


def datasets_of(iim: bytes) -> list[tuple[int, int, bytes]]:
    out, pos = [], 0
    while pos < len(iim):
        rec, num, length = (
            iim[pos + 1],
            iim[pos + 2],
            struct.unpack(">H", iim[pos + 3 : pos + 5])[0],
        )
        out.append((rec, num, iim[pos + 5 : pos + 5 + length]))
        pos += 5 + length
    return out


def iim_of(payload: bytes) -> bytes:
    return next(data for rid, _raw, data in resources_of(payload) if rid == 0x0404)


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        out.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return out


def jpeg_with(payload: bytes, xmp: bytes | None = None) -> bytes:
    """A small Pillow JPEG with our APP13 (and optionally an XMP APP1) inserted after SOI."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buf, "JPEG")
    jpeg = buf.getvalue()
    extra = b""
    if xmp is not None:
        body = XMP_APP1_HEADER + xmp
        extra += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    extra += b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + extra + jpeg[2:]


def exiftool_json(path: Path, *tags: str) -> dict[str, Any]:
    assert EXIFTOOL is not None
    result = subprocess.run(
        [EXIFTOOL, "-j", "-charset", "iptc=UTF8", "-warning", *tags, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    data: dict[str, Any] = json.loads(result.stdout)[0]
    data.pop("SourceFile", None)
    return data


def as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# --------------------------------------------------------------------------- parsing


def test_parse_basic_and_repeated_and_extended_length() -> None:
    long_caption = b"c" * 40_000
    iim = (
        ds(1, 90, b"\x1b%G")
        + ds(2, 0, b"\x00\x04")
        + ds(2, 5, "Titre é".encode())
        + ds(2, 25, b"k1")
        + ds(2, 25, b"k2")
        + ds(2, 80, b"A")
        + ds(2, 80, b"B")
        + ds(2, 105, b"Head")
        + ds(2, 110, b"Cred")
        + ds(2, 116, b"(c)")
        + ds(2, 55, b"20240501")
        + ds(2, 60, b"102030+0930")
        + struct.pack(">BBBHI", 0x1C, 2, 120, 0x8004, len(long_caption))
        + long_caption
    )
    values = parse_app13(app13(resource(0x03ED, b"\x00" * 16), resource(0x0404, iim)))
    assert values.found == dict(
        title="Titre é",
        caption="c" * 40_000,
        keywords=("k1", "k2"),
        creator=("A", "B"),
        headline="Head",
        credit="Cred",
        copyright="(c)",
        date_taken=datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=9.5))),
    )


def test_parse_without_iim_and_dates() -> None:
    assert parse_app13(app13(resource(0x03ED, b"1234"))) == IptcValues()
    assert parse_app13(PHOTOSHOP_HEADER) == IptcValues()

    def date(d: bytes, t: bytes | None) -> datetime | None:
        iim = ds(2, 55, d) + (ds(2, 60, t) if t is not None else b"")
        return parse_app13(app13(resource(0x0404, iim))).date_taken

    assert date(b"20240501", None) == datetime(2024, 5, 1)
    assert date(b"20240501", b"102030") == datetime(2024, 5, 1, 10, 20, 30)
    assert date(b"20240501", b"102030-0500") == datetime(
        2024, 5, 1, 10, 20, 30, tzinfo=timezone(-timedelta(hours=5))
    )
    assert date(b"00000000", b"102030") is None
    assert date(b"garbage!", None) is None


def test_parse_cp1252_without_charset() -> None:
    iim = ds(2, 120, b"Caf\xe9 \x80 \x93quoted\x94") + ds(2, 90, b"M\xfcnchen") + ds(2, 5, b"ascii")
    values = parse_app13(app13(resource(0x0404, iim)))
    assert values.caption == "Café € “quoted”"
    assert values.title == "ascii"


def test_parse_utf8_without_charset_declaration() -> None:
    iim = ds(2, 120, "한국어 é".encode())
    assert parse_app13(app13(resource(0x0404, iim))).caption == "한국어 é"


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"Photoshop 2.5\x00",
        b"Adobe_CM\x00\x03",
        PHOTOSHOP_HEADER + b"8BIM\x04",
        PHOTOSHOP_HEADER + b"XXXX\x04\x04\x00\x00\x00\x00\x00\x00",
        PHOTOSHOP_HEADER + b"8BIM\x04\x04\x00\x00\xff\xff\xff\xff",  # absurd size
        PHOTOSHOP_HEADER + b"8BIM\x04\x04\x10abc",  # name runs past the end
        app13(resource(0x0404, b"\x1c\x02\x05\x7f\xff" + b"x" * 10)),  # dataset too long
        app13(resource(0x0404, b"\x1c\x02")),  # truncated dataset header
        app13(resource(0x0404, b"garbage")),
        app13(resource(0x0404, b"\x1c\x02\x78\x80\x09" + b"\x00" * 9)),  # 9-byte length
        app13(resource(0x0404, b"\x1c\x02\x78\x80\x04\xff\xff\xff\xff")),
    ],
)
def test_malformed_raises_metadata_format_error(bad: bytes) -> None:
    with pytest.raises(MetadataFormatError):
        parse_app13(bad)
    if bad.startswith(PHOTOSHOP_HEADER):
        with pytest.raises(MetadataFormatError):
            build_app13(bad, PhotoMetadata(title="x"), ["title"])


def test_trailing_zero_padding_is_tolerated() -> None:
    payload = app13(resource(0x0404, ds(2, 5, b"T") + b"\x00\x00\x00")) + b"\x00" * 6
    assert parse_app13(payload).title == "T"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_only_raise_our_errors(data: bytes) -> None:
    for payload in (data, PHOTOSHOP_HEADER + data, PHOTOSHOP_HEADER + b"8BIM\x04\x04" + data):
        with contextlib.suppress(PhotoCaptionError):
            parse_app13(payload)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_truncated_or_corrupted_valid_payload(data: st.DataObject) -> None:
    good, _ = build_app13(None, FULL, IIM_FIELDS)
    cut = data.draw(st.integers(0, len(good)))
    pos = data.draw(st.integers(0, len(good) - 1))
    byte = data.draw(st.integers(0, 255))
    for payload in (good[:cut], good[:pos] + bytes([byte]) + good[pos + 1 :]):
        with contextlib.suppress(PhotoCaptionError):
            parse_app13(payload)
            build_app13(payload, FULL, ["title"])


# --------------------------------------------------------------------------- building


def test_fresh_payload_round_trips() -> None:
    payload, warnings = build_app13(None, FULL, IIM_FIELDS)
    assert warnings == ()
    assert [rid for rid, _r, _d in resources_of(payload)] == [0x0404, 0x0425]
    iim = iim_of(payload)
    assert (1, 90, b"\x1b%G") in datasets_of(iim)
    assert (2, 0, b"\x00\x04") in datasets_of(iim)
    digest = next(d for rid, _r, d in resources_of(payload) if rid == 0x0425)
    assert digest == hashlib.md5(iim).digest()
    assert parse_app13(payload).found == dict(
        title=FULL.title,
        caption=FULL.caption,
        keywords=FULL.keywords,
        creator=FULL.creator,
        credit=FULL.credit,
        copyright=FULL.copyright,
        date_taken=FULL.date_taken,
    )


def test_only_named_datasets_change_others_kept_in_order() -> None:
    resolution = resource(
        0x03ED, b"\x00\x48\x00\x00\x00\x01\x00\x01\x00\x48\x00\x00\x00\x01\x00\x01"
    )
    named = resource(0x0BB7, b"odd", name=b"\x04name")
    iim = (
        ds(1, 0, b"\x00\x04")
        + ds(2, 0, b"\x00\x02")
        + ds(2, 120, b"old caption")
        + ds(2, 15, b"CAT")
        + ds(2, 5, b"old title")
        + ds(2, 90, b"Seoul")
        + ds(2, 105, b"Headline")
        + ds(2, 25, b"k1")
        + ds(2, 25, b"k2")
    )
    existing = app13(resolution, resource(0x0404, iim), named, resource(0x0425, b"\x00" * 16))
    # The headline (2:105) moves with the title only where it holds the title: here it does not.
    md = PhotoMetadata(title="new title", headline="Headline")
    payload, _ = build_app13(existing, md, ["title", "keywords"])
    res = resources_of(payload)
    assert [r[0] for r in res] == [0x03ED, 0x0404, 0x0BB7, 0x0425]
    assert res[0][1] == resolution and res[2][1] == named  # byte-for-byte
    assert datasets_of(res[1][2]) == [
        (1, 0, b"\x00\x04"),
        (1, 90, b"\x1b%G"),
        (2, 0, b"\x00\x02"),
        (2, 120, b"old caption"),
        (2, 15, b"CAT"),
        (2, 5, b"new title"),
        (2, 90, b"Seoul"),
        (2, 105, b"Headline"),
    ]
    assert res[3][2] == hashlib.md5(res[1][2]).digest()
    values = parse_app13(payload)
    assert values.keywords is None and values.found is not None
    assert values.headline == "Headline" and values.city == "Seoul"


def test_cp1252_text_is_reencoded_to_utf8() -> None:
    iim = ds(2, 90, b"M\xfcnchen") + ds(2, 120, b"Caf\xe9") + ds(2, 0, b"\x00\x02")
    payload, _ = build_app13(app13(resource(0x0404, iim)), PhotoMetadata(title="Ü"), ["title"])
    sets = datasets_of(iim_of(payload))
    assert (2, 90, "München".encode()) in sets
    assert (2, 120, "Café".encode()) in sets
    assert (2, 0, b"\x00\x02") in sets  # binary dataset untouched
    values = parse_app13(payload)
    assert (values.title, values.caption) == ("Ü", "Café")


def test_duplicate_charset_collapses_and_digest_added() -> None:
    iim = ds(1, 90, b"\x1b%G") + ds(1, 90, b"\x1b%G") + ds(2, 5, b"t")
    payload, _ = build_app13(app13(resource(0x0404, iim)), PhotoMetadata(credit="c"), ["credit"])
    sets = datasets_of(iim_of(payload))
    assert [s for s in sets if s[:2] == (1, 90)] == [(1, 90, b"\x1b%G")]
    assert (2, 110, b"c") in sets
    assert [r[0] for r in resources_of(payload)] == [0x0404, 0x0425]


def test_truncation_on_character_boundary_with_warnings() -> None:
    meta = PhotoMetadata(
        title="가" * 30,  # 90 bytes > 64
        creator=("é" * 20, "short"),  # 40 bytes > 32
        caption="x" * 2001,
        keywords=("k" * 65,),
        credit="c" * 32,  # exactly at the limit: not truncated
        copyright="©" * 70,  # 140 bytes > 128
    )
    payload, warnings = build_app13(None, meta, IIM_FIELDS)
    values = parse_app13(payload)
    assert values.title == "가" * 21  # 63 bytes, never half a character
    assert values.creator == ("é" * 16, "short")
    assert values.caption == "x" * 2000
    assert values.keywords == ("k" * 64,)
    assert values.credit == "c" * 32
    assert values.copyright == "©" * 64
    assert len(warnings) == 5
    assert any("ObjectName" in w for w in warnings)


def test_empty_values_remove_datasets() -> None:
    full, _ = build_app13(None, FULL, IIM_FIELDS)
    empty, _ = build_app13(full, PhotoMetadata(keywords=("", "\x00")), IIM_FIELDS)
    assert parse_app13(empty) == IptcValues()  # only 1:90 and 2:00 left: no IIM data
    assert {(r, n) for r, n, _v in datasets_of(iim_of(empty))} == {(1, 90), (2, 0)}


def test_fields_without_iim_are_ignored_and_unknown_rejected() -> None:
    payload, _ = build_app13(None, PhotoMetadata(alt_text="x", rating=3), ["alt_text", "rating"])
    assert parse_app13(payload) == IptcValues()
    with pytest.raises(MetadataFormatError):
        build_app13(None, PhotoMetadata(), ["nope"])


def test_naive_date_has_no_offset() -> None:
    payload, _ = build_app13(
        None, PhotoMetadata(date_taken=datetime(2020, 1, 2, 3, 4, 5)), ["date_taken"]
    )
    sets = datasets_of(iim_of(payload))
    assert (2, 55, b"20200102") in sets and (2, 60, b"030405") in sets
    assert parse_app13(payload).date_taken == datetime(2020, 1, 2, 3, 4, 5)


def iim_limit(text: str, limit: int) -> str:
    return clean_text(text).encode()[:limit].decode("utf-8", errors="ignore")


LIMITS = {"title": 64, "caption": 2000, "credit": 32, "copyright": 128}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(LIMITS)), st.text(max_size=80))
def test_hypothesis_text_round_trip(field: str, text: str) -> None:
    """Text round-trips after the same cleaning as XMP and the IIM byte limit."""
    payload, warnings = build_app13(None, PhotoMetadata().replace(**{field: text}), [field])
    expected = iim_limit(text, LIMITS[field]) or None
    assert getattr(parse_app13(payload), field) == expected
    assert bool(warnings) == (len(clean_text(text).encode()) > LIMITS[field])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=5), st.lists(st.text(max_size=12), max_size=3))
def test_hypothesis_list_round_trip(keywords: list[str], creators: list[str]) -> None:
    meta = PhotoMetadata(keywords=tuple(keywords), creator=tuple(creators))
    payload, _ = build_app13(None, meta, ["keywords", "creator"])
    values = parse_app13(payload)
    assert values.keywords == (tuple(t for t in (iim_limit(k, 64) for k in keywords) if t) or None)
    assert values.creator == (tuple(t for t in (iim_limit(c, 32) for c in creators) if t) or None)


# --------------------------------------------------------------------------- exiftool oracle


@needs_exiftool
def test_exiftool_reads_what_we_build(tmp_path: Path) -> None:
    payload, _ = build_app13(None, FULL, IIM_FIELDS)
    path = tmp_path / "fresh.jpg"
    xmp = merge_xmp(None, FULL, ["title"])  # an XMP block makes exiftool check the digest
    path.write_bytes(jpeg_with(payload, xmp))
    got = exiftool_json(path, "-IPTC:all", "-Photoshop:IPTCDigest")
    assert "Warning" not in got
    assert got["CodedCharacterSet"] == "UTF8"
    assert got["ObjectName"] == FULL.title
    assert got["Caption-Abstract"] == FULL.caption
    assert as_list(got["Keywords"]) == list(FULL.keywords)
    assert as_list(got["By-line"]) == list(FULL.creator)
    assert got["Credit"] == FULL.credit
    assert got["CopyrightNotice"] == FULL.copyright
    assert got["DateCreated"] == "2024:05:01"
    assert got["TimeCreated"] == "10:20:30-03:30"
    assert got["IPTCDigest"] == hashlib.md5(iim_of(payload)).hexdigest()


@needs_exiftool
def test_exiftool_agrees_on_reencoded_cp1252(tmp_path: Path) -> None:
    iim = ds(2, 0, b"\x00\x02") + ds(2, 90, b"M\xfcnchen") + ds(2, 120, b"Caf\xe9")
    stale_digest = resource(0x0425, b"\x11" * 16)
    payload, _ = build_app13(app13(resource(0x0404, iim), stale_digest), PhotoMetadata(), ["title"])
    path = tmp_path / "cp.jpg"
    path.write_bytes(jpeg_with(payload, merge_xmp(None, PhotoMetadata(), [])))
    got = exiftool_json(path, "-IPTC:all")
    assert "Warning" not in got  # the digest was refreshed
    assert got["City"] == "München"
    assert got["Caption-Abstract"] == "Café"


@needs_exiftool
def test_exiftool_flags_a_stale_digest(tmp_path: Path) -> None:
    """Sanity check of the oracle: a digest that does not match is reported."""
    payload, _ = build_app13(None, FULL, ["title"])
    stale = payload[:-16] + b"\x00" * 16
    path = tmp_path / "stale.jpg"
    path.write_bytes(jpeg_with(stale, merge_xmp(None, PhotoMetadata(), [])))
    assert "IPTCDigest is not current" in exiftool_json(path, "-IPTC:all").get("Warning", "")


# --------------------------------------------------------------------------- real samples

SAMPLE_FILES = [
    "exiftool-ExifTool.jpg",
    "exiv2-Reagan.jpg",
    "ianare-DSCN0010.jpg",
    "ianare-32-lens_data.jpeg",
]


def photoshop_app13(path: Path) -> bytes | None:
    for marker, payload in jpeg_segments(path.read_bytes()):
        if marker == 0xED and payload.startswith(PHOTOSHOP_HEADER):
            return payload
    return None


@pytest.mark.samples
@needs_exiftool
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_samples_parse_like_exiftool(name: str) -> None:
    path = sample(name)
    payload = photoshop_app13(path)
    got = exiftool_json(path, "-IPTC:all")
    got.pop("Warning", None)
    if payload is None:
        assert not got  # exiftool finds no IPTC either
        return
    values = parse_app13(payload)

    def scalar(key: str) -> str | None:
        return None if key not in got else str(got[key])

    assert values.title == scalar("ObjectName")
    assert values.caption == scalar("Caption-Abstract")
    assert values.credit == scalar("Credit")
    assert values.copyright == scalar("CopyrightNotice")
    assert (list(values.keywords) if values.keywords else None) == as_list(got.get("Keywords"))
    assert (list(values.creator) if values.creator else None) == as_list(got.get("By-line"))
    assert values.date_taken is not None
    assert values.date_taken.strftime("%Y:%m:%d") == got["DateCreated"]


@pytest.mark.samples
@needs_exiftool
@pytest.mark.parametrize("name", ["exiftool-ExifTool.jpg", "exiv2-Reagan.jpg"])
def test_samples_build_keeps_everything_exiftool_sees(name: str, tmp_path: Path) -> None:
    payload = photoshop_app13(sample(name))
    assert payload is not None
    read = parse_app13(payload).found or {}
    new, warnings = build_app13(payload, PhotoMetadata(**read).replace(title="새 제목"), ["title"])
    assert warnings == ()
    old_path, new_path = tmp_path / "old.jpg", tmp_path / "new.jpg"
    xmp = merge_xmp(None, PhotoMetadata(), [])
    old_path.write_bytes(jpeg_with(payload, xmp))
    new_path.write_bytes(jpeg_with(new, xmp))
    tags = ("-IPTC:all", "-Photoshop:all", "-G1", "-a")
    before, after = exiftool_json(old_path, *tags), exiftool_json(new_path, *tags)
    assert "ExifTool:Warning" not in after
    assert after.pop("IPTC:ObjectName") == "새 제목"
    before.pop("IPTC:ObjectName", None)
    if "IPTC:Headline" not in before:  # without a headline, 2:105 holds the title (WordPress)
        assert after.pop("IPTC:Headline") == "새 제목"
    for key in ("Photoshop:IPTCDigest", "IPTC:CodedCharacterSet", "ExifTool:Warning"):
        before.pop(key, None)
        after.pop(key, None)
    assert after == before
    # every non-IPTC resource byte-for-byte and in order
    kept_old = [raw for rid, raw, _d in resources_of(payload) if rid not in (0x0404, 0x0425)]
    kept_new = [raw for rid, raw, _d in resources_of(new) if rid not in (0x0404, 0x0425)]
    assert kept_new == kept_old


def test_dates_with_digits_int_cannot_read_are_ignored() -> None:
    from editor.core.codecs.iptc import _parse_date

    assert _parse_date("²0240101", None) is None  # "²".isdigit() is true; int() refuses it
    assert _parse_date("20240101", "12345٣+0000") == datetime(2024, 1, 1)
