"""Dialogs to save the current values as a named template and to rename, reorder or delete them."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.core.fields import FIELD_BY_NAME, FIELDS, FieldKind, FieldSpec
from editor.core.model import PhotoMetadata
from editor.core.templates import DEFAULT_TEMPLATE_FIELDS, SHOOT_CONSTANTS, Template
from editor.gui.field_sections import fit_to_screen, sectioned_grid
from editor.gui.panel.fields import split_list, warning_colour
from editor.gui.panel.source_type import DigitalSourceTypeField
from editor.gui.panel.values import display_value

VARIABLES_HINT = (
    "Text can use {filename}, {date}, {year}, {creator} and {n}: they are filled in for each "
    "photo when the template is applied. Template keywords are added to a photo's own."
)


class SaveTemplateDialog(QDialog):
    """Name a template and choose (and adjust) the values it holds; read ``template()`` after exec.

    Text and list values are editable here so variables such as "© {year} {creator}" can be
    typed; date, GPS and rating are taken as they are.
    """

    def __init__(
        self,
        current: PhotoMetadata,
        existing_names: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save Metadata Template")
        self._current = current
        self._existing = {n.casefold() for n in existing_names}
        self._boxes: dict[str, QCheckBox] = {}
        self._edits: dict[str, QLineEdit] = {}
        self._initial: dict[str, str] = {}

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("e.g. Agency defaults")
        self.name_edit.setAccessibleName("Template name")
        name_label = QLabel("Template &name:", self)
        name_label.setBuddy(self.name_edit)
        self._overwrite = QLabel("A template with this name exists; saving replaces it.", self)
        pal = self._overwrite.palette()
        pal.setColor(QPalette.ColorRole.WindowText, warning_colour(self.palette()))
        self._overwrite.setPalette(pal)
        self._overwrite.hide()

        self._source_type: DigitalSourceTypeField | None = None

        def add_row(spec: FieldSpec, grid: QGridLayout, row: int) -> None:
            value = getattr(current, spec.name)
            box = QCheckBox(spec.full_label, self)
            box.setObjectName(f"template_{spec.name}")
            box.setToolTip(spec.help)
            has_value = bool(display_value(spec.name, value))
            default = spec.name in DEFAULT_TEMPLATE_FIELDS or spec.name in SHOOT_CONSTANTS
            box.setChecked(default and has_value)
            grid.addWidget(box, row, 0)
            self._boxes[spec.name] = box
            if spec.name == "digital_source_type":
                combo = DigitalSourceTypeField(self)
                combo.set_value(value)
                combo.setAccessibleName(spec.label)
                combo.edited.connect(lambda _v, b=box: b.setChecked(True))
                self._source_type = combo
                grid.addWidget(combo, row, 1)
            elif spec.kind in (FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.LIST):
                text = "; ".join(value) if spec.kind is FieldKind.LIST else value
                edit = QLineEdit(text, self)
                edit.setCursorPosition(0)
                edit.setAccessibleName(spec.full_label)
                edit.setMinimumWidth(300)
                edit.textEdited.connect(lambda _t, b=box: b.setChecked(True))
                self._edits[spec.name] = edit
                self._initial[spec.name] = text
                grid.addWidget(edit, row, 1)
            else:
                shown = display_value(spec.name, value, limit=60)
                label = QLabel(shown or "(not set)", self)
                label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                if not shown:
                    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
                grid.addWidget(label, row, 1)
            box.toggled.connect(self._update_ok)

        fields = sectioned_grid(self, add_row)

        hint = QLabel(VARIABLES_HINT, self)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        name_row = QHBoxLayout()
        name_row.addWidget(name_label)
        name_row.addWidget(self.name_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(name_row)
        layout.addWidget(self._overwrite)
        layout.addSpacing(6)
        layout.addWidget(QLabel("Fields to include:", self))
        layout.addWidget(fields, 1)
        layout.addSpacing(4)
        layout.addWidget(hint)
        layout.addWidget(self._buttons)
        self.name_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        fit_to_screen(self, 640, 680)

    def checkbox(self, name: str) -> QCheckBox:
        return self._boxes[name]

    def value_edit(self, name: str) -> QLineEdit:
        return self._edits[name]

    def source_type_edit(self) -> DigitalSourceTypeField:
        assert self._source_type is not None
        return self._source_type

    def template_name(self) -> str:
        return self.name_edit.text().strip()

    def selected_fields(self) -> set[str]:
        return {name for name, box in self._boxes.items() if box.isChecked()}

    def template(self) -> Template:
        """The template as chosen: checked fields only, with any values typed here."""
        values: dict[str, object] = {}
        for name in (f.name for f in FIELDS):
            if not self._boxes[name].isChecked():
                continue
            value: object = getattr(self._current, name)
            edit = self._edits.get(name)
            if name == "digital_source_type" and self._source_type is not None:
                value = self._source_type.value()
            elif edit is not None and edit.text() != self._initial[name]:
                kind = FIELD_BY_NAME[name].kind
                value = split_list(edit.text()) if kind is FieldKind.LIST else edit.text()
            values[name] = value
        return Template(self.template_name(), values)

    def _update_ok(self) -> None:
        name = self.template_name()
        self._overwrite.setVisible(name.casefold() in self._existing)
        save = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(name) and bool(self.selected_fields()))


class ManageTemplatesDialog(QDialog):
    """Rename (F2 or double-click), reorder and delete templates; ``templates()`` after exec."""

    def __init__(self, templates: list[Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manage Metadata Templates")
        self._templates = list(templates)
        self._renaming = False
        self.list = QListWidget(self)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.list.setAccessibleName("Templates")
        self.list.setMinimumWidth(220)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setMinimumWidth(260)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setAutoFillBackground(True)
        self.preview.setBackgroundRole(QPalette.ColorRole.Base)
        self.preview.setMargin(6)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rename_button = QPushButton("&Rename", self)
        self.delete_button = QPushButton("&Delete", self)
        self.up_button = QPushButton("Move &Up", self)
        self.down_button = QPushButton("Move Do&wn", self)
        self._error = QLabel(self)
        pal = self._error.palette()
        pal.setColor(QPalette.ColorRole.WindowText, warning_colour(self.palette()))
        self._error.setPalette(pal)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        side = QVBoxLayout()
        for button in (self.rename_button, self.delete_button, self.up_button, self.down_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.preview, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self._error)
        layout.addWidget(buttons)

        self.rename_button.clicked.connect(self._rename)
        self.delete_button.clicked.connect(self.delete_current)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.list.currentRowChanged.connect(self._update)
        self.list.itemChanged.connect(self._on_item_changed)
        self._fill()
        if self._templates:
            self.list.setCurrentRow(0)
        self._update()

    def templates(self) -> list[Template]:
        """The templates as edited, in their new order."""
        return list(self._templates)

    def rename(self, row: int, name: str) -> bool:
        """Rename the template at ``row``; refuses empty and duplicate names (returns False)."""
        name = name.strip()
        others = {t.name.casefold() for i, t in enumerate(self._templates) if i != row}
        ok = bool(name) and name.casefold() not in others
        if not ok:
            self._error.setText(
                "A template needs a name." if not name else f"There is already a template “{name}”."
            )
        else:
            self._error.setText("")
            self._templates[row] = self._templates[row].renamed(name)
        item = self.list.item(row)
        if item is not None and item.text() != self._templates[row].name:
            # Called from itemChanged while the inline editor commits: change the item in place.
            self._renaming = True
            item.setText(self._templates[row].name)
            self._renaming = False
        self._update()
        return ok

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._templates):
            del self._templates[row]
            self._fill(min(row, len(self._templates) - 1))

    def _fill(self, current: int | None = None) -> None:
        self._renaming = True
        self.list.clear()
        for template in self._templates:
            item = QListWidgetItem(template.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self._renaming = False
        if current is not None and current >= 0:
            self.list.setCurrentRow(current)
        self._update()

    def _rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._renaming:
            return
        row = self.list.row(item)
        if item.text() != self._templates[row].name:
            self.rename(row, item.text())

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if 0 <= row < len(self._templates) and 0 <= target < len(self._templates):
            items = self._templates
            items[row], items[target] = items[target], items[row]
            self._fill(target)

    def _update(self, *_: object) -> None:
        row = self.list.currentRow()
        valid = 0 <= row < len(self._templates)
        self.rename_button.setEnabled(valid)
        self.delete_button.setEnabled(valid)
        self.up_button.setEnabled(valid and row > 0)
        self.down_button.setEnabled(valid and row < len(self._templates) - 1)
        if not valid:
            self.preview.setText("No templates yet.")
            return
        template = self._templates[row]
        lines = [
            f"{FIELD_BY_NAME[name].full_label}: {display_value(name, value, 60) or '(empty)'}"
            for name, value in template.values.items()
        ]
        self.preview.setText("\n".join(lines) or "(no fields)")
