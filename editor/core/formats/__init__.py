"""Which file formats we know, how to recognise them, and which module handles each."""

from __future__ import annotations

import os
from pathlib import Path

from editor.core.formats import heif, jpeg
from editor.core.formats import tiff as tiff_file
from editor.core.formats.container import FormatModule
from editor.core.formats.riff import Png, WebP
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.core.safe_write import stamp_of

SUPPORTED_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".mpo", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}
)

MODULES: dict[str, FormatModule] = {  # type: ignore[dict-item]
    "JPEG": jpeg,
    "PNG": Png,
    "WEBP": WebP,
    "TIFF": tiff_file,
}

_READ_ONLY_REASONS = {
    "HEIF": heif.READ_ONLY_REASON,
}


def sniff(head: bytes) -> str | None:
    """The format by its magic bytes, or None."""
    if jpeg.is_jpeg(head):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"hevc",
        b"hevx",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
        b"avif",
    ):
        return "HEIF"
    return None


def read_only_reason(kind: str) -> str:
    return _READ_ONLY_REASONS.get(kind, f"{kind} files cannot be written")


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


def jpeg_has_end(data: bytes) -> bool:
    """True when a complete JPEG's image data is followed by an end-of-image marker."""
    try:
        sos = jpeg.parse_layout(data).sos_offset
    except Exception:
        return False
    # Nearly always within the last bytes; scan the whole image data only when it is not.
    tail_start = max(sos, len(data) - 65536)
    return data.find(b"\xff\xd9", tail_start) >= 0 or data.find(b"\xff\xd9", sos) >= 0
