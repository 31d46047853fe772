"""Issue 15 item 7 in the grid: rating keys, stars on thumbnails, a rating filter, badges that
stay on narrow cards, and columns that use the width."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from editor.core.library import Filter
from editor.gui.grid_pane import FILTER_LABELS
from editor.gui.main_window import MainWindow
from editor.gui.photo_grid import PhotoGrid
from editor.gui.photo_model import Card, Role
from editor.gui.thumbnail_delegate import badge_rects
from tests.gui.conftest import GridModels, loaded, select

MakePhoto = Callable[..., Path]


def test_rating_keys_stars_and_filter(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "f"
    a, b, c = (make_photo(f"IMG_{i}.jpg", folder=folder) for i in (1, 2, 3))
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    select(qtbot, window, a)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_4)
    assert window.library.item(a).edited.rating == 4
    select(qtbot, window, b, c)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    assert [window.library.item(p).edited.rating for p in (a, b, c)] == [4, 2, 2]
    assert window.undo_stack.count() == 2
    card = window.proxy.index_of(a).data(Role.CARD)
    assert isinstance(card, Card) and card.rating == 4  # the delegate draws ★★★★ from it
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_0)
    assert [window.library.item(p).edited.rating for p in (b, c)] == [0, 0]

    combo = window.grid_box.filter_combo
    combo.setCurrentIndex(combo.findData(Filter.RATED_3.value))
    assert combo.currentText() == "Rated ★★★ or more" == FILTER_LABELS[Filter.RATED_3]
    window.grid.clearSelection()
    window.proxy.set_pinned([])
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    assert window.proxy.index(0, 0).data(Role.PATH) == a


def test_badges_stay_on_a_narrow_card() -> None:
    area = QRect(0, 0, 90, 60)
    widths = [18, 70, 34, 30]  # !, READ-ONLY, CAP, ALT
    rects = badge_rects(area, widths, 14, dirty=True)
    assert len(rects) == 4
    for r in rects:
        assert r.left() >= area.left() and r.right() <= area.right(), r
    assert len({r.top() for r in rects}) > 1  # wrapped to a second row instead of spilling


def test_columns_use_the_width(qtbot: QtBot, grid_models: GridModels) -> None:
    grid = PhotoGrid(grid_models.proxy, grid_models.thumbnails)
    qtbot.addWidget(grid)
    grid.set_thumb_size(144)
    for width in (436, 520, 700, 1000):
        grid.resize(width, 500)
        grid.show()
        qtbot.waitExposed(grid)
        cell = grid.gridSize().width()
        columns = grid.viewport().width() // cell
        assert columns >= 1
        spare = grid.contentsRect().width() - columns * cell
        assert spare < cell / 2 and spare < 40, (width, cell, columns)  # no strip left empty
        assert grid.thumb_size == 144  # the slider's value is kept
