"""Metadata > Shift Dates and Times: one dialog for the three ways of ``core.time_shift``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.library import PhotoLibrary
from editor.core.model import PhotoMetadata
from editor.core.time_shift import (
    ShiftError,
    assign_zone,
    first_photo,
    has_clock,
    move_first_to,
    parse_offset,
    parse_zone,
    shift_by,
    zone_names,
)

PREVIEW_ROWS = 4


def _show(dt: datetime) -> str:
    text = dt.strftime("%Y-%m-%d %H:%M:%S")
    offset = dt.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        text += f" UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text


class ShiftDatesDialog(QDialog):
    """Shows the selection's dates; ``new_dates()`` is what OK applies (dated photos only)."""

    def __init__(self, dates: Mapping[Path, datetime | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shiftDatesDialog")
        self.setWindowTitle("Shift Dates and Times")
        self._dates = dict(dates)
        dated = sum(1 for d in dates.values() if has_clock(d))
        undated = len(dates) - dated
        intro = QLabel(
            f"{dated} photo{'s' if dated != 1 else ''} with a date and time"
            + (f"; {undated} without one (or with a date only), left alone" if undated else "")
            + ". The change is one undo step and is saved with the other edits.",
            self,
        )
        intro.setWordWrap(True)

        self.by_offset = QRadioButton("Shift by", self)
        self.offset = QLineEdit(self)
        self.offset.setObjectName("offset")
        self.offset.setPlaceholderText("+1 h 03 min 20 s")
        self.offset.setToolTip("The camera clock was wrong by this much: +1 h 03 min 20 s, -30 s")

        self.to_first = QRadioButton("Set the first photo to", self)
        self.first_time = QDateTimeEdit(self)
        self.first_time.setObjectName("firstTime")
        self.first_time.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.first_time.setCalendarPopup(True)
        first = first_photo(self._dates)
        self._first_path = first[0] if first else None
        if first is not None:
            self.first_time.setDateTime(QDateTime(first[1].replace(tzinfo=None)))
        first_note = QLabel(
            f"({first[0].name}; the others keep their distance from it)" if first else "",
            self,
        )

        self.to_zone = QRadioButton("Assign the time zone", self)
        self.zone = QLineEdit(self)
        self.zone.setObjectName("zone")
        self.zone.setPlaceholderText("+09:00 or Asia/Seoul")
        self.zone.setToolTip(
            "The times stay as the clock showed them; they are said to be in this zone "
            "(a time zone name follows daylight saving for each photo's date)"
        )
        completer = QCompleter(list(zone_names()), self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)

        self.mode = QButtonGroup(self)
        for i, button in enumerate((self.by_offset, self.to_first, self.to_zone)):
            self.mode.addButton(button, i)
        self.by_offset.setChecked(True)

        grid = QGridLayout()
        grid.addWidget(self.by_offset, 0, 0)
        grid.addWidget(self.offset, 0, 1)
        grid.addWidget(self.to_first, 1, 0)
        grid.addWidget(self.first_time, 1, 1)
        grid.addWidget(first_note, 2, 1)
        grid.addWidget(self.to_zone, 3, 0)
        grid.addWidget(self.zone, 3, 1)
        grid.setColumnStretch(1, 1)

        self.preview = QLabel(self)
        self.preview.setObjectName("preview")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        pal = self.error.palette()
        from editor.gui.panel.fields import warning_colour

        pal.setColor(self.error.foregroundRole(), warning_colour(self.palette()))
        self.error.setPalette(pal)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Shift")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.offset.textChanged.connect(lambda _t: self._select(self.by_offset))
        self.first_time.dateTimeChanged.connect(lambda _d: self._select(self.to_first))
        self.zone.textChanged.connect(lambda _t: self._select(self.to_zone))
        self.mode.idToggled.connect(lambda _i, _on: self._update())
        self._update()
        self.resize(560, self.sizeHint().height())

    def _select(self, button: QRadioButton) -> None:
        if not button.isChecked():
            button.setChecked(True)  # -> _update
        else:
            self._update()

    def new_dates(self) -> dict[Path, datetime]:
        """The photos' new dates by the chosen way; raises ShiftError on what cannot be read."""
        if self.by_offset.isChecked():
            return shift_by(self._dates, parse_offset(self.offset.text()))
        if self.to_first.isChecked():
            when = self.first_time.dateTime().toPython()
            assert isinstance(when, datetime)
            return move_first_to(self._dates, when)
        text = self.zone.text().strip()
        return assign_zone(self._dates, parse_zone(text) if text else None)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            new = self.new_dates()
        except ShiftError as err:
            self.error.setText(str(err) if self._typed() else "")
            self.preview.setText("")
            ok.setEnabled(False)
            return
        self.error.setText("")
        rows = [p for p in self._dates if p in new][:PREVIEW_ROWS]
        lines = []
        for p in rows:
            before = self._dates[p]
            assert before is not None
            lines.append(f"{p.name}:  {_show(before)}  →  {_show(new[p])}")
        if len(new) > PREVIEW_ROWS:
            lines.append(f"… and {len(new) - PREVIEW_ROWS} more")
        self.preview.setText("\n".join(lines))
        ok.setEnabled(any(new[p] != self._dates[p] for p in new))

    def _typed(self) -> bool:
        return bool(self.offset.text().strip() if self.by_offset.isChecked() else True)


def with_dates(library: PhotoLibrary, dates: Mapping[Path, datetime]) -> dict[Path, PhotoMetadata]:
    """The edited metadata of each photo with its new date (for one SetMetadataCommand)."""
    return {
        p: md.replace(date_taken=dates[p])
        for p, md in library.metadata(dates).items()
        if md.date_taken != dates[p]
    }
