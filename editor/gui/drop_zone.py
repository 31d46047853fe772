"""The empty window: a large drop target with Open Folder / Open Files and recent folders."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPixmap, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class DropZone(QWidget):
    """Drops themselves are handled by the main window; this only invites them."""

    openFolderRequested = Signal()
    openFilesRequested = Signal()
    recentRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.highlight = False
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Drop a folder of photos here", self)
        title.setObjectName("dropZoneTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            "Folders are searched for JPEG, PNG, WebP and TIFF photos, including subfolders.", self
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setEnabled(False)

        self.open_folder = QPushButton("Open Folder…", self)
        self.open_folder.setObjectName("openFolderButton")
        self.open_folder.setDefault(True)
        self.open_folder.clicked.connect(self.openFolderRequested)
        self.open_files = QPushButton("Open Files…", self)
        self.open_files.clicked.connect(self.openFilesRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_folder)
        buttons.addWidget(self.open_files)
        buttons.addStretch(1)

        self._recent_box = QVBoxLayout()
        self._recent_box.setSpacing(2)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self._icon)
        layout.addSpacing(10)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(hint)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addSpacing(24)
        layout.addLayout(self._recent_box)
        layout.addStretch(3)
        layout.setContentsMargins(80, 60, 80, 60)

    def set_recent(self, folders: list[str]) -> None:
        while self._recent_box.count():
            child = self._recent_box.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        if not folders:
            return
        label = QLabel("Recent folders", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)
        self._recent_box.addWidget(label)
        for folder in folders[:5]:
            button = QPushButton(folder, self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, f=folder: self.recentRequested.emit(f))
            self._recent_box.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        icon = self.window().windowIcon()
        self._icon.setPixmap(icon.pixmap(72, 72) if not icon.isNull() else QPixmap())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(
            self.palette().color(
                QPalette.ColorRole.Highlight if self.highlight else QPalette.ColorRole.Mid
            )
        )
        pen = QPen(color, 2, Qt.PenStyle.DashLine)
        pen.setDashPattern([6, 4])
        painter.setPen(pen)
        fill = QColor(color)
        fill.setAlpha(28 if self.highlight else 10)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(30, 30, -30, -30), 14, 14)
        painter.end()
