"""Small images for the grid and the preview: embedded thumbnails first, draft-mode decodes next."""

from __future__ import annotations

import contextlib
import os
import struct
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps

from editor.core.errors import PhotoCaptionError, UnreadableFileError

HEAD_BYTES = 128 * 1024
"""EXIF (APP1) is at most 64 KiB and comes first; this covers it, and MPF's index, in one read."""

_MAX_EMBEDDED = 8 * 1024 * 1024

# Orientation (EXIF 1..8) -> the transpositions that make the pixels upright.
_TRANSPOSE: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


class ThumbnailError(PhotoCaptionError):
    """A thumbnail or preview could not be made from this file."""


def orient(image: Image.Image, orientation: int) -> Image.Image:
    """``image`` turned upright for an EXIF orientation value (1 and unknown values: unchanged)."""
    for step in _TRANSPOSE.get(orientation, ()):
        image = image.transpose(step)
    return image


def warm_up() -> Image.Image:
    """Decode a tiny JPEG, so Pillow's plugins and codecs are loaded before the first photo
    arrives (the first decode otherwise costs ~20 ms more, on the first screenful's clock)."""
    buffer = BytesIO()
    Image.new("RGB", (16, 16), "gray").save(buffer, "JPEG")
    image = _open_embedded(buffer.getvalue(), draft_px=8)
    image.thumbnail((4, 4), Image.Resampling.BICUBIC)
    return orient(image, 6)


def _read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as err:
        raise UnreadableFileError(f"{path.name}: {err.strerror or err}") from err


def _segments(head: bytes) -> list[tuple[int, int, int]]:
    """(marker, payload start, payload length) for each JPEG header segment found in ``head``."""
    out: list[tuple[int, int, int]] = []
    if head[:2] != b"\xff\xd8":
        return out
    pos = 2
    while pos + 4 <= len(head):
        if head[pos] != 0xFF:
            break
        marker = head[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD8 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        (length,) = struct.unpack(">H", head[pos + 2 : pos + 4])
        if length < 2:
            break
        out.append((marker, pos + 4, length - 2))
        if marker == 0xDA:  # start of scan: the header ends here
            break
        pos += 2 + length
    return out


class _Tiff:
    """Just enough TIFF reading for orientation, IFD1's thumbnail and MPF's index."""

    def __init__(self, data: bytes) -> None:
        if data[:2] == b"II":
            self.order = "<"
        elif data[:2] == b"MM":
            self.order = ">"
        else:
            raise ValueError("not TIFF")
        self.data = data

    def u16(self, pos: int) -> int:
        return int(struct.unpack_from(self.order + "H", self.data, pos)[0])

    def u32(self, pos: int) -> int:
        return int(struct.unpack_from(self.order + "I", self.data, pos)[0])

    def first_ifd(self) -> int:
        return self.u32(4)

    def entries(self, ifd: int) -> tuple[dict[int, tuple[int, int, int]], int]:
        """{tag: (type, count, value-or-offset field position)} and the next IFD's offset."""
        count = self.u16(ifd)
        tags: dict[int, tuple[int, int, int]] = {}
        for i in range(min(count, 512)):
            pos = ifd + 2 + 12 * i
            tag, typ = self.u16(pos), self.u16(pos + 2)
            tags[tag] = (typ, self.u32(pos + 4), pos + 8)
        nxt_pos = ifd + 2 + 12 * count
        nxt = self.u32(nxt_pos) if nxt_pos + 4 <= len(self.data) else 0
        return tags, nxt

    def scalar(self, entry: tuple[int, int, int]) -> int:
        typ, _count, pos = entry
        return self.u16(pos) if typ == 3 else self.u32(pos)


def _sof_size(head: bytes, segments: list[tuple[int, int, int]]) -> tuple[int, int] | None:
    for marker, start, length in segments:
        if marker in (0xC0, 0xC1, 0xC2) and length >= 5:
            height, width = struct.unpack(">HH", head[start + 1 : start + 5])
            return width, height
    return None


def _uncrop_letterbox(thumb: Image.Image, size: tuple[int, int] | None) -> Image.Image:
    """Cameras pad 3:2 photos into 4:3 thumbnails with black bars; cut the bars away."""
    if not size or not size[0] or not size[1]:
        return thumb
    want = size[0] / size[1]
    tw, th = thumb.size
    have = tw / th
    if abs(want - have) / want < 0.03:
        return thumb
    if want > have:  # bars top and bottom
        h = round(tw / want)
        top = (th - h) // 2
        return thumb.crop((0, top, tw, top + h))
    w = round(th * want)
    left = (tw - w) // 2
    return thumb.crop((left, 0, left + w, th))


def _open_embedded(data: bytes, draft_px: int = 0) -> Image.Image:
    image = Image.open(BytesIO(data), formats=["JPEG"])
    if draft_px:
        image.draft("RGB", (draft_px, draft_px))
    image.load()
    return image.convert("RGB")


@dataclass(frozen=True)
class _Head:
    """What the head of a JPEG says about its embedded images."""

    orientation: int = 1
    exif_thumbnail: bytes | None = None  # IFD1's JPEG
    mpf_preview: tuple[int, int] | None = None  # absolute offset and length of MPF's preview
    size: tuple[int, int] | None = None  # the main image's pixel size (SOF)


def _parse_head(head: bytes, segments: list[tuple[int, int, int]]) -> _Head:
    orientation = 1
    thumb_bytes: bytes | None = None
    mpf_preview: tuple[int, int] | None = None
    for marker, start, length in segments:
        payload = head[start : start + length]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00") and thumb_bytes is None:
            tiff = _Tiff(payload[6:])
            ifd0, nxt = tiff.entries(tiff.first_ifd())
            if 0x0112 in ifd0:
                orientation = tiff.scalar(ifd0[0x0112])
            if nxt and nxt < len(tiff.data):
                ifd1, _ = tiff.entries(nxt)
                if 0x0201 in ifd1 and 0x0202 in ifd1:
                    off, n = tiff.scalar(ifd1[0x0201]), tiff.scalar(ifd1[0x0202])
                    if 0 < n <= len(tiff.data) - off:
                        thumb_bytes = tiff.data[off : off + n]
        elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
            mpf_preview = _mpf_preview(payload[4:], start + 4)
    return _Head(orientation, thumb_bytes, mpf_preview, _sof_size(head, segments))


def _head_info(path: Path) -> _Head | None:
    """What the head of ``path`` says about its embedded images; None for a file that is not a
    JPEG or whose head does not parse. Raises UnreadableFileError when it cannot be read."""
    head = _read_head(path)
    segments = _segments(head)
    if not segments:
        return None
    try:
        return _parse_head(head, segments)
    except Exception:  # a damaged EXIF or MPF index: no embedded images to use
        return None


def _read_at(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(length)


def embedded_thumbnail(path: str | os.PathLike[str]) -> Image.Image | None:
    """The camera's own small JPEG (EXIF IFD1, else the MPF preview), upright; None if absent.

    Reads only the head of the file (plus the MPF preview's bytes when that is used), so it costs
    well under a millisecond for a typical camera JPEG.
    """
    path = Path(path)
    info = _head_info(path)
    if info is None:
        return None
    try:
        return _embedded_from_head(path, info)
    except PhotoCaptionError:
        raise
    except Exception:  # a damaged embedded thumbnail is simply not used
        return None


def _embedded_from_head(path: Path, info: _Head) -> Image.Image | None:
    image: Image.Image | None = None
    if info.exif_thumbnail:
        with contextlib.suppress(Exception):  # a broken IFD1 thumbnail: try the MPF preview
            image = _open_embedded(info.exif_thumbnail)
    if image is None and info.mpf_preview:
        image = _open_embedded(_read_at(path, *info.mpf_preview), draft_px=512)
    if image is None:
        return None
    image = _uncrop_letterbox(image, info.size)
    return orient(image, info.orientation)


def _preview_for(path: Path, max_px: int) -> Image.Image | None:
    """The camera's MPF preview (most cameras store a 1620-1920 px copy of the photo), decoded at
    about ``max_px`` and upright, when it is at least that large and has the photo's shape.

    Decoding it costs a few milliseconds, where a 24 MP photo costs ~90 ms even at 1/8 scale.
    None when there is no usable preview; the caller then decodes the photo itself.
    """
    info = _head_info(path)
    if info is None or info.mpf_preview is None or info.size is None:
        return None
    try:
        data = _read_at(path, *info.mpf_preview)
        with Image.open(BytesIO(data), formats=["JPEG"]) as preview:
            if max(preview.size) < max_px:
                return None
            want, have = info.size[0] / info.size[1], preview.size[0] / preview.size[1]
            if abs(want - have) / want > 0.03:  # letterboxed, or not this photo: do not use it
                return None
            preview.draft("RGB", (max_px, max_px))
            preview.load()
            image = preview.convert("RGB")
        image.thumbnail((max_px, max_px), Image.Resampling.BICUBIC)
        return orient(image, info.orientation)
    except Exception:  # a damaged or odd preview: decode the photo instead
        return None


def _mpf_preview(data: bytes, base: int) -> tuple[int, int] | None:
    """The (absolute offset, length) of an MPF large-thumbnail image, if the index names one."""
    tiff = _Tiff(data)
    tags, _ = tiff.entries(tiff.first_ifd())
    if 0xB002 not in tags:
        return None
    _typ, count, pos = tags[0xB002]
    offset = tiff.u32(pos)
    for i in range(count // 16):
        entry = offset + 16 * i
        attr, size, img_off = tiff.u32(entry), tiff.u32(entry + 4), tiff.u32(entry + 8)
        kind = attr & 0xFFFFFF
        if kind in (0x010001, 0x010002) and img_off and 0 < size <= _MAX_EMBEDDED:
            return base + img_off, size
    return None


# The largest image we decode in full for a thumbnail or preview (JPEG is draft-decoded first):
# 40 MP of RGBA is 160 MB, within the app's memory budget with room to spare.
MAX_FULL_DECODE_PIXELS = 40_000_000


def decode_thumbnail(path: str | os.PathLike[str], max_px: int) -> Image.Image:
    """The photo decoded at about ``max_px`` on its long edge, upright, RGB or RGBA.

    A camera JPEG's own MPF preview is used when it is large enough; other JPEGs are decoded in
    draft mode (the decoder scales by 1/2..1/8), so this is fast even for large files. Raises
    ThumbnailError (never a Pillow exception) when the file cannot be decoded.
    """
    path = Path(path)
    preview = _preview_for(path, max_px)
    if preview is not None:
        return preview
    try:
        with Image.open(path) as image:
            image.draft("RGB", (max_px, max_px))
            # Only JPEG decodes at a reduced scale; anything else is decoded in full first, so a
            # huge PNG or TIFF (a 300 KB file can claim 81 MP) would cost gigabytes to preview.
            width, height = image.size
            if width * height > MAX_FULL_DECODE_PIXELS:
                megapixels = width * height / 1e6
                raise ThumbnailError(
                    f"{path.name}: too large to preview ({megapixels:.0f} megapixels); "
                    "its metadata can still be edited"
                )
            image.load()
            # Shrink first, then turn upright: the rotation copies only the small image.
            image.thumbnail((max_px, max_px), Image.Resampling.BICUBIC)
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "RGBA"):
                has_alpha = "A" in upright.mode or "transparency" in upright.info
                upright = upright.convert("RGBA" if has_alpha else "RGB")
            return upright
    except FileNotFoundError as err:
        raise UnreadableFileError(f"{path.name}: file not found") from err
    except PhotoCaptionError:
        raise
    except Exception as err:  # Pillow raises many kinds; the user only needs one reason
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ThumbnailError(f"{path.name}: cannot decode image ({reason})") from err


def load_preview(path: str | os.PathLike[str], max_px: int) -> Image.Image:
    """The photo for the large preview: upright, about ``max_px`` on its long edge."""
    return decode_thumbnail(path, max_px)
