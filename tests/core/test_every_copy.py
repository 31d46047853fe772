"""Every XMP/EXIF copy of an edited fact stays in step; unedited values stay byte-identical.

Files are built with exiftool (the way other tools leave them) and read back by exiftool and
exiv2, the independent readers photographers' software agrees with.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from editor.core.formats import jpeg
from editor.core.metadata import read_photo, write_photo
from tests.core.conftest import EXIFTOOL, camera_jpeg, exiftool_json, needs_exiftool

EXIV2 = shutil.which("exiv2")
needs_exiv2 = pytest.mark.skipif(EXIV2 is None, reason="exiv2 not on PATH")
pytestmark = [needs_exiftool, needs_exiv2]


def built(tmp_path: Path, *assignments: str, name: str = "photo.jpg") -> Path:
    """A camera JPEG with ``assignments`` (exiftool ``-TAG=VALUE`` arguments) written in."""
    path = tmp_path / name
    path.write_bytes(camera_jpeg())
    assert EXIFTOOL is not None
    subprocess.run(
        [EXIFTOOL, "-q", "-q", "-overwrite_original", *assignments, str(path)],
        check=True,
        timeout=60,
    )
    return path


def exiv2(path: Path) -> dict[str, str]:
    """``exiv2 -pa``: key -> the value column."""
    assert EXIV2 is not None
    out = subprocess.run(
        [EXIV2, "-q", "-pa", str(path)], capture_output=True, check=False, timeout=60
    ).stdout.decode("utf-8", "replace")
    values: dict[str, str] = {}
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) >= 3:
            values[parts[0]] = parts[3] if len(parts) == 4 else ""
    return values


def edit(path: Path, **changes: object) -> None:
    record = read_photo(path)
    write_photo(path, record.metadata.replace(**changes), expected=record.stamp)


def test_xmp_mirrors_of_exif_follow_an_edit(tmp_path: Path) -> None:
    path = built(
        tmp_path,
        "-XMP-tiff:ImageDescription=old caption",
        "-XMP-tiff:Artist=Old Artist",
        "-XMP-tiff:Copyright=old rights",
        "-XMP-exif:DateTimeOriginal=2020:01:02 03:04:05",
    )
    date = datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=2)))
    edit(path, caption="new caption", creator=("Jane Doe",), copyright="© Jane", date_taken=date)
    tags = exiftool_json(path, "-G1", "-a")
    assert tags["XMP-tiff:ImageDescription"] == "new caption"
    assert tags["XMP-tiff:Artist"] == "Jane Doe"
    assert tags["XMP-tiff:Copyright"] == "© Jane"
    assert tags["XMP-exif:DateTimeOriginal"] == "2024:05:01 10:20:30+02:00"
    x = exiv2(path)
    assert x["Xmp.tiff.ImageDescription"] == 'lang="x-default" new caption'
    assert x["Xmp.tiff.Artist"] == "Jane Doe"
    assert x["Xmp.tiff.Copyright"] == 'lang="x-default" © Jane'
    assert x["Xmp.exif.DateTimeOriginal"] == "2024-05-01T10:20:30+02:00"
    # Cleared: every copy goes.
    edit(path, caption="", creator=())
    tags = exiftool_json(path, "-G1", "-a")
    assert not any(k.endswith((":ImageDescription", ":Artist", ":Description")) for k in tags)
    assert "Xmp.tiff.ImageDescription" not in exiv2(path)


def test_mirrors_are_not_added_where_absent(tmp_path: Path) -> None:
    path = built(tmp_path, "-XMP-dc:Description=old")
    edit(path, caption="new", copyright="c")
    tags = exiftool_json(path, "-G1", "-a")
    assert tags["XMP-dc:Description"] == "new"
    assert not any(k.startswith("XMP-tiff:") for k in tags)


def test_sub_seconds_and_zone_follow_the_date(tmp_path: Path) -> None:
    path = built(
        tmp_path,
        "-EXIF:DateTimeOriginal=2020:01:02 03:04:05",
        "-EXIF:SubSecTimeOriginal=123",
        "-EXIF:OffsetTimeOriginal=+01:00",
    )
    assert exiftool_json(path)["SubSecDateTimeOriginal"] == "2020:01:02 03:04:05.123+01:00"
    edit(path, date_taken=datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=2))))
    tags = exiftool_json(path)
    assert tags["SubSecDateTimeOriginal"] == "2024:05:01 10:20:30+02:00"
    assert "SubSecTimeOriginal" not in tags
    x = exiv2(path)
    assert x["Exif.Photo.DateTimeOriginal"] == "2024:05:01 10:20:30"
    assert x["Exif.Photo.OffsetTimeOriginal"] == "+02:00"
    assert "Exif.Photo.SubSecTimeOriginal" not in x
    # A naive date removes the old zone rather than leaving +02:00 beside a new moment.
    edit(path, date_taken=datetime(2023, 1, 1, 12, 0, 0))
    tags = exiftool_json(path)
    assert tags["DateTimeOriginal"] == "2023:01:01 12:00:00"
    assert "OffsetTimeOriginal" not in tags and "SubSecDateTimeOriginal" not in tags


def test_digitized_dates_move_only_when_they_held_the_date_taken(tmp_path: Path) -> None:
    same = built(
        tmp_path,
        "-EXIF:DateTimeOriginal=2020:01:02 03:04:05",
        "-EXIF:CreateDate=2020:01:02 03:04:05",
        "-XMP-photoshop:DateCreated=2020:01:02 03:04:05",
        "-XMP-xmp:CreateDate=2020:01:02 03:04:05",
        "-XMP-exif:DateTimeDigitized=2020:01:02 03:04:05",
        name="same.jpg",
    )
    other = built(
        tmp_path,
        "-EXIF:DateTimeOriginal=2020:01:02 03:04:05",
        "-EXIF:CreateDate=2019:12:31 23:00:00",
        "-XMP-photoshop:DateCreated=2020:01:02 03:04:05",
        "-XMP-xmp:CreateDate=2019:12:31 23:00:00",
        name="other.jpg",
    )
    new = datetime(2024, 5, 1, 10, 20, 30)
    edit(same, date_taken=new)
    edit(other, date_taken=new)
    tags = exiftool_json(same, "-G1", "-a")
    assert tags["ExifIFD:CreateDate"] == "2024:05:01 10:20:30"
    assert tags["XMP-xmp:CreateDate"] == "2024:05:01 10:20:30"
    assert tags["XMP-exif:DateTimeDigitized"] == "2024:05:01 10:20:30"
    assert exiv2(same)["Exif.Photo.DateTimeDigitized"] == "2024:05:01 10:20:30"
    tags = exiftool_json(other, "-G1", "-a")
    assert tags["ExifIFD:DateTimeOriginal"] == "2024:05:01 10:20:30"
    assert tags["ExifIFD:CreateDate"] == "2019:12:31 23:00:00"
    assert tags["XMP-xmp:CreateDate"] == "2019:12:31 23:00:00"
    assert exiv2(other)["Exif.Photo.DateTimeDigitized"] == "2019:12:31 23:00:00"


def test_lang_alt_twin_follows_x_default_and_other_languages_stay(tmp_path: Path) -> None:
    path = built(
        tmp_path,
        "-XMP-dc:Description=Old caption",
        "-XMP-dc:Description-en-US=Old caption",
        "-XMP-dc:Description-de=Alte Bildunterschrift",
    )
    edit(path, caption="New caption")
    tags = exiftool_json(path, "-G1", "-a")
    assert tags["XMP-dc:Description"] == "New caption"
    assert tags["XMP-dc:Description-en-US"] == "New caption"
    assert tags["XMP-dc:Description-de"] == "Alte Bildunterschrift"
    assert exiv2(path)["Xmp.dc.description"] == (
        'lang="x-default" New caption, lang="en-US" New caption, lang="de" Alte Bildunterschrift'
    )


def test_hierarchies_lose_a_removed_keyword(tmp_path: Path) -> None:
    path = built(
        tmp_path,
        "-XMP-dc:Subject=Paris",
        "-XMP-dc:Subject=Lyon",
        "-XMP-dc:Subject=Louvre",
        "-XMP-lr:HierarchicalSubject=Places|France|Paris",
        "-XMP-lr:HierarchicalSubject=Places|France|Lyon",
        "-XMP-lr:HierarchicalSubject=Paris|Louvre",
        "-XMP-mediapro:CatalogSets=Trips|Paris",
        "-XMP-mediapro:CatalogSets=Trips|Lyon",
    )
    edit(path, keywords=("Lyon", "Louvre", "new"))
    tags = exiftool_json(path, "-G1", "-a")
    assert tags["XMP-lr:HierarchicalSubject"] == ["Places|France|Lyon", "Paris|Louvre"]
    assert tags["XMP-mediapro:CatalogSets"] == "Trips|Lyon"
    assert exiv2(path)["Xmp.lr.hierarchicalSubject"] == "Places|France|Lyon, Paris|Louvre"
    edit(path, keywords=())
    after = exiv2(path)
    assert "Xmp.lr.hierarchicalSubject" not in after and "Xmp.mediapro.CatalogSets" not in after


def _segments(path: Path) -> tuple[bytes, bytes]:
    blocks = jpeg.extract(path.read_bytes())
    assert blocks.exif is not None and blocks.xmp is not None
    return blocks.exif, blocks.xmp


def test_unedited_caption_with_trailing_spaces_stays_byte_identical(tmp_path: Path) -> None:
    caption = "Caption with trailing spaces   "
    path = built(
        tmp_path,
        f"-EXIF:ImageDescription={caption}",
        f"-XMP-dc:Description={caption}",
        f"-IPTC:Caption-Abstract={caption}",
    )
    exif_before, _ = _segments(path)
    edit(path, credit="Agency X")
    exif_after, xmp_after = _segments(path)
    assert exif_after == exif_before  # credit is not an EXIF field: the block is untouched
    assert caption.encode() in xmp_after
    tags = exiftool_json(path, "-G1", "-a")
    assert tags["IFD0:ImageDescription"] == caption
    assert tags["XMP-dc:Description"] == caption
    assert tags["XMP-photoshop:Credit"] == "Agency X"
    assert "IFD0:XPComment" not in tags
    assert exiv2(path)["Exif.Image.ImageDescription"] == caption
