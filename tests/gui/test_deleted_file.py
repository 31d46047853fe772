"""Edits on a deleted or moved file (issue 15, defect 4): they stay visible and copyable, and
the photo reconnects, edits kept, when the same file comes back."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from editor.core.library import ItemState
from editor.gui.main_window import MainWindow
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


def test_edits_survive_deletion_and_reconnect_when_the_file_is_back(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path, exiftool: str
) -> None:
    path = make_photo("x.jpg", folder=tmp_path / "f")
    make_photo("y.jpg", folder=tmp_path / "f")
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    select(qtbot, window, path)
    caption = window.panel.editor("caption")
    assert isinstance(caption, QPlainTextEdit)
    caption.setFocus()
    qtbot.keyClicks(caption, "Typed before the file vanished")

    aside = tmp_path / "aside.jpg"
    shutil.move(path, aside)  # another program moves it away
    qtbot.waitUntil(lambda: window.library.item(path).state is ItemState.DELETED, timeout=5000)
    select(qtbot, window, path)
    qtbot.waitUntil(lambda: caption.toPlainText() == "Typed before the file vanished", timeout=5000)
    assert caption.isEnabled() and caption.isVisible() and caption.isReadOnly()
    assert "deleted or moved" in window.panel._read_only_note.label.text()
    caption.selectAll()
    caption.copy()  # the text can be copied out
    window.copy_metadata()
    assert window._copied is not None
    assert window._copied.caption == "Typed before the file vanished"

    shutil.move(aside, path)  # and puts it back
    qtbot.waitUntil(lambda: window.library.item(path).state is ItemState.READY, timeout=5000)
    item = window.library.item(path)
    assert item.dirty and item.edited.caption == "Typed before the file vanished"
    qtbot.waitUntil(lambda: not caption.isReadOnly(), timeout=5000)
    assert window.save_all() == 1
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    assert not window.library.item(path).dirty and not window.library.item(path).save_error
    out = subprocess.run([exiftool, "-j", "-ImageDescription", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)[0]["ImageDescription"] == "Typed before the file vanished"


def test_a_different_file_at_the_path_is_not_overwritten(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    path = make_photo("x.jpg", folder=tmp_path / "f")
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    window.library.set_field([path], "caption", "Mine")
    path.unlink()
    qtbot.waitUntil(lambda: window.library.item(path).state is ItemState.DELETED, timeout=5000)
    make_photo("x.jpg", folder=tmp_path / "f", caption="Theirs", color=(0, 200, 0))
    qtbot.waitUntil(lambda: window.library.item(path).state is ItemState.READY, timeout=5000)
    item = window.library.item(path)
    assert item.changed_on_disk and item.edited.caption == "Mine"
