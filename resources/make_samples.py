"""Build the bundled sample photos in ``resources/samples/`` (run by ``make samples``).

The pixels come from scikit-image's bundled data set, using only images that scikit-image
documents as public domain or CC0. scikit-image is a build-time tool only: PhotoCaption never
imports it. The EXIF and XMP written here are synthetic but shaped like a real camera's (EXIF
APP1 straight after SOI with an IFD1 thumbnail, no JFIF segment, XMP APP1 after it). Output is
deterministic: fixed dates, no randomness, same bytes on every run with the same Pillow/libjpeg.
"""

from __future__ import annotations

import io
import struct
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import piexif
from PIL import Image

OUT_DIR = Path(__file__).resolve().parent / "samples"
MAX_EDGE = 1600
QUALITY = 90
THUMB_SIZE = (160, 120)
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"

Rational = tuple[int, int]
Ifd = dict[int, object]


@dataclass(frozen=True)
class Caption:
    """Caption fields written to EXIF IFD0 and to the XMP packet."""

    title: str
    description: str
    creator: str
    rights: str
    alt_text: str


@dataclass(frozen=True)
class Sample:
    """One sample photo: its scikit-image source and the synthetic camera data to give it."""

    filename: str
    source: str  # name of the skimage.data loader
    make: str
    model: str
    lens: str
    software: str
    exposure: Rational  # seconds
    f_number: Rational
    iso: int | None
    focal_length: Rational  # millimetres
    taken: datetime  # local time
    offset: str  # "+HH:MM"
    focal_35mm: int | None = None
    lens_make: str = ""
    serial: str = ""
    flash: int = 0x10  # flash did not fire, compulsory mode
    exposure_program: int = 3  # aperture priority
    gps: tuple[float, float, float] | None = None  # lat, lon, altitude in metres
    orientation: int = 1
    caption: Caption | None = None
    byte_order: str = "II"  # "MM" for the makers that write big-endian TIFF


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "astronaut-eileen-collins.jpg", "astronaut",
        "NIKON CORPORATION", "NIKON D2X", "AF Nikkor 85mm f/1.4D", "Ver.1.01",
        (1, 125), (56, 10), 100, (85, 1), datetime(2005, 3, 14, 10, 30, 12), "-06:00",
        focal_35mm=127, lens_make="Nikon", serial="5012847", flash=0x09, exposure_program=1,
        byte_order="MM",
        gps=(29.559722, -95.090556, 12.0),  # NASA Johnson Space Center, Houston
        caption=Caption(
            title="Eileen Collins, NASA astronaut",
            description=(
                "Astronaut Eileen Collins in her orange launch-and-entry suit, holding her "
                "helmet, at the Johnson Space Center in Houston."
            ),
            creator="NASA",
            rights="Public domain (NASA)",
            alt_text=(
                "Smiling woman in an orange pressure suit holding a white helmet, with a US "
                "flag and a space shuttle model behind her."
            ),
        ),
    ),
    Sample(
        "coffee-cup.jpg", "coffee",
        "Apple", "iPhone 12 Pro", "iPhone 12 Pro back triple camera 4.2mm f/1.6", "16.4.1",
        (1, 60), (8, 5), 200, (42, 10), datetime(2021, 6, 5, 9, 12, 44), "-05:00",
        focal_35mm=26, lens_make="Apple", exposure_program=2,
        caption=Caption(
            title="Café crema",
            description=(
                "An espresso with thick crema in a red cup and saucer on a wooden café "
                "table — Pikolo Espresso Bar."
            ),
            creator="Rachel Michetti",
            rights="© Rachel Michetti — CC0 1.0 (public domain dedication)",
            alt_text="A red cup of espresso with a spoon on a red saucer, on a dark wooden table.",
        ),
    ),
    Sample(
        "chelsea-the-cat.jpg", "chelsea",
        "FUJIFILM", "X-T3", "XF35mmF1.4 R", "Digital Camera X-T3 Ver4.10",
        (1, 250), (2, 1), 800, (35, 1), datetime(2019, 11, 2, 16, 41, 5), "+02:00",
        focal_35mm=53, lens_make="FUJIFILM", serial="9AQ51287",
        gps=(-33.932105, 18.860152, 115.0),  # Stellenbosch, South Africa
        orientation=6,
    ),
    Sample(
        "falcon9-dscovr-launch-pad.jpg", "rocket",
        "Canon", "Canon EOS-1D X", "EF70-200mm f/2.8L IS II USM", "Adobe Lightroom 5.7 (Windows)",
        (1, 30), (4, 1), 1600, (70, 1), datetime(2015, 2, 11, 17, 35, 20), "-05:00",
        focal_35mm=70, lens_make="Canon", serial="043021000512", exposure_program=1,
        gps=(28.561944, -80.577222, 3.0),  # Space Launch Complex 40, Cape Canaveral
        caption=Caption(
            title="Falcon 9 with DSCOVR on the pad",
            description=(
                "A SpaceX Falcon 9 rocket carrying the DSCOVR space-weather satellite stands "
                "on Space Launch Complex 40 at Cape Canaveral, Florida, at dusk on "
                "11 February 2015, the evening of its launch."
            ),
            creator="SpaceX",
            rights="Public domain (SpaceX)",
            alt_text=(
                "A slim white rocket on a launch pad between lightning towers, lit by "
                "floodlights against a deep blue evening sky."
            ),
        ),
    ),
    Sample(
        "hubble-extreme-deep-field.jpg", "hubble_deep_field",
        "NASA", "Hubble Space Telescope ACS/WFC3", "2.4 m Ritchey-Chretien f/24", "DrizzlePac 1.1",
        (2_000_000, 1), (24, 1), None, (57_600, 1), datetime(2012, 9, 25, 11, 0, 0), "-04:00",
        exposure_program=1,
    ),
    Sample(
        "cameraman-briggs-field.jpg", "camera",
        "SONY", "ILCE-7M3", "FE 28-70mm F3.5-5.6 OSS", "ILCE-7M3 v3.01",
        (1, 500), (8, 1), 100, (50, 1), datetime(2018, 9, 22, 14, 3, 51), "-04:00",
        focal_35mm=50, lens_make="Sony", serial="3751904",
        gps=(42.357310, -71.099480, 6.0),  # Briggs Field, MIT, Cambridge MA
    ),
    Sample(
        "wall-clock-motion-blur.jpg", "clock",
        "OLYMPUS CORPORATION", "E-M10MarkII", "OLYMPUS M.14-42mm F3.5-5.6 EZ",
        "Version 1.1", (1, 8), (56, 10), 400, (25, 1), datetime(2016, 7, 30, 20, 15, 2),
        "+02:00", focal_35mm=50, lens_make="OLYMPUS CORPORATION", exposure_program=2,
    ),
    Sample(
        "retina-fundus-left-eye.jpg", "retina",
        "NIKON CORPORATION", "NIKON D7000", "TOPCON TRC-50DX", "Ver.1.03",
        (1, 200), (11, 1), 400, (50, 1), datetime(2014, 1, 20, 9, 48, 33), "+01:00",
        focal_35mm=75, lens_make="TOPCON", flash=0x01, exposure_program=1, byte_order="MM",
    ),
)


def load_pixels(source: str) -> Image.Image:
    """Load a scikit-image data image as a Pillow image, at most MAX_EDGE px (never upscaled)."""
    import skimage.data  # build-time only

    array = np.asarray(getattr(skimage.data, source)())
    image = Image.fromarray(array)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if max(image.size) > MAX_EDGE:
        image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    return image


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """Encode with Pillow and drop the JFIF APP0 segment (cameras write EXIF instead)."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, optimize=True)
    data = buf.getvalue()
    if data[2:4] == b"\xff\xe0":
        (length,) = struct.unpack(">H", data[4:6])
        data = data[:2] + data[4 + length :]
    return data


def make_thumbnail(image: Image.Image) -> bytes:
    """A 160x120 letterboxed JPEG of the stored pixels, as cameras put in IFD1."""
    small = image.convert("RGB")
    small.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", THUMB_SIZE, (0, 0, 0))
    canvas.paste(small, ((THUMB_SIZE[0] - small.width) // 2, (THUMB_SIZE[1] - small.height) // 2))
    return encode_jpeg(canvas, 75)


def to_dms(value: float) -> tuple[Rational, Rational, Rational]:
    """Decimal degrees to EXIF degrees/minutes/seconds rationals (seconds to 1/100)."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    hundredths = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return (degrees, 1), (minutes, 1), (hundredths, 100)


def ascii_tag(text: str) -> bytes:
    """EXIF "ASCII" value, written as UTF-8 as modern tools do (the writer adds the NUL)."""
    return text.encode("utf-8")


def build_exif(sample: Sample, image: Image.Image, thumbnail: bytes) -> bytes:
    """The EXIF APP1 payload ("Exif\\0\\0" + TIFF) for one sample."""
    stamp = ascii_tag(sample.taken.strftime("%Y:%m:%d %H:%M:%S"))
    zeroth: Ifd = {
        piexif.ImageIFD.Make: ascii_tag(sample.make),
        piexif.ImageIFD.Model: ascii_tag(sample.model),
        piexif.ImageIFD.Orientation: sample.orientation,
        piexif.ImageIFD.XResolution: (72, 1),
        piexif.ImageIFD.YResolution: (72, 1),
        piexif.ImageIFD.ResolutionUnit: 2,
        piexif.ImageIFD.Software: ascii_tag(sample.software),
        piexif.ImageIFD.DateTime: stamp,
        piexif.ImageIFD.YCbCrPositioning: 2,
    }
    if sample.caption:
        zeroth[piexif.ImageIFD.ImageDescription] = ascii_tag(sample.caption.description)
        zeroth[piexif.ImageIFD.Artist] = ascii_tag(sample.caption.creator)
        zeroth[piexif.ImageIFD.Copyright] = ascii_tag(sample.caption.rights)
    exif: Ifd = {
        piexif.ExifIFD.ExposureTime: sample.exposure,
        piexif.ExifIFD.FNumber: sample.f_number,
        piexif.ExifIFD.ExposureProgram: sample.exposure_program,
        piexif.ExifIFD.ExifVersion: b"0232",
        piexif.ExifIFD.DateTimeOriginal: stamp,
        piexif.ExifIFD.DateTimeDigitized: stamp,
        piexif.ExifIFD.OffsetTime: ascii_tag(sample.offset),
        piexif.ExifIFD.OffsetTimeOriginal: ascii_tag(sample.offset),
        piexif.ExifIFD.OffsetTimeDigitized: ascii_tag(sample.offset),
        piexif.ExifIFD.ComponentsConfiguration: b"\x01\x02\x03\x00",
        piexif.ExifIFD.ExposureBiasValue: (0, 1),
        piexif.ExifIFD.MeteringMode: 5,
        piexif.ExifIFD.Flash: sample.flash,
        piexif.ExifIFD.FocalLength: sample.focal_length,
        piexif.ExifIFD.FlashpixVersion: b"0100",
        piexif.ExifIFD.ColorSpace: 1,
        piexif.ExifIFD.PixelXDimension: image.width,
        piexif.ExifIFD.PixelYDimension: image.height,
        piexif.ExifIFD.ExposureMode: 1 if sample.exposure_program == 1 else 0,
        piexif.ExifIFD.WhiteBalance: 0,
        piexif.ExifIFD.SceneCaptureType: 0,
        piexif.ExifIFD.LensModel: ascii_tag(sample.lens),
    }
    if sample.iso is not None:
        exif[piexif.ExifIFD.ISOSpeedRatings] = sample.iso
        exif[piexif.ExifIFD.SensitivityType] = 2  # recommended exposure index
        exif[piexif.ExifIFD.RecommendedExposureIndex] = sample.iso
    if sample.focal_35mm is not None:
        exif[piexif.ExifIFD.FocalLengthIn35mmFilm] = sample.focal_35mm
    if sample.lens_make:
        exif[piexif.ExifIFD.LensMake] = ascii_tag(sample.lens_make)
    if sample.serial:
        exif[piexif.ExifIFD.BodySerialNumber] = ascii_tag(sample.serial)
    gps: Ifd = {}
    if sample.gps:
        lat, lon, alt = sample.gps
        utc = sample.taken - _offset_delta(sample.offset)
        gps = {
            piexif.GPSIFD.GPSVersionID: (2, 3, 0, 0),
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: to_dms(lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: to_dms(lon),
            piexif.GPSIFD.GPSAltitudeRef: 0 if alt >= 0 else 1,
            piexif.GPSIFD.GPSAltitude: (round(abs(alt) * 10), 10),
            piexif.GPSIFD.GPSTimeStamp: ((utc.hour, 1), (utc.minute, 1), (utc.second, 1)),
            piexif.GPSIFD.GPSMapDatum: b"WGS-84",
            piexif.GPSIFD.GPSDateStamp: utc.strftime("%Y:%m:%d").encode("ascii"),
        }
    first: Ifd = {
        piexif.ImageIFD.Compression: 6,
        piexif.ImageIFD.XResolution: (72, 1),
        piexif.ImageIFD.YResolution: (72, 1),
        piexif.ImageIFD.ResolutionUnit: 2,
    }
    tiff = TiffWriter(sample.byte_order).build(zeroth, exif, gps, first, thumbnail)
    _check_round_trip(tiff, zeroth, exif, gps, thumbnail)
    return b"Exif\x00\x00" + tiff


class TiffWriter:
    """Serialise EXIF IFDs the way cameras do: word-aligned values and proper IFD links.

    Values and tag types come from piexif's tables; piexif.dump itself is not used because it
    writes sub-IFDs without their next-IFD link and leaves values at odd offsets, both of which
    ``exiftool -validate`` flags.
    """

    def __init__(self, byte_order: str) -> None:
        self.prefix = "<" if byte_order == "II" else ">"
        self.header = b"II*\x00" if byte_order == "II" else b"MM\x00*"

    def build(self, zeroth: Ifd, exif: Ifd, gps: Ifd, first: Ifd, thumbnail: bytes) -> bytes:
        """The TIFF structure: header, IFD0, Exif IFD, GPS IFD, IFD1 and the thumbnail."""
        zeroth = {**zeroth, piexif.ImageIFD.ExifTag: 0}
        if gps:
            zeroth[piexif.ImageIFD.GPSTag] = 0
        first = {
            **first,
            piexif.ImageIFD.JPEGInterchangeFormat: 0,
            piexif.ImageIFD.JPEGInterchangeFormatLength: len(thumbnail),
        }
        plan = [("0th", zeroth), ("Exif", exif), ("GPS", gps), ("1st", first)]
        plan = [(name, ifd) for name, ifd in plan if ifd]
        offsets: dict[str, int] = {}
        pos = 8
        for name, ifd in plan:
            offsets[name] = pos
            pos += _even(len(self._ifd(name, ifd, pos, 0)))
        zeroth[piexif.ImageIFD.ExifTag] = offsets["Exif"]
        if gps:
            zeroth[piexif.ImageIFD.GPSTag] = offsets["GPS"]
        first[piexif.ImageIFD.JPEGInterchangeFormat] = pos
        out = bytearray(self.header + struct.pack(self.prefix + "I", 8))
        for name, ifd in plan:
            next_ifd = offsets["1st"] if name == "0th" else 0
            out += self._ifd(name, ifd, offsets[name], next_ifd)
            out += b"\x00" * (len(out) % 2)
        return bytes(out + thumbnail)

    def _ifd(self, name: str, ifd: Ifd, start: int, next_ifd: int) -> bytes:
        """One IFD at offset ``start``, followed by its out-of-line values."""
        table = piexif.TAGS["Image" if name in ("0th", "1st") else name]
        entries = bytearray(struct.pack(self.prefix + "H", len(ifd)))
        data = bytearray()
        data_start = start + 2 + 12 * len(ifd) + 4
        for tag in sorted(ifd):
            kind = table[tag]["type"]
            count, raw = self._encode(kind, ifd[tag])
            if len(raw) <= 4:
                field = raw.ljust(4, b"\x00")
            else:
                data += b"\x00" * (len(data) % 2)
                field = struct.pack(self.prefix + "I", data_start + len(data))
                data += raw
            entries += struct.pack(self.prefix + "HHI", tag, kind, count) + field
        entries += struct.pack(self.prefix + "I", next_ifd)
        return bytes(entries + data)

    def _encode(self, kind: int, value: object) -> tuple[int, bytes]:
        """(count, bytes) for one value of TIFF type ``kind``."""
        t = piexif.TYPES
        if kind in (t.Ascii, t.Undefined):
            assert isinstance(value, bytes)
            raw = value + b"\x00" if kind == t.Ascii else value
            return len(raw), raw
        if kind in (t.Rational, t.SRational):
            assert isinstance(value, tuple)
            pairs = value if isinstance(value[0], tuple) else (value,)
            code = "I" if kind == t.Rational else "i"
            raw = b"".join(struct.pack(self.prefix + code * 2, *pair) for pair in pairs)
            return len(pairs), raw
        code = {t.Byte: "B", t.Short: "H", t.Long: "I", t.SLong: "i"}[kind]
        values = value if isinstance(value, tuple) else (value,)
        return len(values), struct.pack(self.prefix + code * len(values), *values)


def _even(n: int) -> int:
    return n + n % 2


def _check_round_trip(tiff: bytes, zeroth: Ifd, exif: Ifd, gps: Ifd, thumbnail: bytes) -> None:
    """Read the result back with piexif and insist every value survived."""
    loaded = piexif.load(b"Exif\x00\x00" + tiff)
    for name, ifd in (("0th", zeroth), ("Exif", exif), ("GPS", gps)):
        for tag, value in ifd.items():
            got = loaded[name].get(tag)
            if got != value:
                raise AssertionError(f"{name} tag {tag}: wrote {value!r}, read {got!r}")
    if loaded["thumbnail"] != thumbnail:
        raise AssertionError("thumbnail did not round-trip")


def _offset_delta(offset: str) -> timedelta:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return sign * timedelta(hours=int(hours), minutes=int(minutes))


def build_xmp(caption: Caption) -> bytes:
    """A hand-written XMP packet with the caption fields, padded for in-place editing."""

    def alt(text: str) -> str:
        return (
            '<rdf:Alt><rdf:li xml:lang="x-default">'
            f"{escape(text)}</rdf:li></rdf:Alt>"
        )

    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">
   <dc:title>{alt(caption.title)}</dc:title>
   <dc:description>{alt(caption.description)}</dc:description>
   <dc:creator><rdf:Seq><rdf:li>{escape(caption.creator)}</rdf:li></rdf:Seq></dc:creator>
   <dc:rights>{alt(caption.rights)}</dc:rights>
   <Iptc4xmpCore:AltTextAccessibility>{alt(caption.alt_text)}</Iptc4xmpCore:AltTextAccessibility>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""
    padding = (" " * 99 + "\n") * 20
    return (body + padding + '<?xpacket end="w"?>').encode("utf-8")


def app1(payload: bytes) -> bytes:
    """Wrap a payload in an APP1 marker segment."""
    if len(payload) + 2 > 0xFFFF:
        raise ValueError("APP1 segment too large")
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def build_sample(sample: Sample) -> bytes:
    """The complete JPEG file for one sample."""
    image = load_pixels(sample.source)
    if sample.orientation == 6:
        # Store the pixels turned 90° counter-clockwise: orientation 6 turns them back upright.
        image = image.transpose(Image.Transpose.ROTATE_90)
    elif sample.orientation != 1:
        raise ValueError("only orientations 1 and 6 are supported")
    jpeg = encode_jpeg(image, QUALITY)
    segments = app1(build_exif(sample, image, make_thumbnail(image)))
    if sample.caption:
        segments += app1(XMP_HEADER + build_xmp(sample.caption))
    return jpeg[:2] + segments + jpeg[2:]


def main() -> int:
    """Write every sample into OUT_DIR and remove stale JPEGs."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    wanted = {s.filename for s in SAMPLES}
    for stale in OUT_DIR.glob("*.jpg"):
        if stale.name not in wanted:
            stale.unlink()
    total = 0
    for sample in SAMPLES:
        data = build_sample(sample)
        (OUT_DIR / sample.filename).write_bytes(data)
        total += len(data)
        print(f"{sample.filename:36} {len(data):>8} bytes")
    print(f"{'total':36} {total:>8} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
