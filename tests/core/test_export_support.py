"""Shared helpers of the export tests: generated camera photos and a wide-gamut ICC profile."""

from __future__ import annotations

import shutil
import struct
import subprocess
from datetime import datetime
from pathlib import Path

import piexif
from PIL import Image, ImageDraw

from editor.core.export import ExportItem
from editor.core.model import GPS, PhotoMetadata

EXIFTOOL = shutil.which("exiftool")
SERIAL = "SN-0042-SECRET"
OWNER = "Jane Private Owner"
MAKERNOTE = b"FAKECAM\x00" + bytes(range(200))
WIDE_TEST_RGB = (50, 150, 80)


def _s15(x: float) -> bytes:
    return struct.pack(">i", round(x * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def adobe_like_icc() -> bytes:
    """A minimal ICC v2 matrix/TRC profile with Adobe RGB primaries (gamma 2.2)."""
    name = b"Wide test RGB (Adobe-like)\0"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 8 + b"\0\0\0"
            + b"\0" * 67)
    curv = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", _xyz(0.6097, 0.3111, 0.0195)), (b"gXYZ", _xyz(0.2053, 0.6257, 0.0609)),
            (b"bXYZ", _xyz(0.1492, 0.0632, 0.7446)), (b"rTRC", curv), (b"gTRC", curv),
            (b"bTRC", curv), (b"cprt", b"text\0\0\0\0no copyright\0")]
    table, data = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (struct.pack(">I", offset + len(data)) + b"lcms" + struct.pack(">I", 0x02100000)
              + b"mntrRGB XYZ " + b"\0" * 12 + b"acspAPPL" + b"\0" * 24
              + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"lcms" + b"\0" * 44)
    return header + struct.pack(">I", len(tags)) + table + data


def camera_exif(orientation: int = 1) -> bytes:
    return piexif.dump({
        "0th": {piexif.ImageIFD.Make: b"FakeCam", piexif.ImageIFD.Model: b"FakeCam X100",
                piexif.ImageIFD.Orientation: orientation},
        "Exif": {piexif.ExifIFD.BodySerialNumber: SERIAL.encode(),
                 piexif.ExifIFD.LensSerialNumber: b"LENS-777",
                 piexif.ExifIFD.CameraOwnerName: OWNER.encode(),
                 piexif.ExifIFD.MakerNote: MAKERNOTE,
                 piexif.ExifIFD.FNumber: (8, 1), piexif.ExifIFD.ExposureTime: (1, 250),
                 piexif.ExifIFD.ISOSpeedRatings: 200, piexif.ExifIFD.FocalLength: (50, 1),
                 piexif.ExifIFD.LensModel: b"FakeLens 50mm"},
        "GPS": {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude:
                ((39, 1), (1, 1), (12, 1)), piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((125, 1), (45, 1), (0, 1))},
    })


def textured(size: tuple[int, int], marker: bool = False,
             colour: tuple[int, int, int] | None = None) -> Image.Image:
    """A gradient with stripes; ``marker`` paints the stored top-left corner red."""
    w, h = size
    if colour is not None:
        return Image.new("RGB", size, colour)
    im = Image.merge("RGB", (
        Image.linear_gradient("L").resize(size),
        Image.linear_gradient("L").rotate(90).resize(size),
        Image.new("L", size, 128),
    ))
    draw = ImageDraw.Draw(im)
    for x in range(0, w, 24):
        draw.line([(x, 0), (x, h)], fill=(30, 30, 30), width=3)
    if marker:
        draw.rectangle([0, 0, w // 5, h // 5], fill=(255, 0, 0))
    return im


def make_photo(path: Path, size: tuple[int, int] = (900, 600), orientation: int = 1,
               icc: bytes | None = None, colour: tuple[int, int, int] | None = None) -> Path:
    kwargs: dict[str, object] = {"exif": camera_exif(orientation), "quality": 90}
    if icc:
        kwargs["icc_profile"] = icc
    textured(size, marker=orientation != 1, colour=colour).save(path, "JPEG", **kwargs)
    return path


KOREAN = "평양 만수대 언덕, 해질녘"
CAPTIONS = (
    PhotoMetadata(
        title="Enter Pyongyang — Mansudae at dusk",
        caption='Statues <script>alert("x")</script> & the "Grand" Monument\'s steps',
        alt_text="Two bronze statues on a hill at dusk, lit from below",
        creator=("Jane Doe",), credit="Jane Doe / Agency", copyright="© 2024 Jane Doe",
        usage_terms="Editorial use only", keywords=("Pyongyang", "statue"),
        date_taken=datetime(2024, 5, 1, 18, 30), gps=GPS(39.02, 125.75),
    ),
    PhotoMetadata(
        caption=KOREAN, alt_text=KOREAN, creator=("김철수",), credit="김철수",
        copyright="© 2024 김철수",
    ),
    PhotoMetadata(title="../../etc/passwd", caption="", alt_text="",
                  creator=("Jane Doe",), copyright="© 2024 Jane Doe"),
    PhotoMetadata(title="CON", caption="Image of a console", alt_text="Image of a console",
                  creator=("Jane Doe",)),
)


def make_set(folder: Path) -> list[ExportItem]:
    """Four originals: plain, rotated (Orientation 6), wide-gamut ICC, and a second plain one."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        make_photo(folder / "IMG_0001.jpg"),
        make_photo(folder / "IMG_0002.jpg", size=(600, 400), orientation=6),
        make_photo(folder / "IMG_0003.jpg", icc=adobe_like_icc(), colour=WIDE_TEST_RGB),
        make_photo(folder / "IMG_0004.jpg", size=(2000, 1000)),
    ]
    return [ExportItem(p, m) for p, m in zip(paths, CAPTIONS, strict=True)]


def exiftool_json(*paths: Path, args: tuple[str, ...] = ()) -> list[dict[str, object]]:
    import json

    assert EXIFTOOL is not None
    out = subprocess.run([EXIFTOOL, "-j", "-a", "-G1", "-charset", "exif=utf8", *args,
                          *map(str, paths)], capture_output=True, check=True)
    return list(json.loads(out.stdout))
