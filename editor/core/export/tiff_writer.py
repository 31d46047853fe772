"""A small, tidy EXIF (TIFF) serialiser for exported copies: sorted tags, word-aligned values."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

import piexif

EXIF_POINTER, GPS_POINTER = 34665, 34853
_FORMATS = {1: "B", 3: "H", 4: "L", 6: "b", 8: "h", 9: "l", 11: "f", 12: "d"}
_RATIONALS = {5: "L", 10: "l"}
_TABLE = {"0th": "Image", "Exif": "Exif", "GPS": "GPS"}

Entry = tuple[int, int, bytes]  # type, count, payload


def _payload(kind: int, value: Any) -> tuple[int, bytes] | None:
    """(count, bytes) for a piexif-style value of TIFF type ``kind``; None if it does not fit."""
    try:
        if kind == 2:  # ASCII: we store UTF-8, as cameras and exiftool do in practice
            raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            raw = raw.split(b"\x00", 1)[0] + b"\x00"
            return len(raw), raw
        if kind in (7, 1) and isinstance(value, bytes | bytearray):
            return len(value), bytes(value)
        if kind in _RATIONALS:
            pairs = [value] if isinstance(value[0], int) else list(value)
            fmt = ">" + _RATIONALS[kind] * 2 * len(pairs)
            return len(pairs), struct.pack(fmt, *[int(x) for p in pairs for x in p])
        values = [value] if isinstance(value, int | float) else list(value)
        fmt = _FORMATS.get(kind, "B")
        return len(values), struct.pack(">" + fmt * len(values), *values)
    except (struct.error, TypeError, ValueError, IndexError, AttributeError):
        return None


def _entries(ifd: str, tags: Mapping[int, Any]) -> dict[int, Entry]:
    out: dict[int, Entry] = {}
    table = piexif.TAGS[_TABLE[ifd]]
    for tag, value in tags.items():
        if tag not in table or tag in (EXIF_POINTER, GPS_POINTER):
            continue
        kind = int(table[tag]["type"])
        packed = _payload(kind, value)
        if packed is not None:
            out[tag] = (kind, packed[0], packed[1])
    return out


def _ifd_size(entries: Mapping[int, Entry]) -> int:
    size = 2 + 12 * len(entries) + 4
    for _, _, data in entries.values():
        if len(data) > 4:
            size += len(data) + (len(data) & 1)
    return size


def _ifd(entries: Mapping[int, Entry], offset: int) -> bytes:
    head = [struct.pack(">H", len(entries))]
    values = b""
    value_at = offset + 2 + 12 * len(entries) + 4
    for tag in sorted(entries):
        kind, count, data = entries[tag]
        if len(data) <= 4:
            head.append(struct.pack(">HHL", tag, kind, count) + data.ljust(4, b"\x00"))
        else:
            head.append(struct.pack(">HHLL", tag, kind, count, value_at + len(values)))
            values += data + (b"\x00" if len(data) & 1 else b"")
    return b"".join(head) + b"\x00\x00\x00\x00" + values


def dump(exif: Mapping[str, Mapping[int, Any]]) -> bytes:
    """``Exif\\0\\0`` + a big-endian TIFF block holding IFD0, the Exif IFD and the GPS IFD."""
    ifd0 = _entries("0th", exif.get("0th", {}))
    sub = _entries("Exif", exif.get("Exif", {}))
    gps = _entries("GPS", exif.get("GPS", {}))
    if sub:
        ifd0[EXIF_POINTER] = (4, 1, b"\x00" * 4)
    if gps:
        ifd0[GPS_POINTER] = (4, 1, b"\x00" * 4)
    sub_at = 8 + _ifd_size(ifd0)
    gps_at = sub_at + (_ifd_size(sub) if sub else 0)
    if sub:
        ifd0[EXIF_POINTER] = (4, 1, struct.pack(">L", sub_at))
    if gps:
        ifd0[GPS_POINTER] = (4, 1, struct.pack(">L", gps_at))
    body = b"MM\x00*" + struct.pack(">L", 8) + _ifd(ifd0, 8)
    if sub:
        body += _ifd(sub, sub_at)
    if gps:
        body += _ifd(gps, gps_at)
    return b"Exif\x00\x00" + body
