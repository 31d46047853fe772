"""Small images for the grid and the preview: embedded thumbnails first, draft-mode decodes next."""

from __future__ import annotations

import contextlib
import os
import struct
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps

from editor.core import raw_preview
from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import PhotoCaptionError, UnreadableFileError
from editor.core.formats import jpeg

EMBEDDED_HEAD_BYTES = 128 * 1024
"""What a thumbnail reads of a JPEG: EXIF (APP1, at most 64 KiB) comes first, and MPF's index
follows; 128 KiB covers both in one read. Half of ``safe_write.HEAD_BYTES``, which must also cover
XMP and Photoshop segments (it stamps every metadata byte) and so reads more than thumbnails
need."""

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


def _read_head(path: Path, size: int = EMBEDDED_HEAD_BYTES) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as err:
        raise UnreadableFileError(f"{path.name}: {err.strerror or err}") from err


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


def _number(entry: tiff.Entry | None, endian: str) -> int | None:
    """An in-line SHORT or LONG value, or None."""
    if entry is None or entry.type not in (tiff.SHORT, tiff.LONG):
        return None
    code = "H" if entry.type == tiff.SHORT else "I"
    return int(struct.unpack_from(endian + code, entry.raw)[0])


def _exif_facts(block: bytes) -> tuple[int, bytes | None]:
    """The orientation and IFD1's thumbnail JPEG from an EXIF (TIFF-structured) block."""
    endian, offset = tiff.header(block)
    ifd0 = tiff.read_ifd(block, endian, offset)
    orientation = _number(ifd0.get(0x0112), endian) or 1
    thumb: bytes | None = None
    if ifd0.next_offset and ifd0.next_offset < len(block):
        ifd1 = tiff.read_ifd(block, endian, ifd0.next_offset)
        off = _number(ifd1.get(0x0201), endian)
        n = _number(ifd1.get(0x0202), endian)
        if off is not None and n is not None and 0 < n <= len(block) - off:
            thumb = block[off : off + n]
    return orientation, thumb


def _parse_head(layout: jpeg.JpegLayout) -> _Head:
    orientation = 1
    thumb_bytes: bytes | None = None
    mpf_preview: tuple[int, int] | None = None
    for seg in layout.segments:
        if seg.kind == "exif" and thumb_bytes is None:
            orientation, thumb_bytes = _exif_facts(seg.payload[len(jpeg.EXIF_HEADER) :])
        elif seg.marker == jpeg.APP2 and seg.payload.startswith(b"MPF\x00"):
            # The MPF offsets count from its TIFF header: after marker, length and "MPF\0".
            mpf_preview = _mpf_preview(seg.payload[4:], seg.start + 8)
    size = jpeg.frame_size(layout)
    return _Head(orientation, thumb_bytes, mpf_preview, size if size != (0, 0) else None)


def _head_info(path: Path) -> _Head | None:
    """What the head of ``path`` says about its embedded images; None for a file that is not a
    JPEG or whose head does not parse. Raises UnreadableFileError when it cannot be read."""
    head = _read_head(path)
    try:
        layout = jpeg.parse_layout(head, partial=True)
    except UnreadableFileError:  # not a JPEG
        return None
    if not layout.segments:
        return None
    try:
        return _parse_head(layout)
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
    if raw_preview.is_raw_name(path):
        return _raw_image(path, RAW_GRID_PX, quiet=True)
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
    endian, offset = tiff.header(data)
    entry = tiff.read_ifd(data, endian, offset).get(0xB002)
    if entry is None:
        return None
    index = entry.value_bytes(data, endian)
    for pos in range(0, len(index) - 15, 16):
        attr, size, img_off = struct.unpack_from(endian + "III", index, pos)
        kind = attr & 0xFFFFFF
        if kind in (0x010001, 0x010002) and img_off and 0 < size <= _MAX_EMBEDDED:
            return base + img_off, size
    return None


# A RAW's grid thumbnail on the fast path: its smallest embedded JPEG at least this large.
RAW_GRID_PX = 160


def _raw_image(path: Path, max_px: int, *, quiet: bool) -> Image.Image | None:
    """A RAW's embedded JPEG that fits ``max_px``, upright. ``quiet``: None when there is none
    (the fast path), else ThumbnailError with the reason."""
    try:
        image, orientation, _ = raw_preview.embedded_image(path, max_px)
    except raw_preview.RawPreviewError as err:
        if quiet:
            return None
        raise ThumbnailError(str(err)) from err
    except PhotoCaptionError:
        if quiet:
            return None
        raise
    return orient(image, orientation)


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
    if raw_preview.is_raw_name(path):
        image = _raw_image(path, max_px, quiet=False)
        assert image is not None
        return image
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
        reason = decode_error_in_words(err)
        raise ThumbnailError(f"{path.name}: cannot show the picture: {reason}") from err


def decode_error_in_words(err: BaseException) -> str:
    """What a decoder's exception means, for a photographer ("image file is truncated (31 bytes
    not processed)" is Pillow's wording, not theirs)."""
    text = str(err).casefold()
    if isinstance(err, MemoryError | Image.DecompressionBombError):
        return "the image is too large to decode safely (it claims too many pixels)"
    if "truncated" in text or "not processed" in text or "premature end" in text:
        return "the image data stops short (the file is truncated or was not fully copied)"
    if "cannot identify image file" in text:
        return "the file is not an image PhotoCaption can read, or is badly damaged"
    if "decoder" in text and "not available" in text:
        return "this kind of image cannot be decoded on this computer"
    if "broken data stream" in text or "corrupt" in text or "invalid" in text:
        return "the image data is damaged"
    return "the image data could not be decoded (the file may be damaged)"


def load_preview(path: str | os.PathLike[str], max_px: int) -> Image.Image:
    """The photo for the large preview: upright, about ``max_px`` on its long edge."""
    return decode_thumbnail(path, max_px)
