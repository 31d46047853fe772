"""Real camera files and the bundled samples through the window: every one shows and none crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from editor.app import app_icon, build_window
from editor.core.library import ItemState
from editor.demo import bundled_samples, copy_samples
from editor.gui import thumbnailer
from editor.gui.main_window import MainWindow
from tests.gui.conftest import loaded, select


def test_developer_samples_load_show_and_report_problems_in_place(
    qtbot: QtBot, window: MainWindow, samples_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "samples"
    shutil.copytree(samples_dir, folder)
    window.open_paths([folder])
    count = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    qtbot.waitUntil(lambda: not window.loader.busy and len(window.library) > 0, timeout=20000)
    n = len(window.library)
    assert 0 < n <= count
    qtbot.waitUntil(loaded(window, n), timeout=30000)
    for item in window.library.items:
        assert item.state in (ItemState.READY, ItemState.ERROR)
        if item.state is ItemState.ERROR:
            assert item.error and "Traceback" not in item.error
    readable = [it.path for it in window.library.items if it.state is ItemState.READY]
    assert readable
    select(qtbot, window, readable[0])
    qtbot.waitUntil(lambda: not window.preview.loading, timeout=10000)


def test_bundled_samples_open_and_second_open_is_served_from_the_disk_cache(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bundled_samples(), "resources/samples is empty"
    folder = copy_samples(tmp_path / "bundled")
    window.open_paths([folder])
    n = len(bundled_samples())
    qtbot.waitUntil(loaded(window, n), timeout=20000)
    qtbot.waitUntil(
        lambda: all(window.thumbnails.is_sharp(p) for p in window.library.paths), timeout=20000
    )
    captions = [it for it in window.library.items if it.edited.caption]
    assert captions, "some bundled samples carry a caption"
    # Thumbnails of photos on screen go to the disk cache once the decodes are done.
    qtbot.waitUntil(lambda: not window.pools.decode.busy, timeout=20000)

    # A second window on the same cache shows the embedded thumbnails first, then sharp ones
    # read from the disk cache: not one photo is decoded again.
    decoded: list[Path] = []
    monkeypatch.setattr(
        thumbnailer, "decode_thumbnail", lambda path, px: decoded.append(path)  # type: ignore
    )
    settings = QSettings(str(tmp_path / "second.ini"), QSettings.Format.IniFormat)
    second = build_window(settings, tmp_path / "thumbcache")
    try:
        second.resize(1200, 800)
        second.show()
        second.open_paths([folder])
        qtbot.waitUntil(loaded(second, n), timeout=20000)
        qtbot.waitUntil(
            lambda: all(second.thumbnails.is_sharp(p) for p in second.grid.visible_paths())
            and len(second.grid.visible_paths()) == n,
            timeout=20000,
        )
        assert decoded == []
    finally:
        second.close_discarding()
        second.deleteLater()


def test_app_icon_has_every_size() -> None:
    sizes = {s.width() for s in app_icon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes
