"""Text, list and GPS field editors with a "multiple values" state, for the metadata panel."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLineEdit, QPlainTextEdit, QWidget

from editor.core.coordinates import parse_angle, split_position
from editor.core.model import GPS

MULTIPLE_VALUES = "(multiple values)"


def warning_colour(palette: QPalette) -> QColor:
    """The one hard-coded accent: amber, lighter on dark palettes so it stays readable."""
    dark = palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
    return QColor("#f0b44c") if dark else QColor("#a86400")


def small_font(widget: QWidget) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(7.0, size * 0.88))
    return font


def _set_italic(widget: QWidget, italic: bool) -> None:
    font = widget.font()
    if font.italic() != italic:
        font.setItalic(italic)
        widget.setFont(font)


READ_ONLY_TIP = "Read-only: this file cannot be written, so this field cannot be edited."


def mark_read_only(widget: QWidget, read_only: bool) -> None:
    """Make a read-only editor look it: the window's background instead of the editable base
    (so it reads as a label, not a box to type in), and a tooltip that says why typing does
    nothing."""
    pal = widget.palette()
    default = QApplication.palette(widget)
    role = QPalette.ColorRole.Window if read_only else QPalette.ColorRole.Base
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Base, default.color(group, role))
    widget.setPalette(pal)
    widget.setProperty("readOnlyLook", read_only)
    tip = widget.toolTip().removeprefix(READ_ONLY_TIP + "\n\n")
    widget.setToolTip(f"{READ_ONLY_TIP}\n\n{tip}" if read_only and tip else
                      READ_ONLY_TIP if read_only else tip)


class LineField(QLineEdit):
    """One line of text. ``edited`` carries the parsed value; emitted only for user edits."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mixed = False
        self._placeholder = ""
        self._last: object = self.parse("")
        self.textEdited.connect(self._on_text_edited)

    # --- conversion, overridden by subclasses -------------------------------------------------
    def parse(self, text: str) -> object:
        return text

    def format(self, value: object) -> str:
        return "" if value is None else str(value)

    def is_valid(self, text: str) -> bool:
        return True

    # --- the editor protocol used by the panel ------------------------------------------------
    def is_mixed(self) -> bool:
        return self._mixed

    def value(self) -> object:
        return self.parse(self.text())

    def set_value(self, value: object, mixed: bool = False) -> None:
        """Show ``value`` (or the multiple-values state) without emitting ``edited``.

        When the editor already holds ``value`` its text and cursor are left alone, so a value
        echoed back while the user types does not disturb them.
        """
        if mixed:
            if not self._mixed or self.text():
                self.setText("")
            self._set_mixed(True)
            self._last = None
            return
        self._set_mixed(False)
        self._last = value
        if self.is_valid(self.text()) and self.parse(self.text()) == value:
            return
        self.setText(self.format(value))

    def set_read_only(self, read_only: bool) -> None:
        if read_only != self.isReadOnly():
            self.setReadOnly(read_only)
            mark_read_only(self, read_only)
        clear = not read_only and self._wants_clear_button()
        if clear != self.isClearButtonEnabled():
            self.setClearButtonEnabled(clear)

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if not self._mixed:
            self.setPlaceholderText(text)

    # --- internals ----------------------------------------------------------------------------
    def _wants_clear_button(self) -> bool:
        return False

    def _set_mixed(self, mixed: bool) -> None:
        self._mixed = mixed
        self.setPlaceholderText(MULTIPLE_VALUES if mixed else self._placeholder)
        _set_italic(self, mixed)

    def _on_text_edited(self, text: str) -> None:
        was_mixed = self._mixed
        if was_mixed:
            self._set_mixed(False)
        if not self.is_valid(text):
            return
        value = self.parse(text)
        if not was_mixed and value == self._last:
            return
        self._last = value
        self.edited.emit(value)

    def user_replace_text(self, text: str, cursor: int | None = None) -> None:
        """Replace the text as if the user typed it (emits ``edited``)."""
        self.setText(text)
        if cursor is not None:
            self.setCursorPosition(cursor)
        self._on_text_edited(text)


def split_list(text: str, separator: str = ";", keep: Sequence[str] = ()) -> tuple[str, ...]:
    """"a; b;; a ;" -> ("a", "b"): trimmed, empties and exact duplicates dropped, order kept.
    ``separator`` is the list separator preference ("; ", ", "...); its spaces do not count.
    An item of ``keep`` (the values the field holds) that contains the separator and stands
    whole between separators stays one item: "Doe, Jane" is not split when "," separates."""
    sep = separator.strip() or ";"
    parts = [part.strip() for part in text.split(sep)]
    # A kept item by its parts, trimmed as ``parts`` are: "Doe, Jane" -> "Doe,Jane".
    whole = {sep.join(p.strip() for p in item.split(sep)): item for item in keep if sep in item}
    out: list[str] = []
    i = 0
    while i < len(parts):
        part, step = parts[i], 1
        for j in range(len(parts) if whole else 0, i + 1, -1):  # the longest kept run
            if (item := whole.get(sep.join(parts[i:j]))) is not None:
                part, step = item, j - i
                break
        if part and part not in out:
            out.append(part)
        i += step
    return tuple(out)


class ListField(LineField):
    """A list of strings typed as one "; "-separated line; ``edited`` carries a tuple.
    ``separator`` follows the list separator preference."""

    separator = "; "

    def parse(self, text: str) -> object:
        held = getattr(self, "_last", None)  # unset while the base class is being built
        keep = held if isinstance(held, tuple) else ()
        return split_list(text, self.separator, keep)

    def format(self, value: object) -> str:
        if not value:
            return ""
        assert isinstance(value, Sequence)
        return self.separator.join(str(v) for v in value)


class GpsError(ValueError):
    pass


def parse_gps(text: str) -> GPS | None:
    """ "48.8584, 2.2945" / "48.8584 N, 2.2945 E, 35 m" / "48°51'30"N 2°17'40"E" -> GPS;
    "" -> None; raises GpsError."""
    text = text.strip()
    if not text:
        return None
    parts = split_position(text)
    if len(parts) not in (2, 3):
        raise GpsError("Type latitude, longitude (and altitude in metres), e.g. 48.8584, 2.2945")
    lat = parse_angle(parts[0], "N", "S")
    lon = parse_angle(parts[1], "E", "W")
    if lat is None or lon is None:
        raise GpsError("Use degrees, e.g. 48.8584, 2.2945 or 48°51'30\"N 2°17'40\"E")
    if not -90 <= lat <= 90:
        raise GpsError("Latitude must be between -90 and 90")
    if not -180 <= lon <= 180:
        raise GpsError("Longitude must be between -180 and 180")
    alt: float | None = None
    if len(parts) == 3:
        raw = parts[2].strip()
        raw = raw[:-1].strip() if raw.lower().endswith("m") else raw
        if not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", raw):
            raise GpsError("Altitude must be a number of metres, e.g. 35")
        alt = float(raw)
    return GPS(lat, lon, alt)


def _fmt_number(value: float, places: int) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_gps(gps: GPS | None) -> str:
    if gps is None:
        return ""
    text = f"{_fmt_number(gps.lat, 6)}, {_fmt_number(gps.lon, 6)}"
    if gps.alt is not None:
        text += f", {_fmt_number(gps.alt, 1)} m"
    return text


class GpsField(LineField):
    """A GPS position as "lat, lon[, alt m]"; ``edited`` carries GPS | None for valid text only."""

    validityChanged = Signal(str)  # "" when valid, else why not

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error = ""
        self.textChanged.connect(self._check)

    def parse(self, text: str) -> object:
        try:
            return parse_gps(text)
        except GpsError:
            return None

    def format(self, value: object) -> str:
        assert value is None or isinstance(value, GPS)
        return format_gps(value)

    def is_valid(self, text: str) -> bool:
        try:
            parse_gps(text)
        except GpsError:
            return False
        return True

    def error(self) -> str:
        return self._error

    def _wants_clear_button(self) -> bool:
        return True

    def _check(self, text: str) -> None:
        try:
            parse_gps(text)
            error = ""
        except GpsError as err:
            error = str(err)
        if error != self._error:
            self._error = error
            self.validityChanged.emit(error)


class TextField(QPlainTextEdit):
    """Multi-line text that grows with its content between ``min_lines`` and ``max_lines``."""

    edited = Signal(object)

    def __init__(
        self, min_lines: int = 3, max_lines: int = 12, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self._mixed = False
        self._placeholder = ""
        self._loading = False
        self._last = ""
        self.setTabChangesFocus(True)
        # Undo belongs to the window's stack (the panel routes Ctrl+Z there); the editor's own
        # history would disagree with it, so it is off (and the context menu's Undo too).
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.textChanged.connect(self._on_text_changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def is_mixed(self) -> bool:
        return self._mixed

    def value(self) -> object:
        return self.toPlainText()

    def set_value(self, value: object, mixed: bool = False) -> None:
        """Show ``value`` or the multiple-values state, without emitting ``edited``."""
        self._loading = True
        try:
            if mixed:
                if self.toPlainText():
                    self.setPlainText("")
                self._set_mixed(True)
                self._last = ""
                return
            self._set_mixed(False)
            text = "" if value is None else str(value)
            self._last = text
            if self.toPlainText() != text:
                self.setPlainText(text)
                self.moveCursor(self.textCursor().MoveOperation.End)
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        if read_only != self.isReadOnly():
            self.setReadOnly(read_only)
            mark_read_only(self, read_only)

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if not self._mixed:
            self.setPlaceholderText(text)

    def _set_mixed(self, mixed: bool) -> None:
        self._mixed = mixed
        self.setPlaceholderText(MULTIPLE_VALUES if mixed else self._placeholder)
        _set_italic(self, mixed)

    def _on_text_changed(self) -> None:
        if self._loading:
            return
        text = self.toPlainText()
        was_mixed = self._mixed
        if was_mixed:
            if not text:
                return
            self._set_mixed(False)
        elif text == self._last:
            return
        self._last = text
        self.edited.emit(text)

    def _fit_height(self, *_: object) -> None:
        lines = max(1.0, self.document().size().height())
        lines = min(max(lines, self._min_lines), self._max_lines)
        spacing = QFontMetricsF(self.font()).lineSpacing()
        margins = self.contentsMargins()
        doc_margin = self.document().documentMargin()
        height = math.ceil(lines * spacing + 2 * doc_margin + margins.top() + margins.bottom()) + 2
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event: object) -> None:  # type: ignore[override]
        super().changeEvent(event)  # type: ignore[arg-type]
        self._fit_height()

