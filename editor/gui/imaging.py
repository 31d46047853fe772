"""Turn Pillow images into QImages; safe on worker threads (QImage is not a GUI-thread object)."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def to_qimage(image: Image.Image) -> QImage:
    """A deep-copied QImage of ``image`` (RGB or RGBA; other modes are converted)."""
    if image.mode == "RGBA":
        fmt, mode, depth = QImage.Format.Format_RGBA8888, "RGBA", 4
    else:
        fmt, mode, depth = QImage.Format.Format_RGB888, "RGB", 3
        if image.mode != "RGB":
            image = image.convert("RGB")
    data = image.tobytes("raw", mode)
    w, h = image.size
    return QImage(data, w, h, w * depth, fmt).copy()
