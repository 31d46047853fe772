"""Editing commands of the main window: templates, copy/paste, revert, export, error handling."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from editor.core.templates import Template
from editor.gui.main_window import MainWindow
from editor.gui.paste_dialog import PasteFieldsDialog
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


@pytest.fixture
def three(qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path) -> list[Path]:
    folder = tmp_path / "t"
    paths = [
        make_photo(f"IMG_{i}.jpg", folder=folder, date=f"2023:07:0{i} 09:00:00")
        for i in (1, 2, 3)
    ]
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    return paths


def test_apply_template_expands_variables_per_photo_as_one_step(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    template = Template(
        "Agency",
        {
            "creator": ("Jane Doe",),
            "copyright": "© {year} {creator}",
            "title": "{filename} #{n}",
            "keywords": ("summer",),
        },
    )
    window.templates.set_templates([template])
    menu_names = [a.text() for a in window.templates.apply_menu.actions()]
    assert menu_names == ["Agency"]
    select(qtbot, window)
    window.templates.apply_menu.actions()[0].trigger()
    assert window.undo_stack.count() == 1
    items = [window.library.item(p) for p in three]
    assert [it.edited.title for it in items] == ["IMG_1 #1", "IMG_2 #2", "IMG_3 #3"]
    assert all(it.edited.copyright == "© 2023 Jane Doe" for it in items)
    assert all(it.edited.keywords == ("summer",) for it in items)
    window.undo_stack.undo()
    assert not window.library.has_unsaved
    # Templates persist through the settings adapter as JSON under "templates".
    assert window.store.load().templates == [template]


def test_copy_and_paste_chosen_fields_onto_the_selection(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a, b, c = three
    window.library.set_field([a], "credit", "Jane Doe / Agency")
    window.library.set_field([a], "caption", "Only for the first")
    select(qtbot, window, a)
    window.act_copy_md.trigger()
    select(qtbot, window, b, c)
    window.paste_metadata()
    dialog = window.findChild(PasteFieldsDialog)
    assert dialog is not None
    for name, box in ((n, dialog.checkbox(n)) for n in ("credit", "caption")):
        box.setChecked(name == "credit")
    dialog.accept()
    assert window.library.item(b).edited.credit == "Jane Doe / Agency"
    assert window.library.item(c).edited.credit == "Jane Doe / Agency"
    assert window.library.item(b).edited.caption == ""
    assert window.undo_stack.count() == 1


def test_revert_to_saved_is_undoable(qtbot: QtBot, window: MainWindow, three: list[Path]) -> None:
    a, b, _ = three
    select(qtbot, window, a, b)
    window.panel.fieldEdited.emit("caption", "draft")
    assert window.act_revert.isEnabled()
    window.act_revert.trigger()
    assert not window.library.has_unsaved
    window.undo_stack.undo()
    assert window.library.dirty_paths() == [a, b]


def test_export_opens_with_edited_metadata_of_the_selection(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a = three[0]
    select(qtbot, window, a)
    window.panel.fieldEdited.emit("caption", "unsaved caption")
    window.act_export.trigger()
    dialog = window._export_dialog
    assert dialog is not None and dialog.isVisible()
    assert [(i.path, i.metadata.caption) for i in dialog._items] == [(a, "unsaved caption")]
    assert dialog._pool is window.pools.export  # the app's pool, not a thread of its own
    dialog.close()


def test_unexpected_errors_become_a_calm_non_modal_message(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from editor.app import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(window.show_error)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert boxes and boxes[0].isVisible()
    assert boxes[0].windowModality() == Qt.WindowModality.NonModal
    assert "boom" in boxes[0].text() and "Traceback" not in boxes[0].text()
    window.show_error("second")  # reuses the open box: no storm of dialogs
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]) == 1
    boxes[0].close()


def test_space_in_grid_toggles_full_view_but_types_in_caption(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    select(qtbot, window, three[0])
    window.activateWindow()
    window.grid.setFocus()
    qtbot.waitUntil(lambda: window.grid.hasFocus() or QApplication.focusWidget() is None)
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)
    assert window.act_full.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.act_full.isChecked()
    caption = window.panel.editor("caption")
    qtbot.keyClicks(caption, "a b")
    assert not window.act_full.isChecked()
    assert window.library.item(three[0]).edited.caption == "a b"


def test_typing_back_to_the_start_leaves_no_undo_step(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    select(qtbot, window, three[0])
    caption = window.panel.editor("caption")
    qtbot.keyClicks(caption, "ab")
    assert window.undo_stack.count() == 1
    qtbot.keyClick(caption, Qt.Key.Key_Backspace)
    qtbot.keyClick(caption, Qt.Key.Key_Backspace)
    assert window.undo_stack.count() == 0
    assert not window.library.has_unsaved


def test_ctrl_z_in_a_field_uses_the_window_undo_stack(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    """Ctrl+Z / Ctrl+Shift+Z in any text field walk the same history as Edit > Undo/Redo."""
    select(qtbot, window, *three)
    creator = window.panel.editor("creator")
    qtbot.keyClicks(creator, "Jane")
    select(qtbot, window, three[0])
    caption = window.panel.editor("caption")
    qtbot.keyClicks(caption, "A cat")
    assert window.undo_stack.count() == 2
    ctrl = Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(caption, Qt.Key.Key_Z, ctrl)
    assert window.undo_stack.index() == 1
    assert window.library.item(three[0]).edited.caption == ""
    assert caption.toPlainText() == ""
    # The caption editor keeps no history of its own that could disagree with the stack.
    assert not caption.isUndoRedoEnabled()
    # Undo again from the (line edit) title field: the creator of all three goes.
    title = window.panel.editor("title")
    qtbot.keyClick(title, Qt.Key.Key_Z, ctrl)
    assert window.undo_stack.index() == 0
    assert all(window.library.item(p).edited.creator == () for p in three)
    qtbot.keyClick(title, Qt.Key.Key_Z, ctrl | shift)
    assert all(window.library.item(p).edited.creator == ("Jane",) for p in three)
    qtbot.keyClick(caption, Qt.Key.Key_Y, ctrl)
    assert window.library.item(three[0]).edited.caption == "A cat"
    assert caption.toPlainText() == "A cat"
    assert window.undo_stack.index() == 2


def test_arrow_keys_flip_photos_in_full_window_view(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    select(qtbot, window, three[0])
    window.act_full.setChecked(True)
    view = window.preview.view
    assert view.hasFocus() or QApplication.focusWidget() is None
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.shown_paths == [three[1]])
    assert window.preview.path == three[1]
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: window.shown_paths == [three[2]])
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: window.shown_paths == [three[1]])
    assert window.act_full.isChecked()  # still in the full-window view
