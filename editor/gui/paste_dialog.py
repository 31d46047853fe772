"""Choose which copied fields to paste onto the selected photos."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.core.fields import FIELDS, FieldSpec
from editor.core.model import PhotoMetadata
from editor.core.templates import SHOOT_CONSTANTS
from editor.gui.field_sections import fit_to_screen, sectioned_grid
from editor.gui.panel.values import display_value

DEFAULT_PASTE_FIELDS: frozenset[str] = frozenset(
    {"creator", "credit", "copyright", "usage_terms", "keywords", *SHOOT_CONSTANTS}
)
"""Checked by default (when the copied photo has a value): what stays the same across a shoot.
Headline, title, caption, alt text, people, place, date and GPS describe one photo, so they
start unchecked."""



class PasteFieldsDialog(QDialog):
    """Lists every field with the copied value and a checkbox; ``selected_fields()`` after exec."""

    def __init__(self, source: PhotoMetadata, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste Metadata")
        self._boxes: dict[str, QCheckBox] = {}
        intro = QLabel("Choose the fields to paste onto the selected photos. "
                       "Pasted values replace what the photos hold.", self)
        intro.setWordWrap(True)

        def add_row(spec: FieldSpec, grid: QGridLayout, row: int) -> None:
            value = getattr(source, spec.name)
            box = QCheckBox(spec.full_label, self)
            box.setObjectName(f"paste_{spec.name}")
            has_value = bool(display_value(spec.name, value))
            box.setChecked(spec.name in DEFAULT_PASTE_FIELDS and has_value)
            shown = display_value(spec.name, value, limit=46)
            preview = QLabel(shown or "(empty: pasting clears it)", self)
            preview.setToolTip(display_value(spec.name, value, limit=2000))
            preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            if not shown:
                preview.setForegroundRole(QPalette.ColorRole.PlaceholderText)
                font = preview.font()
                font.setItalic(True)
                preview.setFont(font)
            preview.setBuddy(box)
            box.toggled.connect(self._update_ok)
            grid.addWidget(box, row, 0)
            grid.addWidget(preview, row, 1)
            self._boxes[spec.name] = box

        fields = sectioned_grid(self, add_row)
        select_all = QPushButton("Select &All", self)
        select_none = QPushButton("Select &None", self)
        select_all.clicked.connect(lambda: self._set_all(True))
        select_none.clicked.connect(lambda: self._set_all(False))
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Paste")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(select_all)
        bottom.addWidget(select_none)
        bottom.addStretch(1)
        bottom.addWidget(self._buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addWidget(fields, 1)
        layout.addSpacing(6)
        layout.addLayout(bottom)
        self._update_ok()
        first = next((b for b in self._boxes.values() if b.isChecked()), None)
        (first or self._boxes[FIELDS[0].name]).setFocus(Qt.FocusReason.OtherFocusReason)
        fit_to_screen(self, 560, 680)

    def selected_fields(self) -> set[str]:
        """Names of the checked fields."""
        return {name for name, box in self._boxes.items() if box.isChecked()}

    def checkbox(self, name: str) -> QCheckBox:
        return self._boxes[name]

    def _set_all(self, checked: bool) -> None:
        for box in self._boxes.values():
            box.setChecked(checked)

    def _update_ok(self) -> None:
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.selected_fields()))
