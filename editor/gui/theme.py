"""Light or dark as the desktop is: the palette follows the desktop's colour scheme, live.

Qt reports the scheme (``QStyleHints.colorScheme``) from the platform theme (GNOME and KDE
through their themes or the settings portal). Some platform themes report Dark but hand the
style a light palette; then the app uses ``dark_palette()``, and gives it back when the desktop
turns light again. The README screenshot is taken through the same function.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_OURS = "photocaption-dark"  # marks the palette we set, so we only ever undo our own


def dark_palette() -> QPalette:
    """A neutral dark palette like the ones desktop themes give in dark mode."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#2b2b2d",
        role.WindowText: "#e4e4e6",
        role.Base: "#1f1f21",
        role.AlternateBase: "#323235",
        role.ToolTipBase: "#3a3a3d",
        role.ToolTipText: "#e4e4e6",
        role.PlaceholderText: "#808085",
        role.Text: "#e4e4e6",
        role.Button: "#38383b",
        role.ButtonText: "#e4e4e6",
        role.BrightText: "#ffffff",
        role.Light: "#4a4a4e",
        role.Midlight: "#3e3e42",
        role.Mid: "#5a5a60",
        role.Dark: "#1a1a1c",
        role.Shadow: "#000000",
        role.Highlight: "#3b82d6",
        role.HighlightedText: "#ffffff",
        role.Link: "#6aa8f0",
    }
    palette = QPalette()
    for r, c in colors.items():
        palette.setColor(r, QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, r, QColor("#7a7a80"))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Make the app's palette match ``scheme`` (Unknown: leave the platform's palette)."""
    ours = app.property(_OURS) is True
    if scheme is Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(dark_palette())
        app.setProperty(_OURS, True)
    elif scheme is Qt.ColorScheme.Light and ours:
        app.setPalette(app.style().standardPalette())
        app.setProperty(_OURS, False)


def follow_desktop_scheme(app: QApplication) -> None:
    """Match the desktop's scheme now and whenever it changes."""
    hints = app.styleHints()
    apply_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_scheme(app, scheme))


def apply_theme(theme: str) -> None:
    """The theme preference: ``"system"`` follows the desktop (as ``follow_desktop_scheme``
    does); ``"light"``/``"dark"`` ask Qt for that scheme and, where the platform cannot switch
    (no desktop theme to ask), set the palette of it."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = app.styleHints()
    if theme == "system":
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        if app.property(_OURS) is True:
            app.setPalette(app.style().standardPalette())
            app.setProperty(_OURS, False)
        apply_scheme(app, hints.colorScheme())
        return
    scheme = Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
    apply_scheme(app, scheme)
    if scheme is Qt.ColorScheme.Light and is_dark(app.palette()):
        app.setPalette(app.style().standardPalette())  # a dark desktop that cannot switch
