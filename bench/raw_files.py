"""Generated TIFF-based RAW files (NEF-, CR2-, DNG-like) with real embedded JPEG previews.

Real RAWs are large and their makers' terms keep them out of a repository; these have the same
structure where PhotoCaption looks (IFD0 with Make/Model/Orientation, an Exif IFD, SubIFDs with a
JPEG preview and a "raw" strip, an IFD1 thumbnail, DNGVersion for DNG), so thumbnail, preview,
sidecar and benchmark code can be exercised on them. Used by the tests and bench/open_folder.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 1, 2, 3, 4, 5, 7
_SIZES = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1}

def jpeg_bytes(image: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def test_image(size: tuple[int, int], color: tuple[int, int, int] = (200, 60, 30)) -> Image.Image:
    """Left half ``color``, right half white: orientation can be told from the pixels."""
    image = Image.new("RGB", size, "white")
    image.paste(color, (0, 0, size[0] // 2, size[1]))
    return image


def build(
    *,
    make: str = "NIKON CORPORATION",
    model: str = "NIKON D850",
    orientation: int = 1,
    date: str = "2024:05:01 10:20:30",
    previews: Sequence[bytes] = (),
    thumbnail: bytes | None = None,
    raw_size: tuple[int, int] = (6048, 4032),
    raw_bytes: int = 4096,
    dng: bool = False,
    xmp: bytes | None = None,
    endian: str = "<",
) -> bytes:
    """A TIFF-based RAW: IFD0 (camera, orientation, XMP), an Exif IFD (date, exposure), one
    SubIFD per preview JPEG plus one with the raw strip, and IFD1 with ``thumbnail``."""
    e = endian
    raw_data = bytes(range(256)) * (raw_bytes // 256 + 1)
    raw_data = raw_data[:raw_bytes]
    # Each IFD: list of (tag, type, count, value); a value of bytes is stored as is (inline
    # when it fits), a ("blob", i) tuple is an offset to blob i, ("ifd", k) to IFD k.
    blobs: list[bytes] = []

    def blob(data: bytes) -> tuple[str, int]:
        blobs.append(data)
        return ("blob", len(blobs) - 1)

    def short(v: int) -> bytes:
        return struct.pack(e + "H", v)

    def long(v: int) -> bytes:
        return struct.pack(e + "I", v)

    def ascii_(s: str) -> bytes:
        return s.encode() + b"\x00"

    ifds: list[list[tuple[int, int, int, object]]] = []
    ifd0: list[tuple[int, int, int, object]] = [
        (254, LONG, 1, long(1)),
        (256, LONG, 1, long(160)),
        (257, LONG, 1, long(120)),
        (271, ASCII, len(ascii_(make)), ascii_(make)),
        (272, ASCII, len(ascii_(model)), ascii_(model)),
        (274, SHORT, 1, short(orientation)),
    ]
    if xmp is not None:
        ifd0.append((700, BYTE, len(xmp), xmp))
    if dng:
        ifd0.append((50706, BYTE, 4, bytes([1, 4, 0, 0])))
    ifds.append(ifd0)
    exif_ifd: list[tuple[int, int, int, object]] = [
        (33434, RATIONAL, 1, long(1) + long(250)),
        (33437, RATIONAL, 1, long(8) + long(1)),
        (34855, SHORT, 1, short(200)),
        (36867, ASCII, 20, ascii_(date)),
    ]
    ifds.append(exif_ifd)  # index 1
    sub_indexes = []
    for data in previews:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
        ref = blob(data)
        sub_indexes.append(len(ifds))
        ifds.append(
            [
                (254, LONG, 1, long(1)),
                (256, LONG, 1, long(w)),
                (257, LONG, 1, long(h)),
                (259, SHORT, 1, short(6)),
                (513, LONG, 1, ref),
                (514, LONG, 1, long(len(data))),
            ]
        )
    raw_ref = blob(raw_data)
    sub_indexes.append(len(ifds))
    ifds.append(
        [
            (254, LONG, 1, long(0)),
            (256, LONG, 1, long(raw_size[0])),
            (257, LONG, 1, long(raw_size[1])),
            (259, SHORT, 1, short(1)),
            (273, LONG, 1, raw_ref),
            (279, LONG, 1, long(len(raw_data))),
        ]
    )
    ifd0.append((330, LONG, len(sub_indexes), tuple(("ifd", k) for k in sub_indexes)))
    ifd0.append((34665, LONG, 1, ("ifd", 1)))
    ifd1_index = None
    if thumbnail is not None:
        ifd1_index = len(ifds)
        ifds.append(
            [
                (259, SHORT, 1, short(6)),
                (513, LONG, 1, blob(thumbnail)),
                (514, LONG, 1, long(len(thumbnail))),
            ]
        )
    for ifd in ifds:
        ifd.sort(key=lambda t: t[0])

    # Layout: header, IFDs (each followed by its out-of-line values), then blobs.
    def ifd_size(ifd: list[tuple[int, int, int, object]]) -> int:
        extra = 0
        for _tag, _typ, _count, value in ifd:
            if isinstance(value, bytes) and len(value) > 4:
                extra += len(value) + (len(value) & 1)
            elif isinstance(value, tuple) and value and isinstance(value[0], tuple):
                extra += 4 * len(value) if len(value) > 1 else 0
        return 2 + 12 * len(ifd) + 4 + extra

    offsets = []
    pos = 8
    for ifd in ifds:
        offsets.append(pos)
        pos += ifd_size(ifd)
    blob_offsets = []
    for data in blobs:
        blob_offsets.append(pos)
        pos += len(data) + (len(data) & 1)

    def resolve(ref: object) -> int:
        kind, index = ref  # type: ignore[misc]
        return offsets[index] if kind == "ifd" else blob_offsets[index]

    out = bytearray(b"II*\x00" if e == "<" else b"MM\x00*")
    out += long(8)
    for k, ifd in enumerate(ifds):
        assert len(out) == offsets[k]
        table = bytearray(short(len(ifd)))
        extra = bytearray()
        extra_at = offsets[k] + 2 + 12 * len(ifd) + 4
        for tag, typ, count, value in ifd:
            if isinstance(value, tuple) and value and isinstance(value[0], tuple):
                payload = b"".join(long(resolve(r)) for r in value)
            elif isinstance(value, tuple):
                payload = long(resolve(value))
            else:
                assert isinstance(value, bytes)
                payload = value
            if len(payload) > 4:
                field = long(extra_at + len(extra))
                extra += payload + b"\x00" * (len(payload) & 1)
            else:
                field = payload.ljust(4, b"\x00")
            table += short(tag) + short(typ) + long(count) + field
        nxt = offsets[ifd1_index] if (k == 0 and ifd1_index is not None) else 0
        out += table + long(nxt) + extra
    for data in blobs:
        out += data + b"\x00" * (len(data) & 1)
    return bytes(out)


def write_raw(
    path: Path,
    *,
    size: tuple[int, int] = (1200, 800),
    color: tuple[int, int, int] = (200, 60, 30),
    preview_sizes: Sequence[int] = (640, 1200),
    thumbnail_px: int | None = 160,
    image: Image.Image | None = None,
    **kwargs: object,
) -> Path:
    """A RAW-like file at ``path`` with a preview JPEG per long edge in ``preview_sizes`` and an
    IFD1 thumbnail; the photo is ``image``, else a ``size`` test image (landscape, as the sensor
    records it)."""
    full = image if image is not None else test_image(size, color)
    previews = []
    for px in preview_sizes:
        copy = full.copy()
        copy.thumbnail((px, px))
        previews.append(jpeg_bytes(copy))
    thumb = None
    if thumbnail_px:
        small = full.copy()
        small.thumbnail((thumbnail_px, thumbnail_px))
        thumb = jpeg_bytes(small)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build(previews=previews, thumbnail=thumb, **kwargs))  # type: ignore[arg-type]
    return path


def build_raw_pairs(count: int, folder: Path) -> list[Path]:
    """``count`` RAW+JPEG pairs in ``folder`` (IMG_0000.JPG + IMG_0000.NEF, ...): the JPEGs are
    the 24 MP camera-like set of ``bench.generate``; each RAW embeds that JPEG as its full-size
    preview plus a 1620 px preview and a 160 px thumbnail (as Nikon and Canon bodies do), the
    JPEG's orientation, and 1 MB standing in for the sensor data. Reused when present."""
    from bench.generate import build_set

    jpegs = build_set(count, folder)
    existing = sorted(folder.glob("IMG_*.NEF"))
    if len(existing) >= count:
        return sorted([*jpegs, *existing[:count]])
    cache: dict[bytes, tuple[bytes, bytes]] = {}
    raws = []
    for path in jpegs:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            orientation = int(im.getexif().get(0x0112, 1) or 1)
            key = data[-4096:]  # the image data's end: one per base image
            if key not in cache:
                im.draft("RGB", (1620, 1620))
                preview = im.convert("RGB")
                preview.thumbnail((1620, 1620))
                small = preview.copy()
                small.thumbnail((160, 160))
                cache[key] = (jpeg_bytes(preview, 85), jpeg_bytes(small, 80))
        preview_jpeg, thumb = cache[key]
        raw = path.with_suffix(".NEF")
        raw.write_bytes(
            build(previews=[preview_jpeg, data], thumbnail=thumb, orientation=orientation,
                  raw_bytes=1 << 20)
        )
        raws.append(raw)
    return sorted([*jpegs, *raws])
