"""The left pane: the thumbnail grid under a bar with the filter, the sort order and the size."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from editor.core.library import Filter, SortKey
from editor.gui.photo_grid import PhotoGrid
from editor.gui.photo_model import PhotoFilterModel
from editor.gui.settings import THUMB_MAX, THUMB_MIN
from editor.gui.thumbnailer import Thumbnailer

SORT_LABELS = {
    SortKey.NAME: "Name",
    SortKey.DATE_TAKEN: "Date taken",
    SortKey.CAPTURE_ORDER: "Capture order",
    SortKey.STORY: "Story order",
}
FILTER_LABELS = {
    Filter.ALL: "All photos",
    Filter.MISSING_CAPTION: "Missing caption",
    Filter.MISSING_ALT_TEXT: "Missing alt text",
    Filter.UNSAVED: "Unsaved",
    Filter.PROBLEMS: "Has problems",
    **{f: f"Rated {'★' * f.min_rating}" + (" or more" if f.min_rating < 5 else "")
       for f in (Filter.RATED_1, Filter.RATED_2, Filter.RATED_3, Filter.RATED_4, Filter.RATED_5)},
}


class GridPane(QWidget):
    """Applies filter, sort and size to the proxy and grid itself; announces them for settings."""

    filterChanged = Signal(object)  # Filter
    sortChanged = Signal(object)  # SortKey
    sizeChanged = Signal(int)

    def __init__(
        self,
        proxy: PhotoFilterModel,
        thumbnails: Thumbnailer,
        flt: Filter,
        sort: SortKey,
        size: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("gridPane")
        self._proxy = proxy
        self.grid = PhotoGrid(proxy, thumbnails, self)
        self.grid.set_thumb_size(size)
        proxy.set_sort_key(sort)
        self.grid.set_reorderable(sort is SortKey.STORY)
        proxy.set_filter(flt)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("filterCombo")
        for key, label in FILTER_LABELS.items():
            self.filter_combo.addItem(label, key.value)
        self.filter_combo.setCurrentIndex(list(FILTER_LABELS).index(flt))
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("sortCombo")
        for key, label in SORT_LABELS.items():
            self.sort_combo.addItem(label, key.value)
        self.sort_combo.setCurrentIndex(list(SORT_LABELS).index(sort))
        self.size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.size_slider.setObjectName("thumbSizeSlider")
        self.size_slider.setRange(THUMB_MIN, THUMB_MAX)
        self.size_slider.setValue(size)
        self.size_slider.setMaximumWidth(120)
        self.size_slider.setToolTip("Thumbnail size")

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        bar.setSpacing(6)
        bar.addWidget(QLabel("Show", self))
        bar.addWidget(self.filter_combo)
        bar.addWidget(QLabel("Sort", self))
        bar.addWidget(self.sort_combo)
        bar.addStretch(1)
        bar.addWidget(self.size_slider)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)

        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        self.sort_combo.currentIndexChanged.connect(self._sort_changed)
        self.size_slider.valueChanged.connect(self._size_changed)

    def set_sort(self, key: SortKey) -> None:
        """Choose ``key`` in the sort menu (which applies and announces it)."""
        self.sort_combo.setCurrentIndex(list(SORT_LABELS).index(key))

    def step_size(self, delta: int) -> None:
        self.size_slider.setValue(self.size_slider.value() + delta)

    def _filter_changed(self, index: int) -> None:
        flt = Filter(self.filter_combo.itemData(index))
        self._proxy.set_filter(flt)
        self.filterChanged.emit(flt)

    def _sort_changed(self, index: int) -> None:
        key = SortKey(self.sort_combo.itemData(index))
        self._proxy.set_sort_key(key)
        self.grid.set_reorderable(key is SortKey.STORY)
        current = self.grid.currentIndex()
        if current.isValid():
            self.grid.scrollTo(current)
        self.sortChanged.emit(key)

    def _size_changed(self, value: int) -> None:
        self.grid.set_thumb_size(value)
        self.sizeChanged.emit(value)
