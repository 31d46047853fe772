"""Turn Pillow images into QImages; safe on worker threads (QImage is not a GUI-thread object)."""

from __future__ import annotations

import sys

from PIL import Image
from PySide6.QtGui import QImage

# Qt paints RGB32 without converting it first (RGB888 is converted on every draw: 40 % of the
# cost of drawing a grid cell). In memory, RGB32 is B, G, R, 0xFF on little-endian machines. The
# fourth byte must be 0xFF: Pillow's "BGRX" writes 0, which Qt then paints as transparent.
_RGB32_RAW = "BGRA" if sys.byteorder == "little" else "ARGB"


def to_qimage(image: Image.Image) -> QImage:
    """A deep-copied QImage of ``image`` (RGB or RGBA; other modes are converted)."""
    if image.mode == "RGBA":
        fmt, mode, depth = QImage.Format.Format_RGBA8888, "RGBA", 4
    else:
        fmt, mode, depth = QImage.Format.Format_RGB32, _RGB32_RAW, 4
        if image.mode != "RGB":
            image = image.convert("RGB")
        image = image.convert("RGBA")  # opaque: alpha 255 everywhere
    data = image.tobytes("raw", mode)
    w, h = image.size
    return QImage(data, w, h, w * depth, fmt).copy()
