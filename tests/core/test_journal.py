"""The edit journal's file format: round trip, tolerance, atomic replace and removal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from editor.core.journal import (
    apply_edits,
    changed_values,
    dump_journal,
    load_journal,
    read_journal,
    write_journal,
)
from editor.core.model import GPS, PhotoMetadata
from editor.core.partial_dates import partial


def test_round_trip_of_every_kind_of_value(tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone(timedelta(hours=9)))
    edits = {
        tmp_path / "a.jpg": {
            "caption": "Zwölf Boxkämpfer\njagen Viktor",
            "keywords": ("a", "b"),
            "date_taken": when,
            "gps": GPS(48.8584, 2.2945, 35.0),
            "rating": 4,
        }
    }
    journal = tmp_path / "data" / "j.json"
    write_journal(journal, edits)
    assert read_journal(journal) == edits
    write_journal(journal, {})
    assert not journal.exists()


def test_malformed_entries_are_left_out() -> None:
    text = (
        '{"version": 1, "photos": [{"path": "/x.jpg", "fields": {"caption": "ok", '
        '"rating": 9, "nonsense": 1}}, {"fields": {}}, 3]}'
    )
    assert load_journal(text) == {Path("/x.jpg"): {"caption": "ok"}}
    assert load_journal("{not json") == {}
    assert load_journal(dump_journal({})) == {}


def test_only_changed_fields_are_journalled_and_reapplied() -> None:
    original = PhotoMetadata(caption="camera", credit="Agency")
    edited = original.replace(caption="typed", keywords=("k",))
    values = changed_values(original, edited)
    assert values == {"caption": "typed", "keywords": ("k",)}
    # Re-applied onto what the file holds at the next start (credit changed meanwhile).
    on_disk = original.replace(credit="Other agency")
    assert apply_edits(on_disk, values) == on_disk.replace(caption="typed", keywords=("k",))


@pytest.mark.parametrize("when", [partial(2004), partial(2004, 6), partial(2004, 6, 21)])
def test_a_partial_date_edit_survives_the_journal_with_its_precision(
    tmp_path: Path, when: datetime
) -> None:
    """A typed "2004-06" came back as nothing (fromisoformat refused it) and "2004-06-21" as an
    invented midnight; it must come back as the same partial date."""
    journal = tmp_path / "j.json"
    write_journal(journal, {Path("/p.jpg"): {"date_taken": when}})
    got = read_journal(journal)[Path("/p.jpg")]["date_taken"]
    assert type(got) is type(when) and got.isoformat() == when.isoformat()
