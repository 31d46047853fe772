"""Thumbnails reach the screen in their own colours: through to_qimage and a painted grid cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QListView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from editor.core.library import ItemState
from editor.gui.imaging import to_qimage
from editor.gui.photo_model import Card
from editor.gui.thumbnail_delegate import ThumbnailDelegate

ORANGE = (240, 120, 20)


def _close(color: QColor, rgb: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(color.getRgb()[:3], rgb, strict=True))


def _on_white(layer: QImage) -> QImage:
    """``layer`` composited onto an opaque white screen, as the window shows it."""
    screen = QImage(layer.size(), QImage.Format.Format_RGB32)
    screen.fill(Qt.GlobalColor.white)
    painter = QPainter(screen)
    painter.drawImage(0, 0, layer)
    painter.end()
    return screen


@pytest.mark.parametrize("mode", ["RGB", "L", "P", "RGBA"])
def test_a_converted_image_paints_opaque_in_its_colour(mode: str) -> None:
    source = Image.new("RGB", (64, 48), ORANGE)
    if mode != "RGB":
        source = source.convert(mode, dither=Image.Dither.NONE)
    expected = source.convert("RGB").getpixel((0, 0))  # a palette or grey changes the orange
    image = to_qimage(source)
    canvas = QImage(32, 24, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.GlobalColor.transparent)  # a cell's pixmap starts transparent
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(QRect(0, 0, 32, 24), image)  # scaled, as the grid draws it
    painter.end()
    # Composited again: an image whose alpha bytes are 0 would add to the white and vanish.
    assert _close(_on_white(canvas).pixelColor(16, 12), expected)  # type: ignore[arg-type]


def test_a_grid_cell_shows_the_thumbnail_not_the_background(qtbot: QtBot) -> None:
    view = QListView()
    qtbot.addWidget(view)
    delegate = ThumbnailDelegate(view)
    image = to_qimage(Image.new("RGB", (384, 256), ORANGE))
    card = Card("a.jpg", "", ItemState.READY, False, False, False, False, False, image,
                path=Path("/x/a.jpg"))
    option = QStyleOptionViewItem()
    option.initFrom(view)
    size = QSize(156, 180)
    option.rect = QRect(0, 0, size.width(), size.height())
    pixmap = delegate._render(card, option, False, size, 1.0)
    centre = _on_white(pixmap.toImage()).pixelColor(size.width() // 2, 60)
    assert _close(centre, ORANGE), centre.getRgb()
