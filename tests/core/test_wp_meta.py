"""What WordPress reads (``publish.wp_meta``): its rules on hand-built IIM and EXIF, and what it
reads from originals saved with the defaults and from exported JPEGs.

The IIM records here are built by a tiny encoder of this file, independent of the codecs.
"""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import piexif
import pytest
from PIL import Image

from editor.core.export import ExportFinished, ExportItem, ExportOptions, export_photos
from editor.core.export.types import MetadataPreset
from editor.core.metadata import IimPolicy, read_photo, write_photo
from editor.core.model import PhotoMetadata
from editor.core.publish.wp_meta import WpImageMeta, read_wp_meta, wp_meta_from_bytes
from tests.core.conftest import FULL, camera_jpeg, sample


def _iim(*datasets: tuple[int, bytes]) -> bytes:
    body = b"".join(struct.pack(">BBBH", 0x1C, 2, n, len(v)) + v for n, v in datasets)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(body)) + body
    resource += b"\x00" * (len(body) & 1)
    return b"Photoshop 3.0\x00" + resource


def _jpeg(
    *datasets: tuple[int, bytes],
    ifd0: dict[int, object] | None = None,
    exif_ifd: dict[int, object] | None = None,
) -> bytes:
    out = io.BytesIO()
    exif = piexif.dump({"0th": ifd0 or {}, "Exif": exif_ifd or {}})
    Image.new("RGB", (8, 8), "gray").save(out, "JPEG", exif=exif)
    data = out.getvalue()
    if not datasets:
        return data
    payload = _iim(*datasets)
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


LONG = "A caption longer than eighty bytes, so WordPress does not take it as a title. " * 2


@pytest.mark.parametrize(
    ("datasets", "ifd0", "expected"),
    [
        # title: 2:105, else 2:05, else a short 2:120, else a short ImageDescription
        (((105, b"Head"), (5, b"Obj")), {}, {"title": "Head"}),
        (((5, b"Obj"),), {}, {"title": "Obj"}),
        (((105, b"0"), (5, b"Obj")), {}, {"title": "Obj"}),  # PHP: "0" is empty
        (((120, b"Short caption"),), {}, {"title": "Short caption", "caption": "Short caption"}),
        (((120, LONG.encode()),), {}, {"caption": LONG.strip()}),
        ((), {270: b"Desc"}, {"title": "Desc", "caption": "Desc"}),
        ((), {270: LONG.encode()}, {"caption": LONG.strip()}),
        (((105, b"  spaced  \n"),), {}, {"title": "spaced"}),
        # credit: 2:110, else 2:80, else Artist, else XPAuthor
        (((110, b"Cred"), (80, b"By")), {315: b"Art"}, {"credit": "Cred"}),
        (((80, b"By"), (80, b"By2")), {315: b"Art"}, {"credit": "By"}),
        ((), {315: b"Art"}, {"credit": "Art"}),
        ((), {0x9C9D: tuple("Zoë €".encode("utf-16-le"))}, {"credit": "Zoë ¤"}),
        # copyright: 2:116, else EXIF Copyright
        (((116, b"(c) IIM"),), {33432: b"(c) EXIF"}, {"copyright": "(c) IIM"}),
        ((), {33432: b"(c) EXIF"}, {"copyright": "(c) EXIF"}),
        # keywords: every 2:25; Latin-1 bytes read as Latin-1
        (((25, b"a"), (25, b"caf\xe9")), {}, {"keywords": ("a", "café")}),
        (
            ((120, b"XPComment ignored"),),
            {0x9C9C: tuple("x".encode("utf-16-le"))},
            {"title": "XPComment ignored", "caption": "XPComment ignored"},
        ),
        ((), {0x9C9C: tuple("Kommentar".encode("utf-16-le"))}, {"caption": "Kommentar"}),
    ],
)
def test_rules(
    datasets: tuple[tuple[int, bytes], ...], ifd0: dict[int, object], expected: dict[str, object]
) -> None:
    assert wp_meta_from_bytes(_jpeg(*datasets, ifd0=ifd0)) == WpImageMeta(**expected)  # type: ignore[arg-type]


def test_dates() -> None:
    exif_ifd = {piexif.ExifIFD.DateTimeDigitized: b"2001:02:03 04:05:06",
                piexif.ExifIFD.DateTimeOriginal: b"2020:01:01 00:00:00"}  # fmt: skip
    # IIM date and time with an offset, as strtotime reads them
    data = _jpeg((55, b"20240501"), (60, b"102030+0900"), exif_ifd=exif_ifd)
    moment = datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=9)))
    assert wp_meta_from_bytes(data).created_timestamp == int(moment.timestamp()) == 1714526430
    # a date without a time is not enough: EXIF's DateTimeDigitized (not Original), as UTC
    data = _jpeg((55, b"20240501"), exif_ifd=exif_ifd)
    utc = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert wp_meta_from_bytes(data).created_timestamp == int(utc.timestamp())
    assert wp_meta_from_bytes(_jpeg()).created_timestamp is None


def test_only_jpeg_iim_and_no_xmp(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    assert wp_meta_from_bytes(png.getvalue()) == WpImageMeta()
    assert wp_meta_from_bytes(b"not an image") == WpImageMeta()
    assert read_wp_meta(tmp_path / "missing.jpg") == WpImageMeta()
    broken = _jpeg((105, b"Head"))
    broken = broken.replace(b"8BIM\x04\x04", b"8BIM\x04\x04", 1)[:40] + b"\xff" * 8
    assert isinstance(wp_meta_from_bytes(broken), WpImageMeta)  # never raises


# --------------------------------------------------------------------------- saved originals


def _original(tmp_path: Path, name: str = "orig.jpg") -> Path:
    """A camera JPEG without IIM whose EXIF digitized date is old (WordPress's fallback)."""
    path = tmp_path / name
    data = camera_jpeg()
    exif = piexif.load(data)
    exif["Exif"][piexif.ExifIFD.DateTimeDigitized] = b"2001:01:01 00:00:00"
    out = io.BytesIO()
    piexif.insert(piexif.dump(exif), data, out)
    path.write_bytes(out.getvalue())
    return path


def _expected(md: PhotoMetadata, title: str, credit: str) -> WpImageMeta:
    assert md.date_taken is not None
    return WpImageMeta(
        title=title,
        caption=md.caption,
        credit=credit,
        copyright=md.copyright,
        keywords=md.keywords,
        created_timestamp=int(md.date_taken.timestamp()),
    )


def test_original_saved_with_the_defaults(tmp_path: Path) -> None:
    path = _original(tmp_path)
    assert read_wp_meta(path).created_timestamp == 978307200  # the old digitized date
    write_photo(path, FULL)
    assert read_wp_meta(path) == _expected(FULL, FULL.headline, FULL.credit)
    # no headline: WordPress shows the title; no credit: the first creator
    write_photo(path, FULL.replace(headline="", credit=""))
    assert read_wp_meta(path) == _expected(FULL, FULL.title, FULL.creator[0])


def test_original_saved_without_iim_shows_what_wordpress_made_of_it(tmp_path: Path) -> None:
    """With --no-iptc WordPress falls back to EXIF: the caption as title, the old date."""
    path = _original(tmp_path)
    md = FULL.replace(caption="Short caption")
    write_photo(path, md, iim_policy=IimPolicy.WHEN_PRESENT)
    seen = read_wp_meta(path)
    assert seen.title == "Short caption" != md.headline
    assert seen.keywords == ()
    assert seen.created_timestamp == 978307200


def test_sample_with_legacy_iim(tmp_path: Path) -> None:
    path = tmp_path / "reagan.jpg"
    path.write_bytes(sample("exiv2-Reagan.jpg").read_bytes())
    md = read_photo(path).metadata.replace(headline="Reagan, 1982 — Café", credit="AP ©")
    write_photo(path, md)
    seen = read_wp_meta(path)
    assert (seen.title, seen.credit) == ("Reagan, 1982 — Café", "AP ©")
    # (the sample ends caption lines with a bare CR, which WordPress keeps as it is)
    assert seen.caption.replace("\r", "\n") == read_photo(path).metadata.caption.strip()


# --------------------------------------------------------------------------- exported JPEGs


def _export(tmp_path: Path, md: PhotoMetadata, preset: MetadataPreset) -> Path:
    source = _original(tmp_path, f"src-{preset.value}.jpg")
    write_photo(source, md)
    options = ExportOptions(out_dir=tmp_path / f"out-{preset.value}", metadata=preset,
                            snippets=(), jobs=1)  # fmt: skip
    events = list(export_photos([ExportItem(source, md)], options))
    result = events[-1]
    assert isinstance(result, ExportFinished) and not result.result.failures
    (photo,) = result.result.photos
    return result.result.out_dir / photo.outputs[0].name


@pytest.mark.parametrize("preset", list(MetadataPreset))
def test_exported_jpeg(tmp_path: Path, preset: MetadataPreset) -> None:
    out = _export(tmp_path, FULL, preset)
    assert read_wp_meta(out) == _expected(FULL, FULL.headline, FULL.credit)


def test_exported_jpeg_without_headline(tmp_path: Path) -> None:
    md = FULL.replace(headline="", credit="")
    out = _export(tmp_path, md, MetadataPreset.CAPTION_AND_RIGHTS)
    assert read_wp_meta(out) == _expected(md, md.title, md.creator[0])
