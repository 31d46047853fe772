"""The right-hand metadata panel: one editor per FIELDS entry, multiple-values state, camera facts.

Public interface (used by the main window)::

    class MetadataPanel(QWidget):
        fieldEdited = Signal(str, object)  # (field name, new value), per keystroke for text;
                                           # lists as tuple[str, ...]; date datetime | None;
                                           # gps GPS | None; rating int | None
        keywordsChanged = Signal(list, tuple, tuple)  # (paths, added, removed): keywords
                                           # added to / removed from each of those photos,
                                           # when their keywords differ (KeywordsField)
        nextPhotoRequested = Signal()      # Ctrl+Down anywhere in the panel (focus stays put)
        previousPhotoRequested = Signal()  # Ctrl+Up
        undoRequested = Signal()           # Ctrl+Z in any editor: the window's undo stack,
        redoRequested = Signal()           # Ctrl+Shift+Z / Ctrl+Y: its redo (one history)
        def show_photos(self, items: Sequence[tuple[PhotoMetadata, PhotoRecord]]) -> None
        def set_keyword_completions(self, words: Iterable[str]) -> None
        def focus_caption(self) -> None

Additions:
    editor(name) -> QWidget            the editor widget for a field (tests, focus handling)
    section(key) -> Section            a section ("Description"...) or sub-group ("creator_contact")
    section_states() -> dict[str, bool]    which sections are open, to remember (settings)
    set_section_states(states)             restore them; sectionsChanged when the user folds one
    HINT_TEXT                          the text shown when nothing is selected

The layout comes from the field table: one section per ``fields.SECTIONS`` entry holding its
fields in table order; members of a struct group listed in ``SUBGROUPS`` (the creator's contact
info) form a foldable sub-group inside their section, folded by default. A new row in the table
appears in its section with no change here. Each tooltip is the field's help and where it is
stored (``storage.field_tooltip``).

``show_photos`` never emits ``fieldEdited``, and leaves an editor (text, cursor, focus) alone
when it already holds the value shown. With several photos, a field whose values differ shows
"(multiple values)" and emits nothing until the user types into it. When every photo shown is
read-only the editors are read-only; when only some are, the editors stay editable and a note
says which photos cannot be saved.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
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
    QVBoxLayout,
    QWidget,
)

from editor.core.alt_text import ALT_TEXT_LIMIT, alt_text_warnings
from editor.core.codecs.iptc import iim_overflows
from editor.core.fields import FIELD_BY_NAME, FIELDS, SECTIONS
from editor.core.formats import BY_NAME
from editor.core.model import CameraFacts, PhotoMetadata, PhotoRecord, human_size
from editor.gui.panel.country import CountryCodeField
from editor.gui.panel.datetime_field import DateTimeField
from editor.gui.panel.editors import PLACEHOLDERS, label_text, make_editor
from editor.gui.panel.fields import (
    MULTIPLE_VALUES,
    GpsField,
    LineField,
    TextField,
    small_font,
    warning_colour,
)
from editor.gui.panel.iim_note import IimNote, set_note_colour, wants_iim_note
from editor.gui.panel.keywords import KeywordsField
from editor.gui.panel.rating import StarRating
from editor.gui.panel.section import Section

HINT_TEXT = "Select a photo to edit its caption"

# Examples are for typing: where nothing can be typed they would read like real values.
_READ_ONLY_PLACEHOLDER = "Not set"
# Struct groups shown as a foldable sub-group of their section, with its title; folded at first.
SUBGROUPS: dict[str, str] = {"creator_contact": "Creator's contact info"}
FOLDED_BY_DEFAULT: frozenset[str] = frozenset(SUBGROUPS)

Row = str | tuple[str, tuple[str, ...]]  # a field, or a sub-group's key and its fields


def _rows(section: str) -> list[Row]:
    """The section's rows in table order; a sub-group sits where its first member is."""
    rows: list[Row] = []
    for spec in FIELDS:
        if spec.section != section:
            continue
        if spec.group in SUBGROUPS:
            if not any(isinstance(r, tuple) and r[0] == spec.group for r in rows):
                members = tuple(f.name for f in FIELDS if f.group == spec.group)
                rows.append((spec.group, members))
        else:
            rows.append(spec.name)
    return rows


# The table's sections, in order, each with its rows (the rating lives in the header).
_SECTIONS: tuple[tuple[str, list[Row]], ...] = tuple((title, _rows(title)) for title in SECTIONS)
# Every field in layout order: the Tab order.
_LAYOUT_ORDER: tuple[str, ...] = tuple(
    name
    for _, rows in _SECTIONS
    for row in rows
    for name in ((row,) if isinstance(row, str) else row[1])
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




def store_text(record: PhotoRecord) -> str:
    """Where a photo's metadata is kept, for the header: "" (in the photo) or "→ IMG_1.xmp"."""
    if record.metadata_store == "sidecar" and record.sidecar is not None:
        return f"→ {record.sidecar.name}"
    return ""


def store_tooltip(record: PhotoRecord) -> str:
    if record.metadata_store != "sidecar" or record.sidecar is None:
        return ""
    new = "" if record.sidecar.exists() else " (created on the first save)"
    return (
        f"Metadata is kept in the XMP sidecar {record.sidecar.name}{new}; "
        f"the {record.format} file itself is never written."
    )


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


STILL_READING = "Still reading "
"""How a read-only reason starts when the panel waits for selected photos still being read."""


def _may_carry_iim(record: PhotoRecord) -> bool:
    """Whether a save may write IPTC-IIM for this photo: its metadata is in the file and the
    format holds IIM (an XMP sidecar, of a RAW or HEIC, has none)."""
    if record.metadata_store != "file":
        return False
    spec = BY_NAME.get("TIFF" if record.format == "DNG" else record.format)
    return spec is not None and ("IIM" in spec.stores or "IIM" in spec.kept_in_step)


def _current_warnings(edited: PhotoMetadata, record: PhotoRecord) -> list[str]:
    """The file's warnings, less those about an IIM overflow its edited values no longer have
    (a value typed anew is checked by the field's own IIM note while typing)."""
    if edited == record.metadata:
        return list(record.warnings)
    stale = set(iim_overflows(record.metadata)) - set(iim_overflows(edited))
    return [w for w in record.warnings if w not in stale]


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
    keywordsChanged = Signal(list, tuple, tuple)  # (paths, added to each, removed from each)
    nextPhotoRequested = Signal()
    previousPhotoRequested = Signal()
    undoRequested = Signal()
    redoRequested = Signal()
    sectionsChanged = Signal()

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

        self._problems = _Note(body)
        self._problems.setObjectName("panel_problems")
        layout.addWidget(self._problems)
        self._read_only_note = _Note(body)
        layout.addWidget(self._read_only_note)
        self._warnings = _Note(body)
        layout.addWidget(self._warnings)

        self._sections: dict[str, Section] = {}
        self._iim_notes: dict[str, IimNote] = {}
        self._caption_count = QLabel(body)
        self._alt_count = QLabel(body)
        self._alt_warning = QLabel(body)
        self._alt_warning.setObjectName("alt_text_warning")
        self._gps_error = QLabel(body)
        self._gps_error.setObjectName("gps_error")
        self._country_note = QLabel(body)
        self._country_note.setObjectName("country_code_note")
        for title, rows in _SECTIONS:
            section = self._add_section(title, title, body)
            layout.addWidget(section)
            for row in rows:
                if isinstance(row, str):
                    self._add_field(section, row)
                    continue
                key, members = row
                sub = self._add_section(key, SUBGROUPS[key], section.body, sub=True)
                section.form.addRow(sub)
                for name in members:
                    self._add_field(sub, name)
        camera = self._add_section("Camera", "Camera", body)
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
        self.set_section_states({})

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
    def _add_section(self, key: str, title: str, parent: QWidget, sub: bool = False) -> Section:
        section = Section(key, title, sub, parent)
        section.foldChanged.connect(lambda *_: self.sectionsChanged.emit())
        self._sections[key] = section
        return section

    def _add_field(self, section: Section, name: str) -> None:
        spec = FIELD_BY_NAME[name]
        parent = section.body
        editor = make_editor(spec, parent)
        tip = editor.toolTip()
        field_widget: QWidget = editor
        iim_note = IimNote(name, parent) if wants_iim_note(name) else None
        if iim_note is not None:
            self._iim_notes[name] = iim_note
        if name == "caption":
            field_widget = self._with_footer(parent, editor, iim_note, self._caption_count)
        elif iim_note is not None:
            field_widget = self._with_footer(parent, editor, iim_note, None)
        elif name == "alt_text":
            field_widget = self._with_footer(parent, editor, self._alt_warning, self._alt_count)
        elif name == "gps":
            field_widget = self._with_footer(parent, editor, self._gps_error, None)
        elif isinstance(editor, CountryCodeField):
            field_widget = self._beside(parent, editor, self._country_note)
        if isinstance(editor, KeywordsField):
            field_widget = editor.selection_box(field_widget)
            editor.keywordsChanged.connect(self._emit_keywords)
        if name == "copyright":
            assert isinstance(editor, LineField)
            action = QAction(_text_icon("©", editor), "Insert ©", editor)
            action.setToolTip("Insert a © sign (with the year when the field is empty)")
            action.triggered.connect(self._insert_copyright)
            editor.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
        text = label_text(spec.label)
        label = QLabel(text, parent)
        label.setBuddy(editor)
        label.setToolTip(tip)
        label.setForegroundRole(QPalette.ColorRole.WindowText)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if isinstance(editor, TextField) or "\n" in text:
            label.setContentsMargins(0, 4 if isinstance(editor, TextField) else 0, 0, 0)
        else:
            # Level with the editor's line, also when a note or a second row hangs below it.
            line = editor.edit if isinstance(editor, DateTimeField) else editor
            top = max(0, (line.sizeHint().height() - label.sizeHint().height()) // 2)
            label.setContentsMargins(0, top, 0, 0)
            label.setMinimumHeight(line.sizeHint().height())
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
        if isinstance(editor, CountryCodeField):
            editor.textChanged.connect(self._update_country_note)

    def _beside(self, parent: QWidget, editor: QWidget, note: QLabel) -> QWidget:
        """A short editor with a note to its right (the country code and its country's name)."""
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        editor.setParent(box)
        editor.setMaximumWidth(editor.fontMetrics().horizontalAdvance("MMMMM") + 24)
        row.addWidget(editor)
        note.setParent(box)
        note.setFont(small_font(self))
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(note, 1)
        return box

    def _update_iim_note(self, name: str) -> None:
        editor = self._editors[name]
        shown = any(_may_carry_iim(r) for _, r in self._items) and not editor.is_mixed()
        self._iim_notes[name].refresh(editor.value(), shown)

    def _update_country_note(self, *_: object) -> None:
        editor = self._editors["country_code"]
        assert isinstance(editor, CountryCodeField)
        text, warn = editor.describe() if self._items else ("", False)
        self._country_note.setText(text)
        set_note_colour(self._country_note, warn)

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
            item.widget()
            for s in self._sections.values()
            for row in range(s.form.rowCount())
            if (item := s.form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        ]
        # A sub-group's form starts at its section's form's edge: the same label width lines up.
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
        self._labels["rating"].setMinimumWidth(width + 4)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self._labels["rating"].setAlignment(right)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self._rating]
        for name in _LAYOUT_ORDER:
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

    def section(self, key: str) -> Section:
        """A section by title ("Rights and licensing") or sub-group key ("creator_contact")."""
        return self._sections[key]

    def section_states(self) -> dict[str, bool]:
        """Each section's and sub-group's key -> open (True) or folded."""
        return {key: s.is_expanded() for key, s in self._sections.items()}

    def set_section_states(self, states: Mapping[str, bool]) -> None:
        """Open or fold the sections named in ``states``; the others take their defaults
        (open, except the sub-groups in FOLDED_BY_DEFAULT)."""
        for key, section in self._sections.items():
            section.set_expanded(bool(states.get(key, key not in FOLDED_BY_DEFAULT)))

    def show_photos(self, items: Sequence[tuple[PhotoMetadata, PhotoRecord]]) -> None:
        """Show the selected photos' current (edited) values; never emits ``fieldEdited``.

        Keywords typed to add to the photos shown until now, not yet committed, are added to
        them first (``keywordsChanged``) when other photos are shown, so they are neither lost
        nor added to the new selection."""
        new_paths = [r.path for _, r in items]
        if new_paths != [r.path for _, r in self._items]:
            keywords = self._editors["keywords"]
            assert isinstance(keywords, KeywordsField)
            keywords.commit_added()
        self._items = list(items)
        self._loading = True
        try:
            self._show()
        finally:
            self._loading = False
        self._update_counts()
        for name in self._iim_notes:
            self._update_iim_note(name)
        self._update_country_note()

    def set_problems(self, lines: Sequence[str]) -> None:
        """What went wrong with the photos shown (a failed save and why, a file deleted or
        changed by another program), in a framed warning at the top of the panel."""
        shown = [*lines[:5], f"… and {len(lines) - 5} more"] if len(lines) > 6 else list(lines)
        self._problems.set_text("\n".join(f"⚠ {line}" for line in shown), warn=True)

    def set_empty_message(self, text: str) -> None:
        """What the panel says when it shows no photo (e.g. why a selected file cannot be read)."""
        self._hint.setText(text or HINT_TEXT)

    def set_keyword_completions(self, words: Iterable[str]) -> None:
        keywords = self._editors["keywords"]
        assert isinstance(keywords, KeywordsField)
        keywords.set_completions(words)

    def focus_caption(self) -> None:
        self._sections[FIELD_BY_NAME["caption"].section].set_expanded(True)
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
            section.body.setEnabled(not empty)  # the headers still fold
        all_read_only = bool(items) and all(not r.writable for _, r in items)
        for f in FIELDS:
            editor = self._editors[f.name]
            if empty:
                editor.set_value(getattr(PhotoMetadata(), f.name), False)
            else:
                values = [getattr(m, f.name) for m, _ in items]
                mixed = any(v != values[0] for v in values[1:])
                editor.set_value(None if mixed else values[0], mixed)
            if isinstance(editor, KeywordsField):
                editor.show_selection([m.keywords for m, _ in items])
            editor.set_read_only(all_read_only)
            self._show_placeholder(f.name, empty, all_read_only)
        for action in self._editors["copyright"].actions():  # type: ignore[attr-defined]
            action.setVisible(not all_read_only)  # "Insert ©" cannot insert into a read-only field
        self._rating.setEnabled(not empty)
        self._show_header()
        self._show_notes(all_read_only)
        self._show_camera()

    def _show_placeholder(self, name: str, empty: bool, read_only: bool) -> None:
        editor = self._editors[name]
        if isinstance(editor, LineField | TextField):
            example = PLACEHOLDERS.get(name, "")
            editor.set_placeholder(
                "" if empty else _READ_ONLY_PLACEHOLDER if read_only else example
            )

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
                     human_size(record.file_size) if record.file_size else "",
                     store_text(record)]
            self._info.setText("  ·  ".join(p for p in parts if p))
            self._info.setToolTip("\n".join(p for p in (str(record.path.parent),
                                                         store_tooltip(record)) if p))
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
        waiting = {r.read_only_reason for r in read_only}
        if not read_only:
            self._read_only_note.set_text("")
        elif all(reason.startswith(STILL_READING) for reason in waiting):
            self._read_only_note.set_text(min(waiting))  # not read-only files: wait a moment
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
        for edited, record in items:
            for warning in _current_warnings(edited, record):
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

    def _emit_keywords(self, added: tuple[str, ...], removed: tuple[str, ...]) -> None:
        if not self._loading and self._items:
            self.keywordsChanged.emit([r.path for _, r in self._items], added, removed)

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
