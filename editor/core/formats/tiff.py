"""TIFF files: the file itself is the EXIF structure, so edits use the same patch as EXIF.

XMP lives in IFD0 tag 700 (XMLPacket); IPTC-IIM in tag 33723 (IPTC-NAA) and inside the Photoshop
image resources of tag 34377. The image strips or tiles stay where they are; the patch reclaims
what earlier saves appended and zeroes replaced values (see ``codecs.tiff_ifd``).
"""

from __future__ import annotations

import struct

from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import MetadataFormatError, UnreadableFileError
from editor.core.formats.container import KEEP, Blocks, Keep

TAG_XMP = 700
TAG_IPTC, TAG_PHOTOSHOP = 33723, 34377
_PHOTOSHOP_HEADER = b"Photoshop 3.0\x00"
_RESOURCE_IPTC = 0x0404
_WIDTH, _HEIGHT = 256, 257
_STRIP_OFFSETS, _STRIP_COUNTS, _TILE_OFFSETS, _TILE_COUNTS = 273, 279, 324, 325


def _ifd0(data: bytes) -> tuple[str, tiff.Ifd]:
    try:
        endian, offset = tiff.header(data)
        return endian, tiff.read_ifd(data, endian, offset)
    except MetadataFormatError as err:
        raise UnreadableFileError(f"TIFF structure is damaged ({err})") from err


def _numbers(entry: tiff.Entry | None, data: bytes, endian: str) -> list[int]:
    if entry is None:
        return []
    code = {tiff.SHORT: "H", tiff.LONG: "I", tiff.IFD_TYPE: "I"}.get(entry.type)
    if code is None:
        return []
    raw = entry.value_bytes(data, endian)
    return list(struct.unpack(f"{endian}{entry.count}{code}", raw))


def extract(data: bytes) -> Blocks:
    endian, ifd0 = _ifd0(data)
    width = (_numbers(ifd0.get(_WIDTH), data, endian) or [0])[0]
    height = (_numbers(ifd0.get(_HEIGHT), data, endian) or [0])[0]
    xmp_entry = ifd0.get(TAG_XMP)
    xmp = xmp_entry.value_bytes(data, endian) if xmp_entry is not None else None
    return Blocks("TIFF", width, height, exif=data, xmp=xmp, iptc_writable=False)


def replace(
    data: bytes,
    *,
    exif: bytes | Keep | None = KEEP,
    xmp: bytes | Keep | None = KEEP,
    app13: bytes | Keep | None = KEEP,
) -> bytes:
    """The file with ``exif`` (the whole new file, from the EXIF patch) and with the XMP packet
    and the Photoshop resources (an APP13 payload, as for JPEG) stored in IFD0."""
    block = data if isinstance(exif, Keep) or exif is None else exif
    edit = tiff.IfdEdit()
    if not isinstance(xmp, Keep):
        if xmp is None:
            edit.removals.add(TAG_XMP)
        else:
            edit.updates[TAG_XMP] = tiff.NewValue(tiff.BYTE, len(xmp), xmp)
    if not isinstance(app13, Keep):
        _iptc_edit(block, app13, edit)
    if not edit:
        return block
    return tiff.patch(block, edit, tiff.IfdEdit(), tiff.IfdEdit())


def _iptc_edit(block: bytes, app13: bytes | None, edit: tiff.IfdEdit) -> None:
    """Store the Photoshop resources in 34377 where the file has it, and their IIM in 33723
    where the file has it or has no 34377 (what exiftool writes); None removes both."""
    _, ifd0 = _ifd0(block)
    iim_entry, irb_entry = ifd0.get(TAG_IPTC), ifd0.get(TAG_PHOTOSHOP)
    if app13 is None:
        edit.removals.update(t for t in (TAG_IPTC, TAG_PHOTOSHOP) if ifd0.get(t) is not None)
        return
    resources = app13.removeprefix(_PHOTOSHOP_HEADER)
    if irb_entry is not None:
        typ = irb_entry.type if irb_entry.type in (tiff.BYTE, tiff.UNDEFINED) else tiff.BYTE
        edit.updates[TAG_PHOTOSHOP] = tiff.NewValue(typ, len(resources), resources)
    if iim_entry is None and irb_entry is not None:
        return
    iim = _iim_resource(resources)
    if iim is None:
        if iim_entry is not None:
            edit.removals.add(TAG_IPTC)
        return
    typ = iim_entry.type if iim_entry is not None else tiff.LONG
    if typ == tiff.LONG:  # IPTC-NAA is usually LONG: the IIM padded to whole 4-byte words
        iim += bytes(-len(iim) % 4)
        edit.updates[TAG_IPTC] = tiff.NewValue(tiff.LONG, len(iim) // 4, iim)
    else:
        typ = typ if typ in (tiff.BYTE, tiff.UNDEFINED) else tiff.UNDEFINED
        edit.updates[TAG_IPTC] = tiff.NewValue(typ, len(iim), iim)


def _iim_resource(resources: bytes) -> bytes | None:
    """The data of the first 8BIM resource 0x0404 (IPTC-IIM), or None."""
    pos = 0
    while pos + 12 <= len(resources) and resources[pos : pos + 4] == b"8BIM":
        (resource_id,) = struct.unpack(">H", resources[pos + 4 : pos + 6])
        name_size = 1 + resources[pos + 6]
        start = pos + 6 + name_size + name_size % 2
        if start + 4 > len(resources):
            return None
        (size,) = struct.unpack(">I", resources[start : start + 4])
        if resource_id == _RESOURCE_IPTC:
            return resources[start + 4 : start + 4 + size]
        pos = start + 4 + size + size % 2
    return None


def image_data(data: bytes) -> bytes:
    """The bytes of every strip or tile of the first image, in order."""
    endian, ifd0 = _ifd0(data)
    offsets = _numbers(ifd0.get(_STRIP_OFFSETS) or ifd0.get(_TILE_OFFSETS), data, endian)
    counts = _numbers(ifd0.get(_STRIP_COUNTS) or ifd0.get(_TILE_COUNTS), data, endian)
    return b"".join(data[o : o + n] for o, n in zip(offsets, counts, strict=False))
