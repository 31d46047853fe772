"""Metadata on exported copies, checked with exiftool as an independent reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.export import ExportFinished, ExportItem, ExportOptions, MetadataPreset
from editor.core.export import export_photos as export
from editor.core.export.types import ExportResult
from tests.core.test_export_support import (
    CAPTIONS,
    EXIFTOOL,
    KOREAN,
    OWNER,
    SERIAL,
    exiftool_json,
    make_set,
)

needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool not on PATH")
PRIVATE = ("GPS", "Serial", "MakerNote", "OwnerName", "FakeCam")


def run(items: list[ExportItem], options: ExportOptions) -> ExportResult:
    *_, last = export(items, options)
    assert isinstance(last, ExportFinished)
    return last.result


def tags_of(result: ExportResult, fmt: str = "jpeg") -> list[dict[str, object]]:
    files = [result.out_dir / o.name for p in result.photos for o in p.outputs if o.format == fmt]
    return exiftool_json(*files)


def private_tags(tags: dict[str, object]) -> list[str]:
    return [k for k, v in tags.items()
            if any(word in k for word in PRIVATE) or str(v) in (SERIAL, OWNER)
            or "MakerNotes" in str(v)]


@needs_exiftool
def test_default_copies_carry_caption_rights_and_nothing_private(tmp_path: Path) -> None:
    items = make_set(tmp_path / "src")
    result = run(items, ExportOptions(tmp_path / "out"))
    for tags, item in zip(tags_of(result), items, strict=True):
        m = item.metadata
        if m.caption:
            assert tags["IFD0:ImageDescription"] == m.caption
            assert tags["XMP-dc:Description"] == m.caption
            assert tags["IPTC:Caption-Abstract"] == m.caption
        if m.title:  # as a save stores it: the title is not the headline
            assert tags["IPTC:ObjectName"] == m.title
            assert tags["XMP-dc:Title"] == m.title
        if m.headline:
            assert tags["IPTC:Headline"] == tags["XMP-photoshop:Headline"] == m.headline
        else:  # WordPress's title: the headline, else the title
            assert "XMP-photoshop:Headline" not in tags
            assert tags.get("IPTC:Headline") == (m.title or None)
        if m.credit:
            assert tags["IPTC:Credit"] == m.credit
            assert tags["XMP-photoshop:Credit"] == m.credit
        if m.copyright:
            assert tags["IFD0:Copyright"] == m.copyright
            assert tags["XMP-dc:Rights"] == m.copyright
            assert tags["IPTC:CopyrightNotice"] == m.copyright
        assert tags["IFD0:Artist"] == "; ".join(m.creator)
        assert tags["IPTC:By-line"] == (m.creator[0] if len(m.creator) == 1 else list(m.creator))
        assert tags["IPTC:CodedCharacterSet"] == "UTF8"
        assert tags["IFD0:Orientation"] == "Horizontal (normal)"
        if m.alt_text:
            assert tags["XMP-iptcCore:AltTextAccessibility"] == m.alt_text
        assert private_tags(tags) == []
        assert "ExifIFD:FNumber" not in tags and "IFD0:Model" not in tags
    assert tags_of(result)[1]["IPTC:Caption-Abstract"] == KOREAN


@needs_exiftool
def test_copies_are_valid_for_exiftool(tmp_path: Path) -> None:
    items = make_set(tmp_path / "src")[:1]
    result = run(items, ExportOptions(tmp_path / "out", formats=("jpeg", "webp")))
    files = [result.out_dir / o.name for o in result.photos[0].outputs]
    for tags in exiftool_json(*files, args=("-validate", "-warning")):
        warnings = [str(v) for k, v in tags.items() if "Warning" in k]
        assert not [w for w in warnings if "minor" not in w.lower()], warnings


@needs_exiftool
def test_all_but_camera_keeps_technical_tags_only(tmp_path: Path) -> None:
    items = make_set(tmp_path / "src")[:1]
    opts = ExportOptions(tmp_path / "out", metadata=MetadataPreset.ALL_BUT_CAMERA_AND_LOCATION)
    (tags,) = tags_of(run(items, opts))
    assert tags["IFD0:Make"] == "FakeCam" and tags["ExifIFD:FNumber"] == 8.0
    assert tags["ExifIFD:LensModel"] == "FakeLens 50mm"
    assert tags["IPTC:Caption-Abstract"] == CAPTIONS[0].caption
    assert not [k for k in tags if "GPS" in k or "Serial" in k or "MakerNote" in k
                or "OwnerName" in k]


@needs_exiftool
def test_all_keeps_everything_and_location_only_when_asked(tmp_path: Path) -> None:
    items = make_set(tmp_path / "src")[:1]
    (tags,) = tags_of(run(items, ExportOptions(tmp_path / "a", metadata=MetadataPreset.ALL)))
    assert tags["ExifIFD:SerialNumber"] == SERIAL
    assert tags["ExifIFD:OwnerName"] == OWNER
    assert any("MakerNote" in k or "MakerNotes" in str(v) for k, v in tags.items())
    assert not [k for k in tags if "GPS" in k]
    opts = ExportOptions(tmp_path / "b", metadata=MetadataPreset.ALL, keep_location=True)
    (tags,) = tags_of(run(items, opts))
    assert abs(float(str(tags["Composite:GPSLatitude"]).split()[0]) - 39.02) < 1e-3 or \
        "39 deg 1'" in str(tags["GPS:GPSLatitude"])


@needs_exiftool
@pytest.mark.parametrize("fmt", ["webp", "avif"])
def test_other_formats_carry_exif_and_xmp(tmp_path: Path, fmt: str) -> None:
    from editor.core.export import available_formats

    if fmt not in available_formats():
        pytest.skip(f"Pillow cannot write {fmt}")
    items = make_set(tmp_path / "src")[:2]
    result = run(items, ExportOptions(tmp_path / "out", formats=(fmt,)))
    for tags, item in zip(tags_of(result, fmt), items, strict=True):
        assert tags["IFD0:ImageDescription"] == item.metadata.caption
        assert tags["XMP-dc:Description"] == item.metadata.caption
        assert tags["IFD0:Copyright"] == item.metadata.copyright
        assert private_tags(tags) == []


def test_the_other_label_names_nothing_the_caption_preset_keeps() -> None:
    """The export summary's "other metadata (...)" line must not list a field the copies keep
    (it said "headline" after the headline joined the caption-and-rights preset)."""
    from editor.core.export.metadata import REMOVED_LABELS, _caption_fields

    label = REMOVED_LABELS["other"].lower()
    kept = [f.name.replace("_", " ") for f in _caption_fields()]
    assert "headline" in kept
    assert [name for name in kept if name in label] == []
