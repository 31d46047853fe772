"""Thumbnails and previews of RAW files from the JPEGs the camera embedded in them.

A RAW holds up to three JPEGs (a ~160 px thumbnail, a ~1600 px preview, often a full-size one).
The grid takes the smallest that is at least as large as asked, the preview the same rule at its
own size (so the largest when none is large enough); the RAW's orientation is applied. Only the
head of the file (its directories) and the chosen JPEG are read. A RAW without a usable JPEG gets
a ``ThumbnailError`` whose reason the grid shows on its placeholder; RAW development (rawpy) is
not used.
"""

from __future__ import annotations

import contextlib
import os
from io import BytesIO
from pathlib import Path

from PIL import Image

from editor.core.errors import PhotoCaptionError, UnreadableFileError
from editor.core.formats import raw


class RawPreviewError(PhotoCaptionError):
    """No usable embedded image (the thumbnail module reports it as a ThumbnailError)."""


def is_raw_name(path: str | os.PathLike[str]) -> bool:
    """Cheap check by extension: whether thumbnails should look for embedded JPEGs."""
    return raw.kind_by_name(os.fspath(path)) is not None


def _read(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(length)


def _candidates(path: Path) -> tuple[str, bytes, list[raw.Preview]]:
    """The RAW's kind, the bytes its previews were found in and the previews."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            data = f.read(raw.RAW_HEAD_BYTES)
    except OSError as err:
        raise UnreadableFileError(f"{path.name}: {err.strerror or err}") from err
    kind = raw.identify(path, data)
    if kind is None:
        raise RawPreviewError(f"{path.name}: not a RAW file")
    found = raw.previews(kind, data, size)
    if not found and len(data) < size and kind not in ("CRW", "X3F", "MRW"):
        with open(path, "rb") as f:
            data = f.read()
        found = raw.previews(kind, data)
    return kind, data, found


def _sizes(path: Path, data: bytes, previews: list[raw.Preview]) -> list[tuple[int, raw.Preview]]:
    """(long edge, preview) of each embedded JPEG whose header parses, smallest first."""
    out: list[tuple[int, raw.Preview]] = []
    for p in previews:
        head = data[p.offset : p.offset + min(p.length, 65536)]
        if len(head) < min(p.length, 65536):
            head = _read(path, p.offset, min(p.length, 65536))
        if not head.startswith(b"\xff\xd8"):
            continue
        with contextlib.suppress(Exception), Image.open(BytesIO(head), formats=["JPEG"]) as im:
            out.append((max(im.size), p))
    return sorted(out, key=lambda t: t[0])


def embedded_image(path: str | os.PathLike[str], max_px: int) -> tuple[Image.Image, int, int]:
    """The embedded JPEG that best fits ``max_px``, decoded at about that size (not upright),
    the RAW's orientation and the JPEG's own long edge. Raises RawPreviewError with a reason
    when there is none."""
    p = Path(path)
    kind, data, previews = _candidates(p)
    sized = _sizes(p, data, previews)
    if not sized:
        raise RawPreviewError(f"{p.name}: this {kind} has no usable embedded preview")
    fitting = [entry for entry in sized if entry[0] >= max_px]
    order = fitting + [e for e in reversed(sized) if e not in fitting]
    last: Exception | None = None
    for edge, chosen in order:
        try:
            jpg = data[chosen.offset : chosen.offset + chosen.length]
            if len(jpg) < chosen.length:
                jpg = _read(p, chosen.offset, chosen.length)
            with Image.open(BytesIO(jpg), formats=["JPEG"]) as im:
                im.draft("RGB", (max_px, max_px))
                im.load()
                image = im.convert("RGB")
            image.thumbnail((max_px, max_px), Image.Resampling.BICUBIC)
            return image, raw.orientation(kind, data), edge
        except Exception as err:  # a damaged preview: try the next one
            last = err
    raise RawPreviewError(
        f"{p.name}: the {kind}'s embedded preview is damaged ({type(last).__name__})"
    )
