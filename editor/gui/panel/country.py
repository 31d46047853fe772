"""The country code editor: ISO 3166 codes upper-cased as typed, completed by code or name."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtGui import QFocusEvent, QValidator
from PySide6.QtWidgets import QCompleter, QWidget

from editor.core.vocabulary import country_code_matches, validate_country_code
from editor.gui.panel.fields import LineField

_SEP = "  —  "


class _Upper(QValidator):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:  # type: ignore[override]
        return QValidator.State.Acceptable, text.upper(), pos


@cache
def country_name(code: str) -> str:
    """The country's name for an ISO 3166 alpha-2 or alpha-3 code; "" when it is not one."""
    import pycountry

    try:
        text = validate_country_code(code)
    except ValueError:
        return ""
    key = "alpha_2" if len(text) == 2 else "alpha_3"
    country = pycountry.countries.get(**{key: text})
    return "" if country is None else str(country.name)


class CountryCodeField(LineField):
    """A LineField for ISO 3166 codes: typing "fra", "ger" or "united" offers "FR — France"...;
    choosing one puts the code in. ``describe`` says which country a code names, or that it
    names none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(_Upper(self))
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setWidget(self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(10)
        self._completer.activated[str].connect(self.insert_completion)  # type: ignore[index]
        self.textEdited.connect(self._update_completions)

    def completer(self) -> QCompleter:  # type: ignore[override]
        return self._completer

    def focusInEvent(self, event: QFocusEvent) -> None:
        # pycountry loads its database on first use (50-300 ms here): on entering the field,
        # not on the first key typed.
        super().focusInEvent(event)
        country_name("FR")

    def describe(self) -> tuple[str, bool]:
        """(what the code shown means, whether that is a problem): ("France", False),
        ("Not an ISO 3166 country code", True), or ("", False) when empty or mixed."""
        code = self.text().strip()
        if not code or self.is_mixed():
            return "", False
        name = country_name(code)
        return (name, False) if name else ("Not an ISO 3166 country code", True)

    def _update_completions(self, text: str) -> None:
        popup = self._completer.popup()
        if not text.strip() or self.isReadOnly():
            popup.hide()
            return
        matches = country_code_matches(text)
        # Exact codes first, then names in alphabetical order.
        wanted = text.strip().upper()
        matches.sort(key=lambda m: (m[0] != wanted, m[1]))
        self._model.setStringList([f"{code}{_SEP}{name}" for code, name in matches[:40]])
        if not matches:
            popup.hide()
            return
        self._completer.complete()
        popup.setCurrentIndex(self._completer.completionModel().index(0, 0))

    def insert_completion(self, entry: str) -> None:
        """Put the code of a completion entry ("FR — France") in, as if typed."""
        self._completer.popup().hide()
        code = entry.split(_SEP, 1)[0].strip()
        self.user_replace_text(code, len(code))
        self.setFocus(Qt.FocusReason.OtherFocusReason)
