"""Turn one original into its web copies: draft decode, Lanczos, orientation, sRGB, encode."""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageFilter, UnidentifiedImageError, features

from editor.core import raw_preview
from editor.core.errors import PhotoCaptionError, UnreadableFileError, UnsafeWriteError
from editor.core.export.files import ExportCancelled, check_cancel, commit_files, refuse_existing
from editor.core.export.jsonld import disclosure_line
from editor.core.export.metadata import REMOVED_LABELS, CopyMetadata, copy_metadata, read_source
from editor.core.export.naming import inside, output_name
from editor.core.export.text import burn_in, describe_missing
from editor.core.export.types import FORMATS, ExportOptions, OutputFile, PhotoExport, Sharpen
from editor.core.formats import jpeg
from editor.core.model import PhotoMetadata
from editor.core.shrink import shrink

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Output sharpening for screen (after the downscale, which softens): Low is the former "mild".
SHARPEN: dict[Sharpen, ImageFilter.UnsharpMask] = {
    Sharpen.LOW: ImageFilter.UnsharpMask(radius=0.6, percent=50, threshold=2),
    Sharpen.STANDARD: ImageFilter.UnsharpMask(radius=0.8, percent=80, threshold=2),
    Sharpen.HIGH: ImageFilter.UnsharpMask(radius=1.0, percent=120, threshold=1),
}
MIN_CAP_QUALITY = 10  # a size cap never pushes the quality below this
RESAMPLE = Image.Resampling.BICUBIC
"""The final resize's filter. From libjpeg's scaled decode (3/8 or 1/2 of a camera JPEG) it is as
close to a Lanczos of the full decode as Lanczos itself is (48.5 dB PSNR against 48.1 on the
benchmark's photos; tests/core/test_export_quality.py), at 60 % of Lanczos's time."""
REDUCING_GAP = 3.0  # Pillow's integer reduce() first when the shrink is 6x or more (a PNG, a TIFF)
MAX_FULL_DECODE_PIXELS = 100_000_000  # a PNG/TIFF/WebP this large decodes to 400 MB
DECODE_BLOCK = 1 << 20
"""Bytes handed to libjpeg per call (Pillow's default: 64 KB, ~160 calls for a 10 MB photo).
Each call gives the GIL up and takes it back, and the other export worker's Python (metadata,
writing) held it in between: with 1 MiB the workers idled less, export / decode floor 1.43-1.46x
against 1.48-1.50x (2 x 3 interleaved rounds, 100 x 24 MP, same CPU time)."""
OPTIMIZE_UP_TO_PX = 1_000_000
"""JPEG copies up to this size get optimized Huffman tables (a second entropy pass). Above it the
pass costs 6 ms of a 1600 px copy's ~9 ms of encoding (5 % of the whole export of a 24 MP
photo) and saves only 1-3 % of the file (measured on camera photos); a thumbnail-sized copy
saves 5-50 % for under a millisecond. A size cap (``max_kb``) always gets them: every byte
counts there."""
_cms_lock = threading.Lock()
_LIBJPEG_TURBO = bool(features.check_feature("libjpeg_turbo"))


@dataclass(frozen=True)
class PhotoJob:
    """Immutable input of one worker call."""

    index: int
    source: Path
    metadata: PhotoMetadata
    base: str
    credit_line: str
    options: ExportOptions


@functools.cache
def srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.cache
def srgb_bytes() -> bytes:
    return bytes(srgb_profile().tobytes())


def plan_sizes(display: tuple[int, int], options: ExportOptions) -> list[tuple[int | None, tuple[
        int, int]]]:
    """(file-name width or None, output size) pairs, largest first; never larger than the photo."""
    w, h = display
    if options.sizes:
        widths = sorted({min(int(s), w) for s in options.sizes if s > 0}, reverse=True) or [w]
        return [(x, (x, max(1, round(h * x / w)))) for x in widths]
    if options.long_edge is None or max(w, h) <= options.long_edge:
        return [(None, (w, h))]
    scale = options.long_edge / max(w, h)
    return [(None, (max(1, round(w * scale)), max(1, round(h * scale))))]


def _normal_mode(im: Image.Image) -> Image.Image:
    if im.mode in ("RGB", "RGBA", "L", "CMYK"):
        return im
    if im.mode in ("P", "PA", "LA", "La", "RGBa") or "transparency" in im.info:
        return im.convert("RGBA")
    return im.convert("RGB")


def _colour_transform(icc: bytes | None, mode: str) -> tuple[ImageCms.ImageCmsTransform | None,
                                                             str]:
    """A transform from the embedded profile to sRGB (None if already sRGB or absent)."""
    out_mode = "RGBA" if mode == "RGBA" else "RGB"
    if not icc:
        return None, out_mode
    try:
        with _cms_lock:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            description = (ImageCms.getProfileDescription(src) or "").lower()
            if "srgb" in description and mode in ("RGB", "RGBA"):
                return None, out_mode
            transform = ImageCms.buildTransform(
                src, srgb_profile(), mode, out_mode,
                renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            )
    except (ImageCms.PyCMSError, OSError, ValueError) as err:
        raise _ProfileError(str(err)) from err
    return transform, out_mode


class _ProfileError(Exception):
    pass


def _three_eighths(im: Image.Image, size: tuple[int, int]) -> bool:
    """Ask libjpeg-turbo for a 3/8-scale decode of ``im`` if that covers ``size`` where Pillow's
    own draft would pick 1/2; True if it was set up.

    Pillow's ``draft`` offers 1/2, 1/4 and 1/8, but its decoder passes the scale on as libjpeg's
    ``scale_denom``, and libjpeg-turbo decodes 1/3 as 3/8 (its IDCT scales by any M/8): a 24 MP
    photo then comes out at 2250 px instead of 3000 px for the same decoding time, and the final
    resize has 44 % fewer pixels to read. Only with libjpeg-turbo (whose output size is
    ceil(size * 3 / 8)) and a single-tile JPEG that has not been drafted yet.
    """
    w, h = im.size
    tw, th = size
    if not (_LIBJPEG_TURBO and tw > 0 and th > 0) or not 2 <= min(w // tw, h // th) < 4:
        return False
    out = (-(-w * 3 // 8), -(-h * 3 // 8))
    if out[0] < tw or out[1] < th or len(im.tile) != 1 or im.decoderconfig:
        return False
    tile = im.tile[0]
    if tuple(tile.extents or ()) != (0, 0, w, h) or not hasattr(tile, "_replace"):
        return False
    im.tile = [tile._replace(extents=(0, 0, *out))]
    im._size = out
    im.decoderconfig = (3, 0)
    return True


def draft_jpeg(im: Image.Image, size: tuple[int, int]) -> None:
    """Set up the smallest libjpeg scaled decode of ``im`` that still covers ``size``."""
    if not _three_eighths(im, size):
        im.draft(None, size)


def _wanted_px(options: ExportOptions) -> int | None:
    """The long edge the largest copy asks for (None: the photo's own size)."""
    if options.sizes:
        return max(options.sizes)
    return options.long_edge


def _decode_raw(job: PhotoJob) -> tuple[Image.Image, dict[str, object], int, list[
        tuple[int | None, tuple[int, int]]], str]:
    """A RAW's copy comes from the camera's own rendering: the embedded JPEG that covers the
    export size, else its largest (RAW development is not included), with a note saying so."""
    wanted = _wanted_px(job.options)
    try:
        im, orientation, native = raw_preview.embedded_image(job.source, wanted or 1 << 30)
    except raw_preview.RawPreviewError as err:
        raise UnreadableFileError(
            f"cannot export this RAW: {str(err).split(': ', 1)[-1]}"
        ) from err
    swapped = orientation in (5, 6, 7, 8)
    w, h = im.size
    sizes = plan_sizes((h, w) if swapped else (w, h), job.options)
    note = f"made from the camera's embedded {native} px preview"
    if wanted and native < wanted:
        note += f" (smaller than the {wanted} px asked)"
    return im, {}, orientation, sizes, note


def _decode(job: PhotoJob) -> tuple[Image.Image, dict[str, object], int, list[
        tuple[int | None, tuple[int, int]]]]:
    try:
        with Image.open(job.source) as im:
            info = dict(im.info)
            orientation = int(im.getexif().get(0x0112, 1) or 1)
            if orientation not in range(1, 9):
                orientation = 1
            swapped = orientation in (5, 6, 7, 8)
            w, h = im.size
            sizes = plan_sizes((h, w) if swapped else (w, h), job.options)
            tw, th = sizes[0][1]
            if im.format not in ("JPEG", "MPO") and w * h > MAX_FULL_DECODE_PIXELS:
                # Only JPEG decodes at a reduced scale; anything else is decoded in full, 4 bytes
                # a pixel, and a 300 KB PNG can claim 170 megapixels.
                raise UnreadableFileError(
                    f"too large to export ({w * h / 1e6:.0f} megapixels; "
                    f"{MAX_FULL_DECODE_PIXELS // 1_000_000} is the most for {im.format} files)"
                )
            if im.format in ("JPEG", "MPO"):
                # Let libjpeg decode at a reduced scale when that still covers the target.
                # MPO too: camera JPEGs with an MPF preview (most Nikon, Fujifilm, Canon, Sony
                # files) open as MPO, and a full decode + resize costs them twice the time.
                draft_jpeg(im, (th, tw) if swapped else (tw, th))
                im.decodermaxblock = DECODE_BLOCK
            im.load()
            im = _normal_mode(im.copy() if im.mode == "P" else im)
            im.load()
            return im, info, orientation, sizes
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise UnreadableFileError(f"cannot read the image ({err})") from err


def resize_for_output(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The decoded image (from ``_decode``) at an output size: the export's one resize."""
    return shrink(im, size, RESAMPLE, reducing_gap=REDUCING_GAP)


def _encode(im: Image.Image, fmt: str, quality: int, meta: CopyMetadata,
            warnings: list[str], capped: bool = False) -> bytes:
    """The encoded copy, carrying ``meta``'s blocks (EXIF compacted for this size)."""
    buf = io.BytesIO()
    exif, notes = meta.exif_for(im.size, orientation_tag=fmt != "avif")
    warnings.extend(notes)
    if fmt == "jpeg":
        if im.mode == "RGBA":
            flat = Image.new("RGB", im.size, (255, 255, 255))
            flat.paste(im, mask=im.getchannel("A"))
            im = flat
        optimize = capped or im.width * im.height <= OPTIMIZE_UP_TO_PX
        im.save(buf, "JPEG", quality=quality, optimize=optimize, icc_profile=srgb_bytes())
        return jpeg.replace(buf.getvalue(), exif=exif, xmp=meta.xmp, app13=meta.app13)
    common: dict[str, object] = {"quality": quality, "icc_profile": srgb_bytes(),
                                 "exif": jpeg.EXIF_HEADER + exif, "xmp": meta.xmp}
    if fmt == "webp":
        im.save(buf, "WEBP", method=4, **common)
    elif fmt == "avif":
        im.save(buf, "AVIF", speed=7, **common)
    else:
        raise PhotoCaptionError(f"unknown output format {fmt!r}")
    return buf.getvalue()


def encode_capped(im: Image.Image, fmt: str, quality: int, meta: CopyMetadata,
                  warnings: list[str], max_kb: int | None,
                  cancel: threading.Event | None = None) -> tuple[bytes, int]:
    """The copy at ``quality``, or, when that file is over ``max_kb`` KB (metadata included),
    at the highest quality that fits (binary search, ~7 encodes); (data, quality used). When
    even quality MIN_CAP_QUALITY is too large, that smallest file is kept, with a warning."""
    data = _encode(im, fmt, quality, meta, warnings, capped=max_kb is not None)
    if max_kb is None or len(data) <= max_kb * 1024:
        return data, quality
    limit = max_kb * 1024
    lo, hi = MIN_CAP_QUALITY, quality - 1
    best: tuple[bytes, int] | None = None
    smallest: tuple[bytes, int] = (data, quality)
    while lo <= hi:
        check_cancel(cancel)
        mid = (lo + hi) // 2
        attempt = _encode(im, fmt, mid, meta, [], capped=True)
        if len(attempt) <= limit:
            best, lo = (attempt, mid), mid + 1
        else:
            if len(attempt) < len(smallest[0]):
                smallest = (attempt, mid)
            hi = mid - 1
    if best is not None:
        return best
    warnings.append(f"{fmt.upper()} {im.width}×{im.height} stays over {max_kb} KB even at "
                    f"quality {smallest[1]} ({len(smallest[0]) // 1024} KB)")
    return smallest


def export_one(job: PhotoJob, cancel: threading.Event) -> PhotoExport:
    """Render, encode and atomically write every output of one photo (all or none of them)."""
    opts = job.options
    check_cancel(cancel)
    warnings: list[str] = []
    if raw_preview.is_raw_name(job.source):
        im, info, orientation, sizes, note = _decode_raw(job)
        warnings.append(note)
    else:
        im, info, orientation, sizes = _decode(job)
    if not opts.overwrite:  # fail before the work, not after it
        refuse_existing([inside(opts.out_dir, output_name(job.base, FORMATS[f], label))
                         for label, _ in sizes for f in opts.formats])
    check_cancel(cancel)
    icc = info.get("icc_profile")
    try:
        transform, out_mode = _colour_transform(icc if isinstance(icc, bytes) else None, im.mode)
    except _ProfileError as err:
        warnings.append(f"embedded colour profile unusable, colours not converted ({err})")
        transform, out_mode = None, "RGBA" if im.mode == "RGBA" else "RGB"
    meta = copy_metadata(read_source(job.source), job.metadata, opts.metadata,
                         opts.keep_location, keep_place_names=opts.keep_place_names,
                         keep_persons=opts.keep_persons)
    warnings.extend(meta.notes)
    removed = tuple(REMOVED_LABELS[k] for k in meta.removed)
    swapped = orientation in (5, 6, 7, 8)
    files: list[tuple[Path, bytes]] = []
    outputs: list[OutputFile] = []
    for label, (w, h) in sizes:
        stored = (h, w) if swapped else (w, h)
        frame = resize_for_output(im, stored)
        if orientation in _TRANSPOSE:
            frame = frame.transpose(_TRANSPOSE[orientation])
        if transform is not None:
            frame = ImageCms.applyTransform(frame, transform)  # type: ignore[assignment]
        elif frame.mode != out_mode:
            frame = frame.convert(out_mode)
        if opts.sharpen in SHARPEN and frame.size != im.size:
            frame = frame.filter(SHARPEN[opts.sharpen])
        if opts.burn.enabled:
            frame, missing = burn_in(frame, opts.burn, job.metadata.caption, job.credit_line)
            if missing:
                warnings.append(describe_missing(missing))
        for fmt in opts.formats:
            check_cancel(cancel)
            data, _used = encode_capped(frame, fmt, opts.quality, meta, warnings, opts.max_kb,
                                        cancel)
            name = output_name(job.base, FORMATS[fmt], label)
            files.append((inside(opts.out_dir, name), data))
            outputs.append(OutputFile(name, fmt, frame.width, frame.height, len(data)))
    # The folder is fsynced once for the whole export (export_photos), not once per photo.
    commit_files(files, overwrite=opts.overwrite, cancel=cancel, sync_dir=False)
    return PhotoExport(
        index=job.index, source=job.source, base=job.base, metadata=job.metadata,
        credit_line=job.credit_line, outputs=tuple(outputs), removed=removed,
        warnings=tuple(dict.fromkeys(warnings)),
        disclosure=disclosure_line(job.metadata, opts.ai_disclosure),
    )


__all__ = ["SHARPEN", "ExportCancelled", "PhotoJob", "UnsafeWriteError", "draft_jpeg",
           "encode_capped", "export_one", "plan_sizes", "resize_for_output"]
