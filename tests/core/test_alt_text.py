"""alt_text_warnings: each rule fires on its own and good alt text gets no advice."""

from __future__ import annotations

import pytest

from editor.core.alt_text import ALT_TEXT_LIMIT, alt_text_warnings


def test_good_alt_text_has_no_warnings() -> None:
    alt = "Two cyclists cross a wet cobbled square at dusk"
    assert alt_text_warnings(alt, "Tour, stage 4") == []


@pytest.mark.parametrize("alt", ["", "   ", "\n"])
def test_empty(alt: str) -> None:
    [warning] = alt_text_warnings(alt, "A caption")
    assert "No alt text" in warning


def test_identical_to_caption_ignores_case_space_and_full_stop() -> None:
    warnings = alt_text_warnings("a red  tram in Lisbon", "A red tram in Lisbon.")
    assert len(warnings) == 1 and "repeats the caption" in warnings[0]
    assert alt_text_warnings("A red tram", "") == []


def test_too_long_counts_characters_not_bytes() -> None:
    at_limit = "서" * ALT_TEXT_LIMIT
    assert alt_text_warnings(at_limit, "") == []
    [warning] = alt_text_warnings(at_limit + "울", "")
    assert f"{ALT_TEXT_LIMIT + 1} characters" in warning


@pytest.mark.parametrize(
    "alt", ["Image of a dog", "photo of a dog", "PICTURE OF a dog", "A photo of a dog",
            "  an image of a cat", "Photograph of a bridge"],
)
def test_redundant_opening(alt: str) -> None:
    warnings = alt_text_warnings(alt, "")
    assert len(warnings) == 1 and "no need to start with" in warnings[0]


@pytest.mark.parametrize("alt", ["Photos of the day pinned to a board", "Imagery on a wall",
                                 "A photographer of note"])
def test_similar_openings_are_fine(alt: str) -> None:
    assert alt_text_warnings(alt, "") == []


def test_several_rules_at_once() -> None:
    alt = "Photo of " + "a very long description " * 8
    warnings = alt_text_warnings(alt, alt)
    assert len(warnings) == 3
