"""Camera RAW files: recognised by content and name, read for metadata, never written.

A RAW file is the photographer's negative in a maker's private container; no save ever writes
into it (its captions go to an XMP sidecar, see ``core.sidecar``). DNG is the exception: it is an
open TIFF-based format, written in place by the TIFF writer unless the caller asks for a sidecar.

Recognition (``identify``): CR3 (ISO-BMFF, brand ``crx``), RAF, CRW (CIFF), RW2/RWL (TIFF with
magic 0x55), ORF (TIFF with magic ``RO``/``RS``), X3F, MRW by their own magic bytes; DNG by its
DNGVersion tag; CR2 by its ``CR`` marker; the other TIFF-based RAWs (NEF, NRW, ARW, SR2, SRF, PEF,
SRW, 3FR, ERF, KDC, DCR, IIQ) by a TIFF header under their extension. A file named as a RAW whose
content is none of these is refused with a one-line reason.

Reading (``read_blocks``): the EXIF (the TIFF structure itself, or the embedded JPEG's for RAF,
or CR3's CMT boxes) and any XMP in IFD0; ``previews`` lists the embedded JPEGs (offset, length)
for thumbnails and previews.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass
from pathlib import Path

from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import MetadataFormatError, UnreadableFileError
from editor.core.formats.container import Blocks, FormatSpec

# Extension -> the kind shown to the user.
RAW_KINDS: dict[str, str] = {
    ".cr2": "CR2", ".cr3": "CR3", ".crw": "CRW", ".nef": "NEF", ".nrw": "NRW", ".arw": "ARW",
    ".sr2": "SR2", ".srf": "SRF", ".raf": "RAF", ".orf": "ORF", ".rw2": "RW2", ".rwl": "RWL",
    ".pef": "PEF", ".dng": "DNG", ".srw": "SRW", ".x3f": "X3F", ".iiq": "IIQ", ".3fr": "3FR",
    ".erf": "ERF", ".mrw": "MRW", ".kdc": "KDC", ".dcr": "DCR",
}
RAW_EXTENSIONS = frozenset(RAW_KINDS)
# RAWs whose container is a TIFF structure (ORF and RW2 with their own magic).
_TIFF_BASED = frozenset(
    {"CR2", "NEF", "NRW", "ARW", "SR2", "SRF", "PEF", "DNG", "SRW", "3FR", "ERF", "KDC", "DCR",
     "IIQ"}
)
TIFF_BASED = _TIFF_BASED | {"ORF", "RW2", "RWL"}
READ_ONLY_REASON = "RAW files are never written; captions go to an XMP sidecar"
TAG_DNG_VERSION = 50706
TAG_SUB_IFDS = 330
TAG_JPG_FROM_RAW_RW2 = 0x2E
# How much of a RAW a metadata read takes first: its IFDs, EXIF and maker notes lie near the
# start (the image data follows them); the whole file is read only when that is not enough.
RAW_HEAD_BYTES = 1024 * 1024
_MAX_PREVIEW = 64 * 1024 * 1024


def kind_by_name(path: str | Path) -> str | None:
    """The RAW kind its extension names ("NEF"), or None."""
    return RAW_KINDS.get(Path(path).suffix.lower())


def _tiff_magic(head: bytes) -> bool:
    return head[:4] in (b"II*\x00", b"MM\x00*")


def _ifd0_tags(head: bytes) -> set[int] | None:
    """The tags of IFD0, read from the entry table alone (values may lie beyond ``head``):
    None when IFD0 itself lies beyond it, an empty set when it is no valid directory."""
    if len(head) < 8 or not _tiff_magic(head):
        return set()
    endian = "<" if head[:2] == b"II" else ">"
    offset = struct.unpack_from(endian + "I", head, 4)[0]
    if offset + 2 > len(head):
        return None if offset >= 8 else set()
    if offset < 8:
        return set()
    count = struct.unpack_from(endian + "H", head, offset)[0]
    if not 0 < count <= 1000:
        return set()
    tags: set[int] = set()
    for i in range(count):
        at = offset + 2 + 12 * i
        if at + 12 > len(head):
            break
        tag, kind = struct.unpack_from(endian + "HH", head, at)
        if not 1 <= kind <= 18:
            return set()
        tags.add(tag)
    return tags


def sniff_kind(head: bytes) -> str | None:
    """The RAW kind by content alone, where the container says it (None for plain TIFF)."""
    if head[4:12] == b"ftypcrx ":
        return "CR3"
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "RAF"
    if head[:2] == b"II" and head[6:14] == b"HEAPCCDR":
        return "CRW"
    if head[:4] == b"IIU\x00":
        return "RW2"
    if head[:4] in (b"IIRO", b"IIRS", b"MMOR"):
        return "ORF"
    if head.startswith(b"FOVb"):
        return "X3F"
    if head.startswith(b"\x00MRM"):
        return "MRW"
    if _tiff_magic(head) and head[8:10] == b"CR":
        return "CR2"
    if _tiff_magic(head) and TAG_DNG_VERSION in (_ifd0_tags(head) or ()):
        return "DNG"
    return None


def sniff(head: bytes) -> bool:
    """True for RAW containers that are not plain TIFF (the registry's magic check)."""
    kind = sniff_kind(head)
    return kind is not None and kind not in ("CR2", "DNG")


# What only sensor data is: a colour filter array or linear raw, or a camera maker's own
# compression (Sony 32767, packed 32769, Samsung 32770/32772, Kodak 32867/65000, Panasonic
# 34316, Nikon 34713, Pentax 65535). A TIFF holding one is a camera RAW whatever its name.
_RAW_PHOTOMETRIC = frozenset({32803, 34892})
_RAW_COMPRESSION = frozenset({32767, 32769, 32770, 32772, 32867, 34316, 34713, 65000, 65535})
# IFD0 Make (its first word, lower case) -> the RAW kind that maker's TIFF-based RAW is.
_KIND_BY_MAKE = {
    "nikon": "NEF", "sony": "ARW", "pentax": "PEF", "ricoh": "PEF", "samsung": "SRW",
    "hasselblad": "3FR", "epson": "ERF", "kodak": "DCR", "eastman": "DCR", "canon": "CR2",
    "leaf": "IIQ", "phase": "IIQ", "leica": "RWL", "panasonic": "RW2",
}  # fmt: skip


def _sensor_tiff_kind(head: bytes) -> str | None:
    """The RAW kind of a plain-TIFF-magic file whose directories hold sensor data (a NEF, ARW,
    PEF... renamed .tif or given no extension), by its maker; None for an ordinary TIFF."""
    if not _tiff_magic(head):
        return None
    try:
        endian, ifds = _tiff_ifds(head)
    except (MetadataFormatError, struct.error):
        return None
    sensor = any(
        set(_number_list(ifd.get(0x0106), head, endian)) & _RAW_PHOTOMETRIC
        or set(_number_list(ifd.get(0x0103), head, endian)) & _RAW_COMPRESSION
        for ifd in ifds
    )
    if not sensor:
        return None
    make = b""
    if ifds and (entry := ifds[0].get(0x010F)) is not None:
        with contextlib.suppress(MetadataFormatError):
            make = entry.value_bytes(head, endian)
    words = make.decode("latin-1").strip("\x00 ").lower().split()
    return _KIND_BY_MAKE.get(words[0] if words else "", "RAW")


def identify(path: str | Path, head: bytes) -> str | None:
    """The RAW kind of the file (its head and name), or None when it is no RAW.

    Raises UnreadableFileError for a file named as a RAW whose content is not one (damaged,
    or something else renamed)."""
    by_content = sniff_kind(head)
    if by_content is not None:
        return by_content
    by_name = kind_by_name(path)
    if by_name is None:
        return _sensor_tiff_kind(head)  # a TIFF-based RAW under another name is still a RAW
    if by_name in _TIFF_BASED and _tiff_magic(head):
        if by_name == "IIQ" or _ifd0_tags(head) != set():
            return by_name
        raise UnreadableFileError(f"the {by_name} file is damaged (its TIFF structure is broken)")
    if by_name == "IIQ" and head[:4] == b"IIII":
        return "IIQ"
    if not head.strip(b"\x00"):
        raise UnreadableFileError(f"the {by_name} file holds no data (damaged or incomplete copy)")
    raise UnreadableFileError(
        f"not a {by_name} file PhotoCaption recognises (damaged, or another kind of file)"
    )


def _normal_header(data: bytes) -> bytes:
    """ORF/RW2 use their own TIFF magic; the same structure with 42 there, for the TIFF parser
    (offsets are unchanged, so the copy reads exactly as the file)."""
    if data[:4] in (b"IIU\x00", b"IIRO", b"IIRS"):
        return b"II*\x00" + data[4:]
    if data[:4] == b"MMOR":
        return b"MM\x00*" + data[4:]
    return data


@dataclass(frozen=True)
class Preview:
    """An embedded JPEG: where it is in the file."""

    offset: int
    length: int


def _number_list(entry: tiff.Entry | None, data: bytes, endian: str) -> list[int]:
    if entry is None:
        return []
    code = {tiff.SHORT: "H", tiff.LONG: "I", tiff.IFD_TYPE: "I"}.get(entry.type)
    if code is None:
        return []
    try:
        raw = entry.value_bytes(data, endian)
    except MetadataFormatError:
        return []
    return list(struct.unpack(f"{endian}{entry.count}{code}", raw))


def _tiff_ifds(data: bytes) -> tuple[str, list[tiff.Ifd]]:
    """IFD0, the IFDs chained after it and every SubIFD (depth one), in file order of discovery."""
    endian, offset = tiff.header(data)
    found: list[tiff.Ifd] = []
    seen: set[int] = set()
    while offset and offset not in seen and len(found) < 8:
        seen.add(offset)
        try:
            ifd = tiff.read_ifd(data, endian, offset)
        except MetadataFormatError:
            break
        found.append(ifd)
        offset = ifd.next_offset
    for ifd in list(found):
        for sub in _number_list(ifd.get(TAG_SUB_IFDS), data, endian)[:8]:
            if sub not in seen:
                seen.add(sub)
                with contextlib.suppress(MetadataFormatError):
                    found.append(tiff.read_ifd(data, endian, sub))
    return endian, found


def _tiff_previews(data: bytes, size: int) -> list[Preview]:
    """Every JPEG a TIFF-based RAW names: JPEGInterchangeFormat, JPEG-compressed single strips
    (CR2's full-size preview, DNG previews) and RW2's JpgFromRaw."""
    endian, ifds = _tiff_ifds(data)
    out: list[Preview] = []
    for ifd in ifds:
        offs = _number_list(ifd.get(0x0201), data, endian)
        lens = _number_list(ifd.get(0x0202), data, endian)
        if offs and lens:
            out.append(Preview(offs[0], lens[0]))
        compression = _number_list(ifd.get(259), data, endian)
        if compression and compression[0] in (6, 7):
            strips = _number_list(ifd.get(273), data, endian)
            counts = _number_list(ifd.get(279), data, endian)
            if len(strips) == 1 and len(counts) == 1:
                out.append(Preview(strips[0], counts[0]))
        rw2 = ifd.get(TAG_JPG_FROM_RAW_RW2)
        if rw2 is not None and rw2.byte_size() > 4:
            out.append(Preview(rw2.offset(endian), rw2.byte_size()))
    return [p for p in out if 0 < p.length <= _MAX_PREVIEW and p.offset + p.length <= size]


# --- ISO-BMFF (CR3) ----------------------------------------------------------------------------

_CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
_PREVIEW_UUID = bytes.fromhex("eaf42b5e1c984b88b9fbb7dc406e4d16")
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box in data[start:end]; uuid boxes are typed
    by their 16-byte id."""
    out: list[tuple[bytes, int, int]] = []
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1 and pos + 16 <= end:
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            head = 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            break
        if kind == b"uuid" and pos + head + 16 <= end:
            kind = data[pos + head : pos + head + 16]
            head += 16
        out.append((kind, pos + head, pos + size))
        pos += size
    return out


@dataclass(frozen=True)
class Cr3Parts:
    cmt: dict[bytes, bytes]
    xmp: bytes | None
    previews: list[Preview]


def _jpeg_in(data: bytes, start: int, end: int) -> Preview | None:
    at = data.find(b"\xff\xd8\xff", start, min(end, start + 64))
    return Preview(at, end - at) if at >= 0 else None


def cr3_parts(data: bytes) -> Cr3Parts:
    """CR3's CMT1..CMT4 TIFF blocks, its XMP and its THMB/PRVW JPEGs."""
    cmt: dict[bytes, bytes] = {}
    xmp: bytes | None = None
    previews: list[Preview] = []
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind == _PREVIEW_UUID:
            # 8 bytes of its own, then a PRVW box holding a JPEG.
            for sub, s2, e2 in _boxes(data, start + 8, end):
                if sub == b"PRVW" and (jpg := _jpeg_in(data, s2, e2)):
                    previews.append(jpg)
        if kind != b"moov":
            continue
        for sub, s2, e2 in _boxes(data, start, end):
            if sub == _CANON_UUID:
                for part, s3, e3 in _boxes(data, s2, e2):
                    if part in (b"CMT1", b"CMT2", b"CMT3", b"CMT4"):
                        cmt[part] = data[s3:e3]
                    elif part == b"THMB" and (jpg := _jpeg_in(data, s3, e3)):
                        previews.append(jpg)
            elif sub == _XMP_UUID:
                xmp = data[s2:e2]
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind == _XMP_UUID:
            xmp = data[start:end]
    return Cr3Parts(cmt, xmp, previews)


def _first_ifd_as(block: bytes, name: str) -> dict[int, object]:
    """The first IFD of a TIFF block read as the Exif or GPS IFD (CR3 stores each on its own,
    as IFD0 of its own TIFF; piexif would keep only IFD0's tags)."""
    from piexif._load import _ExifReader

    reader = _ExifReader(block)
    reader.endian_mark = "<" if block[:2] == b"II" else ">"
    offset = struct.unpack(reader.endian_mark + "I", block[4:8])[0]
    return dict(reader.get_ifd_dict(offset, name))


def _cr3_exif(cmt: dict[bytes, bytes]) -> bytes | None:
    """One EXIF block (IFD0 from CMT1, the Exif IFD from CMT2, GPS from CMT4) for reading only;
    it is never written anywhere."""
    import piexif

    if b"CMT1" not in cmt:
        return None
    try:
        ifd0 = piexif.load(cmt[b"CMT1"])["0th"]
        exif = _first_ifd_as(cmt[b"CMT2"], "Exif") if b"CMT2" in cmt else {}
        gps = _first_ifd_as(cmt[b"CMT4"], "GPS") if b"CMT4" in cmt else {}
        exif.pop(piexif.ExifIFD.MakerNote, None)
        ifd0.pop(piexif.ImageIFD.ExifTag, None)
        ifd0.pop(piexif.ImageIFD.GPSTag, None)
        block = piexif.dump({"0th": ifd0, "Exif": exif, "GPS": gps})
    except Exception:  # piexif raises many kinds on odd blocks: fall back to IFD0 alone
        return cmt[b"CMT1"]
    return block[6:] if block.startswith(b"Exif\x00\x00") else block


# --- RAF ---------------------------------------------------------------------------------------


def _raf_jpeg(data: bytes) -> Preview | None:
    if len(data) < 92:
        return None
    offset, length = struct.unpack_from(">II", data, 84)
    if offset <= 0 or length <= 0 or offset + length > len(data):
        return None
    return Preview(offset, length)


def _jpeg_blocks(jpeg_bytes: bytes) -> tuple[bytes | None, bytes | None]:
    from editor.core.formats import jpeg

    try:
        blocks = jpeg.extract(jpeg_bytes)
    except Exception:  # a damaged embedded JPEG carries no metadata we can use
        return None, None
    return blocks.exif, blocks.xmp


# --- reading -----------------------------------------------------------------------------------


def _size(data: bytes, endian: str, ifds: list[tiff.Ifd]) -> tuple[int, int]:
    """The largest width x height any IFD declares (IFD0 of a NEF is a small thumbnail)."""
    best = (0, 0)
    for ifd in ifds:
        w = _number_list(ifd.get(256), data, endian)
        h = _number_list(ifd.get(257), data, endian)
        if w and h and w[0] * h[0] > best[0] * best[1]:
            best = (w[0], h[0])
    return best


def read_blocks(kind: str, data: bytes, size: int) -> Blocks:
    """The metadata blocks of a RAW (``data`` is its head or the whole file, ``size`` the file's
    size). Read-only. Raises UnreadableFileError for a structure that does not parse; raises
    MetadataFormatError when ``data`` is only a head and more is needed."""
    notes: tuple[str, ...] = ()
    exif: bytes | None = None
    xmp: bytes | None = None
    width = height = 0
    if kind == "CR3":
        parts = cr3_parts(data)
        if not parts.cmt and len(data) < size:
            raise MetadataFormatError("CR3 metadata lies beyond the head")
        if not parts.cmt:
            raise UnreadableFileError("the CR3 file is damaged (no Canon metadata boxes)")
        exif, xmp = _cr3_exif(parts.cmt), parts.xmp
    elif kind == "RAF":
        jpg = _raf_jpeg(data)
        if jpg is None:
            if len(data) < size:
                raise MetadataFormatError("RAF preview lies beyond the head")
            raise UnreadableFileError("the RAF file is damaged (its embedded JPEG is missing)")
        exif, xmp = _jpeg_blocks(data[jpg.offset : jpg.offset + jpg.length])
    elif kind in ("CRW", "X3F", "MRW") or (kind == "IIQ" and data[:4] == b"IIII"):
        notes = (f"the metadata inside {kind} files is not read; captions go to the sidecar",)
    else:
        normal = _normal_header(data)
        try:
            endian, ifds = _tiff_ifds(normal)
        except MetadataFormatError as err:
            raise UnreadableFileError(f"the {kind} file is damaged ({err})") from err
        if not ifds:
            if len(data) < size:
                raise MetadataFormatError("IFD0 lies beyond the head")
            raise UnreadableFileError(f"the {kind} file is damaged (no readable directory)")
        exif = normal
        xmp_entry = ifds[0].get(700)
        if xmp_entry is not None:
            try:
                xmp = xmp_entry.value_bytes(normal, endian)
            except MetadataFormatError:
                if len(data) < size:
                    raise
        width, height = _size(normal, endian, ifds)
    return Blocks(
        kind,
        width,
        height,
        exif=exif,
        xmp=xmp,
        iptc_writable=False,
        writable=False,
        read_only_reason=READ_ONLY_REASON,
        notes=notes,
    )


def previews(kind: str, data: bytes, size: int | None = None) -> list[Preview]:
    """The embedded JPEGs a RAW names (may be empty): ``data`` is the whole file or its head
    (the directories), ``size`` the file's size (default: ``len(data)``)."""
    size = len(data) if size is None else size
    try:
        if kind == "CR3":
            return cr3_parts(data).previews
        if kind == "RAF":
            jpg = _raf_jpeg(data)
            return [jpg] if jpg else []
        if kind in ("CRW", "X3F", "MRW"):
            return []
        return _tiff_previews(_normal_header(data), size)
    except (MetadataFormatError, struct.error):
        return []


def orientation(kind: str, data: bytes) -> int:
    """The RAW's EXIF orientation (1 when it does not say)."""
    with contextlib.suppress(Exception):
        if kind == "CR3":
            block = cr3_parts(data).cmt.get(b"CMT1")
        elif kind == "RAF":
            jpg = _raf_jpeg(data)
            block = _jpeg_blocks(data[jpg.offset : jpg.offset + jpg.length])[0] if jpg else None
        else:
            block = _normal_header(data)
        if block:
            endian, offset = tiff.header(block)
            value = _number_list(tiff.read_ifd(block, endian, offset).get(0x0112), block, endian)
            if value and 1 <= value[0] <= 8:
                return value[0]
    return 1


SPEC = FormatSpec(
    name="RAW",
    extensions=RAW_EXTENSIONS,
    sniff=sniff,
    stores=frozenset(),
    read_only_reason=READ_ONLY_REASON,
)
