"""No residue: after a save, no replaced or cleared value of an edited field is left anywhere in
the file's bytes, in ASCII/UTF-8, UTF-16LE or UTF-16BE, in any store (EXIF, XMP, IIM, chunks).

Each value carries a distinctive token; the test first checks the tokens are in the file after
they are written (so the search can fail), then replaces or clears the fields and searches the
whole file for every token in every encoding.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import piexif
import pytest
from PIL import Image

from editor.core.metadata import read_photo, write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import EXIFTOOL, camera_jpeg, sample

TOKENS = ("555-0199", "Secret-Source", "Zoë-Øresund", "hush-4411", "leak-7733", "kwalpha9921")
OLD = {
    "caption": "Source: informant 555-0199, met at Zoë-Øresund café",
    "creator": ("Jane Secret-Source",),
    "title": "Title hush-4411",
    "copyright": "Copyright leak-7733",
    "keywords": ("kwalpha9921", "river"),
}
NEW = {
    "cleared": {"caption": "", "creator": (), "title": "", "copyright": "", "keywords": ()},
    "shorter": {
        "caption": "c",
        "creator": ("J",),
        "title": "t",
        "copyright": "x",
        "keywords": ("k",),
    },
    "longer": {
        "caption": "A replacement caption much longer than the old one. " * 12,
        "creator": ("Somebody Else With A Much Longer Name Than Before",),
        "title": "A title that is longer than the one it replaces, by far",
        "copyright": "Copyright held by a much longer named agency, all rights reserved",
        "keywords": ("one keyword", "another keyword", "yet another keyword"),
    },
}
# Latin-1 too: IIM without a UTF-8 marker holds legacy text.
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "latin-1")


def found(data: bytes) -> list[str]:
    """The tokens present in ``data``, with the encoding they were found in."""
    hits = []
    for token in TOKENS:
        for encoding in ENCODINGS:  # ASCII tokens: UTF-8 is ASCII
            if token.encode(encoding, "replace") in data:
                hits.append(f"{token} ({encoding})")
    return hits


def _exif_bytes() -> bytes:
    return piexif.dump(
        {
            "0th": {piexif.ImageIFD.Make: b"FakeCam", piexif.ImageIFD.Model: b"X1"},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2020:01:02 03:04:05"},
        }
    )


def _pillow(fmt: str, **kwargs: object) -> bytes:
    image = Image.new("RGB", (24, 16), (200, 30, 60))
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def _jpeg_with_iim(path: Path) -> None:
    if EXIFTOOL is None:
        pytest.skip("exiftool not on PATH")
    path.write_bytes(camera_jpeg())
    args = ["-IPTC:Caption-Abstract=placeholder", "-IPTC:By-line=placeholder"]
    subprocess.run(
        [EXIFTOOL, "-q", "-overwrite_original", *args, "-IPTC:CodedCharacterSet=UTF8", str(path)],
        check=True,
        timeout=60,
    )


def _copy_sample(name: str) -> Callable[[Path], None]:
    return lambda path: shutil.copy(sample(name), path)


MAKERS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "jpeg": (".jpg", lambda p: p.write_bytes(camera_jpeg())),
    "jpeg-iim": (".jpg", _jpeg_with_iim),
    "png": (".png", lambda p: p.write_bytes(_pillow("PNG", exif=_exif_bytes()))),
    "webp": (".webp", lambda p: p.write_bytes(_pillow("WEBP", exif=_exif_bytes()))),
    "tiff": (".tif", lambda p: p.write_bytes(_pillow("TIFF", description="camera text"))),
    "canon-sample": (".jpg", _copy_sample("exiftool-Canon1DmkIII.jpg")),
    "iim-sample": (".jpg", _copy_sample("exiv2-Reagan.jpg")),
    "iim-xmp-sample": (".jpg", _copy_sample("exiftool-ExifTool.jpg")),
    "gps-xmp-sample": (".jpg", _copy_sample("ianare-DSCN0010.jpg")),
    "png-sample": (".png", _copy_sample("pillow-exif.png")),
    "webp-sample": (".webp", _copy_sample("exiv2-exiv2-bug1199.webp")),
    "tiff-sample": (".tif", _copy_sample("exiv2-test.tiff")),
}


IIM_KINDS = frozenset({"jpeg-iim", "iim-sample", "iim-xmp-sample"})


def _write(path: Path, values: dict[str, object]) -> PhotoMetadata:
    md = dataclasses.replace(read_photo(path).metadata, **values)  # type: ignore[arg-type]
    write_photo(path, md)
    return read_photo(path).metadata


def _iim_caption(path: Path) -> str:
    assert EXIFTOOL is not None
    return subprocess.run(
        [EXIFTOOL, "-s3", "-IPTC:Caption-Abstract", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8", "replace")


@pytest.mark.parametrize("change", sorted(NEW))
@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_old_values_leave_no_trace(tmp_path: Path, kind: str, change: str) -> None:
    suffix, make = MAKERS[kind]
    path = tmp_path / f"photo{suffix}"
    make(path)
    assert found(path.read_bytes()) == []
    written = _write(path, OLD)
    assert written.caption == OLD["caption"]
    present = found(path.read_bytes())
    for token in TOKENS:  # every value was written, so each token can be searched for
        assert any(hit.startswith(token) for hit in present), token
    if kind in IIM_KINDS and EXIFTOOL is not None:
        assert "555-0199" in _iim_caption(path)  # the IIM store held the old value too
    after = _write(path, NEW[change])
    assert after.caption == NEW[change]["caption"].strip()
    assert after.creator == NEW[change]["creator"]
    assert found(path.read_bytes()) == []


@pytest.mark.parametrize("kind", ["jpeg", "tiff"])
def test_no_trace_after_many_saves(tmp_path: Path, kind: str) -> None:
    """Values written in earlier saves are gone too, not only the last one replaced."""
    suffix, make = MAKERS[kind]
    path = tmp_path / f"photo{suffix}"
    make(path)
    _write(path, OLD)
    for n in range(5):
        _write(path, {"caption": f"Caption number {n} " * (n + 1), "creator": (f"C{n}",)})
    _write(path, {"title": "", "copyright": "", "keywords": ()})
    assert found(path.read_bytes()) == []
