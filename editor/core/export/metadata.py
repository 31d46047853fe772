"""Fresh metadata for exported copies: EXIF (piexif), an XMP packet and IPTC-IIM APP13."""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

import piexif

from editor.core.export.tiff_writer import dump as dump_tiff
from editor.core.export.types import MetadataPreset
from editor.core.model import GPS, PhotoMetadata

ExifDict = dict[str, Any]

# IFD0 tags that describe pixels we no longer have, or that we write ourselves.
_STRUCTURAL_0TH = frozenset(
    {
        256,
        257,
        258,
        259,
        262,
        273,
        274,
        277,
        278,
        279,
        284,
        513,
        514,
        530,
        270,
        315,
        33432,
        18246,
        18249,
        40091,
        40092,
        40093,
        40094,
        40095,
        34665,
        34853,
        40965,
        50341,  # pointers, PrintIM
    }
)
# Technical IFD0 tags kept by all-but-camera-and-location.
_TECH_0TH = frozenset({271, 272, 282, 283, 296, 305, 306})
# Technical Exif-IFD tags kept by all-but-camera-and-location: exposure, lens model, time.
_TECH_EXIF = frozenset(
    {
        33434,
        33437,
        34850,
        34855,
        34864,
        34866,
        34867,
        36864,
        36867,
        36868,
        36880,
        36881,
        36882,
        37377,
        37378,
        37379,
        37380,
        37381,
        37382,
        37383,
        37384,
        37385,
        37386,
        37520,
        37521,
        37522,
        41486,
        41487,
        41488,
        41495,
        41728,
        41729,
        41985,
        41986,
        41987,
        41988,
        41989,
        41990,
        41991,
        41992,
        41993,
        41994,
        41996,
        42034,
        42035,
        42036,
    }
)
_EXIF_ALWAYS_DROP = frozenset({40960, 40961, 40962, 40963, 40965, 37510, 36867, 36881})
MAKER_NOTE, OWNER, BODY_SERIAL, LENS_SERIAL, UNIQUE_ID = 37500, 42032, 42033, 42037, 42016
_CAMERA_DETAILS = frozenset({271, 272, 33434, 33437, 34855, 37386, 42036})

REMOVED_LABELS = {
    "gps": "GPS position",
    "serial": "camera serial number",
    "lens_serial": "lens serial number",
    "owner": "camera owner name",
    "maker_notes": "maker notes",
    "camera": "camera and exposure details",
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class SourceFacts:
    """Which private or technical data an original holds, to say what the copies will lose."""

    private: frozenset[str]  # keys of REMOVED_LABELS


def load_exif(raw: bytes | None) -> ExifDict | None:
    """Parse a Pillow ``info["exif"]`` block; None when absent or unreadable."""
    if not raw:
        return None
    data = raw if raw.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + raw
    try:
        return dict(piexif.load(data))
    except Exception:  # piexif raises many kinds on damaged blocks; the copy just loses them
        return None


def source_facts(exif: ExifDict | None, metadata: PhotoMetadata) -> SourceFacts:
    found: set[str] = set()
    if metadata.gps is not None:
        found.add("gps")
    if exif:
        ifd0, sub = exif.get("0th") or {}, exif.get("Exif") or {}
        if exif.get("GPS"):
            found.add("gps")
        for tag, key in (
            (BODY_SERIAL, "serial"),
            (LENS_SERIAL, "lens_serial"),
            (OWNER, "owner"),
            (MAKER_NOTE, "maker_notes"),
        ):
            if sub.get(tag):
                found.add(key)
        if any(t in ifd0 or t in sub for t in _CAMERA_DETAILS):
            found.add("camera")
    return SourceFacts(frozenset(found))


def removed_keys(facts: SourceFacts, preset: MetadataPreset, keep_location: bool) -> list[str]:
    """The REMOVED_LABELS keys the copy of a photo with ``facts`` will not carry."""
    keys = set(facts.private)
    if keep_location:
        keys.discard("gps")
    if preset == MetadataPreset.ALL:
        keys &= {"gps"}
    elif preset == MetadataPreset.ALL_BUT_CAMERA_AND_LOCATION:
        keys.discard("camera")
    return [k for k in REMOVED_LABELS if k in keys]


def _text(value: str) -> bytes:
    return _XML_INVALID.sub("", value).encode("utf-8")


def _xp(value: str) -> bytes:
    return (value + "\x00").encode("utf-16-le")


def _rational(value: float, denominator: int) -> tuple[int, int]:
    return round(value * denominator), denominator


def _dms(value: float) -> tuple[tuple[int, int], ...]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (degrees, 1), (minutes, 1), _rational(seconds, 1000)


def gps_ifd(gps: GPS) -> dict[int, Any]:
    ifd: dict[int, Any] = {
        piexif.GPSIFD.GPSVersionID: (2, 3, 0, 0),
        piexif.GPSIFD.GPSLatitudeRef: b"N" if gps.lat >= 0 else b"S",
        piexif.GPSIFD.GPSLatitude: _dms(gps.lat),
        piexif.GPSIFD.GPSLongitudeRef: b"E" if gps.lon >= 0 else b"W",
        piexif.GPSIFD.GPSLongitude: _dms(gps.lon),
    }
    if gps.alt is not None:
        ifd[piexif.GPSIFD.GPSAltitudeRef] = 0 if gps.alt >= 0 else 1
        ifd[piexif.GPSIFD.GPSAltitude] = _rational(abs(gps.alt), 100)
    return ifd


def _offset(dt: datetime) -> str:
    off = dt.utcoffset()
    if off is None:
        return ""
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def build_exif(
    metadata: PhotoMetadata,
    source: ExifDict | None,
    preset: MetadataPreset,
    keep_location: bool,
    size: tuple[int, int],
    *,
    orientation_tag: bool = True,
) -> bytes:
    """A new EXIF block (with the ``Exif\\0\\0`` header) for a copy of ``size`` pixels.

    ``orientation_tag=False`` for AVIF: Pillow moves the tag into the container and then
    re-serialises the block, replacing UTF-8 text with "?".
    """
    ifd0: dict[int, Any] = {}
    sub: dict[int, Any] = {}
    if source and preset != MetadataPreset.CAPTION_AND_RIGHTS:
        src0, src_exif = source.get("0th") or {}, source.get("Exif") or {}
        if preset == MetadataPreset.ALL:
            ifd0 = {t: v for t, v in src0.items() if t not in _STRUCTURAL_0TH}
            sub = {t: v for t, v in src_exif.items() if t not in _EXIF_ALWAYS_DROP}
        else:
            ifd0 = {t: v for t, v in src0.items() if t in _TECH_0TH}
            sub = {
                t: v for t, v in src_exif.items() if t in _TECH_EXIF and t not in _EXIF_ALWAYS_DROP
            }
        if metadata.rating is not None:
            ifd0[piexif.ImageIFD.Rating] = metadata.rating
    if orientation_tag:
        ifd0[piexif.ImageIFD.Orientation] = 1
    for tag, value in ((282, (72, 1)), (283, (72, 1)), (296, 2), (531, 1)):
        ifd0.setdefault(tag, value)  # required by EXIF for JPEG
    if metadata.caption:
        ifd0[piexif.ImageIFD.ImageDescription] = _text(metadata.caption)
        ifd0[piexif.ImageIFD.XPComment] = _xp(metadata.caption)
    if metadata.title:
        ifd0[piexif.ImageIFD.XPTitle] = _xp(metadata.title)
    if metadata.creator:
        ifd0[piexif.ImageIFD.Artist] = _text("; ".join(metadata.creator))
        ifd0[piexif.ImageIFD.XPAuthor] = _xp("; ".join(metadata.creator))
    if metadata.keywords:
        ifd0[piexif.ImageIFD.XPKeywords] = _xp("; ".join(metadata.keywords))
    if metadata.copyright:
        ifd0[piexif.ImageIFD.Copyright] = _text(metadata.copyright)
    if metadata.date_taken is not None:
        sub[piexif.ExifIFD.DateTimeOriginal] = metadata.date_taken.strftime(
            "%Y:%m:%d %H:%M:%S"
        ).encode()
        if _offset(metadata.date_taken):
            sub[piexif.ExifIFD.OffsetTimeOriginal] = _offset(metadata.date_taken).encode()
    sub.setdefault(piexif.ExifIFD.ExifVersion, b"0232")
    sub.setdefault(piexif.ExifIFD.ComponentsConfiguration, b"\x01\x02\x03\x00")
    sub.setdefault(piexif.ExifIFD.FlashpixVersion, b"0100")
    sub[piexif.ExifIFD.ColorSpace] = 1  # the pixels are converted to sRGB
    sub[piexif.ExifIFD.PixelXDimension] = size[0]
    sub[piexif.ExifIFD.PixelYDimension] = size[1]
    gps = gps_ifd(metadata.gps) if keep_location and metadata.gps is not None else {}
    return _dump({"0th": ifd0, "Exif": sub, "GPS": gps})


def _dump(exif: ExifDict) -> bytes:
    return dump_tiff(exif)


def without_maker_note(exif: bytes) -> bytes:
    """The same block less the maker note, for when it makes EXIF exceed one JPEG segment."""
    data = dict(piexif.load(exif))
    (data.get("Exif") or {}).pop(MAKER_NOTE, None)
    data.pop("thumbnail", None)
    data.pop("1st", None)
    return dump_tiff(data)


# --- XMP -------------------------------------------------------------------------------------

_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
}


def _x(value: str) -> str:
    return escape(_XML_INVALID.sub("", value), {'"': "&quot;"})


def _alt(name: str, value: str) -> str:
    return (
        f'   <{name}><rdf:Alt><rdf:li xml:lang="x-default">{_x(value)}</rdf:li></rdf:Alt></{name}>'
    )


def _list(name: str, kind: str, values: Iterable[str]) -> str:
    items = "".join(f"<rdf:li>{_x(v)}</rdf:li>" for v in values)
    return f"   <{name}><rdf:{kind}>{items}</rdf:{kind}></{name}>"


def _simple(name: str, value: str) -> str:
    return f"   <{name}>{_x(value)}</{name}>"


def _xmp_coordinate(value: float, pos: str, neg: str) -> str:
    degrees = int(abs(value))
    minutes = (abs(value) - degrees) * 60
    return f"{degrees},{minutes:.6f}{pos if value >= 0 else neg}"


def _xmp_date(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + _offset(dt)


def build_xmp(metadata: PhotoMetadata, preset: MetadataPreset, keep_location: bool) -> bytes:
    """An XMP packet holding the descriptive fields (and GPS only when kept)."""
    m = metadata
    props: list[str] = []
    if m.title:
        props += [_alt("dc:title", m.title), _simple("photoshop:Headline", m.title)]
    if m.caption:
        props.append(_alt("dc:description", m.caption))
    if m.creator:
        props.append(_list("dc:creator", "Seq", m.creator))
    if m.keywords:
        props.append(_list("dc:subject", "Bag", m.keywords))
    if m.copyright:
        props.append(_alt("dc:rights", m.copyright))
    if m.credit:
        props.append(_simple("photoshop:Credit", m.credit))
    if m.usage_terms:
        props.append(_alt("xmpRights:UsageTerms", m.usage_terms))
    if m.alt_text:
        props.append(_alt("Iptc4xmpCore:AltTextAccessibility", m.alt_text))
    if m.extended_description:
        props.append(_alt("Iptc4xmpCore:ExtDescrAccessibility", m.extended_description))
    if m.date_taken is not None:
        props += [
            _simple("photoshop:DateCreated", _xmp_date(m.date_taken)),
            _simple("exif:DateTimeOriginal", _xmp_date(m.date_taken)),
        ]
    if m.rating is not None and preset != MetadataPreset.CAPTION_AND_RIGHTS:
        props.append(_simple("xmp:Rating", str(m.rating)))
    props.append(_simple("tiff:Orientation", "1"))
    if keep_location and m.gps is not None:
        props += [
            _simple("exif:GPSLatitude", _xmp_coordinate(m.gps.lat, "N", "S")),
            _simple("exif:GPSLongitude", _xmp_coordinate(m.gps.lon, "E", "W")),
        ]
    namespaces = "".join(f'\n    xmlns:{k}="{v}"' for k, v in _NS.items())
    body = "\n".join(props)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="PhotoCaption">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about=""{namespaces}>\n{body}\n'
        "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


# --- IPTC-IIM --------------------------------------------------------------------------------

PHOTOSHOP_HEADER = b"Photoshop 3.0\x00"


def _dataset(record: int, number: int, data: bytes) -> bytes:
    if len(data) < 0x8000:
        return bytes((0x1C, record, number)) + struct.pack(">H", len(data)) + data
    return bytes((0x1C, record, number)) + struct.pack(">HI", 0x8004, len(data)) + data


def build_iim(metadata: PhotoMetadata) -> bytes:
    """IIM records 1 and 2 with UTF-8 declared (1:90 = ESC % G)."""
    m = metadata
    out = [_dataset(1, 0, b"\x00\x04"), _dataset(1, 90, b"\x1b%G"), _dataset(2, 0, b"\x00\x04")]
    fields: list[tuple[int, str]] = []
    if m.title:
        fields.append((5, m.title))
    fields += [(25, k) for k in m.keywords]
    if m.date_taken is not None:
        fields.append((55, m.date_taken.strftime("%Y%m%d")))
        fields.append(
            (60, m.date_taken.strftime("%H%M%S") + _offset(m.date_taken).replace(":", ""))
        )
    fields += [(80, c) for c in m.creator]
    if m.title:
        fields.append((105, m.title))
    if m.credit:
        fields.append((110, m.credit))
    if m.copyright:
        fields.append((116, m.copyright))
    if m.caption:
        fields.append((120, m.caption))
    fields.sort(key=lambda f: f[0])  # stable: repeated datasets keep their order
    out += [_dataset(2, n, _text(v)) for n, v in fields]
    return b"".join(out)


def _resource(resource_id: int, data: bytes) -> bytes:
    pad = b"\x00" if len(data) % 2 else b""
    return (
        b"8BIM"
        + struct.pack(">H", resource_id)
        + b"\x00\x00"
        + struct.pack(">I", len(data))
        + data
        + pad
    )


def build_app13(metadata: PhotoMetadata) -> bytes:
    """The APP13 payload: IIM (0x0404) and its MD5 digest (0x0425) so readers trust it."""
    iim = build_iim(metadata)
    return PHOTOSHOP_HEADER + _resource(0x0404, iim) + _resource(0x0425, hashlib.md5(iim).digest())


def insert_app13(jpeg: bytes, payload: bytes) -> bytes:
    """Insert an APP13 segment after the leading APPn segments of a JPEG we just encoded."""
    if len(payload) > 0xFFFF - 2:
        raise ValueError("IPTC block too large for one segment")
    pos = 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF and 0xE0 <= jpeg[pos + 1] <= 0xEF:
        pos += 2 + struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:pos] + segment + jpeg[pos:]
