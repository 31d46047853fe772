"""Writing aids for the panel's text fields: code replacement, spell checking and the list
separator, kept in step with the preferences (which file, delimiter, language, separator)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from editor.core.codes import CODES_NAME, read_codes, words_of
from editor.core.spelling import DICTIONARY_NAME, Speller
from editor.gui.codes import CodeExpander, CodesDialog
from editor.gui.panel.fields import ListField
from editor.gui.settings import Settings
from editor.gui.spelling import SpellChecking


class WritingAids(QObject):
    """Owns the code expander and the spell checking of one metadata panel."""

    def __init__(self, panel: QWidget, data_dir: Path | None, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._panel = panel
        self._data_dir = data_dir
        self.code_path: Path | None = self.default_code_file()
        self.expander = CodeExpander(self)
        self.expander.install_on_panel(panel)
        personal = data_dir / DICTIONARY_NAME if data_dir is not None else None
        self.spelling = SpellChecking(Speller("en", personal, load_on_demand=False), self)
        self.spelling.install_on_panel(panel)

    def default_code_file(self) -> Path | None:
        return self._data_dir / CODES_NAME if self._data_dir is not None else None

    def apply(self, settings: Settings) -> None:
        """Load the code list the preferences name, with their delimiter."""
        chosen = settings.code_file
        self.code_path = Path(chosen) if chosen else self.default_code_file()
        codes = read_codes(self.code_path) if self.code_path is not None else self.expander.codes
        self.expander.set_codes(codes, settings.code_delimiter)
        self.spelling.speller.set_language(settings.spell_language)
        for field in self._panel.findChildren(ListField):
            field.separator = settings.list_separator or "; "
        self._codes_changed()

    def close(self) -> None:
        self.spelling.close()

    def edit_codes(self) -> CodesDialog:
        """Metadata > Code Replacements: the list's editor; OK saves and applies it."""
        dialog = CodesDialog(
            self.expander.codes, self.code_path, self.expander.delimiter, self._window
        )
        dialog.saved.connect(lambda: self._set_codes(dialog.codes()))
        dialog.open()
        return dialog

    def _set_codes(self, codes: dict[str, str]) -> None:
        self.expander.set_codes(codes, self.expander.delimiter)
        self._codes_changed()

    def _codes_changed(self) -> None:
        codes = self.expander.codes
        self.spelling.speller.set_extra_words(words_of(codes) | set(codes))
        self.spelling.recheck()
