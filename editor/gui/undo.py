"""Undo commands: each calls one PhotoLibrary method; consecutive keystrokes merge into one step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtGui import QUndoCommand

from editor.core.fields import FIELD_BY_NAME, FieldKind
from editor.core.library import PhotoLibrary
from editor.core.model import PhotoMetadata

SET_FIELD_ID = 1001


# Fields the panel sets by a choice from a list rather than by typing.
CHOSEN_FIELDS: frozenset[str] = frozenset({"digital_source_type"})


class SetFieldCommand(QUndoCommand):
    """Set one field on the selected photos. Editing the same field of the same photos again
    right after merges into one step, so a typed caption undoes as a whole."""

    def __init__(
        self, library: PhotoLibrary, paths: Sequence[Path], name: str, value: object
    ) -> None:
        label = FIELD_BY_NAME[name].label
        count = len(paths)
        text = f"Edit {label}" + (f" of {count} photos" if count > 1 else "")
        super().__init__(text)
        self._library = library
        self.paths = tuple(paths)
        self.name = name
        self.value = value
        self._before: dict[Path, object] = library.field_values(paths, name)

    def id(self) -> int:
        return SET_FIELD_ID

    def redo(self) -> None:
        self._library.set_field(self.paths, self.name, self.value)

    def undo(self) -> None:
        self._library.set_field_values(self._before, self.name)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand):
            return False
        if other.name != self.name or other.paths != self.paths:
            return False
        # Typing (text, lists, GPS and dates are typed too) merges; each star click, and each
        # choice from a dropdown, is a step.
        if FIELD_BY_NAME[self.name].kind is FieldKind.RATING or self.name in CHOSEN_FIELDS:
            return False
        self.value = other.value
        if all(before == self.value for before in self._before.values()):
            self.setObsolete(True)  # typed back to where it started: no step left to undo
        return True


class SetMetadataCommand(QUndoCommand):
    """Replace the whole edited metadata of several photos: templates, paste, revert."""

    def __init__(
        self, library: PhotoLibrary, values: Mapping[Path, PhotoMetadata], text: str
    ) -> None:
        super().__init__(text)
        self._library = library
        self._after = dict(values)
        self._before = library.metadata(values.keys())

    def redo(self) -> None:
        self._library.set_metadata_many(self._after)

    def undo(self) -> None:
        self._library.set_metadata_many(self._before)
