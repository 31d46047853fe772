"""The keywords editor: a "; "-separated line whose current keyword completes from known words.

With several photos whose keywords differ, the line adds what is typed to every photo (Enter)
and a list below shows the union with counts ("Pyongyang (3 of 10)"), ticked when on all:
ticking adds a keyword to all, unticking removes it from all, the rest of each photo's keywords
untouched; replacing every photo's keywords is the explicit "Replace all…" button.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.gui.panel.fields import ListField, small_font, split_list


def keyword_counts(lists: Sequence[Sequence[str]]) -> list[tuple[str, int]]:
    """The union of ``lists`` with how many lists hold each keyword, alphabetically."""
    counts: Counter[str] = Counter()
    for words in lists:
        counts.update(set(words))
    return sorted(counts.items(), key=lambda wc: (wc[0].casefold(), wc[0]))


def count_label(word: str, count: int, total: int) -> str:
    return f"{word} ({count} of {total})"


class KeywordsField(ListField):
    """A ListField whose keyword under the cursor completes from ``set_completions`` words.

    Words already in the field are not offered; choosing one (Enter, Tab or click) replaces the
    keyword being typed and adds "; " so the next one can follow. ``show_selection`` gives it
    every selected photo's keywords: when they differ it switches to adding (see the module
    docstring) and emits ``keywordsChanged(added, removed)`` instead of ``edited``.
    """

    keywordsChanged = Signal(tuple, tuple)  # (added to all, removed from all)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lists: list[tuple[str, ...]] = []
        self._adding = False  # several photos with different keywords: typing adds to all
        self._own_tip: str | None = None  # the field's tooltip while the adding one is shown
        self._filling = False
        self.counts = QListWidget()
        self.counts.setObjectName("keyword_counts")
        self.counts.setAccessibleName("Keywords of the selected photos")
        self.counts.setToolTip(
            "Keywords of the selected photos, with how many have each.\n"
            "Tick to add one to all of them; untick to remove it from all."
        )
        self.counts.itemChanged.connect(self._on_count_toggled)
        self.counts.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        add = QAction("Add to All Selected Photos", self.counts)
        add.triggered.connect(lambda: self._later(self.add_to_all, self._current_words()))
        remove = QAction("Remove from All Selected Photos", self.counts)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(lambda: self._later(self.remove_from_all, self._current_words()))
        self.counts.addActions([add, remove])
        self.replace_button = QPushButton("Replace all…")
        self.replace_button.setObjectName("keyword_replace_all")
        self.replace_button.setToolTip(
            "Give every selected photo the same keywords, replacing theirs"
        )
        self.replace_button.clicked.connect(self.request_replace_all)
        self.counts_title = QLabel()
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

    # --- several photos: add to all, remove from all, replace all explicitly ------------------
    def selection_box(self, field_widget: QWidget) -> QWidget:
        """``field_widget`` (this line, maybe with its footer) above the union-with-counts list
        and the Replace all button; the panel puts this box in its form."""
        box = QWidget(field_widget.parentWidget())
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field_widget)
        self.counts_title.setFont(small_font(self))
        # It must not widen a narrow panel: it wraps, and gives way to the button.
        self.counts_title.setWordWrap(True)
        self.counts_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row = QHBoxLayout()
        row.setContentsMargins(0, 2, 0, 0)
        row.addWidget(self.counts_title, 1)
        row.addWidget(self.replace_button)
        column.addLayout(row)
        self.counts.setMaximumHeight(self.sizeHint().height() * 6)
        column.addWidget(self.counts)
        for widget in (self.counts, self.replace_button, self.counts_title):
            widget.setParent(box)
        self._update_selection_look()
        return box

    def show_selection(self, lists: Sequence[Sequence[str]]) -> None:
        """The keywords of each selected photo (called after ``set_value``); never emits."""
        new = [tuple(words) for words in lists]
        if new == self._lists:
            return  # a refresh of the same keywords (another field edited): nothing to redo
        self._lists = new
        self._adding = len(self._lists) > 1 and len(set(self._lists)) > 1
        if self._adding and self.text() and not self.hasFocus():
            self.setText("")
        self._update_selection_look()

    def is_adding(self) -> bool:
        return self._adding

    def add_to_all(self, words: Iterable[str]) -> None:
        """Add ``words`` to every selected photo (keeping each photo's own keywords)."""
        added = tuple(words)  # already split by the caller, with the separator chosen
        added = tuple(dict.fromkeys(w.strip() for w in added if w.strip()))
        if added and not self.isReadOnly():
            self.keywordsChanged.emit(added, ())

    def remove_from_all(self, words: Iterable[str]) -> None:
        removed = tuple(words)
        if removed and not self.isReadOnly():
            self.keywordsChanged.emit((), removed)

    def request_replace_all(self) -> None:
        """Ask for the keywords every selected photo gets, replacing theirs (emits ``edited``)."""
        if self.isReadOnly() or not self._lists:
            return
        common = [w for w, n in keyword_counts(self._lists) if n == len(self._lists)]
        text, ok = QInputDialog.getText(
            self,
            "Replace keywords",
            f"Keywords for all {len(self._lists)} selected photos (their own are replaced):",
            text=self.separator.join(common),
        )
        if ok:
            self.replace_all(split_list(text, self.separator))

    def replace_all(self, words: tuple[str, ...]) -> None:
        self.edited.emit(tuple(words))

    def commit_added(self) -> None:
        """Add what was typed to every photo shown (Enter, leaving the field, or the panel
        about to show other photos)."""
        if self._adding and self.text().strip():
            words = split_list(self.text(), self.separator)
            self.setText("")
            self.add_to_all(words)

    def set_value(self, value: object, mixed: bool = False) -> None:
        if mixed and self._adding and self.text():
            return  # the same photos shown again (a save, a reload): what is typed stays
        super().set_value(value, mixed)

    def _on_text_edited(self, text: str) -> None:
        if not self._adding:  # one photo, or all alike: the line is their keywords
            super()._on_text_edited(text)

    def _set_mixed(self, mixed: bool) -> None:
        super()._set_mixed(mixed)
        self._update_line_look()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self._completer.popup()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self._adding and enter and not popup.isVisible():
            self.commit_added()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # What was typed is not lost when the photographer clicks elsewhere (not the popup).
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit_added()
        super().focusOutEvent(event)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.counts.setEnabled(not read_only)
        self.replace_button.setEnabled(not read_only)

    def _update_line_look(self) -> None:
        """The line's placeholder, font and tooltip for adding (or back to the field's own)."""
        if not self._adding:
            if self._own_tip is not None:
                self.setToolTip(self._own_tip)
                self._own_tip = None
            return
        total = len(self._lists)
        self.setPlaceholderText(f"Add to all {total} photos (Enter)")
        if self._own_tip is None:
            self._own_tip = self.toolTip()
        self.setToolTip(
            f"The {total} selected photos have different keywords. What you type here is added"
            " to each of them (Enter); the list below adds or removes one keyword on all;"
            f" Replace all… gives them all the same keywords.\n\n{self._own_tip}"
        )
        font = self.font()
        if font.italic():
            font.setItalic(False)
            self.setFont(font)

    def _update_selection_look(self) -> None:
        self._update_line_look()
        total = len(self._lists)
        self.counts_title.setText(f"On {total} photos:" if self._adding else "")
        for widget in (self.counts, self.replace_button, self.counts_title):
            widget.setVisible(self._adding)
        self._filling = True
        try:
            self.counts.clear()
            if self._adding:
                for word, count in keyword_counts(self._lists):
                    item = QListWidgetItem(count_label(word, count, total))
                    item.setData(Qt.ItemDataRole.UserRole, word)
                    item.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsSelectable
                    )
                    item.setCheckState(
                        Qt.CheckState.Checked if count == total else Qt.CheckState.PartiallyChecked
                    )
                    item.setToolTip(
                        f"“{word}” is on {count} of the {total} photos: "
                        + ("untick to remove it from all" if count == total
                           else "tick to add it to all; Delete or right-click removes it from all")
                    )
                    self.counts.addItem(item)
        finally:
            self._filling = False

    def _on_count_toggled(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        word = str(item.data(Qt.ItemDataRole.UserRole))
        # Later: the edit refreshes this list, which must not delete the item inside its signal.
        if item.checkState() == Qt.CheckState.Checked:
            self._later(self.add_to_all, [word])
        elif item.checkState() == Qt.CheckState.Unchecked:
            self._later(self.remove_from_all, [word])

    def _current_words(self) -> list[str]:
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in self.counts.selectedItems()]

    def _later(self, action: Callable[[list[str]], None], words: list[str]) -> None:
        QTimer.singleShot(0, self, lambda: action(words))
