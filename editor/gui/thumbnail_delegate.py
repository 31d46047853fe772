"""Paints one grid cell: the thumbnail, its name, the caption's start, and the status badges."""

from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from editor.core.library import ItemState
from editor.gui.photo_model import Card, Role

Index = QModelIndex | QPersistentModelIndex

UNSAVED = QColor("#f0a020")
STARS = QColor("#ffc83d")
PROBLEM = QColor("#d64541")
MISSING = QColor("#5b7fb5")
READ_ONLY = QColor("#7a7a7a")
PAIR = QColor("#5a6b7d")  # a RAW+JPEG pair: information, not a problem
PAD = 6
LEFT_CENTER = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
PIXMAP_CACHE = 256  # rendered cells kept: a few screens' worth (~100 KB each)
FRAME_BUDGET_S = 0.008  # drawing new cells in one paint; the rest show their last look


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


BLANK_CARD = Card("", "", ItemState.LOADING, False, False, False, False, False, None)


def badge_rects(area: QRect, widths: list[int], h: int, dirty: bool) -> list[QRectF]:
    """Where the badges go: right to left from the picture's top-right corner; one that would
    pass the unsaved dot (or the edge of a narrow card) starts a new row below, never spills."""
    left = area.left() + (20 if dirty else 4)
    right = area.right() - 4
    x, y = right, area.top() + 4
    out = []
    for w in widths:
        if x - w < left and x < right:
            x, y = right, y + h + 3
        out.append(QRectF(x - min(w, right - left), y, min(w, right - left), h))
        x -= w + 3
    return out


class ThumbnailDelegate(QStyledItemDelegate):
    """Draws cells as cards; no widgets per photo. ``thumb_size`` is the image edge in pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumb_size = 144
        self._fonts: _Fonts | None = None
        self._pixmaps: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
        self._latest: OrderedDict[Path | None, tuple[Card, QPixmap]] = OrderedDict()
        self._frame_spent = 0.0
        self._deferred: list[QRect] = []
        self.drawn: Card | None = None  # what the last paint() put on screen

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
        if card.image is None and card.state is ItemState.LOADING:
            # Neither thumbnail nor metadata yet (the first tenth of a second of a folder): one
            # empty card serves every such cell, instead of drawing each name for a moment.
            card = BLANK_CARD
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        size = option.rect.size()
        dpr = painter.device().devicePixelRatioF()
        looks = (selected, size.width(), size.height(), dpr, option.palette.cacheKey())
        key = self._key(card, looks, option)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
        elif self._frame_spent >= FRAME_BUDGET_S:
            # This paint has drawn enough new cells: show this one as it was a moment ago (or
            # as an empty card) and draw it anew in the next paint, so no paint stalls the UI.
            self._deferred.append(QRect(option.rect))
            latest = self._latest.get(card.path)
            if latest is not None:
                self.drawn = latest[0]
                painter.drawPixmap(option.rect.topLeft(), latest[1])
                return
            blank_key = self._key(BLANK_CARD, looks, option)
            pixmap = self._cached(BLANK_CARD, blank_key, option, selected, size, dpr)
            self.drawn = BLANK_CARD
            painter.drawPixmap(option.rect.topLeft(), pixmap)
            return
        else:
            started = time.perf_counter()
            pixmap = self._cached(card, key, option, selected, size, dpr)
            self._frame_spent += time.perf_counter() - started
        if card.path is not None:
            self._latest[card.path] = (card, pixmap)
            self._latest.move_to_end(card.path)
            if len(self._latest) > PIXMAP_CACHE:
                self._latest.popitem(last=False)
        self.drawn = card
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def _cached(
        self,
        card: Card,
        key: tuple[object, ...],
        option: QStyleOptionViewItem,
        selected: bool,
        size: QSize,
        dpr: float,
    ) -> QPixmap:
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = self._render(card, option, selected, size, dpr)
            self._pixmaps[key] = pixmap
            if len(self._pixmaps) > PIXMAP_CACHE:
                self._pixmaps.popitem(last=False)
        return pixmap

    def _key(
        self, card: Card, looks: tuple[object, ...], option: QStyleOptionViewItem
    ) -> tuple[object, ...]:
        """Everything a rendered cell depends on: equal keys, equal pixels."""
        image = card.image
        return (
            card.name,
            card.caption,
            card.state,
            card.dirty,
            card.problem,
            card.read_only,
            card.missing_caption,
            card.missing_alt,
            card.rating,
            card.companion,
            image.cacheKey() if image is not None else 0,
            *looks,
            self.fonts(option.font).key,
        )

    def begin_frame(self) -> None:
        """The view starts a paint: the rendering budget starts afresh."""
        self._frame_spent = 0.0
        self._deferred = []

    def take_deferred(self) -> list[QRect]:
        """Cells shown as they were because the budget ran out; the view repaints them next."""
        deferred, self._deferred = self._deferred, []
        return deferred

    def _render(
        self, card: Card, option: QStyleOptionViewItem, selected: bool, size: QSize, dpr: float
    ) -> QPixmap:
        """The cell drawn once into a pixmap: a grid repaints unchanged cells many times while a
        folder streams in, and drawing a cell costs ~30 calls into Qt, a blit one."""
        pixmap = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            self._paint_card(painter, option, QRect(QPoint(0, 0), size), card, selected)
        finally:
            painter.end()
        return pixmap

    def _paint_card(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        cell: QRect,
        card: Card,
        selected: bool,
    ) -> None:
        fonts = self.fonts(option.font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        pal: QPalette = option.palette
        rect = QRect(cell).adjusted(3, 3, -3, -3)

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

    def _paint_stars(
        self, painter: QPainter, area: QRect, rating: int, fonts: _Fonts, h: int
    ) -> None:
        """The rating as stars on a dark pill, bottom-left of the picture."""
        text = "★" * rating
        w = fonts.fm_badge.horizontalAdvance(text) + 8
        pill = QRectF(area.left() + 4, area.bottom() - 4 - h, min(w, area.width() - 8), h)
        path = QPainterPath()
        path.addRoundedRect(pill, h / 2, h / 2)
        painter.fillPath(path, QColor(0, 0, 0, 150))
        painter.setPen(STARS)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

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
        if card.companion:
            badges.append((f"{card.companion}+JPEG", PAIR))
        painter.setFont(fonts.badge)
        h = fonts.fm_badge.height() + 2
        if card.rating > 0:
            self._paint_stars(painter, area, card.rating, fonts, h)
        if not badges:
            return
        widths = [max(h, fonts.fm_badge.horizontalAdvance(t) + 8) for t, _ in badges]
        for (text, color), pill in zip(
            badges, badge_rects(area, widths, h, card.dirty), strict=True
        ):
            path = QPainterPath()
            path.addRoundedRect(pill, h / 2, h / 2)
            painter.fillPath(path, color)
            painter.setPen(QColor("white"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
