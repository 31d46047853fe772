"""Paints one grid cell: the thumbnail, its name, the caption's start, and the status badges."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from editor.core.library import ItemState
from editor.gui.photo_model import Role

Index = QModelIndex | QPersistentModelIndex

UNSAVED = QColor("#f0a020")
PROBLEM = QColor("#d64541")
MISSING = QColor("#6c8ebf")
PAD = 6


def cell_size(thumb: int, font: QFont) -> QSize:
    """The grid cell for a thumbnail edge of ``thumb`` pixels: image area plus two text lines."""
    fm = QFontMetrics(font)
    return QSize(thumb + 2 * PAD, round(thumb * 0.8) + 2 * PAD + 2 * fm.height() + 6)


class ThumbnailDelegate(QStyledItemDelegate):
    """Draws cells as cards; no widgets per photo. ``thumb_size`` is the image edge in pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumb_size = 168

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return cell_size(self.thumb_size, option.font)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        pal: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = QRect(option.rect).adjusted(3, 3, -3, -3)

        card = pal.color(QPalette.ColorRole.AlternateBase)
        if selected:
            hl = pal.color(QPalette.ColorRole.Highlight)
            card = QColor(hl)
            card.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(card)
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        if selected:
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 6, 6)

        fm = QFontMetrics(option.font)
        image_area = QRect(
            rect.left() + PAD - 3,
            rect.top() + PAD - 3,
            rect.width() - 2 * (PAD - 3),
            rect.height() - 2 * (PAD - 3) - 2 * fm.height() - 6,
        )
        self._paint_image(painter, pal, image_area, index)
        self._paint_badges(painter, image_area, index)

        text_rect = QRect(
            image_area.left() + 2, image_area.bottom() + 5, image_area.width() - 4, fm.height()
        )
        # The selection tint is light, so normal text colour stays readable on it.
        text_color = pal.color(QPalette.ColorRole.Text)
        name_font = QFont(option.font)
        name_font.setBold(bool(index.data(Role.DIRTY)))
        painter.setFont(name_font)
        painter.setPen(text_color)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if index.data(Role.DIRTY):
            name = "• " + name
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(name_font).elidedText(
                name, Qt.TextElideMode.ElideMiddle, text_rect.width()
            ),
        )

        caption = " ".join(str(index.data(Role.CAPTION) or "").split())
        cap_rect = text_rect.translated(0, fm.height())
        cap_font = QFont(option.font)
        dim = QColor(text_color)
        dim.setAlphaF(0.62)
        if not caption:
            state = index.data(Role.STATE)
            caption = "Reading…" if state == ItemState.LOADING.value else "No caption"
            if state == ItemState.ERROR.value:
                caption = "Cannot read"
            cap_font.setItalic(True)
            dim.setAlphaF(0.42)
        painter.setFont(cap_font)
        painter.setPen(dim)
        painter.drawText(
            cap_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(cap_font).elidedText(
                caption, Qt.TextElideMode.ElideRight, cap_rect.width()
            ),
        )
        painter.restore()

    def _paint_image(self, painter: QPainter, pal: QPalette, area: QRect, index: Index) -> None:
        image = index.data(Role.THUMBNAIL)
        if isinstance(image, QImage) and not image.isNull():
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(area.center())
            painter.drawImage(target, image)
            return
        # Placeholder: a quiet frame the size of a 3:2 photo until the thumbnail arrives.
        size = QSize(3, 2).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(area.center())
        ph = pal.color(QPalette.ColorRole.Mid)
        ph.setAlpha(60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ph)
        painter.drawRoundedRect(QRectF(target), 3, 3)

    def _paint_badges(self, painter: QPainter, area: QRect, index: Index) -> None:
        badges: list[tuple[str, QColor]] = []
        if index.data(Role.PROBLEMS):
            badges.append(("!", PROBLEM))
        if index.data(Role.READ_ONLY):
            badges.append(("RO", QColor("#7a7a7a")))
        if index.data(Role.MISSING_CAPTION):
            badges.append(("CAP", MISSING))
        if index.data(Role.MISSING_ALT_TEXT):
            badges.append(("ALT", MISSING))
        font = QFont(painter.font())
        font.setPixelSize(10)
        font.setBold(True)
        fm = QFontMetrics(font)
        painter.setFont(font)
        x = area.right() - 4
        y = area.top() + 4
        h = fm.height() + 2
        if index.data(Role.DIRTY):
            # The unsaved dot sits apart, top-left, where the eye looks first.
            painter.setPen(QPen(QColor(0, 0, 0, 90), 1))
            painter.setBrush(UNSAVED)
            painter.drawEllipse(QPointF(area.left() + 10, area.top() + 10), 5.5, 5.5)
        for text, color in badges:
            w = max(h, fm.horizontalAdvance(text) + 8)
            pill = QRectF(x - w, y, w, h)
            path = QPainterPath()
            path.addRoundedRect(pill, h / 2, h / 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.fillPath(path, color)
            painter.setPen(QColor("white"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            x -= w + 3
