"""Shifting the dates and times of many photos at once: the arithmetic, no Qt.

Three ways, as photographers need them:

- ``shift_by``: the camera clock was wrong by a fixed amount ("+1 h 03 min 20 s");
- ``move_first_to``: the first photo (earliest) was really taken at a given time; the others
  keep their distance from it;
- ``assign_zone``: the times are right on the wall clock but say no (or the wrong) UTC offset;
  a fixed offset ("+09:00") or a time zone ("Asia/Seoul", daylight saving per photo's date).

Photos without a date, or with only a date (2004, 2004-06, 2004-06-21: no clock to correct,
and an hour's shift must not move a month-only date a month), are left alone. Sub-seconds and
an existing UTC offset are kept unless the zone is what is being assigned.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path

from editor.core.partial_dates import PartialDate

Dates = Mapping[Path, datetime | None]

_UNITS = {
    "d": 86400, "day": 86400, "days": 86400,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_CLOCK = re.compile(r"(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?")
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
MAX_SHIFT = timedelta(days=365 * 100)
OFFSET_HELP = "Type an offset like +1 h 03 min 20 s, -30 s, +2 d or -1:03:20"


class ShiftError(ValueError):
    """A typed offset or zone that cannot be understood; the message says what to type."""


def parse_offset(text: str) -> timedelta:
    """ "+1 h 03 min 20 s", "-30s", "2 days", "+1:03:20", "-0:30" -> timedelta."""
    raw = text.strip().lower().replace("−", "-")
    if not raw:
        raise ShiftError(OFFSET_HELP)
    sign = -1 if raw.startswith("-") else 1
    body = raw.lstrip("+-").strip()
    seconds = 0.0
    clock = _CLOCK.fullmatch(body)
    if clock:
        h, m, s = clock.groups()
        if int(m) >= 60 or (s is not None and float(s) >= 60):
            raise ShiftError(OFFSET_HELP)
        seconds = int(h) * 3600 + int(m) * 60 + float(s or 0)
    else:
        pos = 0
        found = False
        for match in _PART.finditer(body):
            if body[pos : match.start()].strip(" ,"):
                raise ShiftError(OFFSET_HELP)
            unit = _UNITS.get(match.group(2))
            if unit is None:
                raise ShiftError(f"Unknown unit “{match.group(2)}”. {OFFSET_HELP}")
            seconds += float(match.group(1)) * unit
            pos = match.end()
            found = True
        if not found or body[pos:].strip(" ,"):
            raise ShiftError(OFFSET_HELP)
    delta = timedelta(seconds=sign * seconds)
    if abs(delta) > MAX_SHIFT:
        raise ShiftError("That is more than a hundred years")
    return delta


def format_offset(delta: timedelta) -> str:
    """timedelta -> "+1 h 03 min 20 s" (the form ``parse_offset`` reads)."""
    sign = "-" if delta < timedelta(0) else "+"
    total = abs(delta)
    days, rest = divmod(int(total.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours or days:
        parts.append(f"{hours} h")
    if minutes or hours or days:
        parts.append(f"{minutes:02d} min" if parts else f"{minutes} min")
    micro = total.microseconds
    sec = f"{seconds}.{micro:06d}".rstrip("0").rstrip(".") if micro else str(seconds)
    parts.append(f"{sec.zfill(2) if parts else sec} s")
    return sign + " ".join(parts)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The IANA time zone names this system knows, sorted."""
    try:
        return tuple(sorted(zoneinfo.available_timezones()))
    except OSError:  # pragma: no cover - no tz database at all
        return ()


def parse_zone(text: str) -> tzinfo:
    """ "+09:00", "UTC-5", "-0330", "Z", "UTC" or an IANA name ("Asia/Seoul") -> tzinfo."""
    raw = text.strip()
    if raw.upper() in ("Z", "UTC", "GMT", "+00:00", "UTC+0"):
        return UTC
    match = _OFFSET.fullmatch(raw)
    if match:
        sign = -1 if match.group(1) in "-−" else 1
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise ShiftError("A UTC offset lies between -12:00 and +14:00")
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if raw:
        try:
            return zoneinfo.ZoneInfo(raw)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    raise ShiftError("Type a UTC offset like +09:00 or a time zone like Asia/Seoul")


def _fixed(dt: datetime) -> datetime:
    """The same instant with a fixed UTC offset (what metadata stores), not a zone rule."""
    offset = dt.utcoffset()
    return dt if offset is None else dt.replace(tzinfo=timezone(offset))


def has_clock(when: datetime | None) -> bool:
    """Whether a shift applies to ``when``: a date and time, not a missing or partial date."""
    return when is not None and not isinstance(when, PartialDate)


def shift_by(dates: Dates, delta: timedelta) -> dict[Path, datetime]:
    """Every photo with a date and time moved by ``delta`` (its UTC offset, if any, kept).
    Raises ShiftError when a date would leave the calendar (before year 1, after 9999)."""
    try:
        return {p: d + delta for p, d in dates.items() if d is not None and has_clock(d)}
    except OverflowError as err:
        raise ShiftError("That would move a photo's date outside the years 1 to 9999") from err


def first_photo(dates: Dates) -> tuple[Path, datetime] | None:
    """The earliest dated photo (by wall clock, as the camera recorded it)."""
    dated = [
        (d.replace(tzinfo=None), str(p), p, d)
        for p, d in dates.items()
        if d is not None and has_clock(d)
    ]
    if not dated:
        return None
    _, _, path, when = min(dated)
    return path, when


def move_first_to(dates: Dates, new_first: datetime) -> dict[Path, datetime]:
    """The earliest photo set to ``new_first`` (wall clock), the others moved with it."""
    first = first_photo(dates)
    if first is None:
        return {}
    delta = new_first.replace(tzinfo=None) - first[1].replace(tzinfo=None)
    return shift_by(dates, delta)


def assign_zone(dates: Dates, zone: tzinfo | None) -> dict[Path, datetime]:
    """The same wall-clock times, said to be in ``zone`` (None: no UTC offset)."""
    out: dict[Path, datetime] = {}
    for p, d in dates.items():
        if d is None or not has_clock(d):
            continue
        local = d.replace(tzinfo=None)
        out[p] = local if zone is None else _fixed(local.replace(tzinfo=zone))
    return out
