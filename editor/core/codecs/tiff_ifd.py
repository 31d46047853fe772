"""TIFF structure (the container of EXIF): parse IFDs and patch them without moving what others
wrote, so a file stays saveable for its whole life and leaves no trace of replaced values.

A patch rewrites IFD0 (and the Exif or GPS IFD when edited). A directory that still fits where
it was is rewritten in place; otherwise it goes at the end, word-aligned, and the one offset that
referred to it is repointed. New values always go at the end. Everything else (maker notes, the
thumbnail, image strips, untouched values, sub-IFDs) keeps its offset, so offsets inside it stay
valid. The byte order is kept.

No growth: the run at the end of the block made only of the rewritten directories and their
values (what a previous save appended) is cut off before the new ones are appended, provided
no other structure refers to a byte of it; values of kept entries in that run are written
again. Stale IFD copies the older append-only patcher left are recognised and reclaimed too.
Bytes nothing known refers to are never cut; a damaged directory is read leniently and what it
may use stays. No residue: the old directory and the old bytes of every replaced, removed or
moved value are zeroed, except bytes another live entry still uses.
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
TAG_INTEROP_IFD = 0xA005
TAG_SUB_IFDS = 0x014A
TAG_MAKER_NOTE = 0x927C
MAX_ENTRIES = 2000  # far above any real IFD; guards against absurd counts
MAX_IFDS = 512  # directories followed from IFD0 before giving up on understanding the block
# Offsets tag -> byte counts tag: strips, tiles, free space, a JPEG thumbnail.
_DATA_POINTERS = {273: 279, 324: 325, 288: 289, 513: 514}
_ALIGN_SLACK = 3  # zero bytes allowed between two pieces of a previous save's tail
_STALE_SCAN_LIMIT = 1 << 19  # word positions searched for stale copies (1 MiB of bytes)
_STALE_MAX_ENTRIES = 500  # an IFD0, Exif or GPS copy has far fewer

Range = tuple[int, int]
_Out = tuple[int, int, int, bytes, bytes | None]  # tag, type, count, raw field, or payload


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


def _numbers(entry: Entry | None, data: bytes, endian: str) -> list[int]:
    """The SHORT/LONG values of an entry ([] when absent, of another type or out of bounds)."""
    if entry is None:
        return []
    code = {SHORT: "H", LONG: "I", IFD_TYPE: "I"}.get(entry.type)
    if code is None:
        return []
    try:
        raw = entry.value_bytes(data, endian)
        return list(struct.unpack(f"{endian}{entry.count}{code}", raw))
    except (MetadataFormatError, struct.error):
        return []


def _scan(data: bytes, endian: str, ifd0_offset: int) -> tuple[dict[int, Ifd], list[Range], bool]:
    """Every directory reachable from IFD0 (its chain, Exif, GPS, Interop, SubIFDs) that parses,
    by offset; the bytes damaged directories may use (read leniently, to be kept in place); and
    whether the walk finished (when not, nothing is reclaimed: the block is not understood)."""
    found: dict[int, Ifd] = {}
    damaged: list[Range] = []
    seen: set[int] = set()
    pending = [(ifd0_offset, True)]
    while pending:
        offset, follow_next = pending.pop()
        if offset in seen:
            continue
        if len(seen) >= MAX_IFDS:
            return found, damaged, False
        seen.add(offset)
        try:
            ifd = read_ifd(data, endian, offset)
            found[offset] = ifd
        except MetadataFormatError:
            ifd = _read_leniently(data, endian, offset)
            if ifd is None:
                continue
            damaged.append((offset, min(_dir_range(ifd)[1], len(data))))
            for entry in ifd.entries:  # what an entry's field points at, if it is an offset
                if entry.type in TYPE_SIZES and entry.byte_size() <= 4:
                    continue  # the value itself
                start, end = entry.offset(endian), entry.offset(endian) + entry.byte_size()
                if end <= len(data):  # (a value past the end is unreadable to every reader)
                    damaged.append((start, max(end, start + 1)))
        if follow_next and ifd.next_offset:
            pending.append((ifd.next_offset, True))
        for entry in ifd.entries:
            if entry.type not in (LONG, IFD_TYPE):
                continue  # not a pointer, whatever its tag: its bytes are a plain value
            if entry.tag in (TAG_EXIF_IFD, TAG_GPS_IFD, TAG_INTEROP_IFD) and entry.count == 1:
                pending.append((entry.offset(endian), False))
            elif entry.tag == TAG_SUB_IFDS:
                pending.extend((number, True) for number in _numbers(entry, data, endian))
    return found, damaged, True


def _read_leniently(data: bytes, endian: str, offset: int) -> Ifd | None:
    """The entries of a directory ``read_ifd`` refuses, as far as the block holds them."""
    if offset < 8 or offset + 2 > len(data):
        return None
    (count,) = struct.unpack(endian + "H", data[offset : offset + 2])
    if offset + 2 + 12 * count > len(data):
        return None  # the block cannot hold it: no reader takes it for a directory
    entries = []
    for i in range(count):
        pos = offset + 2 + 12 * i
        tag, typ, n = struct.unpack(endian + "HHI", data[pos : pos + 8])
        entries.append(Entry(tag, typ, n, data[pos + 8 : pos + 12]))
    end = offset + 2 + 12 * count
    next_offset = 0
    if end + 4 <= len(data):
        (next_offset,) = struct.unpack(endian + "I", data[end : end + 4])
    return Ifd(offset, tuple(entries), next_offset)


def _dir_range(ifd: Ifd) -> Range:
    return ifd.offset, ifd.offset + 2 + 12 * len(ifd.entries) + 4


def _value_range(entry: Entry, endian: str) -> Range | None:
    """Where an entry's out-of-line value lies, or None when it is stored in the entry."""
    if entry.type not in TYPE_SIZES or entry.byte_size() <= 4:
        return None
    start = entry.offset(endian)
    return start, start + entry.byte_size()


def _pointed_ranges(ifd: Ifd, data: bytes, endian: str) -> list[Range]:
    """Bytes an IFD's entries point at besides their values: image strips and tiles, a JPEG
    thumbnail, free space; and, for entries of a type we do not know, the byte their field
    would point at if it were an offset (kept in place, to be safe)."""
    ranges: list[Range] = []
    for offsets_tag, counts_tag in _DATA_POINTERS.items():
        offsets = _numbers(ifd.get(offsets_tag), data, endian)
        counts = _numbers(ifd.get(counts_tag), data, endian)
        for i, start in enumerate(offsets):
            size = counts[i] if i < len(counts) else 1
            if start + size <= len(data):
                ranges.append((start, start + max(size, 1)))
            elif start < len(data):  # claims more than the block holds: only its start is known
                ranges.append((start, start + 1))
    for entry in ifd.entries:
        if entry.type not in TYPE_SIZES:
            start = entry.offset(endian)
            if start < len(data):
                ranges.append((start, start + 1))
    return ranges


def _reclaimable_start(data: bytes, owned: list[Range], fixed: list[Range]) -> int:
    """Where the dead tail starts: the longest run at the end of the block made only of the
    directories being rewritten and their values (and the zero bytes aligning them), above every
    byte anything else refers to. A previous save appended exactly such a run."""
    cover = len(data)
    progress = True
    while progress:
        progress = False
        for start, end in owned:
            if start < cover <= end + _ALIGN_SLACK and not any(data[end:cover]):
                cover = start
                progress = True
    return max(cover, 8, *(end for _, end in fixed))


def _gaps(live: list[Range], size: int) -> list[Range]:
    """The stretches of ``[8, size)`` no live range covers."""
    gaps, pos = [], 8
    for start, end in sorted(live):
        if start > pos:
            gaps.append((pos, min(start, size)))
        pos = max(pos, end)
    if pos < size:
        gaps.append((pos, size))
    return [(a, b) for a, b in gaps if a < b]


def _stale_copies(data: bytes, endian: str, live: list[Range], ifds: list[Ifd]) -> list[Range]:
    """Directories an earlier, append-only version of this patcher left behind, each with the
    values it had appended after itself, in bytes nothing refers to. A stale copy is a
    well-formed directory sharing most of its entries (same tag, type, count and value field,
    one of them an offset to a live value) with a live directory, its other values right after
    it. Camera data does not look like that, so only such copies are reclaimed."""
    twins = {(e.tag, e.type, e.count, e.raw) for ifd in ifds for e in ifd.entries}
    stale: list[Range] = []
    budget = _STALE_SCAN_LIMIT
    for gap_start, gap_end in _gaps(live, len(data)):
        pos = gap_start + gap_start % 2
        while pos + 6 <= gap_end and budget > 0:
            budget -= 1
            end = _stale_copy_end(data, endian, pos, (gap_start, gap_end), twins)
            if end is None:
                pos += 2  # copies are word-aligned
            else:
                stale.append((pos, end))
                pos = end + end % 2
    return stale


def _stale_copy_end(
    data: bytes, endian: str, pos: int, gap: Range, twins: set[tuple[int, int, int, bytes]]
) -> int | None:
    """Where the stale copy starting at ``pos`` ends (its appended values included), or None
    when no stale copy starts there."""
    (count,) = struct.unpack_from(endian + "H", data, pos)
    if not 2 <= count <= _STALE_MAX_ENTRIES or pos + 6 + 12 * count > gap[1]:
        return None
    previous, missing = -1, 0
    for i in range(count):  # cheap checks first: most positions fail at the first entry
        tag, typ, n = struct.unpack_from(endian + "HHI", data, pos + 2 + 12 * i)
        if tag <= previous or typ not in TYPE_SIZES:
            return None  # a directory's tags ascend
        previous = tag
        entry_bytes = pos + 10 + 12 * i
        missing += (tag, typ, n, data[entry_bytes : entry_bytes + 4]) not in twins
        if 2 * missing > count:
            return None
    try:
        ifd = read_ifd(data, endian, pos)
    except MetadataFormatError:
        return None
    shared = [e for e in ifd.entries if (e.tag, e.type, e.count, e.raw) in twins]
    if len(shared) < 2:
        return None
    if all(_value_range(e, endian) is None for e in shared):
        return None  # a copy points at some live value the way its original does
    dir_end = end = _dir_range(ifd)[1]
    for entry in ifd.entries:
        span = _value_range(entry, endian)
        if span is None or span[1] <= pos or span[0] >= gap[1] or span[1] <= gap[0]:
            continue  # inline, or a value of the live structure or of an earlier copy
        if span[0] < dir_end or span[1] > gap[1]:
            return None  # not the layout an append left
        end = max(end, span[1])
    return end


def _subtract(span: Range, protected: list[Range]) -> list[Range]:
    """The parts of ``span`` that no protected range covers."""
    pieces = [span]
    for p_start, p_end in protected:
        pieces = [
            piece
            for start, end in pieces
            for piece in ((start, min(end, p_start)), (max(start, p_end), end))
            if piece[0] < piece[1]
        ]
    return pieces


def _overlaps(span: Range, ranges: list[Range]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in ranges)


def _emit(
    buf: bytearray, endian: str, entries: list[_Out], next_offset: int, at: int | None
) -> int:
    """Write a directory at ``at`` (in place) or at the end, word-aligned; out-of-line values go
    at the end. Return the directory's offset."""
    entries = sorted(entries, key=lambda e: e[0])
    size = 2 + 12 * len(entries) + 4
    if at is None:
        _pad(buf)
        at = len(buf)
        buf.extend(bytes(size))
    packed = bytearray(struct.pack(endian + "H", len(entries)))
    for tag, typ, count, raw, payload in entries:
        if payload is None:
            field_bytes = raw
        elif len(payload) <= 4:
            field_bytes = payload.ljust(4, b"\x00")
        else:
            _pad(buf)
            field_bytes = struct.pack(endian + "I", len(buf))
            buf.extend(payload)
        packed.extend(struct.pack(endian + "HHI", tag, typ, count) + field_bytes)
    packed.extend(struct.pack(endian + "I", next_offset))
    buf[at : at + size] = packed
    _pad(buf)
    return at


def append_ifd(
    buf: bytearray, endian: str, entries: list[tuple[int, int, int, bytes]], next_offset: int
) -> int:
    """Append an IFD whose entries are (tag, type, count, raw-or-payload); return its offset.

    A payload longer than 4 bytes is written right after the directory; shorter ones inline.
    """
    outs = [(tag, typ, count, b"", payload) for tag, typ, count, payload in entries]
    return _emit(buf, endian, outs, next_offset, None)


@dataclass
class _Rewrite:
    """One directory being rewritten: where it was, its new entries, its next-IFD offset."""

    old: Ifd | None
    entries: dict[int, _Out]
    next_offset: int
    pointer_tag: int = 0  # the IFD0 tag pointing at it (0 for IFD0 itself)


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
    """Apply edits to IFD0, the Exif IFD and the GPS IFD; see the module docstring.

    ``remove_gps`` drops the GPS pointer (and zeroes the old GPS directory and values).
    ``new_exif_ifd_base`` gives the tags to put in a newly created Exif IFD, when the block has
    none; ``new_gps_ifd_base`` likewise for a new GPS IFD.
    """
    endian, ifd0_offset = header(data)
    ifd0 = read_ifd(data, endian, ifd0_offset)
    ifd0_changes = IfdEdit(dict(ifd0_edit.updates), set(ifd0_edit.removals))
    subs: list[tuple[int, Ifd | None, IfdEdit, int]] = []
    dead: list[Ifd] = []  # directories that go away entirely

    if exif_edit:
        old_off = sub_ifd_offset(ifd0, TAG_EXIF_IFD, endian)
        old = read_ifd(data, endian, old_off) if old_off is not None else None
        edit = exif_edit
        if old is None and new_exif_ifd_base is not None:
            edit = IfdEdit(
                {**new_exif_ifd_base.updates, **exif_edit.updates}, set(exif_edit.removals)
            )
        subs.append((TAG_EXIF_IFD, old, edit, old.next_offset if old is not None else 0))

    if remove_gps or gps_edit:
        old_off = sub_ifd_offset(ifd0, TAG_GPS_IFD, endian)
        old = None
        with contextlib.suppress(MetadataFormatError):  # a broken GPS IFD is replaced whole
            old = read_ifd(data, endian, old_off) if old_off is not None else None
        if remove_gps:
            if old is not None:
                dead.append(old)
            if ifd0.get(TAG_GPS_IFD) is not None:
                ifd0_changes.removals.add(TAG_GPS_IFD)
        else:
            edit = gps_edit
            if old is None and new_gps_ifd_base is not None:
                edit = IfdEdit(
                    {**new_gps_ifd_base.updates, **gps_edit.updates}, set(gps_edit.removals)
                )
            subs.append((TAG_GPS_IFD, old, edit, 0))

    if not (ifd0_changes or subs):
        return data

    # An Exif or GPS IFD that is not edited is rewritten too (unchanged) when it lies in the tail
    # a previous save appended, so that the whole tail is reclaimed, not just part of it.
    idle: dict[int, tuple[int, Ifd]] = {}
    for tag in (TAG_EXIF_IFD, TAG_GPS_IFD):
        old_off = sub_ifd_offset(ifd0, tag, endian)
        if old_off is None or any(t == tag for t, *_ in subs) or tag in ifd0_changes.removals:
            continue
        with contextlib.suppress(MetadataFormatError):
            idle[old_off] = (tag, read_ifd(data, endian, old_off))

    # What the block holds now: what stays put, and what belongs to the directories rewritten.
    ifds, damaged, complete = _scan(data, endian, ifd0_offset)
    leaving = {ifd0.offset: ifd0, **{o.offset: o for _, o, _, _ in subs if o}}
    leaving.update({d.offset: d for d in dead})
    leaving.update({offset: ifd for offset, (_, ifd) in idle.items()})
    fixed: list[Range] = [(0, 8), *damaged]
    owned: list[Range] = []
    for offset, ifd in {**ifds, **leaving}.items():
        mine = offset in leaving
        (owned if mine else fixed).append(_dir_range(ifd))
        for entry in ifd.entries:
            span = _value_range(entry, endian)
            if span is not None:
                relocatable = mine and entry.tag != TAG_MAKER_NOTE
                (owned if relocatable else fixed).append(span)
        fixed.extend(_pointed_ranges(ifd, data, endian))
    cut = len(data)
    stale: list[Range] = []
    if complete:
        stale = _stale_copies(data, endian, [*fixed, *owned], list(ifds.values()))
        cut = _reclaimable_start(data, [*owned, *stale], fixed)

    kept: list[Range] = []
    for offset, (tag, ifd) in idle.items():
        spans = [_dir_range(ifd), *filter(None, (_value_range(e, endian) for e in ifd.entries))]
        if max(end for _, end in spans) > cut:
            subs.append((tag, ifd, IfdEdit(), ifd.next_offset))
        else:
            del leaving[offset]  # wholly before the tail: left exactly as it is
            kept.extend(spans)
    blank: list[Range] = [_dir_range(d) for d in leaving.values()] + stale

    def rebuild(old: Ifd | None, edit: IfdEdit) -> dict[int, _Out]:
        out: dict[int, _Out] = {}
        for entry in old.entries if old is not None else ():
            span = _value_range(entry, endian)
            if entry.tag in edit.removals or entry.tag in edit.updates:
                if span is not None:
                    blank.append(span)
                continue
            if span is not None and span[1] > cut and entry.tag != TAG_MAKER_NOTE:
                # In the tail being reclaimed: the value moves with its directory.
                blank.append(span)
                out[entry.tag] = (entry.tag, entry.type, entry.count, b"", data[span[0] : span[1]])
                continue
            if span is not None:
                kept.append(span)
            out[entry.tag] = (entry.tag, entry.type, entry.count, entry.raw, None)
        for tag, value in edit.updates.items():
            out[tag] = (tag, value.type, value.count, b"", value.payload)
        return out

    rewrites = [_Rewrite(old, rebuild(old, edit), nxt, tag) for tag, old, edit, nxt in subs]
    main = _Rewrite(ifd0, rebuild(ifd0, ifd0_changes), ifd0.next_offset)
    for d in dead:
        blank.extend(span for e in d.entries if (span := _value_range(e, endian)) is not None)

    buf = bytearray(data[:cut])
    protected = [*fixed, *kept]
    for span in blank:
        for start, end in _subtract((span[0], min(span[1], cut)), protected):
            buf[start:end] = bytes(end - start)

    def place(rewrite: _Rewrite) -> int:
        old = rewrite.old
        at = None
        if old is not None:
            span = _dir_range(old)
            if (
                span[1] <= cut
                and len(rewrite.entries) <= len(old.entries)
                and not _overlaps(span, protected)
            ):
                at = old.offset  # fits where it was: written in place
        return _emit(buf, endian, list(rewrite.entries.values()), rewrite.next_offset, at)

    for rewrite in rewrites:
        new_offset = place(rewrite)
        main.entries[rewrite.pointer_tag] = (
            rewrite.pointer_tag,
            LONG,
            1,
            struct.pack(endian + "I", new_offset),
            None,
        )
    new_ifd0 = place(main)
    if new_ifd0 != ifd0_offset:
        buf[4:8] = struct.pack(endian + "I", new_ifd0)
    return bytes(buf)


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
