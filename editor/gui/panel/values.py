"""Short human-readable renderings of field values, for dialogs and tooltips."""

from __future__ import annotations

from datetime import datetime

from editor.core.fields import FIELD_BY_NAME, FieldKind
from editor.core.model import GPS
from editor.core.vocabulary import digital_source_type_label
from editor.gui.panel.fields import format_gps


def display_value(name: str, value: object, limit: int = 80) -> str:
    """``value`` of field ``name`` on one line, at most ``limit`` characters; "" when unset."""
    kind = FIELD_BY_NAME[name].kind
    if value is None or value == "" or value == ():
        return ""
    if kind is FieldKind.LIST:
        assert isinstance(value, tuple)
        text = "; ".join(value)
    elif kind is FieldKind.DATETIME:
        assert isinstance(value, datetime)
        text = value.isoformat(sep=" ")
    elif kind is FieldKind.GPS:
        assert isinstance(value, GPS)
        text = format_gps(value)
    elif kind is FieldKind.RATING:
        assert isinstance(value, int)
        text = "★" * value + "☆" * (5 - value) if 0 <= value <= 5 else str(value)
    elif name == "digital_source_type":
        text = digital_source_type_label(str(value))
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
