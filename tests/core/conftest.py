"""Engine test fixtures: the sample folder, exiftool helpers, generated camera JPEGs."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import piexif
import pytest
from PIL import Image

from editor.core.model import GPS, PhotoMetadata

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
EXIFTOOL = shutil.which("exiftool")

needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool not on PATH")
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} is absent")

# Every field set, with the text that breaks naive writers: Korean, emoji, quotes, <&>, newlines.
FULL = PhotoMetadata(
    title='평양 타임랩스 — "Enter" <&> 😀',
    caption="Line one: 평양 타임랩스\nline \"two\" <&> 'quoted' 😀",
    alt_text="A river at dusk <&> 강",
    extended_description="Long text\nsecond line 😀",
    keywords=("강", "river", "dusk & night", "😀"),
    creator=("Jane Doe", "김철수"),
    credit="Jane Doe / Agency ©",
    copyright="© 2026 Jane Doe 김",
    usage_terms='Editorial use only "<no ads>"',
    date_taken=datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=9))),
    gps=GPS(37.5665, -126.978, 123.45),
    rating=4,
    # The IPTC set (issue 13): each within its IIM byte limit in UTF-8.
    headline="서울 at dusk — <&> 😀",
    caption_writer="JD 김",
    persons_shown=("김철수", "Zoë Ångström"),
    event="Fête <&> 2026",
    sublocation="Myeong-dong 명동",
    city="Séoul 서울",
    state="Gyeonggi-dö",
    country="République de Corée",
    country_code="KOR",
    creator_job_title="Staff photographer ©",
    web_statement="https://example.com/licence?a=1&b=2",
    licensor_name="Agence Éclair & Co",
    licensor_url="https://example.com/buy/é",
    creator_address="1 rue de l'Église\nBâtiment B",
    creator_city="Lyon",
    creator_region="Rhône",
    creator_postal_code="69001",
    creator_country="France",
    creator_email="jane@example.com",
    creator_phone="+33 1 23 45 67 89",
    creator_url="https://jane.example.com",
    digital_source_type="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
    instructions="Embargo until 09:00 <&> 😀",
    job_id="JOB-42/é",
    source="Jane Doe Archive",
)

MAKERNOTE = b"FAKECAM\x00\x01\x00" + bytes(range(256)) * 2


def sample(name: str) -> Path:
    """A file of the developer sample set; skips the test when the set or the file is absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f"sample set not found at {SAMPLES}")
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"sample {name} missing")
    return path


def sample_files() -> list[str]:
    """Names of the files in the sample folder (empty when it is absent)."""
    if not SAMPLES.is_dir():
        return []
    return sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")


def camera_jpeg(
    *,
    size: tuple[int, int] = (64, 48),
    gps: bool = True,
    thumbnail: bool = True,
    description: bytes | None = None,
) -> bytes:
    """A small JPEG with camera-like EXIF: Make/Model, a MakerNote blob, GPS, IFD1 thumbnail."""
    image = Image.new("RGB", size)
    for x in range(size[0]):
        for y in range(size[1]):
            image.putpixel((x, y), ((x * 4) % 256, (y * 5) % 256, (x * y) % 256))
    zeroth: dict[int, Any] = {
        piexif.ImageIFD.Make: b"FakeCam",
        piexif.ImageIFD.Model: b"FakeCam X100",
        piexif.ImageIFD.XResolution: (72, 1),
        piexif.ImageIFD.YResolution: (72, 1),
        piexif.ImageIFD.ResolutionUnit: 2,
    }
    if description is not None:
        zeroth[piexif.ImageIFD.ImageDescription] = description
    exif_ifd: dict[int, Any] = {
        piexif.ExifIFD.ExifVersion: b"0232",
        piexif.ExifIFD.DateTimeOriginal: b"2020:01:02 03:04:05",
        piexif.ExifIFD.ExposureTime: (1, 250),
        piexif.ExifIFD.FNumber: (28, 10),
        piexif.ExifIFD.ISOSpeedRatings: 200,
        piexif.ExifIFD.FocalLength: (50, 1),
        piexif.ExifIFD.MakerNote: MAKERNOTE,
    }
    exif: dict[str, Any] = {"0th": zeroth, "Exif": exif_ifd}
    if gps:
        exif["GPS"] = {
            piexif.GPSIFD.GPSVersionID: (2, 3, 0, 0),
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((48, 1), (51, 1), (2400, 100)),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: ((2, 1), (21, 1), (300, 100)),
            piexif.GPSIFD.GPSMapDatum: b"WGS-84",
        }
    if thumbnail:
        thumb = io.BytesIO()
        image.resize((16, 12)).save(thumb, "JPEG", quality=70)
        exif["1st"] = {piexif.ImageIFD.Compression: 6}
        exif["thumbnail"] = thumb.getvalue()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=piexif.dump(exif))
    return out.getvalue()


@pytest.fixture
def make_jpeg(tmp_path: Path) -> Callable[..., Path]:
    """Write a generated camera JPEG into tmp_path and return its path."""
    counter = [0]

    def make(name: str | None = None, **kwargs: Any) -> Path:
        counter[0] += 1
        path = tmp_path / (name or f"photo{counter[0]}.jpg")
        path.write_bytes(camera_jpeg(**kwargs))
        return path

    return make


def exiftool_json(path: Path, *args: str) -> dict[str, Any]:
    """exiftool -j output for one file (a dict)."""
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-j", "-charset", "filename=utf8", *args, str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    data = json.loads(out.stdout.decode("utf-8"))
    assert isinstance(data, list) and len(data) == 1
    result = data[0]
    assert isinstance(result, dict)
    return result


def exiftool_binary(path: Path, tag: str) -> bytes:
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-b", f"-{tag}", str(path)], capture_output=True, check=False, timeout=60
    )
    return out.stdout
