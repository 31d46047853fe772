"""Property tests: any Unicode text round-trips; any bytes give only PhotoCaptionError."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.codecs import exif, iptc, xmp
from editor.core.codecs import tiff_ifd as tiff
from editor.core.errors import PhotoCaptionError
from editor.core.formats import jpeg
from editor.core.metadata import normalize, read_photo, write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import camera_jpeg

BASE = camera_jpeg()
TEXT = st.text(max_size=80)  # surrogates are included on purpose: normalize drops them
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


_FOLDERS: list[Path] = []


@pytest.fixture(autouse=True, scope="module")
def _cleanup() -> Iterator[None]:
    yield
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def _fresh(data: bytes = BASE) -> Path:
    """A new file in its own folder for each hypothesis example."""
    folder = Path(tempfile.mkdtemp(prefix="pc-prop-"))
    _FOLDERS.append(folder)
    path = folder / "photo.jpg"
    path.write_bytes(data)
    return path


@SETTINGS
@given(
    title=TEXT, caption=TEXT, alt=TEXT, ext=TEXT, credit=TEXT, rights=TEXT, terms=TEXT,
    keywords=st.lists(TEXT, max_size=4), creator=st.lists(TEXT, max_size=3),
)  # fmt: skip
def test_any_text_round_trips(
    title: str, caption: str, alt: str, ext: str, credit: str, rights: str, terms: str,
    keywords: list[str], creator: list[str],
) -> None:  # fmt: skip
    path = _fresh()
    before = read_photo(path).metadata
    md = before.replace(
        title=title, caption=caption, alt_text=alt, extended_description=ext, credit=credit,
        copyright=rights, usage_terms=terms, keywords=tuple(keywords), creator=tuple(creator),
    )  # fmt: skip
    write_photo(path, md)
    got = read_photo(path).metadata
    want = normalize(md)
    for name in ("title", "caption", "alt_text", "extended_description", "credit", "copyright",
                 "usage_terms", "keywords", "creator"):  # fmt: skip
        assert getattr(got, name) == getattr(want, name), name
    assert got.date_taken == before.date_taken and got.gps == before.gps
    assert jpeg.image_data(path.read_bytes()) == jpeg.image_data(BASE)


def _only_engine_errors(fn: object, *args: object) -> None:
    with contextlib.suppress(PhotoCaptionError):
        fn(*args)  # type: ignore[operator]


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_parsers(data: bytes) -> None:
    _only_engine_errors(jpeg.parse_layout, data)
    _only_engine_errors(jpeg.parse_layout, b"\xff\xd8\xff" + data)
    _only_engine_errors(exif.read_exif, data)
    _only_engine_errors(exif.read_exif, b"II*\x00\x08\x00\x00\x00" + data)
    _only_engine_errors(exif.read_exif, b"MM\x00*\x00\x00\x00\x08" + data)
    _only_engine_errors(tiff.walk_ifds, b"II*\x00\x08\x00\x00\x00" + data)
    _only_engine_errors(tiff.read_ifd, b"II*\x00\x08\x00\x00\x00" + data, "<", 8)
    _only_engine_errors(tiff.read_ifd, data, ">", 8)
    _only_engine_errors(xmp.parse_xmp, data)
    _only_engine_errors(iptc.parse_app13, data)
    _only_engine_errors(iptc.parse_app13, b"Photoshop 3.0\x008BIM\x04\x04" + data)


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from([b"", b"\xff\xd8\xff", b"II*\x00", b"RIFF"]))
def test_arbitrary_bytes_as_file(data: bytes, magic: bytes) -> None:
    path = _fresh(magic + data)
    _only_engine_errors(read_photo, path)


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), max_size=6),
    st.one_of(st.none(), st.integers(2, len(BASE))),
)
def test_damaged_jpeg(flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(BASE)
    for pos, value in flips:
        data[pos] = value
    damaged = bytes(data[:cut] if cut is not None else data)
    path = _fresh(damaged)
    with contextlib.suppress(PhotoCaptionError):
        read_photo(path)
    try:
        write_photo(path, PhotoMetadata(caption="fuzz 평양", keywords=("a",)))
    except PhotoCaptionError:
        assert path.read_bytes() == damaged
        return
    assert read_photo(path).metadata.caption == "fuzz 평양"
