"""Editing and closing while a save runs: edits made meanwhile are saved after it, closing waits
for it, and the questions count only what no save will write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor.core.metadata import read_photo
from editor.core.safe_write import file_lock
from editor.gui.main_window import MainWindow
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


def _open(qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, n: int) -> list[Path]:
    paths = [make_photo(f"IMG_{i:04d}.jpg") for i in range(n)]
    window.open_paths([paths[0].parent])
    qtbot.waitUntil(loaded(window, n), timeout=10000)
    return paths


def _questions(monkeypatch: pytest.MonkeyPatch, *answers: QMessageBox.StandardButton) -> list[str]:
    """Answer the unsaved-changes questions with ``answers`` in turn; returns what was asked."""
    asked: list[str] = []
    queue = list(answers)

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return queue.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_an_edit_made_while_its_photo_is_being_saved_is_saved_right_after(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto
) -> None:
    a, b = _open(qtbot, window, make_photo, 2)
    select(qtbot, window, a, b)
    window.edit_field("caption", "v1")
    with file_lock(a):  # the save of a waits here: it is "being saved"
        assert window.save_all() == 2
        qtbot.waitUntil(lambda: read_photo(b).metadata.caption == "v1", timeout=10000)
        assert window.saver.is_saving(a)
        select(qtbot, window, a)
        window.edit_field("caption", "v2")
        assert window.save_all() == 1  # taken in hand, not "cannot be saved"
        assert "cannot be saved" not in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    assert read_photo(a).metadata.caption == "v2"
    assert not window.library.has_unsaved and not window.library.item(a).save_error
    assert "Saved 2 photos" in window.statusBar().currentMessage()  # photos, not writes


def test_closing_while_saving_waits_for_the_save_without_asking(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _questions(monkeypatch, QMessageBox.StandardButton.Cancel)
    (a,) = _open(qtbot, window, make_photo, 1)
    select(qtbot, window, a)
    window.edit_field("caption", "kept")
    with file_lock(a):
        window.save_all()
        window.close()
        assert window.isVisible() and not asked  # its edits are being saved: nothing to ask
        assert "closes when it is done" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert read_photo(a).metadata.caption == "kept"


def test_discard_while_saving_closes_once_the_save_is_done_even_with_edits_left(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _questions(monkeypatch, QMessageBox.StandardButton.Discard)
    a, b = _open(qtbot, window, make_photo, 2)
    select(qtbot, window, a)
    window.edit_field("caption", "saved")
    with file_lock(a):
        window.save_all()
        select(qtbot, window, b)
        window.edit_field("caption", "discarded")  # after Save: not in the running save
        window.close()
        assert asked and asked[0].startswith("1 photo has unsaved changes")
        assert window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert read_photo(a).metadata.caption == "saved"
    assert read_photo(b).metadata.caption == ""


def test_a_save_refused_because_the_file_changed_leads_to_revert_and_not_to_a_dead_end(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    """The same file opened under two names (a second drop of a link to it): one save wins,
    the other is refused; that photo is then flagged as changed on disk, Revert loads what the
    file now holds, and it can be edited and saved again."""
    (real,) = _open(qtbot, window, make_photo, 1)
    link = tmp_path / "elsewhere" / "link.jpg"
    link.parent.mkdir()
    link.symlink_to(real)
    window.open_paths([link], replace=False)
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    for path, caption in ((real, "through the file"), (link, "through the link")):
        select(qtbot, window, path)
        window.edit_field("caption", caption)
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    on_disk = read_photo(real).metadata.caption
    loser = next(p for p in (real, link) if window.library.is_dirty(p))
    qtbot.waitUntil(lambda: window.library.item(loser).changed_on_disk, timeout=5000)
    select(qtbot, window, loser)
    window.revert_selected()
    qtbot.waitUntil(lambda: window.library.item(loser).original.caption == on_disk, timeout=5000)
    assert not window.library.item(loser).problems()
    window.edit_field("caption", "third time")
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    assert read_photo(real).metadata.caption == "third time"
    assert not window.library.is_dirty(loser)


def test_opening_a_folder_removes_temp_files_of_saves_killed_long_ago(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto
) -> None:
    import os
    import time

    photo = make_photo("IMG_0001.jpg")
    stale = photo.parent / ".IMG_0001.jpg.photocaption-abc123.tmp"
    fresh = photo.parent / ".IMG_0001.jpg.photocaption-def456.tmp"
    for temp in (stale, fresh):
        temp.write_bytes(b"half a photo")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    window.open_paths([photo.parent])
    qtbot.waitUntil(lambda: not stale.exists(), timeout=10000)
    assert fresh.exists()  # a save in another window may still own it
    assert photo.exists()


def test_a_discard_answered_once_does_not_close_the_window_on_edits_later(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _questions(monkeypatch, QMessageBox.StandardButton.Discard)
    a, b = _open(qtbot, window, make_photo, 2)
    select(qtbot, window, a)
    window.edit_field("caption", "dropped")
    window.open_paths([a.parent])  # replace the set: Discard
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    assert asked and not window.library.has_unsaved
    select(qtbot, window, a)
    window.edit_field("caption", "saved")
    with file_lock(a):
        window.save_all()
        window.close()  # nothing to ask: the edit is being saved; the close waits
        select(qtbot, window, b)
        window.edit_field("caption", "typed while it closes")
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    qtbot.wait(50)
    assert window.isVisible() and window.library.is_dirty(b)  # not closed over an edit
    assert len(asked) == 1


def test_closing_again_and_cancelling_calls_off_the_waiting_close(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _questions(
        monkeypatch, QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.Cancel
    )
    a, b = _open(qtbot, window, make_photo, 2)
    select(qtbot, window, a)
    window.edit_field("caption", "saved")
    with file_lock(a):
        window.save_all()
        select(qtbot, window, b)
        window.edit_field("caption", "unsaved")
        window.close()  # Discard: waits for the save, then would close
        window.close()  # changed my mind: Cancel
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    qtbot.wait(50)
    assert len(asked) == 2 and window.isVisible() and window.library.is_dirty(b)
