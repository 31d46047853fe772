"""The edit journal's file format: round trip, tolerance, atomic replace and removal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from editor.core.journal import (
    apply_edits,
    changed_values,
    dump_journal,
    load_journal,
    read_journal,
    write_journal,
)
from editor.core.model import GPS, PhotoMetadata


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
