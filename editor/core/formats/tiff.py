"""TIFF files: the file itself is the EXIF structure, so edits use the same patch as EXIF.

XMP lives in IFD0 tag 700 (XMLPacket); IPTC-IIM in tag 33723 (IPTC-NAA) and/or inside the
Photoshop image resources of tag 34377. Where the file holds IIM, a save keeps every copy in step
(the IIM codec rebuilds it; each tag is rewritten in its own shape). The image strips or tiles
stay where they are; the patch reclaims what earlier saves appended and zeroes replaced values
(see ``codecs.tiff_ifd``).
"""

from __future__ import annotations

import hashlib
import struct

from editor.core.codecs import tiff_ifd as tiff
from editor.core.codecs.iptc import PHOTOSHOP_HEADER
from editor.core.errors import MetadataFormatError, UnreadableFileError
from editor.core.formats.container import (
    IRB_IPTC_DIGEST,
    KEEP,
    Blocks,
    FormatSpec,
    Keep,
    has_resource,
    iim_of,
    iim_resource,
    with_resource,
    without_iim,
)

TAG_XMP = 700
TAG_IPTC = 33723  # IPTC-NAA: bare IIM, often typed LONG
TAG_PHOTOSHOP = 34377  # Photoshop image resources (no "Photoshop 3.0" header)
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
    app13, notes = _app13(data, endian, ifd0)
    return Blocks("TIFF", width, height, exif=data, xmp=xmp, app13=app13, notes=notes)


def _tag_bytes(data: bytes, endian: str, ifd0: tiff.Ifd, tag: int) -> bytes | None:
    entry = ifd0.get(tag)
    if entry is None:
        return None
    try:
        return entry.value_bytes(data, endian)
    except MetadataFormatError:
        return None


def _app13(data: bytes, endian: str, ifd0: tiff.Ifd) -> tuple[bytes | None, tuple[str, ...]]:
    """The IIM as the Photoshop block the IIM codec reads: the resources of tag 34377, with the
    IIM of tag 33723 when 34377 holds none (or 33723 alone)."""
    naa = _tag_bytes(data, endian, ifd0, TAG_IPTC)
    irb = _tag_bytes(data, endian, ifd0, TAG_PHOTOSHOP) or b""
    irb_iim = iim_of(irb)
    if naa is None and irb_iim is None:
        return None, ()
    notes: tuple[str, ...] = ()
    if naa is not None and irb_iim is not None and naa.rstrip(b"\x00") != irb_iim.rstrip(b"\x00"):
        notes = ("the TIFF's two IPTC copies differ; the Photoshop one is used",)
    if irb_iim is None and naa is not None:
        irb = irb + iim_resource(naa)
    return PHOTOSHOP_HEADER + irb, notes


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
        _iim_edit(block, edit, app13)
    if not edit:
        return block
    return tiff.patch(block, edit, tiff.IfdEdit(), tiff.IfdEdit())


def _iim_edit(block: bytes, edit: tiff.IfdEdit, app13: bytes | None) -> None:
    """Rewrite each IIM copy the file has, in its own shape; a file without one gets it in tag
    33723, typed LONG as Photoshop writes it."""
    endian, ifd0 = _ifd0(block)
    new_irb = app13[len(PHOTOSHOP_HEADER) :] if app13 else b""
    new_iim = iim_of(new_irb)
    naa = ifd0.get(TAG_IPTC)
    old_irb_iim = iim_of(_tag_bytes(block, endian, ifd0, TAG_PHOTOSHOP) or b"")
    if naa is None and old_irb_iim is None and new_iim is not None:
        padded = new_iim + b"\x00" * (-len(new_iim) % 4)
        edit.updates[TAG_IPTC] = tiff.NewValue(tiff.LONG, len(padded) // 4, padded)
    elif naa is not None:
        if new_iim is None:
            edit.removals.add(TAG_IPTC)
        elif naa.type == tiff.LONG:
            padded = new_iim + b"\x00" * (-len(new_iim) % 4)
            edit.updates[TAG_IPTC] = tiff.NewValue(tiff.LONG, len(padded) // 4, padded)
        else:
            kind = naa.type if naa.type in (tiff.BYTE, tiff.UNDEFINED) else tiff.UNDEFINED
            edit.updates[TAG_IPTC] = tiff.NewValue(kind, len(new_iim), new_iim)
    old_irb = _tag_bytes(block, endian, ifd0, TAG_PHOTOSHOP)
    entry = ifd0.get(TAG_PHOTOSHOP)
    if entry is not None and old_irb is not None:
        # The resources keep their IIM only if they held one (else 33723 is the IIM's home,
        # and the digest, if the file had one, is that of 33723's bytes as readers hash them).
        irb = new_irb
        if app13 is None:  # IIM removed: the other resources stay, without IIM and its digest
            irb = with_resource(without_iim(old_irb), IRB_IPTC_DIGEST, None)
        elif iim_of(old_irb) is None:
            irb = without_iim(new_irb)
            digest = None
            if has_resource(old_irb, IRB_IPTC_DIGEST) and TAG_IPTC in edit.updates:
                stored = edit.updates[TAG_IPTC].payload
                digest = hashlib.md5(stored, usedforsecurity=False).digest()
            irb = with_resource(irb, IRB_IPTC_DIGEST, digest)
        if not irb:  # a count of 0 is no valid TIFF value: the tag goes
            edit.removals.add(TAG_PHOTOSHOP)
            return
        kind = entry.type if entry.type in (tiff.BYTE, tiff.UNDEFINED) else tiff.UNDEFINED
        edit.updates[TAG_PHOTOSHOP] = tiff.NewValue(kind, len(irb), irb)


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
    stores=frozenset({"EXIF", "XMP", "IIM"}),  # IIM added in 33723 where the file has none
    kept_in_step=frozenset({"IIM"}),  # tags 33723 and 34377, when the file has them
    own_tags=frozenset({TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP}),
    extract=extract,
    replace=replace,
    image_data=image_data,
)
