"""TIFF files: the file itself is the EXIF structure, so edits use the same append-only patch.

XMP lives in IFD0 tag 700 (XMLPacket). The image strips or tiles stay where they are.
"""

from __future__ import annotations

import struct

from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import MetadataFormatError, UnreadableFileError
from editor.core.formats.container import KEEP, Blocks, FormatSpec, Keep

TAG_XMP = 700
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
    block = data if isinstance(exif, Keep) or exif is None else exif
    if isinstance(xmp, Keep):
        return block
    edit = tiff.IfdEdit()
    if xmp is None:
        edit.removals.add(TAG_XMP)
    else:
        edit.updates[TAG_XMP] = tiff.NewValue(tiff.BYTE, len(xmp), xmp)
    return tiff.patch(block, edit, tiff.IfdEdit(), tiff.IfdEdit())


def image_data(data: bytes) -> bytes:
    """The bytes of every strip or tile of the first image, in order."""
    endian, ifd0 = _ifd0(data)
    offsets = _numbers(ifd0.get(_STRIP_OFFSETS) or ifd0.get(_TILE_OFFSETS), data, endian)
    counts = _numbers(ifd0.get(_STRIP_COUNTS) or ifd0.get(_TILE_COUNTS), data, endian)
    return b"".join(data[o : o + n] for o, n in zip(offsets, counts, strict=False))


SPEC = FormatSpec(
    name="TIFF",
    extensions=frozenset({".tif", ".tiff"}),
    sniff=lambda head: head[:4] in (b"II*\x00", b"MM\x00*"),
    stores=frozenset({"EXIF", "XMP"}),
    extract=extract,
    replace=replace,
    image_data=image_data,
)
