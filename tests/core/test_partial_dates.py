"""Date-only values (issue 15, defect 3): kept date-only, agreeing with a precise date, never
given an invented midnight or zone; checked with exiftool on a Reagan-like file."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor.core.codecs.reconcile import reconcile, same_value
from editor.core.codecs.xmp import format_xmp_date, parse_xmp_date
from editor.core.export import ExportFinished, ExportItem, ExportOptions, export_photos
from editor.core.metadata import changed_fields, read_photo, write_photo
from editor.core.model import PhotoMetadata
from editor.core.partial_dates import DateOnly, MonthOnly, YearOnly, same_date
from tests.conftest import write_photo_file
from tests.core.conftest import EXIFTOOL, needs_exiftool, sample
from tests.core.test_export_support import exiftool_json

EXIF_FULL = datetime(2004, 6, 21, 23, 37, 53)


def test_xmp_date_keeps_its_precision() -> None:
    assert type(parse_xmp_date("2004-06-21")) is DateOnly
    assert type(parse_xmp_date("2004-06")) is MonthOnly
    assert type(parse_xmp_date("2004")) is YearOnly
    assert parse_xmp_date("2004-06-21") == datetime(2004, 6, 21)
    assert parse_xmp_date("2004-06-21").tzinfo is None  # type: ignore[union-attr]
    assert type(parse_xmp_date("2004-06-21T00:00:00")) is datetime
    assert format_xmp_date(DateOnly(2004, 6, 21)) == "2004-06-21"
    assert format_xmp_date(MonthOnly(2004, 6)) == "2004-06"
    assert str(DateOnly(2004, 6, 21)) == "2004-06-21"
    assert DateOnly(2004, 6, 21).replace(microsecond=0, tzinfo=UTC).tzinfo is None


def test_less_precise_date_agrees_with_the_precise_one() -> None:
    md, warnings = reconcile(
        {
            "XMP": {"date_taken": DateOnly(2004, 6, 21)},
            "EXIF": {"date_taken": EXIF_FULL},
            # Photoshop's IIM echo of the date-only XMP value: midnight "+0000"
            "IPTC": {"date_taken": datetime(2004, 6, 21, tzinfo=UTC)},
        }
    )
    assert warnings == []
    assert md.date_taken == EXIF_FULL and type(md.date_taken) is datetime
    assert md.date_taken.tzinfo is None  # no zone invented from the IIM placeholder


def test_date_only_disagreement_still_warned_and_alone_kept() -> None:
    _, warnings = reconcile(
        {"XMP": {"date_taken": DateOnly(2004, 6, 20)}, "EXIF": {"date_taken": EXIF_FULL}}
    )
    assert warnings == ["Date taken: XMP and EXIF disagree; showing the XMP value"]
    md, warnings = reconcile({"XMP": {"date_taken": DateOnly(2004, 6, 21)}})
    assert type(md.date_taken) is DateOnly and warnings == []
    # the precise value agrees with a date-only IIM date too
    md, warnings = reconcile(
        {"EXIF": {"date_taken": EXIF_FULL}, "IPTC": {"date_taken": DateOnly(2004, 6, 21)}}
    )
    assert md.date_taken == EXIF_FULL and warnings == []
    assert same_date(YearOnly(2004), EXIF_FULL) and not same_date(MonthOnly(2004, 7), EXIF_FULL)
    # a save's verification stays strict: date-only is not midnight
    assert not same_value("date_taken", DateOnly(2004, 6, 21), datetime(2004, 6, 21))
    assert changed_fields(
        PhotoMetadata(date_taken=datetime(2004, 6, 21)),
        PhotoMetadata(date_taken=DateOnly(2004, 6, 21)),
    ) == {"date_taken"}


def _reagan_like(path: Path) -> Path:
    """EXIF 23:37:53 without a zone, XMP photoshop:DateCreated date-only, IIM midnight +0000."""
    write_photo_file(path, date="2004:06:21 23:37:53", caption="USS Ronald Reagan")
    assert EXIFTOOL is not None
    subprocess.run(
        [
            EXIFTOOL,
            "-q",
            "-overwrite_original",
            "-XMP-photoshop:DateCreated=2004:06:21",
            "-IPTC:DateCreated=2004:06:21",
            "-IPTC:TimeCreated=00:00:00+00:00",
            str(path),
        ],
        check=True,
    )
    tags = exiftool_json(path)[0]
    assert tags["XMP-photoshop:DateCreated"] == "2004:06:21"
    return path


def _reagan_files(tmp_path: Path) -> list[Path]:
    files = [_reagan_like(tmp_path / "generated.jpg")]
    try:
        real = sample("exiv2-Reagan.jpg")
    except pytest.skip.Exception:
        return files
    return [*files, Path(shutil.copy(real, tmp_path / "Reagan.jpg"))]


@needs_exiftool
def test_reagan_like_file_reads_the_camera_time_without_warning(tmp_path: Path) -> None:
    for path in _reagan_files(tmp_path):
        record = read_photo(path)
        assert record.metadata.date_taken == EXIF_FULL, path.name
        assert record.metadata.date_taken.tzinfo is None  # type: ignore[union-attr]
        assert not [w for w in record.warnings if w.startswith("Date taken")], record.warnings


@needs_exiftool
def test_export_writes_the_camera_time_not_an_invented_midnight(tmp_path: Path) -> None:
    for path in _reagan_files(tmp_path):
        md = read_photo(path).metadata
        out = tmp_path / ("out-" + path.stem)
        *_, last = export_photos([ExportItem(path, md)], ExportOptions(out))
        assert isinstance(last, ExportFinished)
        copy = out / last.result.photos[0].outputs[0].name
        tags = exiftool_json(copy)[0]
        assert tags["ExifIFD:DateTimeOriginal"] == "2004:06:21 23:37:53"
        assert tags["XMP-photoshop:DateCreated"] == "2004:06:21 23:37:53"
        assert tags["IPTC:DateCreated"] == "2004:06:21"
        assert tags["IPTC:TimeCreated"] == "23:37:53"
        assert "ExifIFD:OffsetTimeOriginal" not in tags
        assert not any("00:00:00" in str(v) for k, v in tags.items() if "Date" in k or "Time" in k)


@needs_exiftool
def test_save_of_another_field_leaves_the_dates_alone(tmp_path: Path) -> None:
    path = _reagan_like(tmp_path / "a.jpg")
    before = exiftool_json(path)[0]
    record = read_photo(path)
    write_photo(path, dataclasses.replace(record.metadata, caption="new"), expected=record.stamp)
    after = exiftool_json(path)[0]
    for key in (
        "XMP-photoshop:DateCreated",
        "ExifIFD:DateTimeOriginal",
        "IPTC:DateCreated",
        "IPTC:TimeCreated",
    ):
        assert after[key] == before[key], key
    assert read_photo(path).metadata.date_taken == EXIF_FULL


@needs_exiftool
def test_date_only_value_is_written_date_only(tmp_path: Path) -> None:
    path = write_photo_file(tmp_path / "b.jpg")
    record = read_photo(path)
    saved = write_photo(
        path,
        dataclasses.replace(record.metadata, date_taken=DateOnly(2004, 6, 21)),
        expected=record.stamp,
    )
    assert type(saved.metadata.date_taken) is DateOnly
    assert read_photo(path).metadata.date_taken == DateOnly(2004, 6, 21)
    assert type(read_photo(path).metadata.date_taken) is DateOnly
    tags = exiftool_json(path)[0]
    assert tags["XMP-photoshop:DateCreated"] == "2004:06:21"
    assert tags["IPTC:DateCreated"] == "2004:06:21"
    assert "IPTC:TimeCreated" not in tags
    assert "ExifIFD:DateTimeOriginal" not in tags  # EXIF cannot say "no time"; no midnight
    assert "ExifIFD:OffsetTimeOriginal" not in tags


def test_cli_date_only_stays_date_only(tmp_path: Path) -> None:
    from editor.cli import main

    path = write_photo_file(tmp_path / "c.jpg")
    assert main(["set", str(path), "--date", "2004-06-21"]) == 0
    value = read_photo(path).metadata.date_taken
    assert type(value) is DateOnly and value == datetime(2004, 6, 21)
