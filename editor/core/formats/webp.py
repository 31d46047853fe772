"""WebP: a RIFF file whose EXIF and XMP are chunks after the image, announced by VP8X flags.

Every chunk we do not own is copied byte for byte, in order.
"""

from __future__ import annotations

import struct

from editor.core.errors import UnreadableFileError
from editor.core.formats.container import KEEP, Blocks, FormatSpec, Keep
from editor.core.formats.riff import Chunk

_EXIF_PREFIX = b"Exif\x00\x00"
_VP8X_EXIF, _VP8X_XMP, _VP8X_ALPHA = 0x08, 0x04, 0x10


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


def _trailer(data: bytes) -> bytes:
    """Bytes after the RIFF chunk (some tools append data there): kept as they are."""
    (riff_size,) = struct.unpack("<I", data[4:8])
    return data[8 + riff_size :]


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


def extract(data: bytes) -> Blocks:
    chunks = _webp_chunks(data)
    width, height, _ = _webp_canvas(chunks)
    exif = next((c.payload for c in chunks if c.fourcc == b"EXIF"), None)
    if exif is not None and exif.startswith(_EXIF_PREFIX):
        exif = exif[len(_EXIF_PREFIX) :]
    xmp = next((c.payload for c in chunks if c.fourcc == b"XMP "), None)
    animated = any(c.fourcc == b"ANIM" for c in chunks)
    trailer = len(_trailer(data))
    notes = (f"{trailer} bytes after the WebP data are kept as they are",) if trailer else ()
    return Blocks(
        "WEBP",
        width,
        height,
        exif=exif,
        xmp=xmp,
        iptc_writable=False,
        writable=not animated,
        read_only_reason="animated WebP files are not written" if animated else "",
        notes=notes,
    )


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
    riff = b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body
    return riff + _trailer(data)


def image_data(data: bytes) -> bytes:
    """Every chunk but the metadata ones, and any bytes after the RIFF chunk."""
    chunks = b"".join(
        c.raw for c in _webp_chunks(data) if c.fourcc not in (b"VP8X", b"EXIF", b"XMP ")
    )
    return chunks + _trailer(data)


SPEC = FormatSpec(
    name="WEBP",
    extensions=frozenset({".webp"}),
    sniff=lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    stores=frozenset({"EXIF", "XMP"}),
    extract=extract,
    replace=replace,
    image_data=image_data,
)
