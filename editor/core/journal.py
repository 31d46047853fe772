"""The edit journal: unsaved edits written to a small file so a crash or a kill loses nothing.

The journal holds, per photo with unsaved edits, only the fields the user changed (edited values
that differ from the file's), so a restore re-applies the typing onto whatever the file holds
at the next start. It is a JSON file replaced atomically (temp file, fsync, ``os.replace``):
a kill in the middle of a write leaves the previous journal, never half of one.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path

from editor.core.fields import FIELD_BY_NAME
from editor.core.model import PhotoMetadata
from editor.core.safe_write import replace_own_file
from editor.core.templates import _jsonable, _normalise_value

JOURNAL_NAME = "unsaved-edits.json"
VERSION = 1

Edits = dict[Path, dict[str, object]]
"""Per photo, the edited fields and their values."""


def changed_values(original: PhotoMetadata, edited: PhotoMetadata) -> dict[str, object]:
    """The fields of ``edited`` that differ from ``original``, with their edited values."""
    return {
        name: getattr(edited, name)
        for name in sorted(edited.changed_fields(original))
        if name in FIELD_BY_NAME
    }


def dump_journal(edits: Mapping[Path, Mapping[str, object]]) -> str:
    photos = [
        {"path": str(path), "fields": {k: _jsonable(v) for k, v in fields.items()}}
        for path, fields in edits.items()
        if fields
    ]
    return json.dumps({"version": VERSION, "photos": photos}, ensure_ascii=False, indent=1)


def load_journal(text: str) -> Edits:
    """The edits in a journal's text; anything malformed (a field renamed since, a bad value)
    is left out rather than failing the whole restore."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    photos = data.get("photos") if isinstance(data, dict) else None
    out: Edits = {}
    for entry in photos if isinstance(photos, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        fields = entry.get("fields")
        values: dict[str, object] = {}
        for name, raw in (fields.items() if isinstance(fields, dict) else ()):
            try:
                values[name] = _normalise_value(name, raw)
            except (ValueError, TypeError, KeyError):
                continue
        if values:
            out[Path(entry["path"])] = values
    return out


def read_journal(path: Path) -> Edits:
    try:
        return load_journal(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def write_journal(path: Path, edits: Mapping[Path, Mapping[str, object]]) -> None:
    """Replace the journal atomically with ``edits``; no edits: remove it."""
    if not any(edits.values()):
        remove_journal(path)
        return
    replace_own_file(path, dump_journal(edits).encode("utf-8"), ".journal-")


def remove_journal(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def apply_edits(metadata: PhotoMetadata, fields: Mapping[str, object]) -> PhotoMetadata:
    """``metadata`` with the journalled ``fields`` put back."""
    known = {k: v for k, v in fields.items() if k in FIELD_BY_NAME}
    return metadata.replace(**known) if known else metadata
