"""Spell checking for the caption fields: words, misspelt spans, suggestions, a personal list."""

from __future__ import annotations

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
