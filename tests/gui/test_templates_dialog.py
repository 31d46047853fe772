"""Save and manage template dialogs: what the user chooses and types is what comes back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from editor.core.model import PhotoMetadata
from editor.core.templates import Template
from editor.gui.templates_dialog import ManageTemplatesDialog, SaveTemplateDialog

CURRENT = PhotoMetadata(
    caption="Not for templates", creator=("Jane Doe",), credit="Jane Doe / Agency",
    copyright="© 2024 Jane Doe", keywords=("Seoul",),
)


def save_button(dialog: SaveTemplateDialog):  # type: ignore[no-untyped-def]
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    return buttons.button(QDialogButtonBox.StandardButton.Save)


def test_save_defaults_and_name_required(qtbot: QtBot) -> None:
    dialog = SaveTemplateDialog(CURRENT, ["Agency"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.selected_fields() == {"creator", "credit", "copyright", "keywords"}
    assert not save_button(dialog).isEnabled()
    qtbot.keyClicks(dialog.name_edit, "agency")
    assert save_button(dialog).isEnabled()
    overwrite = [w for w in dialog.findChildren(QLabel) if "replaces it" in w.text()]
    assert overwrite and overwrite[0].isVisible()
    qtbot.keyClicks(dialog.name_edit, " 2")
    assert not overwrite[0].isVisible()


def test_save_returns_checked_fields_with_typed_variables(qtbot: QtBot) -> None:
    dialog = SaveTemplateDialog(CURRENT, [])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "Seoul job")
    dialog.checkbox("credit").click()  # uncheck
    edit = dialog.value_edit("copyright")
    edit.selectAll()
    qtbot.keyClicks(edit, "(c) {year} {creator}")
    usage = dialog.value_edit("usage_terms")
    qtbot.keyClicks(usage, "Editorial use only")  # typing checks its box
    keywords = dialog.value_edit("keywords")
    keywords.end(False)
    qtbot.keyClicks(keywords, "; market")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.template() == Template("Seoul job", {
        "creator": ("Jane Doe",),
        "copyright": "(c) {year} {creator}",
        "usage_terms": "Editorial use only",
        "keywords": ("Seoul", "market"),
    })


def test_nothing_checked_cannot_save(qtbot: QtBot) -> None:
    dialog = SaveTemplateDialog(PhotoMetadata(), [])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name_edit, "Empty")
    assert dialog.selected_fields() == set()
    assert not save_button(dialog).isEnabled()


TEMPLATES = [Template("One", {"credit": "A"}), Template("Two", {"keywords": ("k",)}),
             Template("Three 📷", {"copyright": "© {year}"})]


def test_manage_rename_delete_reorder(qtbot: QtBot) -> None:
    dialog = ManageTemplatesDialog(TEMPLATES)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 3
    assert "Credit line: A" in dialog.preview.text()
    dialog.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    dialog.list.currentItem().setText("Deux")  # what the inline editor commits
    assert [t.name for t in dialog.templates()] == ["One", "Deux", "Three 📷"]
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    assert [t.name for t in dialog.templates()] == ["Deux", "One", "Three 📷"]
    dialog.list.setCurrentRow(2)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    result = dialog.templates()
    assert [t.name for t in result] == ["Deux", "One"]
    assert result[0].values == {"keywords": ("k",)}
    assert TEMPLATES[1].name == "Two"  # the caller's list is untouched


def test_manage_refuses_duplicate_and_empty_names(qtbot: QtBot) -> None:
    dialog = ManageTemplatesDialog(TEMPLATES)
    qtbot.addWidget(dialog)
    assert not dialog.rename(0, "two")
    assert not dialog.rename(0, "  ")
    assert dialog.list.item(0).text() == "One"
    assert [t.name for t in dialog.templates()] == ["One", "Two", "Three 📷"]
    assert dialog.rename(0, "Uno")
    assert dialog.templates()[0].name == "Uno"


def test_manage_inline_edit_via_keyboard(qtbot: QtBot) -> None:
    dialog = ManageTemplatesDialog(TEMPLATES)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.list.setFocus()
    dialog.list.setCurrentRow(2)
    qtbot.keyClick(dialog.list, Qt.Key.Key_F2)
    editor = dialog.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Trois")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: dialog.templates()[2].name == "Trois")
    assert dialog.list.item(2).text() == "Trois"


def test_manage_empty_list(qtbot: QtBot) -> None:
    dialog = ManageTemplatesDialog([])
    qtbot.addWidget(dialog)
    assert not dialog.delete_button.isEnabled() and dialog.templates() == []


def test_save_dialog_covers_every_field_by_section_and_fits_a_laptop_screen(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QScrollArea

    from editor.core.fields import FIELDS, SECTIONS
    from editor.core.model import PhotoRecord
    from editor.core.templates import apply_template
    from editor.core.vocabulary import digital_source_type_uri

    current = CURRENT.replace(
        creator_email="jane@example.org", licensor_url="https://example.org/buy", city="Seoul"
    )
    dialog = SaveTemplateDialog(current, [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert {f.name for f in FIELDS} <= {n for f in FIELDS if (n := f.name) and dialog.checkbox(n)}
    headers = {w.text() for w in dialog.findChildren(QLabel)}
    assert set(SECTIONS) <= headers
    assert dialog.checkbox("creator_email").text() == "Contact e-mail"
    # The contact and licensing fields stay the same across a shoot: checked; the place is not.
    assert {"creator_email", "licensor_url"} <= dialog.selected_fields()
    assert "city" not in dialog.selected_fields()
    assert dialog.findChild(QScrollArea) is not None
    assert dialog.width() <= 1366 - 40 and dialog.height() <= 768 - 60
    assert dialog.minimumSizeHint().height() <= 768 - 60
    # Variables in a new text field, and the digital source type from its dropdown.
    qtbot.keyClicks(dialog.name_edit, "Shoot")
    dialog.value_edit("headline").setFocus()
    qtbot.keyClicks(dialog.value_edit("headline"), "{filename} in {year}")
    assert dialog.checkbox("headline").isChecked()
    dialog.source_type_edit().choose(digital_source_type_uri("digitalCapture"))
    assert dialog.checkbox("digital_source_type").isChecked()
    template = dialog.template()
    assert template.values["headline"] == "{filename} in {year}"
    assert template.values["digital_source_type"] == digital_source_type_uri("digitalCapture")
    from pathlib import Path

    record = PhotoRecord(path=Path("/p/IMG_7.jpg"), metadata=PhotoMetadata())
    applied = apply_template(template, PhotoMetadata(), record, 1)
    assert applied.headline.startswith("IMG_7 in 20")
    assert applied.creator_email == "jane@example.org"
