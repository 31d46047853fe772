"""Spell checking while typing, in the real window: underlines, right-click, dictionary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QContextMenuEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit
from pytestqt.qtbot import QtBot

from editor.gui.codes import CodesDialog
from editor.gui.main_window import MainWindow
from editor.gui.preferences_dialog import PreferencesDialog
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]


@pytest.fixture
def photo(qtbot: QtBot, data_window: MainWindow, make_photo: MakePhoto) -> Path:
    path = make_photo("a.jpg")
    data_window.open_paths([path.parent])
    qtbot.waitUntil(loaded(data_window, 1), timeout=10000)
    select(qtbot, data_window, path)
    return path


def _underlined(edit: QPlainTextEdit) -> list[str]:
    block = edit.document().firstBlock()
    text = block.text()
    return [
        text[r.start : r.start + r.length]
        for r in block.layout().formats()
        if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]


def _red_pixels(line: QLineEdit) -> int:
    image = line.grab().toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if c.red() > 150 and c.green() < 110 and c.blue() < 110:
                count += 1
    return count


def _caption(win: MainWindow) -> QPlainTextEdit:
    edit = win.panel.editor("caption")
    assert isinstance(edit, QPlainTextEdit)
    return edit


def test_misspelt_words_are_underlined_and_corrected_from_the_menu(
    qtbot: QtBot, data_window: MainWindow, photo: Path
) -> None:
    win = data_window
    caption = _caption(win)
    caption.setFocus()
    qtbot.keyClicks(caption, "Soldiers marhc past NASA")
    # The dictionary loads on a worker thread; the underline comes when it is there.
    qtbot.waitUntil(lambda: _underlined(caption) == ["marhc"], timeout=5000)
    cursor = caption.document().find("marhc")
    pos = caption.cursorRect(cursor).center() - QPoint(8, 0)
    chosen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        first = menu.actions()[0]
        chosen.append(first.text())
        first.trigger()
        menu.close()

    QTimer.singleShot(50, pick)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, caption.viewport().mapToGlobal(pos)
    )
    QApplication.sendEvent(caption.viewport(), event)
    qtbot.waitUntil(lambda: bool(chosen), timeout=3000)
    assert chosen == ["march"]
    assert win.library.item(photo).edited.caption == "Soldiers march past NASA"
    assert _underlined(caption) == []


def test_title_underlines_and_add_to_dictionary(
    qtbot: QtBot, data_window: MainWindow, photo: Path, tmp_path: Path
) -> None:
    win = data_window
    title = win.panel.editor("title")
    assert isinstance(title, QLineEdit)
    title.setFocus()
    qtbot.keyClicks(title, "Mansudae at dusk")
    qtbot.waitUntil(lambda: _red_pixels(title) > 10, timeout=5000)  # wavy, under "Mansudae"
    menu = win.aids.spelling.menu_for(title, QPoint(title.contentsRect().left() + 12, 8))
    add = menu.findChild(type(menu.actions()[0]), "addToDictionary")
    assert add is not None and "Mansudae" in add.text()
    add.trigger()
    assert (tmp_path / "data" / "dictionary.txt").read_text(encoding="utf-8") == "mansudae\n"
    title.repaint()
    assert _red_pixels(title) == 0
    caption = _caption(win)
    qtbot.keyClicks(caption, "The Mansudae statues")
    assert _underlined(caption) == []
    # A correctly spelt word offers no spelling items, just the usual menu.
    plain = win.aids.spelling.menu_for(title, QPoint(title.width() - 20, 8))
    assert plain.findChild(type(menu.actions()[0]), "addToDictionary") is None


def test_code_replacement_names_count_as_spelt(
    qtbot: QtBot, data_window: MainWindow, photo: Path
) -> None:
    win = data_window
    caption = _caption(win)
    qtbot.keyClicks(caption, "Photo Whitworth")
    qtbot.waitUntil(lambda: _underlined(caption) == ["Whitworth"], timeout=5000)
    win.act_codes.trigger()
    dialog = win.findChild(CodesDialog)
    assert dialog is not None
    dialog.set_codes({"rw": "Rob Whitworth"})
    dialog.accept()
    assert _underlined(caption) == []


def test_language_is_a_preference(qtbot: QtBot, data_window: MainWindow, photo: Path) -> None:
    win = data_window
    caption = _caption(win)
    qtbot.keyClicks(caption, "Die Straße")
    qtbot.waitUntil(lambda: _underlined(caption) == ["Straße"], timeout=5000)
    win.act_prefs.trigger()
    dialog = next(d for d in win.findChildren(PreferencesDialog) if d.isVisible())
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.accept()
    assert win.aids.spelling.speller.language == "de"
    qtbot.waitUntil(lambda: win.aids.spelling.speller.ready, timeout=10000)
    assert _underlined(caption) == []


def test_read_only_text_is_not_offered_corrections(
    qtbot: QtBot, data_window: MainWindow, photo: Path
) -> None:
    title = data_window.panel.editor("title")
    assert isinstance(title, QLineEdit)
    qtbot.keyClicks(title, "dussk")
    qtbot.waitUntil(lambda: data_window.aids.spelling.speller.ready, timeout=5000)
    title.setReadOnly(True)
    menu = data_window.aids.spelling.menu_for(title, QPoint(title.contentsRect().left() + 10, 8))
    assert menu.findChild(type(menu.actions()[0]), "addToDictionary") is None


def test_every_prose_field_is_checked_and_every_text_field_expands_codes(
    data_window: MainWindow,
) -> None:
    from editor.core.fields import FIELDS
    from editor.gui.codes import TEXT_KINDS
    from editor.gui.spelling import CHECKED_FIELDS

    aids = data_window.aids
    assert [w.objectName() for w in aids.spelling.fields] == [
        f"field_{n}" for n in CHECKED_FIELDS
    ]
    typed = (QLineEdit, QPlainTextEdit)  # not the choosers (digital source type is a list)
    text_fields = [
        f"field_{f.name}"
        for f in FIELDS
        if f.kind in TEXT_KINDS and isinstance(data_window.panel.editor(f.name), typed)
    ]
    assert len(text_fields) >= 30
    assert [w.objectName() for w in aids.expander.fields] == text_fields


def test_headline_is_spell_checked(qtbot: QtBot, data_window: MainWindow, photo: Path) -> None:
    headline = data_window.panel.editor("headline")
    assert isinstance(headline, QLineEdit)
    headline.setFocus()
    qtbot.keyClicks(headline, "Parade in Pyongyang")
    qtbot.waitUntil(lambda: data_window.aids.spelling.speller.ready, timeout=5000)
    headline.repaint()
    assert _red_pixels(headline) == 0
    qtbot.keyClicks(headline, " yesterdya")
    qtbot.waitUntil(lambda: _red_pixels(headline) > 10, timeout=5000)
