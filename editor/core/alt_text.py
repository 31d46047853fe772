"""Gentle advice on alt text (empty, same as caption, too long, "photo of"): GUI and export."""

from __future__ import annotations

import re

ALT_TEXT_LIMIT = 150
"""Characters above which alt text gets long for a screen reader; a guideline, not a hard limit."""

_REDUNDANT_START = re.compile(
    r"^\s*(?:(?:an?|the)\s+)?(?:image|photo|photograph|picture|pic)\s+of\b", re.IGNORECASE
)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".!")


def alt_text_warnings(alt: str, caption: str) -> list[str]:
    """Short, friendly sentences about what could be better in ``alt``; empty when it looks fine."""
    if not alt.strip():
        return ["No alt text yet: describe what the photo shows for people who cannot see it."]
    warnings: list[str] = []
    if caption.strip() and _normalise(alt) == _normalise(caption):
        warnings.append("Alt text repeats the caption: describe what is visible instead.")
    length = len(alt.strip())
    if length > ALT_TEXT_LIMIT:
        warnings.append(
            f"Alt text is {length} characters; about {ALT_TEXT_LIMIT} reads best. "
            "Move detail to the extended description."
        )
    match = _REDUNDANT_START.match(alt)
    if match:
        opening = " ".join(match.group(0).split())
        warnings.append(
            f'Screen readers already say it is an image: no need to start with "{opening}".'
        )
    return warnings
