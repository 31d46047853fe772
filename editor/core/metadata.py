"""Read and write a photo's metadata: the entry points the CLI, the GUI and the export call.

API (being implemented):
    read_photo(path) -> PhotoRecord                       raises PhotoCaptionError
    write_photo(path, metadata, *, expected=None, keep_mtime=False, force_iptc=False) -> PhotoRecord
        writes only the fields that differ from what the file holds, atomically and verified;
        returns the record re-read from the new file; raises UnsafeWriteError (file untouched).
    is_supported_image(path) -> bool                      by extension, cheap; for folder walks
    SUPPORTED_EXTENSIONS
"""

from __future__ import annotations

import os
from pathlib import Path

from editor.core.errors import PhotoCaptionError
from editor.core.model import FileStamp, PhotoMetadata, PhotoRecord

SUPPORTED_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".mpo", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}
)


def is_supported_image(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in SUPPORTED_EXTENSIONS


def read_photo(path: str | os.PathLike[str]) -> PhotoRecord:
    raise PhotoCaptionError("not implemented yet")


def write_photo(
    path: str | os.PathLike[str],
    metadata: PhotoMetadata,
    *,
    expected: FileStamp | None = None,
    keep_mtime: bool = False,
    force_iptc: bool = False,
) -> PhotoRecord:
    raise PhotoCaptionError("not implemented yet")
