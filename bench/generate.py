"""Realistic benchmark photo sets: camera-like 24 MP JPEGs with camera EXIF and thumbnails.

A few distinct base images are encoded (textured, not flat colour: ~5-12 MB at quality 92);
each file of a set is one of them with its own EXIF (camera, date, IFD1 thumbnail, Orientation 6
on some, an MPF-style preview on some), spliced in without re-encoding, so a set of 1,000 is
quick to build. Sets live in bench/cache (never committed).
"""

from __future__ import annotations

import argparse
import io
import random
import struct
from pathlib import Path

import piexif
from PIL import Image, ImageChops, ImageFilter

from bench.common import CACHE_DIR

FULL_SIZE = (6000, 4000)
SMALL_SIZE = (1600, 1067)
BASES = 6


def _octave(size: tuple[int, int], scale: int, sigma: float, seed: int) -> Image.Image:
    random.seed(seed)
    small = (max(2, size[0] // scale), max(2, size[1] // scale))
    noise = Image.effect_noise(small, sigma)
    return noise.resize(size, Image.Resampling.BICUBIC)


def textured_image(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like image: soft colour gradients, cloud-like structure and fine grain."""
    rng = random.Random(seed)
    channels = []
    for c in range(3):
        grad = Image.linear_gradient("L").rotate(rng.randint(0, 359)).resize(size)
        clouds = _octave(size, 200, 60, seed * 10 + c)
        detail = _octave(size, 12, 40, seed * 10 + c + 3)
        grain = Image.effect_noise(size, 18)
        mix = ImageChops.add(ImageChops.multiply(grad, clouds), detail, scale=1.6)
        channels.append(ImageChops.add(mix, grain, scale=1.3, offset=-40))
    img = Image.merge("RGB", channels)
    # Edges like those of real subjects: a few sharp-edged shapes.
    shapes = _octave(size, 60, 90, seed + 99).point(lambda v: 255 if v > 150 else 0)
    shapes = shapes.filter(ImageFilter.GaussianBlur(1))
    tint = Image.new("RGB", size, (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    return Image.composite(tint, img, shapes.point(lambda v: v // 3))


def _thumbnail_jpeg(img: Image.Image, size: tuple[int, int]) -> bytes:
    thumb = img.copy()
    thumb.thumbnail(size)
    buf = io.BytesIO()
    thumb.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def camera_exif(index: int, thumb: bytes, orientation: int, size: tuple[int, int]) -> bytes:
    cameras = [
        ("Canon", "Canon EOS R6", "RF24-105mm F4 L IS USM"),
        ("NIKON CORPORATION", "NIKON Z 6_2", "NIKKOR Z 24-70mm f/4 S"),
        ("SONY", "ILCE-7M3", "FE 35mm F1.8"),
        ("FUJIFILM", "X-T4", "XF16-55mmF2.8 R LM WR"),
    ]
    make, model, lens = cameras[index % len(cameras)]
    day, sec = 1 + index // 3600 % 28, index % 3600
    stamp = f"2025:06:{day:02d} {10 + sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
    exif = {
        "0th": {
            piexif.ImageIFD.Make: make.encode(),
            piexif.ImageIFD.Model: model.encode(),
            piexif.ImageIFD.Orientation: orientation,
            piexif.ImageIFD.XResolution: (300, 1),
            piexif.ImageIFD.YResolution: (300, 1),
            piexif.ImageIFD.ResolutionUnit: 2,
            piexif.ImageIFD.Software: b"Firmware 1.2.0",
            piexif.ImageIFD.DateTime: stamp.encode(),
        },
        "Exif": {
            piexif.ExifIFD.DateTimeOriginal: stamp.encode(),
            piexif.ExifIFD.ExposureTime: (1, 250),
            piexif.ExifIFD.FNumber: (56, 10),
            piexif.ExifIFD.ISOSpeedRatings: 400,
            piexif.ExifIFD.FocalLength: (50, 1),
            piexif.ExifIFD.LensModel: lens.encode(),
            piexif.ExifIFD.BodySerialNumber: f"{1000000 + index}".encode(),
            piexif.ExifIFD.PixelXDimension: size[0],
            piexif.ExifIFD.PixelYDimension: size[1],
            piexif.ExifIFD.MakerNote: bytes(random.Random(index).randbytes(2048)),
        },
        "GPS": {},
        "1st": {
            piexif.ImageIFD.XResolution: (72, 1),
            piexif.ImageIFD.YResolution: (72, 1),
            piexif.ImageIFD.ResolutionUnit: 2,
        },
        "thumbnail": thumb,
    }
    return piexif.dump(exif)


def with_mpf_preview(jpeg: bytes, preview: bytes) -> bytes:
    """Append ``preview`` as a second MPF image (as Nikon and Fujifilm cameras store one)."""
    entries_offset = 8 + 2 + 3 * 12 + 4
    ifd = struct.pack(">H", 3)
    ifd += struct.pack(">HHI4s", 0xB000, 7, 4, b"0100")
    ifd += struct.pack(">HHII", 0xB001, 4, 1, 2)
    ifd += struct.pack(">HHII", 0xB002, 7, 32, entries_offset)
    ifd += struct.pack(">I", 0)
    header = b"MM\x00*" + struct.pack(">I", 8)
    body_len = len(header) + len(ifd) + 32
    segment_len = 2 + 4 + body_len
    first_size = len(jpeg) + 2 + segment_len
    # The MP header starts after SOI, APP1 (already in ``jpeg``)... we insert APP2 right after SOI.
    mp_header_pos = 2 + 4 + 4  # SOI, APP2 marker+length, "MPF\0"
    preview_offset = first_size - mp_header_pos
    entries = struct.pack(">IIIHH", 0x20030000, first_size, 0, 0, 0)
    entries += struct.pack(">IIIHH", 0x00010001, len(preview), preview_offset, 0, 0)
    payload = b"MPF\x00" + header + ifd + entries
    segment = b"\xff\xe2" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:] + preview


def build_set(count: int, folder: Path, size: tuple[int, int] = FULL_SIZE) -> list[Path]:
    """Create (or reuse) ``count`` camera-like JPEGs in ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("IMG_*.JPG"))
    if len(existing) >= count:
        return existing[:count]
    bases: list[tuple[bytes, bytes, bytes]] = []  # (jpeg without EXIF, thumbnail, preview)
    for b in range(min(BASES, count)):
        img = textured_image(size, seed=b + 1)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=92)
        preview = img.copy()
        preview.thumbnail((1920, 1280))
        pbuf = io.BytesIO()
        preview.save(pbuf, "JPEG", quality=85)
        bases.append((buf.getvalue(), _thumbnail_jpeg(img, (160, 120)), pbuf.getvalue()))
    paths = []
    for i in range(count):
        base, thumb, preview = bases[i % len(bases)]
        orientation = 6 if i % 5 == 0 else 1
        exif = camera_exif(i, thumb, orientation, size)
        data = piexif_insert(exif, base)
        if i % 4 == 0:
            data = with_mpf_preview(data, preview)
        path = folder / f"IMG_{i:04d}.JPG"
        path.write_bytes(data)
        paths.append(path)
    return paths


def piexif_insert(exif: bytes, jpeg: bytes) -> bytes:
    """EXIF APP1 right after SOI (fresh files only; never used on originals)."""
    segment = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    return jpeg[:2] + segment + jpeg[2:]


def set_folder(name: str) -> Path:
    return CACHE_DIR / name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--small", action="store_true", help="1600 px photos instead of 24 MP")
    args = parser.parse_args()
    size = SMALL_SIZE if args.small else FULL_SIZE
    folder = set_folder(f"{'small' if args.small else 'full'}-{args.count}")
    paths = build_set(args.count, folder, size)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} photos in {folder}, {total / len(paths) / 1e6:.1f} MB each on average")


if __name__ == "__main__":
    main()
