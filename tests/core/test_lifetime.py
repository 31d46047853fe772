"""A file stays saveable for its whole life: repeated saves reuse the space earlier saves used.

Each save of a changed caption rewrites IFD0's values; the tail a previous save appended is
reclaimed, so the EXIF block after save N is as large as after the save that last wrote values
of the same size. Nothing the camera wrote moves (maker note, thumbnail, image data).
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from editor.core import formats
from editor.core.codecs import tiff_ifd as tiff
from editor.core.metadata import read_photo, write_photo
from editor.core.model import GPS
from tests.core.conftest import EXIFTOOL, camera_jpeg, needs_exiftool, sample

LONG_A = ("Harbour at dawn, fishing boats returning " * 20)[:560]
LONG_B = ("Market square in the rain, umbrellas " * 20)[:560]
SHORT = "A much shorter caption, about a hundred characters long, to check sizes follow the value."


def _exif(path: Path) -> bytes:
    data = path.read_bytes()
    kind = formats.sniff(data[:16])
    assert kind is not None
    block = formats.MODULES[kind].extract(data).exif
    assert block is not None
    return block


def _maker_note(block: bytes) -> tuple[int, bytes]:
    endian, _ = tiff.header(block)
    note = tiff.walk_ifds(block)["Exif"].get(tiff.TAG_MAKER_NOTE)
    assert note is not None
    return note.offset(endian), note.value_bytes(block, endian)


def _thumbnail(block: bytes) -> bytes:
    endian, _ = tiff.header(block)
    ifd1 = tiff.walk_ifds(block)["IFD1"]
    start, length = ifd1.get(0x201), ifd1.get(0x202)
    assert start is not None and length is not None
    offset = start.offset(endian)
    return block[offset : offset + length.offset(endian)]


def _set(path: Path, **changes: Any) -> None:
    write_photo(path, dataclasses.replace(read_photo(path).metadata, **changes))


def _caption_saves(path: Path, captions: list[str], saves: int) -> dict[int, int]:
    """Save captions in turn; return the EXIF size after each save."""
    sizes = {}
    for n in range(1, saves + 1):
        _set(path, caption=captions[n % len(captions)])
        sizes[n] = len(_exif(path))
    assert read_photo(path).metadata.caption == captions[saves % len(captions)]
    return sizes


def test_generated_jpeg_200_saves_no_growth(tmp_path: Path) -> None:
    path = tmp_path / "camera.jpg"
    path.write_bytes(camera_jpeg())
    before = _exif(path)
    sizes = _caption_saves(path, [LONG_A, LONG_B], 200)
    assert set(sizes.values()) == {sizes[1]}, "the EXIF block grew between saves"
    after = _exif(path)
    assert _maker_note(after) == _maker_note(before)  # same offset, same bytes
    assert _thumbnail(after) == _thumbnail(before)


def test_sizes_follow_the_value_sizes(tmp_path: Path) -> None:
    """Alternating a long and a short caption: each save is as large as the first save that
    wrote a caption of that length, no more."""
    path = tmp_path / "camera.jpg"
    path.write_bytes(camera_jpeg())
    sizes = _caption_saves(path, [SHORT, LONG_A], 60)
    odd, even = {sizes[n] for n in sizes if n % 2}, {sizes[n] for n in sizes if not n % 2}
    assert odd == {sizes[1]} and even == {sizes[2]}
    # Caption text is stored twice (ASCII and UTF-16) plus alignment.
    assert 0 < sizes[1] - sizes[2] <= 3 * (len(LONG_A) - len(SHORT)) + 8


def test_mixed_edits_stay_bounded(tmp_path: Path) -> None:
    """Edits of IFD0, Exif and GPS fields in turn (GPS added and removed): after one cycle the
    size is the same at the end of every later cycle."""
    path = tmp_path / "camera.jpg"
    path.write_bytes(camera_jpeg())
    before = _exif(path)
    cycle: list[dict[str, Any]] = [
        {"caption": LONG_A},
        {"creator": ("Ann Author",)},
        {"date_taken": datetime(2020, 1, 2, 3, 4, 5)},
        {"gps": None},
        {"caption": LONG_B},
        {"gps": GPS(10.5, 20.25, 3.0)},
        {"title": "A title"},
        {"creator": ("Bob",)},
        {"date_taken": datetime(2021, 6, 7, 8, 9, 10)},
        {"title": ""},
        {"creator": ("Ann Author",)},
    ]
    sizes = []
    for _ in range(5):
        for changes in cycle:
            _set(path, **changes)
        sizes.append(len(_exif(path)))
    assert sizes == [sizes[0]] * 5
    assert _maker_note(_exif(path)) == _maker_note(before)


def test_a_file_at_the_segment_limit_can_be_saved_again(tmp_path: Path) -> None:
    """A caption that brings the EXIF segment near 64 KB can be replaced again and again."""
    path = tmp_path / "camera.jpg"
    path.write_bytes(camera_jpeg())
    room = 65533 - 8 - len(_exif(path)) - 200  # - APP1 prefix, IFD0 entries, alignment
    big = [("x" * (room // 3 - 20)) + "A", ("y" * (room // 3 - 20)) + "B"]
    sizes = _caption_saves(path, big, 30)
    assert sizes[1] > 40000 and set(sizes.values()) == {sizes[1]}


@needs_exiftool
def test_canon_sample_100_saves_only_caption_tags_differ(tmp_path: Path) -> None:
    path = tmp_path / "canon.jpg"
    shutil.copy(sample("exiftool-Canon1DmkIII.jpg"), path)
    before_block = _exif(path)
    before = _exiftool_tags(path)
    sizes = _caption_saves(path, [LONG_A, LONG_B], 100)
    assert set(sizes.values()) == {sizes[1]}
    assert _maker_note(_exif(path)) == _maker_note(before_block)
    after = _exiftool_tags(path)
    edited = {"[IFD0] ImageDescription", "[IFD0] XPComment"}
    edited |= {"[XMP-x] XMPToolkit", "[XMP-dc] Description"}
    if not any(k.startswith("[IPTC]") for k in before):  # the first save adds IIM (WordPress)
        edited |= {k for k in after if k.startswith("[IPTC]")}
        edited |= {"[File] CurrentIPTCDigest", "[Photoshop] IPTCDigest"}
        edited |= {"[Composite] DateTimeCreated"}
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed <= edited and changed, changed


def _exiftool_tags(path: Path) -> dict[str, str]:
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-a", "-G1", "-u", "-s", "-x", "System:all", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8", "replace")
    tags: dict[str, str] = {}
    for line in out.splitlines():
        name, _, value = line.partition(":")
        key = " ".join(name.split())
        while key in tags:  # repeated tag names (-a): number them
            key += "+"
        tags[key] = value.strip()
    return tags


def _pillow_tiff() -> bytes:
    image = Image.new("RGB", (32, 24), (10, 120, 200))
    out = io.BytesIO()
    image.save(out, "TIFF", description="camera text", software="FakeCam 1.0")
    return out.getvalue()


@pytest.mark.parametrize("source", ["pillow", "exiv2-test.tiff"])
def test_tiff_saves_no_growth(tmp_path: Path, source: str) -> None:
    path = tmp_path / "photo.tif"
    if source == "pillow":
        path.write_bytes(_pillow_tiff())
    else:
        shutil.copy(sample(source), path)
    image = formats.MODULES["TIFF"].image_data(path.read_bytes())
    sizes = {}
    for n in range(1, 41):
        _set(path, caption=[LONG_A, LONG_B][n % 2], creator=(f"Author {n % 2}",))
        sizes[n] = path.stat().st_size
    assert set(sizes.values()) == {sizes[1]}, "the TIFF grew between saves"
    assert formats.MODULES["TIFF"].image_data(path.read_bytes()) == image
    assert read_photo(path).metadata.caption == LONG_A


# --- TIFF IPTC: the hook formats.tiff.replace offers for IIM kept in 33723 and 34377 -------------


def _iim(caption: bytes) -> bytes:
    def dataset(number: int, value: bytes) -> bytes:
        return b"\x1c\x02" + bytes((number,)) + len(value).to_bytes(2, "big") + value

    return dataset(0, b"\x00\x04") + dataset(80, b"Jane By-line") + dataset(120, caption)


def _resources(iim: bytes) -> bytes:
    return b"8BIM\x04\x04\x00\x00" + len(iim).to_bytes(4, "big") + iim + bytes(len(iim) % 2)


def _tiff_with_photoshop(resources: bytes) -> bytes:
    """A TIFF from Pillow with Photoshop resources (34377) and no IPTC-NAA tag."""
    from PIL import TiffImagePlugin

    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    ifd[34377] = resources
    ifd.tagtype[34377] = 1
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "TIFF", tiffinfo=ifd)
    return out.getvalue()


def _tiff_with_iptc_naa(path: Path) -> bytes:
    """A TIFF with IIM in 33723 as exiftool writes it (LONG words), and no 34377."""
    assert EXIFTOOL is not None
    Image.new("RGB", (8, 8), (1, 2, 3)).save(path, "TIFF")
    args = ["-IPTC:Caption-Abstract=Old caption 555-0199", "-IPTC:By-line=Jane By-line"]
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", *args, str(path)], check=True)
    return path.read_bytes()


def _iptc_tags(path: Path) -> dict[str, str]:
    """IPTC tags by name, whichever IPTC group exiftool files them under."""
    return {k.split()[-1]: v for k, v in _exiftool_tags(path).items() if k.startswith("[IPTC")}


@needs_exiftool
@pytest.mark.parametrize("store", ["IPTC-NAA", "Photoshop"])
def test_tiff_iim_stores_are_rewritten_without_trace(tmp_path: Path, store: str) -> None:
    path = tmp_path / "iptc.tif"
    if store == "IPTC-NAA":
        data = _tiff_with_iptc_naa(path)
    else:
        data = _tiff_with_photoshop(_resources(_iim(b"Old caption 555-0199")))
        path.write_bytes(data)
    tiff_file = formats.MODULES["TIFF"]
    assert _iptc_tags(path)["Caption-Abstract"] == "Old caption 555-0199"
    image = tiff_file.image_data(data)
    sizes = set()
    for n in range(20):
        new_iim = _iim(f"New caption {n % 2}".encode())
        data = tiff_file.replace(data, app13=b"Photoshop 3.0\x00" + _resources(new_iim))
        sizes.add(len(data))
    assert len(sizes) == 1  # the file did not grow from save to save
    path.write_bytes(data)
    tags = _iptc_tags(path)
    assert tags["Caption-Abstract"] == "New caption 1"
    assert tags["By-line"] == "Jane By-line"
    assert b"555-0199" not in data
    assert tiff_file.image_data(data) == image
    endian, offset = tiff.header(data)
    ifd0 = tiff.read_ifd(data, endian, offset)
    assert (ifd0.get(33723) is None) == (store == "Photoshop")  # no second store is added
    cleared = tiff_file.replace(data, app13=None)
    ifd0 = tiff.read_ifd(cleared, endian, tiff.header(cleared)[1])
    assert ifd0.get(33723) is None and ifd0.get(34377) is None
    assert b"New caption" not in cleared
