"""The real main window driven offscreen: drop, thumbnails, caption, save, undo, badges, close."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor.core.library import ItemState
from editor.gui.main_window import MainWindow
from editor.gui.photo_model import Role
from tests.gui.conftest import drop, loaded, select

MakePhoto = Callable[..., Path]


def exif_values(exiftool: str, path: Path, *tags: str) -> dict[str, object]:
    out = subprocess.run(
        [exiftool, "-j", "-charset", "utf8", *[f"-{t}" for t in tags], str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out)[0])


def folder_of(make_photo: MakePhoto, tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "shoot"
    for i in range(n):
        sub = folder / "day2" if i == n - 1 else folder
        make_photo(f"IMG_{i + 1:04d}.jpg", folder=sub, date=f"2024:05:01 10:20:{i:02d}")
    (folder / ".hidden.jpg").write_bytes(b"not shown")
    (folder / "notes.txt").write_text("not a photo")
    return folder


def wait_saved(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.saver.busy, timeout=10000)


def test_drop_folder_type_caption_save_and_exiftool_reads_it(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path, exiftool: str
) -> None:
    folder = folder_of(make_photo, tmp_path)
    assert window.stack.currentWidget() is window.drop_zone
    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    assert window.stack.currentWidget() is window.splitter
    assert window.windowTitle() == "PhotoCaption — shoot[*]"
    names = [p.name for p in window.library.paths]
    assert names == ["IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"]

    # Dropping the same folder again adds nothing.
    drop(window.grid.viewport(), [folder, folder / "IMG_0001.jpg"])
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=5000)
    assert len(window.library) == 3

    target = folder / "IMG_0002.jpg"
    select(qtbot, window, target)
    caption = window.panel.editor("caption")
    window.panel.focus_caption()
    qtbot.keyClicks(caption, "Fishing boats at dawn, Busan")
    item = window.library.item(target)
    assert item.edited.caption == "Fishing boats at dawn, Busan"
    assert item.dirty
    assert window.undo_stack.count() == 1  # keystrokes merged into one step
    qtbot.waitUntil(window.isWindowModified)
    index = window.proxy.index_of(target)
    assert index.data(Role.DIRTY) is True
    assert index.data(Role.CAPTION) == "Fishing boats at dawn, Busan"

    qtbot.keyClick(caption, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: not window.isWindowModified())
    assert not window.library.has_unsaved
    tags = exif_values(exiftool, target, "ImageDescription", "XMP-dc:Description")
    assert tags["ImageDescription"] == "Fishing boats at dawn, Busan"
    assert tags["Description"] == "Fishing boats at dawn, Busan"
    assert exif_values(exiftool, folder / "IMG_0001.jpg", "ImageDescription").get(
        "ImageDescription"
    ) is None


def test_three_selected_creator_once_undo_redo_save(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path, exiftool: str
) -> None:
    folder = folder_of(make_photo, tmp_path)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    select(qtbot, window)
    assert len(window.selected_paths()) == 3
    creator = window.panel.editor("creator")
    qtbot.keyClicks(creator, "Jane Doe")
    assert window.undo_stack.count() == 1
    assert all(it.edited.creator == ("Jane Doe",) for it in window.library.items)
    assert len(window.library.dirty_paths()) == 3

    window.undo_stack.undo()
    assert not window.library.has_unsaved
    assert all(it.edited.creator == () for it in window.library.items)
    window.undo_stack.redo()
    assert len(window.library.dirty_paths()) == 3

    assert window.save_all() == 3
    wait_saved(qtbot, window)
    assert not window.library.has_unsaved
    for path in window.library.paths:
        assert exif_values(exiftool, path, "Artist")["Artist"] == "Jane Doe"


def test_read_only_and_malformed_files_show_badges_while_others_save(
    qtbot: QtBot,
    window: MainWindow,
    make_photo: MakePhoto,
    tmp_path: Path,
    exiftool: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "mixed"
    good = make_photo("a-good.jpg", folder=folder)
    ro = make_photo("b-readonly.jpg", folder=folder)
    bad = folder / "c-malformed.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe1\x00\x08Exif\x00\x00this is not a photo")
    good2 = make_photo("d-good.jpg", folder=folder)
    ro.chmod(0o444)
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        # Root may write anything; make the read-only file read-only for this test too.
        if str(path).endswith("b-readonly.jpg") and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)

    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 4), timeout=10000)
    lib = window.library
    assert lib.item(bad).state is ItemState.ERROR
    assert lib.item(ro).read_only_reason
    bad_index = window.proxy.index_of(bad)
    ro_index = window.proxy.index_of(ro)
    assert bad_index.data(Role.PROBLEMS)
    assert ro_index.data(Role.READ_ONLY) is True
    assert "Read-only" in ro_index.data(Qt.ItemDataRole.ToolTipRole)
    assert window.proxy.index_of(good).data(Role.PROBLEMS) == []

    select(qtbot, window)
    window.panel.fieldEdited.emit("caption", "Harbour at dusk")
    assert set(lib.dirty_paths()) == {good, ro, good2}
    window.save_all()
    wait_saved(qtbot, window)
    assert lib.dirty_paths() == [ro]  # kept, not lost
    for path in (good, good2):
        assert exif_values(exiftool, path, "ImageDescription")["ImageDescription"] == (
            "Harbour at dusk"
        )
    assert "ImageDescription" not in exif_values(exiftool, ro, "ImageDescription")

    window.proxy.set_filter(window.proxy.filter.PROBLEMS)
    window.proxy.set_pinned([])
    shown = {window.proxy.index(r, 0).data(Role.PATH) for r in range(window.proxy.rowCount())}
    assert shown == {ro, bad}

    # Selecting only the unreadable file says why in the panel, not "select a photo".
    window.proxy.set_filter(window.proxy.filter.ALL)
    window.grid.select_path(bad)
    qtbot.waitUntil(lambda: "c-malformed.jpg" in window.panel._hint.text(), timeout=5000)
    assert lib.item(bad).problems()[0] in window.panel._hint.text()
    select(qtbot, window, good)
    assert "c-malformed" not in window.panel._hint.text()


def test_save_failure_marks_photo_and_keeps_edits(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    path = make_photo("x.jpg", folder=tmp_path / "f")
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, path)
    window.panel.fieldEdited.emit("caption", "Mine")
    # Another program rewrites the file before we save: the save must refuse.
    make_photo("x.jpg", folder=tmp_path / "f", caption="Theirs", color=(10, 200, 10))
    window.save_all()
    wait_saved(qtbot, window)
    item = window.library.item(path)
    assert item.dirty and item.edited.caption == "Mine"
    assert item.save_error
    assert window.proxy.index_of(path).data(Role.PROBLEMS)
    # The watcher then notices the change and flags the conflict instead of reloading.
    qtbot.waitUntil(lambda: window.library.item(path).changed_on_disk, timeout=5000)
    assert window.library.item(path).edited.caption == "Mine"
    # Revert to Saved drops the edit and loads the other program's version.
    select(qtbot, window, path)
    window.act_revert.trigger()
    qtbot.waitUntil(
        lambda: window.library.item(path).original.caption == "Theirs", timeout=5000
    )
    item = window.library.item(path)
    assert item.edited.caption == "Theirs" and not item.dirty and not item.changed_on_disk
    assert item.problems() == []


def test_file_watch_reloads_clean_and_marks_deleted(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "w"
    a = make_photo("a.jpg", folder=folder)
    b = make_photo("b.jpg", folder=folder)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    make_photo("a.jpg", folder=folder, caption="Changed elsewhere")
    qtbot.waitUntil(
        lambda: window.library.item(a).original.caption == "Changed elsewhere", timeout=5000
    )
    assert not window.library.item(a).dirty
    b.unlink()
    qtbot.waitUntil(lambda: window.library.item(b).state is ItemState.DELETED, timeout=5000)
    assert window.proxy.index_of(b).data(Role.PROBLEMS)


@pytest.mark.parametrize(
    ("answer", "closed", "saved"),
    [
        (QMessageBox.StandardButton.Cancel, False, False),
        (QMessageBox.StandardButton.Discard, True, False),
        (QMessageBox.StandardButton.Save, True, True),
    ],
)
def test_closing_with_unsaved_changes_prompts(
    qtbot: QtBot,
    window: MainWindow,
    make_photo: MakePhoto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton,
    closed: bool,
    saved: bool,
) -> None:
    path = make_photo("x.jpg", folder=tmp_path / "c")
    window.open_paths([path])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, path)
    window.panel.fieldEdited.emit("title", "A title")
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    window.close()
    assert asked and "unsaved" in asked[0]
    qtbot.waitUntil(lambda: window.isVisible() != closed, timeout=10000)
    if not closed:
        assert window.library.has_unsaved
    if saved:
        assert not window.library.has_unsaved


def test_opening_another_folder_prompts_and_cancel_keeps_everything(
    qtbot: QtBot,
    window: MainWindow,
    make_photo: MakePhoto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = make_photo("x.jpg", folder=tmp_path / "one")
    other = make_photo("y.jpg", folder=tmp_path / "two")
    window.open_paths([first.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    window.library.set_field([first], "caption", "unsaved")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    window.open_paths([other.parent])
    assert window.library.paths == [first]
    window.open_paths([other.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    assert window.library.paths == [other]
    assert window.undo_stack.count() == 0


def test_keyboard_next_photo_from_caption_and_full_view(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = folder_of(make_photo, tmp_path)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    select(qtbot, window, folder / "IMG_0001.jpg")
    caption = window.panel.editor("caption")
    with qtbot.waitSignal(window.selectionShown):
        qtbot.keyClick(caption, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.selected_paths() == [folder / "IMG_0002.jpg"]
    qtbot.waitUntil(lambda: window.preview.view.image is not None and not window.preview.loading)
    assert "Canon EOS R5" in window.preview.info.text()

    window.act_full.trigger()
    assert not window.grid_box.isVisible() and not window.panel.isVisible()
    window.act_full.trigger()
    assert window.grid_box.isVisible() and window.panel.isVisible()


def test_settings_persist_between_windows(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    from editor.app import build_window
    from editor.core.library import Filter, SortKey

    path = make_photo("x.jpg", folder=tmp_path / "p")
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    window.size_slider.setValue(200)
    window.sort_combo.setCurrentIndex(2)
    window.filter_combo.setCurrentIndex(1)
    window.act_keep_mtime.setChecked(True)
    window.close_discarding()
    settings = window.store._qs  # the same file
    again = build_window(settings, tmp_path / "thumbcache")
    try:
        s = again.settings
        assert s.thumb_size == 200 and s.keep_mtime
        assert s.sort is SortKey.CAPTURE_ORDER and s.filter is Filter.MISSING_CAPTION
        assert s.recent_folders == [str(path.parent)]
        assert again.grid.thumb_size == 200 and again.saver.keep_mtime
    finally:
        again.close_discarding()


def test_close_with_save_keeps_window_when_a_photo_cannot_be_saved(
    qtbot: QtBot,
    window: MainWindow,
    make_photo: MakePhoto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "rs"
    ok = make_photo("a.jpg", folder=folder)
    ro = make_photo("b.jpg", folder=folder)
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, m, *a, **k: False if str(p).endswith("b.jpg") and m & os.W_OK
        else real_access(p, m, *a, **k),
    )
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    window.library.set_field([ok, ro], "caption", "x")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    window.close()
    wait_saved(qtbot, window)
    qtbot.wait(50)
    assert window.isVisible()
    assert window.library.dirty_paths() == [ro]
    assert "unsaved" in window.statusBar().currentMessage()


def test_a_re_read_begun_before_a_save_does_not_put_the_old_record_back(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    """The watcher re-reads a photo on a worker; when our own save finished while that read was
    in flight, its (older) record must not replace the saved one."""
    path = make_photo("x.jpg", folder=tmp_path / "r")
    window.open_paths([path])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    submitted: list[tuple[Callable[..., object], tuple[object, ...], Callable[..., None]]] = []

    class HeldPool:
        def submit(self, fn: Callable[..., object], *args: object,
                   on_done: Callable[..., None]) -> None:
            submitted.append((fn, args, on_done))

    real_pool = window.watch._pool
    window.watch._pool = HeldPool()  # type: ignore[assignment]
    window.watch.recheck([path])
    window.watch._flush()
    fn, args, on_done = submitted.pop()
    stale = fn(*args)  # read now, before the save; delivered after it
    window.watch._pool = real_pool
    select(qtbot, window, path)
    window.panel.fieldEdited.emit("caption", "Saved caption")
    window.save_all()
    wait_saved(qtbot, window)
    assert window.library.item(path).original.caption == "Saved caption"
    on_done(stale)
    item = window.library.item(path)
    assert item.original.caption == "Saved caption" and not item.dirty
