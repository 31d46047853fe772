"""Shared fixtures: offscreen Qt, the developer sample folder, exiftool, and a thread-leak guard."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture
def samples_dir() -> Path:
    """The developer sample set next to the checkout; the test is skipped when it is absent."""
    if not SHARED_SAMPLES.is_dir():
        pytest.skip(f"{SHARED_SAMPLES} is absent")
    return SHARED_SAMPLES


@pytest.fixture
def exiftool() -> str:
    """The exiftool executable; the test is skipped when it is not on PATH."""
    path = shutil.which("exiftool")
    if path is None:
        pytest.skip("exiftool not on PATH")
    return path


def _running_qt_pools() -> list[str]:
    if "PySide6.QtWidgets" not in sys.modules:
        return []
    from PySide6.QtCore import QThread, QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return []
    busy: list[str] = []
    if QThreadPool.globalInstance().activeThreadCount():
        busy.append("global QThreadPool")
    for widget in QApplication.topLevelWidgets():
        for pool in widget.findChildren(QThreadPool):
            if pool.activeThreadCount():
                busy.append(f"QThreadPool {pool.objectName() or '?'}")
        for thread in widget.findChildren(QThread):
            if thread.isRunning():
                busy.append(f"QThread {thread.objectName() or '?'}")
    return busy


@pytest.fixture(autouse=True)
def private_cache_home(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_CACHE_HOME points into the test's temp folder: no test reads or writes the real
    shared thumbnail cache (~/.cache/thumbnails)."""
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    """Fail the test if it leaves a Python thread or a Qt pool thread running."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    while True:
        leftover = [
            t.name
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        leftover += _running_qt_pools()
        if not leftover or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not leftover, f"threads left running after the test: {leftover}"


def write_photo_file(
    path: Path,
    *,
    size: tuple[int, int] = (640, 427),
    orientation: int = 1,
    caption: str | None = None,
    date: str = "2024:05:01 10:20:30",
    subsec: str | None = None,
    thumbnail: bool = True,
    color: tuple[int, int, int] = (180, 90, 40),
) -> Path:
    """A camera-like JPEG: Make/Model, exposure, date, orientation and an IFD1 thumbnail.

    The left half is ``color`` and the right half white, so tests can tell orientation.
    """
    import io

    import piexif
    from PIL import Image

    image = Image.new("RGB", size, "white")
    image.paste(color, (0, 0, size[0] // 2, size[1]))
    zeroth: dict[int, object] = {
        piexif.ImageIFD.Make: b"Canon",
        piexif.ImageIFD.Model: b"Canon EOS R5",
        piexif.ImageIFD.Orientation: orientation,
    }
    if caption is not None:
        zeroth[piexif.ImageIFD.ImageDescription] = caption.encode()
    exif_ifd: dict[int, object] = {
        piexif.ExifIFD.DateTimeOriginal: date.encode(),
        piexif.ExifIFD.ExposureTime: (1, 250),
        piexif.ExifIFD.FNumber: (8, 1),
        piexif.ExifIFD.ISOSpeedRatings: 100,
    }
    if subsec is not None:
        exif_ifd[piexif.ExifIFD.SubSecTimeOriginal] = subsec.encode()
    exif: dict[str, object] = {"0th": zeroth, "Exif": exif_ifd, "GPS": {}, "1st": {}}
    if thumbnail:
        thumb = image.copy()
        thumb.thumbnail((160, 160))
        buf = io.BytesIO()
        thumb.save(buf, "JPEG", quality=80)
        exif["thumbnail"] = buf.getvalue()
        exif["1st"] = {piexif.ImageIFD.Compression: 6}
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85, exif=piexif.dump(exif))
    return path


@pytest.fixture
def make_photo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``make_photo("a.jpg", caption=..., orientation=6, folder=...)`` -> a JPEG in tmp_path."""

    def make(name: str, folder: Path | None = None, **kwargs: object) -> Path:
        return write_photo_file((folder or tmp_path / "photos") / name, **kwargs)  # type: ignore[arg-type]

    return make
