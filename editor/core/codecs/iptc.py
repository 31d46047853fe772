"""IPTC-IIM codec for the Photoshop APP13 payload ("Photoshop 3.0" + 8BIM image resources).

Owns the IIM side of the field table: which record-2 datasets hold a field, their byte limits and
whether they repeat come from ``FieldSpec.iim`` in ``fields.py`` (read at call time, so a field
gaining a dataset needs no change here). ``parse_app13`` reads the table's fields from resource
0x0404; ``build_app13`` rewrites only the datasets of the named fields, keeps every other 8BIM
resource byte-for-byte and every other dataset in order, and refreshes the 0x0425 IPTCDigest.
This module's ``PHOTOSHOP_HEADER`` and ``build_app13`` are the ones other modules should import.
Pure and Qt-free: bytes in, bytes/values out; the JPEG segment itself is elsewhere.

Value types by field kind: TEXT/MULTILINE read the first present dataset of the row (in table
order) and write every one; LIST uses one dataset per item when ``repeatable``; DATETIME is the
(date, time) pair 2:55/2:60 style: ``iim[0]`` CCYYMMDD, ``iim[1]`` HHMMSS±HHMM.

Character sets, read per dataset: UTF-8 where the bytes decode as UTF-8, else cp1252 (the five
bytes cp1252 leaves undefined read as Latin-1), whatever 1:90 declares, so a record mixing UTF-8
and legacy datasets reads right. When writing:

- a record that declares UTF-8 (1:90 = ESC % G), or a new one, is written in UTF-8; datasets not
  edited keep their bytes.
- a legacy record (no 1:90, or another charset) is converted to UTF-8 (1:90 added), since a
  declared UTF-8 record reads the same in every reader while legacy bytes are each reader's
  guess. Only record-2 datasets the IIM 4.2 standard defines as text are transcoded (cp1252 to
  UTF-8; those already valid UTF-8 keep their bytes); binary ones (2:00, 2:125, 2:200-202),
  datasets the standard does not define (2:199, vendor 2:2xx) and records 1 and 3+ are never
  re-encoded.
- but when one of those never-transcoded datasets in records 2-6 (where readers such as exiftool
  apply 1:90) holds bytes that are neither ASCII nor UTF-8, declaring UTF-8 would change how it
  reads. Then the record keeps its legacy charset (1:90 untouched, every other dataset
  byte-identical, edited values written in cp1252) provided every edited value fits cp1252 and
  reads back unambiguously; only when one does not (e.g. Korean text) is the record converted
  anyway, those datasets keeping their bytes, and a warning names them.

Lengths: saving cuts a value to its dataset's ``max_bytes`` on a whole character and warns;
``iim_limit``, ``iim_bytes``, ``iim_overflow`` and ``iim_overflows`` state the same rule for
callers that warn before saving (export, ``show``, the editor's counter), counting UTF-8 bytes
(a legacy record kept in cp1252 may hold more characters). XMP and EXIF keep the whole text.

Text is cleaned like XMP text (``xmp.clean_text``: characters XML 1.0 cannot hold are removed) so
the IIM and XMP copies of a field stay identical. Fields without IIM datasets are ignored here.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from editor.core import fields as field_table
from editor.core.codecs.xmp import clean_text
from editor.core.errors import MetadataFormatError
from editor.core.fields import FieldKind, FieldSpec, IimDataset
from editor.core.model import PhotoMetadata
from editor.core.partial_dates import PartialDate, partial
from editor.core.vocabulary import country_alpha3

__all__ = [
    "PHOTOSHOP_HEADER",
    "IptcValues",
    "build_app13",
    "iim_bytes",
    "iim_limit",
    "iim_overflow",
    "iim_overflows",
    "parse_app13",
]

PHOTOSHOP_HEADER: Final = b"Photoshop 3.0\x00"
RESOURCE_IPTC: Final = 0x0404
RESOURCE_IPTC_DIGEST: Final = 0x0425
_SIGNATURES: Final = (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa")
_UTF8_ESCAPE: Final = b"\x1b%G"

# IIM 4.2, record 2: the datasets the standard defines as text (graphic characters, digits
# included). Only these are transcoded when the declared charset changes.
_TEXT_DATASETS: Final = frozenset(
    {3, 4, 5, 7, 8, 10, 12, 15, 20, 22, 25, 26, 27, 30, 35, 37, 38, 40, 42, 45, 47, 50, 55, 60}
    | {62, 63, 65, 70, 75, 80, 85, 90, 92, 95, 100, 101, 103, 105, 110, 115, 116, 118, 120, 122}
    | {130, 131, 135, 150, 151, 152, 153, 154}
)
# IIM 4.2, record 2: binary datasets (no charset applies).
_BINARY_DATASETS: Final = frozenset({0, 125, 200, 201, 202})
_DEFINED_DATASETS: Final = _TEXT_DATASETS | _BINARY_DATASETS

IimValue = str | tuple[str, ...] | datetime


@dataclass(frozen=True)
class IptcValues:
    """The table's fields as found in the IIM, keyed by field name.

    ``found`` is None when the payload holds no IIM record-2 data (no resource 0x0404, or only
    RecordVersion); otherwise it maps each field whose dataset(s) are present to its value. The
    fields read as attributes too (``values.caption`` is the value or None).
    """

    found: Mapping[str, IimValue] | None = None

    def __getattr__(self, name: str) -> Any:
        if name in field_table.FIELD_BY_NAME:
            return (self.found or {}).get(name)
        raise AttributeError(name)


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


_CP1252_ENCODE: Final = {ch: i for i, ch in enumerate(_CP1252_TABLE)}


def _decode(data: bytes) -> str:
    """One dataset's text: UTF-8 where it decodes, else cp1252 (see the module docstring)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_cp1252(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encode_cp1252(text: str) -> bytes | None:
    """``text`` in cp1252 when every character fits and it reads back as the same text."""
    try:
        data = bytes(_CP1252_ENCODE[ch] for ch in text)
    except KeyError:
        return None
    return data if text.isascii() or not _is_utf8(data) else None


def _declares_utf8(datasets: list[_DataSet]) -> bool:
    declared = [d.value for d in datasets if d.record == 1 and d.number == 90]
    return bool(declared) and declared[0] == _UTF8_ESCAPE


def _charset_sensitive(ds: _DataSet) -> bool:
    """A dataset we never transcode whose meaning a change of 1:90 would alter."""
    if not 2 <= ds.record <= 6 or ds.value.isascii() or _is_utf8(ds.value):
        return False
    return ds.record != 2 or ds.number not in _DEFINED_DATASETS


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
    if time is None:  # no 2:60: a date known to the day (00 = month or day unknown)
        try:
            if not int(date[4:6]):
                return partial(year)
            return partial(year, month, None if not int(date[6:]) else day)
        except ValueError:
            return None
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


_IIM_KINDS: Final = (FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.LIST, FieldKind.DATETIME)


def _iim_fields() -> list[FieldSpec]:
    """The table's rows that have IIM datasets (read now, so a patched table is honoured)."""
    rows = [f for f in field_table.FIELDS if f.iim]
    for row in rows:
        if row.kind not in _IIM_KINDS:
            raise NotImplementedError(f"no IIM encoding for {row.kind} ({row.name})")
    return rows


def _read_field(spec: FieldSpec, datasets: list[_DataSet]) -> IimValue | None:
    def texts(entry: IimDataset) -> list[str]:
        return [_decode(d.value) for d in datasets if d.record == 2 and d.number == entry.number]

    if spec.kind is FieldKind.DATETIME:
        date = texts(spec.iim[0])
        time = texts(spec.iim[1]) if len(spec.iim) > 1 else []
        return _parse_date(date[0] if date else None, time[0] if time else None)
    for entry in spec.iim:  # the first dataset present, in the table's order
        found = texts(entry)
        if found and entry.fallback:
            source = field_table.FIELD_BY_NAME[entry.fallback].iim
            other = texts(source[0])[:1] if source else []
            if other and _is_fallback_copy(found[0], other[0], source[0].max_bytes):
                continue  # it holds the other field's value for readers that want this one
        if found:
            if spec.kind is FieldKind.LIST:
                return tuple(found) if entry.repeatable else (found[0],)
            return found[0]
    return None


def parse_app13(payload: bytes) -> IptcValues:
    """Read the table's fields from a Photoshop APP13 payload (without the JPEG marker/length).

    Raises ``MetadataFormatError`` on anything malformed (bad header, truncated resources or
    datasets, lengths past the end). ``found`` is None when there is no IIM record-2 data.
    """
    iim = _iim_of(_split_resources(payload))
    if iim is None:
        return IptcValues()
    datasets = _split_datasets(iim)
    if not any(d.record == 2 and d.number != 0 for d in datasets):
        return IptcValues()
    found: dict[str, IimValue] = {}
    for spec in _iim_fields():
        value = _read_field(spec, datasets)
        if value is not None:
            found[spec.name] = value
    return IptcValues(found)


# --------------------------------------------------------------------------- lengths


def _text_items(spec: FieldSpec, value: Any) -> list[tuple[IimDataset, str]]:
    """The (dataset, cleaned text) pairs a text or list value is written as; empty text omitted."""
    if spec.kind is FieldKind.LIST:
        items = [clean_text(v) for v in value or ()]
    else:
        items = [clean_text(value or "")]
    items = [t for t in items if t]
    pairs: list[tuple[IimDataset, str]] = []
    for entry in spec.iim:
        if entry.alpha3:  # IIM's country code has three letters: "KR" is written "KOR"
            pairs.extend((entry, country_alpha3(t)) for t in items[:1])
        elif entry.repeatable:
            pairs.extend((entry, t) for t in items)
        elif items:
            pairs.append((entry, "; ".join(items)))
    return pairs


def _is_fallback_copy(text: str, other: str, other_limit: int | None) -> bool:
    """Whether a dataset's ``text`` is the other field's value written there as a fallback:
    the same, or longer where the other's own dataset cut it at its byte limit."""
    if text == other:
        return True
    cut = other_limit is not None and len(other.encode("utf-8")) > other_limit - 4
    return cut and len(other) > 0 and text.startswith(other)


def _fallback_source(spec: FieldSpec) -> str:
    return next((entry.fallback for entry in spec.iim if entry.fallback), "")


def _value(spec: FieldSpec, md: PhotoMetadata) -> Any:
    """What the field's datasets hold: its value, or, when it is empty and a dataset falls back
    to another field, that field's whole value (the other's own dataset may cut it shorter;
    ``_is_fallback_copy`` tells the two apart on reading)."""
    value = getattr(md, spec.name)
    source = _fallback_source(spec)
    if not source or value:
        return value
    return clean_text(str(getattr(md, source) or ""))


def _cut(text: str, limit: int | None, encoding: str) -> str:
    """The longest prefix of whole characters whose ``encoding`` bytes fit ``limit``."""
    if limit is None:
        return text
    if encoding == "cp1252":
        return text[:limit]  # one byte per character
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _encoder(encoding: str) -> Callable[[str], bytes]:
    if encoding == "utf-8":
        return lambda text: text.encode("utf-8")

    def cp1252(text: str) -> bytes:
        data = _encode_cp1252(text)
        assert data is not None  # checked by _pick_encoding
        return data

    return cp1252


def _fit(spec: FieldSpec, entry: IimDataset, text: str, encoding: str) -> tuple[str, str | None]:
    """The text a save writes into ``entry`` and, when it had to be cut, a message saying so."""
    kept = _cut(text, entry.max_bytes, encoding)
    if kept == text:
        return text, None
    encode = _encoder(encoding)
    item = f" {text[:24]!r}" if spec.kind is FieldKind.LIST else ""
    return kept, (
        f"{spec.label}{item}: {len(encode(text))} bytes, over the {entry.max_bytes} that IPTC "
        f"{entry.name} (2:{entry.number:03d}) holds; IPTC keeps the first {len(encode(kept))} "
        f"bytes, XMP and EXIF the whole text"
    )


def iim_limit(field_name: str) -> int | None:
    """The fewest bytes any IIM dataset of the field holds; None without IIM or without limit."""
    limits = [d.max_bytes for d in field_table.FIELD_BY_NAME[field_name].iim if d.max_bytes]
    return min(limits) if limits else None


def iim_bytes(text: str) -> int:
    """The UTF-8 bytes ``text`` takes in IIM once cleaned (what ``iim_limit`` is compared with)."""
    return len(clean_text(text).encode("utf-8"))


def iim_overflow(field_name: str, value: Any) -> list[str]:
    """One message per IIM dataset (per list item) that saving ``value`` in UTF-8 would cut.

    The same rule ``build_app13`` applies; empty when everything fits or the field has no IIM.
    """
    spec = field_table.FIELD_BY_NAME[field_name]
    if not spec.iim or spec.kind is FieldKind.DATETIME:
        return []
    fits = (_fit(spec, entry, text, "utf-8")[1] for entry, text in _text_items(spec, value))
    return [message for message in fits if message]


def iim_overflows(metadata: PhotoMetadata) -> list[str]:
    """``iim_overflow`` for every field of ``metadata``."""
    return [
        m for spec in _iim_fields() for m in iim_overflow(spec.name, getattr(metadata, spec.name))
    ]


# --------------------------------------------------------------------------- writing


def _format_time(value: datetime) -> bytes:
    text = value.strftime("%H%M%S")
    offset = value.utcoffset()
    if offset is not None:
        minutes = round(offset.total_seconds() / 60)
        sign = "-" if minutes < 0 else "+"
        hours, mins = divmod(abs(minutes), 60)
        text += f"{sign}{hours:02d}{mins:02d}"
    return text.encode("ascii")


def _new_datasets(
    spec: FieldSpec, value: Any, encoding: str, warnings: list[str]
) -> list[_DataSet]:
    """The record-2 datasets for one field (an empty list removes them)."""
    if spec.kind is FieldKind.DATETIME:
        if value is None:
            return []
        assert isinstance(value, datetime)
        if not 1 <= value.year <= 9999:
            raise MetadataFormatError(f"date out of IIM range: {value!r}")
        if isinstance(value, PartialDate):  # what is not known is 00, and there is no time
            month = value.month if value.precision != "year" else 0
            day = value.day if value.precision == "day" else 0
            date = f"{value.year:04d}{month:02d}{day:02d}".encode()
            return [_DataSet(2, spec.iim[0].number, date)]
        date = f"{value.year:04d}{value.month:02d}{value.day:02d}".encode()
        pair = [_DataSet(2, spec.iim[0].number, date)]
        if len(spec.iim) > 1:
            pair.append(_DataSet(2, spec.iim[1].number, _format_time(value)))
        return pair
    encode = _encoder(encoding)
    out: list[_DataSet] = []
    for entry, text in _text_items(spec, value):
        kept, message = _fit(spec, entry, text, encoding)
        if message:
            warnings.append(message)
        out.append(_DataSet(2, entry.number, encode(kept)))
    return out


def _pick_encoding(existing: list[_DataSet], written: list[str]) -> str:
    """The charset to write: "utf-8", or "cp1252" to keep a legacy record that has to stay so."""
    if not existing or _declares_utf8(existing):
        return "utf-8"
    if not any(_charset_sensitive(d) for d in existing):
        return "utf-8"
    if all(_encode_cp1252(text) is not None for text in written):
        return "cp1252"
    return "utf-8"


def _rebuild_iim(
    existing: list[_DataSet], specs: list[FieldSpec], md: PhotoMetadata, warnings: list[str]
) -> bytes:
    written = [
        _cut(text, entry.max_bytes, "cp1252")
        for spec in specs
        if spec.kind is not FieldKind.DATETIME
        for entry, text in _text_items(spec, _value(spec, md))
    ]
    encoding = _pick_encoding(existing, written)
    utf8 = encoding == "utf-8"
    convert = utf8 and not _declares_utf8(existing)
    datasets: list[_DataSet] = []
    for ds in existing:
        if utf8 and ds.record == 1 and ds.number == 90:
            continue  # re-added below as UTF-8
        if convert and ds.record == 2 and ds.number in _TEXT_DATASETS and not _is_utf8(ds.value):
            ds = _DataSet(2, ds.number, _decode_cp1252(ds.value).encode("utf-8"))
        datasets.append(ds)
    if convert:
        kept = sorted({f"{d.record}:{d.number:03d}" for d in existing if _charset_sensitive(d)})
        if kept:
            warnings.append(
                f"IPTC converted to UTF-8 for the new text; dataset(s) {', '.join(kept)}, not "
                "text the IIM standard defines, keep their bytes (other readers may decode them "
                "differently)"
            )

    if utf8:  # 1:90 CodedCharacterSet = UTF-8, in dataset order within record 1.
        at = next(
            (
                i
                for i, d in enumerate(datasets)
                if d.record > 1 or (d.record == 1 and d.number > 90)
            ),
            len(datasets),
        )
        datasets.insert(at, _DataSet(1, 90, _UTF8_ESCAPE))

    # 2:00 RecordVersion (4) at the start of record 2 when missing.
    if not any(d.record == 2 and d.number == 0 for d in datasets):
        at = next((i for i, d in enumerate(datasets) if d.record >= 2), len(datasets))
        datasets.insert(at, _DataSet(2, 0, b"\x00\x04"))

    for spec in specs:
        # A fallback copy cut to fit says nothing: the other field's own dataset warns.
        own = warnings if getattr(md, spec.name) or not _fallback_source(spec) else []
        new = _new_datasets(spec, _value(spec, md), encoding, own)
        for number in dict.fromkeys(entry.number for entry in spec.iim):
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
    """The new APP13 payload and any warnings (values cut to fit, legacy bytes kept).

    Only the IIM datasets of ``fields`` change (empty values remove them); every other 8BIM
    resource is kept byte-for-byte and in order; the charset is chosen as the module docstring
    says; the IPTCDigest (0x0425) is set to the MD5 of the new IIM (added after the IIM when
    missing). ``existing`` None or empty gives a fresh UTF-8 payload holding just the IIM and its
    digest. Raises ``MetadataFormatError`` if ``existing`` is malformed or a field is unknown.
    """
    names = list(fields)
    unknown = [n for n in names if n not in field_table.FIELD_BY_NAME]
    if unknown:
        raise MetadataFormatError(f"unknown field name(s): {', '.join(map(repr, unknown))}")
    # A dataset that falls back to a field changes with it.
    names += [f.name for f in _iim_fields() if _fallback_source(f) in names]
    specs = [spec for spec in _iim_fields() if spec.name in names]
    resources = _split_resources(existing) if existing else []
    old_iim = _iim_of(resources)
    warnings: list[str] = []
    new_iim = _rebuild_iim(
        _split_datasets(old_iim) if old_iim is not None else [], specs, values, warnings
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


def datasets(app13: bytes | None) -> list[tuple[int, int, bytes]]:
    """The IIM datasets of an APP13 payload as (record, number, value bytes), in order."""
    if not app13:
        return []
    iim = _iim_of(_split_resources(app13))
    return [(d.record, d.number, d.value) for d in _split_datasets(iim or b"")]


def filter_app13(app13: bytes | None, keep: Callable[[int, int], bool]) -> bytes | None:
    """An APP13 payload holding only the IIM datasets ``keep(record, number)`` accepts (bytes
    as they were), with a fresh digest; None when no record-2 dataset is left. Other image
    resources are not carried (they describe the original's pixels: thumbnails, paths, ...)."""
    found = [d for d in datasets(app13) if keep(d[0], d[1])]
    if not any(record == 2 and number != 0 for record, number, _ in found):
        return None
    iim = b"".join(_encode_dataset(_DataSet(r, n, v)) for r, n, v in found)
    digest = hashlib.md5(iim, usedforsecurity=False).digest()
    return (
        PHOTOSHOP_HEADER
        + _encode_resource(b"8BIM", RESOURCE_IPTC, b"\x00", iim)
        + _encode_resource(b"8BIM", RESOURCE_IPTC_DIGEST, b"\x00", digest)
    )
