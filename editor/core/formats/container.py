"""What every file format module provides: its metadata blocks out, new blocks in, and the
``FormatSpec`` that declares what the format is."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from editor.core.errors import UnsafeWriteError


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


def _cannot(reason: str) -> Callable[..., Any]:
    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise UnsafeWriteError(reason)

    return refuse


def _always_complete(_data: bytes) -> bool:
    return True


@dataclass(frozen=True)
class FormatSpec:
    """What a container is: each format module declares one, and the registry in
    ``formats/__init__`` lists them. ``read_photo``/``write_photo`` ask it, never the name.

    The functions are plain fields, so a spec is itself a ``FormatModule``.
    """

    name: str  # "JPEG", "PNG", ...: the record's format label
    extensions: frozenset[str]  # lower case, with the dot
    sniff: Callable[[bytes], bool]  # True when the head's magic bytes are this format's
    stores: frozenset[str]  # stores a save writes (created when absent): EXIF, XMP, IIM, ICC
    kept_in_step: frozenset[str] = frozenset()  # stores updated when present, never created
    limits: Mapping[str, int] = field(default_factory=dict)  # store -> largest block, bytes
    read_only_reason: str = ""  # non-empty: the format is shown, never written
    metadata_at_head: bool = False  # True: every metadata block precedes the image data
    extract: Callable[[bytes], Blocks] = field(default=_cannot("not readable from bytes"))
    replace: Callable[..., bytes] = field(default=_cannot("not writable"))
    image_data: Callable[[bytes], bytes] = field(default=_cannot("not writable"))
    # The new head and where the image data starts (metadata_at_head formats only).
    replace_head: Callable[..., tuple[bytes, int]] | None = None
    # Where the image data starts in the head (metadata_at_head formats only).
    image_start: Callable[[bytes], int] | None = None
    # Whole-file completeness (JPEG: an end-of-image marker after the image data).
    is_complete: Callable[[bytes], bool] = _always_complete
    # Quick completeness check on the last 64 KB: True is final, False means "check it all".
    tail_complete: Callable[[bytes], bool] | None = None
    # Formats read from the path by a library (HEIF): the blocks, or None when unavailable.
    read_path: Callable[[Path], Blocks | None] | None = None

    @property
    def writable(self) -> bool:
        return not self.read_only_reason

    def writes(self, store: str, present: bool) -> bool:
        """Whether a save writes ``store``: always for the format's own stores, and for the
        copies it keeps in step when the file holds one."""
        return store in self.stores or (present and store in self.kept_in_step)

    def over_limit(self, store: str, block: bytes | None) -> bool:
        limit = self.limits.get(store)
        return limit is not None and block is not None and len(block) > limit
