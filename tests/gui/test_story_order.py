"""Story order in the real window: keys, drag and drop, kept per folder, followed by export."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from editor.core.library import SortKey
from editor.core.story import load_order
from editor.gui.main_window import MainWindow
from editor.gui.photo_model import STORY_MIME
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


@pytest.fixture
def four(qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "trip"
    paths = [make_photo(f"{n}.jpg", folder=folder, caption=f"Photo {n.upper()}")
             for n in "abcd"]
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 4), timeout=10000)
    return paths


def grid_names(win: MainWindow) -> list[str]:
    return [p.name for p in win.model.paths()]


def drop_story(win: MainWindow, moving: list[Path], onto: Path) -> None:
    """A drop of the grid's own drag onto the left half of ``onto``'s cell."""
    mime = QMimeData()
    mime.setData(STORY_MIME, "\n".join(map(str, moving)).encode())
    rect = win.grid.visualRect(win.proxy.index_of(onto))
    at = QPoint(rect.left() + 3, rect.center().y())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide's only constructor
        enter = QDragEnterEvent(at, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win.grid.viewport(), enter)
    move = QDragMoveEvent(at, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win.grid.viewport(), move)
    if win.grid.dragEnabled():  # the insertion mark sits at the left edge of the target cell
        line = win.grid._drop_line
        assert line is not None and abs(line.center().x() - at.x()) <= 4
    event = QDropEvent(QPointF(at), Qt.DropAction.MoveAction,
                       mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win.grid.viewport(), event)
    assert win.grid._drop_line is None


def test_keys_and_drops_arrange_the_story_and_reopening_keeps_it(
        qtbot: QtBot, window: MainWindow, four: list[Path], tmp_path: Path) -> None:
    a, _b, c, d = four
    assert grid_names(window) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]
    select(qtbot, window, c)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    # From the name sort, the key shows the story order and moves the photo in it.
    assert window.sort_combo.currentText() == "Story order"
    assert window.settings.sort is SortKey.STORY
    assert grid_names(window) == ["a.jpg", "c.jpg", "b.jpg", "d.jpg"]
    assert window.selected_paths() == [c]  # the selection moves with the photo
    qtbot.keyClick(window.grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert grid_names(window) == ["a.jpg", "b.jpg", "d.jpg", "c.jpg"]
    # What a drag from the grid carries: the photos' paths, through the filter proxy.
    indexes = [window.proxy.index_of(p) for p in (c, d)]
    assert all(window.proxy.flags(i) & Qt.ItemFlag.ItemIsDragEnabled for i in indexes)
    carried = window.proxy.mimeData(indexes)
    assert bytes(carried.data(STORY_MIME).data()).decode() == f"{d}\n{c}"
    drop_story(window, [d, c], a)
    assert grid_names(window) == ["d.jpg", "c.jpg", "a.jpg", "b.jpg"]
    # Remembered in the data folder, not in the photo folder.
    assert load_order(a.parent) == ["d.jpg", "c.jpg", "a.jpg", "b.jpg"]
    assert sorted(p.name for p in a.parent.iterdir()) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]
    # Another sort and back; then the folder opened again.
    window.sort_combo.setCurrentIndex(window.sort_combo.findText("Name"))
    assert grid_names(window) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]
    window.sort_combo.setCurrentIndex(window.sort_combo.findText("Story order"))
    assert grid_names(window) == ["d.jpg", "c.jpg", "a.jpg", "b.jpg"]
    window.open_paths([a.parent])
    qtbot.waitUntil(loaded(window, 4), timeout=10000)
    assert grid_names(window) == ["d.jpg", "c.jpg", "a.jpg", "b.jpg"]


def test_a_drop_outside_story_order_moves_nothing(
        qtbot: QtBot, window: MainWindow, four: list[Path]) -> None:
    a, _b, _c, d = four
    assert not window.grid.dragEnabled()
    drop_story(window, [d], a)
    assert grid_names(window) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]


def test_export_with_nothing_selected_follows_the_grid_order(
        qtbot: QtBot, window: MainWindow, four: list[Path], tmp_path: Path) -> None:
    a, b, _c, d = four
    window.sort_combo.setCurrentIndex(window.sort_combo.findText("Story order"))
    assert window.grid.dragEnabled()
    window.model.move_story([d, b], a)  # b, d (their order), a, c
    window.grid.clearSelection()
    qtbot.waitUntil(lambda: window.shown_paths == [])
    window.act_export.trigger()
    dialog = window._export_dialog
    assert dialog is not None
    dialog.out_dir.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.export_button.click()
    html = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    assert list(dict.fromkeys(re.findall(r"Photo ([ABCD])", html))) == list("BDAC")
    assert list(dict.fromkeys(re.findall(r'src="photo-([abcd])', html))) == list("bdac")
    dialog.close()


def test_export_uses_the_values_typed_after_the_dialog_opened(
        qtbot: QtBot, window: MainWindow, four: list[Path], tmp_path: Path) -> None:
    """Issue 15 defect 1: the dialog stays open; Export takes the panel's values of now."""
    a = four[0]
    select(qtbot, window, a)
    window.act_export.trigger()
    dialog = window._export_dialog
    assert dialog is not None and dialog.isVisible()
    review = [dialog.alt_warnings.item(i).text() for i in range(dialog.alt_warnings.count())]
    assert any("a.jpg" in line for line in review)  # no alt text yet
    caption = window.panel.editor("caption")
    caption.setFocus()
    qtbot.keyClick(caption, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(caption, "Fresh caption & more")
    alt = window.panel.editor("alt_text")
    alt.setFocus()
    qtbot.keyClicks(alt, "A red half and a white half")
    assert window.library.item(a).dirty  # typed, not saved
    qtbot.waitUntil(lambda: dialog.alt_warnings.count() == 0, timeout=3000)
    assert not dialog.alt_warnings.isVisible()
    dialog.out_dir.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.export_button.click()
    html = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    assert 'alt="A red half and a white half"' in html
    assert "Fresh caption &amp; more" in html and "Photo A" not in html
    dialog.close()
