"""Edit > Preferences, and Help: the shortcut sheet (equal to the README's table) and About."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from editor import __version__
from editor.core.metadata import IimPolicy
from editor.gui.help import SHORTCUTS, ShortcutSheet
from editor.gui.main_window import MainWindow
from editor.gui.preferences_dialog import PreferencesDialog
from editor.gui.settings import SettingsStore, iim_policy

README = Path(__file__).resolve().parents[2] / "README.md"


def _dialog(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    window.act_prefs.trigger()
    shown = [d for d in window.findChildren(PreferencesDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def _pick(combo: object, data: object) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)


def test_preferences_shortcut_and_defaults(qtbot: QtBot, window: MainWindow) -> None:
    assert QKeySequence("Ctrl+,") in window.act_prefs.shortcuts()
    dialog = _dialog(qtbot, window)
    assert dialog.iim.currentData() == "always"
    assert dialog.timestamp.currentData() is False
    assert dialog.sidecar.currentData() is False
    assert dialog.separator.currentText() == "; "
    assert dialog.language.currentData() == "en"
    assert dialog.delimiter.text() == "="
    assert dialog.theme.currentData() == "system"
    assert iim_policy(window.settings) is IimPolicy.ALWAYS
    dialog.reject()


def test_preferences_are_stored_and_applied(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette().color(QPalette.ColorRole.Window).lightness()
    dialog = _dialog(qtbot, window)
    _pick(dialog.iim, "when_present")
    _pick(dialog.timestamp, True)
    _pick(dialog.sidecar, True)
    dialog.separator.setCurrentText(", ")
    _pick(dialog.language, "de")
    dialog.code_file.setText(str(tmp_path / "codes.txt"))
    dialog.delimiter.setText("#")
    _pick(dialog.theme, "dark")
    try:
        dialog.accept()
        assert window.act_keep_mtime.isChecked() and window.saver.keep_mtime
        assert iim_policy(window.settings) is IimPolicy.WHEN_PRESENT
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 128
        ini = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        stored = SettingsStore(ini)
        s = stored.load()
        assert (s.iim_policy, s.keep_mtime, s.sidecar_fullname, s.list_separator) == (
            "when_present", True, True, ", "
        )
        assert window.act_sidecar_fullname.isChecked()  # the RAW work's setting, one home
        assert (s.spell_language, s.code_file, s.code_delimiter, s.theme) == (
            "de", str(tmp_path / "codes.txt"), "#", "dark"
        )
    finally:
        dialog = _dialog(qtbot, window)
        _pick(dialog.theme, "system")
        dialog.accept()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() == light


def test_cancel_changes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _dialog(qtbot, window)
    _pick(dialog.iim, "when_present")
    dialog.reject()
    assert window.settings.iim_policy == "always"


def test_bad_stored_values_fall_back_to_defaults(tmp_path: Path) -> None:
    qs = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    qs.setValue("save/iim_policy", "sometimes")
    qs.setValue("view/theme", "purple")
    s = SettingsStore(qs).load()
    assert (s.iim_policy, s.theme) == ("always", "system")


def _readme_table() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("| keys | action |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows.append((cells[0], cells[1]))
    return rows


def test_shortcut_sheet_is_the_readme_table(qtbot: QtBot, window: MainWindow) -> None:
    assert _readme_table() == list(SHORTCUTS)
    window.act_shortcuts.trigger()
    sheet = window.findChild(ShortcutSheet)
    assert sheet is not None and sheet.isVisible()
    shown = [
        (sheet.table.item(r, 0).text(), sheet.table.item(r, 1).text())
        for r in range(sheet.table.rowCount())
    ]
    assert shown == list(SHORTCUTS)
    assert window.act_shortcuts.shortcut() == QKeySequence("F1")
    window.act_shortcuts.trigger()  # a second F1 raises the same sheet
    assert len(window.findChildren(ShortcutSheet)) == 1


def test_every_listed_menu_shortcut_is_real(window: MainWindow) -> None:
    bound = {
        s.toString() for a in window.findChildren(type(window.act_prefs)) for s in a.shortcuts()
    }
    for keys, _action in SHORTCUTS:
        for key in re.findall(r"\b(?:Ctrl\+(?:Shift\+|Alt\+)?[^\s)]+|F\d+)", keys):
            if key not in ("Ctrl+Down", "Ctrl+Up"):  # the panel's own keys, not menu actions
                assert key in bound, key


def test_about_names_the_version(qtbot: QtBot, window: MainWindow) -> None:
    window.act_about.trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert __version__ in box.text()
    box.accept()


def test_list_separator_applies_to_the_list_fields(
    qtbot: QtBot, window: MainWindow, make_photo: object
) -> None:
    from editor.gui.panel.fields import ListField
    from tests.gui.conftest import loaded, select

    path = make_photo("a.jpg")  # type: ignore[operator]
    window.open_paths([path.parent])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, path)
    window.library.set_field([path], "keywords", ("Pyongyang", "parade"))
    keywords = window.panel.editor("keywords")
    assert isinstance(keywords, ListField)
    qtbot.waitUntil(lambda: keywords.text() == "Pyongyang; parade")
    dialog = _dialog(qtbot, window)
    dialog.separator.setCurrentText(", ")
    dialog.accept()
    assert keywords.text() == "Pyongyang, parade"
    creator = window.panel.editor("creator")
    creator.setFocus()
    qtbot.keyClicks(creator, "Jane Doe, Rob Whitworth")
    assert window.library.item(path).edited.creator == ("Jane Doe", "Rob Whitworth")
    assert window.library.item(path).edited.keywords == ("Pyongyang", "parade")


def test_iim_preference_decides_whether_a_save_adds_iim(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from PIL import Image

    from editor.core.codecs import iptc
    from editor.core.formats import jpeg
    from tests.gui.conftest import loaded

    folder = tmp_path / "photos"
    folder.mkdir()
    plain, other = folder / "a.jpg", folder / "b.jpg"
    for path in (plain, other):
        Image.new("RGB", (40, 30), "teal").save(path, "JPEG")
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)

    def iim(path: Path) -> iptc.IptcValues:
        app13 = jpeg.extract(path.read_bytes()).app13
        return iptc.parse_app13(app13) if app13 else iptc.IptcValues()

    dialog = _dialog(qtbot, window)
    _pick(dialog.iim, "when_present")
    dialog.accept()
    assert window.saver.iim_policy is IimPolicy.WHEN_PRESENT
    window.library.set_field([plain], "caption", "Not in IIM")
    assert window.save_all() == 1
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    assert iim(plain).found is None and jpeg.extract(plain.read_bytes()).app13 is None

    dialog = _dialog(qtbot, window)
    _pick(dialog.iim, "always")
    dialog.accept()
    window.library.set_field([other], "caption", "In IIM too")
    assert window.save_all() == 1
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=10000)
    assert iim(other).caption == "In IIM too"  # WordPress reads it from there
