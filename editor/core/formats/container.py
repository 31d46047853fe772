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
    # IFD0 tags the container rewrites itself (TIFF: XMP, IPTC, Photoshop), not the EXIF patch.
    own_tags: frozenset[int] = frozenset()
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


# --- Photoshop image resources, as containers other than JPEG hold them -----------------------

IRB_IPTC = 0x0404


def irb_resources(block: bytes) -> list[tuple[int, int, int, bytes]]:
    """(resource id, start, end, data) of each 8BIM resource in ``block`` (no "Photoshop 3.0"
    header); stops at the first malformed one."""
    found: list[tuple[int, int, int, bytes]] = []
    pos = 0
    while pos + 12 <= len(block) and block[pos : pos + 4] == b"8BIM":
        rid = int.from_bytes(block[pos + 4 : pos + 6], "big")
        name_len = block[pos + 6]
        size_at = pos + 6 + 1 + name_len + ((1 + name_len) & 1)
        if size_at + 4 > len(block):
            break
        size = int.from_bytes(block[size_at : size_at + 4], "big")
        end = size_at + 4 + size
        if end > len(block):
            break
        found.append((rid, pos, min(end + (size & 1), len(block)), block[size_at + 4 : end]))
        pos = end + (size & 1)
    return found


def iim_resource(iim: bytes) -> bytes:
    """Bare IIM wrapped as the 8BIM 0x0404 resource the IIM codec reads."""
    return b"8BIM\x04\x04\x00\x00" + len(iim).to_bytes(4, "big") + iim + b"\x00" * (len(iim) & 1)


def iim_of(block: bytes) -> bytes | None:
    """The IIM held in a resource block (no header), or None."""
    return next((data for rid, _, _, data in irb_resources(block) if rid == IRB_IPTC), None)


def without_iim(block: bytes) -> bytes:
    """``block`` without its IIM resource (every other resource byte for byte)."""
    return b"".join(
        block[start:end] for rid, start, end, _ in irb_resources(block) if rid != IRB_IPTC
    )


IRB_IPTC_DIGEST = 0x0425


def with_resource(block: bytes, rid: int, data: bytes | None) -> bytes:
    """``block`` with resource ``rid``'s data replaced (its name kept), or removed for None;
    every other resource byte for byte. A missing resource is not added."""
    out: list[bytes] = []
    for found, start, end, old in irb_resources(block):
        if found != rid:
            out.append(block[start:end])
        elif data is not None:
            head_end = start + (end - start) - len(old) - (len(old) & 1) - 4
            head = block[start:head_end]
            out.append(head + len(data).to_bytes(4, "big") + data + b"\x00" * (len(data) & 1))
    return b"".join(out)


def has_resource(block: bytes, rid: int) -> bool:
    return any(found == rid for found, _, _, _ in irb_resources(block))
