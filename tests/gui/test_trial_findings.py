"""Defects found by trying the blog-post scenario in the real window, one test each."""

from __future__ import annotations

import shutil
from pathlib import Path

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
