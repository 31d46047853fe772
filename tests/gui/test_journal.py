"""Never lose typed work: the journal survives SIGKILL and the next start offers the edits back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.core.journal import JOURNAL_NAME, read_journal
from editor.gui.main_window import MainWindow
from tests.gui.conftest import loaded, select

ROOT = Path(__file__).resolve().parents[2]
MakePhoto = Callable[..., Path]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _start(mode: str, folder: Path, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.gui.journal_child", mode, str(folder)],
        cwd=ROOT,
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_edits_survive_sigkill_and_are_offered_back(make_photo: MakePhoto, tmp_path: Path) -> None:
    folder = tmp_path / "shoot"
    make_photo("IMG_1.jpg", folder=folder)
    make_photo("IMG_2.jpg", folder=folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    home = tmp_path / "home"
    journal = home / "data" / "PhotoCaption" / "PhotoCaption" / JOURNAL_NAME

    child = _start("type", folder, home)
    try:
        deadline = time.monotonic() + 60
        want = {
            folder / "IMG_1.jpg": {"caption": "Typed before the crash"},
            folder / "IMG_2.jpg": {"title": "Kept title"},
        }
        while read_journal(journal) != want:
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline, f"journal: {read_journal(journal)}"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=10)  # reaps it and closes the pipes
    assert child.returncode == -signal.SIGKILL
    assert journal.is_file()  # the kill left it behind
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing was saved

    child = _start("restore", folder, home)
    try:
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate(timeout=10)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert len(lines) == 2, (out, err)
    offer, result = lines
    assert "2 photos" in offer["offer"]
    assert "IMG_1.jpg (Caption)" in offer["listed"] and "IMG_2.jpg (Title)" in offer["listed"]
    assert result["captions"]["IMG_1.jpg"] == "Typed before the crash"
    assert result["titles"]["IMG_2.jpg"] == "Kept title"
    assert result["captions"]["IMG_2.jpg"] == ""
    assert result["unsaved"] == ["IMG_1.jpg", "IMG_2.jpg"]  # restored, not saved behind the back
    assert result["undo"] == 1  # one undo step
    assert not journal.exists()  # closing with Discard removed it
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_journal_follows_edits_and_goes_on_save(
    qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    win = data_window
    path = make_photo("a.jpg")
    win.open_paths([path.parent])
    qtbot.waitUntil(loaded(win, 1), timeout=10000)
    select(qtbot, win, path)
    assert win.journal is not None
    with qtbot.waitSignal(win.journal.written, timeout=5000):
        win.panel.editor("caption").setFocus()
        qtbot.keyClicks(win.panel.editor("caption"), "Hello")
    assert read_journal(win.journal.path) == {path: {"caption": "Hello"}}
    with qtbot.waitSignal(win.journal.written, timeout=10000):
        win.save_all()
    assert not win.journal.path.exists()


def test_declining_the_offer_removes_the_journal(
    qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto
) -> None:
    from editor.core.journal import write_journal

    win = data_window
    path = make_photo("a.jpg")
    assert win.journal is not None
    write_journal(win.journal.path, {path: {"caption": "left behind"}})
    assert win.offer_restore()
    dialog = win.restorer.dialog
    assert dialog is not None and "a.jpg (Caption)" in dialog.informativeText()
    with qtbot.waitSignal(win.journal.written, timeout=5000):
        dialog.discard_button.click()
    assert not win.journal.path.exists()
    assert len(win.library) == 0


def test_a_second_instance_leaves_the_first_ones_journal_alone(
    qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    from editor.core.journal import write_journal
    from editor.core.library import PhotoLibrary
    from editor.gui.journal import EditJournal

    first = data_window.journal
    assert first is not None and first.active
    path = make_photo("a.jpg")
    write_journal(first.path, {path: {"caption": "the first one's"}})
    second = EditJournal(PhotoLibrary(), first.path)
    try:
        assert not second.active
        assert second.left_behind() == {}
        second.flush()
    finally:
        second.close(remove=True)
    assert read_journal(first.path) == {path: {"caption": "the first one's"}}


def test_a_journal_that_cannot_be_written_is_said_once(
    qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto
) -> None:
    win = data_window
    assert win.journal is not None
    win.journal.path.mkdir()  # a folder where the file should go: os.replace fails
    path = make_photo("a.jpg")
    win.open_paths([path.parent])
    qtbot.waitUntil(loaded(win, 1), timeout=10000)
    select(qtbot, win, path)
    with qtbot.waitSignal(win.journal.failed, timeout=5000) as failed:
        qtbot.keyClicks(win.panel.editor("caption"), "Hello")
    assert "could not be journalled" in failed.args[0]
    assert "could not be journalled" in win.statusBar().currentMessage()
    with qtbot.assertNotEmitted(win.journal.failed, wait=800):
        qtbot.keyClicks(win.panel.editor("caption"), " again")
    assert win.library.item(path).edited.caption == "Hello again"  # typing goes on
    win.journal.path.rmdir()


def test_restore_in_process_skips_a_file_no_longer_there(
    qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    from editor.core.journal import write_journal

    win = data_window
    assert win.journal is not None
    here = make_photo("here.jpg", caption="camera")
    gone = tmp_path / "photos" / "gone.jpg"
    write_journal(win.journal.path, {here: {"title": "Back"}, gone: {"caption": "lost"}})
    assert win.offer_restore()
    dialog = win.restorer.dialog
    assert dialog is not None and "2 photos" in dialog.text()
    with qtbot.waitSignal(win.restorer.restored, timeout=10000) as restored:
        dialog.restore_button.click()
    assert restored.args == [1]
    item = win.library.item(here)
    assert (item.edited.title, item.edited.caption) == ("Back", "camera")
    assert item.dirty and gone not in win.library
    qtbot.waitUntil(lambda: "Not restored: gone.jpg" in win.statusBar().currentMessage())
    assert "Restored the unsaved edits of 1 photo." in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: read_journal(win.journal.path) == {here: {"title": "Back"}})
