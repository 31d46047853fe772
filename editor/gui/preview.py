"""The large preview: the current photo decoded off the GUI thread, fitted, with an EXIF summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from editor.core.model import PhotoRecord, human_size
from editor.core.partial_dates import PartialDate
from editor.core.thumbnails import load_preview
from editor.gui.imaging import to_qimage
from editor.gui.workers import TaskHandle, WorkerPool

MIN_DECODE, MAX_DECODE = 512, 4096


def _load(path: Path, max_px: int) -> QImage:
    return to_qimage(load_preview(path, max_px))




def exif_summary(record: PhotoRecord | None) -> str:
    """Camera, lens and exposure, then pixel size and file size, on one line."""
    if record is None:
        return ""
    parts = [record.camera.summary()] if record.camera.summary() else []
    w, h = record.display_size
    if w and h:
        parts.append(f"{w} × {h}")
    if record.file_size:
        parts.append(human_size(record.file_size))
    taken = record.metadata.date_taken
    if taken is not None:  # a date-only value is shown without an invented time
        shown = str(taken) if isinstance(taken, PartialDate) else taken.strftime("%Y-%m-%d %H:%M")
        parts.append(shown)
    return "  ·  ".join(parts)


class ImageView(QWidget):
    """Paints one image scaled to fit (never upscaled past 2x), centred on a neutral backdrop."""

    doubleClicked = Signal()
    stepRequested = Signal(int)  # arrow keys / Page Up / Page Down: previous (-1) or next (+1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self._image: QImage | None = None
        self._message = ""
        self._scaled: tuple[QSize, QPixmap] | None = None  # the image at its painted size

    def set_image(self, image: QImage | None, message: str = "") -> None:
        self._image = image
        self._message = message
        self._scaled = None
        self.update()

    @property
    def image(self) -> QImage | None:
        return self._image

    def image_rect(self) -> QRect:
        if self._image is None or self._image.isNull():
            return QRect()
        area = self.rect().adjusted(12, 12, -12, -12)
        size = self._image.size()
        dpr = self.devicePixelRatioF()
        fitted = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if fitted.width() > size.width() * 2 / dpr:  # a small placeholder: do not blow it up
            fitted = QSize(round(size.width() * 2 / dpr), round(size.height() * 2 / dpr))
        target = QRect(0, 0, fitted.width(), fitted.height())
        target.moveCenter(area.center())
        return target

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        backdrop = self.palette().color(QPalette.ColorRole.Window)
        backdrop = backdrop.darker(115) if backdrop.lightness() > 128 else backdrop.darker(140)
        painter.fillRect(self.rect(), backdrop)
        if self._image is not None and not self._image.isNull():
            target = self.image_rect()
            painter.drawPixmap(target, self._pixmap_for(target.size()))
        if self._message:
            color = QColor(self.palette().color(QPalette.ColorRole.WindowText))
            color.setAlphaF(0.6)
            painter.setPen(color)
            painter.drawText(
                self.rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._message,
            )
        painter.end()

    def _pixmap_for(self, size: QSize) -> QPixmap:
        """The image smoothly scaled to ``size`` once, not on every repaint of the window."""
        if self._scaled is None or self._scaled[0] != size:
            assert self._image is not None
            dpr = self.devicePixelRatioF()
            scaled = self._image.scaled(
                round(size.width() * dpr),
                round(size.height() * dpr),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(dpr)
            self._scaled = (QSize(size), pixmap)
        return self._scaled[1]

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.doubleClicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # In the full-window view the photo has focus: arrows flip through the photos, as in
        # any loupe view, instead of doing nothing.
        steps = {
            Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageDown: 1,
            Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageUp: -1,
        }
        step = steps.get(Qt.Key(event.key()))
        if step is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.stepRequested.emit(step)
            event.accept()
            return
        super().keyPressEvent(event)


class PreviewPane(QWidget):
    """Shows one photo large; ``show_photo`` starts a decode sized to the pane, stale ones drop."""

    toggleFullView = Signal()
    previewReady = Signal(object)  # Path
    stepRequested = Signal(int)  # the view asks for the previous (-1) or next (+1) photo

    def __init__(self, pool: WorkerPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self._pool = pool
        self.view = ImageView(self)
        self.view.doubleClicked.connect(self.toggleFullView)
        self.view.stepRequested.connect(self.stepRequested)
        self.info = QLabel(self)
        self.info.setObjectName("exifSummary")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setContentsMargins(10, 4, 10, 6)
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self._path: Path | None = None
        self._job: TaskHandle | None = None
        self._decoded_px = 0  # long edge asked for by the last finished or running decode
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(150)
        self._resize_timer.timeout.connect(self._maybe_reload)
        self.view.set_image(None, "")

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def loading(self) -> bool:
        return self._job is not None

    def _wanted_px(self) -> int:
        dpr = self.view.devicePixelRatioF()
        edge = max(self.view.width(), self.view.height()) * dpr
        return int(min(MAX_DECODE, max(MIN_DECODE, edge)))

    def show_photo(
        self, path: Path | None, record: PhotoRecord | None, placeholder: QImage | None = None
    ) -> None:
        """Show ``path``; ``placeholder`` (the thumbnail) stands in until the decode arrives."""
        if self._job is not None:
            self._pool.cancel(self._job)
            self._job = None
        self.info.setText(exif_summary(record))
        if path is None:
            self._path = None
            self.view.set_image(None, "")
            return
        same = path == self._path
        self._path = path
        if not same or self.view.image is None:
            self.view.set_image(placeholder, "" if placeholder is not None else "Loading…")
        self._start(path)

    def set_record(self, record: PhotoRecord | None) -> None:
        """The current photo's record arrived or changed: update the summary line."""
        self.info.setText(exif_summary(record))

    def reload(self) -> None:
        """The file changed on disk: decode it again."""
        if self._path is not None:
            self._start(self._path)

    def _start(self, path: Path) -> None:
        px = self._wanted_px()
        self._decoded_px = px
        self._job = self._pool.submit(
            _load,
            path,
            px,
            on_done=lambda image, p=path: self._done(p, image),
            on_error=lambda reason, p=path: self._failed(p, reason),
            priority=20,
        )

    def _done(self, path: Path, image: QImage) -> None:
        if path != self._path:
            return
        self._job = None
        self.view.set_image(image)
        self.previewReady.emit(path)

    def _failed(self, path: Path, reason: str) -> None:
        if path != self._path:
            return
        self._job = None
        self.view.set_image(None, reason)
        self.previewReady.emit(path)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()

    def _maybe_reload(self) -> None:
        # Only a bigger pane needs more pixels; shrinking scales the decode we have.
        if self._path is not None and self._wanted_px() > self._decoded_px * 1.1:
            self._start(self._path)
