"""List fields under the list separator preference keep the items that contain it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from editor.gui.panel.fields import ListField


def test_a_comma_separator_does_not_split_a_name_the_photo_already_holds(qtbot: QtBot) -> None:
    """With ", " as separator, creator "Doe, Jane" was split into "Doe" and "Jane" as soon as
    the photographer added another name to the line."""
    field = ListField()
    qtbot.addWidget(field)
    field.separator = ", "
    emitted: list[object] = []
    field.edited.connect(emitted.append)
    field.set_value(("Doe, Jane", "Roe, Ann"))
    assert field.text() == "Doe, Jane, Roe, Ann"
    field.end(False)
    qtbot.keyClicks(field, ", Smith")
    assert emitted[-1] == ("Doe, Jane", "Roe, Ann", "Smith")
    # A name typed anew is split as typed: only what the photo holds is kept whole.
    field.set_value(())
    qtbot.keyClicks(field, "Doe, Jane")
    assert emitted[-1] == ("Doe", "Jane")
