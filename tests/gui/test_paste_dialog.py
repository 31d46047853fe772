"""PasteFieldsDialog: sensible defaults, checkbox clicks, and the chosen fields returned."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from editor.core.fields import FIELDS
from editor.core.model import GPS, PhotoMetadata
from editor.gui.paste_dialog import PasteFieldsDialog

SOURCE = PhotoMetadata(
    title="Tram", caption="A red tram", alt_text="Red tram on a hill", keywords=("Lisbon", "tram"),
    creator=("Jane Doe",), credit="Jane Doe / Agency", copyright="© 2024 Jane Doe",
    date_taken=datetime(2024, 5, 1, 9, 0), gps=GPS(38.71, -9.14), rating=3,
)


def test_defaults_are_the_shared_rights_fields(qtbot: QtBot) -> None:
    dialog = PasteFieldsDialog(SOURCE)
    qtbot.addWidget(dialog)
    # usage_terms is empty in the source, so it is not pre-checked (pasting would clear it).
    assert dialog.selected_fields() == {"creator", "credit", "copyright", "keywords"}
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"A red tram", "Lisbon; tram", "38.71, -9.14", "★★★☆☆"} <= texts


def test_clicking_checkboxes_changes_selection_and_accepts(qtbot: QtBot) -> None:
    dialog = PasteFieldsDialog(SOURCE)
    qtbot.addWidget(dialog)
    dialog.show()
    for name in ("caption", "keywords"):
        box = dialog.checkbox(name)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert dialog.selected_fields() == {"creator", "credit", "copyright", "caption"}
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_none_disables_paste_and_all_selects_everything(qtbot: QtBot) -> None:
    dialog = PasteFieldsDialog(SOURCE)
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    none_button = next(b for b in dialog.findChildren(type(ok)) if "None" in b.text())
    all_button = next(b for b in dialog.findChildren(type(ok)) if "All" in b.text())
    qtbot.mouseClick(none_button, Qt.MouseButton.LeftButton)
    assert dialog.selected_fields() == set() and not ok.isEnabled()
    qtbot.mouseClick(all_button, Qt.MouseButton.LeftButton)
    assert len(dialog.selected_fields()) == len(FIELDS) and ok.isEnabled()


def test_empty_source_checks_nothing(qtbot: QtBot) -> None:
    dialog = PasteFieldsDialog(PhotoMetadata())
    qtbot.addWidget(dialog)
    assert dialog.selected_fields() == set()


def test_every_field_grouped_by_section_scrollable_and_on_screen(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QScrollArea

    from editor.core.fields import SECTIONS
    from editor.core.vocabulary import digital_source_type_uri

    source = SOURCE.replace(
        headline="Tram 28", creator_phone="+351 21 000 0000", web_statement="https://ex.org/r",
        digital_source_type=digital_source_type_uri("trainedAlgorithmicMedia"),
    )  # fmt: skip
    dialog = PasteFieldsDialog(source)
    qtbot.addWidget(dialog)
    dialog.show()
    assert all(dialog.checkbox(f.name) for f in FIELDS)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert set(SECTIONS) <= texts
    assert "Created by generative AI" in texts  # the plain label, not the URI
    # What a photographer keeps across a shoot is checked; the headline describes one photo.
    assert {"creator_phone", "web_statement"} <= dialog.selected_fields()
    assert "headline" not in dialog.selected_fields()
    assert dialog.findChild(QScrollArea) is not None
    assert dialog.width() <= 1366 - 40 and dialog.height() <= 768 - 60
