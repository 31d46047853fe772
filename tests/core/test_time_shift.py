"""Shifting dates and times: offsets typed as photographers type them, the three ways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from editor.core.time_shift import (
    ShiftError,
    assign_zone,
    first_photo,
    format_offset,
    move_first_to,
    parse_offset,
    parse_zone,
    shift_by,
)

KST = timezone(timedelta(hours=9))
A, B, C = Path("a.jpg"), Path("b.jpg"), Path("c.jpg")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("+1 h 03 min 20 s", timedelta(hours=1, minutes=3, seconds=20)),
        ("1h3m20s", timedelta(hours=1, minutes=3, seconds=20)),
        ("-30 s", timedelta(seconds=-30)),
        ("+2 days, 1 hour", timedelta(days=2, hours=1)),
        ("-1:03:20", -timedelta(hours=1, minutes=3, seconds=20)),
        ("+0:30", timedelta(minutes=30)),
        ("0.5 s", timedelta(seconds=0.5)),
        ("−5 min", timedelta(minutes=-5)),
    ],
)
def test_parse_offset(text: str, want: timedelta) -> None:
    assert parse_offset(text) == want
    assert parse_offset(format_offset(want)) == want


@pytest.mark.parametrize("text", ["", "soon", "1 fortnight", "1:75", "5 h later", "+"])
def test_parse_offset_refuses(text: str) -> None:
    with pytest.raises(ShiftError):
        parse_offset(text)


def test_format_offset() -> None:
    assert format_offset(timedelta(hours=1, minutes=3, seconds=20)) == "+1 h 03 min 20 s"
    assert format_offset(timedelta(seconds=-30)) == "-30 s"


def test_shift_by_keeps_offset_subseconds_and_skips_undated() -> None:
    dates = {
        A: datetime(2024, 5, 1, 23, 59, 0, 250000, tzinfo=KST),
        B: datetime(2024, 5, 1, 10, 0, 0),
        C: None,
    }
    out = shift_by(dates, parse_offset("+1 h 03 min 20 s"))
    assert out == {
        A: datetime(2024, 5, 2, 1, 2, 20, 250000, tzinfo=KST),
        B: datetime(2024, 5, 1, 11, 3, 20),
    }
    assert out[A].utcoffset() == timedelta(hours=9)


def test_move_first_moves_the_rest_with_it() -> None:
    dates = {
        B: datetime(2024, 5, 1, 10, 0, 5, tzinfo=KST),
        A: datetime(2024, 5, 1, 10, 0, 0, tzinfo=KST),
        C: datetime(2024, 5, 1, 12, 30, 0, tzinfo=KST),
    }
    assert first_photo(dates) == (A, dates[A])
    out = move_first_to(dates, datetime(2024, 5, 1, 9, 0, 0))
    assert out == {
        A: datetime(2024, 5, 1, 9, 0, 0, tzinfo=KST),
        B: datetime(2024, 5, 1, 9, 0, 5, tzinfo=KST),
        C: datetime(2024, 5, 1, 11, 30, 0, tzinfo=KST),
    }
    assert move_first_to({A: None}, datetime(2024, 1, 1)) == {}


def test_assign_zone_keeps_the_wall_clock() -> None:
    dates = {
        A: datetime(2024, 1, 15, 12, 0),  # winter
        B: datetime(2024, 7, 15, 12, 0, tzinfo=UTC),  # summer, wrongly UTC
        C: None,
    }
    fixed = assign_zone(dates, parse_zone("+09:00"))
    assert fixed[A] == datetime(2024, 1, 15, 12, 0, tzinfo=KST)
    assert fixed[B].replace(tzinfo=None) == datetime(2024, 7, 15, 12, 0)
    assert C not in fixed
    paris = assign_zone(dates, parse_zone("Europe/Paris"))
    assert paris[A].utcoffset() == timedelta(hours=1)  # daylight saving per photo
    assert paris[B].utcoffset() == timedelta(hours=2)
    assert isinstance(paris[A].tzinfo, timezone)  # a fixed offset, as metadata stores it
    assert assign_zone(dates, None)[B] == datetime(2024, 7, 15, 12, 0)


@pytest.mark.parametrize(
    ("text", "hours"), [("+09:00", 9), ("UTC-5", -5), ("-0330", -3.5), ("Z", 0), ("UTC", 0)]
)
def test_parse_zone_offsets(text: str, hours: float) -> None:
    assert parse_zone(text).utcoffset(None) == timedelta(hours=hours)


def test_parse_zone_refuses() -> None:
    for text in ("", "Mars/Olympus", "+15:00"):
        with pytest.raises(ShiftError):
            parse_zone(text)


def test_partial_dates_are_left_alone_by_every_shift() -> None:
    """A clock correction of -1 h moved a month-only "2004-06" to "2004-05" (and a day-only
    date to the day before); a date without a time has no clock to correct."""
    from editor.core.partial_dates import partial

    timed = datetime(2004, 6, 21, 12, 0)
    dates = {Path("m.jpg"): partial(2004, 6), Path("d.jpg"): partial(2004, 6, 21),
             Path("t.jpg"): timed}
    assert shift_by(dates, timedelta(hours=-1)) == {Path("t.jpg"): timed - timedelta(hours=1)}
    assert set(assign_zone(dates, parse_zone("+09:00"))) == {Path("t.jpg")}
    assert set(move_first_to(dates, datetime(2005, 1, 1))) == {Path("t.jpg")}


def test_a_shift_past_the_calendar_is_a_shift_error_not_a_traceback() -> None:
    dates = {Path("old.jpg"): datetime(1, 1, 1, 0, 30)}
    with pytest.raises(ShiftError):
        shift_by(dates, timedelta(hours=-1))
    with pytest.raises(ShiftError):
        shift_by({Path("new.jpg"): datetime(9999, 12, 31, 23, 0)}, timedelta(hours=2))
