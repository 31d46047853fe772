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
        on_screen = window.grid.visible_paths()
        started.append((time.perf_counter(), thumbs.first_thumbnails_ready(on_screen), on_screen))
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
    monkeypatch.setattr(window.thumbnails, "first_thumbnails_ready", lambda _paths: False)
    started = time.perf_counter()
    window.open_paths([folder])
    qtbot.waitUntil(lambda: len(window.library) == 5 and not window.loader.busy, timeout=20000)
    assert reads
    assert reads[0][0] - started >= loader.HOLD_READS_S * 0.9
    assert all(item.record is not None for item in window.library.items)


def test_the_photos_on_screen_are_read_first_and_without_giving_way(
    qtbot: QtBot, window: MainWindow, make_photo: Callable[..., Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reads give way to a busy GUI thread photo by photo; while a folder streams in it is busy
    most of the time, and the first photo's caption took 1.2-1.7 s to show. The photos on
    screen are read first (ahead in the pool's queue) and do not give way."""
    later, first = tmp_path / "a", tmp_path / "b"
    later.mkdir()
    first.mkdir()
    for n in range(40):
        make_photo(f"IMG_{100 + n:03d}.jpg", later)  # walked first, shown after
        make_photo(f"IMG_{n:03d}.jpg", first)
    pool = window.loader._read_pool
    submitted: list[tuple[tuple[Path, ...], object, int]] = []
    submit = pool.submit

    def recording(fn: Any, paths: tuple[Path, ...], pause: Any, *args: Any,
                  **kwargs: Any) -> Any:
        submitted.append((paths, pause, kwargs.get("priority", 0)))
        return submit(fn, paths, pause, *args, **kwargs)

    monkeypatch.setattr(pool, "submit", recording)
    window.open_paths([later, first])
    qtbot.waitUntil(lambda: len(window.library) == 80 and not window.loader.busy, timeout=20000)
    on_screen = set(window.grid.visible_paths())
    assert on_screen and all(p.parent == first for p in on_screen)
    urgent = [s for s in submitted if s[2] == 1]
    assert urgent and submitted[: len(urgent)] == urgent  # submitted before the others
    assert on_screen <= {p for paths, _pause, _prio in urgent for p in paths}
    gate = pool.gui_first.pause
    assert all(pause != gate for _paths, pause, _prio in urgent)
    assert all(pause == gate for _paths, pause, prio in submitted if prio == 0)
    assert any(p.parent == later for paths, _pause, prio in submitted if prio == 0
               for p in paths)
