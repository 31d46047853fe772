"""TIFF structure (the container of EXIF): parse IFDs and patch them by appending, never moving.

Patching keeps the whole block as it is, appends each edited IFD (with its out-of-line values) at
the end, word-aligned, and repoints the single offset that referred to it. Maker notes and every
other value keep their offsets, so offsets inside them stay valid. The byte order is kept.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass, field

from editor.core.errors import MetadataFormatError

BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED, SSHORT, SLONG, SRATIONAL = range(1, 11)
FLOAT, DOUBLE, IFD_TYPE = 11, 12, 13
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}

TAG_EXIF_IFD = 0x8769
TAG_GPS_IFD = 0x8825
MAX_ENTRIES = 2000  # far above any real IFD; guards against absurd counts


@dataclass(frozen=True)
class Entry:
    tag: int
    type: int
    count: int
    raw: bytes  # the 4-byte value/offset field as stored

    def byte_size(self) -> int:
        return TYPE_SIZES.get(self.type, 1) * self.count

    def offset(self, endian: str) -> int:
        return int(struct.unpack(endian + "I", self.raw)[0])

    def value_bytes(self, data: bytes, endian: str) -> bytes:
        size = self.byte_size()
        if size <= 4:
            return self.raw[:size]
        off = self.offset(endian)
        if off + size > len(data):
            raise MetadataFormatError(f"EXIF tag 0x{self.tag:04X} points outside the block")
        return data[off : off + size]


@dataclass(frozen=True)
class Ifd:
    offset: int
    entries: tuple[Entry, ...]
    next_offset: int

    def get(self, tag: int) -> Entry | None:
        return next((e for e in self.entries if e.tag == tag), None)


@dataclass(frozen=True)
class NewValue:
    """A value to store under a tag: its TIFF type, element count and encoded bytes."""

    type: int
    count: int
    payload: bytes


@dataclass
class IfdEdit:
    """Changes to one IFD: tags to set, tags to delete."""

    updates: dict[int, NewValue] = field(default_factory=dict)
    removals: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.updates or self.removals)


def header(data: bytes) -> tuple[str, int]:
    """Return (struct endian prefix, offset of IFD0)."""
    if len(data) < 8:
        raise MetadataFormatError("EXIF block is too short")
    if data[:2] == b"II":
        endian = "<"
    elif data[:2] == b"MM":
        endian = ">"
    else:
        raise MetadataFormatError("EXIF block has no valid byte-order mark")
    magic, ifd0 = struct.unpack(endian + "HI", data[2:8])
    if magic != 42:
        raise MetadataFormatError("EXIF block is not a TIFF structure")
    return endian, ifd0


def read_ifd(data: bytes, endian: str, offset: int) -> Ifd:
    """Parse the IFD at ``offset``; every entry's out-of-line value must lie inside ``data``."""
    if offset < 8 or offset + 2 > len(data):
        raise MetadataFormatError(f"EXIF directory offset {offset} is outside the block")
    (count,) = struct.unpack(endian + "H", data[offset : offset + 2])
    end = offset + 2 + 12 * count
    if count > MAX_ENTRIES or end + 4 > len(data):
        raise MetadataFormatError(f"EXIF directory at {offset} claims {count} entries; too many")
    entries = []
    for i in range(count):
        pos = offset + 2 + 12 * i
        tag, typ, n = struct.unpack(endian + "HHI", data[pos : pos + 8])
        entry = Entry(tag, typ, n, data[pos + 8 : pos + 12])
        if typ in TYPE_SIZES and entry.byte_size() > 4:
            off = entry.offset(endian)
            if off + entry.byte_size() > len(data):
                raise MetadataFormatError(f"EXIF tag 0x{tag:04X} points outside the block")
        entries.append(entry)
    (next_offset,) = struct.unpack(endian + "I", data[end : end + 4])
    return Ifd(offset, tuple(entries), next_offset)


def sub_ifd_offset(ifd: Ifd, tag: int, endian: str) -> int | None:
    """Offset of the sub-IFD a pointer tag refers to, or None when absent or not a pointer."""
    entry = ifd.get(tag)
    if entry is None or entry.type not in (LONG, IFD_TYPE) or entry.count != 1:
        return None
    return entry.offset(endian)


def _pad(buf: bytearray) -> None:
    if len(buf) % 2:
        buf.append(0)


def append_ifd(
    buf: bytearray, endian: str, entries: list[tuple[int, int, int, bytes]], next_offset: int
) -> int:
    """Append an IFD whose entries are (tag, type, count, raw-or-payload); return its offset.

    A payload longer than 4 bytes is written right after the directory; shorter ones inline.
    """
    _pad(buf)
    start = len(buf)
    entries = sorted(entries, key=lambda e: e[0])
    directory_size = 2 + 12 * len(entries) + 4
    values = bytearray()
    packed = bytearray(struct.pack(endian + "H", len(entries)))
    for tag, typ, count, payload in entries:
        if len(payload) <= 4:
            field_bytes = payload.ljust(4, b"\x00")
        else:
            if (start + directory_size + len(values)) % 2:
                values.append(0)
            field_bytes = struct.pack(endian + "I", start + directory_size + len(values))
            values.extend(payload)
        packed.extend(struct.pack(endian + "HHI", tag, typ, count) + field_bytes)
    packed.extend(struct.pack(endian + "I", next_offset))
    buf.extend(packed)
    buf.extend(values)
    _pad(buf)
    return start


def _merged_entries(
    ifd: Ifd | None, edit: IfdEdit, pointer_updates: dict[int, int], endian: str
) -> list[tuple[int, int, int, bytes]]:
    out: dict[int, tuple[int, int, int, bytes]] = {}
    if ifd is not None:
        for e in ifd.entries:
            out[e.tag] = (e.tag, e.type, e.count, e.raw)  # kept as stored: offsets stay valid
    for tag in edit.removals:
        out.pop(tag, None)
    for tag, value in edit.updates.items():
        out[tag] = (tag, value.type, value.count, value.payload)
    for tag, new_offset in pointer_updates.items():
        out[tag] = (tag, LONG, 1, struct.pack(endian + "I", new_offset))
    return list(out.values())


def patch(
    data: bytes,
    ifd0_edit: IfdEdit,
    exif_edit: IfdEdit,
    gps_edit: IfdEdit,
    *,
    remove_gps: bool = False,
    new_exif_ifd_base: IfdEdit | None = None,
    new_gps_ifd_base: IfdEdit | None = None,
) -> bytes:
    """Apply edits to IFD0, the Exif IFD and the GPS IFD by appending rewritten directories.

    ``remove_gps`` drops the GPS pointer (and blanks the old GPS values). ``new_exif_ifd_base``
    gives the tags to put in a newly created Exif IFD, when the block has none.
    """
    endian, ifd0_offset = header(data)
    ifd0 = read_ifd(data, endian, ifd0_offset)
    buf = bytearray(data)
    pointer_updates: dict[int, int] = {}
    ifd0_changes = IfdEdit(dict(ifd0_edit.updates), set(ifd0_edit.removals))

    if exif_edit:
        old_off = sub_ifd_offset(ifd0, TAG_EXIF_IFD, endian)
        old = read_ifd(data, endian, old_off) if old_off is not None else None
        edit = exif_edit
        if old is None and new_exif_ifd_base is not None:
            edit = IfdEdit(
                {**new_exif_ifd_base.updates, **exif_edit.updates}, set(exif_edit.removals)
            )
        next_off = old.next_offset if old is not None else 0
        pointer_updates[TAG_EXIF_IFD] = append_ifd(
            buf, endian, _merged_entries(old, edit, {}, endian), next_off
        )

    if remove_gps:
        old_off = sub_ifd_offset(ifd0, TAG_GPS_IFD, endian)
        if old_off is not None:
            _blank_ifd_values(buf, data, endian, old_off)
        if ifd0.get(TAG_GPS_IFD) is not None:
            ifd0_changes.removals.add(TAG_GPS_IFD)
    elif gps_edit:
        old_off = sub_ifd_offset(ifd0, TAG_GPS_IFD, endian)
        try:
            old = read_ifd(data, endian, old_off) if old_off is not None else None
        except MetadataFormatError:
            old = None  # a broken GPS directory is replaced by a clean one
        if old_off is not None:
            _blank_ifd_values(buf, data, endian, old_off)
        edit = gps_edit
        if old is None and new_gps_ifd_base is not None:
            edit = IfdEdit({**new_gps_ifd_base.updates, **gps_edit.updates}, set(gps_edit.removals))
        pointer_updates[TAG_GPS_IFD] = append_ifd(
            buf, endian, _merged_entries(old, edit, {}, endian), 0
        )

    if not (ifd0_changes or pointer_updates):
        return data
    if not ifd0_changes:
        # Only a pointer moved: repoint it where it stands, leaving IFD0 itself in place.
        for tag, new_offset in pointer_updates.items():
            entry_pos = _entry_position(ifd0, tag)
            if entry_pos is None or ifd0.get(tag).type not in (LONG, IFD_TYPE):  # type: ignore[union-attr]
                break
            buf[entry_pos + 2 : entry_pos + 12] = struct.pack(endian + "HII", LONG, 1, new_offset)
        else:
            return bytes(buf)
    new_ifd0 = append_ifd(
        buf, endian, _merged_entries(ifd0, ifd0_changes, pointer_updates, endian), ifd0.next_offset
    )
    buf[4:8] = struct.pack(endian + "I", new_ifd0)
    return bytes(buf)


def _entry_position(ifd: Ifd, tag: int) -> int | None:
    for i, e in enumerate(ifd.entries):
        if e.tag == tag:
            return ifd.offset + 2 + 12 * i
    return None


def _blank_ifd_values(buf: bytearray, data: bytes, endian: str, offset: int) -> None:
    """Zero the position values of an old GPS directory so a removed location is really gone.

    Only latitude, longitude and altitude values stored out of line are blanked, and only when
    no other entry of the block shares their bytes.
    """
    try:
        ifd = read_ifd(data, endian, offset)
    except MetadataFormatError:
        return
    for entry in ifd.entries:
        if entry.tag in (2, 4, 6) and entry.type == RATIONAL and entry.byte_size() > 4:
            start = entry.offset(endian)
            buf[start : start + entry.byte_size()] = bytes(entry.byte_size())


def walk_ifds(data: bytes) -> dict[str, Ifd]:
    """IFD0, IFD1, Exif, GPS and Interop directories that parse cleanly (for checks and tests)."""
    endian, ifd0_offset = header(data)
    found: dict[str, Ifd] = {"IFD0": read_ifd(data, endian, ifd0_offset)}
    ifd0 = found["IFD0"]
    for name, tag in (("Exif", TAG_EXIF_IFD), ("GPS", TAG_GPS_IFD)):
        off = sub_ifd_offset(ifd0, tag, endian)
        if off:
            with contextlib.suppress(MetadataFormatError):
                found[name] = read_ifd(data, endian, off)
    if ifd0.next_offset:
        with contextlib.suppress(MetadataFormatError):
            found["IFD1"] = read_ifd(data, endian, ifd0.next_offset)
    return found
