"""A 0-5 star rating widget: click a star, or type 0-5; Delete/Backspace removes the rating."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from editor.gui.panel.fields import MULTIPLE_VALUES, small_font

STARS = 5
_STAR = 15  # star size in device-independent pixels
_GAP = 4


def _star_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    cx, cy = rect.center().x(), rect.center().y() + rect.height() * 0.04
    outer = rect.width() / 2
    inner = outer * 0.45
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        point = QPointF(cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        if i == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    path.closeSubpath()
    return path


class StarRating(QWidget):
    """Shows and edits a rating: None (not set), 0 (no stars) .. 5. ``edited`` on user changes.

    Clicking the star equal to the current rating sets 0. Keyboard: 0-5, +/-, Left/Right,
    Delete/Backspace clears (None).
    """

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: int | None = None
        self._mixed = False
        self._read_only = False
        self._hover = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Rating")
        self._update_description()

    # --- editor protocol ----------------------------------------------------------------------
    def value(self) -> int | None:
        return self._value

    def is_mixed(self) -> bool:
        return self._mixed

    def set_value(self, value: object, mixed: bool = False) -> None:
        assert value is None or isinstance(value, int)
        self._value = None if mixed else value
        self._mixed = mixed
        self._update_description()
        self.update()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        shape = Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.PointingHandCursor
        self.setCursor(shape)
        self.update()

    # --- geometry -----------------------------------------------------------------------------
    def star_rect(self, index: int) -> QRectF:
        """The rectangle of star ``index`` (1-based), for painting, hit tests and tests."""
        top = (self.height() - _STAR) / 2
        return QRectF(2 + (index - 1) * (_STAR + _GAP), top, _STAR, _STAR)

    def _star_at(self, x: float) -> int:
        for i in range(1, STARS + 1):
            r = self.star_rect(i)
            if x < r.right() + _GAP / 2:
                return i if x >= r.left() - _GAP / 2 else 0
        return 0

    def sizeHint(self) -> QSize:
        text_width = self.fontMetrics().horizontalAdvance(MULTIPLE_VALUES) + 12
        return QSize(4 + STARS * (_STAR + _GAP) + text_width, max(_STAR + 8, 22))

    def minimumSizeHint(self) -> QSize:
        return QSize(4 + STARS * (_STAR + _GAP), max(_STAR + 8, 22))

    # --- input --------------------------------------------------------------------------------
    def _set_by_user(self, value: int | None) -> None:
        if self._read_only or not self.isEnabled():
            return
        if value == self._value and not self._mixed:
            return
        self._value = value
        self._mixed = False
        self._update_description()
        self.update()
        self.edited.emit(value)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._read_only:
            super().mousePressEvent(event)
            return
        star = self._star_at(event.position().x())
        if star:
            self._set_by_user(0 if star == self._value and not self._mixed else star)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = 0 if self._read_only else self._star_at(event.position().x())
        if hover != self._hover:
            self._hover = hover
            self.update()

    def leaveEvent(self, event: object) -> None:  # type: ignore[override]
        self._hover = 0
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        no_modifiers = not (
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        current = self._value or 0
        if no_modifiers and Qt.Key.Key_0 <= key <= Qt.Key.Key_5:
            self._set_by_user(int(key - Qt.Key.Key_0))
        elif no_modifiers and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._set_by_user(None)
        elif no_modifiers and key in (Qt.Key.Key_Plus, Qt.Key.Key_Right, Qt.Key.Key_Equal):
            self._set_by_user(min(STARS, current + 1))
        elif no_modifiers and key in (Qt.Key.Key_Minus, Qt.Key.Key_Left):
            self._set_by_user(max(0, current - 1))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # --- painting -----------------------------------------------------------------------------
    def _update_description(self) -> None:
        if self._mixed:
            text = MULTIPLE_VALUES
        elif self._value is None:
            text = "not rated"
        else:
            text = f"{self._value} star" + ("" if self._value == 1 else "s")
        self.setAccessibleDescription(text)
        self.setToolTip(f"Rating: {text}. Click a star or type 0-5; Delete removes the rating.")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        enabled = self.isEnabled()
        group = QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
        filled = pal.color(group, QPalette.ColorRole.WindowText)
        empty = QColor(pal.color(group, QPalette.ColorRole.PlaceholderText))
        hover_colour = pal.color(group, QPalette.ColorRole.Highlight)
        shown = self._hover or (self._value or 0)
        for i in range(1, STARS + 1):
            path = _star_path(self.star_rect(i))
            if self._hover and i <= self._hover:
                painter.fillPath(path, hover_colour)
            elif not self._mixed and i <= shown:
                painter.fillPath(path, filled)
            else:
                painter.setPen(empty)
                painter.drawPath(path)
        text = ""
        if self._mixed:
            text = MULTIPLE_VALUES
        elif self._value is None and not self._hover:
            text = "not rated"
        if text:
            painter.setPen(pal.color(group, QPalette.ColorRole.PlaceholderText))
            font = small_font(self)
            font.setItalic(self._mixed)
            painter.setFont(font)
            left = self.star_rect(STARS).right() + 10
            painter.drawText(
                QRectF(left, 0, self.width() - left, self.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                text,
            )
        if self.hasFocus():
            pen = painter.pen()
            pen.setColor(pal.color(QPalette.ColorRole.Highlight))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            right = self.star_rect(STARS).right() + 2
            painter.drawRoundedRect(QRectF(0.5, 0.5, right, self.height() - 1), 3, 3)
        painter.end()
