"""The IPTC set in the panel (issue 13), driven through the real widgets of a real main window:
every new field edited on one photo and on several with undo, the digital source type dropdown,
country code completion, sections that fold and stay folded, templates and paste."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from editor.app import build_window
from editor.core.fields import FIELD_BY_NAME, FIELDS, SECTIONS, FieldKind
from editor.core.model import PhotoMetadata
from editor.core.templates import Template
from editor.core.vocabulary import digital_source_type_uri
from editor.gui.main_window import MainWindow
from editor.gui.panel.country import CountryCodeField
from editor.gui.panel.fields import MULTIPLE_VALUES
from editor.gui.panel.metadata_panel import FOLDED_BY_DEFAULT, MetadataPanel
from editor.gui.panel.source_type import NOT_SET, DigitalSourceTypeField
from editor.gui.paste_dialog import PasteFieldsDialog
from tests.gui.conftest import loaded, select

MakePhoto = Callable[..., Path]

# The fields issue 13 added that are typed as text (the dropdown and the code have own tests).
TYPED = tuple(
    f.name
    for f in FIELDS
    if f.kind in (FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.LIST)
    and f.name
    not in {"title", "caption", "alt_text", "extended_description", "keywords", "creator",
            "credit", "copyright", "usage_terms", "country_code", "digital_source_type"}
)  # fmt: skip


@pytest.fixture
def three(qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path) -> list[Path]:
    folder = tmp_path / "t"
    paths = [make_photo(f"IMG_{i}.jpg", folder=folder) for i in (1, 2, 3)]
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    window.panel.set_section_states(dict.fromkeys(window.panel.section_states(), True))
    return paths


def shown_text(editor: object) -> str:
    if isinstance(editor, QLineEdit):
        return editor.text()
    assert isinstance(editor, QPlainTextEdit)
    return editor.toPlainText()


def test_the_new_fields_are_the_ones_issue_13_lists() -> None:
    assert set(TYPED) == {
        "headline", "caption_writer", "persons_shown", "event", "sublocation", "city", "state",
        "country", "creator_job_title", "web_statement", "licensor_name", "licensor_url",
        "creator_address", "creator_city", "creator_region", "creator_postal_code",
        "creator_country", "creator_email", "creator_phone", "creator_url", "instructions",
        "job_id", "source",
    }  # fmt: skip


def test_each_new_field_edits_one_photo_with_undo(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a = three[0]
    select(qtbot, window, a)
    for steps, name in enumerate(TYPED, start=1):
        editor = window.panel.editor(name)
        editor.setFocus()
        qtbot.keyClicks(editor, "Ab1")
        want: object = ("Ab1",) if FIELD_BY_NAME[name].kind is FieldKind.LIST else "Ab1"
        assert getattr(window.library.item(a).edited, name) == want, name
        assert window.undo_stack.count() == steps, name  # one step per field, not per key
    for name in reversed(TYPED):
        window.undo_stack.undo()
        assert getattr(window.library.item(a).edited, name) in ("", ()), name
        assert shown_text(window.panel.editor(name)) == "", name
    assert not window.library.has_unsaved


def test_each_new_field_edits_several_photos_as_one_step(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a, b, c = three
    for name in TYPED:  # different values: the panel shows "(multiple values)" until typed
        window.library.set_field([a], name, ("A",) if name == "persons_shown" else "A")
    window.undo_stack.clear()
    select(qtbot, window, a, b, c)
    for name in TYPED:
        editor = window.panel.editor(name)
        assert editor.isEnabled()
        assert editor.placeholderText() == MULTIPLE_VALUES, name  # type: ignore[attr-defined]
        before = window.undo_stack.count()
        editor.setFocus()
        qtbot.keyClicks(editor, "Zz")
        assert window.undo_stack.count() == before + 1, name
        values = {getattr(window.library.item(p).edited, name) for p in three}
        assert values == ({("Zz",)} if name == "persons_shown" else {"Zz"}), name
    window.undo_stack.undo()  # the last field only, on all three photos
    assert [window.library.item(p).edited.source for p in three] == ["A", "", ""]
    assert window.library.item(b).edited.job_id == "Zz"


def test_digital_source_type_dropdown_sets_the_uri_and_keeps_unknown_ones(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a, b, _ = three
    combo = window.panel.editor("digital_source_type")
    assert isinstance(combo, DigitalSourceTypeField)
    select(qtbot, window, a)
    assert combo.currentText() == NOT_SET
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert {"Created by generative AI", "Original digital capture (camera photo)"} <= set(labels)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard, as a user picks from a closed dropdown
    assert window.library.item(a).edited.digital_source_type == digital_source_type_uri(
        "digitalCapture"
    )
    assert window.undo_stack.count() == 1
    combo.choose(digital_source_type_uri("trainedAlgorithmicMedia"))
    assert window.undo_stack.count() == 2  # each choice is its own step
    assert combo.currentText() == "Created by generative AI"
    assert window.library.item(a).edited.digital_source_type.endswith("/trainedAlgorithmicMedia")
    window.undo_stack.undo()
    assert combo.currentText() == "Original digital capture (camera photo)"
    # A URI the vocabulary does not know is shown as itself and kept (nothing emitted).
    odd = "http://example.org/sourcetype/hologram"
    window.library.set_field([b], "digital_source_type", odd)
    count = window.undo_stack.count()
    select(qtbot, window, b)
    assert combo.currentText() == odd and combo.value() == odd
    assert window.undo_stack.count() == count
    assert window.library.item(b).edited.digital_source_type == odd
    # Two photos that differ: "(multiple values)"; choosing sets both.
    select(qtbot, window, a, b)
    assert combo.is_mixed() and combo.currentIndex() == -1
    combo.choose(digital_source_type_uri("negativeFilm"))
    assert {window.library.item(p).edited.digital_source_type for p in (a, b)} == {
        digital_source_type_uri("negativeFilm")
    }
    assert combo.findData(odd) == -1  # the unknown entry went with the photo that had it


def test_country_code_completes_by_name_and_flags_unknown_codes(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a = three[0]
    select(qtbot, window, a)
    code = window.panel.editor("country_code")
    assert isinstance(code, CountryCodeField)
    note = window.panel.findChild(QLabel, "country_code_note")
    assert note is not None
    code.setFocus()
    qtbot.keyClicks(code, "ger")
    assert code.text() == "GER"  # upper-cased as typed
    popup = code.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    entries = [popup.model().index(i, 0).data() for i in range(popup.model().rowCount())]
    assert entries[0].startswith("DE") and "Germany" in entries[0]
    assert note.text() == "Not an ISO 3166 country code"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert code.text() == "DE"
    assert window.library.item(a).edited.country_code == "DE"
    assert note.text() == "Germany"
    code.selectAll()
    qtbot.keyClicks(code, "fra")
    assert window.library.item(a).edited.country_code == "FRA"
    assert note.text() == "France"


def test_iim_byte_notes_for_the_new_fields(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    """City holds 32 bytes in IIM 2:90: past it the note warns while typing."""
    select(qtbot, window, three[0])
    note = window.panel.findChild(QLabel, "iim_note_city")
    assert note is not None and note.isHidden()
    city = window.panel.editor("city")
    city.setFocus()
    qtbot.keyClicks(city, "Llanfairpwllgwyngyllgogerychwyrn")  # 32 bytes: at the limit
    assert not note.isHidden() and note.text() == "32 of 32 bytes that IPTC-IIM holds"
    qtbot.keyClicks(city, "drobwll")
    assert "39 bytes; IPTC-IIM keeps 32" in note.text()
    for name in ("headline", "caption_writer", "instructions", "job_id", "source", "sublocation",
                 "state", "country", "creator_job_title"):
        assert window.panel.findChild(QLabel, f"iim_note_{name}") is not None, name
    # No byte count for the three-letter code, nor for XMP-only fields.
    assert window.panel.findChild(QLabel, "iim_note_country_code") is None
    assert window.panel.findChild(QLabel, "iim_note_event") is None


def test_sections_follow_the_table_and_contact_info_is_a_folded_subgroup(qtbot: QtBot) -> None:
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    states = panel.section_states()
    assert set(states) == {*SECTIONS, "creator_contact", "Camera"}
    assert states["creator_contact"] is False and {"creator_contact"} == FOLDED_BY_DEFAULT
    assert all(states[title] for title in SECTIONS)
    for spec in FIELDS:
        if spec.name == "rating":
            continue
        editor = panel.editor(spec.name)
        holder = "creator_contact" if spec.group == "creator_contact" else spec.section
        assert panel.section(holder).body.isAncestorOf(editor), spec.name
    assert panel.section("Rights and licensing").body.isAncestorOf(
        panel.section("creator_contact")
    )


def test_fold_state_is_remembered_across_windows(
    qtbot: QtBot, window: MainWindow, three: list[Path], tmp_path: Path
) -> None:
    panel = window.panel
    panel.set_section_states({})  # the defaults
    select(qtbot, window, three[0])
    people = panel.section("People and event")
    assert people.is_expanded()
    qtbot.mouseClick(people.toggle, Qt.MouseButton.LeftButton)
    assert not people.is_expanded() and not people.body.isVisible()
    contact = panel.section("creator_contact")
    qtbot.mouseClick(contact.toggle, Qt.MouseButton.LeftButton)
    assert contact.is_expanded()
    window.close_discarding()  # settings are written on close
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = build_window(settings, tmp_path / "thumbcache")
    qtbot.addWidget(again)
    try:
        assert not again.panel.section("People and event").is_expanded()
        assert again.panel.section("creator_contact").is_expanded()
        assert again.panel.section("Description").is_expanded()
    finally:
        again.close_discarding()


def test_tab_order_follows_the_layout_through_the_new_sections(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    select(qtbot, window, three[0])
    order = [
        "country", "country_code", "gps", "creator", "creator_job_title", "credit", "copyright",
        "usage_terms", "web_statement", "licensor_name", "licensor_url", "creator_address",
        "creator_city", "creator_region", "creator_postal_code", "creator_country",
        "creator_email", "creator_phone", "creator_url", "digital_source_type", "instructions",
        "job_id", "source",
    ]  # fmt: skip
    window.panel.editor(order[0]).setFocus()
    qtbot.waitUntil(window.panel.editor(order[0]).hasFocus)
    for name in order[1:]:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() is window.panel.editor(name), name


def test_templates_and_paste_apply_the_new_fields(
    qtbot: QtBot, window: MainWindow, three: list[Path]
) -> None:
    a, b, c = three
    ai = digital_source_type_uri("trainedAlgorithmicMedia")
    template = Template(
        "Agency",
        {
            "headline": "{filename} at the market",
            "city": "Busan",
            "country_code": "KR",
            "creator_email": "jane@example.org",
            "licensor_url": "https://example.org/license/{filename}",
            "persons_shown": ("Kim {n}",),
            "digital_source_type": ai,
        },
    )
    window.templates.set_templates([template])
    select(qtbot, window, a, b)
    window.templates.apply_menu.actions()[0].trigger()
    assert window.undo_stack.count() == 1
    first, second = window.library.item(a).edited, window.library.item(b).edited
    assert (first.headline, second.headline) == ("IMG_1 at the market", "IMG_2 at the market")
    assert first.licensor_url == "https://example.org/license/IMG_1"
    assert (first.persons_shown, second.persons_shown) == (("Kim 1",), ("Kim 2",))
    assert first.city == "Busan" and first.country_code == "KR"
    assert first.creator_email == "jane@example.org" and first.digital_source_type == ai
    assert window.panel.editor("headline").placeholderText() == MULTIPLE_VALUES  # type: ignore[attr-defined]
    assert window.panel.editor("city").text() == "Busan"  # type: ignore[attr-defined]

    select(qtbot, window, a)
    window.act_copy_md.trigger()
    select(qtbot, window, c)
    window.paste_metadata()
    dialog = window.findChild(PasteFieldsDialog)
    assert dialog is not None
    dialog._set_all(False)
    for name in ("headline", "creator_email", "digital_source_type", "persons_shown"):
        dialog.checkbox(name).setChecked(True)
    dialog.accept()
    pasted = window.library.item(c).edited
    assert pasted.headline == "IMG_1 at the market" and pasted.creator_email == "jane@example.org"
    assert pasted.digital_source_type == ai and pasted.persons_shown == ("Kim 1",)
    assert pasted.city == ""  # not chosen
    assert window.undo_stack.count() == 2
    assert PhotoMetadata().digital_source_type == ""


def test_a_new_table_row_lands_in_its_section_and_long_labels_wrap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from editor.gui.panel import metadata_panel
    from editor.gui.panel.editors import label_text

    extra = replace(FIELD_BY_NAME["job_id"], name="client_ref", label="Client reference")
    member = replace(FIELD_BY_NAME["creator_phone"], name="creator_fax", label="Fax")
    monkeypatch.setattr(metadata_panel, "FIELDS", (*FIELDS, extra, member))
    assert metadata_panel._rows("Workflow") == ["instructions", "job_id", "source", "client_ref"]
    rights = metadata_panel._rows("Rights and licensing")
    contact = next(r for r in rights if isinstance(r, tuple))
    assert contact[0] == "creator_contact" and contact[1][-1] == "creator_fax"
    assert rights[-1] is contact  # the group stays one sub-group, where its first member is
    assert label_text("Web statement of rights") == "Web statement\nof rights"
    assert label_text("Creator's job title") == "Creator's\njob title"
    assert label_text("Country code") == "Country code"
