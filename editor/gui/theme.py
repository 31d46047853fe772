"""The theme preference: follow the desktop, or force a light or dark palette."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_desktop_palette: QPalette | None = None


def apply_theme(theme: str) -> None:
    """``"system"`` follows the desktop; ``"light"``/``"dark"`` ask Qt for that colour scheme
    and, where the platform cannot switch (no desktop theme to ask), set a palette of it."""
    from editor.gui.screenshot import dark_palette

    global _desktop_palette
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _desktop_palette is None:
        _desktop_palette = QPalette(app.palette())
    hints = QGuiApplication.styleHints()
    if theme == "system":
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        app.setPalette(_desktop_palette)
        return
    dark = theme == "dark"
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    is_dark = app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    if dark and not is_dark:
        app.setPalette(dark_palette())
    elif not dark and is_dark:
        base = _desktop_palette
        light = base.color(QPalette.ColorRole.Window).lightness() >= 128
        app.setPalette(base if light else app.style().standardPalette())
