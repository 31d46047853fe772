"""Reconcile EXIF, XMP and IPTC-IIM into one value per field, the way MWG describes.

When the stores agree (allowing for IIM's length limits and EXIF's lack of time zones), that
value is used. When they disagree, XMP wins if present, then EXIF, then IIM, and a warning names
the stores that disagree, so the photographer can see and fix it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from editor.core.fields import FIELD_BY_NAME, FIELD_NAMES, LIST_FIELDS, FieldKind
from editor.core.model import GPS, PhotoMetadata

STORE_ORDER = ("XMP", "EXIF", "IPTC")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def same_value(name: str, a: Any, b: Any, *, b_may_be_truncated: bool = False) -> bool:
    """Equal as far as the stores can express: text trimmed, GPS to ~1 cm, dates to the second."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    kind = FIELD_BY_NAME[name].kind
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
        chosen_store, chosen = found[0]
        disagree = [
            store
            for store, value in found[1:]
            if not same_value(name, chosen, value, b_may_be_truncated=store == "IPTC")
        ]
        # A date without a zone agrees with one that has it; prefer the one that knows the zone.
        if FIELD_BY_NAME[name].kind is FieldKind.DATETIME and chosen.tzinfo is None:
            zoned = next((v for _, v in found if v.tzinfo is not None), None)
            if zoned is not None and same_value(name, chosen, zoned):
                chosen = zoned
        values[name] = chosen
        if disagree:
            label = FIELD_BY_NAME[name].label
            stores_text = " and ".join([chosen_store, *disagree])
            warnings.append(f"{label}: {stores_text} disagree; showing the {chosen_store} value")
    for name in LIST_FIELDS:
        if isinstance(values.get(name), list):
            values[name] = tuple(values[name])
    return PhotoMetadata(**values), warnings
