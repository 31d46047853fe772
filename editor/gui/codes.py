"""Code replacement in the panel's text fields, and the small editor for the list of codes.

``CodeExpander.install(widget)`` hooks a QLineEdit (its ``textEdited``: user edits only) or a
QPlainTextEdit (a key press that types the delimiter, then the change it makes). The expansion
replaces the code through the widget's own editing calls, so the field reports the new text
as a user edit and the window's undo merges it with the typing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.codes import DEFAULT_DELIMITER, expand_at, read_codes, write_codes
from editor.core.fields import FIELDS, FieldKind

TEXT_KINDS = frozenset({FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.LIST})


class CodeExpander(QObject):
    """Expands ``<delimiter>code<delimiter>`` as it is typed in the widgets it is installed on."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.codes: dict[str, str] = {}
        self.delimiter = DEFAULT_DELIMITER
        self._keyed: QPlainTextEdit | None = None  # typed the delimiter just now
        self.fields: list[QWidget] = []  # the fields it expands codes in

    def set_codes(self, codes: Mapping[str, str], delimiter: str = DEFAULT_DELIMITER) -> None:
        self.codes = dict(codes)
        self.delimiter = delimiter or DEFAULT_DELIMITER

    def install(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            self.fields.append(widget)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _t, w=widget: self._line_edited(w))
        elif isinstance(widget, QPlainTextEdit):
            widget.installEventFilter(self)
            widget.textChanged.connect(lambda w=widget: self._text_changed(w))

    def install_on_panel(self, panel: QWidget) -> int:
        """Hook every text field of the metadata panel (``field_<name>`` of a text kind)."""
        count = 0
        for spec in FIELDS:
            if spec.kind in TEXT_KINDS:
                widget = panel.findChild(QWidget, f"field_{spec.name}")
                if isinstance(widget, QLineEdit | QPlainTextEdit):
                    self.install(widget)
                    count += 1
        return count

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QPlainTextEdit)
            and isinstance(event, QKeyEvent)
            and self.delimiter in event.text()
        ):
            self._keyed = watched
        return False

    def _line_edited(self, widget: QLineEdit) -> None:
        found = expand_at(widget.text(), widget.cursorPosition(), self.codes, self.delimiter)
        if found is not None:
            start, end, replacement = found
            widget.setSelection(start, end - start)
            widget.insert(replacement)  # a user edit: textEdited, QLineEdit's undo

    def _text_changed(self, widget: QPlainTextEdit) -> None:
        if self._keyed is not widget:
            return
        self._keyed = None
        cursor = widget.textCursor()
        found = expand_at(widget.toPlainText(), cursor.position(), self.codes, self.delimiter)
        if found is not None:
            start, end, replacement = found
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(replacement)
            widget.setTextCursor(cursor)


class CodesDialog(QDialog):
    """Metadata > Code Replacements: edit the list; OK writes it to ``path`` (tab-separated)."""

    saved = Signal()

    def __init__(
        self, codes: Mapping[str, str], path: Path | None, delimiter: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codesDialog")
        self.setWindowTitle("Code Replacements")
        self.path = path
        intro = QLabel(
            f"Type a code between two “{delimiter}” in any text field, e.g. {delimiter}rw"
            f"{delimiter}, and it becomes its replacement. The list is a tab-separated file "
            "(Photo Mechanic's format)"
            + (f":\n{path}" if path is not None else "."),
            self,
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Code", "Replacement"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 110)
        self.set_codes(codes)
        add = QPushButton("&Add", self)
        add.clicked.connect(self.add_row)
        remove = QPushButton("&Remove", self)
        remove.clicked.connect(self.remove_selected)
        importing = QPushButton("&Import…", self)
        importing.setToolTip("Add the codes of a Photo Mechanic code replacement file")
        importing.clicked.connect(self._choose_import)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for b in (add, remove, importing):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.resize(560, 420)

    def set_codes(self, codes: Mapping[str, str]) -> None:
        self.table.setRowCount(0)
        for code, text in codes.items():
            self._append(code, text)

    def _append(self, code: str, text: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(code))
        self.table.setItem(row, 1, QTableWidgetItem(text))
        return row

    def add_row(self) -> None:
        row = self._append("", "")
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def import_file(self, path: Path) -> int:
        """Add (or update) the codes of a Photo Mechanic file; returns how many."""
        current = self.codes()
        new = read_codes(path)
        current.update(new)
        self.set_codes(current)
        return len(new)

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import Code Replacements", "", "Text files (*.txt *.tsv);;All files (*)"
        )
        if name:
            self.import_file(Path(name))

    def codes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            code_item, text_item = self.table.item(row, 0), self.table.item(row, 1)
            code = code_item.text().strip() if code_item is not None else ""
            if code and "\t" not in code:
                out[code] = (text_item.text() if text_item is not None else "").replace("\t", " ")
        return out

    def accept(self) -> None:
        if self.path is not None:
            try:
                write_codes(self.path, self.codes())
            except OSError as err:
                self.error.setText(f"Not saved to {self.path}: {err.strerror or err}")
                self.error.show()
                return
        self.saved.emit()
        super().accept()
