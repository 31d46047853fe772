"""Keywords on a multi-selection (issue 15, defect 2), driven through the real window: the union
with counts, add to all and remove from all keep each photo's other keywords, replace is explicit.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QListWidget
from pytestqt.qtbot import QtBot

from editor.core.fields import FIELD_BY_NAME
from editor.core.metadata import read_photo, write_photo
from editor.gui.main_window import MainWindow
from editor.gui.panel.keywords import KeywordsField
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]
TEN = tuple(f"k{i}" for i in range(10))
FIVE = ("Seoul", "market", "dawn", "fish", "k3")


@pytest.fixture
def shoot(qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path) -> list[Path]:
    """Ten keywords on one photo, five on another (one shared), none on the third."""
    folder = tmp_path / "shoot"
    paths = [make_photo(f"IMG_{i}.jpg", folder=folder) for i in (1, 2, 3)]
    for path, words in zip(paths, (TEN, FIVE), strict=False):
        record = read_photo(path)
        write_photo(path, record.metadata.replace(keywords=words), expected=record.stamp)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    return paths


def keywords_of(window: MainWindow, paths: list[Path]) -> list[tuple[str, ...]]:
    return [window.library.item(p).edited.keywords for p in paths]


def field(window: MainWindow) -> KeywordsField:
    editor = window.panel.editor("keywords")
    assert isinstance(editor, KeywordsField)
    return editor


def count_texts(window: MainWindow) -> dict[str, tuple[str, Qt.CheckState]]:
    counts = window.panel.findChild(QListWidget, "keyword_counts")
    assert counts is not None and counts.isVisible()
    out = {}
    for row in range(counts.count()):
        item = counts.item(row)
        out[str(item.data(Qt.ItemDataRole.UserRole))] = (item.text(), item.checkState())
    return out


def test_union_with_counts_and_typing_adds_to_each(
    qtbot: QtBot, window: MainWindow, shoot: list[Path]
) -> None:
    select(qtbot, window)
    shown = count_texts(window)
    assert len(shown) == 14  # the union: 10 + 5 - the shared k3
    assert shown["k3"] == ("k3 (2 of 3)", Qt.CheckState.PartiallyChecked)
    assert shown["Seoul"][0] == "Seoul (1 of 3)"
    keywords = field(window)
    keywords.setFocus()
    qtbot.keyClicks(keywords, "Pyongyang")
    assert keywords_of(window, shoot) == [TEN, FIVE, ()]  # nothing replaced while typing
    qtbot.keyClick(keywords, Qt.Key.Key_Return)
    assert keywords_of(window, shoot) == [(*TEN, "Pyongyang"), (*FIVE, "Pyongyang"), ("Pyongyang",)]
    assert window.undo_stack.count() == 1
    qtbot.waitUntil(lambda: count_texts(window)["Pyongyang"][0] == "Pyongyang (3 of 3)")
    assert count_texts(window)["Pyongyang"][1] == Qt.CheckState.Checked
    window.undo_stack.undo()
    assert keywords_of(window, shoot) == [TEN, FIVE, ()]


def test_tick_adds_untick_and_delete_remove_from_all(
    qtbot: QtBot, window: MainWindow, shoot: list[Path], exiftool: str
) -> None:
    select(qtbot, window)
    counts = window.panel.findChild(QListWidget, "keyword_counts")
    assert isinstance(counts, QListWidget)

    def click(word: str) -> None:
        item = next(counts.item(r) for r in range(counts.count())
                    if counts.item(r).data(Qt.ItemDataRole.UserRole) == word)
        counts.scrollToItem(item)
        rect = counts.visualItemRect(item)
        box = rect.topLeft() + (rect.bottomLeft() - rect.topLeft()) / 2
        box.setX(rect.left() + rect.height() // 2)
        qtbot.mouseClick(counts.viewport(), Qt.MouseButton.LeftButton, pos=box)

    click("Seoul")  # partial -> on all three, the rest untouched
    qtbot.waitUntil(lambda: all("Seoul" in k for k in keywords_of(window, shoot)))
    assert keywords_of(window, shoot) == [(*TEN, "Seoul"), FIVE, ("Seoul",)]
    qtbot.waitUntil(lambda: count_texts(window)["Seoul"][1] == Qt.CheckState.Checked)
    click("Seoul")  # on all -> removed from all, the rest untouched
    qtbot.waitUntil(lambda: keywords_of(window, shoot) == [TEN, FIVE[1:], ()])
    # Delete on a partly-held keyword removes it from every photo that has it
    qtbot.waitUntil(lambda: "k3" in count_texts(window))
    row = next(r for r in range(counts.count())
               if counts.item(r).data(Qt.ItemDataRole.UserRole) == "k3")
    counts.setCurrentRow(row)
    counts.setFocus()
    qtbot.keyClick(counts, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: keywords_of(window, shoot)[1] == ("market", "dawn", "fish"))
    assert keywords_of(window, shoot)[0] == tuple(k for k in TEN if k != "k3")
    assert window.undo_stack.count() == 3

    assert window.save_all() == 2
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    out = subprocess.run([exiftool, "-j", "-XMP-dc:Subject", str(shoot[0]), str(shoot[1])],
                         capture_output=True, text=True, check=True).stdout
    first, second = json.loads(out)
    assert second["Subject"] == ["market", "dawn", "fish"]
    assert first["Subject"] == [k for k in TEN if k != "k3"]


def test_replace_all_is_explicit(
    qtbot: QtBot, window: MainWindow, shoot: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    select(qtbot, window)
    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(str(args[2]))
        return "Pyongyang; river", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    button = field(window).replace_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked and "all 3 selected photos" in asked[0]
    assert keywords_of(window, shoot) == [("Pyongyang", "river")] * 3
    assert window.undo_stack.count() == 1
    # now they agree: the line shows the shared list and the counts list is hidden
    qtbot.waitUntil(lambda: field(window).text() == "Pyongyang; river")
    assert not field(window).is_adding() and not button.isVisible()


def test_typed_keywords_survive_refreshes_and_go_to_the_photos_they_were_typed_for(
    qtbot: QtBot, window: MainWindow, shoot: list[Path]
) -> None:
    select(qtbot, window, shoot[0], shoot[1])
    keywords = field(window)
    assert keywords.is_adding() and "different keywords" in keywords.toolTip()
    keywords.setFocus()
    qtbot.keyClicks(keywords, "Pyong")
    # the same photos shown again (an edit elsewhere, a save, a reload): the text stays
    window.library.set_field([shoot[0]], "caption", "edited meanwhile")
    assert keywords.text() == "Pyong"
    qtbot.keyClicks(keywords, "yang")
    # another selection before Enter (a shortcut: the focus stays in the field)
    window.act_next.trigger()
    qtbot.waitUntil(lambda: window.shown_paths != sorted([shoot[0], shoot[1]]), timeout=5000)
    assert keywords_of(window, shoot) == [(*TEN, "Pyongyang"), (*FIVE, "Pyongyang"), ()]
    assert not keywords.is_adding()
    assert keywords.toolTip().startswith(FIELD_BY_NAME["keywords"].help)  # its own again


def test_adding_to_all_follows_the_list_separator_preference(
    qtbot: QtBot, window: MainWindow, shoot: list[Path]
) -> None:
    """With ", " as the separator, "dusk, Han river" typed on a selection is two keywords
    (it was split on ";" only, giving one keyword "dusk, Han river")."""
    select(qtbot, window)
    keywords = field(window)
    keywords.separator = ", "
    keywords.setFocus()
    qtbot.keyClicks(keywords, "dusk, Han river")
    qtbot.keyClick(keywords, Qt.Key.Key_Return)
    assert keywords_of(window, shoot)[2] == ("dusk", "Han river")
    assert keywords_of(window, shoot)[0] == (*TEN, "dusk", "Han river")
