"""IPTC-IIM codec for the Photoshop APP13 payload ("Photoshop 3.0" + 8BIM image resources).

Owns the IIM side of the field table (see ``fields.py``): ``parse_app13`` reads our datasets from
resource 0x0404; ``build_app13`` rewrites only the datasets of the named fields, keeps every other
8BIM resource byte-for-byte and every other dataset in order, writes UTF-8 (1:90 = ESC % G,
re-encoding kept legacy-charset text), and refreshes the 0x0425 IPTCDigest.
Pure and Qt-free: bytes in, bytes/values out; the JPEG segment itself is elsewhere.

Text is cleaned like XMP text (``xmp.clean_text``: characters XML 1.0 cannot hold are removed) so
the IIM and XMP copies of a field stay identical. Fields without an IIM dataset (alt_text,
extended_description, usage_terms, gps, rating) are ignored here.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final

from editor.core.codecs.xmp import clean_text
from editor.core.errors import MetadataFormatError
from editor.core.fields import FIELD_NAMES
from editor.core.model import PhotoMetadata

__all__ = ["PHOTOSHOP_HEADER", "IptcValues", "build_app13", "parse_app13"]

PHOTOSHOP_HEADER: Final = b"Photoshop 3.0\x00"
RESOURCE_IPTC: Final = 0x0404
RESOURCE_IPTC_DIGEST: Final = 0x0425
_SIGNATURES: Final = (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa")
_UTF8_ESCAPE: Final = b"\x1b%G"

# Record-2 datasets that hold binary data, not text (never re-encoded).
_BINARY_DATASETS: Final = frozenset({0, 125, 200, 201, 202})

# (record 2 dataset, IIM name, byte limit or None)
_TITLE: Final = (5, "ObjectName", 64)
_KEYWORDS: Final = (25, "Keywords", 64)
_DATE: Final = (55, "DateCreated", None)
_TIME: Final = (60, "TimeCreated", None)
_BYLINE: Final = (80, "By-line", 32)
_HEADLINE: Final = (105, "Headline", 256)
_CREDIT: Final = (110, "Credit", 32)
_COPYRIGHT: Final = (116, "CopyrightNotice", 128)
_CAPTION: Final = (120, "Caption-Abstract", 2000)

_FIELD_DATASETS: Final[dict[str, tuple[int, ...]]] = {
    "title": (5,),
    "caption": (120,),
    "keywords": (25,),
    "creator": (80,),
    "credit": (110,),
    "copyright": (116,),
    "date_taken": (55, 60),
}


@dataclass(frozen=True)
class IptcValues:
    """Our fields as found in the IIM; ``None`` means the dataset is absent."""

    title: str | None = None
    caption: str | None = None
    keywords: tuple[str, ...] | None = None
    creator: tuple[str, ...] | None = None
    credit: str | None = None
    copyright: str | None = None
    date_taken: datetime | None = None
    headline: str | None = None


@dataclass(frozen=True)
class _Resource:
    raw: bytes  # the whole block as found (header, name, size, data, padding)
    signature: bytes
    resource_id: int
    name: bytes  # the Pascal string including its length byte and padding
    data: bytes


@dataclass(frozen=True)
class _DataSet:
    record: int
    number: int
    value: bytes


# --------------------------------------------------------------------------- low level


def _split_resources(payload: bytes) -> list[_Resource]:
    if not isinstance(payload, bytes | bytearray | memoryview):
        raise MetadataFormatError("APP13 payload must be bytes")
    payload = bytes(payload)
    if not payload.startswith(PHOTOSHOP_HEADER):
        raise MetadataFormatError("APP13 payload is not a Photoshop 3.0 resource block")
    resources: list[_Resource] = []
    pos, end = len(PHOTOSHOP_HEADER), len(payload)
    while pos < end:
        if not payload[pos:].strip(b"\x00"):
            break  # trailing zero padding
        if end - pos < 12:
            raise MetadataFormatError("APP13: truncated image resource header")
        start = pos
        signature = payload[pos : pos + 4]
        if signature not in _SIGNATURES:
            raise MetadataFormatError(f"APP13: bad image resource signature {signature!r}")
        (resource_id,) = struct.unpack_from(">H", payload, pos + 4)
        name_len = payload[pos + 6]
        name_size = name_len + 1 + ((name_len + 1) & 1)
        name = payload[pos + 6 : pos + 6 + name_size]
        pos += 6 + name_size
        if pos + 4 > end:
            raise MetadataFormatError("APP13: truncated image resource name/size")
        (size,) = struct.unpack_from(">I", payload, pos)
        pos += 4
        if size > end - pos:
            raise MetadataFormatError(
                f"APP13: resource 0x{resource_id:04X} claims {size} bytes, {end - pos} left"
            )
        data = payload[pos : pos + size]
        pos += size + (size & 1)
        pos = min(pos, end)  # the final pad byte is sometimes missing
        resources.append(_Resource(payload[start:pos], signature, resource_id, name, data))
    return resources


def _split_datasets(iim: bytes) -> list[_DataSet]:
    datasets: list[_DataSet] = []
    pos, end = 0, len(iim)
    while pos < end:
        if iim[pos] != 0x1C:
            if not iim[pos:].strip(b"\x00"):
                break  # trailing zero padding
            raise MetadataFormatError(f"IPTC: expected tag marker 0x1C at offset {pos}")
        if end - pos < 5:
            raise MetadataFormatError("IPTC: truncated dataset header")
        record, number = iim[pos + 1], iim[pos + 2]
        (length,) = struct.unpack_from(">H", iim, pos + 3)
        pos += 5
        if length & 0x8000:
            count = length & 0x7FFF
            if count == 0 or count > 4 or pos + count > end:
                raise MetadataFormatError("IPTC: bad extended dataset length")
            length = int.from_bytes(iim[pos : pos + count], "big")
            pos += count
        if length > end - pos:
            raise MetadataFormatError(
                f"IPTC: dataset {record}:{number} claims {length} bytes, {end - pos} left"
            )
        datasets.append(_DataSet(record, number, iim[pos : pos + length]))
        pos += length
    return datasets


def _encode_dataset(ds: _DataSet) -> bytes:
    length = len(ds.value)
    if length < 0x8000:
        return struct.pack(">BBBH", 0x1C, ds.record, ds.number, length) + ds.value
    return struct.pack(">BBBHI", 0x1C, ds.record, ds.number, 0x8004, length) + ds.value


def _pascal_padded(name: bytes) -> bytes:
    return name + b"\x00" * (len(name) & 1)


def _encode_resource(signature: bytes, resource_id: int, name: bytes, data: bytes) -> bytes:
    return (
        signature
        + struct.pack(">H", resource_id)
        + _pascal_padded(name)
        + struct.pack(">I", len(data))
        + data
        + b"\x00" * (len(data) & 1)
    )


# --------------------------------------------------------------------------- charsets

_CP1252_TABLE: Final = "".join(
    bytes([i]).decode("cp1252", errors="replace").replace("\ufffd", chr(i)) for i in range(256)
)


def _decode_cp1252(data: bytes) -> str:
    """cp1252, with the five bytes cp1252 leaves undefined read as latin-1."""
    return "".join(_CP1252_TABLE[b] for b in data)


def _is_utf8(datasets: list[_DataSet]) -> bool:
    """True when the IIM declares UTF-8, or (no usable declaration) all its text is valid UTF-8."""
    declared = [d.value for d in datasets if d.record == 1 and d.number == 90]
    if declared and declared[0] == _UTF8_ESCAPE:
        return True
    for d in datasets:
        if d.record == 2 and d.number not in _BINARY_DATASETS:
            try:
                d.value.decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


def _decoder(datasets: list[_DataSet]) -> tuple[bool, Callable[[bytes], str]]:
    utf8 = _is_utf8(datasets)

    def decode(value: bytes) -> str:
        if utf8:
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                pass  # declared UTF-8 but is not: fall back rather than fail
        return _decode_cp1252(value)

    return utf8, decode


# --------------------------------------------------------------------------- reading


def _iim_of(resources: list[_Resource]) -> bytes | None:
    for res in resources:
        if res.resource_id == RESOURCE_IPTC and res.signature == b"8BIM":
            return res.data
    return None


def _parse_date(date: str | None, time: str | None) -> datetime | None:
    if date is None:
        return None
    date = date.strip()
    if len(date) != 8 or not (date.isascii() and date.isdigit()):
        return None
    year, month, day = int(date[:4]), int(date[4:6]) or 1, int(date[6:]) or 1
    hour = minute = second = 0
    tzinfo: timezone | None = None
    if time is not None:
        time = time.strip()
        if len(time) >= 6 and time[:6].isascii() and time[:6].isdigit():
            hour, minute, second = int(time[:2]), int(time[2:4]), int(time[4:6])
            rest = time[6:]
            if len(rest) == 5 and rest[0] in "+-" and rest[1:].isascii() and rest[1:].isdigit():
                offset = timedelta(hours=int(rest[1:3]), minutes=int(rest[3:5]))
                if offset < timedelta(hours=24):
                    tzinfo = timezone(-offset if rest[0] == "-" else offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tzinfo)
    except ValueError:
        return None


def parse_app13(payload: bytes) -> IptcValues:
    """Read our IIM datasets from a Photoshop APP13 payload (without the JPEG marker/length).

    Raises ``MetadataFormatError`` on anything malformed (bad header, truncated resources or
    datasets, lengths past the end). A payload without resource 0x0404 gives all ``None``.
    """
    iim = _iim_of(_split_resources(payload))
    if iim is None:
        return IptcValues()
    datasets = _split_datasets(iim)
    _utf8, decode = _decoder(datasets)

    def all_of(number: int) -> list[str]:
        return [decode(d.value) for d in datasets if d.record == 2 and d.number == number]

    def first(number: int) -> str | None:
        found = all_of(number)
        return found[0] if found else None

    keywords = all_of(_KEYWORDS[0])
    creator = all_of(_BYLINE[0])
    return IptcValues(
        title=first(_TITLE[0]),
        caption=first(_CAPTION[0]),
        keywords=tuple(keywords) if keywords else None,
        creator=tuple(creator) if creator else None,
        credit=first(_CREDIT[0]),
        copyright=first(_COPYRIGHT[0]),
        date_taken=_parse_date(first(_DATE[0]), first(_TIME[0])),
        headline=first(_HEADLINE[0]),
    )


# --------------------------------------------------------------------------- writing


def _truncate(text: str, spec: tuple[int, str, int | None], warnings: list[str]) -> bytes:
    data = text.encode("utf-8")
    number, name, limit = spec
    if limit is not None and len(data) > limit:
        cut = data[:limit].decode("utf-8", errors="ignore").encode("utf-8")
        warnings.append(
            f"IPTC {name} (2:{number:02d}) truncated to {len(cut)} bytes "
            f"(IIM limit {limit}, was {len(data)}): {text[:40]!r}"
        )
        return cut
    return data


def _format_time(value: datetime) -> bytes:
    text = value.strftime("%H%M%S")
    offset = value.utcoffset()
    if offset is not None:
        minutes = round(offset.total_seconds() / 60)
        sign = "-" if minutes < 0 else "+"
        hours, mins = divmod(abs(minutes), 60)
        text += f"{sign}{hours:02d}{mins:02d}"
    return text.encode("ascii")


def _new_datasets(name: str, values: PhotoMetadata, warnings: list[str]) -> list[_DataSet]:
    """The record-2 datasets for field ``name`` (empty list removes them)."""

    def text(spec: tuple[int, str, int | None], value: str) -> list[_DataSet]:
        value = clean_text(value)
        return [_DataSet(2, spec[0], _truncate(value, spec, warnings))] if value else []

    def many(spec: tuple[int, str, int | None], items: tuple[str, ...]) -> list[_DataSet]:
        return [ds for item in items for ds in text(spec, item)]

    if name == "title":
        return text(_TITLE, values.title)
    if name == "caption":
        return text(_CAPTION, values.caption)
    if name == "keywords":
        return many(_KEYWORDS, values.keywords)
    if name == "creator":
        return many(_BYLINE, values.creator)
    if name == "credit":
        return text(_CREDIT, values.credit)
    if name == "copyright":
        return text(_COPYRIGHT, values.copyright)
    if name == "date_taken":
        date = values.date_taken
        if date is None:
            return []
        if not 1 <= date.year <= 9999:
            raise MetadataFormatError(f"date out of IIM range: {date!r}")
        return [
            _DataSet(2, _DATE[0], f"{date.year:04d}{date.month:02d}{date.day:02d}".encode()),
            _DataSet(2, _TIME[0], _format_time(date)),
        ]
    return []


def _rebuild_iim(
    existing: list[_DataSet], names: list[str], values: PhotoMetadata, warnings: list[str]
) -> bytes:
    utf8, decode = _decoder(existing)
    datasets: list[_DataSet] = []
    for ds in existing:
        if ds.record == 1 and ds.number == 90:
            continue  # re-added below as UTF-8
        if not utf8 and ds.record == 2 and ds.number not in _BINARY_DATASETS:
            ds = _DataSet(2, ds.number, decode(ds.value).encode("utf-8"))
        datasets.append(ds)

    # 1:90 CodedCharacterSet = UTF-8, in dataset order within record 1.
    charset = _DataSet(1, 90, _UTF8_ESCAPE)
    at = next(
        (i for i, d in enumerate(datasets) if d.record > 1 or (d.record == 1 and d.number > 90)),
        len(datasets),
    )
    datasets.insert(at, charset)

    # 2:00 RecordVersion (4) at the start of record 2 when missing.
    if not any(d.record == 2 and d.number == 0 for d in datasets):
        at = next((i for i, d in enumerate(datasets) if d.record >= 2), len(datasets))
        datasets.insert(at, _DataSet(2, 0, b"\x00\x04"))

    for name in names:
        new = _new_datasets(name, values, warnings)
        for number in _FIELD_DATASETS.get(name, ()):
            mine = [d for d in new if d.number == number]
            where = next(
                (i for i, d in enumerate(datasets) if d.record == 2 and d.number == number), None
            )
            datasets = [d for d in datasets if not (d.record == 2 and d.number == number)]
            if where is None:  # keep record 2 in dataset order when adding
                where = next(
                    (
                        i
                        for i, d in enumerate(datasets)
                        if d.record > 2 or (d.record == 2 and d.number > number)
                    ),
                    len(datasets),
                )
            datasets[where:where] = mine
    return b"".join(_encode_dataset(d) for d in datasets)


def build_app13(
    existing: bytes | None, values: PhotoMetadata, fields: Iterable[str]
) -> tuple[bytes, tuple[str, ...]]:
    """The new APP13 payload and any truncation warnings.

    Only the IIM datasets of ``fields`` change (empty values remove them); every other 8BIM
    resource is kept byte-for-byte and in order; the IIM is written as UTF-8; the IPTCDigest
    (0x0425) is set to the MD5 of the new IIM (added after the IIM when missing). ``existing``
    None or empty gives a fresh payload holding just the IIM and its digest. Raises
    ``MetadataFormatError`` if ``existing`` is malformed or a field name is unknown.
    """
    names = list(fields)
    unknown = [n for n in names if n not in FIELD_NAMES]
    if unknown:
        raise MetadataFormatError(f"unknown field name(s): {', '.join(map(repr, unknown))}")
    resources = _split_resources(existing) if existing else []
    old_iim = _iim_of(resources)
    warnings: list[str] = []
    new_iim = _rebuild_iim(
        _split_datasets(old_iim) if old_iim is not None else [], names, values, warnings
    )
    digest = hashlib.md5(new_iim, usedforsecurity=False).digest()

    blocks: list[bytes] = []
    iim_done = digest_done = False
    for res in resources:
        if res.signature == b"8BIM" and res.resource_id == RESOURCE_IPTC and not iim_done:
            blocks.append(_encode_resource(res.signature, res.resource_id, res.name, new_iim))
            iim_done = True
        elif res.signature == b"8BIM" and res.resource_id == RESOURCE_IPTC_DIGEST:
            if not digest_done:
                blocks.append(_encode_resource(res.signature, res.resource_id, res.name, digest))
                digest_done = True
        else:
            raw = res.raw
            blocks.append(raw + b"\x00" * (len(raw) & 1))  # restore a missing final pad
    if not iim_done:
        blocks.append(_encode_resource(b"8BIM", RESOURCE_IPTC, b"\x00", new_iim))
    if not digest_done:
        blocks.append(_encode_resource(b"8BIM", RESOURCE_IPTC_DIGEST, b"\x00", digest))
    return PHOTOSHOP_HEADER + b"".join(blocks), tuple(warnings)
