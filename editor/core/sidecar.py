"""XMP sidecars: where a photo's metadata goes when the photo itself is never written.

Proprietary RAW files (NEF, CR3, ...) and HEIC/HEIF/AVIF keep their captions in an XMP sidecar
beside them; DNG is written in place unless ``StorePolicy.dng_sidecar``. A sidecar is found as
``BASENAME.xmp`` (Lightroom, Photo Mechanic, Capture One, Bridge) or ``NAME.EXT.xmp``
(darktable, digiKam), in either case of the extension. An existing sidecar is written where it
is; a new one takes the name ``StorePolicy.sidecar_name`` chooses.

What a photo shows is its own metadata merged with the sidecar's, the sidecar winning where both
hold a field (with a warning naming the field). The sidecar's packet is merged by the XMP codec,
so develop settings (crs:*, darktable:*) and unknown namespaces stay byte for byte.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from editor.core.codecs import xmp
from editor.core.codecs.reconcile import same_value
from editor.core.errors import MetadataFormatError, UnreadableFileError
from editor.core.fields import FIELD_BY_NAME, FIELD_NAMES
from editor.core.model import FileStamp, PhotoMetadata, PhotoRecord
from editor.core.safe_write import read_only_reason


class SidecarName(StrEnum):
    """Which name a new sidecar takes."""

    BASENAME = "basename"  # IMG_0001.xmp
    FULLNAME = "fullname"  # IMG_0001.NEF.xmp


@dataclass(frozen=True)
class StorePolicy:
    """Where metadata goes for the formats that allow a choice (a CLI flag, a GUI setting)."""

    sidecar_name: SidecarName = SidecarName.BASENAME
    dng_sidecar: bool = False  # DNG: a sidecar instead of writing the DNG in place


DEFAULT_POLICY = StorePolicy()

# Formats written to a sidecar because they cannot be written in place (besides RAW).
SIDECAR_FORMATS = frozenset({"HEIF"})
STORE_FILE = "file"
STORE_SIDECAR = "sidecar"


def uses_sidecar(raw_kind: str | None, fmt: str | None, policy: StorePolicy) -> bool:
    """Whether a photo of this RAW kind (None: not a RAW) or format keeps its metadata in a
    sidecar."""
    if raw_kind is not None:
        return raw_kind != "DNG" or policy.dng_sidecar
    return fmt in SIDECAR_FORMATS


def _names(path: Path, which: SidecarName) -> list[Path]:
    base = path.with_suffix("")
    if which is SidecarName.BASENAME:
        stems = [Path(f"{base}.xmp"), Path(f"{base}.XMP")]
    else:
        stems = [Path(f"{path}.xmp"), Path(f"{path}.XMP")]
    return stems


def existing(path: Path, policy: StorePolicy = DEFAULT_POLICY) -> Path | None:
    """The photo's sidecar on disk, the chosen name first; None when it has none."""
    other = (
        SidecarName.FULLNAME
        if policy.sidecar_name is SidecarName.BASENAME
        else SidecarName.BASENAME
    )
    for candidate in (*_names(path, policy.sidecar_name), *_names(path, other)):
        if candidate != path and os.path.isfile(candidate):
            return candidate
    return None


def target(path: Path, policy: StorePolicy = DEFAULT_POLICY) -> Path:
    """Where a save writes: the existing sidecar, else a new one under the chosen name."""
    return existing(path, policy) or _names(path, policy.sidecar_name)[0]


def read_packet(sidecar: Path) -> bytes:
    try:
        with open(sidecar, "rb") as f:
            return f.read()
    except OSError as err:
        raise UnreadableFileError(
            f"its sidecar {sidecar.name} cannot be read ({err.strerror or err})"
        ) from err


def combined_stamp(stamp: FileStamp | None, packet: bytes | None) -> FileStamp | None:
    """The photo's stamp extended by its sidecar's bytes, so a save refuses when either changed
    since they were read."""
    if stamp is None:
        return None
    digest = hashlib.sha256(stamp.head_sha256.encode())
    digest.update(b"no sidecar" if packet is None else b"sidecar:" + packet)
    return dataclasses.replace(stamp, head_sha256=digest.hexdigest())


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def sidecar_values(packet: bytes) -> dict[str, Any]:
    """The fields a sidecar packet holds (the others absent). Raises MetadataFormatError."""
    parsed = xmp.parse_xmp(packet)
    values = {name: getattr(parsed, name, None) for name in FIELD_NAMES}
    return {name: value for name, value in values.items() if not _empty(value)}


def merge(
    own: PhotoMetadata, side: dict[str, Any], sidecar_name: str, kind: str
) -> tuple[PhotoMetadata, list[str]]:
    """``own`` (the photo's values) with every field the sidecar holds taken from it, and a
    warning for each field where both hold different values."""
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    for name, value in side.items():
        mine = getattr(own, name)
        if not _empty(mine) and not same_value(name, mine, value):
            label = FIELD_BY_NAME[name].label
            warnings.append(
                f"{label}: the sidecar {sidecar_name} and the {kind} differ; "
                "the sidecar's is used"
            )
        changes[name] = value
    return dataclasses.replace(own, **changes), warnings


@dataclass(frozen=True)
class SidecarRead:
    """A photo read with its sidecar: the record shown, and what a save needs."""

    record: PhotoRecord
    own: PhotoMetadata  # the photo's own values, before the sidecar
    path: Path  # the sidecar written by a save (it may not exist yet)
    packet: bytes | None  # the existing sidecar's bytes


def attach(own_record: PhotoRecord, policy: StorePolicy = DEFAULT_POLICY) -> SidecarRead:
    """``own_record`` (read from the photo itself) with its sidecar merged in, marked writable
    when the sidecar can be written."""
    photo = own_record.path
    found = existing(photo, policy)
    side_path = found or target(photo, policy)
    packet = read_packet(found) if found is not None else None
    warnings = list(own_record.warnings)
    metadata = own_record.metadata
    writable, reason = True, ""
    if packet is not None:
        try:
            values = sidecar_values(packet)
            metadata, differ = merge(metadata, values, side_path.name, own_record.format)
            warnings.extend(differ)
        except MetadataFormatError as err:
            warnings.append(f"the sidecar {side_path.name} is damaged ({err})")
            reason = f"its sidecar {side_path.name} is damaged; writing could lose it"
            writable = False
    if writable and found is not None and (why := read_only_reason(found)):
        writable, reason = False, f"its sidecar {found.name}: {why}"
    if writable and found is None and not os.access(photo.parent, os.W_OK | os.X_OK):
        writable, reason = False, "the folder is read-only, so no sidecar can be written there"
    record = dataclasses.replace(
        own_record,
        metadata=metadata,
        writable=writable,
        read_only_reason=reason,
        warnings=tuple(dict.fromkeys(warnings)),
        stamp=combined_stamp(own_record.stamp, packet),
        metadata_store=STORE_SIDECAR,
        sidecar=side_path,
    )
    return SidecarRead(record, own_record.metadata, side_path, packet)


def foreign_properties(packet: bytes | None) -> bytes | None:
    """The packet without any property a field of ours lives in: what a save must keep as it
    was (develop settings, history, unknown namespaces). None for no packet."""
    if packet is None:
        return None
    props = [prop for spec in FIELD_BY_NAME.values() for prop in spec.xmp]
    # A struct member's field owns its top-level struct (a StructStep, not a key: compare keys).
    ours = {prop.key for prop in props} | {
        (prop.path[0].ns_uri, prop.path[0].local_name) for prop in props if prop.path
    }
    gps = {(uri, local) for uri, local in xmp.properties(packet) if local.startswith("GPS")}
    kept = xmp.filter_properties(packet, lambda uri, local: (uri, local) not in ours | gps)
    return _without_unused_namespaces(kept)


_NS_DECL = re.compile(rb"""\s+xmlns:([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')""")


def _without_unused_namespaces(packet: bytes) -> bytes:
    """``packet`` without the namespace declarations no element or attribute uses: a save that
    adds a property in a namespace new to a Description declares it there, and once our
    properties are filtered out that declaration alone is no change to what must be kept."""
    for prefix in {m.group(1) for m in _NS_DECL.finditer(packet)}:
        own = re.compile(rb"\s+xmlns:" + re.escape(prefix) + rb"""\s*=\s*("[^"]*"|'[^']*')""")
        rest = own.sub(b"", packet)
        if not re.search(rb"[<\s/]" + re.escape(prefix) + rb":", rest):
            packet = rest
    return packet


_TRAILER = b'<?xpacket end="w"?>'


def standalone(packet: bytes) -> bytes:
    """A packet as a sidecar file holds it: without the padding that lets a packet inside a
    photo grow in place (a sidecar is rewritten whole)."""
    if packet.endswith(_TRAILER):
        return packet[: -len(_TRAILER)].rstrip(b" \n") + b"\n" + _TRAILER + b"\n"
    return packet
