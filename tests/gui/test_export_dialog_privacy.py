"""The export dialog's place-name and persons switches: they shape the options and the privacy
preview (issue 13)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from editor.core.metadata import write_photo
from editor.gui.export_dialog import ExportDialog
from tests.core.conftest import FULL, camera_jpeg


def test_switches_feed_options_and_preview(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "full.jpg"
    path.write_bytes(camera_jpeg())
    write_photo(path, FULL)
    dialog = ExportDialog([(path, FULL)], settings={"out_dir": str(tmp_path / "out")})
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.removal_label
    qtbot.waitUntil(lambda: "names of people shown" in label.text(), timeout=5000)
    assert "place names" in label.text()
    assert not dialog.keep_place_names.isChecked() and not dialog.keep_persons.isChecked()
    options = dialog.options()
    assert (options.keep_place_names, options.keep_persons) == (False, False)

    dialog.keep_place_names.setChecked(True)
    qtbot.waitUntil(lambda: "place names" not in label.text(), timeout=5000)
    assert "names of people shown" in label.text()
    dialog.keep_persons.setChecked(True)
    qtbot.waitUntil(lambda: "names of people shown" not in label.text(), timeout=5000)
    assert "GPS position" in label.text()
    options = dialog.options()
    assert (options.keep_place_names, options.keep_persons) == (True, True)
