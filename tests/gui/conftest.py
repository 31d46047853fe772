"""GUI fixtures: a real main window with its own settings file and cache, and drop helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.app import build_window
from editor.core.library import ItemState, PhotoLibrary
from editor.gui.main_window import MainWindow
from editor.gui.photo_model import PhotoFilterModel, PhotoModel
from editor.gui.thumbnailer import Thumbnailer
from editor.gui.workers import WorkerPool


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = build_window(settings, tmp_path / "thumbcache")
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_discarding()
    win.deleteLater()


@dataclass
class GridModels:
    """The grid's models over an empty library, with a one-thread pool for thumbnails."""

    library: PhotoLibrary
    thumbnails: Thumbnailer
    model: PhotoModel
    proxy: PhotoFilterModel


@pytest.fixture
def grid_models(qtbot: QtBot) -> Iterator[GridModels]:
    pool = WorkerPool(1, "t")
    library = PhotoLibrary()
    thumbnails = Thumbnailer(pool, None)
    model = PhotoModel(library, thumbnails)
    yield GridModels(library, thumbnails, model, PhotoFilterModel(model))
    pool.shutdown()


def drop(target: object, paths: Sequence[Path]) -> None:
    """Deliver a real ``text/uri-list`` drag-enter and drop, as a file manager does."""
    import warnings

    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(target, QWidget)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    with warnings.catch_warnings():
        # PySide marks the only QDragEnterEvent constructor deprecated; Qt has no other.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the drop target refused the drag"
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)


def loaded(win: MainWindow, count: int) -> Callable[[], bool]:
    """True once ``count`` photos are read and every one has a thumbnail (or failed)."""

    def check() -> bool:
        lib = win.library
        return (
            len(lib) == count
            and not win.loader.busy
            and all(it.state is not ItemState.LOADING for it in lib.items)
            and all(
                win.thumbnails.image(it.path) is not None or win.thumbnails.failure(it.path)
                for it in lib.items
            )
        )

    return check


def select(qtbot: QtBot, win: MainWindow, *paths: Path) -> None:
    """Select photos in the grid (none: all) and wait until the panel shows them."""
    if paths:
        win.grid.select_path(paths[0])
        for path in paths[1:]:
            from PySide6.QtCore import QItemSelectionModel

            win.grid.selectionModel().select(
                win.proxy.index_of(path), QItemSelectionModel.SelectionFlag.Select
            )
        want = sorted(paths)
    else:
        win.grid.selectAll()
        want = sorted(win.library.paths)
    qtbot.waitUntil(lambda: sorted(win.shown_paths) == want, timeout=5000)


@pytest.fixture
def data_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """Like ``window``, with a user data folder (journal, codes, dictionary) in tmp_path/data."""
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = build_window(settings, tmp_path / "thumbcache", tmp_path / "data")
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_discarding()
    win.deleteLater()
