"""Exported copies carry the original's metadata through the preset filter (issue 11, item 2).

The source is a camera JPEG (GPS, serials, owner, maker note) to which exiftool adds rights,
licensing, provenance, creator contact, place and unknown-namespace XMP and IIM; every copy is read
back with exiftool, the independent reader.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from editor.core.codecs import tiff_ifd as tiff
from editor.core.codecs import xmp
from editor.core.export import (
    ExportFinished,
    ExportItem,
    ExportOptions,
    MetadataPreset,
    export_photos,
    preview_removal,
)
from editor.core.export.types import ExportResult
from editor.core.fields import NS_PHOTOSHOP
from editor.core.formats import jpeg
from editor.core.metadata import read_photo
from tests.core.test_export_support import EXIFTOOL, MAKERNOTE, exiftool_json, make_photo

needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool not on PATH")

NS_TEST = "http://example.com/ns/photocaption-test/1.0/"
_CONFIG = """%Image::ExifTool::UserDefined = (
    'Image::ExifTool::XMP::Main' => {
        pcx => { SubDirectory => { TagTable => 'Image::ExifTool::UserDefined::pcx' } },
    },
);
%Image::ExifTool::UserDefined::pcx = (
    GROUPS => { 0 => 'XMP', 1 => 'XMP-pcx', 2 => 'Image' },
    NAMESPACE => { 'pcx' => '""" + NS_TEST + """' },
    WRITABLE => 'string',
    Project => { },
);
1;
"""
SOURCE_TAGS = {
    "XMP-dc:Title": "Mansudae at dusk",
    "XMP-dc:Description": "Statues on the hill",
    "XMP-dc:Creator": "Jane Doe",
    "XMP-dc:Rights": "© 2024 Jane Doe",
    "XMP-dc:Subject": "statue",
    "XMP-xmpRights:WebStatement": "https://example.com/licence",
    "XMP-xmpRights:UsageTerms": "Editorial use only",
    "XMP-plus:LicensorName": "Example Agency",
    "XMP-plus:LicensorURL": "https://agency.example.com/",
    "XMP-iptcExt:DigitalSourceType":
        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
    "XMP-iptcCore:CreatorWorkEmail": "jane@example.com",
    "XMP-iptcCore:CreatorWorkURL": "https://jane.example.com/",
    "XMP-photoshop:City": "Pyongyang",
    "XMP-photoshop:Headline": "Dusk at Mansudae",
    "XMP-photoshop:Credit": "Jane Doe / Agency",
    "XMP-xmp:Rating": 4,
    "XMP-pcx:Project": "Zeta",
    "IPTC:ObjectName": "Mansudae at dusk",
    "IPTC:Caption-Abstract": "Statues on the hill",
    "IPTC:By-line": "Jane Doe",
    "IPTC:City": "Pyongyang",
    "IPTC:Headline": "Dusk at Mansudae",
    "IPTC:Source": "Agency archive",
    "IPTC:CopyrightNotice": "© 2024 Jane Doe",
    "IPTC:Keywords": "statue",
    "IPTC:Credit": "Jane Doe / Agency",
}
# Groups that describe the file rather than the photo, or that exiftool derives.
_IGNORED_GROUPS = frozenset({"ExifTool", "File", "System", "JFIF", "Composite", "XMP-x"})
CAPTION_AND_RIGHTS = {
    # EXIF: the caption fields, and what every JPEG copy must carry
    "IFD0:ImageDescription", "IFD0:Artist", "IFD0:Copyright", "IFD0:XPTitle", "IFD0:XPComment",
    "IFD0:XPAuthor", "IFD0:XPKeywords", "IFD0:Orientation", "IFD0:XResolution",
    "IFD0:YResolution", "IFD0:ResolutionUnit", "IFD0:YCbCrPositioning", "ExifIFD:ExifVersion",
    "ExifIFD:ComponentsConfiguration", "ExifIFD:FlashpixVersion", "ExifIFD:ColorSpace",
    "ExifIFD:ExifImageWidth", "ExifIFD:ExifImageHeight",
    # XMP: descriptive, rights, licensing, creator contact, provenance
    "XMP-dc:Title", "XMP-dc:Description", "XMP-dc:Creator", "XMP-dc:Rights", "XMP-dc:Subject",
    "XMP-xmpRights:WebStatement", "XMP-xmpRights:UsageTerms", "XMP-plus:LicensorName",
    "XMP-plus:LicensorURL", "XMP-iptcExt:DigitalSourceType", "XMP-iptcCore:CreatorWorkEmail",
    "XMP-iptcCore:CreatorWorkURL", "XMP-photoshop:Credit", "XMP-photoshop:Headline",
    "XMP-photoshop:Source",
    # IIM
    "IPTC:EnvelopeRecordVersion", "IPTC:CodedCharacterSet", "IPTC:ApplicationRecordVersion",
    "IPTC:ObjectName", "IPTC:Caption-Abstract", "IPTC:By-line", "IPTC:CopyrightNotice",
    "IPTC:Keywords", "IPTC:Credit", "IPTC:Headline", "IPTC:Source", "Photoshop:IPTCDigest",
}


def carry_source(folder: Path) -> Path:
    """A camera JPEG with everything a photographer's original may carry, written by exiftool."""
    assert EXIFTOOL is not None
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "pcx.config"
    config.write_text(_CONFIG)
    src = make_photo(folder / "source.jpg")
    args = [f"-{tag}={value}" for tag, value in SOURCE_TAGS.items()]
    subprocess.run([EXIFTOOL, "-config", str(config), "-overwrite_original", "-q",
                    "-XMP-tiff:Orientation=Rotate 90 CW", "-IPTC:CodedCharacterSet=UTF8",
                    *args, str(src)], check=True, capture_output=True)
    return src


def export_one(src: Path, out: Path, **options: object) -> tuple[Path, ExportResult]:
    item = ExportItem(src, read_photo(src).metadata)
    *_, last = export_photos([item], ExportOptions(out, long_edge=600, snippets=(),
                                                   **options))  # type: ignore[arg-type]
    assert isinstance(last, ExportFinished)
    result = last.result
    assert not result.failures, result.failures
    return out / result.photos[0].outputs[0].name, result


def photo_tags(path: Path) -> dict[str, object]:
    (tags,) = exiftool_json(path)
    groups = {k: k.split(":")[0] for k in tags}
    return {k: v for k, v in tags.items() if k != "SourceFile"
            and groups[k] not in _IGNORED_GROUPS and not groups[k].startswith("ICC")}


def warnings_of(path: Path) -> set[str]:
    assert EXIFTOOL is not None
    out = subprocess.run([EXIFTOOL, "-validate", "-warning", "-a", "-s", str(path)],
                         capture_output=True, check=True, text=True).stdout
    return {line.split(":", 1)[1].strip() for line in out.splitlines()
            if line.startswith("Warning")}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if EXIFTOOL is None:
        pytest.skip("exiftool not on PATH")
    return carry_source(tmp_path_factory.mktemp("carry"))


@needs_exiftool
def test_the_source_carries_what_the_copies_are_checked_for(source: Path) -> None:
    tags = photo_tags(source)
    for tag, value in SOURCE_TAGS.items():
        assert tags[tag] == value, tag
    assert "GPS:GPSLatitude" in tags and "ExifIFD:SerialNumber" in tags


@needs_exiftool
def test_all_keeps_everything_the_original_had_but_gps(source: Path, tmp_path: Path) -> None:
    copy, result = export_one(source, tmp_path, metadata=MetadataPreset.ALL)
    before, after = photo_tags(source), photo_tags(copy)
    lost = {k: v for k, v in before.items() if after.get(k) != v}
    # What describes the original's pixels or layout is rewritten for the copy; GPS goes.
    assert {k for k in lost if not k.startswith("GPS:")} == {"XMP-tiff:Orientation"}
    assert not [k for k in after if k.startswith("GPS:")]
    assert after["XMP-pcx:Project"] == "Zeta" and after["IPTC:City"] == "Pyongyang"
    assert after["ExifIFD:ExifImageWidth"] == 600
    assert after["IFD0:Orientation"] == "Horizontal (normal)"
    assert result.removed_summary == ("GPS position removed from 1 photo",)


@needs_exiftool
def test_caption_and_rights_keeps_exactly_its_fields(source: Path, tmp_path: Path) -> None:
    copy, result = export_one(source, tmp_path)
    tags = photo_tags(copy)
    assert set(tags) == CAPTION_AND_RIGHTS
    for tag in ("XMP-xmpRights:WebStatement", "XMP-plus:LicensorName", "XMP-plus:LicensorURL",
                "XMP-iptcExt:DigitalSourceType", "XMP-iptcCore:CreatorWorkEmail",
                "XMP-iptcCore:CreatorWorkURL", "IPTC:Caption-Abstract"):
        assert tags[tag] == SOURCE_TAGS[tag]
    (summary,) = result.removed_summary
    for label in ("GPS position", "place names", "camera serial number", "maker notes",
                  "camera and exposure details", "other metadata"):
        assert label in summary


@needs_exiftool
def test_all_but_camera_and_location(source: Path, tmp_path: Path) -> None:
    copy, _ = export_one(source, tmp_path, metadata=MetadataPreset.ALL_BUT_CAMERA_AND_LOCATION)
    tags = photo_tags(copy)
    assert tags["IFD0:Make"] == "FakeCam" and tags["ExifIFD:FNumber"] == 8.0
    assert tags["XMP-pcx:Project"] == "Zeta" and tags["IPTC:Headline"] == "Dusk at Mansudae"
    assert tags["XMP-plus:LicensorURL"] == SOURCE_TAGS["XMP-plus:LicensorURL"]
    for gone in ("XMP-photoshop:City", "IPTC:City", "ExifIFD:SerialNumber",
                 "ExifIFD:LensSerialNumber", "ExifIFD:OwnerName", "ExifIFD:MakerNoteUnknown"):
        assert gone not in tags
    assert not [k for k in tags if k.startswith("GPS:") or "MakerNote" in k]


@needs_exiftool
def test_keeping_location_keeps_gps_and_place_names(source: Path, tmp_path: Path) -> None:
    copy, result = export_one(source, tmp_path, keep_location=True)
    tags = photo_tags(copy)
    assert "39 deg 1' 12.00\"" in str(tags["GPS:GPSLatitude"])
    assert tags["XMP-photoshop:City"] == "Pyongyang" and tags["IPTC:City"] == "Pyongyang"
    assert "GPS position" not in " ".join(result.removed_summary)


@needs_exiftool
@pytest.mark.parametrize("preset", list(MetadataPreset))
def test_copies_add_no_validate_warnings(source: Path, tmp_path: Path,
                                         preset: MetadataPreset) -> None:
    copy, _ = export_one(source, tmp_path, metadata=preset)
    assert warnings_of(copy) - warnings_of(source) == set()


@needs_exiftool
@pytest.mark.parametrize("preset", list(MetadataPreset))
def test_privacy_preview_is_what_the_export_removes(source: Path, tmp_path: Path,
                                                   preset: MetadataPreset) -> None:
    item = ExportItem(source, read_photo(source).metadata)
    options = ExportOptions(tmp_path, metadata=preset, long_edge=600, snippets=())
    _, result = export_one(source, tmp_path, metadata=preset)
    assert preview_removal([item], options) == list(result.removed_summary)


@needs_exiftool
def test_maker_note_stays_at_its_offset_byte_for_byte(source: Path, tmp_path: Path) -> None:
    copy, _ = export_one(source, tmp_path, metadata=MetadataPreset.ALL)

    def maker_note(path: Path) -> tuple[int, bytes]:
        exif = jpeg.extract(path.read_bytes()).exif
        assert exif is not None
        endian, _ = tiff.header(exif)
        entry = tiff.walk_ifds(exif)["Exif"].get(0x927C)
        assert entry is not None
        return entry.offset(endian), entry.value_bytes(exif, endian)

    assert maker_note(copy) == maker_note(source)
    assert maker_note(copy)[1] == MAKERNOTE


@needs_exiftool
def test_iim_stays_within_its_byte_limits(source: Path, tmp_path: Path) -> None:
    long_caption = "A very long caption. " * 150  # over IIM's 2000 bytes
    item = ExportItem(source, read_photo(source).metadata.replace(caption=long_caption.strip()))
    *_, last = export_photos([item], ExportOptions(tmp_path, long_edge=600, snippets=()))
    assert isinstance(last, ExportFinished)
    copy = tmp_path / last.result.photos[0].outputs[0].name
    tags = photo_tags(copy)
    assert tags["XMP-dc:Description"] == long_caption.strip()
    assert len(str(tags["IPTC:Caption-Abstract"]).encode()) <= 2000
    assert not [w for w in warnings_of(copy) if "too long" in w.lower()]


def test_xmp_filter_removes_whole_properties_and_keeps_unknown_ones() -> None:
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:pcx="{NS_TEST}" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" photoshop:City="Pyongyang">'
        '<pcx:Project>Zeta</pcx:Project><plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">'
        '<plus:LicensorName>Agency</plus:LicensorName></rdf:li></rdf:Seq></plus:Licensor>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>'
    ).encode()
    assert xmp.properties(packet) == [(NS_PHOTOSHOP, "City"), (NS_TEST, "Project"),
                                      ("http://ns.useplus.org/ldf/xmp/1.0/", "Licensor")]
    kept = xmp.filter_properties(packet, lambda uri, local: local != "City")
    assert xmp.properties(kept) == xmp.properties(packet)[1:]
    assert b"LicensorName>Agency<" in kept and b"Pyongyang" not in kept
    gone = xmp.filter_properties(packet, lambda uri, local: uri != NS_TEST)
    assert b"Zeta" not in gone and b"Licensor" in gone


def test_an_xmp_packet_too_big_for_jpeg_keeps_its_caption_fields(tmp_path: Path) -> None:
    from PIL import Image, PngImagePlugin

    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:pcx="{NS_TEST}" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Big history</rdf:li></rdf:Alt>'
        f'</dc:description><pcx:History>{"x" * 70_000}</pcx:History>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>'
    )
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet)
    src = tmp_path / "big.png"
    Image.new("RGB", (64, 48), (10, 200, 30)).save(src, pnginfo=info)
    item = ExportItem(src, read_photo(src).metadata)
    *_, last = export_photos([item], ExportOptions(tmp_path / "out", metadata=MetadataPreset.ALL,
                                                   snippets=()))
    assert isinstance(last, ExportFinished) and not last.result.failures
    photo = last.result.photos[0]
    assert any("XMP too large" in w for w in photo.warnings)
    copy = jpeg.extract((tmp_path / "out" / photo.outputs[0].name).read_bytes())
    assert copy.xmp is not None and b"Big history" in copy.xmp and b"xxxx" not in copy.xmp
