"""The JPEG codec settings of the export: optimized Huffman tables where they pay, and the
original decoded in large blocks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from editor.core.export.images import OPTIMIZE_UP_TO_PX, encode_capped
from editor.core.export.metadata import CopyMetadata
from editor.core.export.types import MetadataPreset


def _meta() -> CopyMetadata:
    return CopyMetadata(exif=None, xmp=b"", app13=None, removed=(), notes=(),
                        preset=MetadataPreset.CAPTION_AND_RIGHTS, keep_location=False)


def _scan_size(data: bytes) -> int:
    """The bytes from the start of the entropy-coded data to the end: what Huffman tables
    change (the metadata segments in front are the same either way)."""
    return len(data) - data.index(b"\xff\xda")


def _pillow(im: Image.Image, optimize: bool) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=82, optimize=optimize)
    return buf.getvalue()


def _noise(size: tuple[int, int]) -> Image.Image:
    return Image.merge("RGB", [Image.effect_noise(size, 40 + 10 * i) for i in range(3)])


def test_a_large_copy_skips_the_second_entropy_pass() -> None:
    im = _noise((1600, 1000))
    assert im.width * im.height > OPTIMIZE_UP_TO_PX
    data, quality = encode_capped(im, "jpeg", 82, _meta(), [], None)
    assert quality == 82
    assert _scan_size(data) == _scan_size(_pillow(im, False))
    assert _scan_size(data) != _scan_size(_pillow(im, True))


def test_a_small_copy_and_a_capped_one_get_optimized_tables() -> None:
    small = _noise((640, 400))
    data, _ = encode_capped(small, "jpeg", 82, _meta(), [], None)
    assert _scan_size(data) == _scan_size(_pillow(small, True)) < _scan_size(
        _pillow(small, False))
    large = _noise((1600, 1000))
    plain = len(_pillow(large, False))
    data, quality = encode_capped(large, "jpeg", 82, _meta(), [], plain // 1024 + 50)
    assert quality == 82  # fits at the asked quality, and with optimized tables
    assert _scan_size(data) == _scan_size(_pillow(large, True))


def test_jpeg_originals_are_decoded_in_large_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each block handed to libjpeg gives the GIL up and takes it back (the other export
    worker waits in between): the export's decode feeds it DECODE_BLOCK bytes at a time."""
    from PIL import Image as PILImage

    from editor.core.export import ExportOptions
    from editor.core.export.images import DECODE_BLOCK, PhotoJob, _decode
    from editor.core.model import PhotoMetadata

    source = tmp_path / "noise.jpg"
    _noise((2400, 1600)).save(source, quality=95)
    size = source.stat().st_size
    assert size > 4 * 65536
    calls: list[int] = []
    original = PILImage._getdecoder

    class Counting:
        def __init__(self, decoder: object) -> None:
            self._decoder = decoder

        def decode(self, data: bytes) -> object:
            calls.append(len(data))
            return self._decoder.decode(data)  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self._decoder, name)

    monkeypatch.setattr(PILImage, "_getdecoder", lambda *a, **k: Counting(original(*a, **k)))
    job = PhotoJob(0, source, PhotoMetadata(), "noise", "",
                   ExportOptions(out_dir=tmp_path, long_edge=800))
    im, _info, _orientation, _sizes = _decode(job)
    assert im.size == (900, 600)
    assert calls and len(calls) <= size // DECODE_BLOCK + 2
