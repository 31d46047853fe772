"""Render ``resources/icons/photocaption.svg`` to ``photocaption-<N>.png`` with Qt's SVG renderer.

Run with ``.venv/bin/python resources/render_icons.py`` after editing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, dest: Path) -> None:
    """Rasterise ``svg`` to a ``size``×``size`` transparent PNG at ``dest``."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise RuntimeError(f"cannot parse {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(dest), "PNG"):
        raise RuntimeError(f"cannot write {dest}")


def main() -> int:
    """Render every size next to the SVG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICON_DIR / "photocaption.svg"
    for size in SIZES:
        dest = ICON_DIR / f"photocaption-{size}.png"
        render(svg, size, dest)
        print(dest.relative_to(ICON_DIR.parent.parent), dest.stat().st_size, "bytes")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
