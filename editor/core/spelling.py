"""Spell checking for the caption fields: words, misspelt spans, suggestions, a personal list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from editor.core.errors import PhotoCaptionError

LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pt": "Português",
    "ru": "Русский",
    "lv": "Latviešu",
    "eu": "Euskara",
    "ar": "العربية",
    "fa": "فارسی",
}
"""The dictionaries pyspellchecker ships in its wheel (no download), by code."""


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
DICTIONARY_NAME = "dictionary.txt"
MAX_SUGGESTIONS = 7
SLOW_DISTANCE_LEN = 8  # distance-2 suggestions for longer words take seconds (10 s at 19)


def words(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` for every word of ``text`` (letters, inner apostrophes)."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def word_at(text: str, index: int) -> tuple[int, int, str] | None:
    """The word under ``index`` (a cursor position: at either edge of the word counts)."""
    for start, end, word in words(text):
        if start <= index <= end:
            return start, end, word
    return None


class Speller:
    """pyspellchecker's dictionary for one language, a personal word list and extra words.

    The dictionary loads on first use (English about 0.1 s, German 1.1 s), or, with
    ``load_on_demand=False`` (the GUI), only through ``set_dictionary`` with one ``build``
    made on a worker thread; until then nothing is flagged. Words of one letter, acronyms
    (all capitals) and brand-like words with capitals inside ("iPhone") are never flagged.
    """

    def __init__(
        self, language: str = "en", personal_path: Path | None = None, load_on_demand: bool = True
    ) -> None:
        self.language = language if language in LANGUAGES else "en"
        self.personal_path = personal_path
        self.load_on_demand = load_on_demand
        self._checker: Any = None
        self._known: dict[str, bool] = {}
        self.extra: set[str] = set()
        self.personal: set[str] = set()
        if personal_path is not None:
            try:
                text = personal_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self.personal = {w.strip().lower() for w in text.splitlines() if w.strip()}

    def set_language(self, language: str) -> bool:
        """Switch dictionaries; True when it changed."""
        language = language if language in LANGUAGES else "en"
        if language == self.language:
            return False
        self.language = language
        self._checker = None
        self._known.clear()
        return True

    def set_extra_words(self, extra: Iterable[str]) -> None:
        """Words that count as spelt correctly (the code-replacement list's names)."""
        self.extra = {w.lower() for w in extra}
        self._known.clear()

    @staticmethod
    def build(language: str) -> Any:
        """A dictionary for ``language`` (slow: run it off the GUI thread)."""
        from spellchecker import SpellChecker

        return SpellChecker(language=language, distance=2)

    @property
    def ready(self) -> bool:
        return self._checker is not None

    def set_dictionary(self, language: str, dictionary: Any) -> bool:
        """Take a ``build`` made elsewhere; False when the language changed meanwhile."""
        if language != self.language:
            return False
        self._checker = dictionary
        self._known.clear()
        return True

    def _dictionary(self) -> Any:
        if self._checker is None:
            self._checker = self.build(self.language)
        return self._checker

    def is_correct(self, word: str) -> bool:
        if len(word) < 2 or word.isupper() or any(c.isupper() for c in word[1:]):
            return True
        if self._checker is None and not self.load_on_demand:
            return True  # not loaded yet: flag nothing rather than wait for it
        key = word.replace("’", "'").lower()
        known = self._known.get(key)
        if known is None:
            if key in self.personal or key in self.extra:
                known = True
            else:
                checker = self._dictionary()
                known = bool(checker.known([key]))
                if not known and key.endswith("'s"):
                    known = bool(checker.known([key[:-2]])) or key[:-2] in self.extra
            self._known[key] = known
        return known

    def misspelt(self, text: str) -> list[tuple[int, int]]:
        """The spans of ``text`` holding misspelt words."""
        return [(s, e) for s, e, w in words(text) if not self.is_correct(w)]

    def suggestions(self, word: str) -> list[str]:
        """Likely corrections, most common first, in the word's capitalisation."""
        checker = self._dictionary()
        key = word.replace("’", "'").lower()
        found = set(checker.known(checker.edit_distance_1(key)))
        if not found and len(key) <= SLOW_DISTANCE_LEN:
            found = set(checker.known(checker.edit_distance_2(key)))
        ranked = sorted(found, key=lambda w: (-checker.word_usage_frequency(w), w))
        ranked = ranked[:MAX_SUGGESTIONS]
        if word[:1].isupper():
            ranked = [w[:1].upper() + w[1:] for w in ranked]
        return ranked

    def add_word(self, word: str) -> None:
        """Into the personal word list (and its file), for every language."""
        key = word.replace("’", "'").lower()
        if key in self.personal:
            return
        self.personal.add(key)
        self._known[key] = True
        if self.personal_path is not None:
            try:
                self.personal_path.parent.mkdir(parents=True, exist_ok=True)
                with self.personal_path.open("a", encoding="utf-8") as f:
                    f.write(key + "\n")
            except OSError as err:
                raise PhotoCaptionError(
                    f"{word!r} is known for this session only: the personal word list "
                    f"{self.personal_path} cannot be written ({err.strerror or err})"
                ) from err
