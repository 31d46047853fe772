"""PNG: EXIF in an eXIf chunk, XMP in an iTXt chunk keyed "XML:com.adobe.xmp".

Every chunk we do not own is copied byte for byte, in order.
"""

from __future__ import annotations

import struct
import zlib

from editor.core.errors import UnreadableFileError
from editor.core.formats.container import KEEP, Blocks, FormatSpec, Keep
from editor.core.formats.riff import Chunk

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_XMP_KEYWORD = b"XML:com.adobe.xmp"
MAX_XMP_BYTES = 16 << 20  # real packets are kilobytes; a compressed one is never inflated past


def _png_chunks(data: bytes) -> list[Chunk]:
    if not data.startswith(PNG_SIGNATURE):
        raise UnreadableFileError("not a PNG file")
    pos, chunks = 8, []
    while pos < len(data):
        if pos + 12 > len(data):
            raise UnreadableFileError("PNG file is truncated")
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        fourcc = data[pos + 4 : pos + 8]
        stop = pos + 12 + size
        if stop > len(data):
            raise UnreadableFileError(f"PNG chunk {fourcc!r} runs past the end of the file")
        chunks.append(Chunk(fourcc, data[pos:stop]))
        pos = stop
        if fourcc == b"IEND":
            break
    else:
        raise UnreadableFileError("PNG file is truncated (no IEND chunk)")
    return chunks


def _png_payload(chunk: Chunk) -> bytes:
    return chunk.raw[8:-4]


def _png_chunk(fourcc: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(fourcc + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + fourcc + payload + struct.pack(">I", crc)


def _is_xmp_chunk(chunk: Chunk) -> bool:
    return chunk.fourcc == b"iTXt" and _png_payload(chunk).startswith(_XMP_KEYWORD + b"\x00")


def _xmp_from_itxt(payload: bytes) -> bytes | None:
    # keyword\0 compression-flag method language\0 translated\0 text
    rest = payload[len(_XMP_KEYWORD) + 1 :]
    if len(rest) < 2:
        return None
    compressed, rest = rest[0], rest[2:]
    parts = rest.split(b"\x00", 2)
    if len(parts) < 3:
        return None
    text = parts[2]
    if compressed:
        inflater = zlib.decompressobj()
        try:
            packet = inflater.decompress(text, MAX_XMP_BYTES)
        except zlib.error:
            return None
        if inflater.unconsumed_tail or (len(packet) >= MAX_XMP_BYTES and not inflater.eof):
            raise _XmpTooLarge
        return packet
    return text


class _XmpTooLarge(Exception):
    """A compressed XMP packet inflates past MAX_XMP_BYTES: a zlib bomb, or damage."""


def extract(data: bytes) -> Blocks:
    chunks = _png_chunks(data)
    ihdr = _png_payload(chunks[0]) if chunks[0].fourcc == b"IHDR" else b""
    width, height = struct.unpack(">II", ihdr[:8]) if len(ihdr) >= 8 else (0, 0)
    exif = next((_png_payload(c) for c in chunks if c.fourcc == b"eXIf"), None)
    xmp_chunk = next((c for c in chunks if _is_xmp_chunk(c)), None)
    try:
        xmp = _xmp_from_itxt(_png_payload(xmp_chunk)) if xmp_chunk else None
    except _XmpTooLarge:
        limit = MAX_XMP_BYTES >> 20
        return Blocks(
            "PNG",
            width,
            height,
            exif=exif,
            iptc_writable=False,
            writable=False,
            read_only_reason=f"its compressed XMP metadata inflates to more than {limit} MB "
            "(damaged or hostile); writing could lose it",
            notes=(f"XMP was not read: it inflates to more than {limit} MB",),
        )
    return Blocks("PNG", width, height, exif=exif, xmp=xmp, iptc_writable=False)


def replace(
    data: bytes,
    *,
    exif: bytes | Keep | None = KEEP,
    xmp: bytes | Keep | None = KEEP,
    app13: bytes | Keep | None = KEEP,
) -> bytes:
    chunks = _png_chunks(data)
    raws = [c.raw for c in chunks]
    kinds = ["exif" if c.fourcc == b"eXIf" else "xmp" if _is_xmp_chunk(c) else "" for c in chunks]
    new: dict[str, bytes | None] = {}
    if not isinstance(exif, Keep):
        new["exif"] = None if exif is None else _png_chunk(b"eXIf", exif)
    if not isinstance(xmp, Keep):
        new["xmp"] = (
            None
            if xmp is None
            else _png_chunk(b"iTXt", _XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + xmp)
        )
    for kind, raw in new.items():
        if kind in kinds:
            raws[kinds.index(kind)] = raw or b""
        elif raw:
            first_idat = next(i for i, c in enumerate(chunks) if c.fourcc in (b"IDAT", b"IEND"))
            raws.insert(first_idat, raw)
            kinds.insert(first_idat, kind)
            chunks.insert(first_idat, Chunk(b"new!", raw))
    return PNG_SIGNATURE + b"".join(raws) + data[8 + sum(len(c.raw) for c in _png_chunks(data)) :]


def image_data(data: bytes) -> bytes:
    return b"".join(
        c.raw for c in _png_chunks(data) if c.fourcc != b"eXIf" and not _is_xmp_chunk(c)
    )


SPEC = FormatSpec(
    name="PNG",
    extensions=frozenset({".png"}),
    sniff=lambda head: head.startswith(PNG_SIGNATURE),
    stores=frozenset({"EXIF", "XMP"}),
    extract=extract,
    replace=replace,
    image_data=image_data,
)
