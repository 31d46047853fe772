"""The metadata panel driven through its real widgets: edits, multiple values, read-only, keys."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from editor.core.model import GPS, CameraFacts, PhotoMetadata, PhotoRecord
from editor.gui.panel.datetime_field import DateTimeField
from editor.gui.panel.fields import MULTIPLE_VALUES, GpsField, LineField, TextField
from editor.gui.panel.keywords import KeywordsField
from editor.gui.panel.metadata_panel import HINT_TEXT, MetadataPanel
from editor.gui.panel.rating import StarRating


def record(name: str = "a.jpg", md: PhotoMetadata | None = None, **kw: object) -> PhotoRecord:
    defaults: dict[str, object] = {
        "camera": CameraFacts(make="Canon", model="Canon EOS R5", lens="RF24-70mm F2.8 L",
                              exposure_time="1/250", f_number=8.0, iso=100, focal_length=50.0),
        "format": "JPEG", "width": 8192, "height": 5464, "file_size": 9_800_000, "writable": True,
    }
    defaults.update(kw)
    return PhotoRecord(path=Path("/photos") / name, metadata=md or PhotoMetadata(), **defaults)  # type: ignore[arg-type]


def item(md: PhotoMetadata, name: str = "a.jpg", **kw: object) -> tuple[PhotoMetadata, PhotoRecord]:
    return md, record(name, md, **kw)


@pytest.fixture
def panel(qtbot: QtBot) -> MetadataPanel:
    widget = MetadataPanel()
    qtbot.addWidget(widget)
    widget.resize(360, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def recorder(panel: MetadataPanel) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    panel.fieldEdited.connect(lambda name, value: seen.append((name, value)))
    return seen


def test_empty_selection_disables_and_hints(panel: MetadataPanel) -> None:
    panel.show_photos([])
    hints = [w for w in panel.findChildren(QLabel) if w.text() == HINT_TEXT]
    assert hints and hints[0].isVisible()
    assert not panel.editor("caption").isEnabled()
    panel.show_photos([item(PhotoMetadata(caption="x"))])
    assert not hints[0].isVisible()
    assert panel.editor("caption").isEnabled()


def test_show_photos_fills_editors_without_emitting(panel: MetadataPanel, qtbot: QtBot) -> None:
    md = PhotoMetadata(
        title="Market", caption="Vendors at dawn", keywords=("Seoul", "market"), creator=("Jane",),
        date_taken=datetime(2024, 5, 14, 9, 12, 33, tzinfo=timezone(timedelta(hours=9))),
        gps=GPS(37.57, 126.9995, 38.0), rating=4,
    )
    with qtbot.assertNotEmitted(panel.fieldEdited):
        panel.show_photos([item(md)])
    assert panel.editor("title").text() == "Market"  # type: ignore[attr-defined]
    assert panel.editor("caption").toPlainText() == "Vendors at dawn"  # type: ignore[attr-defined]
    assert panel.editor("keywords").text() == "Seoul; market"  # type: ignore[attr-defined]
    assert panel.editor("gps").text() == "37.57, 126.9995, 38 m"  # type: ignore[attr-defined]
    assert panel.editor("date_taken").value() == md.date_taken  # type: ignore[attr-defined]
    assert panel.editor("rating").value() == 4  # type: ignore[attr-defined]
    texts = {w.text() for w in panel.findChildren(QLabel)}
    assert {"a.jpg", "Canon EOS R5", "RF24-70mm F2.8 L", "1/250 s f/8", "50 mm"} <= texts


def test_typing_caption_emits_per_keystroke(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata())])
    seen = recorder(panel)
    caption = panel.editor("caption")
    caption.setFocus()
    qtbot.keyClicks(caption, "Hi ")
    caption.insertPlainText("서울")  # type: ignore[attr-defined]  # as an input method would
    assert [v for n, v in seen if n == "caption"] == ["H", "Hi", "Hi ", "Hi 서울"]
    counts = [w.text() for w in panel.findChildren(QLabel) if w.text().endswith("characters")]
    assert counts == ["5 characters"]


def test_title_emits_and_echo_keeps_cursor(panel: MetadataPanel, qtbot: QtBot) -> None:
    md = PhotoMetadata(title="Paris")
    panel.show_photos([item(md)])
    title = panel.editor("title")
    assert isinstance(title, QLineEdit)
    title.setFocus()
    title.setCursorPosition(2)
    with qtbot.waitSignal(panel.fieldEdited) as blocker:
        qtbot.keyClicks(title, "X")
    assert blocker.args == ["title", "PaXris"]
    # The window echoes the edit back: text, cursor and focus stay put, nothing is emitted.
    with qtbot.assertNotEmitted(panel.fieldEdited):
        panel.show_photos([item(md.replace(title="PaXris"))])
    assert title.text() == "PaXris"
    assert title.cursorPosition() == 3
    # A different value (undo) replaces the text.
    panel.show_photos([item(md)])
    assert title.text() == "Paris"


def test_multiple_values_silent_until_typed(panel: MetadataPanel, qtbot: QtBot) -> None:
    a = PhotoMetadata(caption="one", credit="Same", keywords=("x",))
    b = PhotoMetadata(caption="two", credit="Same", keywords=("y",))
    with qtbot.assertNotEmitted(panel.fieldEdited):
        panel.show_photos([item(a, "a.jpg"), item(b, "b.jpg")])
    caption = panel.editor("caption")
    credit = panel.editor("credit")
    keywords = panel.editor("keywords")
    assert isinstance(caption, TextField) and isinstance(credit, LineField)
    assert isinstance(keywords, KeywordsField)
    assert caption.toPlainText() == "" and caption.placeholderText() == MULTIPLE_VALUES
    assert caption.font().italic()
    assert keywords.text() == "" and keywords.is_adding()  # issue 15: typing adds to each photo
    assert keywords.placeholderText().startswith("Add to all 2 photos")
    assert credit.text() == "Same" and credit.placeholderText() != MULTIPLE_VALUES
    assert any(w.text() == "2 photos selected" for w in panel.findChildren(QLabel))
    seen = recorder(panel)
    caption.setFocus()
    qtbot.keyClick(caption, Qt.Key.Key_Backspace)  # nothing to delete: still nothing emitted
    keywords.setFocus()
    assert seen == []
    caption.setFocus()
    qtbot.keyClicks(caption, "Z")
    assert seen == [("caption", "Z")]
    assert not caption.font().italic() and caption.placeholderText() != MULTIPLE_VALUES


def test_mixed_rating_and_date_show_multiple(panel: MetadataPanel) -> None:
    a = PhotoMetadata(rating=1, date_taken=datetime(2024, 1, 1, 10, 0))
    b = PhotoMetadata(rating=3, date_taken=datetime(2024, 1, 2, 10, 0))
    panel.show_photos([item(a, "a.jpg"), item(b, "b.jpg")])
    rating = panel.editor("rating")
    date = panel.editor("date_taken")
    assert isinstance(rating, StarRating) and isinstance(date, DateTimeField)
    assert rating.is_mixed() and rating.value() is None
    assert date.is_mixed() and date.value() is None
    assert date.edit.text() == MULTIPLE_VALUES


def test_utc_offset_is_only_offered_with_a_single_date(panel: MetadataPanel) -> None:
    date = panel.editor("date_taken")
    assert isinstance(date, DateTimeField)
    panel.show_photos([item(PhotoMetadata(date_taken=datetime(2024, 1, 1, 10, 0)), "a.jpg")])
    assert date.offset.isEnabled()
    panel.show_photos([item(PhotoMetadata(), "a.jpg")])  # no date: nothing to offset
    assert not date.offset.isEnabled()
    a = PhotoMetadata(date_taken=datetime(2024, 1, 1, 10, 0))
    b = PhotoMetadata(date_taken=datetime(2024, 1, 2, 10, 0))
    panel.show_photos([item(a, "a.jpg"), item(b, "b.jpg")])  # several dates
    assert not date.offset.isEnabled()


def test_read_only_record_disables_editing(panel: MetadataPanel, qtbot: QtBot) -> None:
    md = PhotoMetadata(caption="fixed")
    panel.show_photos([item(md, writable=False, read_only_reason="The file is locked",
                            warnings=("XMP packet is truncated",))])
    caption = panel.editor("caption")
    assert isinstance(caption, TextField) and caption.isReadOnly()
    assert panel.editor("title").isReadOnly()  # type: ignore[attr-defined]
    texts = [w.text() for w in panel.findChildren(QLabel) if w.isVisible()]
    assert any("The file is locked" in t for t in texts)
    assert any("XMP packet is truncated" in t for t in texts)
    seen = recorder(panel)
    caption.setFocus()
    qtbot.keyClicks(caption, "more")
    rating = panel.editor("rating")
    rating.setFocus()
    qtbot.keyClick(rating, Qt.Key.Key_5)
    assert seen == []
    assert caption.toPlainText() == "fixed"
    # A writable photo becomes editable again.
    panel.show_photos([item(md)])
    assert not caption.isReadOnly()
    visible = [w.text() for w in panel.findChildren(QLabel) if w.isVisible()]
    assert not any("The file is locked" in t for t in visible)


def test_some_read_only_in_selection_stays_editable_with_note(panel: MetadataPanel) -> None:
    md = PhotoMetadata()
    locked = item(md, "b.jpg", writable=False, read_only_reason="PNG")
    panel.show_photos([item(md, "a.jpg"), locked])
    assert not panel.editor("caption").isReadOnly()  # type: ignore[attr-defined]
    texts = [w.text() for w in panel.findChildren(QLabel) if w.isVisible()]
    assert any("1 of 2 photos are read-only" in t for t in texts)


@pytest.mark.parametrize("key, signal", [
    (Qt.Key.Key_Down, "nextPhotoRequested"),
    (Qt.Key.Key_Up, "previousPhotoRequested"),
])
def test_ctrl_up_down_from_caption_keeps_focus(
    panel: MetadataPanel, qtbot: QtBot, key: Qt.Key, signal: str
) -> None:
    panel.show_photos([item(PhotoMetadata(caption="line one\nline two"))])
    panel.focus_caption()
    caption = panel.editor("caption")
    qtbot.waitUntil(caption.hasFocus)
    with qtbot.waitSignal(getattr(panel, signal)), qtbot.assertNotEmitted(panel.fieldEdited):
        qtbot.keyClick(caption, key, Qt.KeyboardModifier.ControlModifier)
    assert caption.hasFocus()
    assert caption.toPlainText() == "line one\nline two"


def test_ctrl_down_from_keywords_and_rating(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata())])
    for name in ("keywords", "rating", "gps"):
        widget = panel.editor(name)
        with qtbot.waitSignal(panel.nextPhotoRequested):
            qtbot.keyClick(widget, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)


def test_star_rating_click_and_keyboard(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata())])
    rating = panel.editor("rating")
    assert isinstance(rating, StarRating)
    seen = recorder(panel)
    centre = rating.star_rect(3).center().toPoint()
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=centre)
    assert seen[-1] == ("rating", 3) and rating.value() == 3
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=centre)  # same star again: 0
    assert seen[-1] == ("rating", 0)
    rating.setFocus()
    qtbot.keyClick(rating, Qt.Key.Key_5)
    assert seen[-1] == ("rating", 5)
    qtbot.keyClick(rating, Qt.Key.Key_Minus)
    assert seen[-1] == ("rating", 4)
    qtbot.keyClick(rating, Qt.Key.Key_Delete)
    assert seen[-1] == ("rating", None)
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=QPoint(rating.width() - 2, 5))
    assert len(seen) == 5  # a click beside the stars changes nothing


def test_keywords_emit_tuple_and_complete(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata(keywords=("Seoul",)))])
    panel.set_keyword_completions(["market", "Marathon", "Seoul", "night"])
    keywords = panel.editor("keywords")
    assert isinstance(keywords, KeywordsField)
    keywords.setFocus()
    keywords.end(False)
    seen = recorder(panel)
    qtbot.keyClicks(keywords, "; ma")
    assert seen[-1] == ("keywords", ("Seoul", "ma"))
    completer = keywords.completer()
    qtbot.waitUntil(completer.popup().isVisible)
    offered = [completer.completionModel().index(i, 0).data()
               for i in range(completer.completionModel().rowCount())]
    assert offered == ["Marathon", "market"]
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert keywords.text() == "Seoul; market; "
    assert seen[-1] == ("keywords", ("Seoul", "market"))
    # Words already present are not offered again.
    qtbot.keyClicks(keywords, "se")
    assert not completer.popup().isVisible()


def test_creator_list_emits_tuple(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata())])
    seen = recorder(panel)
    creator = panel.editor("creator")
    qtbot.keyClicks(creator, "Jane Doe; ")
    creator.insert("김민지")  # type: ignore[attr-defined]  # QTest can only type Latin-1
    assert seen[-1] == ("creator", ("Jane Doe", "김민지"))
    n = len(seen)
    qtbot.keyClicks(panel.editor("creator"), ";")  # no new value: nothing emitted
    assert len(seen) == n


def test_alt_text_warnings_appear_and_go(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata(caption="A red tram"))])

    label = panel.findChild(QLabel, "alt_text_warning")
    assert label is not None

    def visible_warnings() -> str:
        return label.text() if label.isVisible() else ""

    assert "No alt text" in visible_warnings()
    alt = panel.editor("alt_text")
    alt.setFocus()
    qtbot.keyClicks(alt, "Photo of a tram")
    assert "no need to start with" in visible_warnings()
    assert any(w.text() == "15 / 150" for w in panel.findChildren(QLabel))
    alt.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(alt, "A red tram")
    assert "repeats the caption" in visible_warnings()
    alt.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(alt, "A red tram crossing a bridge at dusk")
    assert visible_warnings() == ""


def test_gps_validation_and_clear(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata(gps=GPS(1.0, 2.0)))])
    gps = panel.editor("gps")
    assert isinstance(gps, GpsField)
    seen = recorder(panel)
    gps.selectAll()
    qtbot.keyClicks(gps, "48.8584, 2.2945")
    assert seen[-1] == ("gps", GPS(48.8584, 2.2945))
    qtbot.keyClicks(gps, ", x")
    assert gps.error() and seen[-1] == ("gps", GPS(48.8584, 2.2945))
    error_label = panel.findChild(QLabel, "gps_error")
    assert error_label is not None and error_label.isVisible() and "Altitude" in error_label.text()
    gps.selectAll()
    qtbot.keyClicks(gps, "95, 2")
    assert "Latitude" in gps.error()
    gps.selectAll()
    qtbot.keyClick(gps, Qt.Key.Key_Delete)
    assert seen[-1] == ("gps", None)


def test_date_taken_edit_offset_and_clear(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata(date_taken=datetime(2024, 5, 14, 9, 12, 33)))])
    date = panel.editor("date_taken")
    assert isinstance(date, DateTimeField)
    seen = recorder(panel)
    date.offset.setCurrentIndex(date.offset.findData(9 * 60))
    assert seen[-1] == ("date_taken", datetime(2024, 5, 14, 9, 12, 33,
                                               tzinfo=timezone(timedelta(hours=9))))
    date.edit.setFocus()
    date.edit.setCurrentSection(date.edit.Section.DaySection)
    qtbot.keyClick(date.edit, Qt.Key.Key_Up)
    assert seen[-1][1] == datetime(2024, 5, 15, 9, 12, 33, tzinfo=timezone(timedelta(hours=9)))
    qtbot.mouseClick(date.clear_button, Qt.MouseButton.LeftButton)
    assert seen[-1] == ("date_taken", None)
    assert date.edit.text() == "Not set"


def test_copyright_helper_inserts_sign_with_year(panel: MetadataPanel) -> None:
    panel.show_photos([item(PhotoMetadata(date_taken=datetime(2019, 3, 1)))])
    seen = recorder(panel)
    copyright_edit = panel.editor("copyright")
    assert isinstance(copyright_edit, QLineEdit)
    copyright_edit.actions()[0].trigger()
    assert copyright_edit.text() == "© 2019 "
    assert seen == [("copyright", "© 2019 ")]


def test_tooltips_buddies_and_tab_order(panel: MetadataPanel) -> None:
    panel.show_photos([item(PhotoMetadata())])
    assert "printed under the photo" in panel.editor("caption").toolTip()
    buddies = {label.buddy() for label in panel.findChildren(QLabel) if label.buddy()}
    for name in ("title", "caption", "alt_text", "keywords", "creator", "gps", "rating"):
        assert panel.editor(name) in buddies

def test_tab_moves_through_fields_in_order(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata())])
    order = [
        "headline", "title", "caption", "alt_text", "extended_description", "caption_writer",
        "keywords", "persons_shown", "event",
    ]  # fmt: skip
    panel.editor(order[0]).setFocus()
    qtbot.waitUntil(panel.editor(order[0]).hasFocus)
    for name in order[1:]:
        qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Tab)
        assert panel.focusWidget() is panel.editor(name), name


def test_keywords_echo_keeps_trailing_separator(panel: MetadataPanel, qtbot: QtBot) -> None:
    md = PhotoMetadata()
    panel.show_photos([item(md)])
    keywords = panel.editor("keywords")
    assert isinstance(keywords, QLineEdit)
    keywords.setFocus()
    qtbot.keyClicks(keywords, "Seoul; ")
    with qtbot.assertNotEmitted(panel.fieldEdited):
        panel.show_photos([item(md.replace(keywords=("Seoul",)))])
    assert keywords.text() == "Seoul; " and keywords.cursorPosition() == 7


def test_wheel_over_unfocused_date_does_not_change_it(panel: MetadataPanel, qtbot: QtBot) -> None:
    panel.show_photos([item(PhotoMetadata())])
    date = panel.editor("date_taken")
    assert isinstance(date, DateTimeField)
    panel.editor("title").setFocus()
    centre = QPointF(date.edit.rect().center())
    wheel = QWheelEvent(centre, date.edit.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    with qtbot.assertNotEmitted(panel.fieldEdited):
        QApplication.sendEvent(date.edit, wheel)
    assert date.value() is None


def test_typing_a_digit_into_unset_date_starts_from_now(panel: MetadataPanel, qtbot: QtBot) -> None:
    a, b = PhotoMetadata(date_taken=datetime(2020, 1, 1)), PhotoMetadata()
    panel.show_photos([item(a, "a.jpg"), item(b, "b.jpg")])
    date = panel.editor("date_taken")
    assert isinstance(date, DateTimeField) and date.is_mixed()
    date.edit.setFocus()
    with qtbot.waitSignal(panel.fieldEdited) as blocker:
        qtbot.keyClicks(date.edit, "2")
    name, value = blocker.args
    assert name == "date_taken" and isinstance(value, datetime)
    assert abs((value - datetime.now()).total_seconds()) < 60
    assert not date.is_mixed()


def test_iim_length_is_shown_while_typing(panel: MetadataPanel, qtbot: QtBot) -> None:
    """Credit holds 32 bytes in IPTC-IIM: near the limit a quiet count, past it a warning that
    the end is cut in IIM; a keyword longer than 64 bytes is named; photos that fit show none."""
    panel.show_photos([item(PhotoMetadata(credit="Jane Doe"))])
    note = panel.findChild(QLabel, "iim_note_credit")
    assert note is not None and note.isHidden()
    credit = panel.editor("credit")
    assert isinstance(credit, QLineEdit)
    credit.selectAll()
    credit.insert("Jane Doe / Agence Ré")  # as typed (keyClicks is ASCII only): 21 bytes
    assert note.isHidden()
    credit.insert("ünie Pa")  # 29 bytes (é and ü take two): 29 of 32
    assert not note.isHidden() and note.text() == "29 of 32 bytes that IPTC-IIM holds"
    qtbot.keyClicks(credit, "ris-Match")
    assert not note.isHidden() and "38 bytes; IPTC-IIM keeps 32" in note.text()
    keywords_note = panel.findChild(QLabel, "iim_note_keywords")
    keywords = panel.editor("keywords")
    assert isinstance(keywords, QLineEdit) and keywords_note is not None
    keywords.setText("Paris; " + "Très long mot-clé " * 4)
    assert not keywords_note.isHidden()
    assert "“Très long mot-clé Tr…” is 79 bytes" in keywords_note.text()
    panel.show_photos([item(PhotoMetadata(credit="Short"))])
    assert note.isHidden() and keywords_note.isHidden()


def test_camera_rows_use_the_core_formatter(panel: MetadataPanel) -> None:
    facts = CameraFacts(make="SONY", model="ILCE-7M3", lens="FE 85mm F1.8",
                        exposure_time="1/1000", f_number=1.8, iso=3200, focal_length=85.0)
    panel.show_photos([item(PhotoMetadata(), camera=facts)])
    shown = {label.text() for label in panel.findChildren(QLabel) if label.isVisible()}
    for part in (facts.body(), facts.exposure(), facts.iso_speed(), facts.focal(), facts.lens):
        assert part in shown
    assert {"SONY ILCE-7M3", "1/1000 s f/1.8", "3200", "85 mm"} <= shown


def test_every_tooltip_is_the_field_tables_help_and_where_it_is_stored(
    panel: MetadataPanel,
) -> None:
    from editor.core.fields import FIELDS

    for spec in FIELDS:
        assert spec.help, f"{spec.name} has no help text in fields.py"
        if spec.name != "rating":  # the stars' tooltip says their current state instead
            tip = panel.editor(spec.name).toolTip()
            assert tip.startswith(spec.help + "\n\nStored in XMP ") or tip.startswith(
                spec.help + "\n\nStored in EXIF "
            ), spec.name
    assert panel.editor("headline").toolTip().endswith(
        "Stored in XMP photoshop:Headline, IPTC 2:105 Headline"
    )
    assert "XMP Iptc4xmpCore:CreatorContactInfo/Iptc4xmpCore:CiEmailWork" in (
        panel.editor("creator_email").toolTip()
    )
    assert "XMP plus:Licensor[1]/plus:LicensorURL" in panel.editor("licensor_url").toolTip()
    assert "read from Iptc4xmpExt:LocationShown or Iptc4xmpExt:LocationCreated" in (
        panel.editor("city").toolTip()
    )


def test_date_only_value_shown_and_edited_as_a_date(panel: MetadataPanel, qtbot: QtBot) -> None:
    """Issue 15 defect 3: a date-only value is not shown or saved as an invented midnight."""
    from editor.core.partial_dates import DateOnly

    panel.show_photos([item(PhotoMetadata(date_taken=DateOnly(2004, 6, 21)))])
    date = panel.editor("date_taken")
    assert isinstance(date, DateTimeField)
    assert date.edit.text() == "2004-06-21"
    assert not date.offset.isEnabled()  # a date without a time has no zone
    assert type(date.value()) is DateOnly
    seen = recorder(panel)
    date.edit.setFocus()
    date.edit.setCurrentSection(date.edit.Section.DaySection)
    qtbot.keyClick(date.edit, Qt.Key.Key_Up)
    assert seen[-1] == ("date_taken", DateOnly(2004, 6, 22))
    assert type(seen[-1][1]) is DateOnly
    full = datetime(2004, 6, 21, 23, 37, 53)
    panel.show_photos([item(PhotoMetadata(date_taken=full), "b.jpg")])
    assert date.edit.text() == "2004-06-21 23:37:53"
    assert type(date.value()) is datetime and date.offset.isEnabled()
    panel.show_photos([item(PhotoMetadata(date_taken=DateOnly(2004, 6, 21)), "c.jpg")])
    assert date.edit.text() == "2004-06-21"


def test_date_typed_into_not_set_and_after_home(panel: MetadataPanel, qtbot: QtBot) -> None:
    """Issue 15 item 7: typing into "Not set" kept no digit of what was typed (the first one
    started the date and was swallowed), and digits typed after Home were refused."""
    panel.show_photos([item(PhotoMetadata())])
    date = panel.editor("date_taken")
    assert isinstance(date, DateTimeField)
    seen = recorder(panel)
    date.edit.setFocus()
    assert date.edit.text() == "Not set"
    qtbot.keyClicks(date.edit, "20040621233753")
    assert date.edit.text() == "2004-06-21 23:37:53"
    assert seen[-1] == ("date_taken", datetime(2004, 6, 21, 23, 37, 53))
    qtbot.keyClick(date.edit, Qt.Key.Key_Home)
    qtbot.keyClicks(date.edit, "1999")
    assert date.edit.text() == "1999-06-21 23:37:53"
    assert seen[-1] == ("date_taken", datetime(1999, 6, 21, 23, 37, 53))


def test_gps_accepts_degrees_minutes_seconds(panel: MetadataPanel, qtbot: QtBot) -> None:
    """Issue 15 item 7: the position as cameras and maps print it, typed or pasted."""
    panel.show_photos([item(PhotoMetadata())])
    gps = panel.editor("gps")
    assert isinstance(gps, GpsField)
    seen = recorder(panel)
    gps.setFocus()
    qtbot.keyClicks(gps, "48°51'30\"N 2°17'40\"E")
    name, value = seen[-1]
    assert name == "gps" and isinstance(value, GPS)
    assert value.lat == pytest.approx(48.858333, abs=1e-6)
    assert value.lon == pytest.approx(2.294444, abs=1e-6)
    assert gps.error() == ""


def test_keyword_counts_do_not_widen_the_panel(panel: MetadataPanel) -> None:
    body = panel._scroll.widget()
    panel.show_photos([item(PhotoMetadata(keywords=("a",)))])
    single = body.minimumSizeHint().width()
    panel.show_photos(
        [item(PhotoMetadata(keywords=(f"k{i}",)), f"{i}.jpg") for i in range(11)]
    )
    keywords = panel.editor("keywords")
    assert isinstance(keywords, KeywordsField) and keywords.counts.isVisible()
    assert body.minimumSizeHint().width() <= single


def test_header_says_a_raw_keeps_its_metadata_in_a_sidecar(panel: MetadataPanel) -> None:
    raw = record("DSC_1.NEF", format="NEF", metadata_store="sidecar",
                 sidecar=Path("/photos/DSC_1.xmp"))
    panel.show_photos([(raw.metadata, raw)])
    info = [w for w in panel.findChildren(QLabel) if "DSC_1.xmp" in w.text()]
    assert info and "NEF" in info[0].text()
    assert "never written" in info[0].toolTip() and "created on the first save" in info[0].toolTip()
    jpeg = record("a.jpg")
    panel.show_photos([(jpeg.metadata, jpeg)])
    assert not [w for w in panel.findChildren(QLabel) if ".xmp" in w.text()]
