"""The palette follows the desktop's light/dark scheme, and gives back only what it set."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from editor.gui.theme import apply_scheme, is_dark


def test_palette_follows_the_scheme_both_ways(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        assert not is_dark(app.palette())  # the offscreen platform is light
        apply_scheme(app, Qt.ColorScheme.Unknown)
        assert not is_dark(app.palette())  # unknown: the platform's palette stays
        apply_scheme(app, Qt.ColorScheme.Dark)
        assert is_dark(app.palette())
        apply_scheme(app, Qt.ColorScheme.Light)
        assert not is_dark(app.palette())
        apply_scheme(app, Qt.ColorScheme.Light)  # light and not ours: left alone
        assert not is_dark(app.palette())
    finally:
        app.setPalette(before)
        app.setProperty("photocaption-dark", False)
