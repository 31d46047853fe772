"""Metadata templates: named field values with {filename}/{date}/{year}/{creator}/{n} variables.

Applying a template replaces each field it holds with the expanded template value, except
``keywords``: template keywords are ADDED to the photo's existing keywords (case-insensitive, no
duplicates, existing spelling and order kept), because a template is usually a shared set of tags
to add, not a reason to lose the photo's own. Variables expand in every text field and every list
item; ``{{`` and ``}}`` give literal braces; unknown ``{names}`` are left as they are.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from editor.core.fields import FIELD_BY_NAME, FieldKind
from editor.core.fields import FIELDS as FIELD_TABLE
from editor.core.model import GPS, PhotoMetadata, PhotoRecord
from editor.core.partial_dates import parse_iso

SHOOT_CONSTANTS: tuple[str, ...] = tuple(
    f.name for f in FIELD_TABLE if f.group or f.name in ("creator_job_title", "web_statement")
)
"""The creator's job title and contact info, the web statement and the licensor: the same on
every photo a photographer takes (checked by default where the photo has a value)."""

DEFAULT_TEMPLATE_FIELDS: tuple[str, ...] = (
    "creator",
    "credit",
    "copyright",
    "usage_terms",
    "keywords",
)
"""The fields ``template_from_metadata`` takes by default: the ones that stay the same across a
shoot (the dialog also checks SHOOT_CONSTANTS where the photo has them)."""

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_]+)\}")


def _normalise_value(name: str, value: object) -> object:
    """The canonical, immutable form of ``value`` for field ``name``; raises ValueError if wrong."""
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        raise ValueError(f"unknown field {name!r}")
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.MULTILINE):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be text")
        return value
    if kind is FieldKind.LIST:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ValueError(f"{name} must be a list of text")
        items = tuple(value)
        if not all(isinstance(item, str) for item in items):
            raise ValueError(f"{name} must be a list of text")
        return items
    if kind is FieldKind.DATETIME:
        if value is None or isinstance(value, datetime):
            return value
        if isinstance(value, str):
            return parse_iso(value)  # a partial date keeps its precision
        raise ValueError(f"{name} must be a date and time")
    if kind is FieldKind.GPS:
        if value is None or isinstance(value, GPS):
            return value
        if isinstance(value, Mapping):
            alt = value.get("alt")
            lat, lon = float(value["lat"]), float(value["lon"])
            return GPS(lat, lon, None if alt is None else float(alt))
        raise ValueError(f"{name} must be a GPS position")
    # FieldKind.RATING
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise ValueError(f"{name} must be a whole number from 0 to 5")
    return value


def _jsonable(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, GPS):
        return {"lat": value.lat, "lon": value.lon, "alt": value.alt}
    return value


@dataclass(frozen=True)
class Template:
    """A named set of field values. ``values`` maps field names (see ``FIELDS``) to values."""

    name: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clean = {k: _normalise_value(k, v) for k, v in self.values.items()}
        object.__setattr__(self, "values", MappingProxyType(clean))

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.values.items(), key=lambda kv: kv[0]))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return self.name == other.name and dict(self.values) == dict(other.values)

    def renamed(self, name: str) -> Template:
        return Template(name, dict(self.values))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict: ``{"name": ..., "values": {...}}`` (lists, ISO dates, GPS dicts)."""
        return {"name": self.name, "values": {k: _jsonable(v) for k, v in self.values.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Template:
        """The inverse of ``to_dict``; raises ValueError on anything malformed."""
        try:
            name = data["name"]
            values = data.get("values", {})
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError("a template needs a name and values") from err
        if not isinstance(name, str) or not name.strip() or not isinstance(values, Mapping):
            raise ValueError("a template needs a name and values")
        try:
            return cls(name, dict(values))
        except (KeyError, TypeError) as err:
            raise ValueError(f"template {name!r}: {err}") from err


def template_from_metadata(
    name: str, metadata: PhotoMetadata, fields: Iterable[str] = DEFAULT_TEMPLATE_FIELDS
) -> Template:
    """A template holding ``metadata``'s current values for ``fields``."""
    return Template(name, {f: getattr(metadata, f) for f in fields})


def dump_templates(templates: Sequence[Template]) -> str:
    """Serialise templates to a JSON string (for settings)."""
    return json.dumps([t.to_dict() for t in templates], ensure_ascii=False)


def load_templates(text: str) -> list[Template]:
    """Templates from ``dump_templates`` output; malformed entries are skipped, never raised."""
    try:
        raw = json.loads(text)
    except (ValueError, TypeError):
        return []
    if not isinstance(raw, list):
        return []
    out: list[Template] = []
    for item in raw:
        try:
            out.append(Template.from_dict(item))
        except ValueError:
            continue
    return out


def expand_text(
    text: str,
    *,
    filename: str | os.PathLike[str],
    date: datetime | _date | None,
    creator: str | Sequence[str],
    n: int,
) -> str:
    """Replace ``{filename}`` (stem), ``{date}`` (YYYY-MM-DD, "" if unknown), ``{year}`` (of the
    date taken, else this year), ``{creator}`` (the first one) and ``{n}`` (1-based) in ``text``.
    """
    if not isinstance(creator, str):
        creator = next(iter(creator), "")

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        var = match.group(1)
        if var == "filename":
            return PurePath(os.fspath(filename)).stem
        if var == "date":
            return date.strftime("%Y-%m-%d") if date is not None else ""
        if var == "year":
            return str(date.year if date is not None else _date.today().year)
        if var == "creator":
            return str(creator)
        if var == "n":
            return str(n)
        return token

    return _TOKEN.sub(substitute, text)


def _merge_keywords(existing: Sequence[str], added: Iterable[str]) -> tuple[str, ...]:
    seen = {k.casefold() for k in existing}
    out = list(existing)
    for word in added:
        word = word.strip()
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            out.append(word)
    return tuple(out)


def apply_template(
    template: Template, metadata: PhotoMetadata, record: PhotoRecord, n: int
) -> PhotoMetadata:
    """``metadata`` with the template applied for the ``n``-th (1-based) photo of a selection.

    Text and list values have their variables expanded for this photo; keywords are added to the
    existing ones (see the module docstring); every other field the template holds is replaced.
    ``{creator}`` refers to the creator after the template is applied.
    """
    values = template.values

    def expand(text: str, creator: Sequence[str]) -> str:
        return expand_text(
            text, filename=record.path, date=metadata.date_taken, creator=creator, n=n
        )

    creator: tuple[str, ...] = metadata.creator
    if "creator" in values:
        raw = values["creator"]
        assert isinstance(raw, tuple)
        creator = tuple(
            x for x in (expand(str(item), metadata.creator).strip() for item in raw) if x
        )

    changes: dict[str, object] = {}
    for name, value in values.items():
        kind = FIELD_BY_NAME[name].kind
        if name == "creator":
            changes[name] = creator
        elif kind in (FieldKind.TEXT, FieldKind.MULTILINE):
            assert isinstance(value, str)
            changes[name] = expand(value, creator)
        elif kind is FieldKind.LIST:
            assert isinstance(value, tuple)
            items = [expand(str(item), creator).strip() for item in value]
            if name == "keywords":
                changes[name] = _merge_keywords(metadata.keywords, items)
            else:
                changes[name] = tuple(x for x in items if x)
        else:
            changes[name] = value
    return metadata.replace(**changes)
