"""Shift Dates and Times in the real window: the three ways, one undo step, saved to every copy."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from editor.gui.main_window import MainWindow
from editor.gui.time_shift_dialog import ShiftDatesDialog
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


@pytest.fixture
def three(qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path) -> list[Path]:
    folder = tmp_path / "t"
    paths = [
        make_photo(f"IMG_{i}.jpg", folder=folder, date=f"2023:07:0{i} 09:00:0{i}")
        for i in (1, 2, 3)
    ]
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    select(qtbot, window)
    return paths


def _dialog(qtbot: QtBot, window: MainWindow) -> ShiftDatesDialog:
    window.act_shift.trigger()
    dialog = next(d for d in window.findChildren(ShiftDatesDialog) if d.isVisible())
    return dialog


def _ok(dialog: ShiftDatesDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button.isEnabled()
    button.click()


def _dates(window: MainWindow, paths: list[Path]) -> list[datetime | None]:
    return [window.library.item(p).edited.date_taken for p in paths]


def test_shift_by_an_offset_is_one_undo_step(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    before = _dates(window, three)
    dialog = _dialog(qtbot, window)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.offset, "+1 h 03 min 20")
    assert not ok.isEnabled() and "offset like" in dialog.error.text()
    qtbot.keyClicks(dialog.offset, " s")
    assert "IMG_1.jpg:  2023-07-01 09:00:01  →  2023-07-01 10:03:21" in dialog.preview.text()
    _ok(dialog)
    assert _dates(window, three) == [d + timedelta(hours=1, minutes=3, seconds=20) for d in before]  # type: ignore[operator]
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Shift Dates and Times"
    window.undo_stack.undo()
    assert _dates(window, three) == before
    assert not window.library.has_unsaved


def test_set_the_first_photo_and_move_the_rest(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    dialog = _dialog(qtbot, window)
    dialog.first_time.setDateTime(QDateTime(datetime(2023, 7, 1, 8, 0, 0)))
    assert dialog.to_first.isChecked()
    _ok(dialog)
    assert _dates(window, three) == [
        datetime(2023, 7, 1, 8, 0, 0),
        datetime(2023, 7, 2, 8, 0, 1),
        datetime(2023, 7, 3, 8, 0, 2),
    ]


def test_assign_a_zone_and_save_every_copy(
    qtbot: QtBot, window: MainWindow, three: list[Path], exiftool: str
) -> None:
    dialog = _dialog(qtbot, window)
    qtbot.keyClicks(dialog.zone, "Asia/Seoul")
    assert dialog.to_zone.isChecked()
    assert "UTC+09:00" in dialog.preview.text()
    _ok(dialog)
    kst = timezone(timedelta(hours=9))
    assert _dates(window, three)[0] == datetime(2023, 7, 1, 9, 0, 1, tzinfo=kst)
    with qtbot.waitSignal(window.saver.finished, timeout=20000):
        window.save_all()
    out = subprocess.run(
        [exiftool, "-j", "-G1", "-DateTimeOriginal", "-OffsetTimeOriginal",
         "-XMP-photoshop:DateCreated", "-XMP-exif:DateTimeOriginal", str(three[0])],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    tags = json.loads(out)[0]
    assert tags["ExifIFD:DateTimeOriginal"] == "2023:07:01 09:00:01"
    # OffsetTimeOriginal only in files of EXIF 2.31 on; older ones keep the offset in XMP.
    assert tags.get("ExifIFD:OffsetTimeOriginal", "+09:00") == "+09:00"
    assert tags["XMP-photoshop:DateCreated"] == "2023:07:01 09:00:01+09:00"
    assert all(v == "2023:07:01 09:00:01+09:00" for k, v in tags.items() if k.startswith("XMP"))


def test_nothing_selected_says_so(qtbot: QtBot, window: MainWindow) -> None:
    window.act_shift.trigger()
    assert window.findChild(ShiftDatesDialog) is None
    assert "Select the photos" in window.statusBar().currentMessage()


REAL = ("ianare-Canon_PowerShot_S40.jpg", "ianare-DSCN0010.jpg", "piexif-r_sony.jpg")
FILE_TAGS = ("System:", "File:", "ExifTool:")


def _tags(exiftool: str, path: Path) -> dict[str, object]:
    out = subprocess.run(
        [exiftool, "-j", "-G1", "-a", "-u", "-b", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {k: v for k, v in json.loads(out)[0].items() if not k.startswith(FILE_TAGS)}


def test_shifting_real_camera_files_changes_only_their_dates(
    qtbot: QtBot, window: MainWindow, samples_dir: Path, tmp_path: Path, exiftool: str
) -> None:
    import shutil

    folder = tmp_path / "real"
    folder.mkdir()
    paths = [Path(shutil.copy(samples_dir / name, folder / name)) for name in REAL]
    before = {p: _tags(exiftool, p) for p in paths}
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, len(paths)), timeout=20000)
    select(qtbot, window)
    dialog = _dialog(qtbot, window)
    qtbot.keyClicks(dialog.offset, "+1 h 03 min 20 s")
    _ok(dialog)
    with qtbot.waitSignal(window.saver.finished, timeout=30000) as done:
        window.save_all()
    assert done.args == [len(paths), 0]
    for p in paths:
        after = _tags(exiftool, p)
        changed = {k for k in before[p].keys() | after.keys() if before[p].get(k) != after.get(k)}
        assert changed, p.name
        # In EXIF only the date's copies changed; maker notes and every other tag are as they
        # were. XMP and IPTC-IIM (added by the default IIM policy) hold the new date too.
        added_stores = ("XMP", "IPTC:", "Photoshop:", "Composite:")
        exif_changed = {k for k in changed if not k.startswith(added_stores)}
        assert all("Date" in k for k in exif_changed), (p.name, sorted(exif_changed))
        assert "XMP-photoshop:DateCreated" in changed
        old = datetime.strptime(str(before[p]["ExifIFD:DateTimeOriginal"]), "%Y:%m:%d %H:%M:%S")
        new = datetime.strptime(str(after["ExifIFD:DateTimeOriginal"]), "%Y:%m:%d %H:%M:%S")
        assert new - old == timedelta(hours=1, minutes=3, seconds=20), p.name
    makers = {k.split(":")[0] for p in paths for k in before[p]}
    assert {"Canon", "Nikon", "Sony"} <= makers  # maker notes were among the tags compared
