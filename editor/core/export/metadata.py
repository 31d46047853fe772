"""A copy's metadata: the original's EXIF, XMP and IIM, edited as a save edits them, then filtered.

There is one metadata engine. ``copy_metadata`` reads the original's blocks, stores the caption
fields in them with ``metadata.build_blocks`` (the save's own codecs: EXIF patched, XMP merged, IIM
datasets replaced within their byte limits), then applies the export preset as a filter that only
removes: XMP properties (``xmp.filter_properties``), IIM datasets, EXIF tags. Nothing the original
carried is rebuilt from our twelve fields, so licensing, provenance and unknown namespaces travel.

Every property, dataset and tag falls in one group (``exif_group``, ``xmp_group``, ``iim_group``);
``kept`` says which groups a preset keeps, and the privacy preview (``removed_keys``) reports the
groups a preset drops from what the original holds, through the same two functions.

The copy's EXIF is compacted (``compact_exif``): only the kept tags of IFD0, the Exif IFD and the
GPS IFD, with Orientation 1 (the pixels are rotated), the new pixel size, ColorSpace sRGB and no
IFD1 thumbnail. A kept maker note (preset *all*) stays at its original offset from the TIFF
header, so offsets inside it, relative to itself or to the header, stay valid; it is left out,
with a warning, when it would not fit one JPEG segment.
"""

from __future__ import annotations

import contextlib
import dataclasses
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from editor.core import formats
from editor.core.codecs import iptc, xmp
from editor.core.codecs import tiff_ifd as tiff
from editor.core.codecs.exif import empty_block
from editor.core.errors import MetadataFormatError, PhotoCaptionError, UnreadableFileError
from editor.core.export.types import MetadataPreset
from editor.core.fields import (
    FIELD_NAMES,
    FIELDS,
    NS_EXIF,
    NS_IPTC_CORE,
    NS_IPTC_EXT,
    NS_PLUS,
    NS_TIFF,
    NS_XMP_RIGHTS,
    ExifEncoding,
    FieldKind,
    FieldSpec,
    XmpProp,
)
from editor.core.formats import heif, jpeg
from editor.core.formats import raw as raw_format
from editor.core.formats.container import Blocks, Keep
from editor.core.metadata import Decoded, build_blocks, changed_fields, decode_blocks, normalize
from editor.core.model import PhotoMetadata
from editor.core.safe_write import HEAD_BYTES

REMOVED_LABELS = {
    "gps": "GPS position",
    "location": "place names (city, country)",
    "persons": "names of people shown",
    "serial": "camera serial number",
    "lens_serial": "lens serial number",
    "owner": "camera owner name",
    "maker_notes": "maker notes",
    "camera": "camera and exposure details",
    "other": "other metadata (software, rating, job ID, instructions...)",
}
# Groups every copy keeps ("base": rewritten for the copy where needed) or always drops
# ("structure": describes the original's pixels or layout), never reported.
_ALWAYS = frozenset({"base", "caption"})

MAKER_NOTE = 0x927C
_MAX_EXIF = jpeg.MAX_SEGMENT_PAYLOAD - len(jpeg.EXIF_HEADER)

# The place goes with the location switch, the rating is the photographer's own sorting aid.
_NOT_CAPTION = frozenset({FieldKind.GPS, FieldKind.RATING})
# Fields with groups of their own: place names and people (privacy switches), and the
# photographer's internal workflow notes, which an article's copies never need.
_FIELD_GROUPS = {
    **{
        f.name: "location"
        for f in FIELDS
        if f.section == "Date and location" and f.kind is FieldKind.TEXT
    },
    "persons_shown": "persons",
    "instructions": "other",
    "job_id": "other",
}


def _caption_fields() -> list[FieldSpec]:
    return [f for f in FIELDS if f.kind not in _NOT_CAPTION and f.name not in _FIELD_GROUPS]


def _table_exif() -> dict[str, frozenset[int]]:
    """Per IFD, the tags that hold (copies of) the fields the photographer edits, GPS aside."""
    found: dict[str, set[int]] = {}
    for spec in _caption_fields():
        for loc in spec.exif:
            if loc.encoding is not ExifEncoding.GPS_IFD:
                tags = found.setdefault(loc.ifd, set())
                tags.update(t for t in (loc.tag, loc.offset_tag, loc.subsec_tag) if t)
    return {ifd: frozenset(tags) for ifd, tags in found.items()}


def _top(loc: XmpProp) -> tuple[str, str]:
    return (loc.path[0][0], loc.path[0][1]) if loc.path else loc.key


def _table_xmp(group: str | None = None) -> frozenset[tuple[str, str]]:
    """The top-level XMP properties that hold (copies of) the edited fields of the caption
    (``group`` None) or of one of ``_FIELD_GROUPS``."""
    specs = (
        _caption_fields()
        if group is None
        else [f for f in FIELDS if _FIELD_GROUPS.get(f.name) == group]
    )
    return frozenset(_top(loc) for spec in specs for loc in spec.xmp)


def _table_iim(group: str | None = None) -> frozenset[int]:
    specs = (
        _caption_fields()
        if group is None
        else [f for f in FIELDS if _FIELD_GROUPS.get(f.name) == group]
    )
    return frozenset(ds.number for spec in specs for ds in spec.iim)


# --- EXIF groups -----------------------------------------------------------------------------

_EXIF_CAPTION = _table_exif()
_EXIF_BASE = {
    "IFD0": frozenset({0x0112, 0x011A, 0x011B, 0x0128, 0x0213}),
    "Exif": frozenset({0x9000, 0x9101, 0xA000, 0xA001, 0xA002, 0xA003}),
}
_EXIF_STRUCTURE = {
    # image structure, strips/tiles, sub-IFDs, embedded XMP/IPTC/Photoshop/ICC, PrintIM, pointers
    "IFD0": frozenset({0x00FE, 0x00FF, 0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0111, 0x0115,
                       0x0116, 0x0117, 0x011C, 0x013D, 0x0142, 0x0143, 0x0144, 0x0145, 0x014A,
                       0x0152, 0x0153, 0x0201, 0x0202, 0x02BC, 0x83BB, 0x8649, 0x8773, 0xC4A5,
                       tiff.TAG_EXIF_IFD, tiff.TAG_GPS_IFD}),
    "Exif": frozenset({0xA005}),  # the Interoperability IFD pointer
}
_EXIF_PRIVATE = {
    ("Exif", 0xA431): "serial", ("IFD0", 0xC62F): "serial", ("Exif", 0xA435): "lens_serial",
    ("Exif", 0xA430): "owner", ("Exif", MAKER_NOTE): "maker_notes",
}


def exif_group(ifd: str, tag: int) -> str:
    """The group of EXIF tag ``tag`` of ``ifd`` ("IFD0", "Exif" or "GPS")."""
    if ifd == "GPS":
        return "gps"
    if (ifd, tag) in _EXIF_PRIVATE:
        return _EXIF_PRIVATE[(ifd, tag)]
    for group, table in (("caption", _EXIF_CAPTION), ("base", _EXIF_BASE),
                         ("structure", _EXIF_STRUCTURE)):
        if tag in table.get(ifd, ()):
            return group
    return "camera" if ifd == "Exif" or tag in (0x010F, 0x0110) else "other"


# --- XMP groups ------------------------------------------------------------------------------

NS_AUX = "http://ns.adobe.com/exif/1.0/aux/"
NS_EXIF_EX = "http://cipa.jp/exif/1.0/"
NS_CRS = "http://ns.adobe.com/camera-raw-settings/1.0/"
NS_XMP_NOTE = "http://ns.adobe.com/xmp/note/"

# The rights, licensing and provenance properties that travel with the caption, beyond the
# fields PhotoCaption edits (those come from the field table below).
_XMP_RIGHTS = frozenset({
    (NS_XMP_RIGHTS, "WebStatement"), (NS_XMP_RIGHTS, "Marked"), (NS_XMP_RIGHTS, "Owner"),
    (NS_IPTC_CORE, "CreatorContactInfo"),
    (NS_IPTC_EXT, "DigitalSourceType"),
    (NS_PLUS, "Licensor"), (NS_PLUS, "CopyrightOwner"), (NS_PLUS, "ImageCreator"),
})
_XMP_CAPTION = _XMP_RIGHTS | _table_xmp()
_XMP_LOCATION = _table_xmp("location")  # flat place names, Location Shown/Created
_XMP_PERSONS = _table_xmp("persons") | {(NS_IPTC_EXT, "PersonInImageWDetails")}
_XMP_PRIVATE = {
    (NS_AUX, "SerialNumber"): "serial", (NS_EXIF_EX, "BodySerialNumber"): "serial",
    (NS_AUX, "LensSerialNumber"): "lens_serial", (NS_EXIF_EX, "LensSerialNumber"): "lens_serial",
    (NS_AUX, "OwnerName"): "owner", (NS_EXIF_EX, "CameraOwnerName"): "owner",
}
_XMP_STRUCTURE = frozenset({
    (NS_TIFF, "Orientation"), (NS_TIFF, "ImageWidth"), (NS_TIFF, "ImageLength"),
    (NS_EXIF, "PixelXDimension"), (NS_EXIF, "PixelYDimension"),
    (NS_XMP_NOTE, "HasExtendedXMP"),  # the extension is not carried
})


def xmp_group(uri: str, local: str) -> str:
    """The group of the top-level XMP property ``local`` of namespace ``uri``."""
    prop = (uri, local)
    if uri == NS_EXIF and local.startswith("GPS"):
        return "gps"
    if prop in _XMP_CAPTION:
        return "caption"
    if prop in _XMP_LOCATION:
        return "location"
    if prop in _XMP_PERSONS:
        return "persons"
    if prop in _XMP_PRIVATE:
        return _XMP_PRIVATE[prop]
    if prop in _XMP_STRUCTURE or uri == NS_CRS:  # develop settings already in the pixels
        return "structure"
    if uri in (NS_TIFF, NS_EXIF, NS_AUX, NS_EXIF_EX):
        return "camera"
    return "other"


# --- IIM groups ------------------------------------------------------------------------------

_IIM_CAPTION = _table_iim()
_IIM_LOCATION = _table_iim("location") | {26, 27}  # and the legacy location code/name


def iim_group(record: int, number: int) -> str:
    """The group of IIM dataset ``record``:``number``."""
    if (record, number) in ((1, 0), (1, 90), (2, 0)):
        return "base"  # versions and the UTF-8 declaration
    if record == 2 and number in _IIM_CAPTION:
        return "caption"
    if record == 2 and number in _IIM_LOCATION:
        return "location"
    return "other"


def kept(group: str, preset: MetadataPreset, keep_location: bool, *,
         keep_place_names: bool = False, keep_persons: bool = False) -> bool:
    """Whether copies made with ``preset`` carry the metadata of ``group`` (the switches keep
    the GPS position, the place names and the names of people shown whatever the preset)."""
    if group in _ALWAYS:
        return True
    if group == "gps":
        return keep_location
    if group == "location":
        return keep_location or keep_place_names or preset == MetadataPreset.ALL
    if group == "persons":
        return keep_persons or preset == MetadataPreset.ALL
    if group in ("serial", "lens_serial", "owner", "maker_notes"):
        return preset == MetadataPreset.ALL
    if group in ("camera", "other"):
        return preset != MetadataPreset.CAPTION_AND_RIGHTS
    return False  # "structure"


# --- the original's blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The original's metadata blocks, decoded, as the start of a JPEG copy's metadata."""

    blocks: Blocks
    decoded: Decoded
    notes: tuple[str, ...] = ()


def _original_blocks(path: Path) -> Blocks:
    with open(path, "rb") as f:
        data = f.read(HEAD_BYTES)
        if (raw_kind := raw_format.identify(path, data)) is not None:  # a RAW's own metadata
            data += f.read()
            return raw_format.read_blocks(raw_kind, data, len(data))
        kind = formats.sniff(data)
        if kind == "HEIF":
            return heif.extract(path) if heif.available() else Blocks("HEIF")
        module = formats.MODULES.get(kind or "")
        if module is None:
            return Blocks(kind or "")
        if kind == "JPEG":
            try:
                return module.extract(data)
            except UnreadableFileError:
                pass  # metadata reaching past the head
        data += f.read()
    return module.extract(data)


def read_source(path: Path) -> Source:
    """The blocks of ``path`` to build a copy from; damaged blocks are left out, with a note."""
    notes: list[str] = []
    try:
        blocks = _original_blocks(path)
    except Exception as err:  # any parser failure: the copy then carries the edited fields only
        blocks = Blocks("JPEG")
        notes.append(f"the original's metadata could not be read ({err}); the copy carries "
                     "the caption fields only")
    exif = blocks.exif
    if (blocks.format == "TIFF" or blocks.format in raw_format.TIFF_BASED) and exif is not None:
        try:  # the whole file is its EXIF: keep its tags, not its pixels
            exif, _ = compact_exif(exif, lambda ifd, tag: exif_group(ifd, tag) != "structure",
                                   (blocks.width, blocks.height))
        except MetadataFormatError:
            exif = None
    blocks = Blocks("JPEG", blocks.width, blocks.height, exif=exif, xmp=blocks.xmp,
                    app13=blocks.app13 if blocks.iptc_writable else None)
    decoded = decode_blocks(blocks)
    exif_ok = decoded.exif is not None and decoded.exif.patchable
    if blocks.exif is not None and exif_ok:
        try:
            tiff.walk_ifds(blocks.exif)
        except MetadataFormatError:
            exif_ok = False
    damaged = {"exif": blocks.exif is not None and not exif_ok, "xmp": not decoded.xmp_ok,
               "app13": not decoded.iim_ok}
    if any(damaged.values()):
        blocks = dataclasses.replace(blocks, **{k: None for k, bad in damaged.items() if bad})
        notes += [f"the original's {k.upper().replace('APP13', 'IPTC')} is damaged and was "
                  "not carried" for k, bad in damaged.items() if bad]
        decoded = decode_blocks(blocks)
    return Source(blocks, decoded, tuple(notes))


def _inventory(source: Source, md: PhotoMetadata) -> set[str]:
    """The groups of everything the copy would carry before filtering."""
    groups: set[str] = set()
    blocks = source.blocks
    if blocks.exif is not None:
        ifds = tiff.walk_ifds(blocks.exif)
        for name in ("IFD0", "Exif", "GPS"):
            if name in ifds:
                groups.update(exif_group(name, e.tag) for e in ifds[name].entries)
    if blocks.xmp is not None:
        groups.update(xmp_group(uri, local) for uri, local in xmp.properties(blocks.xmp))
    for record, number, _ in iptc.datasets(blocks.app13):
        groups.add(iim_group(record, number))
    if md.gps is not None:
        groups.add("gps")
    if md.rating is not None:
        groups.add("other")
    return groups


def removed_keys(source: Source, md: PhotoMetadata, preset: MetadataPreset,
                 keep_location: bool, *, keep_place_names: bool = False,
                 keep_persons: bool = False) -> list[str]:
    """The REMOVED_LABELS keys of what the original holds and ``preset``'s copies will not."""
    groups = _inventory(source, md)
    switches = {"keep_place_names": keep_place_names, "keep_persons": keep_persons}
    return [k for k in REMOVED_LABELS
            if k in groups and not kept(k, preset, keep_location, **switches)]


# --- IIM -------------------------------------------------------------------------------------


def filter_app13(app13: bytes | None, keep: Callable[[int, int], bool]) -> bytes | None:
    """See ``iptc.filter_app13``: the IIM datasets the preset keeps."""
    return iptc.filter_app13(app13, keep)


# --- EXIF ------------------------------------------------------------------------------------

_Entry = tuple[int, int, bytes]  # type, count, value bytes


def _entries(block: bytes, endian: str, ifd: tiff.Ifd) -> dict[int, _Entry]:
    out: dict[int, _Entry] = {}
    for e in ifd.entries:
        if e.type not in tiff.TYPE_SIZES:
            continue
        try:
            out[e.tag] = (e.type, e.count, e.value_bytes(block, endian))
        except MetadataFormatError:
            continue
    return out


def compact_exif(block: bytes, keep: Callable[[str, int], bool], size: tuple[int, int], *,
                 orientation_tag: bool = True) -> tuple[bytes, list[str]]:
    """A new TIFF block holding the kept tags of ``block`` for a copy of ``size`` pixels, and
    warnings. ``orientation_tag=False`` leaves Orientation out (AVIF: Pillow moves the tag into
    the container and then re-serialises the block, replacing UTF-8 text with "?")."""
    endian, _ = tiff.header(block)
    ifds = tiff.walk_ifds(block)
    kept_entries: dict[str, dict[int, _Entry]] = {}
    for name in ("IFD0", "Exif", "GPS"):
        found = _entries(block, endian, ifds[name]) if name in ifds else {}
        kept_entries[name] = {t: v for t, v in found.items() if keep(name, t)}
    ifd0, sub, gps = kept_entries["IFD0"], kept_entries["Exif"], kept_entries["GPS"]

    def short(value: int) -> _Entry:
        return tiff.SHORT, 1, struct.pack(endian + "H", value)

    def long(value: int) -> _Entry:
        return tiff.LONG, 1, struct.pack(endian + "I", value)

    ifd0.pop(0x0112, None)
    if orientation_tag:
        ifd0[0x0112] = short(1)  # the pixels were turned upright
    for tag in (0x011A, 0x011B):
        ifd0.setdefault(tag, (tiff.RATIONAL, 1, struct.pack(endian + "II", 72, 1)))
    ifd0.setdefault(0x0128, short(2))
    ifd0.setdefault(0x0213, short(1))
    for tag, raw in ((0x9000, b"0232"), (0x9101, b"\x01\x02\x03\x00"), (0xA000, b"0100")):
        sub.setdefault(tag, (tiff.UNDEFINED, 4, raw))
    sub[0xA001] = short(1)  # sRGB: the pixels were converted
    sub[0xA002], sub[0xA003] = long(size[0]), long(size[1])

    warnings: list[str] = []
    maker = sub.get(MAKER_NOTE)
    at = _maker_note_offset(ifds.get("Exif"), endian)
    if maker is not None and at is not None:
        # Some maker notes point past their own count (Nikon's scan IFD): keep the bytes up to
        # the next structure the block holds, as a save does.
        maker = (maker[0], maker[1], block[at:_next_structure(block, endian, ifds, at)])
    built = _layout(endian, ifd0, sub, gps, maker, at)
    if len(built) > _MAX_EXIF and maker is not None:
        sub.pop(MAKER_NOTE)
        built = _layout(endian, ifd0, sub, gps, None, None)
        warnings.append("maker notes too large for a JPEG segment: left out")
    return built, warnings


def _maker_note_offset(ifd: tiff.Ifd | None, endian: str) -> int | None:
    entry = ifd.get(MAKER_NOTE) if ifd is not None else None
    if entry is None or entry.byte_size() <= 4:
        return None
    return entry.offset(endian)


def _next_structure(block: bytes, endian: str, ifds: dict[str, tiff.Ifd], after: int) -> int:
    """Where the first directory or out-of-line value that starts past ``after`` begins."""
    starts = [len(block)]
    found = list(ifds.values())
    interop = tiff.sub_ifd_offset(ifds["Exif"], 0xA005, endian) if "Exif" in ifds else None
    if interop:
        with contextlib.suppress(MetadataFormatError):
            found.append(tiff.read_ifd(block, endian, interop))
    for ifd in found:
        starts.append(ifd.offset)
        starts += [e.offset(endian) for e in ifd.entries
                   if e.type in tiff.TYPE_SIZES and e.byte_size() > 4 and e.tag != MAKER_NOTE]
    thumb = ifds["IFD1"].get(0x0201) if "IFD1" in ifds else None
    if thumb is not None and thumb.type == tiff.LONG:
        starts.append(thumb.offset(endian))
    return min(s for s in starts if s > after)


def _layout(endian: str, ifd0: dict[int, _Entry], sub: dict[int, _Entry],
            gps: dict[int, _Entry], maker: _Entry | None, maker_at: int | None) -> bytes:
    """Header, the maker note at its old offset (zeros before it), IFD0, Exif IFD, GPS IFD."""
    buf = bytearray((b"II" if endian == "<" else b"MM") + struct.pack(endian + "HI", 42, 0))
    sub = dict(sub)
    if maker is not None and maker_at is not None and maker_at >= len(buf):
        buf.extend(bytes(maker_at - len(buf)))
        buf.extend(maker[2])
        sub[MAKER_NOTE] = (maker[0], maker[1], struct.pack(endian + "I", maker_at))
    pointers = [tiff.TAG_EXIF_IFD] + ([tiff.TAG_GPS_IFD] if gps else [])
    rows = {t: (t, typ, n, raw) for t, (typ, n, raw) in ifd0.items() if t not in pointers}
    rows.update({t: (t, tiff.LONG, 1, b"\x00" * 4) for t in pointers})
    ifd0_at = tiff.append_ifd(buf, endian, list(rows.values()), 0)
    struct.pack_into(endian + "I", buf, 4, ifd0_at)
    order = sorted(rows)
    for tag, ifd in ((tiff.TAG_EXIF_IFD, sub), (tiff.TAG_GPS_IFD, gps)):
        if tag not in rows:
            continue
        at = tiff.append_ifd(buf, endian, [(t, *v) for t, v in ifd.items()], 0)
        struct.pack_into(endian + "I", buf, ifd0_at + 2 + 12 * order.index(tag) + 8, at)
    return bytes(buf)


# --- the copy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyMetadata:
    """The filtered blocks of one photo's copies; EXIF is compacted per output size."""

    exif: bytes | None  # the edited original block, before filtering
    xmp: bytes
    app13: bytes | None
    removed: tuple[str, ...]  # REMOVED_LABELS keys
    notes: tuple[str, ...]
    preset: MetadataPreset
    keep_location: bool
    keep_place_names: bool = False
    keep_persons: bool = False

    def exif_for(self, size: tuple[int, int], *, orientation_tag: bool = True
                 ) -> tuple[bytes, list[str]]:
        """The TIFF block (no ``Exif\\0\\0``) for a copy of ``size`` pixels, and warnings."""
        block = self.exif if self.exif is not None else empty_block()
        return compact_exif(block, lambda ifd, tag: kept(exif_group(ifd, tag), self.preset,
                                                         self.keep_location),
                            size, orientation_tag=orientation_tag)


def _fields_to_write(md: PhotoMetadata, current: PhotoMetadata, keep_location: bool
                     ) -> frozenset[str]:
    """The edited fields, and every field with a value, so every store of the copy agrees."""
    names = set(changed_fields(md, current))
    names.update(n for n in FIELD_NAMES if getattr(md, n) not in ("", (), None))
    if not keep_location:
        names.discard("gps")  # filtered away anyway
    return frozenset(names)


def copy_metadata(source: Source, metadata: PhotoMetadata, preset: MetadataPreset,
                  keep_location: bool, *, keep_place_names: bool = False,
                  keep_persons: bool = False) -> CopyMetadata:
    """The original's blocks with ``metadata`` stored as a save stores it, then filtered."""
    switches = {"keep_place_names": keep_place_names, "keep_persons": keep_persons}
    md = normalize(metadata)
    fields = _fields_to_write(md, source.decoded.metadata, keep_location)
    blocks = source.blocks
    new = build_blocks(blocks, source.decoded, md, fields, iim=True, add_iim=True)
    exif = blocks.exif if isinstance(new.exif, Keep) else new.exif
    app13 = blocks.app13 if isinstance(new.app13, Keep) else new.app13

    def keep_xmp(uri: str, local: str) -> bool:
        return kept(xmp_group(uri, local), preset, keep_location, **switches)

    def keep_iim(record: int, number: int) -> bool:
        return kept(iim_group(record, number), preset, keep_location, **switches)

    notes = [*source.notes, *new.notes]
    try:
        packet = xmp.filter_properties(new.xmp, keep_xmp)
        if xmp.packet_too_big_for_jpeg(packet):  # a PNG's or TIFF's XMP may exceed 64 KB
            packet = xmp.filter_properties(packet, lambda uri, local: kept(
                xmp_group(uri, local), MetadataPreset.CAPTION_AND_RIGHTS, keep_location))
            notes.append("XMP too large for a JPEG segment: only its caption and rights "
                         "fields were kept")
        app13 = filter_app13(app13, keep_iim)
    except MetadataFormatError as err:  # build_blocks wrote them: not expected
        raise PhotoCaptionError(f"the copy's metadata could not be built ({err})") from err
    if xmp.packet_too_big_for_jpeg(packet):
        raise PhotoCaptionError("the XMP metadata would exceed the 64 KB limit of a JPEG segment")
    removed = tuple(removed_keys(source, md, preset, keep_location, **switches))
    return CopyMetadata(exif, packet, app13, removed, tuple(notes), preset, keep_location,
                        **switches)

