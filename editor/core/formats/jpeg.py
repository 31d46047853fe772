"""JPEG at the segment level: find the metadata segments we own and rebuild the file around them.

Only the header (SOI up to SOS) is parsed. Everything from SOS on — entropy-coded data, EOI and
any trailer such as an MPF second frame — is copied byte for byte, and so is every segment we do
not own (JFIF, ICC, MPF, COM, Adobe, ...), in its original order.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from editor.core.codecs.iptc import PHOTOSHOP_HEADER
from editor.core.errors import MetadataFormatError, UnreadableFileError, UnsafeWriteError
from editor.core.formats import xmp_packets
from editor.core.formats.container import KEEP, Blocks, FormatSpec, Keep

EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"

SOI = 0xD8
SOS = 0xDA
EOI = 0xD9
APP0 = 0xE0
APP1 = 0xE1
APP2 = 0xE2
APP13 = 0xED
MAX_SEGMENT_PAYLOAD = 0xFFFF - 2  # a segment's length field counts itself
MAX_XMP_PACKET = MAX_SEGMENT_PAYLOAD - len(XMP_HEADER)
MAX_EXIF_BLOCK = MAX_SEGMENT_PAYLOAD - len(EXIF_HEADER)
XMP_EXT_CHUNK = 65000  # Extended XMP bytes per segment (the spec allows up to 65458)
# A few stray bytes between segments (a writer's off-by-one) are kept and the file written; more
# means damage whose extent we cannot judge, so the file is shown but not written.
MAX_STRAY_BYTES = 64
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7 carry no length


@dataclass(frozen=True)
class Segment:
    marker: int
    start: int  # offset of the 0xFF marker byte
    end: int  # offset one past the segment
    payload: bytes  # the bytes after the length field

    @property
    def kind(self) -> str:
        """ "exif", "xmp", "xmp-ext", "photoshop" for segments we own, else "other"."""
        if self.marker == APP1:
            if self.payload.startswith(EXIF_HEADER):
                return "exif"
            if self.payload.startswith(XMP_HEADER):
                return "xmp"
            if self.payload.startswith(XMP_EXT_HEADER):
                return "xmp-ext"
        if self.marker == APP13 and self.payload.startswith(PHOTOSHOP_HEADER):
            return "photoshop"
        return "other"


@dataclass(frozen=True)
class JpegLayout:
    segments: tuple[Segment, ...]  # SOI excluded, up to (not including) SOS
    sos_offset: int  # where the image data starts; everything from here is kept verbatim
    stray: int = 0  # bytes between segments that belong to no marker (kept as they are)

    def first(self, kind: str) -> Segment | None:
        return next((s for s in self.segments if s.kind == kind), None)

    def all(self, kind: str) -> list[Segment]:
        return [s for s in self.segments if s.kind == kind]


def is_jpeg(head: bytes) -> bool:
    return head[:3] == b"\xff\xd8\xff"


def parse_layout(data: bytes, *, partial: bool = False) -> JpegLayout:
    """Walk the marker segments of a JPEG up to SOS. Raises UnreadableFileError on bad structure.

    Bytes between segments that start no marker are skipped to the next 0xFF, as libjpeg,
    Pillow and exiftool do, and counted in ``stray``. ``partial``: ``data`` is just a head, so
    return the segments found when it runs out (``sos_offset`` is then 0).
    """
    if not is_jpeg(data):
        raise UnreadableFileError("not a JPEG file (no start-of-image marker)")
    pos = 2
    segments: list[Segment] = []
    size = len(data)
    stray = 0
    while True:
        if pos >= size:
            if partial:
                return JpegLayout(tuple(segments), 0, stray)
            raise UnreadableFileError("JPEG is truncated before the image data")
        if data[pos] != 0xFF:
            found = data.find(b"\xff", pos)
            if found < 0:
                if partial:
                    return JpegLayout(tuple(segments), 0, stray)
                raise UnreadableFileError(f"JPEG structure is damaged at byte {pos}")
            stray += found - pos
            pos = found
        # Any number of 0xFF fill bytes may precede a marker.
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            if partial:
                return JpegLayout(tuple(segments), 0, stray)
            raise UnreadableFileError("JPEG is truncated before the image data")
        marker = data[pos]
        start = pos - 1
        pos += 1
        if marker == SOS:
            return JpegLayout(tuple(segments), start, stray)
        if marker == EOI:
            raise UnreadableFileError("JPEG ends before any image data")
        if marker in _STANDALONE or marker == 0x00:
            continue
        if pos + 2 > size:
            if partial:
                return JpegLayout(tuple(segments), 0, stray)
            raise UnreadableFileError("JPEG is truncated in a segment header")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if partial and length >= 2 and pos + length > size:
            return JpegLayout(tuple(segments), 0, stray)
        if length < 2 or pos + length > size:
            raise UnreadableFileError(
                f"JPEG segment 0xFF{marker:02X} at byte {start} has a bad length"
            )
        payload = data[pos + 2 : pos + length]
        pos += length
        segments.append(Segment(marker, start, pos, payload))


def segment_bytes(marker: int, payload: bytes) -> bytes:
    if len(payload) > MAX_SEGMENT_PAYLOAD:
        raise UnsafeWriteError(
            f"metadata would need {len(payload) + 2} bytes, over the 64 KB limit of a JPEG segment"
        )
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


@dataclass(frozen=True)
class Replacement:
    """New payload for a segment kind we own; ``None`` payload removes that segment."""

    kind: str  # "exif", "xmp", "photoshop"
    marker: int
    payload: bytes | None
    extra: bytes = b""  # whole segments that follow the new one (Extended XMP chunks)
    also_remove: tuple[str, ...] = ()  # kinds whose every other segment goes (stale copies)


def rebuild_head(
    data: bytes, layout: JpegLayout, replacements: Sequence[Replacement]
) -> bytes:
    """The new head of the file (everything before the image data, which stays as it is).

    A replaced segment stays where it was. A new one goes where readers expect it: EXIF after
    SOI and any JFIF APP0, XMP after EXIF, Photoshop after XMP. Every other byte is copied verbatim.
    """
    # Each item: (kind, raw bytes to emit). Originals keep their exact bytes, and so do the
    # bytes between segments (fill bytes, stray bytes), as "gap" items.
    items: list[tuple[str, bytes]] = []
    previous_end = 2
    for seg in layout.segments:
        if seg.start > previous_end:
            items.append(("gap", data[previous_end : seg.start]))
        items.append((seg.kind, data[seg.start : seg.end]))
        previous_end = seg.end
    if layout.sos_offset > previous_end:
        items.append(("gap", data[previous_end : layout.sos_offset]))
    for rep in replacements:
        new = b"" if rep.payload is None else segment_bytes(rep.marker, rep.payload) + rep.extra
        index = next((i for i, (kind, _) in enumerate(items) if kind == rep.kind), None)
        if rep.also_remove:
            items = [
                item if i == index or item[0] not in rep.also_remove else (item[0], b"")
                for i, item in enumerate(items)
            ]
        if index is not None:
            items[index] = (rep.kind, new)
            continue
        if rep.payload is None:
            continue
        anchor = 0  # after SOI and any leading JFIF/JFXX APP0 segments
        while anchor < len(items) and (
            items[anchor][1][:2] == b"\xff\xe0" or items[anchor][0] == "gap"
        ):
            anchor += 1
        for before in _INSERT_AFTER[rep.kind]:
            found = [i for i, (kind, _) in enumerate(items) if kind == before]
            if found:
                anchor = found[-1] + 1
                break
        items.insert(anchor, (rep.kind, new))
    items = _keep_ahead_of_mpf(items, {r.kind for r in replacements})
    return b"".join([data[:2], *(raw for _, raw in items)])


def _keep_ahead_of_mpf(
    items: list[tuple[str, bytes]], rewritten: set[str]
) -> list[tuple[str, bytes]]:
    """Move rewritten segments that sit after the MPF index to just before it.

    MPF locates the second image relative to its own header, so only growth *before* that header
    is harmless; growth between the header and the second image would break the index.
    """
    mpf = next(
        (
            i
            for i, (kind, raw) in enumerate(items)
            if raw[:2] == b"\xff\xe2" and raw[4:8] == b"MPF\x00"
        ),
        None,
    )
    if mpf is None:
        return items
    late = [item for item in items[mpf + 1 :] if item[0] in rewritten]
    if not late:
        return items
    rest = [item for item in items[mpf:] if not (item[0] in rewritten and item in late)]
    return items[:mpf] + late + rest


_INSERT_AFTER: dict[str, tuple[str, ...]] = {
    "exif": (),
    "xmp": ("exif",),
    "photoshop": ("xmp", "exif"),
}


# --- the container interface used by metadata.py -------------------------------------------

_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def frame_size(layout: JpegLayout) -> tuple[int, int]:
    """(width, height) from the start-of-frame segment, or (0, 0) when there is none."""
    for seg in layout.segments:
        if seg.marker in _SOF_MARKERS and len(seg.payload) >= 5:
            height, width = struct.unpack(">HH", seg.payload[1:5])
            return width, height
    return 0, 0


def extract(data: bytes) -> Blocks:
    """The metadata blocks of a JPEG; ``data`` may be just the head, up to the image data."""
    layout = parse_layout(data)
    width, height = frame_size(layout)
    exif_seg = layout.first("exif")
    photoshop = layout.all("photoshop")
    notes: list[str] = []
    packet, xmp_problem = _read_xmp(layout, notes)
    if len(layout.all("exif")) > 1:
        notes.append("file has more than one EXIF segment; only the first is used")
    writable, reason = not xmp_problem, xmp_problem
    if layout.stray:
        notes.append(f"file has {layout.stray} stray bytes between its segments (kept as they are)")
        if layout.stray > MAX_STRAY_BYTES and writable:
            writable = False
            reason = (
                f"the file has {layout.stray} stray bytes between its segments (damaged); "
                "not writing to it"
            )
    return Blocks(
        format="JPEG",
        width=width,
        height=height,
        exif=exif_seg.payload[len(EXIF_HEADER) :] if exif_seg else None,
        xmp=packet,
        app13=photoshop[0].payload if photoshop else None,
        iptc_writable=len(photoshop) <= 1,
        writable=writable,
        read_only_reason=reason,
        notes=tuple(notes),
    )


def _extension(layout: JpegLayout, guid: str) -> bytes | None:
    """The Extended XMP with ``guid``, put together from its chunks; None when incomplete."""
    total = -1
    chunks: dict[int, bytes] = {}
    start = len(XMP_EXT_HEADER)
    for seg in layout.all("xmp-ext"):
        head = seg.payload[start : start + 40]
        if len(head) < 40 or head[:32] != guid.encode("ascii", "replace"):
            continue
        total, offset = struct.unpack(">II", head[32:40])
        chunks[offset] = seg.payload[start + 40 :]
    data = b"".join(chunks[o] for o in sorted(chunks))
    if total < 0 or len(data) != total or sorted(chunks)[0] != 0:
        return None
    pos = 0
    for offset in sorted(chunks):  # contiguous, no overlap
        if offset != pos:
            return None
        pos += len(chunks[offset])
    return data


def _read_xmp(layout: JpegLayout, notes: list[str]) -> tuple[bytes | None, str]:
    """The XMP as readers see it: the first standard packet, with Extended XMP and any further
    standard packet merged in (the first holding a property wins). Also a reason the file must
    not be written ("" when it may), for a piece that cannot be read and a save would drop."""
    standard = [s.payload[len(XMP_HEADER) :] for s in layout.all("xmp")]
    extended = layout.all("xmp-ext")
    if not standard:
        return None, ""
    main = standard[0]
    if len(standard) == 1 and not extended:
        return main, ""
    parts = [main]
    drop: tuple[xmp_packets.Key, ...] = ()
    guid = xmp_packets.holds(main, xmp_packets.HAS_EXTENDED)
    if guid:
        extension = _extension(layout, guid)
        if extension is None:
            notes.append("the Extended XMP is incomplete and was not read")
            return main, "its Extended XMP is incomplete; writing could lose it"
        parts.append(extension)
        drop = (xmp_packets.HAS_EXTENDED,)
    parts.extend(standard[1:])
    try:
        merged, differing = xmp_packets.merge(parts, drop=drop)
    except MetadataFormatError as err:
        if len(standard) > 1:
            notes.append(f"a further XMP packet cannot be read ({err})")
        return main, "a part of its XMP cannot be read; writing could lose it"
    if len(standard) > 1:
        notes.append(
            f"file has {len(standard)} XMP packets; they are read as one (the first holding a "
            "property wins) and saved as one"
        )
    if differing:
        notes.append(
            "a later XMP packet holds other values for "
            f"{', '.join(differing)}; the first packet's are used"
        )
    return merged, ""


def _xmp_segments(packet: bytes) -> tuple[bytes, bytes]:
    """The main XMP payload and the Extended XMP segments that follow it (none when it fits)."""
    if len(packet) <= MAX_XMP_PACKET and b"HasExtendedXMP" not in packet:
        return XMP_HEADER + packet, b""
    try:
        main, extension, guid = xmp_packets.split(packet, MAX_XMP_PACKET)
    except MetadataFormatError as err:
        raise UnsafeWriteError(f"the XMP metadata cannot be stored in this JPEG ({err})") from err
    extra = b""
    if extension is not None:
        ident = XMP_EXT_HEADER + guid.encode("ascii")
        for offset in range(0, len(extension), XMP_EXT_CHUNK):
            head = ident + struct.pack(">II", len(extension), offset)
            extra += segment_bytes(APP1, head + extension[offset : offset + XMP_EXT_CHUNK])
    return XMP_HEADER + main, extra


def replace(
    data: bytes,
    *,
    exif: bytes | Keep | None = KEEP,
    xmp: bytes | Keep | None = KEEP,
    app13: bytes | Keep | None = KEEP,
) -> bytes:
    head, sos = replace_head(data, exif=exif, xmp=xmp, app13=app13)
    return b"".join([head, memoryview(data)[sos:]])


def replace_head(
    data: bytes,
    *,
    exif: bytes | Keep | None = KEEP,
    xmp: bytes | Keep | None = KEEP,
    app13: bytes | Keep | None = KEEP,
) -> tuple[bytes, int]:
    """The new head, and where the image data starts in ``data``: the new file is the head
    followed by ``data[sos:]``, which a save writes straight from the original's bytes."""
    layout = parse_layout(data)
    reps: list[Replacement] = []
    if not isinstance(exif, Keep):
        reps.append(Replacement("exif", APP1, None if exif is None else EXIF_HEADER + exif))
    if not isinstance(xmp, Keep):
        # One packet replaces every standard packet and Extended XMP the file had (merged into
        # it when read); what does not fit one segment goes to a new extension.
        payload, extra = (None, b"") if xmp is None else _xmp_segments(xmp)
        reps.append(Replacement("xmp", APP1, payload, extra, also_remove=("xmp", "xmp-ext")))
    if not isinstance(app13, Keep):
        reps.append(Replacement("photoshop", APP13, app13))
    return rebuild_head(data, layout, reps), layout.sos_offset


def image_data(data: bytes) -> bytes:
    """Everything from the start of scan on: the bytes a metadata write must not change."""
    return data[parse_layout(data).sos_offset :]


def has_end(data: bytes) -> bool:
    """True when a complete JPEG's image data is followed by an end-of-image marker."""
    try:
        sos = parse_layout(data).sos_offset
    except Exception:
        return False
    # Nearly always within the last bytes; scan the whole image data only when it is not.
    tail_start = max(sos, len(data) - 65536)
    return data.find(b"\xff\xd9", tail_start) >= 0 or data.find(b"\xff\xd9", sos) >= 0


def _image_start(head: bytes) -> int:
    return parse_layout(head).sos_offset


def _tail_has_end(tail: bytes) -> bool:
    return b"\xff\xd9" in tail


SPEC = FormatSpec(
    name="JPEG",
    extensions=frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".mpo"}),
    sniff=is_jpeg,
    stores=frozenset({"EXIF", "XMP", "IIM", "ICC"}),
    limits={"EXIF": MAX_EXIF_BLOCK},  # larger XMP is split into Extended XMP
    metadata_at_head=True,
    extract=extract,
    replace=replace,
    image_data=image_data,
    replace_head=replace_head,
    image_start=_image_start,
    is_complete=has_end,
    tail_complete=_tail_has_end,
)
