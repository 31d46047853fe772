"""Chunked containers (WebP's RIFF, PNG): split into chunks, swap the metadata chunks we own.

Every chunk we do not own is copied byte for byte, in order.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from editor.core.errors import UnreadableFileError
from editor.core.formats.container import KEEP, Blocks, Keep

# --- WebP ------------------------------------------------------------------------------------

_EXIF_PREFIX = b"Exif\x00\x00"
_VP8X_EXIF, _VP8X_XMP, _VP8X_ALPHA = 0x08, 0x04, 0x10


@dataclass(frozen=True)
class Chunk:
    fourcc: bytes
    raw: bytes  # header + payload + padding, exactly as stored

    @property
    def payload(self) -> bytes:
        size = struct.unpack("<I", self.raw[4:8])[0]
        return self.raw[8 : 8 + size]


def _webp_chunks(data: bytes) -> list[Chunk]:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise UnreadableFileError("not a WebP file")
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + riff_size)
    if 8 + riff_size > len(data):
        raise UnreadableFileError("WebP file is truncated")
    pos, chunks = 12, []
    while pos + 8 <= end:
        fourcc = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        stop = pos + 8 + size + (size & 1)
        if pos + 8 + size > end:
            raise UnreadableFileError(f"WebP chunk {fourcc!r} runs past the end of the file")
        chunks.append(Chunk(fourcc, data[pos : min(stop, end)]))
        pos = stop
    if not chunks:
        raise UnreadableFileError("WebP file has no image data")
    return chunks


def _chunk(fourcc: bytes, payload: bytes) -> bytes:
    pad = b"\x00" if len(payload) & 1 else b""
    return fourcc + struct.pack("<I", len(payload)) + payload + pad


def _webp_canvas(chunks: list[Chunk]) -> tuple[int, int, bool]:
    """(width, height, has_alpha) from the VP8X, VP8 or VP8L chunk."""
    for c in chunks:
        p = c.payload
        if c.fourcc == b"VP8X" and len(p) >= 10:
            w = int.from_bytes(p[4:7], "little") + 1
            h = int.from_bytes(p[7:10], "little") + 1
            return w, h, bool(p[0] & _VP8X_ALPHA)
        if c.fourcc == b"VP8 " and len(p) >= 10:
            w, h = struct.unpack("<HH", p[6:10])
            return w & 0x3FFF, h & 0x3FFF, False
        if c.fourcc == b"VP8L" and len(p) >= 5 and p[0] == 0x2F:
            bits = int.from_bytes(p[1:5], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)
    return 0, 0, False


class WebP:
    """WebP: EXIF and XMP are chunks after the image; VP8X flags announce them."""

    @staticmethod
    def extract(data: bytes) -> Blocks:
        chunks = _webp_chunks(data)
        width, height, _ = _webp_canvas(chunks)
        exif = next((c.payload for c in chunks if c.fourcc == b"EXIF"), None)
        if exif is not None and exif.startswith(_EXIF_PREFIX):
            exif = exif[len(_EXIF_PREFIX) :]
        xmp = next((c.payload for c in chunks if c.fourcc == b"XMP "), None)
        animated = any(c.fourcc == b"ANIM" for c in chunks)
        return Blocks(
            "WEBP",
            width,
            height,
            exif=exif,
            xmp=xmp,
            iptc_writable=False,
            writable=not animated,
            read_only_reason="animated WebP files are not written" if animated else "",
        )

    @staticmethod
    def replace(
        data: bytes,
        *,
        exif: bytes | Keep | None = KEEP,
        xmp: bytes | Keep | None = KEEP,
        app13: bytes | Keep | None = KEEP,
    ) -> bytes:
        chunks = _webp_chunks(data)
        old_exif = next((c.payload for c in chunks if c.fourcc == b"EXIF"), None)
        prefix = _EXIF_PREFIX if old_exif is not None and old_exif.startswith(_EXIF_PREFIX) else b""
        new: dict[bytes, bytes | None] = {}
        if not isinstance(exif, Keep):
            new[b"EXIF"] = None if exif is None else prefix + exif
        if not isinstance(xmp, Keep):
            new[b"XMP "] = xmp
        raws = [c.raw for c in chunks]
        fourccs = [c.fourcc for c in chunks]
        for fourcc, payload in new.items():
            if fourcc in fourccs:
                i = fourccs.index(fourcc)
                raws[i] = b"" if payload is None else _chunk(fourcc, payload)
            elif payload is not None:
                # Order: EXIF before XMP, both after the image data and before unknown chunks.
                after = max(
                    i for i, f in enumerate(fourccs) if f in (b"VP8 ", b"VP8L", b"ALPH", b"EXIF")
                )
                raws.insert(after + 1, _chunk(fourcc, payload))
                fourccs.insert(after + 1, fourcc)
        # Announce what the file now holds in VP8X, adding one to a simple-format file.
        body = b"".join(raws)
        has_exif = any(r[:4] == b"EXIF" for r in raws if r)
        has_xmp = any(r[:4] == b"XMP " for r in raws if r)
        if b"VP8X" in fourccs:
            i = fourccs.index(b"VP8X")
            payload = bytearray(chunks[i].payload)
            flags = payload[0] & ~(_VP8X_EXIF | _VP8X_XMP)
            payload[0] = flags | (_VP8X_EXIF if has_exif else 0) | (_VP8X_XMP if has_xmp else 0)
            raws[i] = _chunk(b"VP8X", bytes(payload))
            body = b"".join(raws)
        elif has_exif or has_xmp:
            width, height, alpha = _webp_canvas(chunks)
            flags = (_VP8X_EXIF if has_exif else 0) | (_VP8X_XMP if has_xmp else 0)
            flags |= _VP8X_ALPHA if alpha else 0
            vp8x = bytes((flags, 0, 0, 0)) + (width - 1).to_bytes(3, "little")
            vp8x += (height - 1).to_bytes(3, "little")
            body = _chunk(b"VP8X", vp8x) + body
        return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body

    @staticmethod
    def image_data(data: bytes) -> bytes:
        return b"".join(
            c.raw for c in _webp_chunks(data) if c.fourcc not in (b"VP8X", b"EXIF", b"XMP ")
        )


# --- PNG -------------------------------------------------------------------------------------

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


class Png:
    """PNG: EXIF in an eXIf chunk, XMP in an iTXt chunk keyed "XML:com.adobe.xmp"."""

    @staticmethod
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

    @staticmethod
    def replace(
        data: bytes,
        *,
        exif: bytes | Keep | None = KEEP,
        xmp: bytes | Keep | None = KEEP,
        app13: bytes | Keep | None = KEEP,
    ) -> bytes:
        chunks = _png_chunks(data)
        raws = [c.raw for c in chunks]
        kinds = [
            "exif" if c.fourcc == b"eXIf" else "xmp" if _is_xmp_chunk(c) else "" for c in chunks
        ]
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
        return (
            PNG_SIGNATURE + b"".join(raws) + data[8 + sum(len(c.raw) for c in _png_chunks(data)) :]
        )

    @staticmethod
    def image_data(data: bytes) -> bytes:
        return b"".join(
            c.raw for c in _png_chunks(data) if c.fourcc != b"eXIf" and not _is_xmp_chunk(c)
        )
