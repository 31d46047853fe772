"""Code replacement in the real window: the list's editor, expansion while typing, one undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from editor.core.codes import read_codes
from editor.gui.codes import CodesDialog
from editor.gui.main_window import MainWindow
from editor.gui.preferences_dialog import PreferencesDialog
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]
PM_FILE = "rw\tRob Whitworth\tRW\nkp\tKorean People's Army\n"


@pytest.fixture
def photo(qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto, tmp_path: Path) -> Path:
    path = make_photo("a.jpg")
    pm = tmp_path / "pm-codes.txt"
    pm.write_text(PM_FILE, encoding="utf-8")
    data_window.act_codes.trigger()
    dialog = data_window.findChild(CodesDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.import_file(pm) == 2
    dialog.accept()
    data_window.open_paths([path.parent])
    qtbot.waitUntil(loaded(data_window, 1), timeout=10000)
    select(qtbot, data_window, path)
    return path


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_the_editor_saves_the_list_in_photo_mechanic_format(
    data_window: MainWindow, photo: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "data" / "codes.txt"
    assert saved.read_text(encoding="utf-8") == (
        "rw\tRob Whitworth\nkp\tKorean People's Army\n"
    )
    assert read_codes(saved) == {"rw": "Rob Whitworth", "kp": "Korean People's Army"}


def test_typed_codes_expand_in_caption_and_title_as_one_undo_step(
    qtbot: QtBot, data_window: MainWindow, photo: Path
) -> None:
    win = data_window
    caption = win.panel.editor("caption")
    _type(qtbot, caption, "Soldiers of the =kp= march. Photo: =rw=")
    assert isinstance(caption, QPlainTextEdit)
    want = "Soldiers of the Korean People's Army march. Photo: Rob Whitworth"
    assert caption.toPlainText() == want
    assert win.library.item(photo).edited.caption == want
    title = win.panel.editor("title")
    _type(qtbot, title, "By =RW= and =unknown=")
    assert win.library.item(photo).edited.title == "By Rob Whitworth and =unknown="
    win.undo_stack.undo()  # the title, typing and expansion together
    assert win.library.item(photo).edited.title == ""
    win.undo_stack.undo()
    assert win.library.item(photo).edited.caption == ""


def test_the_delimiter_is_a_preference(qtbot: QtBot, data_window: MainWindow, photo: Path) -> None:
    win = data_window
    win.act_prefs.trigger()
    dialog = next(d for d in win.findChildren(PreferencesDialog) if d.isVisible())
    dialog.delimiter.setText("#")
    dialog.accept()
    _type(qtbot, win.panel.editor("credit"), "=rw= #rw#")
    assert win.library.item(photo).edited.credit == "=rw= Rob Whitworth"


def test_codes_are_kept_and_reloaded_at_the_next_start(
    qtbot: QtBot, data_window: MainWindow, photo: Path
) -> None:
    assert data_window.aids.expander.codes["rw"] == "Rob Whitworth"
    data_window.aids.expander.set_codes({})
    data_window.apply_preferences()
    assert data_window.aids.expander.codes["kp"] == "Korean People's Army"


def test_a_list_that_cannot_be_saved_says_why_and_stays_open(
    qtbot: QtBot, data_window: MainWindow, tmp_path: Path
) -> None:
    blocked = tmp_path / "data" / "codes.txt"
    blocked.mkdir(parents=True)  # a folder where the file should go
    data_window.act_codes.trigger()
    dialog = data_window.findChild(CodesDialog)
    assert dialog is not None
    dialog.set_codes({"rw": "Rob Whitworth"})
    dialog.accept()
    assert dialog.isVisible()
    assert "Not saved" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert data_window.aids.expander.codes == {}
    dialog.reject()
