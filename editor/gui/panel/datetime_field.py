"""The date-taken editor: date and time, an optional UTC offset, and a clear button."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, Qt, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.partial_dates import PartialDate, partial
from editor.gui.panel.fields import MULTIPLE_VALUES, mark_read_only

_FULL_FORMAT = "yyyy-MM-dd HH:mm:ss"
_PARTIAL_FORMATS = {"day": "yyyy-MM-dd", "month": "yyyy-MM", "year": "yyyy"}
_NULL = QDateTime(QDate(1800, 1, 1), QTime(0, 0, 0), QTimeZone.utc())
_COMMON_OFFSETS = sorted(
    {h * 60 for h in range(-12, 15)}
    | {-570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825}
)


def offset_label(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "−"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def _to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second, value.microsecond // 1000),
        QTimeZone.utc(),
    )


class _Edit(QDateTimeEdit):
    """A QDateTimeEdit whose minimum means "not set"; the first step or click sets it to now."""

    startRequested = Signal()

    def is_null(self) -> bool:
        return self.dateTime() == self.minimumDateTime()

    def stepEnabled(self) -> QDateTimeEdit.StepEnabledFlag:
        if self.is_null() and not self.isReadOnly():
            return QDateTimeEdit.StepEnabledFlag.StepUpEnabled
        return super().stepEnabled()

    def stepBy(self, steps: int) -> None:
        if self.is_null():
            self.startRequested.emit()
            return
        super().stepBy(steps)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.is_null() and not self.isReadOnly() and event.text().isdigit():
            # Typing into "Not set" starts a date and types the digit into its year: the
            # first digit must not be swallowed by the start.
            self.startRequested.emit()
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End) and not self.is_null():
            # The cursor lands on a section's edge, where a typed digit would be refused:
            # select that section so typing replaces it, as in a date field anywhere else.
            self.setSelectedSection(self.currentSection())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.is_null() and not self.isReadOnly():
            self.startRequested.emit()
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # In a scrolling panel the wheel must scroll, not silently change the date.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _Combo(QComboBox):
    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class DateTimeField(QWidget):
    """Edits ``datetime | None``; emits a timezone-aware datetime when an offset is chosen."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mixed = False
        self._loading = False
        self._read_only = False
        self._precision = "time"  # or that of a date known only to the day, month or year
        self.edit = _Edit(self)
        self.edit.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setMinimumDateTime(_NULL)
        self.edit.setMaximumDateTime(
            QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), QTimeZone.utc())
        )
        self.edit.setDisplayFormat(_FULL_FORMAT)
        self.edit.setCalendarPopup(True)
        self.edit.setSpecialValueText("Not set")
        self.edit.setAccessibleName("Date taken")
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.offset = _Combo(self)
        self.offset.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.offset.setAccessibleName("UTC offset")
        self.offset.setToolTip("Time zone offset of the camera's clock, if known")
        self.offset.addItem("No UTC offset", None)
        for minutes in _COMMON_OFFSETS:
            self.offset.addItem(offset_label(minutes), minutes)
        self.offset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.clear_button = QToolButton(self)
        self.clear_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton))
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip("Remove the date taken")
        self.clear_button.setAccessibleName("Clear date taken")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # Two rows so the field fits a narrow panel: date and clear, then the offset.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.edit, 1)
        top.addWidget(self.clear_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.offset)
        bottom.addStretch(1)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.setFocusProxy(self.edit)
        self.edit.dateTimeChanged.connect(self._on_changed)
        self.edit.startRequested.connect(self._start)
        self.offset.currentIndexChanged.connect(self._on_changed)
        self.clear_button.clicked.connect(self.clear)
        self._update_look()

    # --- editor protocol ----------------------------------------------------------------------
    def is_mixed(self) -> bool:
        return self._mixed

    def value(self) -> datetime | None:
        if self.edit.is_null():
            return None
        qdt = self.edit.dateTime()
        d, t = qdt.date(), qdt.time()
        if self._precision != "time":  # shown as it is known: no invented midnight or zone
            return partial(
                d.year(),
                d.month() if self._precision != "year" else None,
                d.day() if self._precision == "day" else None,
            )
        naive = datetime(
            d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec() * 1000
        )
        minutes = self.offset.currentData()
        if minutes is None:
            return naive
        return naive.replace(tzinfo=timezone(timedelta(minutes=int(minutes))))

    def set_value(self, value: object, mixed: bool = False) -> None:
        assert value is None or isinstance(value, datetime)
        self._loading = True
        try:
            self._mixed = mixed
            if mixed or value is None:
                self.edit.setDateTime(_NULL)
                if mixed:
                    self.offset.setCurrentIndex(0)
            elif value != self.value() or type(value) is not type(self.value()):
                self._set_precision(
                    value.precision if isinstance(value, PartialDate) else "time"
                )
                self.edit.setDateTime(_to_qdatetime(value))
                self._select_offset(value)
        finally:
            self._loading = False
        self._update_look()

    def set_read_only(self, read_only: bool) -> None:
        if read_only == self._read_only:
            return
        self._read_only = read_only
        self.edit.setReadOnly(read_only)
        mark_read_only(self.edit, read_only)
        self.clear_button.setVisible(not read_only)
        self._update_look()

    # --- actions ------------------------------------------------------------------------------
    def clear(self) -> None:
        """Remove the date (emits ``edited(None)`` unless it was already unset)."""
        if self._read_only or (self.edit.is_null() and not self._mixed):
            return
        self._loading = True
        self.edit.setDateTime(_NULL)
        self._loading = False
        self._mixed = False
        self._update_look()
        self.edited.emit(None)

    def _set_precision(self, precision: str) -> None:
        if precision == self._precision:
            return
        self._precision = precision
        self.edit.setDisplayFormat(_PARTIAL_FORMATS.get(precision, _FULL_FORMAT))
        self.edit.setToolTip(
            "" if precision == "time" else "Only the date is known (no time of day was recorded)"
        )

    def _start(self) -> None:
        now = datetime.now().replace(microsecond=0)
        self._mixed = False
        self._set_precision("time")
        self.edit.setDateTime(_to_qdatetime(now))  # emits through _on_changed
        self._update_look()

    def _select_offset(self, value: datetime) -> None:
        delta = value.utcoffset()
        if delta is None:
            self.offset.setCurrentIndex(0)
            return
        minutes = int(delta.total_seconds() // 60)
        index = self.offset.findData(minutes)
        if index < 0:
            index = self.offset.count()
            self.offset.addItem(offset_label(minutes), minutes)
        self.offset.setCurrentIndex(index)

    def _on_changed(self, *_: object) -> None:
        self._update_look()
        if self._loading or self.edit.is_null():
            return
        self._mixed = False
        self.edited.emit(self.value())

    def _update_look(self) -> None:
        self.edit.setSpecialValueText(MULTIPLE_VALUES if self._mixed else "Not set")
        font = self.edit.font()
        font.setItalic(self._mixed or self.edit.is_null())
        self.edit.setFont(font)
        self.clear_button.setEnabled(not self.edit.is_null() or self._mixed)
        # An offset means nothing without a date (or with several dates): nothing to apply it to.
        self.offset.setEnabled(
            not self._read_only
            and not self.edit.is_null()
            and not self._mixed
            and self._precision == "time"  # a date without a time has no zone
        )
