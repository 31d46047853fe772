"""Read and write a photo's metadata: the entry points the CLI, the GUI and the export call.

``read_photo`` reads only the head of a JPEG (where its metadata lives). ``write_photo`` changes
only the fields that differ from the file, in every store that holds them, with minimal change,
and goes through ``safe_write.replace_file``: nothing is written unless the result verifies.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from editor.core import formats, sidecar
from editor.core.codecs import exif as exif_codec
from editor.core.codecs import iptc, xmp
from editor.core.codecs import tiff_ifd as tiff
from editor.core.codecs.reconcile import reconcile, same_value
from editor.core.errors import (
    FileChangedError,
    MetadataFormatError,
    PhotoCaptionError,
    UnreadableFileError,
    UnsafeWriteError,
    UnsupportedFormatError,
    VerifyError,
)
from editor.core.fields import FIELD_BY_NAME, FIELD_NAMES, FieldKind
from editor.core.formats import raw
from editor.core.formats import tiff as tiff_file
from editor.core.formats.container import KEEP, Blocks, FormatModule, FormatSpec, Keep
from editor.core.model import GPS, FileStamp, PhotoMetadata, PhotoRecord
from editor.core.safe_write import (
    HEAD_BYTES,
    check_unchanged,
    create_file,
    read_only_reason,
    replace_file,
    stamp_of,
)
from editor.core.sidecar import DEFAULT_POLICY, StorePolicy

SUPPORTED_EXTENSIONS = formats.SUPPORTED_EXTENSIONS
EXIF_FIELDS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.exif)
IPTC_FIELDS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.iim)


def is_supported_image(path: str | os.PathLike[str]) -> bool:
    """Cheap check by extension, for folder walks (the registry's extensions)."""
    return formats.is_supported_name(path)


# --- normalisation ---------------------------------------------------------------------------


def _clean(text: str, *, single_line: bool = False) -> str:
    text = xmp.clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    if single_line:
        text = " ".join(text.split())
    return text.strip()


def _normal_texts(md: PhotoMetadata) -> dict[str, Any]:
    """The text and list fields of ``md`` in stored form (never raises)."""
    changes: dict[str, Any] = {}
    for spec in FIELD_BY_NAME.values():
        value = getattr(md, spec.name)
        if spec.kind in (FieldKind.TEXT, FieldKind.MULTILINE):
            changes[spec.name] = _clean(str(value), single_line=spec.kind is FieldKind.TEXT)
        elif spec.kind is FieldKind.LIST:
            seen: list[str] = []
            for item in value:
                item = _clean(str(item), single_line=True)
                if item and item not in seen:
                    seen.append(item)
            changes[spec.name] = tuple(seen)
    return changes


def normalize(md: PhotoMetadata) -> PhotoMetadata:
    """The form in which values are stored, so that what is written is what reads back.

    Raises PhotoCaptionError for values no store can hold (latitude 100, rating 9).
    """
    changes = _normal_texts(md)
    for spec in FIELD_BY_NAME.values():
        value = getattr(md, spec.name)
        if value is None:
            continue
        if spec.kind is FieldKind.DATETIME:
            changes[spec.name] = value.replace(microsecond=0)
        elif spec.kind is FieldKind.GPS:
            lat, lon, alt = value.lat, value.lon, value.alt
            if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
                raise PhotoCaptionError(f"GPS position {lat}, {lon} is out of range")
            changes[spec.name] = GPS(
                round(lat, 7), round(lon, 7), None if alt is None else round(alt, 2)
            )
        elif spec.kind is FieldKind.RATING and not (0 <= int(value) <= 5):
            raise PhotoCaptionError(f"rating must be 0 to 5, not {value}")
    return dataclasses.replace(md, **changes)


# --- decoding --------------------------------------------------------------------------------


# The most a new Photoshop APP13 payload may take (one JPEG segment, with room to spare).
_NEW_IIM_MAX = 65000


class IimPolicy(Enum):
    """When a save writes IPTC-IIM (WordPress and many agencies' systems read only IIM and EXIF)."""

    ALWAYS = "always"  # into every file that can carry it, added where it has none
    WHEN_PRESENT = "when_present"  # kept in step where the file has it, never added


@dataclass
class Decoded:
    blocks: Blocks
    metadata: PhotoMetadata
    exif: exif_codec.ExifRead | None = None
    xmp_ok: bool = True
    iim_present: bool = False
    iim_ok: bool = True
    warnings: list[str] = field(default_factory=list)


def decode_blocks(blocks: Blocks) -> Decoded:
    stores: dict[str, dict[str, Any]] = {}
    decoded = Decoded(blocks, PhotoMetadata(), warnings=list(blocks.notes))
    if blocks.exif is not None:
        try:
            decoded.exif = exif_codec.read_exif(blocks.exif)
            stores["EXIF"] = decoded.exif.values
            decoded.warnings.extend(decoded.exif.warnings)
            if not decoded.exif.patchable:
                decoded.warnings.append("EXIF is damaged; only XMP and IPTC can be written")
        except MetadataFormatError as err:
            decoded.warnings.append(f"EXIF is damaged and was ignored ({err})")
    if blocks.xmp is not None:
        try:
            parsed = xmp.parse_xmp(blocks.xmp)
            stores["XMP"] = {name: getattr(parsed, name) for name in FIELD_NAMES}
        except MetadataFormatError as err:
            decoded.xmp_ok = False
            decoded.warnings.append(f"XMP is damaged ({err})")
    if blocks.app13 is not None:
        try:
            values = iptc.parse_app13(blocks.app13)
            iim = {name: getattr(values, name, None) for name in FIELD_NAMES}
            decoded.iim_present = any(
                getattr(values, f.name) is not None for f in dataclasses.fields(values)
            )
            if decoded.iim_present:
                stores["IPTC"] = iim
        except MetadataFormatError as err:
            decoded.iim_ok = False
            decoded.warnings.append(f"IPTC is damaged and was ignored ({err})")
    metadata, disagreements = reconcile(stores)
    decoded.metadata = metadata
    decoded.warnings.extend(disagreements)
    decoded.warnings.extend(iptc.iim_overflows(metadata) if decoded.iim_present else ())
    return decoded


def _read_file(path: Path, whole: bool) -> tuple[os.stat_result, bytes]:
    try:
        st = path.stat()
        if path.is_dir():
            raise UnreadableFileError("this is a folder, not a photo")
        if st.st_size == 0:
            raise UnreadableFileError("the file is empty")
        with open(path, "rb") as f:
            data = f.read() if whole else f.read(HEAD_BYTES)
    except FileNotFoundError as err:
        raise UnreadableFileError("the file does not exist (moved or deleted?)") from err
    except IsADirectoryError as err:
        raise UnreadableFileError("this is a folder, not a photo") from err
    except PermissionError as err:
        raise UnreadableFileError("no permission to read the file") from err
    except OSError as err:
        raise UnreadableFileError(f"the file cannot be read ({err.strerror or err})") from err
    return st, data


def _module_for(data: bytes, path: Path | None = None) -> FormatSpec:
    spec = formats.spec_for(data)
    if spec is None:
        if path is not None and path.suffix.lower() == ".xmp":
            raise UnsupportedFormatError(
                "this is an XMP sidecar; open the photo it belongs to (same name)"
            )
        raise UnsupportedFormatError("not a photo format PhotoCaption knows")
    return spec


def read_photo(
    path: str | os.PathLike[str], *, policy: StorePolicy = DEFAULT_POLICY
) -> PhotoRecord:
    """Read a photo's metadata and facts (with its XMP sidecar, for photos whose metadata is
    kept in one). Raises PhotoCaptionError with a one-line reason."""
    return _read_stored(Path(path), policy)[0]


def _read_stored(p: Path, policy: StorePolicy) -> tuple[PhotoRecord, sidecar.SidecarRead | None]:
    """The record, and the sidecar read when the photo's metadata is kept in one."""
    st, data = _read_file(p, whole=False)
    kind = raw.identify(p, data)
    if not sidecar.uses_sidecar(kind, formats.sniff(data), policy):
        record = _read_own(p, st, data)
        return (dataclasses.replace(record, format="DNG") if kind else record), None
    own = _read_raw(p, st, data, kind) if kind else _read_own(p, st, data)
    side = sidecar.attach(own, policy)
    return side.record, side


def _read_raw(p: Path, st: os.stat_result, head: bytes, kind: str) -> PhotoRecord:
    """A RAW's own metadata (never writable itself): its head first, the whole file when the
    metadata reaches beyond it."""
    data = head
    if len(data) < st.st_size:
        with open(p, "rb") as f:
            data = f.read(raw.RAW_HEAD_BYTES)
    for attempt in (0, 1):
        partial = len(data) < st.st_size
        try:
            decoded = decode_blocks(raw.read_blocks(kind, data, st.st_size))
            if not (partial and any("damaged" in w for w in decoded.warnings)):
                return _raw_size(_record(p, st, head, decoded), decoded)
        except MetadataFormatError:
            if not partial or attempt:
                raise UnreadableFileError(f"the {kind} file is damaged") from None
        except PhotoCaptionError:
            raise
        except Exception as err:  # a parser must never leak a raw exception
            raise UnreadableFileError(f"the {kind} file is damaged ({type(err).__name__})") from err
        _, data = _read_file(p, whole=True)
    return _raw_size(_record(p, st, head, decoded), decoded)


def _raw_size(record: PhotoRecord, decoded: Decoded) -> PhotoRecord:
    """A RAW whose directories give no image size (CR3, RW2): the EXIF pixel dimensions."""
    if record.width or decoded.exif is None:
        return record
    tags = decoded.exif.tags.get("Exif", {})
    width, height = tags.get(exif_codec.PIXEL_X), tags.get(exif_codec.PIXEL_Y)
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return dataclasses.replace(record, width=width, height=height)
    return record


def _read_own(p: Path, st: os.stat_result, data: bytes) -> PhotoRecord:
    """The metadata the photo itself holds, by its format."""
    spec = _module_for(data, p)
    if spec.read_path is not None:
        try:
            path_blocks = spec.read_path(p)
        except Exception as err:  # a library reports damage in many ways
            raise UnreadableFileError(f"the {spec.name} file cannot be read ({err})") from err
        if path_blocks is None:
            return formats.read_only_record(p, spec.name, st, data)
        return _record(p, st, data, decode_blocks(path_blocks))
    if not spec.metadata_at_head and len(data) < st.st_size:
        st, data = _read_file(p, whole=True)
    complete = len(data) >= st.st_size
    try:
        blocks = spec.extract(data)
    except UnreadableFileError:
        if complete:
            raise
        st, data = _read_file(p, whole=True)
        complete = True
        blocks = spec.extract(data)
    except PhotoCaptionError:
        raise
    except Exception as err:  # a format parser must never leak a raw exception
        raise UnreadableFileError(f"the file is damaged ({type(err).__name__})") from err
    if blocks.writable:
        blocks = _check_complete(spec, p, data, complete, blocks)
    decoded = decode_blocks(blocks)
    return _record(p, st, data, decoded)


def _check_complete(
    spec: FormatSpec, path: Path, data: bytes, complete: bool, blocks: Blocks
) -> Blocks:
    """A file the format judges incomplete (a JPEG without its end marker) is truncated: show it,
    never write it. ``data`` is the head only when not ``complete``."""
    if spec.tail_complete is not None and not complete:
        # The tail after the image data's start (an EXIF thumbnail has its own end marker).
        sos = spec.image_start(data) if spec.image_start else 0
        with open(path, "rb") as f:
            f.seek(max(sos, os.fstat(f.fileno()).st_size - 65536))
            if spec.tail_complete(f.read()):
                return blocks
    if not complete:
        _, data = _read_file(path, whole=True)
    if spec.is_complete(data):
        return blocks
    return dataclasses.replace(
        blocks, writable=False, read_only_reason="the image data is truncated (damaged file)"
    )


def _record(path: Path, st: os.stat_result, head: bytes, decoded: Decoded) -> PhotoRecord:
    blocks = decoded.blocks
    writable, reason = blocks.writable, blocks.read_only_reason
    if writable and not decoded.xmp_ok:
        writable, reason = False, "its XMP metadata is damaged; writing could lose it"
    if writable and (why := read_only_reason(path)):
        writable, reason = False, why
    camera = decoded.exif.camera if decoded.exif else exif_codec.CameraFacts()
    return PhotoRecord(
        path=path,
        metadata=decoded.metadata,
        camera=camera,
        format=blocks.format,
        width=blocks.width,
        height=blocks.height,
        orientation=decoded.exif.orientation if decoded.exif else 1,
        file_size=st.st_size,
        writable=writable,
        read_only_reason=reason,
        warnings=tuple(dict.fromkeys(decoded.warnings)),
        stamp=stamp_of(st, head),
        has_exif_thumbnail=bool(decoded.exif and decoded.exif.has_thumbnail),
    )


# --- writing ---------------------------------------------------------------------------------


def changed_fields(new: PhotoMetadata, old: PhotoMetadata) -> frozenset[str]:
    """The fields of ``new`` (normalised) that differ from the file's ``old`` values. ``old`` is
    compared in normalised form too, so a value the photographer did not edit (a caption with
    trailing spaces, say) is not rewritten, in any store, just because it is stored unnormalised.
    """
    old = dataclasses.replace(old, **_normal_texts(old))
    changed = set()
    for name in FIELD_NAMES:
        a, b = getattr(new, name), getattr(old, name)
        kind = FIELD_BY_NAME[name].kind
        if kind in (FieldKind.GPS, FieldKind.DATETIME):
            if not same_value(name, a, b) or (
                kind is FieldKind.DATETIME
                and a is not None
                and b is not None
                and (a.tzinfo is None) != (b.tzinfo is None)
            ):
                changed.add(name)
        elif a != b:
            changed.add(name)
    return frozenset(changed)


def _metadata_matches(expected: PhotoMetadata, actual: PhotoMetadata) -> list[str]:
    """The fields whose read-back differs from what was written; unedited values read back as
    they were stored, so they are compared in normalised form."""
    actual = dataclasses.replace(actual, **_normal_texts(actual))
    return [
        name
        for name in FIELD_NAMES
        if not same_value(name, getattr(expected, name), getattr(actual, name))
        or (
            FIELD_BY_NAME[name].kind not in (FieldKind.GPS, FieldKind.DATETIME)
            and getattr(expected, name) != getattr(actual, name)
        )
    ]


def _untouched_tags_equal(old: bytes, new: bytes, edited: dict[str, set[int]]) -> bool:
    """Every EXIF tag we did not edit has the same type, count and value bytes as before."""
    try:
        before, after = tiff.walk_ifds(old), tiff.walk_ifds(new)
        endian_old, _ = tiff.header(old)
        endian_new, _ = tiff.header(new)
    except MetadataFormatError:
        return False
    if endian_old != endian_new:
        return False
    pointers = {tiff.TAG_EXIF_IFD, tiff.TAG_GPS_IFD}
    for name, ifd in before.items():
        if name == "GPS" and name in edited:
            continue  # the position tags were replaced as a whole
        other = after.get(name)
        if other is None:
            if name == "GPS" and "GPS-removed" in edited:
                continue
            return False
        for entry in ifd.entries:
            if entry.tag in edited.get(name, set()) or entry.tag in pointers:
                continue
            twin = other.get(entry.tag)
            if twin is None or (twin.type, twin.count) != (entry.type, entry.count):
                return False
            try:
                if twin.value_bytes(new, endian_new) != entry.value_bytes(old, endian_old):
                    return False
            except MetadataFormatError:
                return False
    return True


def write_photo(
    path: str | os.PathLike[str],
    metadata: PhotoMetadata,
    *,
    expected: FileStamp | None = None,
    keep_mtime: bool = False,
    iim_policy: IimPolicy = IimPolicy.ALWAYS,
    policy: StorePolicy = DEFAULT_POLICY,
) -> PhotoRecord:
    """Store ``metadata`` in the photo at ``path`` and return the record read back from it.
    A RAW (and HEIC, and DNG when ``policy`` says so) gets it in its XMP sidecar instead.

    Only fields that differ from the file are written (IIM is added whole when ``iim_policy``
    is ALWAYS and the file can carry it but has none). ``expected`` is the stamp from when the
    photo was read: if the file changed since, the write is refused. Raises UnsafeWriteError (or
    another PhotoCaptionError) with a one-line reason; the file is then untouched.
    """
    p = Path(path)
    md = normalize(metadata)
    st, data = _read_file(p, whole=False)
    kind = raw.identify(p, data)
    if sidecar.uses_sidecar(kind, formats.sniff(data), policy):
        return _write_sidecar(p, md, expected, policy)
    if kind is not None and kind != "DNG":  # never reached; a RAW is never written
        raise UnsafeWriteError(raw.READ_ONLY_REASON)
    st, data = _read_file(p, whole=True)
    check_unchanged(expected, data, st)
    spec = _module_for(data)
    if not spec.writable:
        raise UnsafeWriteError(formats.read_only_reason(spec.name))
    try:
        blocks = spec.extract(data)
    except PhotoCaptionError as err:
        raise UnsafeWriteError(f"the file's structure is not safe to rewrite: {err}") from err
    if not spec.is_complete(data):
        raise UnsafeWriteError("the image data is truncated (damaged file); not writing to it")
    if not blocks.writable:
        raise UnsafeWriteError(blocks.read_only_reason)
    current = decode_blocks(blocks)
    if not current.xmp_ok:
        raise UnsafeWriteError("its XMP metadata is damaged; writing could lose it")
    changed = changed_fields(md, current.metadata)
    if not changed:
        return read_photo(p)

    new = build_blocks(
        blocks, current, md, changed, iim=spec.writes("IIM", current.iim_present),
        add_iim=iim_policy is IimPolicy.ALWAYS,
    )
    new_exif, new_xmp, new_app13, edited_tags = new.exif, new.xmp, new.app13, new.edited_tags
    notes = list(new.notes)
    if "IFD0" in edited_tags:  # tags the container itself rewrites (TIFF's XMP and IIM)
        edited_tags["IFD0"] |= spec.own_tags
    if spec.over_limit("XMP", new_xmp):
        raise UnsafeWriteError(
            f"the XMP metadata would exceed the {spec.limits['XMP'] >> 10} KB limit of a "
            f"{spec.name} file"
        )
    module = spec
    if spec.replace_head is not None:
        # Only the head changes: it is written, then the image data straight from the original's
        # bytes. The read-back compares every byte of that image data with the original's, so
        # verifying need only parse the new head.
        head, sos = spec.replace_head(data, exif=new_exif, xmp=new_xmp, app13=new_app13)

        def verify_head(written: bytes) -> None:
            # The head parses up to the start-of-scan segment, which begins the image data.
            new_head = written + data[sos : sos + 65536]
            _verify(module, data, new_head, md, blocks, new_exif, edited_tags, image_checked=True)

        replace_file(
            p, head, original=st, verify=verify_head, keep_mtime=keep_mtime, tail=(data, sos)
        )
    else:
        new_data = module.replace(data, exif=new_exif, xmp=new_xmp, app13=new_app13)

        def verify(written: bytes) -> None:
            _verify(module, data, written, md, blocks, new_exif, edited_tags)

        replace_file(p, new_data, original=st, verify=verify, keep_mtime=keep_mtime)
    record = read_photo(p)
    if notes:
        record = dataclasses.replace(
            record, warnings=tuple(dict.fromkeys([*record.warnings, *notes]))
        )
    return record


@dataclass(frozen=True)
class NewBlocks:
    """What a save writes (and an export starts from): new EXIF, XMP and APP13 payloads."""

    exif: bytes | Keep
    xmp: bytes
    app13: bytes | Keep | None
    edited_tags: dict[str, set[int]]  # per IFD, the EXIF tags the patch set or removed
    notes: tuple[str, ...]


def build_blocks(
    blocks: Blocks,
    current: Decoded,
    md: PhotoMetadata,
    changed: frozenset[str],
    *,
    iim: bool,
    add_iim: bool = True,
) -> NewBlocks:
    """``blocks`` with the ``changed`` fields of ``md`` stored in every store that holds them,
    with minimal change (EXIF patched by appending, XMP merged, IIM datasets replaced). IIM is
    written only when the container carries it (``iim``); where the file has none it is added
    when ``add_iim``, holding every IIM field of ``md`` (WordPress reads only IIM and EXIF)."""
    notes: list[str] = []
    new_exif, edited_tags = _new_exif(blocks, current, md, changed, notes)
    new_xmp = xmp.merge_xmp(blocks.xmp, md, changed, previous=current.metadata)
    new_app13: bytes | Keep | None = KEEP
    iptc_changed = changed & IPTC_FIELDS
    if iim and not current.iim_present and add_iim and current.iim_ok:
        # A new IIM record carries every IIM field, not only the edited ones.
        iptc_changed = frozenset(n for n in IPTC_FIELDS if getattr(md, n) not in (None, "", ()))
    if iptc_changed and iim:
        if not current.iim_ok or not blocks.iptc_writable:
            notes.append("IPTC was left alone (it is damaged or split)")
        elif current.iim_present or add_iim:
            built, iim_warnings = iptc.build_app13(blocks.app13, md, iptc_changed)
            if not current.iim_present and len(built) > _NEW_IIM_MAX:
                notes.append("IPTC-IIM was not added: it would not fit one 64 KB segment")
            else:
                new_app13 = built
                notes.extend(iim_warnings)
    return NewBlocks(new_exif, new_xmp, new_app13, edited_tags, tuple(notes))


def _new_exif(
    blocks: Blocks,
    current: Decoded,
    md: PhotoMetadata,
    changed: frozenset[str],
    notes: list[str],
) -> tuple[bytes | Keep, dict[str, set[int]]]:
    exif_changed = changed & EXIF_FIELDS
    if not exif_changed:
        return KEEP, {}
    base = blocks.exif
    if base is None:
        base = exif_codec.empty_block()
    elif current.exif is None or not current.exif.patchable:
        notes.append("EXIF is damaged, so it was left alone; the change is in XMP and IPTC")
        return KEEP, {}
    endian, _ = tiff.header(base)
    has_exif_ifd = tiff.sub_ifd_offset(
        tiff.read_ifd(base, endian, tiff.header(base)[1]), tiff.TAG_EXIF_IFD, endian
    )
    # A new Exif IFD is created as version 2.32, which has OffsetTimeOriginal.
    version = current.exif.exif_version if current.exif and has_exif_ifd else "0232"
    patch = exif_codec.build_patch(md, exif_changed, endian, version, current=current.exif)
    notes.extend(patch.notes)
    try:
        new_block = exif_codec.apply_patch(base, patch, blocks.width, blocks.height, blocks.format)
    except MetadataFormatError as err:
        notes.append(f"EXIF was left alone ({err}); the change is in XMP and IPTC")
        return KEEP, {}
    edited = {
        # 700 is TIFF's XMP packet, which the container rewrites in IFD0 itself.
        "IFD0": set(patch.ifd0.updates) | patch.ifd0.removals | {tiff_file.TAG_XMP},
        "Exif": set(patch.exif.updates) | patch.exif.removals,
    }
    if patch.gps:
        edited["GPS"] = set(patch.gps.updates) | patch.gps.removals
    if patch.remove_gps:
        edited["GPS-removed"] = set()
    return new_block, edited


def _verify(
    module: FormatModule,
    old_data: bytes,
    new_data: bytes,
    md: PhotoMetadata,
    old_blocks: Blocks,
    new_exif: bytes | Keep,
    edited_tags: dict[str, set[int]],
    image_checked: bool = False,
) -> None:
    """Check the new file (``new_data``; just its head when ``image_checked``, that is, when the
    image data was already compared with the original's byte for byte)."""
    try:
        same = image_checked or module.image_data(new_data) == module.image_data(old_data)
        if not same:
            raise VerifyError("the image data would have changed; nothing was written")
        blocks = module.extract(new_data)
    except VerifyError:
        raise
    except PhotoCaptionError as err:
        raise VerifyError(f"the new file did not parse back ({err})") from err
    decoded = decode_blocks(blocks)
    wrong = _metadata_matches(md, decoded.metadata)
    if wrong:
        raise VerifyError(f"{', '.join(wrong)} did not read back as written; nothing was written")
    if not isinstance(new_exif, Keep) and old_blocks.exif is not None:
        assert blocks.exif is not None
        if not _untouched_tags_equal(old_blocks.exif, blocks.exif, edited_tags):
            raise VerifyError("an EXIF tag that was not edited would have changed")
        try:
            exif_codec.piexif_load(old_blocks.exif)
        except Exception:
            return  # piexif could not read the original either; our own checks above suffice
        try:
            exif_codec.piexif_load(blocks.exif)
        except Exception as err:
            raise VerifyError("the new EXIF would not parse; nothing was written") from err


# --- sidecars --------------------------------------------------------------------------------


def _write_sidecar(
    p: Path, md: PhotoMetadata, expected: FileStamp | None, policy: StorePolicy
) -> PhotoRecord:
    """Store ``md`` in the XMP sidecar of ``p`` (the photo itself is only read): the existing
    sidecar merged (every property not edited kept as it was), or a new standalone packet; written
    through the same temp-verify-rename path as a photo."""
    record, side = _read_stored(p, policy)
    if side is None:  # the file was replaced by another kind meanwhile
        raise FileChangedError("the file was changed by another program since it was opened")
    if expected is not None and record.stamp != expected:
        raise FileChangedError(
            "the photo or its sidecar was changed by another program since it was opened"
        )
    if not record.writable:
        raise UnsafeWriteError(record.read_only_reason)
    changed = changed_fields(md, record.metadata)
    if not changed:
        return record
    notes: list[str] = []
    shown = md
    for name in sorted(changed):
        own_value = getattr(side.own, name)
        if getattr(md, name) in (None, "", ()) and own_value not in (None, "", ()):
            # A RAW is never written: a value it holds itself cannot be cleared.
            shown = dataclasses.replace(shown, **{name: own_value})
            notes.append(
                f"{FIELD_BY_NAME[name].label} is also in the {record.format} itself, which is "
                "never written, so it still shows"
            )
    try:
        packet = sidecar.standalone(
            xmp.merge_xmp(side.packet, md, changed, previous=record.metadata)
        )
        kept = sidecar.foreign_properties(side.packet)
    except MetadataFormatError as err:
        raise UnsafeWriteError(f"its sidecar {side.path.name} is damaged ({err})") from err

    def verify(written: bytes) -> None:
        try:
            values = sidecar.sidecar_values(written)
            after = sidecar.foreign_properties(written)
        except MetadataFormatError as err:
            raise VerifyError(f"the new sidecar did not parse back ({err})") from err
        merged, _ = sidecar.merge(side.own, values, side.path.name, record.format)
        wrong = _metadata_matches(shown, merged)
        if wrong:
            raise VerifyError(
                f"{', '.join(wrong)} did not read back as written; nothing was written"
            )
        if kept is not None and after != kept:
            raise VerifyError("a sidecar property that was not edited would have changed")

    if side.packet is None:
        create_file(side.path, packet, verify=verify)
    else:
        try:
            st = side.path.stat()
        except OSError as err:
            raise FileChangedError(f"its sidecar {side.path.name} was moved or deleted") from err
        if sidecar.read_packet(side.path) != side.packet:
            raise FileChangedError(f"its sidecar {side.path.name} was changed by another program")
        replace_file(side.path, packet, original=st, verify=verify)
    after_record = read_photo(p, policy=policy)
    if notes:
        after_record = dataclasses.replace(
            after_record, warnings=tuple(dict.fromkeys([*after_record.warnings, *notes]))
        )
    return after_record
