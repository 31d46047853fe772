"""The registry of file formats: each module declares a ``FormatSpec`` and is listed here once.

``read_photo``/``write_photo`` find a file's spec by its magic bytes and ask it what the format
holds and allows; the folder walk takes ``SUPPORTED_EXTENSIONS`` from the same list.
"""

from __future__ import annotations

import os
from pathlib import Path

from editor.core.formats import heif, jpeg, png, raw, tiff, webp
from editor.core.formats.container import FormatSpec
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.core.safe_write import stamp_of

# RAW comes before TIFF (a RAW's magic is checked first); TIFF-based RAWs are told apart from
# TIFF by name and content in ``raw.identify``, which read_photo/write_photo ask first.
REGISTRY: tuple[FormatSpec, ...] = (
    jpeg.SPEC, png.SPEC, webp.SPEC, raw.SPEC, tiff.SPEC, heif.SPEC
)

SUPPORTED_EXTENSIONS = frozenset(ext for spec in REGISTRY for ext in spec.extensions)

BY_NAME: dict[str, FormatSpec] = {spec.name: spec for spec in REGISTRY}

# The formats a save can write, by name (a spec is a FormatModule).
MODULES: dict[str, FormatSpec] = {spec.name: spec for spec in REGISTRY if spec.writable}


def spec_for(head: bytes) -> FormatSpec | None:
    """The format by its magic bytes, or None."""
    return next((spec for spec in REGISTRY if spec.sniff(head)), None)


def sniff(head: bytes) -> str | None:
    """The format's name by its magic bytes, or None."""
    spec = spec_for(head)
    return spec.name if spec else None


def is_supported_name(path: str | os.PathLike[str]) -> bool:
    """Cheap check by extension, for folder walks: ``Path.suffix`` without building a Path
    (thousands per walk)."""
    name = os.path.basename(os.fspath(path))
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in SUPPORTED_EXTENSIONS


def read_only_reason(kind: str) -> str:
    spec = BY_NAME.get(kind)
    return (
        spec.read_only_reason
        if spec and spec.read_only_reason
        else f"{kind} files cannot be written"
    )


def read_only_record(path: Path, kind: str, st: os.stat_result, head: bytes) -> PhotoRecord:
    """A record for a format we show but do not parse for metadata."""
    return PhotoRecord(
        path=path,
        metadata=PhotoMetadata(),
        format=kind,
        file_size=st.st_size,
        writable=False,
        read_only_reason=read_only_reason(kind),
        stamp=stamp_of(st, head),
    )
