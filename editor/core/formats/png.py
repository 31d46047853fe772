"""PNG: EXIF in an eXIf chunk, XMP in an iTXt chunk keyed "XML:com.adobe.xmp".

ImageMagick (and tools built on it) write EXIF, IPTC and XMP instead as hex text in tEXt/zTXt
chunks keyed "Raw profile type exif/APP1/iptc/xmp", which exiftool and others still read. They
are read when the standard chunk is absent. A save keeps every copy in step: the EXIF and XMP
raw profiles are replaced by eXIf/iTXt chunks holding the current values (the standard homes),
and the IPTC raw profile, which has no standard home in PNG, is rewritten in place.

Every chunk we do not own is copied byte for byte, in order.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from editor.core.codecs.iptc import PHOTOSHOP_HEADER
from editor.core.errors import UnreadableFileError
from editor.core.formats.container import KEEP, Blocks, FormatSpec, Keep, iim_of, iim_resource
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


# --- ImageMagick's raw profiles -----------------------------------------------------------------

_RAW_PREFIX = b"Raw profile type "
_EXIF_HEADER = b"Exif\x00\x00"
_XMP_APP1_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_IRB_IPTC = b"8BIM\x04\x04"


@dataclass(frozen=True)
class _RawProfile:
    index: int  # position among the chunks
    store: str  # "exif", "xmp", "iptc"
    payload: bytes  # the profile's bytes (EXIF without "Exif\0\0"; IPTC as found)


def _text_chunk(chunk: Chunk) -> tuple[bytes, bytes] | None:
    """(keyword, text) of a raw-profile tEXt or zTXt chunk; None for other chunks and when it
    does not inflate (within MAX_XMP_BYTES)."""
    if chunk.fourcc not in (b"tEXt", b"zTXt"):
        return None
    keyword, _, rest = _png_payload(chunk).partition(b"\x00")
    if not keyword.startswith(_RAW_PREFIX):
        return None  # not a raw profile: never inflated
    if chunk.fourcc == b"tEXt":
        return keyword, rest
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(rest[1:], MAX_XMP_BYTES)
    except zlib.error:
        return None
    return (keyword, text) if not inflater.unconsumed_tail else None


def _decode_raw(text: bytes) -> bytes | None:
    """The bytes of a raw profile: a blank line, the name, the length, then hex lines."""
    lines = text.split(b"\n")
    try:
        while lines and not lines[0].strip():
            lines.pop(0)
        length = int(lines[1])
        payload = bytes.fromhex(b"".join(line.strip() for line in lines[2:]).decode("ascii"))
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    return payload if len(payload) == length else None


def _encode_raw(name: bytes, payload: bytes) -> bytes:
    hexed = payload.hex().encode("ascii")
    lines = b"\n".join(hexed[i : i + 72] for i in range(0, len(hexed), 72))
    return b"\n" + name + b"\n" + b"%8d" % len(payload) + b"\n" + lines + b"\n"


def _raw_profiles(chunks: list[Chunk]) -> list[_RawProfile]:
    found: list[_RawProfile] = []
    for index, chunk in enumerate(chunks):
        text = _text_chunk(chunk)
        if text is None or not text[0].startswith(_RAW_PREFIX):
            continue
        name = text[0][len(_RAW_PREFIX) :].lower()
        payload = _decode_raw(text[1])
        if payload is None:
            continue
        if name in (b"exif", b"app1") and payload.startswith(_EXIF_HEADER):
            found.append(_RawProfile(index, "exif", payload[len(_EXIF_HEADER) :]))
        elif name == b"exif" and payload[:4] in (b"II*\x00", b"MM\x00*"):
            found.append(_RawProfile(index, "exif", payload))
        elif name == b"app1" and payload.startswith(_XMP_APP1_HEADER):
            found.append(_RawProfile(index, "xmp", payload[len(_XMP_APP1_HEADER) :]))
        elif name == b"xmp":
            found.append(_RawProfile(index, "xmp", payload))
        elif name == b"iptc" and (payload[:6] == _IRB_IPTC or payload[:1] == b"\x1c"):
            found.append(_RawProfile(index, "iptc", payload))
    return found


def _app13_of(iptc: bytes) -> bytes:
    """A raw IPTC profile as the Photoshop resource block the IIM codec reads."""
    return PHOTOSHOP_HEADER + (iim_resource(iptc) if iptc[:1] == b"\x1c" else iptc)


def _iptc_profile(old: bytes, app13: bytes) -> bytes:
    """The new raw IPTC profile, in the shape of the old one (resources, or bare IIM)."""
    resources = app13[len(PHOTOSHOP_HEADER) :]
    if old[:1] != b"\x1c":
        return resources
    iim = iim_of(resources)
    return old if iim is None else iim


def _rewrite_text_chunk(chunk: Chunk, text: bytes) -> bytes:
    keyword = _png_payload(chunk).partition(b"\x00")[0]
    if chunk.fourcc == b"zTXt":
        return _png_chunk(b"zTXt", keyword + b"\x00\x00" + zlib.compress(text, 9))
    return _png_chunk(b"tEXt", keyword + b"\x00" + text)


def extract(data: bytes) -> Blocks:
    chunks = _png_chunks(data)
    ihdr = _png_payload(chunks[0]) if chunks[0].fourcc == b"IHDR" else b""
    width, height = struct.unpack(">II", ihdr[:8]) if len(ihdr) >= 8 else (0, 0)
    exif = next((_png_payload(c) for c in chunks if c.fourcc == b"eXIf"), None)
    raw = {p.store: p.payload for p in reversed(_raw_profiles(chunks))}  # the first of each
    notes: list[str] = []
    if exif is None and "exif" in raw:
        exif = raw["exif"]
        notes.append("EXIF is read from an ImageMagick raw profile; a save moves it to eXIf")
    app13 = _app13_of(raw["iptc"]) if "iptc" in raw else None
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
    if xmp is None and "xmp" in raw:
        xmp = raw["xmp"]
        notes.append("XMP is read from an ImageMagick raw profile; a save moves it to iTXt")
    return Blocks("PNG", width, height, exif=exif, xmp=xmp, app13=app13, notes=tuple(notes))


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
    # Raw profiles: EXIF and XMP move to their standard chunks (seeded from the profile when the
    # file has none and the value is kept), IPTC is rewritten where it is.
    writing = not (isinstance(exif, Keep) and isinstance(xmp, Keep) and isinstance(app13, Keep))
    for profile in _raw_profiles(chunks):
        if profile.store == "iptc":
            if isinstance(app13, Keep):
                continue
            if app13 is None:
                raws[profile.index] = b""
            else:
                text = _encode_raw(b"iptc", _iptc_profile(profile.payload, app13))
                raws[profile.index] = _rewrite_text_chunk(chunks[profile.index], text)
            app13 = KEEP  # only the first IPTC profile is read, and so kept in step
            continue
        if not writing:
            break
        raws[profile.index] = b""
        if profile.store == "exif" and isinstance(exif, Keep) and "exif" not in kinds:
            exif = profile.payload
        elif profile.store == "xmp" and isinstance(xmp, Keep) and "xmp" not in kinds:
            xmp = profile.payload
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
    """Every chunk but the metadata ones (eXIf, XMP iTXt, raw profiles)."""
    chunks = _png_chunks(data)
    profiles = {p.index for p in _raw_profiles(chunks)}
    return b"".join(
        c.raw
        for i, c in enumerate(chunks)
        if c.fourcc != b"eXIf" and not _is_xmp_chunk(c) and i not in profiles
    )


SPEC = FormatSpec(
    name="PNG",
    extensions=frozenset({".png"}),
    sniff=lambda head: head.startswith(PNG_SIGNATURE),
    stores=frozenset({"EXIF", "XMP"}),
    kept_in_step=frozenset({"IIM"}),  # an ImageMagick raw IPTC profile, when there is one
    extract=extract,
    replace=replace,
    image_data=image_data,
)
