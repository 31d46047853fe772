"""Paints one grid cell: the thumbnail, its name, the caption's start, and the status badges."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from editor.core.library import ItemState
from editor.gui.photo_model import Card, Role

Index = QModelIndex | QPersistentModelIndex

UNSAVED = QColor("#f0a020")
PROBLEM = QColor("#d64541")
MISSING = QColor("#5b7fb5")
READ_ONLY = QColor("#7a7a7a")
PAD = 6
LEFT_CENTER = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def cell_size(thumb: int, font: QFont) -> QSize:
    """The grid cell for a thumbnail edge of ``thumb`` pixels: image area plus two text lines."""
    fm = QFontMetrics(font)
    return QSize(thumb + 2 * PAD, round(thumb * 0.8) + 2 * PAD + 2 * fm.height() + 6)


class _Fonts:
    """Fonts and metrics derived from the view's font, built once rather than per paint."""

    def __init__(self, base: QFont) -> None:
        self.key = base.key()
        self.name = QFont(base)
        self.name_bold = QFont(base)
        self.name_bold.setBold(True)
        self.caption = QFont(base)
        self.placeholder = QFont(base)
        self.placeholder.setItalic(True)
        self.badge = QFont(base)
        self.badge.setPixelSize(10)
        self.badge.setBold(True)
        self.fm = QFontMetrics(base)
        self.fm_bold = QFontMetrics(self.name_bold)
        self.fm_placeholder = QFontMetrics(self.placeholder)
        self.fm_badge = QFontMetrics(self.badge)


class ThumbnailDelegate(QStyledItemDelegate):
    """Draws cells as cards; no widgets per photo. ``thumb_size`` is the image edge in pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumb_size = 144
        self._fonts: _Fonts | None = None

    def fonts(self, base: QFont) -> _Fonts:
        if self._fonts is None or self._fonts.key != base.key():
            self._fonts = _Fonts(base)
        return self._fonts

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return cell_size(self.thumb_size, option.font)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = index.data(Role.CARD)
        if not isinstance(card, Card):
            return
        fonts = self.fonts(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        pal: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = QRect(option.rect).adjusted(3, 3, -3, -3)

        background = pal.color(QPalette.ColorRole.AlternateBase)
        if selected:
            background = QColor(pal.color(QPalette.ColorRole.Highlight))
            background.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        if selected:
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 6, 6)

        line = fonts.fm.height()
        image_area = QRect(
            rect.left() + PAD - 3,
            rect.top() + PAD - 3,
            rect.width() - 2 * (PAD - 3),
            rect.height() - 2 * (PAD - 3) - 2 * line - 6,
        )
        self._paint_image(painter, pal, image_area, card)
        self._paint_badges(painter, image_area, card, fonts)

        # The selection tint is light, so the normal text colour stays readable on it.
        text_color = pal.color(QPalette.ColorRole.Text)
        text_rect = QRect(
            image_area.left() + 2, image_area.bottom() + 5, image_area.width() - 4, line
        )
        painter.setFont(fonts.name_bold if card.dirty else fonts.name)
        painter.setPen(text_color)
        fm = fonts.fm_bold if card.dirty else fonts.fm
        name = ("• " if card.dirty else "") + card.name
        elided = fm.elidedText(name, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, LEFT_CENTER, elided)

        caption_rect = text_rect.translated(0, line)
        dim = QColor(text_color)
        if card.caption:
            dim.setAlphaF(0.62)
            painter.setFont(fonts.caption)
            text, fm = card.caption, fonts.fm
        else:
            dim.setAlphaF(0.42)
            painter.setFont(fonts.placeholder)
            text, fm = {
                ItemState.LOADING: "Reading…",
                ItemState.ERROR: "Cannot read",
                ItemState.DELETED: "Deleted",
            }.get(card.state, "No caption"), fonts.fm_placeholder
        painter.setPen(dim)
        painter.drawText(
            caption_rect,
            LEFT_CENTER,
            fm.elidedText(text, Qt.TextElideMode.ElideRight, caption_rect.width()),
        )
        painter.restore()

    def _paint_image(self, painter: QPainter, pal: QPalette, area: QRect, card: Card) -> None:
        image = card.image
        if image is not None and not image.isNull():
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(area.center())
            painter.drawImage(target, image)
            return
        # Placeholder: a quiet frame the size of a 3:2 photo until the thumbnail arrives.
        size = QSize(3, 2).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(area.center())
        placeholder = pal.color(QPalette.ColorRole.Mid)
        placeholder.setAlpha(60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(placeholder)
        painter.drawRoundedRect(QRectF(target), 3, 3)

    def _paint_badges(self, painter: QPainter, area: QRect, card: Card, fonts: _Fonts) -> None:
        if card.dirty:
            # The unsaved dot sits apart, top-left, where the eye looks first.
            painter.setPen(QPen(QColor(0, 0, 0, 90), 1))
            painter.setBrush(UNSAVED)
            painter.drawEllipse(QPointF(area.left() + 10, area.top() + 10), 5.5, 5.5)
        badges: list[tuple[str, QColor]] = []
        if card.problem:
            badges.append(("!", PROBLEM))
        if card.read_only:
            badges.append(("READ-ONLY", READ_ONLY))
        if card.missing_caption:
            badges.append(("CAP", MISSING))
        if card.missing_alt:
            badges.append(("ALT", MISSING))
        if not badges:
            return
        painter.setFont(fonts.badge)
        h = fonts.fm_badge.height() + 2
        x = area.right() - 4
        y = area.top() + 4
        for text, color in badges:
            w = max(h, fonts.fm_badge.horizontalAdvance(text) + 8)
            pill = QRectF(x - w, y, w, h)
            path = QPainterPath()
            path.addRoundedRect(pill, h / 2, h / 2)
            painter.fillPath(path, color)
            painter.setPen(QColor("white"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            x -= w + 3
