"""The GUI thread is never blocked while a folder of 200 photos loads."""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from pytestqt.qtbot import QtBot

from editor.app import build_window
from editor.gui.main_window import MainWindow
from tests.gui.conftest import drop, loaded

COUNT = 200
MAX_STALL_MS = float(os.environ.get("PC_MAX_STALL_MS", "100"))


class StallMeter:
    """A 5 ms timer on the GUI thread; the largest gap between its ticks is the worst stall.

    Besides wall-clock gaps it records the GUI thread's own CPU time in each gap: on a machine
    busy with other processes a gap can be the OS running someone else, which is not a stall
    this app caused; CPU time spent in one gap is.
    """

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.worst = 0.0
        self.worst_cpu = 0.0
        self._last = self._last_cpu = self._start = 0.0
        self.gaps: list[tuple[float, float, float]] = []  # (wall ms, cpu ms, at ms)

    def start(self) -> None:
        self._last = self._start = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, now - self._last)
        self.worst_cpu = max(self.worst_cpu, cpu - self._last_cpu)
        if now - self._last > 0.04:
            self.gaps.append(
                (
                    round((now - self._last) * 1000),
                    round((cpu - self._last_cpu) * 1000),
                    round((self._last - self._start) * 1000),
                )
            )
        self._last, self._last_cpu = now, cpu


def _load_once(qtbot: QtBot, window: MainWindow, folder: Path) -> tuple[str, float, float]:
    """Drop ``folder`` on ``window`` and measure; returns (report, wall ms, GUI CPU ms)."""
    load_before = os.getloadavg()[0]
    meter = StallMeter()
    meter.start()
    started = time.perf_counter()
    drop(window, [folder])
    qtbot.waitUntil(lambda: len(window.library) > 0, timeout=5000)
    first = time.perf_counter() - started
    qtbot.waitUntil(loaded(window, COUNT), timeout=60000)
    all_loaded = time.perf_counter() - started
    # And the sharp decodes for the rows on screen.
    qtbot.waitUntil(
        lambda: all(window.thumbnails.is_sharp(p) for p in window.grid.visible_paths()),
        timeout=60000,
    )
    settled = time.perf_counter() - started
    meter.stop()
    worst_ms, worst_cpu_ms = meter.worst * 1000, meter.worst_cpu * 1000
    report = (
        f"{COUNT} photos: first rows after {first * 1000:.0f} ms, all read with thumbnails "
        f"after {all_loaded * 1000:.0f} ms, sharp on-screen thumbnails after "
        f"{settled * 1000:.0f} ms; largest GUI-thread stall {worst_ms:.1f} ms wall clock, "
        f"{worst_cpu_ms:.1f} ms of GUI-thread CPU (load average {load_before:.1f} on "
        f"{os.cpu_count()} CPUs); gaps over 40 ms (wall, cpu, starting at): "
        f"{sorted(meter.gaps, reverse=True)[:4]}"
    )
    return report, worst_ms, worst_cpu_ms


@pytest.fixture(autouse=True)
def _quiet_garbage_collector() -> Iterator[None]:
    """Measure the app, not the heap earlier tests left behind.

    Python's full (generation 2) collections walk every tracked object; after a few hundred tests
    that heap makes them take 60-320 ms on the GUI thread. The app itself freezes its startup
    objects out of the collector (editor.app.run_gui); here everything alive before the test is.
    """
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def test_loading_200_photos_never_stalls_the_gui_thread(
    qtbot: QtBot,
    window: MainWindow,
    make_photo: Callable[..., Path],
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    # One camera-sized JPEG (with EXIF and an embedded thumbnail), copied 200 times.
    original = make_photo("seed.jpg", folder=tmp_path / "seed", size=(3000, 2000))
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(COUNT):
        shutil.copyfile(original, folder / f"IMG_{i:04d}.jpg")

    # A stall the app causes shows up every time; one caused by other processes on a shared
    # machine does not. So: GUI-thread CPU per gap must stay low in every attempt, and the
    # wall-clock gap in at least one of up to three attempts (each in a fresh window with a
    # cold thumbnail cache).
    reports: list[str] = []
    walls: list[float] = []
    win = window
    for attempt in range(3):
        if attempt:
            settings = QSettings(str(tmp_path / f"s{attempt}.ini"), QSettings.Format.IniFormat)
            win = build_window(settings, tmp_path / f"cache{attempt}")
            win.resize(1200, 800)
            win.show()
            qtbot.waitExposed(win)
        try:
            report, wall, cpu = _load_once(qtbot, win, folder)
        finally:
            if attempt:
                win.close_discarding()
                win.deleteLater()
        print(report)
        reports.append(report)
        walls.append(wall)
        record_property(f"load_report_{attempt + 1}", report)
        assert cpu < MAX_STALL_MS, report
        if wall < MAX_STALL_MS:
            break
    assert min(walls) < MAX_STALL_MS, "\n".join(reports)


@pytest.mark.parametrize("count", [50])
def test_scrolling_requests_sharp_thumbnails_for_visible_rows_only(
    qtbot: QtBot, window: MainWindow, make_photo: Callable[..., Path], tmp_path: Path, count: int
) -> None:
    original = make_photo("seed.jpg", folder=tmp_path / "seed", size=(1200, 800))
    folder = tmp_path / "grid"
    folder.mkdir()
    for i in range(count):
        shutil.copyfile(original, folder / f"IMG_{i:04d}.jpg")
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, count), timeout=20000)
    visible = window.grid.visible_paths()
    assert 0 < len(visible) < count
    qtbot.waitUntil(
        lambda: all(window.thumbnails.is_sharp(p) for p in visible) and not window.thumbnails.busy,
        timeout=20000,
    )
    last = window.library.paths[-1]
    assert not window.thumbnails.is_sharp(last)
    window.grid.scrollToBottom()
    qtbot.waitUntil(lambda: window.thumbnails.is_sharp(last), timeout=10000)
