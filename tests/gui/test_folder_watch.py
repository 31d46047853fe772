"""The open folder is watched (issue 15, defect 6): photos copied in appear, removed ones go,
renamed ones keep their row and edits, and F5 reloads; driven through the real window."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from editor.core.library import ItemState
from editor.gui.folder_watch import DEBOUNCE_MS, list_folder
from editor.gui.main_window import MainWindow
from tests.gui.conftest import GridModels, loaded

MakePhoto = Callable[..., Path]


def names(window: MainWindow) -> list[str]:
    return sorted(p.name for p in window.library.paths)


def test_listing_skips_hidden_and_non_photos(make_photo: MakePhoto, tmp_path: Path) -> None:
    folder = tmp_path / "f"
    a = make_photo("a.jpg", folder=folder)
    make_photo(".hidden.jpg", folder=folder)
    (folder / "notes.txt").write_text("x")
    listing = list_folder(folder, frozenset())
    assert listing.present == {a} and [p for p, _ in listing.new] == [a]
    assert list_folder(folder, frozenset({a})).new == ()


def test_new_removed_and_renamed_files_are_picked_up(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "shoot"
    a = make_photo("IMG_1.jpg", folder=folder)
    b = make_photo("IMG_2.jpg", folder=folder, color=(10, 100, 10))
    c = make_photo("IMG_3.jpg", folder=folder, color=(10, 10, 100))
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    window.library.set_field([b], "caption", "Edited, then renamed elsewhere")

    # a copy into the folder appears (a burst of events is one rescan after the debounce)
    outside = make_photo("new.jpg", folder=tmp_path / "card", color=(200, 10, 10))
    scans = window.folders.scans
    shutil.copy(outside, folder / "IMG_4.jpg")
    qtbot.waitUntil(lambda: "IMG_4.jpg" in names(window), timeout=5000)
    qtbot.waitUntil(loaded(window, 4), timeout=10000)
    assert window.folders.scans - scans <= 2
    # a clean photo deleted elsewhere leaves the grid
    a.unlink()
    qtbot.waitUntil(lambda: "IMG_1.jpg" not in names(window), timeout=5000)
    # a renamed photo keeps its row and its unsaved edits
    os.rename(b, folder / "Mansudae.jpg")
    qtbot.waitUntil(lambda: "Mansudae.jpg" in names(window), timeout=5000)
    moved = window.library.item(folder / "Mansudae.jpg")
    assert moved.edited.caption == "Edited, then renamed elsewhere" and moved.dirty
    assert moved.state is ItemState.READY and b not in window.library
    assert window.proxy.index_of(folder / "Mansudae.jpg").isValid()
    assert window.save_all() == 1
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    assert not window.library.item(folder / "Mansudae.jpg").dirty
    assert names(window) == ["IMG_3.jpg", "IMG_4.jpg", "Mansudae.jpg"]
    assert c in window.library


def test_f5_reloads_without_waiting_for_the_watcher(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "shoot"
    make_photo("IMG_1.jpg", folder=folder)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    window.folders.clear()  # as if the system's watch limit were reached: F5 still works
    window.folders.watch([folder])
    window.folders.watcher.blockSignals(True)
    make_photo("IMG_2.jpg", folder=folder)
    qtbot.wait(DEBOUNCE_MS + 100)
    assert names(window) == ["IMG_1.jpg"]
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: names(window) == ["IMG_1.jpg", "IMG_2.jpg"], timeout=5000)
    window.folders.watcher.blockSignals(False)


def test_rename_keeps_the_models_valid(
    qtbot: QtBot, qtmodeltester: ModelTester, request: pytest.FixtureRequest,
    grid_models: GridModels,
) -> None:
    from editor.core.model import PhotoMetadata, PhotoRecord
    from editor.gui.photo_model import Role

    library, model, proxy = grid_models.library, grid_models.model, grid_models.proxy
    qtmodeltester.check(model, force_py=True)
    ModelTester(request.config).check(proxy, force_py=True)
    paths = [Path(f"/x/IMG_{n}.jpg") for n in (1, 2, 3)]
    model.add_paths(paths)
    for p in paths:
        library.set_record(p, PhotoRecord(p, PhotoMetadata(), writable=True))
    library.set_field([paths[0]], "caption", "kept")
    assert model.rename_path(paths[0], Path("/x/Z.jpg"))
    assert not model.rename_path(paths[1], paths[2])  # taken: refused
    rows = [proxy.index(r, 0).data(Role.PATH).name for r in range(proxy.rowCount())]
    assert rows == ["IMG_2.jpg", "IMG_3.jpg", "Z.jpg"]
    assert library.item(Path("/x/Z.jpg")).edited.caption == "kept"
    assert library.dirty_paths() == [Path("/x/Z.jpg")]


def test_a_raw_shown_with_its_jpeg_is_not_loaded_again(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path, samples_dir: Path
) -> None:
    nef = next(iter(sorted((samples_dir / "raw").glob("*.nef"))), None)
    if nef is None:
        pytest.skip("no NEF sample")
    folder = tmp_path / "pair"
    make_photo("DSC_1.jpg", folder=folder)
    shutil.copy(nef, folder / "DSC_1.NEF")
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    assert window.library.companions  # shown as one photo
    make_photo("DSC_2.jpg", folder=folder)  # a change in the folder: a rescan
    qtbot.waitUntil(lambda: "DSC_2.jpg" in names(window), timeout=5000)
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    qtbot.wait(DEBOUNCE_MS + 200)
    assert names(window) == ["DSC_1.jpg", "DSC_2.jpg"]  # the NEF did not come in on its own
