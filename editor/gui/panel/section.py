"""A foldable panel section (bold header and rule) or sub-group (a quieter header), with a form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget


class Section(QWidget):
    """A header that folds a form away; ``foldChanged(key, expanded)`` when the user folds it."""

    foldChanged = Signal(str, bool)

    def __init__(
        self, key: str, title: str, sub: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.toggle = QToolButton(self)
        self.toggle.setObjectName(f"section_{key}")
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setStyleSheet("QToolButton { border: none; padding: 2px 0px; }")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.toggle.setToolTip(f"Show or hide {title.lower() if sub else title}")
        font = self.toggle.font()
        font.setBold(not sub)
        self.toggle.setFont(font)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(4)
        head.addWidget(self.toggle)
        if not sub:
            rule = QFrame(self)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            head.addWidget(rule, 1)
        else:
            head.addStretch(1)
        self.body = QWidget(self)
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(4 if not sub else 0, 2, 0, 6 if not sub else 2)
        self.form.setHorizontalSpacing(8)
        self.form.setVerticalSpacing(5)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(head)
        outer.addWidget(self.body)
        self.toggle.toggled.connect(self._on_toggled)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        """Fold or unfold without emitting ``foldChanged`` (restoring a remembered state)."""
        self.toggle.blockSignals(True)
        self.toggle.setChecked(expanded)
        self.toggle.blockSignals(False)
        self._show_body(expanded)

    def _on_toggled(self, expanded: bool) -> None:
        self._show_body(expanded)
        self.foldChanged.emit(self.key, expanded)

    def _show_body(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
