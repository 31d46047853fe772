"""Dates known only to the day, month or year (XMP "2004-06-21", IIM 2:55 without 2:60).

They are ``datetime`` subclasses so every consumer keeps working, but they say how much is
known: readers keep that precision, writers write no more than it (no invented midnight, no
invented time zone), and reconciling treats a less precise value that matches a more precise one
as agreement, not conflict.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar


class PartialDate(datetime):
    """A date without a time of day (and so without a time zone); see the subclasses."""

    precision: ClassVar[str] = "day"
    _iso: ClassVar[str] = "%Y-%m-%d"

    def __new__(cls, year: int, month: int = 1, day: int = 1, *_: Any, **__: Any) -> PartialDate:
        # datetime.replace() and pickling call the class with every component: the time parts
        # and the zone are dropped, because this value does not know them.
        return super().__new__(cls, year, month, day)

    def replace(  # type: ignore[override]
        self,
        year: int | None = None,
        month: int | None = None,
        day: int | None = None,
        *_: Any,
        **__: Any,
    ) -> PartialDate:
        """Only the date parts apply: a time or zone given here is not known, so dropped."""
        return type(self)(year or self.year, month or self.month, day or self.day)

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return self.strftime(self._iso)

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.isoformat()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.year, self.month, self.day))

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return self.__reduce__()


class DateOnly(PartialDate):
    """A day: 2004-06-21."""


class MonthOnly(PartialDate):
    """A month: 2004-06 (the day is stored as 1)."""

    precision = "month"
    _iso = "%Y-%m"


class YearOnly(PartialDate):
    """A year: 2004 (month and day stored as 1)."""

    precision = "year"
    _iso = "%Y"


def partial(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    """The PartialDate holding just what is given (raises ValueError for impossible dates)."""
    if month is None:
        return YearOnly(year)
    if day is None:
        return MonthOnly(year, month)
    return DateOnly(year, month, day)


_DATE_ONLY = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*")


def parse_iso(text: str) -> datetime:
    """ISO 8601 text as written by ``isoformat``: a date without a time ("2004-06-21",
    "2004-06", "2004") stays a PartialDate of that precision, anything else is a datetime.
    Raises ValueError when it is not a valid date."""
    match = _DATE_ONLY.fullmatch(text)
    if match is None:
        return datetime.fromisoformat(text)
    year, month, day = match.groups()
    try:
        return partial(int(year), month and int(month), day and int(day))
    except ValueError as err:
        raise ValueError(f"{text.strip()!r} is not a valid date") from err


def precision_of(value: datetime) -> str:
    """ "year", "month", "day" or "time"."""
    return value.precision if isinstance(value, PartialDate) else "time"


def _parts(value: datetime, precision: str) -> tuple[int, ...]:
    full = (value.year, value.month, value.day)
    return full[: {"year": 1, "month": 2}.get(precision, 3)]


def same_date(a: datetime, b: datetime) -> bool:
    """Whether ``a`` and ``b`` are the same fact at the precision of the less precise one.

    The more precise value's own calendar date counts (its clock as written, no zone
    conversion): a camera's 2004-06-21 23:37:53 and an XMP "2004-06-21" say the same day.
    """
    coarse = a if isinstance(a, PartialDate) else b
    if not isinstance(coarse, PartialDate):
        raise ValueError("same_date compares a partial date with another date")
    fine = b if coarse is a else a
    if isinstance(fine, PartialDate) and len(_parts(fine, fine.precision)) < len(
        _parts(coarse, coarse.precision)
    ):
        coarse, fine = fine, coarse
    return _parts(coarse, coarse.precision) == _parts(fine, coarse.precision)


def is_placeholder_midnight(value: datetime) -> bool:
    """A time of exactly 00:00:00 in UTC or no zone: how tools write a date they lack the time
    of (Photoshop's IIM 2:60 "000000+0000" beside an XMP date-only DateCreated)."""
    if isinstance(value, PartialDate) or (value.hour, value.minute, value.second) != (0, 0, 0):
        return False
    offset = value.utcoffset()
    return value.microsecond == 0 and (offset is None or not offset)
