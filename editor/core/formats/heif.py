"""HEIC/HEIF: read-only. Metadata and pixels come through pillow-heif when it is installed."""

from __future__ import annotations

from pathlib import Path

from editor.core.formats.container import Blocks

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
