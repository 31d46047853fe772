"""Every field in a scrollable grid grouped under the panel's section headers, for the dialogs
that list fields (template, paste): the same order and names as the panel, on any screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QWidget

from editor.core.fields import FIELDS, SECTIONS, FieldSpec

# The fields without a section (the rating, in the panel's head) come first, without a header.
ORDERED: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    ("", tuple(f for f in FIELDS if f.section not in SECTIONS)),
    *((title, tuple(f for f in FIELDS if f.section == title)) for title in SECTIONS),
)


def sectioned_grid(
    parent: QWidget, add_row: Callable[[FieldSpec, QGridLayout, int], None]
) -> QScrollArea:
    """A scroll area holding a grid: a bold header per section, then ``add_row(spec, grid, row)``
    for each of its fields in table order (column 0 the field's check box, 1 its value)."""
    body = QWidget()
    grid = QGridLayout(body)
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(4)
    grid.setContentsMargins(6, 2, 10, 6)
    row = 0
    for title, specs in ORDERED:
        if not specs:
            continue
        if title:
            header = QLabel(title, body)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            header.setContentsMargins(0, 8 if row else 0, 0, 2)
            grid.addWidget(header, row, 0, 1, 2)
            row += 1
        for spec in specs:
            add_row(spec, grid, row)
            row += 1
    grid.setColumnStretch(1, 1)
    grid.setRowStretch(row, 1)
    scroll = QScrollArea(parent)
    scroll.setWidget(body)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.StyledPanel)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(body.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
    return scroll


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize ``dialog`` to ``width`` x ``height``, or less so it fits the screen it opens on
    (1366 x 768 laptops included), leaving room for the window frame and the task bar."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - 40)
        height = min(height, room.height() - 60)
    dialog.resize(max(width, dialog.minimumSizeHint().width()), height)
