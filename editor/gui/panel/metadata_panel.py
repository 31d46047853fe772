"""The right-hand metadata panel: one editor per FIELDS entry, multiple-values state, camera facts.

Public interface (used by the main window)::

    class MetadataPanel(QWidget):
        fieldEdited = Signal(str, object)  # (field name, new value), per keystroke for text;
                                           # lists as tuple[str, ...]; date datetime | None;
                                           # gps GPS | None; rating int | None
        nextPhotoRequested = Signal()      # Ctrl+Down anywhere in the panel (focus stays put)
        previousPhotoRequested = Signal()  # Ctrl+Up
        undoRequested = Signal()           # Ctrl+Z in any editor: the window's undo stack,
        redoRequested = Signal()           # Ctrl+Shift+Z / Ctrl+Y: its redo (one history)
        def show_photos(self, items: Sequence[tuple[PhotoMetadata, PhotoRecord]]) -> None
        def set_keyword_completions(self, words: Iterable[str]) -> None
        def focus_caption(self) -> None

Additions:
    editor(name) -> QWidget            the editor widget for a field (tests, focus handling)
    HINT_TEXT                          the text shown when nothing is selected

``show_photos`` never emits ``fieldEdited``, and leaves an editor (text, cursor, focus) alone
when it already holds the value shown. With several photos, a field whose values differ shows
"(multiple values)" and emits nothing until the user types into it. When every photo shown is
read-only the editors are read-only; when only some are, the editors stay editable and a note
says which photos cannot be saved.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeyEvent, QKeySequence, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.alt_text import ALT_TEXT_LIMIT, alt_text_warnings
from editor.core.codecs import iptc
from editor.core.fields import FIELD_BY_NAME, FIELDS, SECTIONS, FieldKind
from editor.core.model import CameraFacts, PhotoMetadata, PhotoRecord, human_size
from editor.gui.panel.datetime_field import DateTimeField
from editor.gui.panel.fields import (
    MULTIPLE_VALUES,
    GpsField,
    LineField,
    ListField,
    TextField,
    small_font,
    warning_colour,
)
from editor.gui.panel.keywords import KeywordsField
from editor.gui.panel.rating import StarRating

HINT_TEXT = "Select a photo to edit its caption"

# Tooltips come from fields.py's help column only (FIELD_BY_NAME[name].help): one home for them.
_IIM_TEXT_KINDS = frozenset({FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.LIST})
_PLACEHOLDERS = {
    "title": "Short title",
    "caption": "Who, what, where, when",
    "alt_text": "What the photo shows",
    "extended_description": "Longer accessibility description",
    "keywords": "keyword; keyword",
    "creator": "Photographer; second photographer",
    "credit": "Jane Doe / Agency",
    "copyright": "© 2024 Jane Doe",
    "usage_terms": "Editorial use only",
    "gps": "48.8584, 2.2945",
}
# The table's sections, in order, each with its fields (the rating lives in the header).
_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (title, tuple(f.name for f in FIELDS if f.section == title)) for title in SECTIONS
)
_CAMERA_ROWS = (
    ("camera", "Camera"),
    ("lens", "Lens"),
    ("exposure", "Exposure"),
    ("iso", "ISO"),
    ("focal", "Focal length"),
    ("pixels", "Pixel size"),
    ("format", "Format"),
    ("size", "File size"),
)


class _Editor(Protocol):
    def set_value(self, value: object, mixed: bool = False) -> None: ...
    def set_read_only(self, read_only: bool) -> None: ...
    def is_mixed(self) -> bool: ...
    def value(self) -> object: ...




def _camera_rows(record: PhotoRecord) -> dict[str, str]:
    """The Camera section's rows, formatted by ``CameraFacts``'s parts (as its summary is)."""
    c: CameraFacts = record.camera
    width, height = record.display_size
    return {
        "camera": c.body(),
        "lens": c.lens,
        "exposure": c.exposure(),
        "iso": c.iso_speed(),
        "focal": c.focal(),
        "pixels": f"{width} × {height}" if width and height else "",
        "format": record.format,
        "size": human_size(record.file_size) if record.file_size else "",
    }


class _Section(QWidget):
    """A collapsible section: a bold header with a disclosure arrow and a rule, then a form."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setStyleSheet("QToolButton { border: none; padding: 2px 0px; }")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(4)
        head.addWidget(self.toggle)
        head.addWidget(rule, 1)
        self.body = QWidget(self)
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(4, 2, 0, 6)
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

    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)


class _Note(QFrame):
    """A small framed message (read-only reason, file warnings) using palette roles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setFont(small_font(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.addWidget(self.label)
        self.hide()

    def set_text(self, text: str, warn: bool = False) -> None:
        pal = self.label.palette()
        role = QPalette.ColorRole.WindowText
        colour = warning_colour(self.palette()) if warn else self.palette().color(role)
        pal.setColor(role, colour)
        self.label.setPalette(pal)
        self.label.setText(text)
        self.setVisible(bool(text))


def _text_icon(text: str, widget: QWidget) -> QIcon:
    size = 16
    ratio = widget.devicePixelRatioF() or 1.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(widget.palette().color(QPalette.ColorRole.Text))
    font = widget.font()
    font.setPixelSize(13)
    painter.setFont(font)
    painter.drawText(0, 0, size, size, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return QIcon(pixmap)


def _is_redo_key(event: QKeyEvent) -> bool:
    """Ctrl+Shift+Z and Ctrl+Y are both redo, whatever the platform's standard key is."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    ctrl = Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    return (event.key() == Qt.Key.Key_Z and mods == ctrl | shift) or (
        event.key() == Qt.Key.Key_Y and mods == ctrl
    )


class MetadataPanel(QWidget):
    """Edits the metadata of the selected photos; see the module docstring for the contract."""

    fieldEdited = Signal(str, object)
    nextPhotoRequested = Signal()
    previousPhotoRequested = Signal()
    undoRequested = Signal()
    redoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[PhotoMetadata, PhotoRecord]] = []
        self._loading = False
        self._editors: dict[str, _Editor] = {}
        self._labels: dict[str, QLabel] = {}
        self.setMinimumWidth(260)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self._scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)

        # Header: file name, pixel size / format, rating.
        self._hint = QLabel(HINT_TEXT, body)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._hint.setContentsMargins(0, 24, 0, 24)
        layout.addWidget(self._hint)
        self._name = QLabel(body)
        name_font = self._name.font()
        name_font.setBold(True)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.12)
        self._name.setFont(name_font)
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._info = QLabel(body)
        self._info.setFont(small_font(self))
        self._info.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._rating = StarRating(body)
        header = QVBoxLayout()
        header.setSpacing(1)
        header.addWidget(self._name)
        header.addWidget(self._info)
        rating_row = QHBoxLayout()
        rating_row.setContentsMargins(0, 4, 0, 0)
        rating_label = QLabel(FIELD_BY_NAME["rating"].label, body)
        rating_label.setBuddy(self._rating)
        rating_row.addWidget(rating_label)
        rating_row.addWidget(self._rating, 1)
        header.addLayout(rating_row)
        self._header = QWidget(body)
        self._header.setLayout(header)
        header.setContentsMargins(0, 0, 0, 2)
        layout.addWidget(self._header)
        self._labels["rating"] = rating_label
        self._editors["rating"] = self._rating
        self._rating.edited.connect(lambda v: self._emit("rating", v))

        self._read_only_note = _Note(body)
        layout.addWidget(self._read_only_note)
        self._warnings = _Note(body)
        layout.addWidget(self._warnings)

        self._sections: dict[str, _Section] = {}
        self._iim_notes: dict[str, QLabel] = {}
        self._caption_count = QLabel(body)
        self._alt_count = QLabel(body)
        self._alt_warning = QLabel(body)
        self._alt_warning.setObjectName("alt_text_warning")
        self._gps_error = QLabel(body)
        self._gps_error.setObjectName("gps_error")
        for title, names in _SECTIONS:
            section = _Section(title, body)
            self._sections[title] = section
            layout.addWidget(section)
            for name in names:
                self._add_field(section, name)
        camera = _Section("Camera", body)
        self._sections["Camera"] = camera
        self._camera: dict[str, QLabel] = {}
        for key, label in _CAMERA_ROWS:
            value = QLabel(camera.body)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            caption = QLabel(label, camera.body)
            caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            caption.setBuddy(value)
            camera.form.addRow(caption, value)
            self._camera[key] = value
        layout.addWidget(camera)
        layout.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)

        self._align_labels()
        self._set_tab_order()
        # Keys reach only widgets that take focus. Filtering every child (labels, frames, the
        # scroll area) cost a call into Python per event, 144 for one paint of the panel, each
        # waiting for the GIL while workers run: 40 ms of a 58 ms first paint after a drop.
        for child in self.findChildren(QWidget):
            if child.focusPolicy() != Qt.FocusPolicy.NoFocus:
                child.installEventFilter(self)
        self.show_photos([])

    # --- construction -------------------------------------------------------------------------
    def _add_field(self, section: _Section, name: str) -> None:
        spec = FIELD_BY_NAME[name]
        parent = section.body
        editor: QWidget
        field_widget: QWidget
        if name == "keywords":
            editor = KeywordsField(parent)
        elif spec.kind is FieldKind.LIST:
            editor = ListField(parent)
        elif spec.kind is FieldKind.TEXT:
            editor = LineField(parent)
        elif spec.kind is FieldKind.MULTILINE:
            lines = {"caption": (4, 14), "alt_text": (2, 6)}.get(name, (2, 10))
            editor = TextField(*lines, parent=parent)
        elif spec.kind is FieldKind.DATETIME:
            editor = DateTimeField(parent)
        elif spec.kind is FieldKind.GPS:
            editor = GpsField(parent)
        else:  # pragma: no cover - rating lives in the header
            raise ValueError(name)
        editor.setObjectName(f"field_{name}")
        editor.setAccessibleName(spec.label)
        tip = spec.help
        editor.setToolTip(tip)
        if name in _PLACEHOLDERS and isinstance(editor, LineField | TextField):
            editor.set_placeholder(_PLACEHOLDERS[name])
        field_widget = editor
        iim_note = self._iim_note(parent, name)
        if name == "caption":
            field_widget = self._with_footer(parent, editor, iim_note, self._caption_count)
        elif iim_note is not None:
            field_widget = self._with_footer(parent, editor, iim_note, None)
        elif name == "alt_text":
            field_widget = self._with_footer(parent, editor, self._alt_warning, self._alt_count)
        elif name == "gps":
            field_widget = self._with_footer(parent, editor, self._gps_error, None)
        if name == "copyright":
            assert isinstance(editor, LineField)
            action = QAction(_text_icon("©", editor), "Insert ©", editor)
            action.setToolTip("Insert a © sign (with the year when the field is empty)")
            action.triggered.connect(self._insert_copyright)
            editor.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
        label = QLabel(spec.label, parent)
        label.setBuddy(editor)
        label.setToolTip(tip)
        label.setForegroundRole(QPalette.ColorRole.WindowText)
        if isinstance(editor, TextField):
            label.setContentsMargins(0, 4, 0, 0)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        else:
            line = editor.edit if isinstance(editor, DateTimeField) else editor
            label.setMinimumHeight(line.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if name == "extended_description":
            label.setText("Extended\ndescription")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        section.form.addRow(label, field_widget)
        self._labels[name] = label
        self._editors[name] = editor  # type: ignore[assignment]
        editor.edited.connect(lambda value, n=name: self._emit(n, value))  # type: ignore[attr-defined]
        if name in ("alt_text", "caption"):
            assert isinstance(editor, TextField)
            editor.textChanged.connect(self._update_counts)
        if iim_note is not None:
            editor.textChanged.connect(lambda *_, n=name: self._update_iim_note(n))  # type: ignore[attr-defined]
        if isinstance(editor, GpsField):
            editor.validityChanged.connect(self._on_gps_validity)

    def _iim_note(self, parent: QWidget, name: str) -> QLabel | None:
        """A line under a field with an IPTC-IIM dataset, shown when the typed text nears or
        passes the bytes IIM holds (the rest is cut there on save; XMP and EXIF keep it all)."""
        spec = FIELD_BY_NAME[name]
        if not spec.iim or spec.kind not in _IIM_TEXT_KINDS or iptc.iim_limit(name) is None:
            return None
        note = QLabel(parent)
        note.setObjectName(f"iim_note_{name}")
        self._iim_notes[name] = note
        return note

    def _update_iim_note(self, name: str) -> None:
        note, editor = self._iim_notes[name], self._editors[name]
        limit = iptc.iim_limit(name)
        text, warn = "", False
        if self._items and limit is not None and not editor.is_mixed():
            value = editor.value()
            items = [str(v) for v in value] if isinstance(value, tuple) else [str(value or "")]
            sizes = [(iptc.iim_bytes(item), item) for item in items]
            over = [(n, item) for n, item in sizes if n > limit]
            if over:
                n, item = over[0]
                which = f"“{item[:20]}…” is" if isinstance(value, tuple) else "This is"
                text = (f"{which} {n} bytes; IPTC-IIM keeps {limit}, so readers of IIM (WordPress)"
                        " see it cut. XMP and EXIF keep it all.")
                warn = True
            elif sizes and max(n for n, _ in sizes) >= 0.8 * limit:
                text = f"{max(n for n, _ in sizes)} of {limit} bytes that IPTC-IIM holds"
        note.setText(text)
        pal = note.palette()
        pal.setColor(
            QPalette.ColorRole.WindowText,
            warning_colour(self.palette()) if warn else self.palette().color(
                QPalette.ColorRole.PlaceholderText
            ),
        )
        note.setPalette(pal)
        note.setVisible(bool(text))

    def _with_footer(
        self, parent: QWidget, editor: QWidget, message: QLabel | None, count: QLabel | None
    ) -> QWidget:
        box = QWidget(parent)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        if count is not None:
            count.setParent(box)
            count.setFont(small_font(self))
            count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            count.setContentsMargins(0, 0, 2, 0)
            column.addWidget(count)
        if message is not None:
            message.setParent(box)
            message.setWordWrap(True)
            message.setFont(small_font(self))
            pal = message.palette()
            pal.setColor(QPalette.ColorRole.WindowText, warning_colour(self.palette()))
            message.setPalette(pal)
            message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            message.setContentsMargins(2, 0, 2, 0)
            message.hide()
            column.addWidget(message)
        return box

    def _align_labels(self) -> None:
        """One label column width across sections, so the editors line up like one form."""
        labels = [
            s.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            for s in self._sections.values()
            for row in range(s.form.rowCount())
        ]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
        self._labels["rating"].setMinimumWidth(width + 4)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self._labels["rating"].setAlignment(right)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self._rating]
        for _, names in _SECTIONS:
            for name in names:
                editor = self._editors[name]
                if isinstance(editor, DateTimeField):
                    chain += [editor.edit, editor.offset, editor.clear_button]
                else:
                    assert isinstance(editor, QWidget)
                    chain.append(editor)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- public API ---------------------------------------------------------------------------
    def editor(self, name: str) -> QWidget:
        """The editor widget for field ``name``."""
        editor = self._editors[name]
        assert isinstance(editor, QWidget)
        return editor

    def show_photos(self, items: Sequence[tuple[PhotoMetadata, PhotoRecord]]) -> None:
        """Show the selected photos' current (edited) values; never emits ``fieldEdited``."""
        self._items = list(items)
        self._loading = True
        try:
            self._show()
        finally:
            self._loading = False
        self._update_counts()
        for name in self._iim_notes:
            self._update_iim_note(name)

    def set_empty_message(self, text: str) -> None:
        """What the panel says when it shows no photo (e.g. why a selected file cannot be read)."""
        self._hint.setText(text or HINT_TEXT)

    def set_keyword_completions(self, words: Iterable[str]) -> None:
        keywords = self._editors["keywords"]
        assert isinstance(keywords, KeywordsField)
        keywords.set_completions(words)

    def focus_caption(self) -> None:
        caption = self.editor("caption")
        caption.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(caption)

    # --- showing ------------------------------------------------------------------------------
    def _show(self) -> None:
        items = self._items
        empty = not items
        self._hint.setVisible(empty)
        self._header.setVisible(not empty)
        for section in self._sections.values():
            section.setEnabled(not empty)
        all_read_only = bool(items) and all(not r.writable for _, r in items)
        for f in FIELDS:
            editor = self._editors[f.name]
            if empty:
                editor.set_value(getattr(PhotoMetadata(), f.name), False)
            else:
                values = [getattr(m, f.name) for m, _ in items]
                mixed = any(v != values[0] for v in values[1:])
                editor.set_value(None if mixed else values[0], mixed)
            editor.set_read_only(all_read_only)
        self._rating.setEnabled(not empty)
        self._show_header()
        self._show_notes(all_read_only)
        self._show_camera()

    def _show_header(self) -> None:
        items = self._items
        if not items:
            self._name.clear()
            self._info.clear()
            return
        if len(items) == 1:
            record = items[0][1]
            self._name.setText(record.path.name)
            self._name.setToolTip(str(record.path))
            w, h = record.display_size
            parts = [f"{w} × {h}" if w and h else "", record.format,
                     human_size(record.file_size) if record.file_size else ""]
            self._info.setText("  ·  ".join(p for p in parts if p))
            self._info.setToolTip(str(record.path.parent))
        else:
            self._name.setText(f"{len(items)} photos selected")
            self._name.setToolTip("\n".join(r.path.name for _, r in items[:30]))
            folders = {r.path.parent for _, r in items}
            self._info.setText(
                f"in {next(iter(folders)).name or next(iter(folders))}"
                if len(folders) == 1 else f"in {len(folders)} folders"
            )
            self._info.setToolTip("")

    def _show_notes(self, all_read_only: bool) -> None:
        items = self._items
        read_only = [r for _, r in items if not r.writable]
        if not read_only:
            self._read_only_note.set_text("")
        elif len(items) == 1:
            reason = read_only[0].read_only_reason or "This file cannot be written."
            self._read_only_note.set_text(f"Read-only: {reason}")
        else:
            reasons = sorted({r.read_only_reason for r in read_only if r.read_only_reason})
            head = (
                "All selected photos are read-only."
                if all_read_only
                else f"{len(read_only)} of {len(items)} photos are read-only; "
                "edits will not be saved to them."
            )
            self._read_only_note.set_text(" ".join([head, *reasons[:3]]))
        lines: list[str] = []
        for _, record in items:
            for warning in record.warnings:
                lines.append(warning if len(items) == 1 else f"{record.path.name}: {warning}")
        if len(lines) > 6:
            lines = [*lines[:5], f"… and {len(lines) - 5} more"]
        self._warnings.set_text("\n".join(f"⚠ {line}" for line in lines), warn=True)

    def _show_camera(self) -> None:
        rows = [_camera_rows(r) for _, r in self._items]
        for key, label in self._camera.items():
            values = {row[key] for row in rows}
            if not rows:
                text = ""
            elif len(values) > 1:
                text = MULTIPLE_VALUES
            else:
                text = next(iter(values)) or "—"
            label.setText(text)
            font = label.font()
            font.setItalic(text == MULTIPLE_VALUES)
            label.setFont(font)
            label.setForegroundRole(
                QPalette.ColorRole.PlaceholderText
                if text in (MULTIPLE_VALUES, "—")
                else QPalette.ColorRole.WindowText
            )

    def _update_counts(self) -> None:
        caption = self._editors["caption"]
        alt = self._editors["alt_text"]
        assert isinstance(caption, TextField) and isinstance(alt, TextField)
        caption_text = caption.toPlainText()
        alt_text = alt.toPlainText()
        if not self._items or caption.is_mixed():
            self._caption_count.setText("")
        else:
            n = len(caption_text)
            self._caption_count.setText(f"{n} character" + ("" if n == 1 else "s"))
        warnings: list[str] = []
        if not self._items or alt.is_mixed():
            self._alt_count.setText("")
        else:
            self._alt_count.setText(f"{len(alt_text)} / {ALT_TEXT_LIMIT}")
            warnings = alt_text_warnings(alt_text, "" if caption.is_mixed() else caption_text)
        self._alt_warning.setText("\n".join(warnings))
        self._alt_warning.setVisible(bool(warnings))

    def _on_gps_validity(self, error: str) -> None:
        self._gps_error.setText(error)
        self._gps_error.setVisible(bool(error))

    # --- editing ------------------------------------------------------------------------------
    def _emit(self, name: str, value: object) -> None:
        if self._loading or not self._items:
            return
        self.fieldEdited.emit(name, value)

    def _insert_copyright(self) -> None:
        editor = self._editors["copyright"]
        assert isinstance(editor, LineField)
        if editor.isReadOnly() or not self._items:
            return
        if editor.text().strip():
            text, cursor = editor.text(), editor.cursorPosition()
            new = text[:cursor] + "©" + text[cursor:]
            editor.user_replace_text(new, cursor + 1)
        else:
            dates = {m.date_taken.year for m, _ in self._items if m.date_taken is not None}
            year = dates.pop() if len(dates) == 1 else date.today().year
            new = f"© {year} "
            editor.user_replace_text(new, len(new))
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            # One undo history: Ctrl+Z in a text field undoes through the window's stack
            # (the same steps as Edit > Undo), never the editor's own private history, which
            # would be out of step with it and is reset whenever another photo is shown.
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo) or _is_redo_key(event)
            if undo or redo:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # deliver it here as a key press, not to the editor
                else:
                    (self.undoRequested if undo else self.redoRequested).emit()
                return True
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.ControlModifier:
                if event.key() == Qt.Key.Key_Down:
                    self.nextPhotoRequested.emit()
                    return True
                if event.key() == Qt.Key.Key_Up:
                    self.previousPhotoRequested.emit()
                    return True
        return super().eventFilter(watched, event)
