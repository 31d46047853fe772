"""The keywords editor: a "; "-separated line whose current keyword completes from known words."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QWidget

from editor.gui.panel.fields import ListField, split_list


class KeywordsField(ListField):
    """A ListField whose keyword under the cursor completes from ``set_completions`` words.

    Words already in the field are not offered; choosing one (Enter, Tab or click) replaces the
    keyword being typed and adds "; " so the next one can follow.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setWidget(self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # Down past the last suggestion stays on it: Enter must not fall back to the half word.
        self._completer.setWrapAround(False)
        self._completer.setMaxVisibleItems(8)
        self._completer.activated[str].connect(self.insert_completion)  # type: ignore[index]
        self.textEdited.connect(self._update_completions)

    def completer(self) -> QCompleter:  # type: ignore[override]
        return self._completer

    def set_completions(self, words: Iterable[str]) -> None:
        unique: dict[str, str] = {}
        for word in words:
            word = word.strip()
            if word:
                unique.setdefault(word.casefold(), word)
        self._words = sorted(unique.values(), key=str.casefold)

    def _token_bounds(self) -> tuple[int, int]:
        text, cursor = self.text(), self.cursorPosition()
        sep = self.separator.strip() or ";"
        start = text.rfind(sep, 0, cursor) + 1
        end = text.find(sep, cursor)
        return start, len(text) if end < 0 else end

    def current_token(self) -> str:
        start, end = self._token_bounds()
        return self.text()[start:end].strip()

    def _update_completions(self, text: str) -> None:
        popup = self._completer.popup()
        token = self.current_token()
        if not token or self.isReadOnly():
            popup.hide()
            return
        present = {w.casefold() for w in split_list(text, self.separator)}
        self._model.setStringList([w for w in self._words if w.casefold() not in present])
        self._completer.setCompletionPrefix(token)
        if self._completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self._completer.completionModel().index(0, 0))
        self._completer.complete()

    def insert_completion(self, word: str) -> None:
        """Replace the keyword under the cursor with ``word`` and start the next one."""
        start, end = self._token_bounds()
        text = self.text()
        head = text[:start]
        tail = text[end:]
        lead = " " if head else ""
        sep = self.separator.strip() or ";"
        if tail.startswith(sep):
            new = f"{head}{lead}{word}{tail}"
            cursor = len(head) + len(lead) + len(word) + 1
        else:
            new = f"{head}{lead}{word}{self.separator}{tail.lstrip()}"
            cursor = len(head) + len(lead) + len(word) + len(self.separator)
        self._completer.popup().hide()
        self.user_replace_text(new, cursor)
