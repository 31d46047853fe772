"""Valid but unusual metadata layouts, built by hand: seeds for the fuzzer and the crash harness.

Each builder takes a plain JPEG/PNG (bytes) and returns a file that real writers produce and real
readers (exiftool, exiv2) accept, but that holds a copy of a fact in a place a naive engine misses:
a second XMP packet, Extended XMP, ImageMagick's PNG raw profiles, legacy-charset IIM next to a
binary dataset.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

from PIL import Image

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"


def plain_jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (120, 60, 30)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def plain_png(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 60, 120)).save(buf, "PNG")
    return buf.getvalue()


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _after_soi(jpeg: bytes, segments: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segments + jpeg[2:]


def xmp_packet(body: str, extra_ns: str = "") -> bytes:
    """A complete packet around ``body`` (rdf:Description content)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        f'xmlns:xmpNote="http://ns.adobe.com/xmp/note/" {extra_ns}>'
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def _lang_alt(prop: str, text: str) -> str:
    return f'<{prop}><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></{prop}>'


def two_xmp_packets(jpeg: bytes, first: str, second: str) -> bytes:
    """A JPEG with two standard XMP APP1 segments: captions ``first`` and ``second``."""
    one = xmp_packet(_lang_alt("dc:description", first))
    two = xmp_packet(_lang_alt("dc:description", second) + _lang_alt("dc:title", "Packet two"))
    return _after_soi(jpeg, _segment(0xE1, XMP_HEADER + one) + _segment(0xE1, XMP_HEADER + two))


def extended_xmp(jpeg: bytes, caption: str, keywords: int = 700) -> bytes:
    """Main packet with the caption and xmpNote:HasExtendedXMP; ``keywords`` keywords in the
    extension (split into chunks as Photoshop does)."""
    items = "".join(f"<rdf:li>keyword {i:04d}</rdf:li>" for i in range(keywords))
    ext = xmp_packet(f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>")
    # The extension is a bare x:xmpmeta without the xpacket wrapper.
    ext = ext[ext.index(b"<x:xmpmeta") : ext.index(b"<?xpacket end")]
    guid = hashlib.md5(ext).hexdigest().upper().encode()
    main = xmp_packet(
        _lang_alt("dc:description", caption)
        + f"<xmpNote:HasExtendedXMP>{guid.decode()}</xmpNote:HasExtendedXMP>"
    )
    segments = _segment(0xE1, XMP_HEADER + main)
    chunk = 65000
    for offset in range(0, len(ext), chunk):
        part = ext[offset : offset + chunk]
        head = XMP_EXT_HEADER + guid + struct.pack(">II", len(ext), offset)
        segments += _segment(0xE1, head + part)
    return _after_soi(jpeg, segments)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _raw_profile(name: str, payload: bytes) -> bytes:
    hexed = payload.hex()
    lines = "\n".join(hexed[i : i + 72] for i in range(0, len(hexed), 72))
    return f"\n{name}\n{len(payload):8d}\n{lines}\n".encode()


def png_raw_profiles(png: bytes, caption: str) -> bytes:
    """A PNG whose EXIF, IPTC and XMP live only in ImageMagick's zTXt raw-profile chunks."""
    import piexif

    exif = piexif.dump({"0th": {270: caption.encode()}})  # starts with "Exif\0\0"
    iim = b"\x1c\x02\x00\x00\x02\x00\x04" + _iim(120, caption.encode("utf-8"))
    irb = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) % 2)
    xmp = xmp_packet(_lang_alt("dc:description", caption))
    chunks = b""
    for name, payload in (("exif", exif), ("iptc", irb), ("xmp", xmp)):
        text = zlib.compress(_raw_profile(name, payload))
        chunks += _png_chunk(b"zTXt", f"Raw profile type {name}".encode() + b"\x00\x00" + text)
    ihdr_end = 8 + 8 + 13 + 4
    return png[:ihdr_end] + chunks + png[ihdr_end:]


def _iim(number: int, value: bytes, record: int = 2) -> bytes:
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def legacy_iim_jpeg(jpeg: bytes, caption_latin1: str) -> bytes:
    """IIM with no 1:90 charset marker: a Latin-1 caption and city, and a binary 2:199."""
    iim = (
        _iim(0, b"\x00\x04")
        + _iim(120, caption_latin1.encode("latin-1"))
        + _iim(90, "Göteborg".encode("latin-1"))
        + _iim(199, bytes(range(0x80, 0x90)))
    )
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim
    resource += b"\x00" * (len(iim) % 2)
    return _after_soi(jpeg, _segment(0xED, b"Photoshop 3.0\x00" + resource))


def all_layouts() -> dict[str, bytes]:
    """name -> file bytes, one of each layout."""
    jpeg, png = plain_jpeg(), plain_png()
    return {
        "two-xmp.jpg": two_xmp_packets(jpeg, "First packet", "Second packet"),
        "extended-xmp.jpg": extended_xmp(jpeg, "Main packet caption"),
        "raw-profiles.png": png_raw_profiles(png, "Raw profile caption"),
        "legacy-iim.jpg": legacy_iim_jpeg(jpeg, "Café in Göteborg"),
    }
