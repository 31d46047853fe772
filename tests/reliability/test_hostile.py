"""Hostile input beyond tests/core/test_hostile_inputs.py: decompression bombs (pixels and
zlib), huge PNG text chunks, and the existing XMP/IFD bombs through thumbnails and export.

Memory is measured as the peak resident set size of a child process that does the work, so a
bomb cannot take the test runner down with it.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from editor.core.errors import PhotoCaptionError
from editor.core.export import ExportItem, ExportOptions, PhotoExported, PhotoFailed, export_photos
from editor.core.metadata import read_photo, write_photo
from editor.core.model import PhotoMetadata
from editor.core.thumbnails import ThumbnailError, decode_thumbnail, embedded_thumbnail
from tests.core.conftest import camera_jpeg
from tests.core.test_hostile_inputs import CASES, guarded
from tests.reliability.child import run_child

# The performance issue's memory budget for the whole app; one file must stay well inside it.
BUDGET_MB = 600
SMALL_MB = 200  # a small bomb file: what a child that reads, thumbnails and exports it may use


# --- builders --------------------------------------------------------------------------------


def sof_claiming(width: int, height: int) -> bytes:
    """A real camera-like JPEG (with an EXIF thumbnail) whose SOF claims ``width x height``."""
    data = camera_jpeg(size=(64, 48))
    pos = 2
    while pos < len(data):
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in (0xC0, 0xC1, 0xC2):
            return data[: pos + 5] + struct.pack(">HH", height, width) + data[pos + 9 :]
        pos += 2 + length
    raise AssertionError("no SOF")


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR (with a valid CRC) claims ``width x height`` RGBA pixels."""
    idat = zlib.compress(b"\x00" * 4096)
    return png_header(width, height) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def png_all_zero(width: int, height: int) -> bytes:
    """A genuine, fully decodable RGBA PNG of zeros: megapixels in a few hundred KB."""
    comp = zlib.compressobj(1)
    rows = b"\x00" * ((width * 4 + 1) * 200)
    parts = [comp.compress(rows) for _ in range(height // 200)]
    parts.append(comp.compress(b"\x00" * ((width * 4 + 1) * (height % 200))))
    parts.append(comp.flush())
    return png_header(width, height) + png_chunk(b"IDAT", b"".join(parts)) + png_chunk(
        b"IEND", b""
    )


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 100, 200)).save(out, "PNG")
    return out.getvalue()


def with_png_chunk(chunk: bytes) -> bytes:
    data = small_png()
    return data[:33] + chunk + data[33:]  # right after IHDR (8 + 25 bytes)


def zlib_of_zeros(mib: int) -> bytes:
    comp = zlib.compressobj(1)
    block = b"\x00" * (1 << 20)
    return b"".join([comp.compress(block) for _ in range(mib)] + [comp.flush()])


# --- the child that takes a file through every reader ----------------------------------------

_EVERY_READER = """
import shutil, tempfile
from pathlib import Path
from editor.core.errors import PhotoCaptionError
from editor.core.export import ExportItem, ExportOptions, PhotoExported, PhotoFailed, export_photos
from editor.core.metadata import read_photo, write_photo
from editor.core.model import PhotoMetadata
from editor.core.thumbnails import decode_thumbnail, embedded_thumbnail, load_preview

path = Path(sys.argv[1])
out = {}
def attempt(name, fn):
    try:
        out[name] = ["ok", fn()]
    except PhotoCaptionError as err:
        out[name] = ["refused", str(err)]
    except BaseException as err:
        out[name] = ["CRASH", f"{type(err).__name__}: {err}"]

def read():
    r = read_photo(path)
    return {"size": [r.width, r.height], "writable": r.writable, "warnings": list(r.warnings),
            "reason": r.read_only_reason}
attempt("read", read)
attempt("embedded", lambda: None if (im := embedded_thumbnail(path)) is None else list(im.size))
attempt("decode", lambda: list(decode_thumbnail(path, 256).size))
attempt("preview", lambda: list(load_preview(path, 2048).size))
def export():
    with tempfile.TemporaryDirectory() as tmp:
        events = list(export_photos([ExportItem(path, PhotoMetadata(caption="x"))],
                                    ExportOptions(Path(tmp) / "out", snippets=())))
        done = [e for e in events if isinstance(e, (PhotoExported, PhotoFailed))]
        return [type(e).__name__ + ": " + getattr(e, "reason", "") for e in done]
attempt("export", export)
if "--write" in sys.argv:
    copy = path.with_name("copy-" + path.name)
    shutil.copyfile(path, copy)
    def write():
        r = read_photo(copy)
        new = r.metadata.replace(caption="bomb")
        return write_photo(copy, new, expected=r.stamp).metadata.caption
    attempt("write", write)
_done(out)
"""


def every_reader(path: Path, *, write: bool = False) -> tuple[dict[str, list[object]], float]:
    args = [str(path), "--write"] if write else [str(path)]
    result, peak = run_child(_EVERY_READER, *args)
    crashes = {k: v for k, v in result.items() if v[0] == "CRASH"}
    assert not crashes, crashes
    return result, peak


# --- pixel bombs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("sof-50000x50000.jpg", lambda: sof_claiming(50_000, 50_000)),
        ("ihdr-50000x50000.png", lambda: png_claiming(50_000, 50_000)),
    ],
)
def test_pixel_bomb_is_read_but_never_decoded(tmp_path: Path, name: str, build: object) -> None:
    path = tmp_path / name
    path.write_bytes(build())  # type: ignore[operator]
    before = path.read_bytes()
    result, peak = every_reader(path, write=True)
    # The metadata reader never decodes pixels: it reports the claimed size.
    assert result["read"][0] == "ok" and result["read"][1]["size"] == [50_000, 50_000]
    # Decoding is refused with a one-line reason, for the grid, the preview and the export.
    for what in ("decode", "preview"):
        # in words since issue 15 (was Pillow's "... exceeds limit ...")
        assert result[what][0] == "refused" and "too large to decode" in str(result[what][1])
    assert result["export"][0] == "ok"
    assert result["export"][1][0].startswith("PhotoFailed: cannot read the image")
    # The camera's own thumbnail (JPEG only) is still shown: it is small.
    if name.endswith(".jpg"):
        assert result["embedded"][0] == "ok" and max(result["embedded"][1]) <= 16
    # Writing metadata never needs the pixels either: written, or refused with the file intact.
    assert result["write"][0] in ("ok", "refused")
    assert path.read_bytes() == before
    assert peak < SMALL_MB, f"peak RSS {peak:.0f} MB"


@pytest.fixture(scope="module")
def png_81mpx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """9,000 x 9,000 RGBA: 81 Mpx, under Pillow's limit (89.5 Mpx, so not even a warning), in
    300 KB. A panorama or a scan can be this large; so can a hostile file."""
    path = tmp_path_factory.mktemp("bomb") / "zeros-9000.png"
    path.write_bytes(png_all_zero(9_000, 9_000))
    return path


_DECODE_ONLY = """
from editor.core.errors import PhotoCaptionError
from editor.core.thumbnails import decode_thumbnail
try:
    outcome = list(decode_thumbnail(sys.argv[1], 256).size)
except PhotoCaptionError as err:
    outcome = str(err)
_done(outcome)
"""

_EXPORT_ONLY = """
import tempfile
from pathlib import Path
from editor.core.export import ExportItem, ExportOptions, export_photos
from editor.core.model import PhotoMetadata
with tempfile.TemporaryDirectory() as tmp:
    events = list(export_photos([ExportItem(Path(sys.argv[1]), PhotoMetadata())],
                                ExportOptions(Path(tmp) / "out", snippets=(), jobs=1)))
_done(type(events[1]).__name__)
"""


def test_thumbnail_of_an_81_megapixel_png_stays_within_budget(png_81mpx: Path) -> None:
    outcome, peak = run_child(_DECODE_ONLY, str(png_81mpx))
    assert outcome == [256, 256] or "too large" in str(outcome)
    assert peak < BUDGET_MB, f"peak RSS {peak:.0f} MB"


def test_export_of_an_81_megapixel_png_stays_within_budget(png_81mpx: Path) -> None:
    """Decoded in full (324 MB: PNG has no reduced decode), then shrunk band by band; it used
    to take a second full-size premultiplied copy (~710 MB peak)."""
    outcome, peak = run_child(_EXPORT_ONLY, str(png_81mpx))
    assert outcome == "PhotoExported"
    assert peak < BUDGET_MB, f"peak RSS {peak:.0f} MB"


def test_export_refuses_what_would_not_fit_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import editor.core.export.images as export_images

    monkeypatch.setattr(export_images, "MAX_FULL_DECODE_PIXELS", 1000)  # a 64 x 48 PNG: 3,072
    source = tmp_path / "big.png"
    source.write_bytes(small_png())
    events = list(export_photos([ExportItem(source, PhotoMetadata())],
                                ExportOptions(tmp_path / "out", snippets=(), jobs=1)))
    failed = [e for e in events if isinstance(e, PhotoFailed)]
    assert len(failed) == 1 and "too large to export" in failed[0].reason
    assert not any(isinstance(e, PhotoExported) for e in events)


# --- zlib bombs and huge text chunks in PNG --------------------------------------------------


def test_compressed_xmp_bomb_is_not_expanded(tmp_path: Path) -> None:
    """An iTXt XMP packet of 256 KB that inflates to 256 MiB: refused, never inflated."""
    path = tmp_path / "xmp-bomb.png"
    header = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00"  # keyword, compressed, method, lang, tr.
    path.write_bytes(with_png_chunk(png_chunk(b"iTXt", header + zlib_of_zeros(256))))
    before = path.read_bytes()
    result, peak = every_reader(path, write=True)
    read = result["read"]
    assert read[0] == "ok" and not read[1]["writable"]
    assert "XMP" in read[1]["reason"] and "MB" in read[1]["reason"]
    assert any("XMP" in w for w in read[1]["warnings"])
    assert result["write"][0] == "refused" and "XMP" in str(result["write"][1])
    assert path.read_bytes() == before
    assert peak < SMALL_MB, f"peak RSS {peak:.0f} MB"


@pytest.mark.parametrize("kind", ["ztxt-inflates-to-256mib", "ztxt-50mb", "text-50mb"])
def test_huge_png_text_chunks_are_kept_and_bounded(tmp_path: Path, kind: str) -> None:
    """Text chunks we do not own: a write keeps them byte for byte; readers stay bounded."""
    if kind == "ztxt-inflates-to-256mib":
        chunk = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib_of_zeros(256))
    elif kind == "ztxt-50mb":
        text = random.Random(5).randbytes(50 << 20)
        chunk = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(text, 0))
    else:
        chunk = png_chunk(b"tEXt", b"Comment\x00" + b"A" * (50 << 20))
    path = tmp_path / f"{kind}.png"
    path.write_bytes(with_png_chunk(chunk))
    result, peak = every_reader(path, write=True)
    assert result["read"][0] == "ok" and result["read"][1]["size"] == [64, 48]
    assert result["write"] == ["ok", "bomb"]
    copy = tmp_path / f"copy-{kind}.png"
    assert chunk in copy.read_bytes()  # kept byte for byte by the metadata write
    # Pillow refuses text it would have to inflate past 1 MB, so the thumbnail and the export
    # are refused with a reason (the metadata is still shown and written).
    for what in ("decode", "preview"):
        assert result[what][0] in ("ok", "refused")
    assert result["export"][0] == "ok"
    assert peak < BUDGET_MB, f"peak RSS {peak:.0f} MB"


# --- the existing hostile files, now through thumbnails and export ---------------------------


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the damaged EXIF
@pytest.mark.parametrize(
    "case",
    [
        "xmp-billion-laughs",
        "xmp-external-entity",
        "cyclic-ifd0-next",
        "cyclic-exif-pointer",
        "absurd-entry-count",
        "absurd-exif-pointer",
    ],
)
def test_hostile_metadata_through_thumbnails_and_export(tmp_path: Path, case: str) -> None:
    path = tmp_path / f"{case}.jpg"
    path.write_bytes(CASES[case]())
    before = path.read_bytes()
    try:
        thumb = guarded(lambda: embedded_thumbnail(path))
        assert thumb is None or max(thumb.size) <= 1024
    except PhotoCaptionError as err:
        assert str(err).strip() and "\n" not in str(err)
    try:
        decoded = guarded(lambda: decode_thumbnail(path, 128))
        assert max(decoded.size) <= 128
    except ThumbnailError as err:
        assert "\n" not in str(err)
    out = tmp_path / "out"
    events = guarded(
        lambda: list(
            export_photos(
                [ExportItem(path, PhotoMetadata(caption="hostile"))],
                ExportOptions(out, snippets=("html",), jobs=1),
            )
        )
    )
    done = [e for e in events if isinstance(e, (PhotoExported, PhotoFailed))]
    assert len(done) == 1
    if isinstance(done[0], PhotoExported):
        written = out / done[0].photo.outputs[0].name
        with Image.open(written) as im:
            im.load()  # a complete, decodable copy
        assert b"lol" not in written.read_bytes() and b"root:" not in written.read_bytes()
    assert path.read_bytes() == before  # export only reads


def test_hostile_metadata_write_then_read_is_stable(tmp_path: Path) -> None:
    """A cyclic IFD chain: a write either refuses or produces a file that reads back."""
    path = tmp_path / "cyclic.jpg"
    path.write_bytes(CASES["cyclic-exif-pointer"]())
    before = path.read_bytes()
    try:
        guarded(lambda: write_photo(path, PhotoMetadata(caption="after")))
    except PhotoCaptionError:
        assert path.read_bytes() == before
        return
    assert guarded(lambda: read_photo(path)).metadata.caption == "after"
