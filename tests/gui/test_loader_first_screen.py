"""Opening a folder puts the first screenful of thumbnails up before the metadata reads start
(issue 17: on two cores the reads took the CPU and the GIL the first paint needed), and the
reads still start when no thumbnail comes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from editor.gui import loader
from editor.gui.main_window import MainWindow


def _folder(tmp_path: Path, make_photo: Callable[..., Path], count: int) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for n in range(count):
        make_photo(f"IMG_{n:03d}.jpg", folder)
    return folder


def _record_reads(window: MainWindow, monkeypatch: pytest.MonkeyPatch
                  ) -> list[tuple[float, bool, list[Path]]]:
    """(when, the screenful had its thumbnails, photos on screen) per read submitted."""
    pool = window.loader._read_pool
    started: list[tuple[float, bool, list[Path]]] = []
    submit = pool.submit

    def recording(*args: Any, **kwargs: Any) -> Any:
        thumbs = window.thumbnails
        started.append((time.perf_counter(), thumbs.screenful_ready(), list(thumbs._visible)))
        return submit(*args, **kwargs)

    monkeypatch.setattr(pool, "submit", recording)
    return started


def test_reads_wait_for_the_screenful_of_first_thumbnails(
    qtbot: QtBot, window: MainWindow, make_photo: Callable[..., Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loader, "HOLD_READS_S", 30.0)  # only the thumbnails can release them
    window.loader._hold_timer.setInterval(30_000)
    folder = _folder(tmp_path, make_photo, 60)
    reads = _record_reads(window, monkeypatch)
    started = time.perf_counter()
    window.open_paths([folder])
    qtbot.waitUntil(lambda: len(window.library) == 60 and not window.loader.busy, timeout=20000)
    first, screenful_ready, on_screen = reads[0]
    assert screenful_ready  # not one read before the screenful had its thumbnails
    # ... and that screenful is the first photos by name (the whole folder was in the model)
    assert on_screen == window.grid.visible_paths()
    assert [p.name for p in on_screen] == [f"IMG_{n:03d}.jpg" for n in range(len(on_screen))]
    assert first - started < 10  # the thumbnails released them, not the 30 s timer
    assert all(item.record is not None for item in window.library.items)


def test_reads_start_after_the_hold_when_no_thumbnail_comes(
    qtbot: QtBot, window: MainWindow, make_photo: Callable[..., Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _folder(tmp_path, make_photo, 5)
    reads = _record_reads(window, monkeypatch)
    monkeypatch.setattr(window.thumbnails, "screenful_ready", lambda: False)
    started = time.perf_counter()
    window.open_paths([folder])
    qtbot.waitUntil(lambda: len(window.library) == 5 and not window.loader.busy, timeout=20000)
    assert reads
    assert reads[0][0] - started >= loader.HOLD_READS_S * 0.9
    assert all(item.record is not None for item in window.library.items)
