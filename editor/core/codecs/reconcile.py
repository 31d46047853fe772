"""Reconcile EXIF, XMP and IPTC-IIM into one value per field, the way MWG describes.

When the stores agree (allowing for IIM's length limits, EXIF's lack of time zones and a date
known only to the day beside the full date and time), that value is used. When they disagree,
XMP wins if present, then EXIF, then IIM, and a warning names the stores that disagree, so the
photographer can see and fix it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from editor.core.fields import FIELD_BY_NAME, FIELD_NAMES, LIST_FIELDS, FieldKind
from editor.core.model import GPS, PhotoMetadata
from editor.core.partial_dates import (
    PartialDate,
    is_placeholder_midnight,
    precision_of,
    same_date,
)
from editor.core.vocabulary import same_country_code

STORE_ORDER = ("XMP", "EXIF", "IPTC")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def same_value(name: str, a: Any, b: Any, *, b_may_be_truncated: bool = False) -> bool:
    """Equal as far as the stores can express: text trimmed, GPS to ~1 cm, dates to the second
    (and of the same precision: a date-only value is not midnight)."""
    if isinstance(a, datetime) and isinstance(b, datetime) and precision_of(a) != precision_of(b):
        return False
    if a == b:
        return True
    if a is None or b is None:
        return False
    kind = FIELD_BY_NAME[name].kind
    if name == "country_code":  # XMP may hold "KR" where IIM holds "KOR"
        return same_country_code(str(a), str(b))
    if kind in (FieldKind.TEXT, FieldKind.MULTILINE):
        a, b = " ".join(str(a).split()), " ".join(str(b).split())
        return a == b or (b_may_be_truncated and bool(b) and a.startswith(b))
    if kind is FieldKind.LIST:
        ta = tuple(" ".join(x.split()) for x in a)
        tb = tuple(" ".join(x.split()) for x in b)
        if ta == tb:
            return True
        return (
            b_may_be_truncated
            and len(ta) == len(tb)
            and all(x.startswith(y) for x, y in zip(ta, tb, strict=True))
        )
    if kind is FieldKind.DATETIME:
        assert isinstance(a, datetime) and isinstance(b, datetime)
        if isinstance(a, PartialDate):
            return same_date(a, b)
        if a.replace(tzinfo=None, microsecond=0) != b.replace(tzinfo=None, microsecond=0):
            return False
        return a.tzinfo is None or b.tzinfo is None or a.utcoffset() == b.utcoffset()
    if kind is FieldKind.GPS:
        assert isinstance(a, GPS) and isinstance(b, GPS)
        close = abs(a.lat - b.lat) < 1e-6 and abs(a.lon - b.lon) < 1e-6
        if a.alt is None or b.alt is None:
            return close
        return close and abs(a.alt - b.alt) < 0.01
    return False


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2, "time": 3}


def _dates_agree(name: str, a: datetime, b: datetime) -> bool:
    """Same fact: a less precise date agrees with a more precise one on that day."""
    if isinstance(a, PartialDate) or isinstance(b, PartialDate):
        return same_date(a, b)
    return same_value(name, a, b)


def _reconcile_date(name: str, found: list[tuple[str, Any]]) -> tuple[str, datetime, list[str]]:
    """The date to show, the store it came from and the stores that disagree with it.

    XMP wins as for any field, but a date-only value gives way to a more precise one that
    agrees with it (EXIF's time of day), and a zone-less time to the same time with a zone.
    A placeholder midnight (IIM 2:60 "000000+0000" written beside a date-only XMP date) on a
    partial date's day is read as that date, so it neither conflicts nor invents a time or zone.
    """
    partials = [v for _, v in found if isinstance(v, PartialDate)]

    def view(value: datetime) -> datetime:
        if is_placeholder_midnight(value):
            return next((p for p in partials if same_date(p, value)), value)
        return value

    items = [(store, view(value)) for store, value in found]
    chosen_store, chosen = items[0]
    if isinstance(chosen, PartialDate):
        finer = [
            (store, value)
            for store, value in items
            if _PRECISION_RANK[precision_of(value)] > _PRECISION_RANK[precision_of(chosen)]
            and same_date(chosen, value)
        ]
        if finer:  # the most precise; among equals, the first in store order
            chosen_store, chosen = max(finer, key=lambda sv: _PRECISION_RANK[precision_of(sv[1])])
    if chosen.tzinfo is None and not isinstance(chosen, PartialDate):
        zoned = next(
            (
                (s, v)
                for s, v in items
                if v.tzinfo is not None
                and not isinstance(v, PartialDate)
                and same_value(name, chosen, v)
            ),
            None,
        )
        if zoned is not None:
            chosen = zoned[1]
    disagree = [
        store
        for store, value in items
        if store != chosen_store and not _dates_agree(name, chosen, value)
    ]
    return chosen_store, chosen, disagree


def reconcile(stores: dict[str, dict[str, Any]]) -> tuple[PhotoMetadata, list[str]]:
    """One PhotoMetadata from per-store field values, plus a warning per disagreement."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for name in FIELD_NAMES:
        found = [
            (store, stores[store][name])
            for store in STORE_ORDER
            if store in stores and not _is_empty(stores[store].get(name))
        ]
        if not found:
            continue
        if FIELD_BY_NAME[name].kind is FieldKind.DATETIME:
            chosen_store, chosen, disagree = _reconcile_date(name, found)
        else:
            chosen_store, chosen = found[0]
            disagree = [
                store
                for store, value in found[1:]
                if not same_value(name, chosen, value, b_may_be_truncated=store == "IPTC")
            ]
        values[name] = chosen
        if disagree:
            label = FIELD_BY_NAME[name].label
            stores_text = " and ".join([chosen_store, *disagree])
            warnings.append(f"{label}: {stores_text} disagree; showing the {chosen_store} value")
    for name in LIST_FIELDS:
        if isinstance(values.get(name), list):
            values[name] = tuple(values[name])
    return PhotoMetadata(**values), warnings
