"""Defects found by trying the blog-post scenario in the real window, one test each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from editor.gui.main_window import MainWindow
from tests.gui.conftest import loaded, select


def _warnings(win: MainWindow) -> str:
    note = win.panel._warnings  # the framed warnings under the panel's header
    return note.label.text() if note.isVisible() else ""


def test_an_iim_overflow_warning_goes_when_the_field_is_edited_short(
    qtbot: QtBot, window: MainWindow, samples_dir: Path, tmp_path: Path
) -> None:
    """exiv2-Reagan.jpg's creator is 33 bytes, over IIM By-line's 32: the panel warns. Once
    the creator is typed anew ("Rob Whitworth"), the warning no longer holds and must go (it
    stayed until the photo was saved, about a value no longer there)."""
    folder = tmp_path / "photos"
    folder.mkdir()
    photo = folder / "reagan.jpg"
    shutil.copy2(samples_dir / "exiv2-Reagan.jpg", photo)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, photo)
    assert "By-line (2:080)" in _warnings(window)
    creator = window.panel.editor("creator")
    creator.setFocus()
    creator.selectAll()
    qtbot.keyClicks(creator, "Rob Whitworth")
    assert window.library.item(photo).edited.creator == ("Rob Whitworth",)
    qtbot.waitUntil(lambda: "By-line (2:080)" not in _warnings(window), timeout=2000)


def test_no_iim_cut_warning_for_a_photo_whose_metadata_has_no_iim(
    qtbot: QtBot, window: MainWindow, samples_dir: Path, tmp_path: Path
) -> None:
    """A HEIC's (or RAW's) captions go to an XMP sidecar, which has no IPTC-IIM: the title's
    note must not say IIM cuts it (it said "readers of IIM (WordPress) see it cut"); a JPEG's
    still does."""
    folder = tmp_path / "photos"
    folder.mkdir()
    heic = folder / "phone.HEIC"
    jpeg = folder / "camera.jpg"
    shutil.copy2(samples_dir / "ianare-IMG_5195.HEIC", heic)
    shutil.copy2(samples_dir / "ianare-DSCN0010.jpg", jpeg)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    note = window.panel.findChild(QLabel, "iim_note_title")
    assert note is not None
    long_title = "A very long title for this photo, far past the 64 bytes of IIM"
    for path, cut in ((jpeg, True), (heic, False)):
        select(qtbot, window, path)
        title = window.panel.editor("title")
        title.setFocus()
        title.selectAll()
        qtbot.keyClicks(title, long_title + "!!!!")
        assert window.library.item(path).edited.title == long_title + "!!!!"
        assert ("see it cut" in note.text() and note.isVisible()) is cut, path.name


def test_every_text_field_has_a_placeholder(qtbot: QtBot) -> None:
    """In the panel, City, Province/State and Country showed blank boxes between "District,
    street or landmark" and "e.g. FR" (and so did licensor, contact, job ID, source): an empty
    field without a hint reads as broken next to ones with hints."""
    from editor.core.fields import FIELDS
    from editor.gui.panel.editors import PLACEHOLDERS
    from editor.gui.panel.fields import LineField, TextField
    from editor.gui.panel.metadata_panel import MetadataPanel

    panel = MetadataPanel()
    qtbot.addWidget(panel)
    text_fields = [f.name for f in FIELDS if f.name != "rating"
                   and isinstance(panel.editor(f.name), LineField | TextField)]
    assert "city" in text_fields
    assert [n for n in text_fields if not PLACEHOLDERS.get(n)] == []


def test_typing_while_selected_photos_are_still_being_read_edits_none_silently(
    qtbot: QtBot, window: MainWindow, make_photo: object, tmp_path: Path
) -> None:
    """Select All right after opening a 400-photo folder, type a credit: it went only to the
    64 photos read so far, though all 401 were selected. While selected photos are still being
    read the panel is read-only and says so; once they are read, an edit goes to all."""
    from PySide6.QtCore import QItemSelectionModel

    assert callable(make_photo)
    ready = make_photo("ready.jpg")
    later = make_photo("later.jpg", folder=tmp_path / "later")
    window.open_paths([ready.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    window.model.add_paths([later])  # found by the walk, its metadata not read yet
    window.grid.selectAll()
    qtbot.waitUntil(lambda: len(window.selected_paths()) == 2, timeout=5000)
    window.grid.selectionModel().select(
        window.proxy.index_of(later), QItemSelectionModel.SelectionFlag.Select
    )
    credit = window.panel.editor("credit")
    qtbot.waitUntil(lambda: credit.isReadOnly(), timeout=2000)
    note = window.panel._read_only_note.label.text()
    assert note.startswith("Still reading 1 of the 2 selected photos"), note
    assert "read-only" not in note.lower()  # the files are fine: they are only being read
    credit.setFocus()
    qtbot.keyClicks(credit, "Trial Agency")
    assert window.library.item(ready).edited.credit == ""
    window.loader._read([later])
    qtbot.waitUntil(lambda: not credit.isReadOnly(), timeout=5000)
    qtbot.keyClicks(credit, "Trial Agency")
    assert window.library.item(ready).edited.credit == "Trial Agency"
    assert window.library.item(later).edited.credit == "Trial Agency"


def test_saved_photos_refresh_the_panel_once_or_twice_not_once_each(
    qtbot: QtBot, window: MainWindow, make_photo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving 401 selected photos re-showed the whole 401-photo panel after each saved photo:
    the save took 10.6 s instead of 2.4 s and the window froze up to 2.4 s at a time. A burst
    of changes now refreshes the panel at once and then once more at its end, with the last
    values. Outside a save every change shows at once (typing, undo)."""
    assert callable(make_photo)
    paths = [make_photo(f"p{i}.jpg") for i in range(3)]
    window.open_paths([paths[0].parent])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    select(qtbot, window)
    calls: list[int] = []
    show = window.panel.show_photos
    monkeypatch.setattr(window.panel, "show_photos", lambda items: (calls.append(1), show(items)))
    monkeypatch.setattr(type(window.saver), "busy", property(lambda _self: True))  # saving
    for n in range(30):
        window.library.set_field(paths, "credit", f"Credit {n}")
    assert len(calls) <= 2  # 30 before: one per change
    credit = window.panel.editor("credit")
    qtbot.waitUntil(lambda: credit.text() == "Credit 29", timeout=2000)
    assert len(calls) <= 3
