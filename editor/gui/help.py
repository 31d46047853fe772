"""Help: the keyboard-shortcut sheet (the README's table, kept equal to it by a test) and About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor import __version__

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+O / Ctrl+Shift+O", "open a folder / open files"),
    ("Ctrl+S / Ctrl+Alt+S", "save all unsaved photos / save the selected ones"),
    ("Ctrl+E", "export an article-ready set (File > Publish to WordPress… for a post)"),
    (
        "Ctrl+Shift+Up / Ctrl+Shift+Down",
        "move the selected photos earlier / later in the story (grid)",
    ),
    ("Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y)", "undo / redo"),
    ("Ctrl+Down / Ctrl+Up", "next / previous photo without leaving the field you are typing in"),
    ("Ctrl+] / Ctrl+[", "next / previous photo from anywhere"),
    ("Ctrl+Shift+C / Ctrl+Shift+V", "copy metadata / paste chosen fields onto the selection"),
    ("Ctrl+Shift+T", "shift the dates and times of the selected photos"),
    ("Ctrl+A", "select all photos (in the grid)"),
    ("Space, double-click / Esc", "full-window preview / back"),
    ("Ctrl++ / Ctrl+-", "larger / smaller thumbnails"),
    ("0–5 in the grid or on the stars", "rating"),
    ("F5", "reload the folder"),
    ("=code=", "in a text field: expands a code from the code-replacement list"),
    ("right-click an underlined word", "spelling suggestions, add to dictionary"),
    ("Ctrl+,", "preferences"),
    ("F1", "this list of shortcuts"),
    ("Ctrl+Q", "quit"),
)
"""(keys, action): the rows of the README's "keys | action" table, in its order."""


class ShortcutSheet(QDialog):
    """Help > Keyboard Shortcuts: a read-only table, non-modal so it can stay open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard Shortcuts")
        self.table = QTableWidget(len(SHORTCUTS), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        for row, (keys, action) in enumerate(SHORTCUTS):
            key_item = QTableWidgetItem(keys)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(action))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(680, 520)


ABOUT_TEXT = (
    "<h3>PhotoCaption {version}</h3>"
    "<p>Caption, credit and export photos for articles — without ever damaging the originals.</p>"
    "<p>Every save is atomic and verified; untouched tags, maker notes included, are kept.</p>"
    "<p>Built with Qt (PySide6), Pillow, piexif, defusedxml and pyspellchecker. MIT licence.</p>"
)


def about_box(parent: QWidget | None = None) -> QMessageBox:
    """Help > About: a non-modal box (tests find it and close it)."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About PhotoCaption")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(ABOUT_TEXT.format(version=__version__))
    if parent is not None and not parent.windowIcon().isNull():
        box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box
