"""HEIC/HEIF/AVIF: never written in place (a save writes an XMP sidecar, see ``core.sidecar``).
Metadata and pixels come through pillow-heif when it is installed."""

from __future__ import annotations

from pathlib import Path

from editor.core.formats.container import Blocks, FormatSpec

READ_ONLY_REASON = "HEIC/HEIF files are shown read-only; PhotoCaption cannot write them safely yet"


def available() -> bool:
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        return False
    return True


def register_opener() -> bool:
    """Let Pillow open HEIC files (for thumbnails and previews). False when unavailable."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in _BRANDS


def read_blocks(path: Path) -> Blocks | None:
    """The blocks through pillow-heif, or None when it is not installed."""
    if not available():
        return None
    return extract(path)


def extract(path: Path) -> Blocks:
    """The EXIF and XMP of a HEIF file, as read-only blocks."""
    import pillow_heif

    heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)
    exif = heif.info.get("exif") or None
    if exif is not None and exif.startswith(b"Exif\x00\x00"):
        exif = exif[6:]
    xmp = heif.info.get("xmp") or None
    width, height = heif.size
    return Blocks(
        "HEIF",
        width,
        height,
        exif=exif,
        xmp=xmp,
        iptc_writable=False,
        writable=False,
        read_only_reason=READ_ONLY_REASON,
    )


SPEC = FormatSpec(
    name="HEIF",
    extensions=frozenset({".heic", ".heif", ".avif"}),
    sniff=is_heif,
    stores=frozenset({"EXIF", "XMP"}),
    read_only_reason=READ_ONLY_REASON,
    read_path=read_blocks,
)
