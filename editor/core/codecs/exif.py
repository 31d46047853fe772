"""EXIF: decode the tags we show into model values, and turn edits into minimal TIFF patches.

Which tags hold which field comes from the field table (``fields.py``: ``ExifTag`` rows with an
encoding and a role); this module only knows how each encoding (ASCII, XP, date with its
OffsetTime*/SubSecTime* companions, SHORT, the GPS IFD) turns into values and back. Parsing goes
through piexif (Pillow's reader when piexif raises); writing never re-serialises the structure,
it hands precise per-IFD edits to ``tiff.patch``.
"""

from __future__ import annotations

import contextlib
import struct
import warnings as warnings_module
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

import piexif
from PIL import Image

from editor.core import fields as field_table
from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import MetadataFormatError
from editor.core.fields import ExifEncoding, ExifTag, FieldKind, FieldSpec, Role
from editor.core.model import GPS, CameraFacts, PhotoMetadata
from editor.core.partial_dates import PartialDate

# The tags of the editable fields live in the field table (fields.py); these are the camera
# facts we show and the tags a new block must carry.
# IFD0
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112
X_RESOLUTION, Y_RESOLUTION, RESOLUTION_UNIT, YCBCR_POSITIONING = 0x011A, 0x011B, 0x0128, 0x0213
# Exif IFD
EXPOSURE_TIME, F_NUMBER, ISO, EXIF_VERSION, FOCAL_LENGTH = 0x829A, 0x829D, 0x8827, 0x9000, 0x920A
COMPONENTS_CONFIGURATION, FLASHPIX_VERSION, COLOR_SPACE = 0x9101, 0xA000, 0xA001
PIXEL_X, PIXEL_Y, BODY_SERIAL, LENS_MODEL, LENS_MAKE = 0xA002, 0xA003, 0xA431, 0xA434, 0xA433
GPS_PROCESSING_METHOD = 0x1B


def _table_tag(name: str) -> int:
    """A field's tag number, taken from the field table (for callers that name tags)."""
    return next(t.tag for f in field_table.FIELDS for t in f.exif if t.name == name)


IMAGE_DESCRIPTION = _table_tag("ImageDescription")
XP_TITLE, XP_COMMENT = _table_tag("XPTitle"), _table_tag("XPComment")
DATE_TIME_ORIGINAL = _table_tag("DateTimeOriginal")

# Text some cameras put in ImageDescription that is not a caption anybody wrote.
CAMERA_BOILERPLATE = frozenset(
    {
        "OLYMPUS DIGITAL CAMERA",
        "SONY DSC",
        "DIGITAL CAMERA",
        "DCIM",
        "DEFAULT",
        "KONICA MINOLTA DIGITAL CAMERA",
        "MINOLTA DIGITAL CAMERA",
        "SAMSUNG CAMERA PICTURES",
        "LEICA",
    }
)


@dataclass
class ExifRead:
    """What we take from an EXIF block. ``values`` holds only the fields the block has."""

    values: dict[str, Any] = field(default_factory=dict)
    camera: CameraFacts = field(default_factory=CameraFacts)
    orientation: int = 1
    exif_version: str = ""
    has_thumbnail: bool = False
    tags: dict[str, dict[int, Any]] = field(default_factory=dict)  # "IFD0"/"Exif"/"GPS" -> tags

    @property
    def has_rating(self) -> bool:
        """Whether the block has a (Microsoft) Rating tag, which is kept in step only if so."""
        return _table_tag("Rating") in self.tags.get("IFD0", {})

    patchable: bool = True  # IFD0 parses cleanly with our own parser
    warnings: list[str] = field(default_factory=list)


# --- text decoding -------------------------------------------------------------------------


def decode_ascii(raw: object) -> str:
    """EXIF "ASCII" text: UTF-8 per MWG, else cp1252 (what old Windows tools wrote).

    A damaged file can store a text tag as numbers: that is no text, not a crash."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", "replace")
    if not isinstance(raw, (bytes, bytearray)):
        return ""
    raw = bytes(raw).split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    return text.strip()


def decode_xp(raw: bytes | tuple[int, ...] | str) -> str:
    """Windows XP* tags: UTF-16LE, NUL-terminated, stored as BYTE."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", "replace")
    data = bytes(raw)
    if len(data) % 2:
        data = data[:-1]
    return data.decode("utf-16-le", "replace").split("\x00", 1)[0].strip()


def decode_user_comment(raw: bytes, endian: str = "<") -> str:
    """UserComment: an 8-byte character-code prefix, then the text."""
    prefix, body = bytes(raw[:8]), bytes(raw[8:])
    if prefix.startswith(b"UNICODE"):
        codec = "utf-16-be" if endian == ">" else "utf-16-le"
        if body[:2] in (b"\xfe\xff", b"\xff\xfe"):
            codec = "utf-16"
        text = body.decode(codec, "replace")
    elif prefix.startswith(b"JIS"):
        text = body.decode("shift_jis", "replace")
    else:  # "ASCII\0\0\0" or undefined (all NULs): treat like ASCII text
        text = decode_ascii(body)
    return text.replace("\x00", "").strip()


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(",", ";").split(";") if p.strip())


# --- numbers ---------------------------------------------------------------------------------


def _ratio(value: Any) -> float | None:
    try:
        if isinstance(value, tuple) and len(value) == 2:
            num, den = value
            return None if den == 0 else num / den
        return float(value)
    except (TypeError, ValueError):
        return None


def format_exposure(value: Any) -> str:
    seconds = _ratio(value)
    if not seconds or not 1e-9 <= seconds < 1e12:  # zero, negative or absurd (damaged files)
        return ""
    if seconds >= 100:
        return f"{round(seconds):d}"  # long astro exposures: "2000000", not "2e+06"
    if seconds >= 0.3:
        return f"{round(seconds, 1):g}"  # as exiftool shows it: 1/3 s is "0.3", not "0.333333"
    return f"1/{round(1 / seconds)}"


def _dms(value: Any) -> float | None:
    try:
        d, m, s = (_ratio(v) for v in value)
    except (TypeError, ValueError):
        return None
    if d is None or m is None or s is None:
        return None
    return d + m / 60 + s / 3600


def parse_exif_datetime(text: str, offset: str = "") -> datetime | None:
    text = text.strip()
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y:%m:%d"):
        try:
            value = datetime.strptime(text[: len(datetime(2000, 1, 1).strftime(fmt))], fmt)
            break
        except ValueError:
            continue
    else:
        return None
    tz = parse_offset(offset)
    return value.replace(tzinfo=tz) if tz else value


def parse_offset(text: str) -> timezone | None:
    text = text.strip()
    if len(text) == 6 and text[0] in "+-" and text[3] == ":":
        try:
            hours, minutes = int(text[1:3]), int(text[4:6])
        except ValueError:
            return None
        if hours <= 14 and minutes < 60:
            sign = -1 if text[0] == "-" else 1
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return None


def format_offset(dt: datetime) -> str:
    delta = dt.utcoffset()
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


# --- reading ---------------------------------------------------------------------------------


def piexif_load(block: bytes) -> dict[str, Any]:
    """``piexif.load``, except that a block whose tags claim more values than it holds is
    refused at once: piexif builds a struct format as long as the claimed count before failing,
    which took a minute for one flipped byte in a damaged photo (found by the property tests)."""
    if _claims_more_than_it_holds(block):
        raise ValueError("an EXIF tag claims more values than the block holds")
    return dict(piexif.load(block))


def _claims_more_than_it_holds(block: bytes) -> bool:
    """True when a numeric entry of IFD0, IFD1 or the Exif, GPS or Interop IFD needs more bytes
    than the whole block has (piexif would fail on it). Unparseable structure is left to piexif."""
    try:
        # Byte order only: piexif reads on even when the TIFF magic number is damaged.
        endian = {b"II": "<", b"MM": ">"}.get(block[:2])
        if endian is None:
            return False
        (first,) = struct.unpack_from(endian + "I", block, 4)
        pending, seen = [first], set()
        while pending:
            offset = pending.pop()
            if offset in seen or not 8 <= offset <= len(block) - 2:
                continue
            seen.add(offset)
            (count,) = struct.unpack_from(endian + "H", block, offset)
            for i in range(min(count, tiff.MAX_ENTRIES)):
                pos = offset + 2 + 12 * i
                if pos + 12 > len(block):
                    break
                tag, typ, n = struct.unpack_from(endian + "HHI", block, pos)
                # piexif slices ASCII and UNDEFINED values but unpacks every other type.
                if typ not in (2, 7) and n * tiff.TYPE_SIZES.get(typ, 1) > len(block):
                    return True
                if tag in (tiff.TAG_EXIF_IFD, tiff.TAG_GPS_IFD, 0xA005) and typ in (4, 13):
                    pending.append(struct.unpack_from(endian + "I", block, pos + 8)[0])
            if offset == first:
                nxt = offset + 2 + 12 * count
                if nxt + 4 <= len(block):
                    pending.append(struct.unpack_from(endian + "I", block, nxt)[0])
    except Exception:  # not even a TIFF header: piexif will say so
        return False
    return False


def _load_dicts(block: bytes) -> tuple[dict[str, dict[int, Any]], list[str]]:
    """Tag dictionaries per IFD: piexif first, Pillow's reader when piexif cannot parse."""
    try:
        loaded = piexif_load(block)
        dicts = {k: loaded.get(k) or {} for k in ("0th", "Exif", "GPS", "1st")}
        dicts["thumbnail"] = {0: loaded.get("thumbnail")}
        return dicts, []
    except Exception:  # piexif raises anything from struct.error to ValueError on damage
        pass
    warnings = ["EXIF is damaged; read what could be read"]
    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore")  # Pillow warns about the damage we report
            exif = Image.Exif()
            exif.load(b"Exif\x00\x00" + block)
            dicts = {"0th": dict(exif), "Exif": {}, "GPS": {}, "1st": {}, "thumbnail": {0: None}}
            with contextlib.suppress(Exception):
                dicts["Exif"] = dict(exif.get_ifd(tiff.TAG_EXIF_IFD))
            with contextlib.suppress(Exception):
                dicts["GPS"] = dict(exif.get_ifd(tiff.TAG_GPS_IFD))
        return dicts, warnings
    except Exception as err:
        raise MetadataFormatError(f"EXIF cannot be read: {err}") from err


def read_exif(block: bytes) -> ExifRead:
    """Decode a TIFF-structured EXIF block (without the "Exif\\0\\0" prefix)."""
    result = ExifRead()
    try:
        tiff.read_ifd(block, *tiff.header(block))
    except MetadataFormatError:
        result.patchable = False
    dicts, warnings = _load_dicts(block)
    result.warnings.extend(warnings)
    ifd0, exif_ifd = dicts["0th"], dicts["Exif"]
    result.tags = {"IFD0": ifd0, "Exif": exif_ifd, "GPS": dicts["GPS"]}

    def text(ifd: dict[int, Any], tag: int) -> str | None:
        return _ascii_text(ifd.get(tag))

    for spec in field_table.FIELDS:
        value = _field_value(result.tags, spec)
        if value is not None:
            result.values[spec.name] = value

    orientation = ifd0.get(ORIENTATION)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        result.orientation = orientation
    version = exif_ifd.get(EXIF_VERSION)
    if isinstance(version, bytes | str):
        result.exif_version = decode_ascii(version)
    iso = exif_ifd.get(ISO)
    if isinstance(iso, tuple):
        iso = iso[0] if iso else None
    f_number = _ratio(exif_ifd.get(F_NUMBER)) if exif_ifd.get(F_NUMBER) is not None else None
    focal = _ratio(exif_ifd.get(FOCAL_LENGTH)) if exif_ifd.get(FOCAL_LENGTH) is not None else None
    result.camera = CameraFacts(
        make=text(ifd0, MAKE) or "",
        model=text(ifd0, MODEL) or "",
        lens=text(exif_ifd, LENS_MODEL) or "",
        exposure_time=format_exposure(exif_ifd.get(EXPOSURE_TIME)),
        f_number=round(f_number, 1) if f_number else None,
        iso=iso if isinstance(iso, int) and iso > 0 else None,
        focal_length=round(focal, 1) if focal else None,
        serial_number=text(exif_ifd, BODY_SERIAL) or "",
    )
    result.has_thumbnail = bool(dicts["thumbnail"].get(0))
    return result


def _ascii_text(raw: Any) -> str | None:
    if raw is None or not isinstance(raw, bytes | str):
        return None
    return decode_ascii(raw)


def _decode_tag(tags: dict[str, dict[int, Any]], spec_kind: FieldKind, tag: ExifTag) -> Any:
    """The value ``tag`` holds as a field of ``spec_kind``; None when absent or unreadable."""
    ifd = tags.get(tag.ifd, {})
    enc = tag.encoding
    if enc is ExifEncoding.GPS_IFD:
        return _read_gps(ifd)
    raw = ifd.get(tag.tag)
    if raw is None:
        return None
    if enc is ExifEncoding.SHORT:
        return raw if isinstance(raw, int) and 0 <= raw <= 5 else None
    if enc is ExifEncoding.XP:
        if not isinstance(raw, bytes | tuple | str):
            return None
        try:
            text: str | None = decode_xp(raw)
        except (TypeError, ValueError):
            return None
    else:
        text = _ascii_text(raw)
    if text is None:
        return None
    if enc is ExifEncoding.DATETIME:
        if not text:
            return None
        offset = _ascii_text(ifd.get(tag.offset_tag)) if tag.offset_tag is not None else None
        return parse_exif_datetime(text, offset or "")
    if tag.boilerplate and text.upper() in CAMERA_BOILERPLATE:
        text = ""
    return _split_list(text) if spec_kind is FieldKind.LIST else text


def _field_value(tags: dict[str, dict[int, Any]], spec: FieldSpec) -> Any:
    """The first non-empty value among the field's source tags (else an empty one, or None)."""
    found = [
        v for t in spec.exif if t.role.read and (v := _decode_tag(tags, spec.kind, t)) is not None
    ]
    return next((v for v in found if v not in ("", ())), found[0] if found else None)


def _read_gps(gps: dict[int, Any]) -> GPS | None:
    lat, lon = _dms(gps.get(2)), _dms(gps.get(4))
    if lat is None or lon is None:
        return None
    lat_ref = decode_ascii(gps.get(1, b"N")).upper()[:1]
    lon_ref = decode_ascii(gps.get(3, b"E")).upper()[:1]
    if lat_ref == "S":
        lat = -lat
    if lon_ref == "W":
        lon = -lon
    alt = _ratio(gps.get(6)) if gps.get(6) is not None else None
    if alt is not None and gps.get(5) in (1, b"\x01"):
        alt = -alt
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0 and alt is None:
        return None  # "0,0" is what cameras write when they had no fix
    return GPS(round(lat, 7), round(lon, 7), None if alt is None else round(alt, 2))


# --- writing ---------------------------------------------------------------------------------


def _ascii(text: str) -> tiff.NewValue:
    raw = text.encode("utf-8") + b"\x00"  # MWG: EXIF text is UTF-8
    return tiff.NewValue(tiff.ASCII, len(raw), raw)


def _xp(text: str) -> tiff.NewValue:
    raw = text.encode("utf-16-le") + b"\x00\x00"
    return tiff.NewValue(tiff.BYTE, len(raw), raw)


def _rationals(endian: str, values: list[Fraction]) -> tiff.NewValue:
    raw = b"".join(struct.pack(endian + "II", v.numerator, v.denominator) for v in values)
    return tiff.NewValue(tiff.RATIONAL, len(values), raw)


def _dms_fractions(value: float) -> list[Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = Fraction(round((minutes_full - minutes) * 60 * 10000), 10000)
    return [Fraction(degrees), Fraction(minutes), seconds]


@dataclass
class ExifPatch:
    ifd0: tiff.IfdEdit = field(default_factory=tiff.IfdEdit)
    exif: tiff.IfdEdit = field(default_factory=tiff.IfdEdit)
    gps: tiff.IfdEdit = field(default_factory=tiff.IfdEdit)
    remove_gps: bool = False
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ifd0 or self.exif or self.gps or self.remove_gps)


def _set_text(edit: tiff.IfdEdit, tag: int, text: str, encode: Any) -> None:
    if text:
        edit.updates[tag] = encode(text)
    else:
        edit.removals.add(tag)


def _same_fact(a: Any, b: Any) -> bool:
    """Whether two decoded values are the same fact (dates: the same moment to the second)."""
    if a is None or b is None:
        return False
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a.replace(tzinfo=None, microsecond=0) == b.replace(tzinfo=None, microsecond=0)
    return bool(a == b)


def _write_date(
    patch: ExifPatch, edit: tiff.IfdEdit, tag: ExifTag, value: datetime | None, version: str
) -> None:
    """A date tag with its OffsetTime*/SubSecTime* companions, so that readers combining them
    (exiftool's SubSecDateTimeOriginal) see the new moment, never old sub-seconds or zone."""
    companions = {t for t in (tag.offset_tag, tag.subsec_tag) if t is not None}
    if value is None or isinstance(value, PartialDate):
        # EXIF has no date without a time: a date-only value is not given an invented midnight
        edit.removals.update({tag.tag, *companions})
        return
    edit.updates[tag.tag] = _ascii(value.strftime("%Y:%m:%d %H:%M:%S"))
    if tag.subsec_tag is not None:
        if value.microsecond:
            _set_text(edit, tag.subsec_tag, f"{value.microsecond:06d}".rstrip("0"), _ascii)
        else:
            edit.removals.add(tag.subsec_tag)
    if tag.offset_tag is not None:
        offset = format_offset(value)
        # OffsetTime* exists from EXIF 2.31 on; older files keep the offset in XMP.
        if offset and version >= "0231":
            edit.updates[tag.offset_tag] = _ascii(offset)
        else:
            edit.removals.add(tag.offset_tag)
            if offset and tag.role is Role.STORE:
                patch.notes.append("UTC offset kept in XMP only (EXIF version too old)")


def _write_gps(patch: ExifPatch, endian: str, gps_value: GPS | None) -> None:
    if gps_value is None:
        patch.remove_gps = True
        return
    gps = patch.gps
    gps.updates[0] = tiff.NewValue(tiff.BYTE, 4, bytes((2, 3, 0, 0)))
    gps.updates[1] = _ascii("S" if gps_value.lat < 0 else "N")
    gps.updates[2] = _rationals(endian, _dms_fractions(gps_value.lat))
    gps.updates[3] = _ascii("W" if gps_value.lon < 0 else "E")
    gps.updates[4] = _rationals(endian, _dms_fractions(gps_value.lon))
    if gps_value.alt is None:
        gps.removals.update({5, 6})
    else:
        gps.updates[5] = tiff.NewValue(tiff.BYTE, 1, bytes((1 if gps_value.alt < 0 else 0,)))
        gps.updates[6] = _rationals(
            endian, [Fraction(round(abs(gps_value.alt) * 100), 100).limit_denominator(100)]
        )


def _write_tag(
    patch: ExifPatch, endian: str, version: str, spec: FieldSpec, tag: ExifTag, value: Any
) -> None:
    """Store ``value`` (of field ``spec``) in ``tag`` by its encoding; empty removes it."""
    edit = {"IFD0": patch.ifd0, "Exif": patch.exif, "GPS": patch.gps}[tag.ifd]
    enc = tag.encoding
    if enc is ExifEncoding.GPS_IFD:
        _write_gps(patch, endian, value)
    elif enc is ExifEncoding.DATETIME:
        _write_date(patch, edit, tag, value, version)
    elif enc is ExifEncoding.SHORT:
        if value is None:
            edit.removals.add(tag.tag)
        else:
            edit.updates[tag.tag] = tiff.NewValue(tiff.SHORT, 1, struct.pack(endian + "H", value))
    else:
        text = tag.sep.join(value) if spec.kind is FieldKind.LIST else str(value or "")
        _set_text(edit, tag.tag, text, _xp if enc is ExifEncoding.XP else _ascii)


def build_patch(
    md: PhotoMetadata,
    fields: frozenset[str],
    endian: str,
    exif_version: str,
    *,
    current: ExifRead | None = None,
    has_rating: bool = False,
) -> ExifPatch:
    """The IFD edits that store the changed ``fields`` of ``md`` in EXIF: every tag the field
    table names for each, by its role (``current`` is the block's read, for the roles that
    depend on what the file holds: PRESENT, MIRROR, FOLLOW). ``has_rating`` is the older way
    to say the block has a Rating tag, for callers without ``current``."""
    patch = ExifPatch()
    tags = current.tags if current is not None else {}
    if has_rating and current is None:
        tags = {"IFD0": {_table_tag("Rating"): 0}}
    for name in sorted(fields):
        spec = field_table.FIELD_BY_NAME[name]
        old = _field_value(tags, spec)
        for tag in spec.exif:
            held = tags.get(tag.ifd, {})
            if tag.role in (Role.PRESENT, Role.MIRROR) and tag.tag not in held:
                continue
            if tag.role is Role.FOLLOW and not (
                tag.tag in held and _same_fact(old, _decode_tag(tags, spec.kind, tag))
            ):
                continue
            if tag.role is Role.PRUNE:
                continue  # no EXIF hierarchy tags
            _write_tag(patch, endian, exif_version, spec, tag, getattr(md, name))
    return patch


def new_exif_ifd_base(endian: str, width: int, height: int, fmt: str) -> tiff.IfdEdit:
    """The tags a new Exif IFD must have (per exiftool -validate) for this file format."""
    base = {
        EXIF_VERSION: tiff.NewValue(tiff.UNDEFINED, 4, b"0232"),
        FLASHPIX_VERSION: tiff.NewValue(tiff.UNDEFINED, 4, b"0100"),
        COLOR_SPACE: tiff.NewValue(tiff.SHORT, 1, struct.pack(endian + "H", 0xFFFF)),
    }
    if fmt != "TIFF":  # these describe a compressed image; TIFF forbids them in the Exif IFD
        base[COMPONENTS_CONFIGURATION] = tiff.NewValue(tiff.UNDEFINED, 4, b"\x01\x02\x03\x00")
        base[PIXEL_X] = tiff.NewValue(tiff.LONG, 1, struct.pack(endian + "I", width))
        base[PIXEL_Y] = tiff.NewValue(tiff.LONG, 1, struct.pack(endian + "I", height))
    return tiff.IfdEdit(base)


def empty_block(endian: str = ">") -> bytes:
    """A minimal EXIF block: IFD0 with only the resolution tags a JPEG is required to carry."""
    order = b"MM" if endian == ">" else b"II"
    entries = [
        (X_RESOLUTION, tiff.RATIONAL, 1, struct.pack(endian + "II", 72, 1)),
        (Y_RESOLUTION, tiff.RATIONAL, 1, struct.pack(endian + "II", 72, 1)),
        (RESOLUTION_UNIT, tiff.SHORT, 1, struct.pack(endian + "H", 2)),
        (YCBCR_POSITIONING, tiff.SHORT, 1, struct.pack(endian + "H", 1)),
    ]
    buf = bytearray(order + struct.pack(endian + "HI", 42, 8))
    offset = tiff.append_ifd(buf, endian, entries, 0)
    assert offset == 8
    return bytes(buf)


def apply_patch(block: bytes, patch: ExifPatch, width: int, height: int, fmt: str) -> bytes:
    endian, _ = tiff.header(block)
    gps_base = None
    if fmt == "TIFF":  # exiftool requires GPSProcessingMethod in a TIFF's GPS IFD
        method = b"ASCII\x00\x00\x00MANUAL"
        gps_base = tiff.IfdEdit(
            {GPS_PROCESSING_METHOD: tiff.NewValue(tiff.UNDEFINED, len(method), method)}
        )
    return tiff.patch(
        block,
        patch.ifd0,
        patch.exif,
        patch.gps,
        remove_gps=patch.remove_gps,
        new_exif_ifd_base=new_exif_ifd_base(endian, width, height, fmt),
        new_gps_ifd_base=gps_base,
    )
