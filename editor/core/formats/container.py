"""What every file format module provides: its metadata blocks out, new blocks in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class Keep:
    """Marker: leave this block exactly as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


@dataclass(frozen=True)
class Blocks:
    """The metadata blocks found in a file, plus what we need to know to write them back."""

    format: str  # "JPEG", "PNG", "WEBP", "TIFF"
    width: int = 0
    height: int = 0
    exif: bytes | None = None  # TIFF-structured block, without any "Exif\0\0" prefix
    xmp: bytes | None = None  # the packet
    app13: bytes | None = None  # Photoshop image resources (IPTC-IIM lives inside)
    iptc_writable: bool = True  # False when IIM is split or otherwise unsafe to rewrite
    writable: bool = True
    read_only_reason: str = ""
    notes: tuple[str, ...] = field(default=())


class FormatModule(Protocol):
    def extract(self, data: bytes) -> Blocks: ...

    def replace(
        self,
        data: bytes,
        *,
        exif: bytes | Keep | None = KEEP,
        xmp: bytes | Keep | None = KEEP,
        app13: bytes | Keep | None = KEEP,
    ) -> bytes: ...

    def image_data(self, data: bytes) -> bytes:
        """The bytes that must be identical before and after a metadata write."""
        ...
