"""Failures hard to miss (issue 15, defect 5): a failed save says why in the panel, read-only
fields look read-only, and example placeholders never pass for real values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from editor.core.model import PhotoMetadata, PhotoRecord
from editor.gui.main_window import MainWindow
from editor.gui.panel.fields import READ_ONLY_TIP
from editor.gui.panel.metadata_panel import MetadataPanel
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


def problems_text(window: MainWindow) -> str:
    note = window.panel._problems
    return note.label.text() if note.isVisible() else ""


def test_failed_save_reason_is_in_the_panel(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    path = make_photo("x.jpg", folder=tmp_path / "f")
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, path)
    assert problems_text(window) == ""
    caption = window.panel.editor("caption")
    assert isinstance(caption, QPlainTextEdit)
    caption.setFocus()
    qtbot.keyClicks(caption, "Mine")
    make_photo("x.jpg", folder=tmp_path / "f", caption="Theirs", color=(10, 200, 10))
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    reason = window.library.item(path).save_error
    assert reason
    qtbot.waitUntil(lambda: reason in problems_text(window), timeout=5000)
    assert problems_text(window).startswith("⚠ Not saved:")


def _record(writable: bool) -> PhotoRecord:
    return PhotoRecord(
        path=Path("/photos/a.heic"), metadata=PhotoMetadata(), format="HEIF", width=10,
        height=10, file_size=1, writable=writable,
        read_only_reason="" if writable else "HEIC/HEIF files are shown read-only",
    )


def test_read_only_fields_look_read_only(qtbot: QtBot) -> None:
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    panel.show()
    credit = panel.editor("credit")
    caption = panel.editor("caption")
    assert isinstance(credit, QLineEdit) and isinstance(caption, QPlainTextEdit)
    panel.show_photos([(PhotoMetadata(), _record(True))])
    editable_base = credit.palette().color(QPalette.ColorRole.Base)
    assert credit.placeholderText().startswith("e.g. ")  # an example, said to be one
    panel.show_photos([(PhotoMetadata(), _record(False))])
    window_colour = panel.palette().color(QPalette.ColorRole.Window)
    for editor in (credit, caption):
        assert editor.palette().color(QPalette.ColorRole.Base) == window_colour
        assert editor.toolTip().startswith(READ_ONLY_TIP)
        assert editor.placeholderText() == "Not set"  # not an example that reads as a value
    assert editable_base != window_colour
    qtbot.keyClicks(credit, "x")
    assert credit.text() == ""
    panel.show_photos([(PhotoMetadata(), _record(True))])
    assert credit.palette().color(QPalette.ColorRole.Base) == editable_base
    assert not credit.toolTip().startswith(READ_ONLY_TIP)


def test_unreadable_file_shows_no_example_values(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "f"
    good = make_photo("a.jpg", folder=folder)
    bad = folder / "b-malformed.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00garbage")
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    window.grid.select_path(bad)
    qtbot.waitUntil(lambda: "b-malformed.jpg" in window.panel._hint.text(), timeout=5000)
    for name in ("credit", "copyright", "creator", "caption"):
        editor = window.panel.editor(name)
        assert isinstance(editor, QLineEdit | QPlainTextEdit)
        assert editor.placeholderText() == "", name  # "© 2024 Jane Doe" would read as real
    select(qtbot, window, good)
    copyright_edit = window.panel.editor("copyright")
    assert isinstance(copyright_edit, QLineEdit)
    assert copyright_edit.placeholderText() == "e.g. © 2024 Jane Doe"
    assert Qt.FocusPolicy.NoFocus != copyright_edit.focusPolicy()


def test_undecodable_picture_is_explained_in_words(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    """Issue 15 item 7: the preview said Pillow's "(31 bytes not processed)"."""
    path = make_photo("cut.jpg", folder=tmp_path / "f", thumbnail=False, size=(1600, 1200))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 4000])  # cut inside the image data
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, path)
    qtbot.waitUntil(lambda: "cannot show" in window.preview.view._message, timeout=10000)
    message = window.preview.view._message
    assert "truncated" in message and "not processed" not in message
    assert "bytes" not in message and "image file" not in message  # no decoder wording
