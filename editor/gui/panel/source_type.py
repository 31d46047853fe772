"""The digital source type editor: NewsCodes terms as plain-language choices, stored as URIs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget

from editor.core.vocabulary import DIGITAL_SOURCE_TYPES, digital_source_type_uri
from editor.gui.panel.fields import MULTIPLE_VALUES

NOT_SET = "Not set"


class DigitalSourceTypeField(QComboBox):
    """A dropdown of the NewsCodes digital source types; ``edited`` carries the URI ("" = unset).

    A URI the vocabulary does not know (a newer term, another scheme) is shown as itself and
    kept: it stays selected until the user chooses another entry.
    """

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mixed = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.setPlaceholderText(MULTIPLE_VALUES)
        self.addItem(NOT_SET, "")
        for term, label in DIGITAL_SOURCE_TYPES.items():
            uri = digital_source_type_uri(term)
            self.addItem(label, uri)
            self.setItemData(self.count() - 1, uri, Qt.ItemDataRole.ToolTipRole)
        self._known = self.count()
        self.activated.connect(self._on_activated)

    def is_mixed(self) -> bool:
        return self._mixed

    def value(self) -> object:
        data = self.currentData() if self.currentIndex() >= 0 else ""
        return str(data or "")

    def set_value(self, value: object, mixed: bool = False) -> None:
        """Select ``value`` (a URI) or show the multiple-values state, without emitting."""
        self._set_mixed(mixed)
        uri = "" if mixed or value is None else str(value)
        while self.count() > self._known and self.itemData(self.count() - 1) != uri:
            self.removeItem(self.count() - 1)
        if mixed:
            self.setCurrentIndex(-1)
            return
        index = self.findData(uri)
        if index < 0:
            self.addItem(uri, uri)
            self.setItemData(self.count() - 1, "Not an IPTC NewsCodes term: kept as it is",
                             Qt.ItemDataRole.ToolTipRole)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def choose(self, uri: str) -> None:
        """Select ``uri`` as if the user picked it from the list (emits ``edited``)."""
        index = self.findData(uri)
        if index >= 0:
            self.setCurrentIndex(index)
            self._on_activated(index)

    def _on_activated(self, index: int) -> None:
        self._set_mixed(False)
        self.edited.emit(str(self.itemData(index) or ""))

    def _set_mixed(self, mixed: bool) -> None:
        self._mixed = mixed
        font = self.font()
        if font.italic() != mixed:  # shown on every echo while typing elsewhere: no relayout
            font.setItalic(mixed)
            self.setFont(font)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the panel over the dropdown must not change the photo's metadata.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
