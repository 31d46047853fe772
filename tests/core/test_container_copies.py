"""Copies of a fact at the container level stay in step (issue 12 item 3): a second XMP packet,
Extended XMP, PNG raw profiles, TIFF IPTC. Each file is built by hand or by exiftool and read
back with exiftool (and exiv2 where it reads the store)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import piexif
import pytest
from PIL import Image

from editor.core.formats import jpeg
from editor.core.metadata import read_photo, write_photo
from tests.core.conftest import EXIFTOOL, exiftool_json, needs_exiftool
from tests.reliability import layouts

EXIV2 = shutil.which("exiv2")


def _exiv2(path: Path) -> str:
    if not EXIV2:
        pytest.skip("exiv2 not on PATH")
    return subprocess.run([EXIV2, "-pa", str(path)], capture_output=True, text=True).stdout


def _all_values(path: Path, tag: str) -> list[str]:
    """Every copy of ``tag`` exiftool finds (-a: duplicates included)."""
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-a", "-m", "-s3", f"-{tag}", str(path)], capture_output=True, text=True
    ).stdout
    return out.splitlines()


# --- two standard XMP packets ---------------------------------------------------------------


@needs_exiftool
def test_second_xmp_packet_is_read_merged_and_saved_as_one(tmp_path: Path) -> None:
    path = tmp_path / "two.jpg"
    path.write_bytes(layouts.two_xmp_packets(layouts.plain_jpeg(), "First", "Second"))
    assert _all_values(path, "XMP-dc:Description") == ["First", "Second"]  # exiftool sees both
    record = read_photo(path)
    assert record.metadata.caption == "First"  # the first packet wins
    assert record.metadata.title == "Packet two"  # only in the second packet: read
    assert any("2 XMP packets" in w for w in record.warnings)
    assert any("dc:description" in w for w in record.warnings)
    write_photo(path, dataclasses.replace(record.metadata, caption="New caption"))
    assert _all_values(path, "XMP-dc:Description") == ["New caption"]
    assert _all_values(path, "XMP-dc:Title") == ["Packet two"]
    assert len(jpeg.parse_layout(path.read_bytes()).all("xmp")) == 1
    assert 'lang="x-default" New caption' in _exiv2(path)
    assert b"Second" not in path.read_bytes()  # no stale copy left anywhere


# --- Extended XMP -----------------------------------------------------------------------------


@needs_exiftool
def test_extended_xmp_is_read_and_dropped_when_the_edit_fits_one_packet(tmp_path: Path) -> None:
    path = tmp_path / "ext.jpg"
    path.write_bytes(layouts.extended_xmp(layouts.plain_jpeg(), "Main caption", keywords=700))
    record = read_photo(path)
    assert len(record.metadata.keywords) == 700  # held in the extension
    assert record.metadata.caption == "Main caption"
    write_photo(path, dataclasses.replace(record.metadata, keywords=("only", "two")))
    data = path.read_bytes()
    assert not jpeg.parse_layout(data).all("xmp-ext")
    assert b"HasExtendedXMP" not in data
    assert exiftool_json(path, "-XMP-dc:Subject")["Subject"] == ["only", "two"]
    assert _all_values(path, "XMP-dc:Description") == ["Main caption"]
    assert read_photo(path).metadata.keywords == ("only", "two")


def _exiftool_extended(path: Path, keywords: int) -> None:
    """A JPEG whose XMP exiftool itself splits into Extended XMP (over 64 KB)."""
    path.write_bytes(layouts.plain_jpeg())
    args = path.with_suffix(".args")
    lines = [f"-XMP-dc:Subject=keyword {i:05d} with some words to fill" for i in range(keywords)]
    args.write_text("\n".join([*lines, "-XMP-dc:Description=Old caption", ""]))
    assert EXIFTOOL is not None
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", "-@", str(args), str(path)], check=True)
    assert jpeg.parse_layout(path.read_bytes()).all("xmp-ext")


def _extension_of(data: bytes) -> tuple[str, bytes, list[int]]:
    """The main packet's GUID, the assembled extension and each chunk's size."""
    layout = jpeg.parse_layout(data)
    main = layout.all("xmp")
    assert len(main) == 1
    start = len(jpeg.XMP_EXT_HEADER)
    chunks = sorted(
        (struct.unpack(">I", s.payload[start + 36 : start + 40])[0], s.payload[start + 40 :],
         s.payload[start : start + 32].decode())
        for s in layout.all("xmp-ext")
    )  # fmt: skip
    guids = {g for _, _, g in chunks}
    assert len(guids) == 1
    return guids.pop(), b"".join(c for _, c, _ in chunks), [len(c) for _, c, _ in chunks]


@needs_exiftool
def test_large_extended_xmp_is_split_again_consistently(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    _exiftool_extended(path, keywords=2500)
    record = read_photo(path)
    assert len(record.metadata.keywords) == 2500 and record.metadata.caption == "Old caption"
    write_photo(path, dataclasses.replace(record.metadata, caption="New caption"))
    data = path.read_bytes()
    guid, extension, sizes = _extension_of(data)
    assert guid == hashlib.md5(extension).hexdigest().upper()
    assert max(sizes) <= 65000
    found = exiftool_json(path, "-a", "-G1", "-m", "-XMP:all", "-Warning")
    assert found["XMP-xmpNote:HasExtendedXMP"] == guid
    assert found["XMP-dc:Description"] == "New caption"
    subjects = subprocess.run(
        [EXIFTOOL or "exiftool", "-m", "-b", "-sep", "\n", "-XMP-dc:Subject", str(path)],
        capture_output=True, text=True,
    ).stdout.split("\n")  # fmt: skip
    assert len(set(subjects)) == 2500
    assert b"Old caption" not in data
    again = read_photo(path)
    assert len(again.metadata.keywords) == 2500 and again.metadata.caption == "New caption"
    size = _xmp_bytes(data)
    for caption in ("Third caption", "Fourth caption"):
        write_photo(path, dataclasses.replace(again.metadata, caption=caption))
        assert abs(_xmp_bytes(path.read_bytes()) - size) < 10  # no growth: replaced, not added
    assert _all_values(path, "XMP-dc:Description") == ["Fourth caption"]


def _xmp_bytes(data: bytes) -> int:
    layout = jpeg.parse_layout(data)
    return sum(s.end - s.start for s in layout.all("xmp") + layout.all("xmp-ext"))


def test_incomplete_extended_xmp_is_shown_but_not_written(tmp_path: Path) -> None:
    data = layouts.extended_xmp(layouts.plain_jpeg(), "Main", keywords=7000)
    layout = jpeg.parse_layout(data)
    last = layout.all("xmp-ext")[-1]
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: last.start] + data[last.end :])
    record = read_photo(path)
    assert record.metadata.caption == "Main"
    assert not record.writable and "Extended XMP" in record.read_only_reason


# --- PNG raw profiles -------------------------------------------------------------------------


def _png_text_keywords(data: bytes) -> list[bytes]:
    out, pos = [], 8
    while pos < len(data):
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind in (b"tEXt", b"zTXt"):
            out.append(data[pos + 8 : pos + 8 + size].partition(b"\x00")[0])
        pos += 12 + size
    return out


@needs_exiftool
def test_png_raw_profiles_are_read_and_kept_in_step(tmp_path: Path) -> None:
    path = tmp_path / "raw.png"
    path.write_bytes(layouts.png_raw_profiles(layouts.plain_png(), "Old caption"))
    record = read_photo(path)
    assert record.metadata.caption == "Old caption" and record.writable
    write_photo(path, dataclasses.replace(record.metadata, caption="New caption"))
    for tag in ("XMP-dc:Description", "IFD0:ImageDescription", "IPTC:Caption-Abstract"):
        assert _all_values(path, tag) == ["New caption"], tag
    everything = subprocess.run(
        [EXIFTOOL or "exiftool", "-a", "-G1", "-s", str(path)], capture_output=True, text=True
    ).stdout
    assert "Old caption" not in everything
    # EXIF and XMP moved to eXIf/iTXt; IPTC, which has no standard PNG chunk, stays a profile.
    assert _png_text_keywords(path.read_bytes()) == [b"Raw profile type iptc"]
    out = _exiv2(path)
    assert "Exif.Image.ImageDescription" in out and "Iptc.Application2.Caption" in out
    assert "Old caption" not in out


def _bare_iim_png(caption: str) -> bytes:
    """A PNG with only a tEXt raw IPTC profile holding bare IIM (no Photoshop resource)."""
    png = layouts.plain_png()
    iim = b"\x1c\x02\x00\x00\x02\x00\x04" + b"\x1c\x02\x78" + struct.pack(">H", len(caption))
    iim += caption.encode()
    text = layouts._raw_profile("iptc", iim)
    chunk = layouts._png_chunk(b"tEXt", b"Raw profile type iptc\x00" + text)
    return png[:33] + chunk + png[33:]


@needs_exiftool
def test_png_bare_iim_profile_keeps_its_shape(tmp_path: Path) -> None:
    path = tmp_path / "iim.png"
    path.write_bytes(_bare_iim_png("Old IIM caption"))
    assert _all_values(path, "IPTC:Caption-Abstract") == ["Old IIM caption"]
    record = read_photo(path)
    assert record.metadata.caption == "Old IIM caption"
    write_photo(path, dataclasses.replace(record.metadata, caption="New IIM caption"))
    assert _all_values(path, "IPTC:Caption-Abstract") == ["New IIM caption"]
    assert _all_values(path, "XMP-dc:Description") == ["New IIM caption"]
    data = path.read_bytes()
    assert b"tEXtRaw profile type iptc\x00\n" in data  # same chunk type, still bare IIM
    assert b"8BIM".hex().encode() not in data


@needs_exiftool
def test_png_stale_raw_exif_beside_exif_chunk_is_removed(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG", exif=piexif.dump({"0th": {270: b"Current"}}))
    stale = piexif.dump({"0th": {270: b"Stale copy"}})
    text = layouts._raw_profile("exif", stale)
    chunk = layouts._png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(text))
    png = buf.getvalue()
    path = tmp_path / "both.png"
    path.write_bytes(png[:33] + chunk + png[33:])
    record = read_photo(path)
    assert record.metadata.caption == "Current"  # eXIf wins over the raw profile
    write_photo(path, dataclasses.replace(record.metadata, caption="Edited"))
    assert _all_values(path, "IFD0:ImageDescription") == ["Edited"]
    assert _png_text_keywords(path.read_bytes()) == []


# --- TIFF IPTC (33723) and Photoshop resources (34377) ------------------------------------------


def _validate_warnings(path: Path) -> set[str]:
    out = subprocess.run(
        [EXIFTOOL or "exiftool", "-validate", "-warning", "-a", "-s3", str(path)],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return set(out.splitlines()[1:])


@needs_exiftool
def test_tiff_iptc_tag_and_photoshop_digest_kept_in_step(tmp_path: Path) -> None:
    path = tmp_path / "naa.tif"
    Image.new("RGB", (16, 12), (5, 6, 7)).save(path)
    subprocess.run(
        [EXIFTOOL or "exiftool", "-q", "-overwrite_original", "-IPTC:Caption-Abstract=Old caption",
         "-IPTC:By-line=Old Author", "-IPTC:Keywords=kept", "-Photoshop:URL=http://x",
         "-Photoshop:IPTCDigest=new", str(path)],
        check=True,
    )  # fmt: skip
    warnings_before = _validate_warnings(path)
    record = read_photo(path)
    assert record.metadata.caption == "Old caption" and record.writable
    saved = dataclasses.replace(record.metadata, caption="New caption", creator=("New Author",))
    write_photo(path, saved)
    assert _all_values(path, "IPTC:Caption-Abstract") == ["New caption"]
    assert _all_values(path, "IPTC:By-line") == ["New Author"]
    assert _all_values(path, "IPTC:Keywords") == ["kept"]  # not edited: still there
    assert _all_values(path, "Photoshop:URL") == ["http://x"]
    found = exiftool_json(path, "-Photoshop:IPTCDigest", "-CurrentIPTCDigest")
    assert found["IPTCDigest"] == found["CurrentIPTCDigest"]
    assert _validate_warnings(path) <= warnings_before
    out = _exiv2(path)
    assert "Iptc.Application2.Caption                    String     11  New caption" in out
    assert "Old caption" not in out


def _irb_tiff(path: Path) -> None:
    """A TIFF whose IIM lives only in the Photoshop resources of tag 34377."""
    from PIL import TiffImagePlugin

    def dataset(number: int, value: bytes) -> bytes:
        return struct.pack(">BBBH", 0x1C, 2, number, len(value)) + value

    iim = dataset(0, b"\x00\x04") + dataset(120, b"Old IRB caption") + dataset(80, b"Old Author")
    irb = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) & 1)
    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    ifd[34377] = irb
    ifd.tagtype[34377] = 7
    Image.new("RGB", (8, 8)).save(path, tiffinfo=ifd)


@needs_exiftool
def test_tiff_iim_inside_photoshop_resources_kept_in_step(tmp_path: Path) -> None:
    path = tmp_path / "irb.tif"
    _irb_tiff(path)
    record = read_photo(path)
    assert record.metadata.caption == "Old IRB caption"
    write_photo(path, dataclasses.replace(record.metadata, caption="New IRB caption"))
    assert _all_values(path, "IPTC:Caption-Abstract") == ["New IRB caption"]
    assert _all_values(path, "IPTC:By-line") == ["Old Author"]
    from editor.core.formats import tiff

    _, ifd0 = tiff._ifd0(path.read_bytes())
    assert ifd0.get(tiff.TAG_IPTC) is None  # no second copy created


def _jpeg_with_packets(*packets: bytes) -> bytes:
    segments = b"".join(
        layouts._segment(0xE1, layouts.XMP_HEADER + packet) for packet in packets
    )
    return layouts._after_soi(layouts.plain_jpeg(), segments)


@needs_exiftool
def test_second_packet_attribute_properties_and_outer_namespaces_are_merged(
    tmp_path: Path,
) -> None:
    second = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b'<rdf:Description rdf:about="" xmp:Rating="4"><dc:rights><rdf:Alt>'
        b'<rdf:li xml:lang="x-default">Rights two</rdf:li></rdf:Alt></dc:rights>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    path = tmp_path / "attrs.jpg"
    path.write_bytes(_jpeg_with_packets(layouts.xmp_packet(""), second))
    record = read_photo(path)
    assert record.metadata.rating == 4 and record.metadata.copyright == "Rights two"
    write_photo(path, dataclasses.replace(record.metadata, caption="Merged"))
    found = exiftool_json(path, "-XMP:all")
    assert (found["Rating"], found["Rights"], found["Description"]) == (4, "Rights two", "Merged")
    assert len(jpeg.parse_layout(path.read_bytes()).all("xmp")) == 1


def test_unreadable_second_packet_makes_the_file_read_only(tmp_path: Path) -> None:
    path = tmp_path / "bad-second.jpg"
    good = layouts.xmp_packet('<dc:title><rdf:Alt><rdf:li xml:lang="x-default">T</rdf:li>'
                              "</rdf:Alt></dc:title>")  # fmt: skip
    path.write_bytes(_jpeg_with_packets(good, b"<x:xmpmeta><broken"))
    record = read_photo(path)
    assert record.metadata.title == "T"
    assert not record.writable and "XMP" in record.read_only_reason
    assert any("cannot be read" in w for w in record.warnings)
